"""Small validators shared by the model classes.

Each raises :class:`~readiness_model.errors.RubricError` with a path relative to
the object being built (``$.weight``); the YAML loader prefixes the path and
attaches file, line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
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


def type_name(value: object) -> str:
    """The type of ``value`` as messages name it (``str``, ``NoneType``)."""
    return type(value).__name__


class Objects:
    """attrs converter: a list or tuple of ``cls`` instances, as a tuple; anything else is a
    :class:`RubricError` at ``$.field`` (or ``$.field[i]`` for a bad item).

    Example:
        >>> Objects(int, "sizes")([1, 2])
        (1, 2)
        >>> try:
        ...     Objects(int, "sizes")("12")
        ... except RubricError as err:
        ...     print(err.problems[0])
        'sizes' must be a list of int (got str '12') @ $.sizes
    """

    def __init__(self, cls: type | Callable[[], type], field: str) -> None:
        self.of = cls
        self.field = field

    @property
    def cls(self) -> type:
        """The class of the items (resolved when given as a function)."""
        return self.of if isinstance(self.of, type) else self.of()

    def __call__(self, value: object) -> tuple[Any, ...]:
        if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
            raise fail(
                f"{self.field!r} must be a list of {self.cls.__name__} "
                f"(got {type_name(value)} {brief(value)})",
                f"$.{self.field}",
                got=value,
            )
        out = tuple(value)
        for i, v in enumerate(out):
            if not isinstance(v, self.cls):
                raise fail(
                    f"{self.field}[{i}] must be a {self.cls.__name__} "
                    f"(got {type_name(v)} {brief(v)})",
                    f"$.{self.field}[{i}]",
                    got=v,
                )
        return out

    def __repr__(self) -> str:
        return f"<objects of {self.cls.__name__}>"


class OfType:
    """attrs validator: ``value`` is an instance of ``types`` (a bool is not a number), else
    a :class:`RubricError` at ``$.field`` naming what was expected and what was got.

    Example:
        >>> try:
        ...     OfType(bool, "clamp", "true or false")(None, None, None)
        ... except RubricError as err:
        ...     print(err.problems[0])
        'clamp' must be true or false (got None) @ $.clamp
    """

    def __init__(self, types: type | tuple[type, ...], field: str, expected: str) -> None:
        self.types = types
        self.field = field
        self.expected = expected

    def __call__(self, inst: Any, attr: Any, value: Any) -> None:
        if not isinstance(value, self.types):
            raise fail(
                f"{self.field!r} must be {self.expected} (got {brief(value)})",
                f"$.{self.field}",
                expected=self.expected,
                got=value,
            )

    def __repr__(self) -> str:
        return f"<{self.field} must be {self.expected}>"


def text_of(value: object, field: str) -> str:
    """``value`` as text: text as is, a number as written (``2016.1``); anything else is a
    :class:`RubricError` at ``$.field``.

    Example:
        >>> text_of("2016.1", "version"), text_of(2016, "version")
        ('2016.1', '2016')
    """
    if isinstance(value, str):
        return value
    if is_number(value) and (not isinstance(value, int) or value.bit_length() < 1000):
        return str(value)
    raise fail(
        f"{field!r} must be text or a number (got {brief(value)})",
        f"$.{field}",
        expected="text",
        got=value,
    )
