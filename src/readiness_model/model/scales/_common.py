"""Converters and helpers shared by the built-in scale types."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .._forms import Raw
from .._validators import fail, is_number

__all__ = ["VALUES", "as_index", "labels", "match_label", "optional_values", "values", "whole_in"]


VALUES = Raw({"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}})
"""The form of a ``values`` list: numbers in [0, 1]."""


def whole_in(col: np.ndarray, n: float) -> np.ndarray:
    """Stored values that are whole numbers in ``[0, n)``."""
    with np.errstate(invalid="ignore"):
        out: np.ndarray = np.isfinite(col) & (col == np.floor(col)) & (col >= 0) & (col < n)
    return out


def labels(value: object, field: str) -> tuple[str, ...]:
    """A tuple of labels: non-empty text without surrounding spaces (numbers as text)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise fail(f"{field!r} must be a list of labels (got {value!r})", f"$.{field}")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            raise fail(f"{field}[{i}] must be a label (got {v!r})", f"$.{field}[{i}]")
        text = str(v)
        if not text.strip() or text != text.strip():
            raise fail(
                f"{field}[{i}] must be a non-empty label without leading or trailing spaces",
                f"$.{field}[{i}]",
                got=text,
                hint="answers are matched after trimming spaces; remove them from the label",
            )
        out.append(text)
    return tuple(out)


def values(value: object, field: str = "values") -> tuple[float, ...]:
    """A tuple of numbers in [0, 1]."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise fail(f"{field!r} must be a list of numbers (got {value!r})", f"$.{field}")
    out = []
    for i, v in enumerate(value):
        if not is_number(v) or not math.isfinite(float(v)) or not 0.0 <= float(v) <= 1.0:
            raise fail(
                f"{field}[{i}] must be a number in [0, 1] (got {v!r})",
                f"$.{field}[{i}]",
                expected="a number in [0, 1]",
                got=v,
            )
        out.append(float(v))
    return tuple(out)


def optional_values(value: object) -> tuple[float, ...] | None:
    """``None``, or :func:`values`."""
    return None if value is None else values(value)


def match_label(raw: object, options: tuple[str, ...]) -> int | None:
    """Index of ``raw`` among ``options``: exact, then case-insensitive."""
    text = str(raw).strip()
    if text in options:
        return options.index(text)
    folded = [lab.casefold() for lab in options]
    if text.casefold() in folded:
        return folded.index(text.casefold())
    return None


def as_index(raw: object, n: int) -> int | None:
    """``raw`` as a whole number in ``[0, n)`` (a number or its text), else ``None``."""
    if isinstance(raw, bool):
        return None
    if is_number(raw):
        x = float(raw)  # type: ignore[arg-type]
    elif isinstance(raw, str) and "_" not in raw:  # float() would read "1_0" as 10
        try:
            x = float(raw.strip())
        except ValueError:
            return None
    else:
        return None
    if math.isfinite(x) and x.is_integer() and 0 <= x < n:
        return int(x)
    return None
