"""The YAML form of the model, described once, on the attrs fields themselves.

Every field of a class that appears in a rubric file carries a :class:`Key` in its
metadata (``attrs.field(metadata=key(...))``): its YAML name when that differs from the
field's, the doc string the JSON Schema shows, whether it is written when it equals its
default, where it goes in the written order, and its :class:`Form` (what the value looks
like in YAML). Three readers use this one description:

- :func:`to_data` writes canonical plain data (what ``dump_rubric`` writes);
- ``readiness_model.io.rubric_build`` reads a YAML mapping into the class (the accepted
  keys, the required ones, and how each value is read);
- ``readiness_model.io.schema`` builds the JSON Schema from the forms' fragments.

A form only describes; the loader interprets it by its ``kind``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

import attrs

if TYPE_CHECKING:
    from ._forms import Form, Inline

__all__ = [
    "Key",
    "key_of",
    "keys",
    "object_schema",
    "to_data",
    "yaml_keys",
]

META = "readiness_model"


@attrs.frozen
class Key:
    """How one field appears in YAML.

    Attributes:
        doc: What the key means (the schema's description).
        form: What the value looks like.
        name: The YAML key, when it differs from the field name.
        always: Written even when the value equals the default.
        after: Written right after this field (default: in declaration order).
    """

    doc: str
    form: Form
    name: str | None = None
    always: bool = False
    after: str | None = None


def key_of(a: attrs.Attribute[Any]) -> Key | None:
    """The :class:`Key` of an attrs field, or ``None`` for a field not in YAML."""
    k = a.metadata.get(META)
    return k if isinstance(k, Key) else None


_KEYS: dict[type, list[tuple[attrs.Attribute[Any], Key]]] = {}


def keys(cls: type) -> list[tuple[attrs.Attribute[Any], Key]]:
    """The YAML fields of an attrs class in written order (declaration order, each field
    with ``after`` moved right behind the field it names)."""
    if cls in _KEYS:
        return _KEYS[cls]
    described = [(a, k) for a in attrs.fields(cls) if (k := key_of(a)) is not None]
    order = [(a, k) for a, k in described if k.after is None]
    pending = [(a, k) for a, k in described if k.after is not None]
    while pending:
        placed = [a.name for a, _ in order]
        for item in list(pending):
            after = item[1].after
            if after in placed:
                order.insert(placed.index(after) + 1, item)
                pending.remove(item)
                break
        else:
            raise TypeError(f"{cls.__name__}: 'after' names an unknown field: {pending}")
    _KEYS[cls] = order
    return order


def yaml_name(a: attrs.Attribute[Any], k: Key) -> str:
    """The YAML key of a field."""
    return k.name or a.name


def yaml_keys(cls: type) -> tuple[str, ...]:
    """Every key a mapping of this class accepts (inline objects' keys included)."""
    out: list[str] = []
    for a, k in keys(cls):
        inline = k.form.kind == "inline"
        out += yaml_keys(cast("Inline", k.form).cls) if inline else [yaml_name(a, k)]
    return tuple(out)


def required(a: attrs.Attribute[Any]) -> bool:
    """Whether a field has no default (its key must be given)."""
    return a.default is attrs.NOTHING


def default_of(a: attrs.Attribute[Any]) -> Any:
    """The value a field takes when its key is left out."""
    d: Any = a.default
    if isinstance(d, attrs.Factory):  # type: ignore[arg-type]
        d = d.factory()
    return a.converter(d) if callable(a.converter) else d


def to_data(obj: Any) -> dict[str, Any]:
    """Canonical plain data of a model object: its YAML keys in written order, each value
    in plain form, a value equal to its default left out unless its key says ``always``.

    Example:
        >>> from readiness_model.model import Range
        >>> to_data(Range(min=50, below=75))
        {'min': 50.0, 'below': 75.0}
    """
    d: dict[str, Any] = {}
    for a, k in keys(type(obj)):
        value = getattr(obj, a.name)
        if not (k.always or required(a)) and value == default_of(a):
            continue
        if k.form.kind == "inline":
            d.update(k.form.write(value))
        else:
            d[yaml_name(a, k)] = k.form.write(value)
    return d


def first_line(cls: type) -> str:
    """The first sentence of a class's docstring (its schema description)."""
    doc = (cls.__doc__ or cls.__name__).strip()
    para = " ".join(doc.split("\n\n")[0].split())
    return para


def object_schema(
    cls: type, defs: dict[str, Any], extra: Iterable[tuple[str, dict[str, Any]]] = ()
) -> dict[str, Any]:
    """JSON Schema of a mapping of ``cls``: one property per YAML key (``extra`` first),
    the required keys, no other key."""
    props: dict[str, Any] = dict(extra)
    req: list[str] = [name for name, _ in extra]
    for a, k in keys(cls):
        if k.form.kind == "inline":
            props.update(k.form.schema(defs)["properties"])
            continue
        name = yaml_name(a, k)
        props[name] = {**k.form.schema(defs), "description": k.doc}
        if required(a):
            req.append(name)
    out: dict[str, Any] = {
        "type": "object",
        "description": first_line(cls),
        "properties": props,
        "additionalProperties": False,
    }
    if req:
        out["required"] = req
    return out
