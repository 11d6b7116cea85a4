"""Plain rubric data (with marks) → model objects, collecting every problem.

Objects are built bottom-up. Each field is first checked on its own with the model's
own converter and validator, so one bad field does not hide another; a bad field is
dropped (or a required id replaced by a placeholder) so that the checks of the enclosing
objects, up to the rubric-level cross checks, still run. Model errors carry paths
relative to the object; they are prefixed with the object's path and located through
the document's marks.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import yaml

from ..errors import Problem, RubricError, did_you_mean
from ..model import (
    Aggregation,
    Defaults,
    Dimension,
    Indicator,
    Normalization,
    Rubric,
    Text,
)
from ..model._validators import ID_RE, check_id, is_number
from ..model.scales import SCALE_TYPES
from .rubric_build_classes import RANGE_KEYS, _build_classes, _show
from .yaml_nodes import INVALID, Document

__all__ = ["KEYS", "SCALE_KEYS", "build_rubric"]

TEXT_KEYS = ("title", "description", "question", "evidence", "remediation")
KEYS: dict[str, tuple[str, ...]] = {
    "rubric": (
        "rubric",
        "version",
        "title",
        "description",
        "source",
        "scale",
        "defaults",
        "rounding",
        "population",
        "dimensions",
        "bands",
        "trend",
        "groups",
        "examples",
    ),
    "defaults": ("aggregate", "missing"),
    "rounding": ("decimals",),
    "dimension": (
        "id",
        "title",
        "description",
        "weight",
        "aggregate",
        "missing",
        "min_coverage",
        "rescale",
        "dimensions",
        "indicators",
    ),
    "indicator": (
        "id",
        "title",
        "question",
        "evidence",
        "remediation",
        "effort",
        "references",
        "weight",
        "scale",
        "direction",
        "normalize",
        "missing",
    ),
    "band": (
        "id",
        "title",
        "description",
        *RANGE_KEYS,
        "dimensions",
        "all_dimensions",
        "min_coverage",
    ),
    "gate": ("min",),
    "change": RANGE_KEYS,
    "trend": ("id", "title", "description", "change"),
    "group": ("id", "title", "description", "bands", "trend"),
    "example": ("agency", "answers", "expect", "tol"),
    "expect": ("overall", "band", "dimensions", "coverage"),
}
SCALE_KEYS: dict[str, tuple[str, ...]] = {
    "binary": ("type",),
    "ordinal": ("type", "levels", "values"),
    "numeric": ("type", "goalposts", "unit", "clamp"),
    "checklist": ("type", "items", "values"),
    "choice": ("type", "options", "values"),
}
_SCALE_REQUIRED = {"ordinal": ("levels",), "checklist": ("items",), "choice": ("options", "values")}
_LABEL_KEYS = ("levels", "items", "options")


def _join(base: str, rel: str) -> str:
    if rel == "$" or not rel:
        return base
    if rel.startswith("$"):
        return base + rel[1:]
    return f"{base}.{rel}"


class _Builder:
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
        self.problems.append(
            Problem(
                message,
                path,
                self.doc.locate(path, at_key=at_key),
                hint=hint,
                expected=expected,
                got="" if got is INVALID else _show(got),
            )
        )

    def add_model(self, err: RubricError, base: str) -> None:
        for p in err.problems:
            path = _join(base, p.path)
            if path in self.suppress:
                continue
            hint = p.hint
            if hint == "quote it in YAML":
                hint = self.quote_hint(self._value_at(path), path) or hint
            self.problems.append(
                attrs.evolve(p, path=path, location=self.doc.locate(path), hint=hint)
            )

    def _value_at(self, path: str) -> Any:
        raw = self.doc.raw(path)
        if raw is None:
            return INVALID
        try:
            return yaml.safe_load(raw) if len(raw) < 100 else INVALID
        except yaml.YAMLError:
            return INVALID

    def quote_hint(self, value: object, path: str) -> str:
        if isinstance(value, bool | int | float) or value is None:
            raw = self.doc.raw(path)
            if raw is not None and raw != "":
                return f"YAML reads {raw} as {_show(value)}; quote it: '{raw}'"
        return ""

    # -- shapes ------------------------------------------------------------------------
    def mapping(
        self,
        value: Any,
        path: str,
        kind: str,
        what: str,
        required: Sequence[str] = (),
        allowed: Sequence[str] | None = None,
    ) -> dict[str, Any] | None:
        if value is INVALID:
            return None
        if not isinstance(value, dict):
            self.add(
                f"{what} must be a mapping (got {_show(value)})",
                path,
                expected="a mapping",
                got=value,
                hint=self.quote_hint(value, path),
            )
            return None
        keys = KEYS[kind] if allowed is None else allowed
        for k in value:
            if k not in keys:
                self.add(
                    f"unknown key {k!r} in {what}",
                    f"{path}.{k}",
                    at_key=True,
                    hint=did_you_mean(k, keys),
                )
        for r in required:
            if r not in value:
                self.add(f"{what} is missing the required key {r!r}", path, expected=f"a {r!r} key")
        return {k: v for k, v in value.items() if k in keys}

    def seq(self, value: Any, path: str, what: str) -> list[Any]:
        if value is INVALID or value is None:
            return []
        if not isinstance(value, list):
            self.add(
                f"{what} must be a list (got {_show(value)})", path, expected="a list", got=value
            )
            return []
        return value

    def text(self, value: Any, path: str) -> Any:
        if value is INVALID:
            return INVALID
        field = path.rsplit(".", 1)[-1]
        if isinstance(value, str):
            return Text(plain=value)
        if isinstance(value, dict) and value:
            ok = True
            for lang, t in value.items():
                if not isinstance(t, str):
                    ok = False
                    self.add(
                        f"{field!r} in {lang!r} must be text (got {_show(t)})",
                        f"{path}.{lang}",
                        got=t,
                        hint=self.quote_hint(t, f"{path}.{lang}"),
                    )
            return Text.of(value) if ok else INVALID
        self.add(
            f"{field!r} must be text or a mapping of language to text (got {_show(value)})",
            path,
            expected="text or {en: ..., th: ...}",
            got=value,
            hint=self.quote_hint(value, path),
        )
        return INVALID

    def string(self, value: Any, path: str) -> Any:
        if value is INVALID or isinstance(value, str):
            return value
        field = path.rsplit(".", 1)[-1]
        self.add(
            f"{field!r} must be text (got {_show(value)})",
            path,
            expected="text",
            got=value,
            hint=self.quote_hint(value, path),
        )
        return INVALID

    def ident(self, value: Any, path: str, what: str = "id") -> Any:
        """A valid id, or INVALID after a problem."""
        if value is INVALID:
            return INVALID
        try:
            return check_id(value, what)
        except RubricError as err:
            p = err.problems[0]
            self.problems.append(
                attrs.evolve(
                    p,
                    path=path,
                    location=self.doc.locate(path),
                    hint=self.quote_hint(value, path) or p.hint,
                )
            )
            return INVALID

    def placeholder(self, path: str) -> str:
        raw = self.doc.raw(path)
        if raw and ID_RE.match(raw):
            return raw
        return f"_invalid_{next(self.counter)}"

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

    def aggregation(self, value: Any, path: str, owner: str) -> Any:
        return self.method(Aggregation, value, path)

    def normalization(self, value: Any, path: str) -> Any:
        return self.method(Normalization, value, path)

    def method(self, cls: type[Aggregation] | type[Normalization], value: Any, path: str) -> Any:
        """A normalisation or aggregation: the class reads its own YAML form."""
        if value is INVALID:
            return INVALID
        try:
            return cls.from_data(value)
        except RubricError as err:
            self.add_model(err, path)
            return INVALID

    def scale(self, value: Any, path: str) -> Any:
        if value is INVALID:
            return INVALID
        t = value.get("type") if isinstance(value, dict) else None
        allowed = SCALE_KEYS.get(t) if isinstance(t, str) else None
        m = self.mapping(
            value,
            path,
            "scale",
            "a scale",
            required=("type",),
            allowed=allowed or tuple(dict.fromkeys(itertools.chain(*SCALE_KEYS.values()))),
        )
        if m is None or "type" not in m:
            return INVALID
        if allowed is None:
            self.add(
                f"scale 'type' must be one of {', '.join(SCALE_TYPES)} (got {_show(t)})",
                f"{path}.type",
                got=t,
                hint=did_you_mean(str(t), SCALE_TYPES),
            )
            return INVALID
        kind = str(t)
        kw = {k: v for k, v in m.items() if k != "type"}
        for key in _LABEL_KEYS:
            if isinstance(kw.get(key), list):
                kw[key] = [self.label(v, f"{path}.{key}[{i}]") for i, v in enumerate(kw[key])]
                if INVALID in kw[key]:
                    kw[key] = INVALID
        for r in _SCALE_REQUIRED.get(kind, ()):
            if r not in kw:
                self.add(f"a {kind} scale is missing the required key {r!r}", path)
        if "unit" in kw:
            kw["unit"] = self.string(kw["unit"], f"{path}.unit")
        if "clamp" in kw and not isinstance(kw["clamp"], bool) and kw["clamp"] is not INVALID:
            self.add(
                f"'clamp' must be true or false (got {_show(kw['clamp'])})",
                f"{path}.clamp",
                got=kw["clamp"],
            )
            kw["clamp"] = INVALID
        return self.make(SCALE_TYPES[kind], kw, path, required=_SCALE_REQUIRED.get(kind, ()))

    def label(self, value: Any, path: str) -> Any:
        if isinstance(value, str) or value is INVALID:
            return value
        if is_number(value):
            return self.doc.raw(path) or str(value)
        self.add(
            f"a label must be text (got {_show(value)})",
            path,
            expected="text",
            got=value,
            hint=self.quote_hint(value, path),
        )
        return INVALID

    def common(self, m: dict[str, Any], path: str) -> dict[str, Any]:
        """The fields every node/class shares: id (kept raw) and titles."""
        kw: dict[str, Any] = {}
        if "id" in m:
            kw["id"] = m["id"]
        for k in TEXT_KEYS:
            if k in m:
                kw[k] = self.text(m[k], f"{path}.{k}")
        return kw

    def indicator(self, value: Any, path: str) -> Any:
        m = self.mapping(value, path, "indicator", "an indicator", required=("id",))
        if m is None:
            return INVALID
        kw = self.common(m, path)
        for k in ("weight", "effort", "references", "direction", "missing"):
            if k in m:
                kw[k] = m[k]
        if "scale" in m:
            kw["scale"] = self.scale(m["scale"], f"{path}.scale")
        if "normalize" in m:
            kw["normalize"] = self.normalization(m["normalize"], f"{path}.normalize")
        for k in ("direction", "missing"):
            if k in kw:
                kw[k] = self.string(kw[k], f"{path}.{k}")
        return self.make(
            Indicator,
            kw,
            path,
            required=("id",),
            stand_in=True,
            placeholders={"id": self.placeholder(f"{path}.id")},
        )

    def dimension(self, value: Any, path: str) -> Any:
        m = self.mapping(value, path, "dimension", "a dimension", required=("id",))
        if m is None:
            return INVALID
        kw = self.common(m, path)
        for k in ("weight", "missing", "min_coverage", "rescale"):
            if k in m:
                kw[k] = (
                    m[k] if k in ("weight", "min_coverage") else self.string(m[k], f"{path}.{k}")
                )
        if "aggregate" in m:
            kw["aggregate"] = self.aggregation(m["aggregate"], f"{path}.aggregate", path)
        if "dimensions" in m:
            kw["dimensions"] = self.children(m["dimensions"], f"{path}.dimensions", self.dimension)
        if "indicators" in m:
            kw["indicators"] = self.children(m["indicators"], f"{path}.indicators", self.indicator)
        return self.make(
            Dimension,
            kw,
            path,
            required=("id",),
            stand_in=True,
            placeholders={"id": self.placeholder(f"{path}.id")},
        )

    def children(self, value: Any, path: str, build: Any) -> tuple[Any, ...]:
        items = [
            build(v, f"{path}[{i}]")
            for i, v in enumerate(self.seq(value, path, f"{path.rsplit('.', 1)[-1]!r}"))
        ]
        return tuple(x for x in items if x is not INVALID)

    def rubric(self, data: Any) -> Rubric | None:
        m = self.mapping(data, "$", "rubric", "the rubric", required=("rubric", "dimensions"))
        if m is None:
            return None
        kw = self.common({k: v for k, v in m.items() if k != "id"}, "$")
        kw["id"] = m.get("rubric", INVALID)
        if "dimensions" not in m:
            self.suppress.add("$.dimensions")
        if "version" in m:
            v = m["version"]
            if isinstance(v, str):
                kw["version"] = v
            elif is_number(v):
                kw["version"] = self.doc.raw("$.version") or str(v)
            elif v is not INVALID:
                self.add(
                    f"'version' must be text or a number (got {_show(v)})",
                    "$.version",
                    got=v,
                    hint=self.quote_hint(v, "$.version"),
                )
        if "source" in m:
            kw["source"] = self.string(m["source"], "$.source")
        for k in ("scale", "population"):
            if k in m:
                kw[k] = m[k]
        if "rounding" in m:
            r = m["rounding"]
            if isinstance(r, dict):
                r = self.mapping(r, "$.rounding", "rounding", "'rounding'", required=("decimals",))
            kw["rounding"] = INVALID if r is None else r
        if "defaults" in m:
            d = self.mapping(m["defaults"], "$.defaults", "defaults", "'defaults'")
            if d is not None:
                dkw: dict[str, Any] = {}
                if "aggregate" in d:
                    dkw["aggregate"] = self.aggregation(
                        d["aggregate"], "$.defaults.aggregate", "$.defaults"
                    )
                if "missing" in d:
                    dkw["missing"] = self.string(d["missing"], "$.defaults.missing")
                kw["defaults"] = self.make(Defaults, dkw, "$.defaults")
        kw["dimensions"] = self.children(m.get("dimensions"), "$.dimensions", self.dimension)
        _build_classes(self, m, kw)
        result = self.make(
            Rubric, kw, "$", required=("id", "dimensions"), placeholders={"id": "invalid"}
        )
        return result if isinstance(result, Rubric) else None


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
    b = _Builder(doc)
    rubric = b.rubric(doc.data)
    if b.problems or rubric is None:
        problems = b.problems or [Problem("invalid rubric", "$", doc.locate("$"))]
        problems.sort(
            key=lambda p: (
                (p.location.line or 0, p.location.column or 0) if p.location is not None else (0, 0)
            )
        )
        raise RubricError(problems)
    return rubric
