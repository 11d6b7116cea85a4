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
                got="" if got is None else repr(got),
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
    if not is_number(value):
        raise fail(
            f"{field!r} must be {expected} (got {value!r})",
            f"$.{field}",
            expected=expected,
            got=value,
        )
    x = float(value)  # type: ignore[arg-type]
    if (
        not math.isfinite(x)
        or (minimum is not None and x < minimum)
        or (maximum is not None and x > maximum)
    ):
        raise fail(
            f"{field!r} must be {expected} (got {value!r})",
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
