"""Plain scalars as YAML 1.2 reads them (its core schema), and where YAML 1.1 differs.

``no``, ``on`` and ``y`` are text, ``1e6`` is a number, ``017`` is seventeen, ``1_000`` and
``1:30`` are text: what editors and their JSON-Schema check read. PyYAML alone reads YAML
1.1, where the first three are booleans, ``1e6`` is text and ``017`` is fifteen.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml

__all__ = ["INVALID", "TAG", "Loader", "construct", "read_plain", "yaml11_reading"]

TAG = "tag:yaml.org,2002:"
_TAG = TAG


class _Invalid:
    """Marks a value that was already reported as a problem (skip it silently)."""

    _instance: _Invalid | None = None

    def __new__(cls) -> _Invalid:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


# The YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), plus '<<'.
_CORE: tuple[tuple[str, str, list[str]], ...] = (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("null", r"^(?:~|null|Null|NULL|)$", [*"~nN", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    ("merge", r"^<<$", ["<"]),
)


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader with the YAML 1.2 core schema's implicit tags."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}


for _name, _regexp, _first in _CORE:
    Loader.add_implicit_resolver(f"{_TAG}{_name}", re.compile(_regexp), _first)
del _name, _regexp, _first


def construct(tag: str, text: str) -> Any:
    """The value of a scalar of a core-schema tag (``ValueError`` when it is none)."""
    kind = tag[len(_TAG) :]
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{text!r} is not true or false")
        return text.lower() == "true"
    if kind == "null":
        if text not in ("~", "null", "Null", "NULL", ""):
            raise ValueError(f"{text!r} is not null")
        return None
    if kind == "int":
        sign = -1 if text.startswith("-") else 1
        t = text.lstrip("+-")
        if t[:2] in ("0o", "0x", "0b"):
            return sign * int(t[2:], {"0o": 8, "0x": 16, "0b": 2}[t[:2]])
        return sign * int(t, 10)
    if kind == "float":
        low = text.lower()
        if low.lstrip("+-") in (".inf", "inf"):
            return -math.inf if low.startswith("-") else math.inf
        if low in (".nan", "nan"):
            return math.nan
        return float(text)
    return text


def read_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar as this loader reads it (YAML 1.2).

    Example:
        >>> read_plain("no"), read_plain("1e6"), read_plain("017"), read_plain("true")
        ('no', 1000000.0, 17, True)
    """
    for name, regexp, _ in _CORE[:4]:
        if re.match(regexp, text):
            return construct(f"{_TAG}{name}", text)
    return text


def yaml11_reading(text: str) -> Any:
    """What a YAML 1.1 reader (PyYAML's ``safe_load``) makes of a plain scalar, when that
    differs from :func:`read_plain`; else ``INVALID``.

    Example:
        >>> yaml11_reading("yes"), yaml11_reading("1_000"), yaml11_reading("1e6")
        (True, 1000, '1e6')
        >>> yaml11_reading("12")
        INVALID
    """
    if len(text) > 100 or "\n" in text:
        return INVALID
    try:
        old = yaml.safe_load(text)
    except yaml.YAMLError:
        return INVALID
    new = read_plain(text)
    if type(old) is type(new) and (old == new or old != old):
        return INVALID
    if isinstance(old, dict | list) or old.__class__.__name__ in ("date", "datetime"):
        return INVALID
    return old
