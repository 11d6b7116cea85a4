"""Reading one YAML value by its form (``readiness_model.model._format``), with located
problems.

:func:`read_value` dispatches on the form's ``kind``; each reader checks the value's
shape, reports what is wrong through the ``Builder`` of
:mod:`readiness_model.io.rubric_build`, and returns the value for the model's own
converter, or INVALID after a problem. Adding a field to a model class needs no change
here unless it brings a new kind of value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import RubricError
from ..model import Text
from ..model._forms import Form, Labels, Method, Obj, Objs, Pairs, Record, Wrapped
from ..model._validators import check_id, is_number
from ..model.scales import scale_type, scale_types
from ..model.scales._registry import unknown_hint
from .yaml_nodes import INVALID, yaml11_reading

if TYPE_CHECKING:
    from .rubric_build import Builder

__all__ = ["ident", "read_value", "show"]


def show(value: object) -> str:
    """A short rendering of a value for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _raw(b: Builder, form: Form, value: Any, path: str) -> Any:
    return value


def _string(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID or isinstance(value, str):
        return value
    b.add(
        f"{_field(path)!r} must be text (got {show(value)})",
        path,
        expected="text",
        got=value,
        hint=b.quote_hint(value, path),
    )
    return INVALID


def _bool(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID or isinstance(value, bool):
        return value
    raw = b.doc.raw(path) or ""
    old = yaml11_reading(raw)
    hint = (
        f"YAML 1.1 reads {raw} as {str(old).lower()}, but YAML 1.2 (this loader, editors and "
        f"the JSON Schema) reads it as text; write {str(old).lower()}"
        if isinstance(old, bool)
        else ""
    )
    b.add(
        f"{_field(path)!r} must be true or false (got {show(value)})",
        path,
        got=value,
        hint=hint,
    )
    return INVALID


def _text(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID:
        return INVALID
    field = _field(path)
    if isinstance(value, str):
        return Text(plain=value)
    if isinstance(value, dict) and value:
        ok = True
        for lang, t in value.items():
            if not isinstance(t, str):
                ok = False
                b.add(
                    f"{field!r} in {lang!r} must be text (got {show(t)})",
                    f"{path}.{lang}",
                    got=t,
                    hint=b.quote_hint(t, f"{path}.{lang}"),
                )
        return Text.of(value) if ok else INVALID
    b.add(
        f"{field!r} must be text or a mapping of language to text (got {show(value)})",
        path,
        expected="text or {en: ..., th: ...}",
        got=value,
        hint=b.quote_hint(value, path),
    )
    return INVALID


def ident(b: Builder, value: Any, path: str, what: str = "id") -> Any:
    """A valid id, or INVALID after a problem (with a hint to quote a number or boolean)."""
    if value is INVALID:
        return INVALID
    try:
        return check_id(value, what)
    except RubricError as err:
        p = err.problems[0]
        b.problems.append(
            attrs.evolve(
                p,
                path=path,
                location=b.doc.locate(path),
                hint=b.quote_hint(value, path) or p.hint,
            )
        )
        return INVALID


def _ids(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID:
        return INVALID
    field = _field(path)
    items = [value] if isinstance(value, str) else value
    found = [
        ident(b, x, f"{path}[{i}]", field) for i, x in enumerate(b.seq(items, path, f"{field!r}"))
    ]
    return [x for x in found if x is not INVALID]


def _version(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID or isinstance(value, str):
        return value
    if is_number(value):
        return b.doc.raw(path) or str(value)
    b.add(
        f"'version' must be text or a number (got {show(value)})",
        path,
        got=value,
        hint=b.quote_hint(value, path),
    )
    return INVALID


def _object(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Obj)
    return b.obj(form.cls, value, path, f"{_field(path)!r}")


def _objects(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Objs)
    return b.children(value, path, form.cls)


def _method(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Method)
    if value is INVALID:
        return INVALID
    try:
        return form.cls.from_data(value)  # type: ignore[attr-defined]
    except RubricError as err:
        b.add_model(err, path)
        return INVALID


def _scale(b: Builder, form: Form, value: Any, path: str) -> Any:
    if value is INVALID:
        return INVALID
    t = value.get("type") if isinstance(value, dict) else None
    try:
        cls = scale_type(t) if isinstance(t, str) else None
    except RubricError:
        cls = None
    if cls is None:  # report the shape and unknown keys against every scale type
        every = tuple(dict.fromkeys(k for n in scale_types() for k in scale_type(n).yaml_keys()))
        m = b.mapping(value, path, "a scale", every, ("type",))
        if m is not None and "type" in m:
            b.add(
                f"scale 'type' must be one of {', '.join(scale_types())} (got {show(t)})",
                f"{path}.type",
                got=t,
                hint=unknown_hint(str(t)),
            )
        return INVALID
    what = ("an " if cls.type[0] in "aeiou" else "a ") + f"{cls.type} scale"
    return b.obj(cls, value, path, what, extra=("type",))


def _labels(b: Builder, form: Form, value: Any, path: str) -> Any:
    if not isinstance(value, list):
        return value
    out = []
    for i, v in enumerate(value):
        p = f"{path}[{i}]"
        if isinstance(v, str) or v is INVALID:
            out.append(v)
        elif is_number(v):
            out.append(b.doc.raw(p) or str(v))
        else:
            b.add(
                f"a label must be text (got {show(v)})",
                p,
                expected="text",
                got=v,
                hint=b.quote_hint(v, p),
            )
            out.append(INVALID)
    return INVALID if INVALID in out else out


def _wrapped(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Wrapped)
    if not isinstance(value, dict):
        return read_value(b, form.inner, value, path)
    m = b.mapping(value, path, f"{_field(path)!r}", (form.key,), (form.key,))
    if m is None or form.key not in m:
        return INVALID
    return read_value(b, form.inner, m[form.key], f"{path}.{form.key}")


def _pairs(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Pairs)
    m = b.mapping(value, path, f"{_field(path)!r}", None)
    if m is None:
        return INVALID
    out = {}
    for k, v in m.items():
        p = f"{path}.{k}"
        got = read_value(b, form.value, v, p)
        if form.ids and ident(b, k, p, _field(path)) is INVALID:
            continue
        if got is not INVALID:
            out[k] = got
    return out


def _answer(b: Builder, form: Form, value: Any, path: str) -> Any:
    scalar = (str, int, float, bool, type(None))
    if isinstance(value, scalar) or (
        isinstance(value, list) and all(isinstance(v, scalar) for v in value)
    ):
        return value
    if value is not INVALID:
        b.add(
            f"an answer must be a value or a list of values (got {show(value)})",
            path,
            got=value,
        )
    return INVALID


def _record(b: Builder, form: Form, value: Any, path: str) -> Any:
    assert isinstance(form, Record)
    m = b.mapping(value, path, f"{_field(path)!r}", tuple(form.fields))
    if m is None:
        return INVALID
    out = {}
    for k, v in m.items():
        got = read_value(b, form.fields[k][0], v, f"{path}.{k}")
        if got is not INVALID:
            out[k] = got
    return out


_READERS: dict[str, Callable[[Builder, Form, Any, str], Any]] = {
    "raw": _raw,
    "string": _string,
    "bool": _bool,
    "text": _text,
    "ids": _ids,
    "version": _version,
    "object": _object,
    "objects": _objects,
    "method": _method,
    "scale": _scale,
    "labels": _labels,
    "wrapped": _wrapped,
    "pairs": _pairs,
    "answer": _answer,
    "record": _record,
}


def read_value(b: Builder, form: Form, value: Any, path: str) -> Any:
    """Read ``value`` (at ``path``) by its form; INVALID after a problem."""
    if isinstance(form, Labels):
        return _labels(b, form, value, path)
    return _READERS[form.kind](b, form, value, path)
