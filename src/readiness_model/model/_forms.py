"""The forms of YAML values: what a field's value looks like (see ``_format``).

A form describes; it gives the value's JSON-Schema fragment and its plain data. The
loader (``readiness_model.io.rubric_forms``) reads a value by its form's ``kind``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import attrs

from ._format import META, Key, object_schema, to_data
from ._validators import ID_RE, RUBRIC_ID_RE

__all__ = [
    "TEXT",
    "Answer",
    "Bool",
    "Form",
    "Id",
    "Ids",
    "Inline",
    "Labels",
    "Method",
    "Number",
    "Obj",
    "Objs",
    "Pairs",
    "Raw",
    "Record",
    "Str",
    "Version",
    "Wrapped",
    "def_name",
    "key",
    "plain",
]

_MAX = 1.7976931348623157e308  # the largest float: bounds that reject .inf in a schema


def plain(value: Any) -> Any:
    """Plain data of a model value: ``to_data()`` of objects (the generic :func:`to_data`
    for a class without one), lists for tuples."""
    if hasattr(value, "to_data"):
        return value.to_data()
    if attrs.has(type(value)):
        return to_data(value)
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


class Form:
    """What a field's value looks like in YAML (base class; see the module docstring)."""

    kind: ClassVar[str] = "raw"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        """JSON-Schema fragment of the value; shared parts go into ``defs``."""
        raise NotImplementedError

    def write(self, value: Any) -> Any:
        """Plain data of a stored value."""
        return plain(value)


@attrs.frozen
class Raw(Form):
    """Any value the field's own converter checks; ``schema`` is given as is."""

    fragment: Mapping[str, Any] = attrs.field(factory=dict)
    writer: Callable[[Any], Any] | None = None

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return dict(self.fragment)

    def write(self, value: Any) -> Any:
        return self.writer(value) if self.writer is not None else plain(value)


@attrs.frozen
class Number(Form):
    """A finite number (bounds as the converter checks them); ``integer`` for whole ones."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    integer: bool = False

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        out["minimum"] = -_MAX if self.minimum is None else self.minimum
        out["maximum"] = _MAX if self.maximum is None else self.maximum
        if self.exclusive_minimum is not None:
            out["exclusiveMinimum"] = self.exclusive_minimum
        return out


@attrs.frozen
class Str(Form):
    """Text, optionally one of ``enum``."""

    kind: ClassVar[str] = "string"
    enum: tuple[str, ...] | None = None

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string"}
        if self.enum is not None:
            out["enum"] = list(self.enum)
        return out


@attrs.frozen
class Bool(Form):
    """``true`` or ``false``."""

    kind: ClassVar[str] = "bool"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}


def _id_def(defs: dict[str, Any]) -> dict[str, Any]:
    defs.setdefault(
        "id",
        {
            "type": "string",
            "pattern": ID_RE.pattern,
            "description": "Identifier: a letter or '_' then letters, digits, '_', '-', '.'.",
        },
    )
    return {"$ref": "#/$defs/id"}


@attrs.frozen
class Id(Form):
    """An identifier (the model checks it); ``rubric`` for a rubric id."""

    rubric: bool = False

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        if self.rubric:
            return {"type": "string", "pattern": RUBRIC_ID_RE.pattern}
        return _id_def(defs)


@attrs.frozen
class Ids(Form):
    """One id, or a list of ids."""

    kind: ClassVar[str] = "ids"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        ref = _id_def(defs)
        return {"oneOf": [ref, {"type": "array", "items": ref}]}


@attrs.frozen
class _Text(Form):
    kind: ClassVar[str] = "text"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        defs.setdefault(
            "text",
            {
                "description": "Text, or a mapping of language code to text.",
                "oneOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "minProperties": 1,
                        "additionalProperties": {"type": "string"},
                    },
                ],
            },
        )
        return {"$ref": "#/$defs/text"}


TEXT: Form = _Text()
"""Text, or a mapping of language code to text (a :class:`~readiness_model.Text`)."""


@attrs.frozen
class Version(Form):
    """Free text; a number is kept as written (``2016.10`` stays ``"2016.10"``)."""

    kind: ClassVar[str] = "version"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": ["string", "number"]}


def def_name(cls: type) -> str:
    """Name of a class's entry in the schema's ``$defs``."""
    return {"Dimension": "node", "TrendClass": "trend"}.get(cls.__name__, cls.__name__.lower())


def _resolve(cls: type | Callable[[], type]) -> type:
    return cls if isinstance(cls, type) else cls()


@attrs.frozen
class Obj(Form):
    """One nested object of an attrs class (or a function returning the class, for a
    class that nests itself)."""

    kind: ClassVar[str] = "object"
    of: type | Callable[[], type]

    @property
    def cls(self) -> type:
        """The attrs class."""
        return _resolve(self.of)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return object_schema(self.cls, defs)


@attrs.frozen
class Objs(Form):
    """A list of objects of an attrs class, each with its own ``$defs`` entry."""

    kind: ClassVar[str] = "objects"
    of: type | Callable[[], type]
    min_items: int = 0

    @property
    def cls(self) -> type:
        """The attrs class."""
        return _resolve(self.of)

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        name = def_name(self.cls)
        if name not in defs:
            defs[name] = {}  # placeholder first: classes nest (a node holds nodes)
            defs[name] = object_schema(self.cls, defs)
        out: dict[str, Any] = {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


@attrs.frozen
class Inline(Form):
    """An object whose keys sit in the enclosing mapping (a band's ``min``, ``below``...)."""

    kind: ClassVar[str] = "inline"
    cls: type

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return object_schema(self.cls, defs)

    def write(self, value: Any) -> Any:
        return to_data(value)


@attrs.frozen
class Method(Form):
    """A method (normalisation, aggregation) that owns its YAML form: the class has
    ``from_data``, ``schema`` and ``to_data``."""

    kind: ClassVar[str] = "method"
    cls: type
    name: str

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        defs.setdefault(self.name, self.cls.schema())  # type: ignore[attr-defined]
        return {"$ref": f"#/$defs/{self.name}"}


@attrs.frozen
class Labels(Form):
    """A list of labels (text; a number is kept as written)."""

    kind: ClassVar[str] = "labels"
    min_items: int = 1
    max_items: int | None = None
    checklist: bool = False

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        # non-empty, no leading or trailing space; checklist items: no '|', not 'none'
        text: dict[str, Any] = {"type": "string", "pattern": r"^\S(?:[\s\S]*\S)?$"}
        if self.checklist:
            text = {
                "type": "string",
                "pattern": r"^[^|\s](?:[^|]*[^|\s])?$",
                "not": {"pattern": "^[Nn][Oo][Nn][Ee]$"},
            }
        out: dict[str, Any] = {
            "type": "array",
            "minItems": self.min_items,
            "uniqueItems": True,
            "items": {"oneOf": [text, {"type": "number"}]},
        }
        if self.max_items is not None:
            out["maxItems"] = self.max_items
        return out


@attrs.frozen
class Wrapped(Form):
    """A value written bare or as ``{key: value}`` (``all_dimensions: {min: 60}``);
    ``wrap`` says which form is written."""

    kind: ClassVar[str] = "wrapped"
    inner: Form
    key: str
    doc: str
    wrap: bool = True

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        inner = self.inner.schema(defs)
        return {
            "oneOf": [
                inner,
                {
                    "type": "object",
                    "properties": {self.key: {**inner, "description": self.doc}},
                    "required": [self.key],
                    "additionalProperties": False,
                },
            ]
        }

    def write(self, value: Any) -> Any:
        return {self.key: self.inner.write(value)} if self.wrap else self.inner.write(value)


@attrs.frozen
class Pairs(Form):
    """A mapping stored as ``((key, value), ...)``; keys are ids when ``ids``."""

    kind: ClassVar[str] = "pairs"
    value: Form
    ids: bool = True

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object", "additionalProperties": self.value.schema(defs)}
        if self.ids:
            out["propertyNames"] = _id_def(defs)
        return out

    def write(self, value: Any) -> Any:
        return {k: self.value.write(v) for k, v in value}


@attrs.frozen
class Answer(Form):
    """An answer as written: a value, or a list of values (checklist items)."""

    kind: ClassVar[str] = "answer"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        scalar = {"type": ["string", "number", "boolean", "null"]}
        return {"oneOf": [scalar, {"type": "array", "items": scalar}]}

    def write(self, value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value


@attrs.frozen
class Record(Form):
    """A mapping with fixed keys, stored as pairs: ``{name: (form, doc)}``."""

    kind: ClassVar[str] = "record"
    fields: Mapping[str, tuple[Form, str]]
    doc: str

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "description": self.doc,
            "properties": {
                k: {**form.schema(defs), "description": doc}
                for k, (form, doc) in self.fields.items()
            },
            "additionalProperties": False,
        }

    def write(self, value: Any) -> Any:
        return {k: self.fields[k][0].write(v) for k, v in value}


def key(
    doc: str,
    form: Form | None = None,
    *,
    name: str | None = None,
    always: bool = False,
    after: str | None = None,
) -> dict[str, Key]:
    """Field metadata: ``attrs.field(metadata=key("Weight relative to siblings.", ...))``."""
    return {META: Key(doc, Raw() if form is None else form, name, always, after)}
