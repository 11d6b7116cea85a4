"""Checks of arguments a programmer passes: a wrong Python type is a ``TypeError``.

The contract of the public API (docs/api.md, "Errors"):

* a bad **value** — anything a rubric, an answers file or a results file could hold,
  whatever its type — raises a :class:`~readiness_model.ReadinessError` (a
  ``RubricError`` or ``ResponseError``) whose problems each carry a path;
* an argument that must be an object of the library (a ``Rubric``, a ``ResponseSet``,
  ``Results``), or text such as an agency id, given as something else raises
  ``TypeError`` with a message in one form: ``'rubric' must be a Rubric (got str)``;
* nothing else escapes (no ``ValueError``, ``AttributeError``, ``OverflowError``...).

A base module, like ``errors``: any layer may use it.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["TYPE_MESSAGE", "require", "require_period", "require_text", "require_texts"]

TYPE_MESSAGE = re.compile(r"^'\w+' must be .+ \(got [\w.]+\)$")
"""The form of every ``TypeError`` message of the API (the fuzz suite checks it)."""


def _kind(value: object) -> str:
    return type(value).__name__


def require(value: object, cls: type | tuple[type, ...], name: str, what: str = "") -> None:
    """Raise ``TypeError`` unless ``value`` is an instance of ``cls``.

    Example:
        >>> require(3, int, "n")
        >>> try:
        ...     require("x", int, "n", "a whole number")
        ... except TypeError as err:
        ...     print(err)
        'n' must be a whole number (got str)
    """
    if not isinstance(value, cls):
        if not what:
            names = [c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,))]
            what = "a " + " or ".join(names)
        raise TypeError(f"{name!r} must be {what} (got {_kind(value)})")


def require_text(value: object, name: str) -> None:
    """Raise ``TypeError`` unless ``value`` is text (an id, a name).

    Example:
        >>> try:
        ...     require_text(7, "agency")
        ... except TypeError as err:
        ...     print(err)
        'agency' must be text (got int)
    """
    require(value, str, name, "text")


def require_period(value: object, name: str = "period") -> None:
    """Raise ``TypeError`` unless ``value`` is ``None``, a whole number or text (how a
    period is written).

    Example:
        >>> require_period(2016), require_period("2024-Q1"), require_period(None)
        (None, None, None)
        >>> try:
        ...     require_period([2016])
        ... except TypeError as err:
        ...     print(err)
        'period' must be a year or a label (got list)
    """
    ok: Any = value is None or isinstance(value, str)
    ok = ok or (isinstance(value, numbers.Integral) and not isinstance(value, bool))
    if not ok:
        raise TypeError(f"{name!r} must be a year or a label (got {_kind(value)})")


def require_texts(value: object, name: str) -> None:
    """Raise ``TypeError`` unless ``value`` is a list (or tuple, set) of text, such as
    attribute names or agency ids; a single string is not one.

    Example:
        >>> require_texts(["region"], "attributes")
        >>> try:
        ...     require_texts(["region", 3], "attributes")
        ... except TypeError as err:
        ...     print(err)
        'attributes' must be a list of text (got int)
    """
    if not isinstance(value, Iterable) or isinstance(value, str | bytes | dict):
        raise TypeError(f"{name!r} must be a list of text (got {_kind(value)})")
    for item in list(value):
        if not isinstance(item, str):
            raise TypeError(f"{name!r} must be a list of text (got {_kind(item)})")
