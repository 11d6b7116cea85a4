"""Answer scales: how a raw answer becomes a number, and that number a score in [0, 1].

A :class:`~readiness_model.ResponseSet` stores one float per answer, the *stored
value* of the scale:

============  ==============================  =====================================
scale         stored value                    score in [0, 1]
============  ==============================  =====================================
binary        0 (no) or 1 (yes)               the stored value
ordinal       level index 0 .. k-1            i / (k - 1), or ``values[i]``
numeric       the number itself               goalposts: clamp((x - lo) / (hi - lo))
checklist     bit mask of ticked items        share ticked, or sum of item values (≤ 1)
choice        option index 0 .. k-1           ``values[i]``
============  ==============================  =====================================

``direction: lower_is_better`` on the indicator turns a score ``s`` into ``1 - s``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import numpy as np

from ._validators import check_unique, fail, is_number

__all__ = [
    "SCALE_TYPES",
    "BinaryScale",
    "BitSum",
    "ChecklistScale",
    "ChoiceScale",
    "Linear",
    "Lookup",
    "NumericScale",
    "OrdinalScale",
    "Scale",
]

_TRUE = {"yes", "y", "true", "t", "1", "1.0"}
_FALSE = {"no", "n", "false", "f", "0", "0.0"}
MAX_CHECKLIST_ITEMS = 52  # bit masks stay exact in a float64


@attrs.frozen(slots=True)
class Linear:
    """Engine form: score ``clamp((x - lo) / (hi - lo), 0, 1)`` of the stored value ``x``."""

    lo: float
    hi: float


@attrs.frozen(slots=True)
class Lookup:
    """Engine form: score ``table[int(x)]`` of the stored index ``x``."""

    table: tuple[float, ...]


@attrs.frozen(slots=True)
class BitSum:
    """Engine form: score ``min(1, sum of values[i] over the set bits i of x)``."""

    values: tuple[float, ...]


EngineForm = Linear | Lookup | BitSum


def _whole_in(col: np.ndarray, n: float) -> np.ndarray:
    """Stored values that are whole numbers in ``[0, n)``."""
    with np.errstate(invalid="ignore"):
        out: np.ndarray = np.isfinite(col) & (col == np.floor(col)) & (col >= 0) & (col < n)
    return out


def _labels(value: object, field: str) -> tuple[str, ...]:
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


def _levels(value: object) -> tuple[str, ...]:
    return _labels(value, "levels")


def _items(value: object) -> tuple[str, ...]:
    return _labels(value, "items")


def _options(value: object) -> tuple[str, ...]:
    return _labels(value, "options")


def _optional_values(value: object) -> tuple[float, ...] | None:
    return _values(value, "values")


def _option_values(value: object) -> tuple[float, ...]:
    out = _values(value, "values")
    if out is None:
        raise fail("'values' must be a list of numbers (got None)", "$.values")
    return out


def _values(value: object, field: str) -> tuple[float, ...] | None:
    if value is None:
        return None
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


def _match_label(raw: object, labels: tuple[str, ...]) -> int | None:
    """Index of ``raw`` among ``labels``: exact, then case-insensitive."""
    text = str(raw).strip()
    if text in labels:
        return labels.index(text)
    folded = [lab.casefold() for lab in labels]
    if text.casefold() in folded:
        return folded.index(text.casefold())
    return None


def _as_index(raw: object, n: int) -> int | None:
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


@attrs.frozen(slots=True)
class BinaryScale:
    """Yes/no: yes = 1, no = 0.

    Example:
        >>> s = BinaryScale()
        >>> s.parse("Yes"), s.parse(False), s.score(1.0), s.render(0.0)
        (1.0, 0.0, 1.0, 'no')

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "binary"
    continuous: ClassVar[bool] = False  # stored value is a free number

    def parse(self, raw: object) -> float:
        """Stored value of a raw answer; raises ``ValueError`` with the expectation.

        Example:
            >>> BinaryScale().parse(" Yes "), BinaryScale().parse(0)
            (1.0, 0.0)
        """
        if isinstance(raw, bool):
            return float(raw)
        if is_number(raw) and float(raw) in (0.0, 1.0):  # type: ignore[arg-type]
            return float(raw)  # type: ignore[arg-type]
        if isinstance(raw, str):
            t = raw.strip().casefold()
            if t in _TRUE:
                return 1.0
            if t in _FALSE:
                return 0.0
        raise ValueError(self.expected())

    def expected(self) -> str:
        """The accepted answers, in words.

        Example:
            >>> BinaryScale().expected()
            'yes/no (also true/false, 1/0)'
        """
        return "yes/no (also true/false, 1/0)"

    def score(self, stored: float) -> float:
        """Score in [0, 1] of a stored value.

        Example:
            >>> BinaryScale().score(1.0)
            1.0
        """
        return float(stored)

    def render(self, stored: float) -> str:
        """The stored value as an answer a person would write.

        Example:
            >>> BinaryScale().render(1.0)
            'yes'
        """
        return "yes" if stored >= 0.5 else "no"

    def stored_values(self) -> list[float]:
        """Every stored value an answer can take (for search over answers).

        Example:
            >>> BinaryScale().stored_values()
            [0.0, 1.0]
        """
        return [0.0, 1.0]

    def written(self, stored: float) -> str | float:
        """The stored value as written in an answers file (``yes``/``no``).

        Example:
            >>> BinaryScale().written(0.0)
            'no'
        """
        return self.render(stored)

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values (a float array, no NaN) are valid: 0 or 1.

        Example:
            >>> BinaryScale().valid(np.array([0.0, 1.0, 0.5])).tolist()
            [True, True, False]
        """
        out: np.ndarray = (col == 0) | (col == 1)
        return out

    def engine_form(self) -> EngineForm | None:
        """How the engine scores stored values (``None``: only relative to a population).

        Example:
            >>> BinaryScale().engine_form()
            Linear(lo=0.0, hi=1.0)
        """
        return Linear(0.0, 1.0)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> BinaryScale().to_data()
            {'type': 'binary'}
        """
        return {"type": self.type}


@attrs.frozen(slots=True)
class OrdinalScale:
    """Ordered levels; level ``i`` of ``k`` scores ``i / (k - 1)`` unless ``values`` are given.

    Explicit ``values`` must lie in [0, 1] and never decrease, so a higher level never
    scores lower.

    Example:
        >>> s = OrdinalScale(levels=("none", "some", "most", "all"))
        >>> s.parse("most"), s.score(2.0)
        (2.0, 0.6666666666666666)

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "ordinal"
    continuous: ClassVar[bool] = False  # stored value is a free number
    levels: tuple[str, ...] = attrs.field(converter=_levels)
    values: tuple[float, ...] | None = attrs.field(default=None, converter=_optional_values)

    def __attrs_post_init__(self) -> None:
        if len(self.levels) < 2:
            raise fail(
                "an ordinal scale needs at least 2 levels", "$.levels", got=list(self.levels)
            )
        dup = check_unique(self.levels, "level", "$.levels")
        if dup:
            raise fail(dup[0].message, dup[0].path)
        if self.values is not None:
            if len(self.values) != len(self.levels):
                raise fail(
                    f"'values' must have one number per level ({len(self.levels)}), "
                    f"got {len(self.values)}",
                    "$.values",
                )
            if any(b < a for a, b in zip(self.values, self.values[1:], strict=False)):
                raise fail(
                    "ordinal 'values' must not decrease from level to level",
                    "$.values",
                    hint="use a 'choice' scale for unordered options",
                )

    def parse(self, raw: object) -> float:
        """Level label (case-insensitive) or 0-based level index; returns the index.

        Raises ``ValueError`` naming the accepted answers.

        Example:
            >>> s = OrdinalScale(levels=("none", "some", "all"))
            >>> s.parse("Some"), s.parse(2)
            (1.0, 2.0)
        """
        i = _match_label(raw, self.levels) if not isinstance(raw, bool) else None
        if i is None:
            i = _as_index(raw, len(self.levels))
        if i is None:
            raise ValueError(self.expected())
        return float(i)

    def expected(self) -> str:
        """The accepted answers, in words.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).expected()
            "one of 'none', 'some', 'all' (or its 0-based index)"
        """
        return "one of " + ", ".join(repr(x) for x in self.levels) + " (or its 0-based index)"

    def table(self) -> tuple[float, ...]:
        """Score of each level.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).table()
            (0.0, 0.5, 1.0)
            >>> OrdinalScale(levels=("none", "some", "all"), values=(0, 0.8, 1)).table()
            (0.0, 0.8, 1.0)
        """
        if self.values is not None:
            return self.values
        k = len(self.levels) - 1
        return tuple(i / k for i in range(k + 1))

    def score(self, stored: float) -> float:
        """Score in [0, 1] of a level index.

        Example:
            >>> OrdinalScale(levels=("none", "some", "most", "all")).score(1.0)
            0.3333333333333333
        """
        return self.table()[int(stored)]

    def render(self, stored: float) -> str:
        """The level label.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).render(2.0)
            'all'
        """
        return self.levels[int(stored)]

    def stored_values(self) -> list[float]:
        """Every level index.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).stored_values()
            [0.0, 1.0, 2.0]
        """
        return [float(i) for i in range(len(self.levels))]

    def written(self, stored: float) -> str | float:
        """The level label.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).written(1.0)
            'some'
        """
        return self.render(stored)

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are level indices.

        Example:
            >>> OrdinalScale(levels=("none", "all")).valid(np.array([0.0, 1.0, 2.0])).tolist()
            [True, True, False]
        """
        return _whole_in(col, len(self.levels))

    def engine_form(self) -> EngineForm | None:
        """Linear over level indices, or a lookup of explicit ``values``.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).engine_form()
            Linear(lo=0.0, hi=2.0)
        """
        if self.values is None:
            return Linear(0.0, float(len(self.levels) - 1))
        return Lookup(self.values)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> OrdinalScale(levels=("no", "yes"), values=(0, 0.5)).to_data()
            {'type': 'ordinal', 'levels': ['no', 'yes'], 'values': [0.0, 0.5]}
        """
        d: dict[str, Any] = {"type": self.type, "levels": list(self.levels)}
        if self.values is not None:
            d["values"] = list(self.values)
        return d


def _goalposts(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or len(value) != 2
        or not all(is_number(v) and math.isfinite(float(v)) for v in value)
    ):
        raise fail(
            f"'goalposts' must be two finite numbers [min, max] (got {value!r})",
            "$.goalposts",
            expected="[min, max]",
            got=value,
        )
    lo, hi = float(value[0]), float(value[1])
    if not lo < hi:
        raise fail(
            f"'goalposts' must have min < max (got [{lo:g}, {hi:g}])",
            "$.goalposts",
            hint="for lower-is-better indicators keep [min, max] and set "
            "'direction: lower_is_better'",
            got=value,
        )
    return lo, hi


@attrs.frozen(slots=True)
class NumericScale:
    """A number, scored against goalposts ``[lo, hi]``: ``clamp((x - lo) / (hi - lo), 0, 1)``.

    Without goalposts the indicator must use a population-relative ``normalize``
    method (minmax, zscore, rank, percentile, target). With ``clamp: false``, a value
    outside the goalposts is an invalid answer instead of being clamped.

    Example:
        >>> s = NumericScale(goalposts=(90, 100), unit="%")
        >>> s.parse("97.5"), s.score(97.5), s.score(120.0)
        (97.5, 0.75, 1.0)

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "numeric"
    continuous: ClassVar[bool] = True  # stored value is a free number
    goalposts: tuple[float, float] | None = attrs.field(default=None, converter=_goalposts)
    unit: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    clamp: bool = attrs.field(default=True, validator=attrs.validators.instance_of(bool))

    def parse(self, raw: object) -> float:
        """A finite number (``"12.5"`` or ``12.5``); outside the goalposts only with clamp.

        A trailing unit is accepted; a bad answer raises ``ValueError`` with the expectation.

        Example:
            >>> NumericScale(goalposts=(0, 100), unit="%").parse("97.5 %")
            97.5
            >>> NumericScale(goalposts=(0, 100), clamp=False).parse(120)
            Traceback (most recent call last):
            ...
            ValueError: a number in [0, 100] (the scale does not clamp)
        """
        x: float | None = None
        if is_number(raw):
            x = float(raw)  # type: ignore[arg-type]
        elif isinstance(raw, str):
            t = raw.strip()
            if self.unit and t.endswith(self.unit):
                t = t[: -len(self.unit)].strip()
            try:
                x = None if "_" in t else float(t)  # float() would read "1_0" as 10
            except ValueError:
                x = None
        if x is None or not math.isfinite(x):
            raise ValueError(self.expected())
        if not self.clamp and self.goalposts is not None:
            lo, hi = self.goalposts
            if not lo <= x <= hi:
                raise ValueError(f"a number in [{lo:g}, {hi:g}] (the scale does not clamp)")
        return x

    def expected(self) -> str:
        """The accepted answers, in words.

        Example:
            >>> NumericScale(goalposts=(0, 100), unit="%").expected()
            'a finite number (%)'
        """
        unit = f" ({self.unit})" if self.unit else ""
        if self.goalposts is not None and not self.clamp:
            return f"a number in [{self.goalposts[0]:g}, {self.goalposts[1]:g}]{unit}"
        return f"a finite number{unit}"

    def score(self, stored: float) -> float:
        """Goalpost score in [0, 1]; requires goalposts (else ``ValueError``).

        Example:
            >>> s = NumericScale(goalposts=(90, 100))
            >>> s.score(95.0), s.score(80.0)
            (0.5, 0.0)
        """
        if self.goalposts is None:
            raise ValueError("a numeric scale without goalposts has no fixed score")
        lo, hi = self.goalposts
        return min(1.0, max(0.0, (stored - lo) / (hi - lo)))

    def render(self, stored: float) -> str:
        """The number, exactly (``repr`` of the float).

        Example:
            >>> NumericScale(goalposts=(0, 1)).render(0.1 + 0.2)
            '0.30000000000000004'
        """
        return repr(float(stored))

    def stored_values(self) -> list[float]:
        """The goalposts (the only values worth proposing).

        Example:
            >>> NumericScale(goalposts=(90, 100)).stored_values(), NumericScale().stored_values()
            ([90.0, 100.0], [])
        """
        return list(self.goalposts) if self.goalposts is not None else []

    def written(self, stored: float) -> str | float:
        """The number itself (a float).

        Example:
            >>> NumericScale(goalposts=(0, 1)).written(0.5)
            0.5
        """
        return float(stored)

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Finite numbers, within the goalposts when the scale does not clamp.

        Example:
            >>> s = NumericScale(goalposts=(0, 1), clamp=False)
            >>> s.valid(np.array([0.5, 2.0, np.inf])).tolist()
            [True, False, False]
        """
        ok: np.ndarray = np.isfinite(col)
        if not self.clamp and self.goalposts is not None:
            with np.errstate(invalid="ignore"):
                ok &= (col >= self.goalposts[0]) & (col <= self.goalposts[1])
        return ok

    def engine_form(self) -> EngineForm | None:
        """Linear between the goalposts; ``None`` without goalposts.

        Example:
            >>> NumericScale(goalposts=(90, 100)).engine_form(), NumericScale().engine_form()
            (Linear(lo=90.0, hi=100.0), None)
        """
        return None if self.goalposts is None else Linear(*self.goalposts)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> NumericScale(goalposts=(90, 100), unit="%").to_data()
            {'type': 'numeric', 'goalposts': [90.0, 100.0], 'unit': '%'}
        """
        d: dict[str, Any] = {"type": self.type}
        if self.goalposts is not None:
            d["goalposts"] = list(self.goalposts)
        if self.unit:
            d["unit"] = self.unit
        if not self.clamp:
            d["clamp"] = False
        return d


@attrs.frozen(slots=True)
class ChecklistScale:
    """Tick the items that apply; scores the share ticked, or the sum of item ``values`` (≤ 1).

    Answers are a list of items or ``"a|b|c"``; ``"none"`` (or an empty list) ticks nothing.

    Example:
        >>> s = ChecklistScale(items=("cloud", "data", "security", "design"))
        >>> s.parse("cloud|data"), s.score(3.0), s.render(3.0)
        (3.0, 0.5, 'cloud|data')

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "checklist"
    continuous: ClassVar[bool] = False  # stored value is a free number
    items: tuple[str, ...] = attrs.field(converter=_items)
    values: tuple[float, ...] | None = attrs.field(default=None, converter=_optional_values)

    def __attrs_post_init__(self) -> None:
        if not self.items:
            raise fail("a checklist needs at least one item", "$.items")
        if len(self.items) > MAX_CHECKLIST_ITEMS:
            raise fail(
                f"a checklist holds at most {MAX_CHECKLIST_ITEMS} items (got {len(self.items)})",
                "$.items",
                hint="split it into several indicators",
            )
        dup = check_unique(self.items, "item", "$.items")
        if dup:
            raise fail(dup[0].message, dup[0].path)
        for i, it in enumerate(self.items):
            if "|" in it or it.casefold() == "none":
                raise fail(
                    f"checklist item {it!r} may not contain '|' or be 'none'", f"$.items[{i}]"
                )
        if self.values is not None and len(self.values) != len(self.items):
            raise fail(
                f"'values' must have one number per item ({len(self.items)}), "
                f"got {len(self.values)}",
                "$.values",
            )

    def item_values(self) -> tuple[float, ...]:
        """What each ticked item adds to the score.

        Example:
            >>> ChecklistScale(items=("cloud", "data", "security", "design")).item_values()
            (0.25, 0.25, 0.25, 0.25)
        """
        if self.values is not None:
            return self.values
        return tuple(1.0 / len(self.items) for _ in self.items)

    def parse(self, raw: object) -> float:
        """A list of items, or ``"a|b|c"``; returns the bit mask of ticked items.

        Raises ``ValueError`` naming the accepted answers for an unknown item.

        Example:
            >>> s = ChecklistScale(items=("cloud", "data", "security"))
            >>> s.parse("data|security"), s.parse(["cloud"]), s.parse("none")
            (6.0, 1.0, 0.0)
        """
        if isinstance(raw, str):
            t = raw.strip()
            parts: list[object] = [] if t.casefold() in ("none", "[]") else [*t.split("|")]
        elif isinstance(raw, list | tuple | set | frozenset):
            parts = [*raw]
        else:
            raise ValueError(self.expected())
        mask = 0
        for p in parts:
            if not isinstance(p, str):
                raise ValueError(self.expected())
            i = _match_label(p, self.items)
            if i is None:
                raise ValueError(self.expected())
            mask |= 1 << i
        return float(mask)

    def expected(self) -> str:
        """The accepted answers, in words.

        Example:
            >>> ChecklistScale(items=("cloud", "data")).expected()
            "items separated by '|' from 'cloud', 'data' (or 'none')"
        """
        return (
            "items separated by '|' from " + ", ".join(repr(x) for x in self.items) + " (or 'none')"
        )

    def ticked(self, stored: float) -> tuple[str, ...]:
        """The items ticked in a stored bit mask.

        Example:
            >>> ChecklistScale(items=("cloud", "data", "security")).ticked(5.0)
            ('cloud', 'security')
        """
        m = int(stored)
        return tuple(it for i, it in enumerate(self.items) if m >> i & 1)

    def score(self, stored: float) -> float:
        """Sum of the ticked items' values, capped at 1.

        Example:
            >>> ChecklistScale(items=("cloud", "data"), values=(0.7, 0.7)).score(3.0)
            1.0
        """
        vals = self.item_values()
        m = int(stored)
        return min(1.0, math.fsum(v for i, v in enumerate(vals) if m >> i & 1))

    def render(self, stored: float) -> str:
        """``"a|b"``, or ``"none"``.

        Example:
            >>> s = ChecklistScale(items=("cloud", "data", "security"))
            >>> s.render(6.0), s.render(0.0)
            ('data|security', 'none')
        """
        return "|".join(self.ticked(stored)) or "none"

    def stored_values(self) -> list[float]:
        """Masks of one more item at a time, in item order (the cumulative ticks).

        Example:
            >>> ChecklistScale(items=("cloud", "data", "security")).stored_values()
            [0.0, 1.0, 3.0, 7.0]
        """
        return [float((1 << k) - 1) for k in range(len(self.items) + 1)]

    def written(self, stored: float) -> str | float:
        """The ticked items, ``a|b``, or ``none``.

        Example:
            >>> ChecklistScale(items=("a", "b")).written(3.0)
            'a|b'
        """
        return self.render(stored)

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are bit masks of the items.

        Example:
            >>> ChecklistScale(items=("a", "b")).valid(np.array([3.0, 4.0])).tolist()
            [True, False]
        """
        return _whole_in(col, 2.0 ** len(self.items))

    def engine_form(self) -> EngineForm | None:
        """Sum of the ticked items' values.

        Example:
            >>> ChecklistScale(items=("a", "b")).engine_form()
            BitSum(values=(0.5, 0.5))
        """
        return BitSum(self.item_values())

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> ChecklistScale(items=("cloud", "data")).to_data()
            {'type': 'checklist', 'items': ['cloud', 'data']}
        """
        d: dict[str, Any] = {"type": self.type, "items": list(self.items)}
        if self.values is not None:
            d["values"] = list(self.values)
        return d


@attrs.frozen(slots=True)
class ChoiceScale:
    """One option out of several, each with its own score in [0, 1].

    Example:
        >>> s = ChoiceScale(options=("none", "cloud", "on-premise"), values=(0, 1, 0.5))
        >>> s.parse("cloud"), s.score(2.0)
        (1.0, 0.5)

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "choice"
    continuous: ClassVar[bool] = False  # stored value is a free number
    options: tuple[str, ...] = attrs.field(converter=_options)
    values: tuple[float, ...] = attrs.field(converter=_option_values)

    def __attrs_post_init__(self) -> None:
        if len(self.options) < 2:
            raise fail("a choice scale needs at least 2 options", "$.options")
        dup = check_unique(self.options, "option", "$.options")
        if dup:
            raise fail(dup[0].message, dup[0].path)
        if self.values is None or len(self.values) != len(self.options):
            raise fail(
                f"'values' must have one number per option ({len(self.options)})", "$.values"
            )

    def parse(self, raw: object) -> float:
        """The option label (case-insensitive); returns its index.

        Raises ``ValueError`` naming the accepted answers.

        Example:
            >>> ChoiceScale(options=("none", "cloud", "on-premise"), values=(0, 1, 0.5)).parse(
            ...     "On-Premise"
            ... )
            2.0
        """
        i = None if isinstance(raw, bool) else _match_label(raw, self.options)
        if i is None:
            raise ValueError(self.expected())
        return float(i)

    def expected(self) -> str:
        """The accepted answers, in words.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).expected()
            "one of 'none', 'cloud'"
        """
        return "one of " + ", ".join(repr(x) for x in self.options)

    def table(self) -> tuple[float, ...]:
        """Score of each option.

        Example:
            >>> ChoiceScale(options=("none", "cloud", "on-premise"), values=(0, 1, 0.5)).table()
            (0.0, 1.0, 0.5)
        """
        return self.values

    def score(self, stored: float) -> float:
        """Score of an option index.

        Example:
            >>> ChoiceScale(options=("none", "cloud", "on-premise"), values=(0, 1, 0.5)).score(2.0)
            0.5
        """
        return self.values[int(stored)]

    def render(self, stored: float) -> str:
        """The option label.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).render(1.0)
            'cloud'
        """
        return self.options[int(stored)]

    def stored_values(self) -> list[float]:
        """Every option index.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).stored_values()
            [0.0, 1.0]
        """
        return [float(i) for i in range(len(self.options))]

    def written(self, stored: float) -> str | float:
        """The option label.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).written(1.0)
            'cloud'
        """
        return self.render(stored)

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are option indices.

        Example:
            >>> ChoiceScale(options=("x", "y"), values=(0, 1)).valid(np.array([1.0, 1.5])).tolist()
            [True, False]
        """
        return _whole_in(col, len(self.options))

    def engine_form(self) -> EngineForm | None:
        """A lookup of the option values.

        Example:
            >>> ChoiceScale(options=("x", "y"), values=(0, 1)).engine_form()
            Lookup(table=(0.0, 1.0))
        """
        return Lookup(self.values)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).to_data()
            {'type': 'choice', 'options': ['none', 'cloud'], 'values': [0.0, 1.0]}
        """
        return {"type": self.type, "options": list(self.options), "values": list(self.values)}


Scale = BinaryScale | OrdinalScale | NumericScale | ChecklistScale | ChoiceScale
SCALE_TYPES: dict[str, type[Any]] = {
    "binary": BinaryScale,
    "ordinal": OrdinalScale,
    "numeric": NumericScale,
    "checklist": ChecklistScale,
    "choice": ChoiceScale,
}
