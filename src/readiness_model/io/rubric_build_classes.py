"""Builders of a rubric's classes: bands, trend classes, groups and examples.

Functions taking the ``_Builder`` of ``readiness_model.io.rubric_build``, which holds
the problems collected so far; each builds one item (INVALID after its problems) and
``_build_classes`` builds every item of each list with the builder's ``children``, which
keeps the valid ones. ``RANGE_KEYS`` and ``_show`` live here so that ``rubric_build``
can import this module without an import cycle.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..model import Band, Example, Group, Range, TrendClass
from .yaml_nodes import INVALID

if TYPE_CHECKING:
    from .rubric_build import _Builder

__all__: list[str] = []


RANGE_KEYS = ("min", "above", "max", "below")


def _show(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _range(b: _Builder, m: dict[str, Any], path: str) -> Any:
    kw = {k: m[k] for k in RANGE_KEYS if k in m}
    return b.make(Range, kw, path)


def _band(b: _Builder, value: Any, path: str) -> Any:
    m = b.mapping(value, path, "band", "a band", required=("id",))
    if m is None:
        return INVALID
    kw = b.common(m, path)
    kw["range"] = _range(b, m, path)
    if "min_coverage" in m:
        kw["min_coverage"] = m["min_coverage"]
    if "dimensions" in m:
        gates = b.mapping(
            m["dimensions"],
            f"{path}.dimensions",
            "gate",
            "a band's 'dimensions'",
            allowed=tuple(m["dimensions"]) if isinstance(m["dimensions"], dict) else (),
        )
        ok = {}
        for k, v in (gates or {}).items():
            if isinstance(v, dict):
                g = b.mapping(v, f"{path}.dimensions.{k}", "gate", f"gate {k!r}", required=("min",))
                v = INVALID if g is None or "min" not in g else g["min"]
            if (
                b.ident(k, f"{path}.dimensions.{k}", "dimensions") is not INVALID
                and v is not INVALID
            ):
                ok[k] = v
        kw["dimensions"] = ok if gates is not None else INVALID
    if "all_dimensions" in m:
        a = m["all_dimensions"]
        if isinstance(a, dict):
            g = b.mapping(
                a, f"{path}.all_dimensions", "gate", "'all_dimensions'", required=("min",)
            )
            a = INVALID if g is None or "min" not in g else g
        kw["all_dimensions"] = a
    return b.make(
        Band, kw, path, required=("id",), placeholders={"id": b.placeholder(f"{path}.id")}
    )


def _trend(b: _Builder, value: Any, path: str) -> Any:
    m = b.mapping(value, path, "trend", "a trend class", required=("id",))
    if m is None:
        return INVALID
    kw = b.common(m, path)
    if "change" in m:
        c = b.mapping(m["change"], f"{path}.change", "change", "'change'")
        kw["change"] = INVALID if c is None else _range(b, c, f"{path}.change")
    return b.make(
        TrendClass,
        kw,
        path,
        required=("id",),
        placeholders={"id": b.placeholder(f"{path}.id")},
    )


def _group(b: _Builder, value: Any, path: str) -> Any:
    m = b.mapping(value, path, "group", "a group", required=("id",))
    if m is None:
        return INVALID
    kw = b.common(m, path)
    for k in ("bands", "trend"):
        if k in m:
            v = [m[k]] if isinstance(m[k], str) else m[k]
            ids = [
                b.ident(x, f"{path}.{k}[{i}]", k)
                for i, x in enumerate(b.seq(v, f"{path}.{k}", f"{k!r}"))
            ]
            kw[k] = [x for x in ids if x is not INVALID]
    return b.make(
        Group, kw, path, required=("id",), placeholders={"id": b.placeholder(f"{path}.id")}
    )


def _example(b: _Builder, value: Any, path: str) -> Any:
    m = b.mapping(value, path, "example", "an example", required=("agency", "answers", "expect"))
    if m is None:
        return INVALID
    kw: dict[str, Any] = {}
    if "agency" in m:
        kw["agency"] = b.string(m["agency"], f"{path}.agency")
    if "tol" in m:
        kw["tol"] = m["tol"]
    if "answers" in m:
        ans = b.mapping(
            m["answers"],
            f"{path}.answers",
            "example",
            "'answers'",
            allowed=tuple(m["answers"]) if isinstance(m["answers"], dict) else (),
        )
        if ans is not None:
            for k, v in list(ans.items()):
                if not _answer(b, v, f"{path}.answers.{k}"):
                    del ans[k]
        kw["answers"] = INVALID if ans is None else ans
    if "expect" in m:
        exp = b.mapping(m["expect"], f"{path}.expect", "expect", "'expect'")
        if exp is not None and "dimensions" in exp:
            d = exp["dimensions"]
            if isinstance(d, dict):
                exp["dimensions"] = {
                    k: v
                    for k, v in d.items()
                    if b.ident(k, f"{path}.expect.dimensions.{k}", "dimensions") is not INVALID
                }
        kw["expect"] = INVALID if exp is None else exp
    return b.make(Example, kw, path, required=("agency", "answers", "expect"))


def _answer(b: _Builder, value: Any, path: str) -> bool:
    scalar = (str, int, float, bool, type(None))
    if isinstance(value, scalar) or (
        isinstance(value, list) and all(isinstance(v, scalar) for v in value)
    ):
        return True
    if value is not INVALID:
        b.add(
            f"an answer must be a value or a list of values (got {_show(value)})",
            path,
            got=value,
        )
    return False


_CLASSES: tuple[tuple[str, Callable[[_Builder, Any, str], Any]], ...] = (
    ("bands", _band),
    ("trend", _trend),
    ("groups", _group),
    ("examples", _example),
)


def _build_classes(b: _Builder, m: dict[str, Any], kw: dict[str, Any]) -> None:
    """Build each list of classes present in the rubric mapping ``m`` into ``kw``."""
    for key, build in _CLASSES:
        if key in m:
            kw[key] = b.children(m[key], f"$.{key}", functools.partial(build, b))
