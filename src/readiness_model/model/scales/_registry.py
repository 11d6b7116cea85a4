"""The registry of scale types: built-ins and plug-ins register the same way.

Plug-in packages declare their scale classes in the entry-point group
``readiness_model.scales`` (``likert = "my_pkg.scales:LikertScale"``); the group is read
once, the first time a lookup misses or the types are listed.
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ...errors import Problem, RubricError, did_you_mean
from .._format import key_of
from .._forms import Form
from ._base import Scale

__all__ = [
    "ENTRY_POINT_GROUP",
    "ScaleRef",
    "register_scale",
    "scale_provider",
    "scale_type",
    "scale_types",
]

ENTRY_POINT_GROUP = "readiness_model.scales"
BUILTIN = "readiness-model"

_TYPES: dict[str, type[Scale]] = {}
_PROVIDERS: dict[str, str] = {}
_plugins_loaded = False

S = TypeVar("S", bound=type[Scale])


def register_scale(cls: S, *, replace: bool = False, provider: str = BUILTIN) -> S:
    """Register a scale type under its ``type`` name (usable as a class decorator).

    The class must be a frozen attrs subclass of :class:`Scale` (checked when it is
    defined) whose every field carries YAML metadata, so that the loader, the dump and
    the JSON Schema know it.

    Args:
        cls: The scale class.
        replace: Allow replacing a registered type of the same name.
        provider: Who provides it (set for plug-ins found through entry points).

    Returns:
        ``cls``, unchanged.

    Raises:
        TypeError: ``cls`` is not a complete scale class, or its name is taken.

    Example:
        >>> from readiness_model.model.scales import BinaryScale
        >>> register_scale(BinaryScale) is BinaryScale
        True

    .. versionadded:: 0.2.0
    """
    if not (isinstance(cls, type) and issubclass(cls, Scale) and attrs.has(cls)):
        raise TypeError(f"{cls!r} is not a scale class (a frozen attrs subclass of Scale)")
    if TYPE_CHECKING:
        assert issubclass(cls, Scale)
    if getattr(cls, "__abstractmethods__", None):
        raise TypeError(
            f"scale class {cls.__name__} is abstract: {sorted(cls.__abstractmethods__)}"
        )
    bare = [a.name for a in attrs.fields(cls) if key_of(a) is None]
    if bare:
        raise TypeError(
            f"scale class {cls.__name__}: field(s) {', '.join(bare)} carry no YAML metadata "
            "(metadata=key('what it means', form))"
        )
    old = _TYPES.get(cls.type)
    if old is not None and old is not cls and not replace:
        raise TypeError(
            f"scale type {cls.type!r} is already registered by {old.__module__}.{old.__name__}"
            " (pass replace=True to replace it)"
        )
    _TYPES[cls.type] = cls
    if old is None or replace:
        _PROVIDERS[cls.type] = provider
    return cls


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        provider = f"{dist.name} {dist.version}" if dist is not None else ep.value
        try:
            obj: Any = ep.load()
        except Exception as err:  # a broken plug-in is named, never skipped silently
            raise RubricError(
                [
                    Problem(
                        f"cannot load scale plug-in {ep.name!r} ({ep.value}): {err}",
                        "",
                        hint=f"reinstall or remove {provider}",
                    )
                ]
            ) from err
        name = getattr(obj, "type", "")
        if _TYPES.get(name) is not obj:
            register_scale(obj, provider=provider)
        else:
            _PROVIDERS[name] = provider


def scale_types() -> tuple[str, ...]:
    """The registered scale type names (plug-ins included), in registration order.

    Example:
        >>> scale_types()[:5]
        ('binary', 'ordinal', 'numeric', 'checklist', 'choice')

    .. versionadded:: 0.2.0
    """
    _load_plugins()
    return tuple(_TYPES)


def scale_type(name: str) -> type[Scale]:
    """The scale class registered as ``name``.

    Raises:
        RubricError: no such type; the hint names the closest type, or a missing plug-in.

    Example:
        >>> scale_type("ordinal").__name__
        'OrdinalScale'
        >>> scale_type("ordinl")
        Traceback (most recent call last):
        ...
        readiness_model.errors.RubricError: no scale type 'ordinl' (did you mean 'ordinal'?) ...

    .. versionadded:: 0.2.0
    """
    if name not in _TYPES:
        _load_plugins()
    if name not in _TYPES:
        raise RubricError([Problem(f"no scale type {name!r}", "$.type", hint=unknown_hint(name))])
    return _TYPES[name]


def unknown_hint(name: str) -> str:
    """The hint for an unknown scale type: the closest name, or a plug-in to install."""
    hint = did_you_mean(name, _TYPES)
    if hint.startswith("did you mean"):
        return hint
    return f"{hint}; a plug-in that provides scale type {name!r} may not be installed"


def scale_provider(name: str) -> str:
    """Who provides a scale type: ``readiness-model`` or ``"<distribution> <version>"``.

    Example:
        >>> scale_provider("binary")
        'readiness-model'
    """
    scale_type(name)
    return _PROVIDERS[name]


@attrs.frozen
class ScaleRef(Form):
    """An answer scale, chosen by its ``type`` among the registered scale types."""

    kind: ClassVar[str] = "scale"

    def schema(self, defs: dict[str, Any]) -> dict[str, Any]:
        if "scale" not in defs:
            refs = []
            for name in scale_types():
                defs[f"scale_{name}"] = scale_type(name).schema(defs)
                refs.append({"$ref": f"#/$defs/scale_{name}"})
            defs["scale"] = {"description": "How raw answers are read and scored.", "oneOf": refs}
        return {"$ref": "#/$defs/scale"}
