"""Small validators shared by the model classes.

Each raises :class:`~readiness_model.errors.RubricError` with a path relative to
the object being built (``$.weight``); the YAML loader prefixes the path and
attaches file, line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

from ..errors import Problem, RubricError

ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
RUBRIC_ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]*$")


def fail(
    message: str, path: str = "$", *, hint: str = "", expected: str = "", got: Any = None
) -> RubricError:
    """Build (not raise) a one-problem :class:`RubricError`."""
    return RubricError(
        [
            Problem(
                message,
                path=path,
                hint=hint,
                expected=expected,
                got="" if got is None else brief(got),
            )
        ]
    )


def check_id(value: object, field: str = "id", *, rubric_id: bool = False) -> str:
    """Return ``value`` when it is a valid identifier, else raise."""
    pattern = RUBRIC_ID_RE if rubric_id else ID_RE
    if not isinstance(value, str) or not pattern.match(value):
        expected = (
            "lowercase letters, digits and '-'"
            if rubric_id
            else "a letter or '_' followed by letters, digits, '_', '-' or '.'"
        )
        hint = "quote it in YAML" if isinstance(value, bool | int | float) else ""
        raise fail(
            f"{field!r} must be an identifier of {expected} (got {value!r})",
            f"$.{field}",
            hint=hint,
            expected=expected,
            got=value,
        )
    return value


def is_number(value: object) -> bool:
    """True for int/float (not bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def finite(value: object) -> float | None:
    """``value`` as a float when it is a finite number (not bool), else ``None``.

    An integer too large for a float (``10**400``) is not finite here: ``float()`` of it
    would raise ``OverflowError``.

    Example:
        >>> finite(3), finite(10**400), finite(float("nan")), finite(True)
        (3.0, None, None, None)
    """
    if not is_number(value):
        return None
    try:
        x = float(value)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return x if math.isfinite(x) else None


def answer_value(value: object) -> str | None:
    """Why ``value`` cannot be a written answer (``None`` when it can).

    An answer as a rubric's golden example writes it: text, a finite number,
    ``true``/``false``, ``null``, or a list of these (checklist items). ``NaN``,
    infinities and integers too large for a float are refused, as in answer files.

    Example:
        >>> answer_value("yes"), answer_value([1, "a"]), answer_value(float("nan"))
        (None, None, 'an answer must be a finite number (got nan)')
    """
    items = value if isinstance(value, list | tuple) else [value]
    for v in items:
        if is_number(v):
            if finite(v) is None:
                return f"an answer must be a finite number (got {brief(v)})"
        elif not (v is None or isinstance(v, str | bool)):
            return (
                "an answer must be text, a number, true/false, null or a list of these "
                f"(got {brief(v)})"
            )
    return None


def brief(value: object, limit: int = 60) -> str:
    """A short ``repr`` for messages: long text is cut, and a huge integer is described
    (its ``repr`` may be refused by Python's digit limit).

    Example:
        >>> brief(10**400), brief("x" * 100)[-6:]
        ('an integer of 401 digits', 'xxx...')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1
        if digits <= 4000:
            digits = len(str(abs(value)))
        return f"an integer of {'about ' if digits > 4000 else ''}{digits} digits"
    if isinstance(value, list | tuple) and any(isinstance(v, int) for v in value):
        inner = ", ".join(brief(v, limit) for v in value[:8]) + (", ..." if len(value) > 8 else "")
        text = f"[{inner}]" if isinstance(value, list) else f"({inner})"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_finite(
    value: object, field: str, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    """Return ``value`` as float when finite and within bounds, else raise."""
    bounds = []
    if minimum is not None:
        bounds.append(f">= {minimum:g}")
    if maximum is not None:
        bounds.append(f"<= {maximum:g}")
    expected = "a finite number" + (" " + " and ".join(bounds) if bounds else "")
    x = finite(value)
    if x is None or (minimum is not None and x < minimum) or (maximum is not None and x > maximum):
        raise fail(
            f"{field!r} must be {expected} (got {brief(value)})",
            f"$.{field}",
            expected=expected,
            got=value,
        )
    return x


def check_unique(values: Iterable[str], what: str, path: str) -> list[Problem]:
    """Problems for every repeated value."""
    seen: set[str] = set()
    out: list[Problem] = []
    for i, v in enumerate(values):
        if v in seen:
            out.append(
                Problem(
                    f"duplicate {what} {v!r}",
                    f"{path}[{i}]",
                    hint=f"every {what} must be unique",
                    got=repr(v),
                )
            )
        seen.add(v)
    return out
