"""Plain rubric data (with marks) → model objects, collecting every problem.

What a mapping of each class accepts comes from the class itself: the YAML keys, which
are required and how each value is read are the fields' metadata
(``readiness_model.model._format``); :mod:`readiness_model.io.rubric_forms` reads each
kind of value. Objects are built bottom-up. Each field is first checked on its own with
the model's own converter and validator, so one bad field does not hide another; a bad
field is dropped (or a required id replaced by a placeholder) so that the checks of the
enclosing objects, up to the rubric-level cross checks, still run. Model errors carry
paths relative to the object; they are prefixed with the object's path and located
through the document's marks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import Problem, RubricError, did_you_mean
from ..model import Rubric
from ..model._format import keys, required, yaml_keys, yaml_name
from ..model._forms import Id, Inline
from ..model._validators import ID_RE, RUBRIC_ID_RE
from .problems import MAX_PROBLEMS
from .rubric_forms import read_value, show
from .rubric_hints import shape_hint, with_hints
from .yaml_nodes import INVALID, Document, read_plain, yaml11_reading

__all__ = ["build_rubric", "capped", "noun"]


def _join(base: str, rel: str) -> str:
    if rel == "$" or not rel:
        return base
    if rel.startswith("$"):
        return base + rel[1:]
    return f"{base}.{rel}"


def noun(cls: type) -> str:
    """How messages name a mapping of ``cls``: ``an indicator``, ``a trend class``."""
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()
    return ("an " if words[0] in "aeiou" else "a ") + words


class Builder:
    """Collects problems while building model objects from a read document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = list(doc.problems)
        self.suppress: set[str] = set()
        self.counter = itertools.count(1)

    # -- problems ----------------------------------------------------------------------
    def add(
        self,
        message: str,
        path: str,
        *,
        hint: str = "",
        expected: str = "",
        got: object = INVALID,
        at_key: bool = False,
    ) -> None:
        """Record one problem at ``path`` (at its key with ``at_key``)."""
        self.problems.append(
            Problem(
                message,
                path,
                self.doc.locate(path, at_key=at_key),
                hint=hint,
                expected=expected,
                got="" if got is INVALID else show(got),
            )
        )

    def add_model(self, err: RubricError, base: str) -> None:
        """Record a model error's problems, their paths relative to ``base``."""
        for p in err.problems:
            path = _join(base, p.path)
            if path in self.suppress:
                continue
            at_key = p.message.startswith("unknown key")
            hint = p.hint
            if len(self.problems) >= MAX_PROBLEMS:
                pass  # only counted (see capped): no costly hint
            elif hint == "quote it in YAML":
                hint = self.quote_hint(self._value_at(path), path) or hint
            elif "number" in p.expected or "number" in p.message:
                hint = self.trap_hint(path) or hint
            self.problems.append(
                attrs.evolve(p, path=path, location=self.doc.locate(path, at_key=at_key), hint=hint)
            )

    def _value_at(self, path: str) -> Any:
        raw = self.doc.raw(path)
        return INVALID if raw is None else read_plain(raw)

    def quote_hint(self, value: object, path: str) -> str:
        """For text read as another type: ``YAML reads no as False; quote it: 'no'``."""
        if isinstance(value, bool | int | float) or value is None:
            raw = self.doc.raw(path)
            if raw is not None and raw != "":
                got = "a number" if isinstance(value, int | float) and raw == show(value) else None
                return f"YAML reads {raw} as {got or show(value)}; quote it: '{raw}'"
        return ""

    def trap_hint(self, path: str) -> str:
        """For a plain value YAML 1.1 reads as a number or boolean but YAML 1.2 as text."""
        raw = self.doc.raw(path)
        old = INVALID if raw is None else yaml11_reading(raw)
        if old is INVALID or not isinstance(read_plain(raw or ""), str):
            return ""
        canonical = str(old).lower() if isinstance(old, bool) else repr(old)
        return (
            f"YAML 1.1 reads {raw} as {canonical}, but YAML 1.2 (this loader, editors and "
            f"the JSON Schema) reads it as text; write {canonical}"
        )

    # -- shapes ------------------------------------------------------------------------
    def mapping(
        self,
        value: Any,
        path: str,
        what: str,
        allowed: Sequence[str] | None,
        required: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """``value`` as a mapping with only ``allowed`` keys (any key when ``None``);
        every unknown and missing key is a problem."""
        if value is INVALID:
            return None
        if not isinstance(value, dict):
            self.add(
                f"{what} must be a mapping (got {show(value)})",
                path,
                expected="a mapping",
                got=value,
                # a mapping is wanted, not text: show its shape (quoting would not help)
                hint=shape_hint(path, "mapping", allowed),
            )
            return None
        if allowed is not None:
            for k in value:
                if k not in allowed:
                    self.add(
                        f"unknown key {k!r} in {what}",
                        f"{path}.{k}",
                        at_key=True,
                        # past the cap the problem is only counted: no costly hint
                        hint=did_you_mean(k, allowed) if len(self.problems) < MAX_PROBLEMS else "",
                    )
        for r in required:
            if r not in value:
                self.add(f"{what} is missing the required key {r!r}", path, expected=f"a {r!r} key")
        return {k: v for k, v in value.items() if allowed is None or k in allowed}

    def seq(self, value: Any, path: str, what: str) -> list[Any]:
        """``value`` as a list (empty after a problem)."""
        if value is INVALID or value is None:
            return []
        if not isinstance(value, list):
            self.add(
                f"{what} must be a list (got {show(value)})",
                path,
                expected="a list",
                got=value,
                hint=shape_hint(path, "list"),
            )
            return []
        return value

    def placeholder(self, path: str, rubric: bool = False) -> str:
        """A stand-in id for a bad one, so the checks around it still run."""
        raw = self.doc.raw(path)
        if raw and (RUBRIC_ID_RE if rubric else ID_RE).match(raw):
            return raw
        return "invalid" if rubric else f"_invalid_{next(self.counter)}"

    # -- objects -----------------------------------------------------------------------
    def make(
        self,
        cls: type[Any],
        kwargs: Mapping[str, Any],
        path: str,
        *,
        required: Sequence[str] = (),
        placeholders: Mapping[str, Any] | None = None,
        stand_in: bool = False,
    ) -> Any:
        """``cls(**kwargs)``, checking each field alone first; INVALID on failure."""
        fields = attrs.fields_dict(cls)
        good: dict[str, Any] = {}
        placeholders = placeholders or {}
        for name, value in kwargs.items():
            if value is INVALID:
                if name in placeholders:
                    good[name] = placeholders[name]
                continue
            a = fields[name]
            try:
                v = a.converter(value) if callable(a.converter) else value
                if a.validator is not None:
                    a.validator(None, a, v)
            except RubricError as err:
                self.add_model(err, path)
                if name in placeholders:
                    good[name] = placeholders[name]
                continue
            except (TypeError, ValueError) as err:
                self.add(f"{name!r} is invalid: {err}", f"{path}.{name}", got=value)
                continue
            good[name] = value
        if any(r not in good for r in required):
            return INVALID
        try:
            return cls(**good)
        except RubricError as err:
            self.add_model(err, path)
        except (TypeError, ValueError) as err:  # pragma: no cover - defensive
            self.add(f"invalid {cls.__name__.lower()}: {err}", path)
            return INVALID
        return _stand_in(cls, good) if stand_in else INVALID

    def obj(
        self,
        cls: type[Any],
        value: Any,
        path: str,
        what: str,
        *,
        root: bool = False,
        stand_in: bool = False,
        extra: Sequence[str] = (),
    ) -> Any:
        """An object of the attrs class ``cls`` from a mapping, INVALID after problems.

        The keys, the required ones and how each value is read come from the fields'
        metadata; ``extra`` keys are accepted and left to the caller (a scale's ``type``).
        """
        fields = keys(cls)
        must = [yaml_name(a, k) for a, k in fields if required(a)]
        m = self.mapping(value, path, what, (*extra, *yaml_keys(cls)), must)
        if m is None:
            return INVALID
        kw: dict[str, Any] = {}
        placeholders: dict[str, Any] = {}
        for a, k in fields:
            name = yaml_name(a, k)
            if isinstance(k.form, Inline):
                sub = k.form.cls
                kw[a.name] = self.make(sub, {x: m[x] for x in yaml_keys(sub) if x in m}, path)
                continue
            if isinstance(k.form, Id):
                placeholders[a.name] = self.placeholder(f"{path}.{name}", k.form.rubric)
            if name in m:
                kw[a.name] = read_value(self, k.form, m[name], f"{path}.{name}")
            elif root and required(a):
                kw[a.name] = INVALID
                self.suppress.add(f"{path}.{name}")
        return self.make(
            cls,
            kw,
            path,
            required=[a.name for a, _ in fields if required(a)],
            placeholders=placeholders,
            stand_in=stand_in,
        )

    def children(self, value: Any, path: str, cls: type[Any]) -> tuple[Any, ...]:
        """The valid objects of a list of ``cls`` mappings."""
        what = f"{path.rsplit('.', 1)[-1]!r}"
        items = [
            self.obj(cls, v, f"{path}[{i}]", noun(cls), stand_in=True)
            for i, v in enumerate(self.seq(value, path, what))
        ]
        return tuple(x for x in items if x is not INVALID)


def _stand_in(cls: type[Any], values: Mapping[str, Any]) -> Any:
    """An instance built without its cross-field checks, so that the checks of the
    objects around it can still run. Only used while collecting problems."""
    inst = object.__new__(cls)
    try:
        for a in attrs.fields(cls):
            if a.name in values:
                v = values[a.name]
            elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                v = a.default.factory()
            else:
                v = a.default
            if callable(a.converter):
                v = a.converter(v)
            object.__setattr__(inst, a.name, v)
    except (RubricError, TypeError, ValueError):  # pragma: no cover - defensive
        return INVALID
    return inst


def build_rubric(doc: Document) -> Rubric:
    """Build the rubric from a read document, or raise one :class:`RubricError`
    holding every problem, each located, in document order."""
    b = Builder(doc)
    rubric = b.obj(Rubric, doc.data, "$", "the rubric", root=True)
    if b.problems or not isinstance(rubric, Rubric):
        problems = b.problems or [Problem("invalid rubric", "$", doc.locate("$"))]
        problems.sort(
            key=lambda p: (
                (p.location.line or 0, p.location.column or 0) if p.location is not None else (0, 0)
            )
        )
        # every problem gets a hint; past the cap only the shown ones (cheap: a few
        # regular expressions each)
        raise RubricError(with_hints(capped(problems, doc)))
    return rubric


def capped(problems: list[Problem], doc: Document) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems (in document order), and one line counting
    the rest, placed at the last one shown so that it stays last when sorted.

    Example:
        >>> from readiness_model.io.yaml_nodes import read_document
        >>> doc = read_document("rubric: x", "r.yaml")
        >>> [str(p) for p in capped([Problem(f"p{i}", "$") for i in range(202)], doc)][-1]
        'r.yaml:1:1: ... and 2 more problem(s) not shown (fix the ones above first) @ $'
    """
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(
            f"... and {more} more problem(s) not shown",
            "$",
            problems[MAX_PROBLEMS - 1].location or doc.locate("$"),
            hint="fix the ones above first",
        ),
    ]
