"""The numeric scale: a number, scored against goalposts (or relative to a population)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._forms import Bool, Raw, Str, key
from .._validators import OfType, brief, fail, finite, is_number
from ._base import EngineForm, Linear, Scale
from ._registry import register_scale

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["NumericScale"]


def _goalposts(value: object) -> tuple[float, float] | None:
    if value is None:
        return None
    if (
        isinstance(value, str)
        or not isinstance(value, Sequence)
        or len(value) != 2
        or not all(finite(v) is not None for v in value)
    ):
        raise fail(
            f"'goalposts' must be two finite numbers [min, max] (got {brief(value)})",
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


_GOALPOSTS = Raw(
    {
        "type": "array",
        "items": {
            "type": "number",
            "minimum": -1.7976931348623157e308,
            "maximum": 1.7976931348623157e308,
        },
        "minItems": 2,
        "maxItems": 2,
    },
    writer=list,
)


def _number(text: str) -> float | None:
    """``float(text)``, or ``None`` when it is not a number (``"1_0"`` too, which
    ``float`` would read as 10)."""
    if "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


@register_scale
@attrs.frozen(slots=True)
class NumericScale(Scale):
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
    continuous: ClassVar[bool] = True
    goalposts: tuple[float, float] | None = attrs.field(
        default=None,
        converter=_goalposts,
        metadata=key("[min, max] mapped to [0, 1].", _GOALPOSTS),
    )
    unit: str = attrs.field(
        default="",
        validator=OfType(str, "unit", "text"),
        metadata=key("Unit shown with the number.", Str()),
    )
    clamp: bool = attrs.field(
        default=True,
        validator=OfType(bool, "clamp", "true or false"),
        metadata=key("Clamp values outside the goalposts (default true).", Bool()),
    )

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
            x = finite(raw)
        elif isinstance(raw, str):
            t = raw.strip()
            x = _number(t)  # a plain number is read as written, whatever the unit
            if x is None and self.unit and t.endswith(self.unit):
                x = _number(t[: -len(self.unit)].strip())
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

    def stored_values(self) -> list[float]:
        """The goalposts (the only values worth proposing).

        Example:
            >>> NumericScale(goalposts=(90, 100)).stored_values(), NumericScale().stored_values()
            ([90.0, 100.0], [])
        """
        return list(self.goalposts) if self.goalposts is not None else []

    def answers(self) -> SearchStrategy[Any]:
        """Numbers; a clamped scale's often beyond the goalposts (where a missing clamp
        would show).

        Example:
            >>> from hypothesis import find
            >>> find(NumericScale(goalposts=(0, 10)).answers(), lambda x: x > 10) > 10
            True
        """
        from hypothesis import strategies as st

        if self.goalposts is None:
            return st.floats(-1e3, 1e3)
        lo, hi = self.goalposts
        if not self.clamp:
            return st.floats(lo, hi)
        span = hi - lo  # goalposts near the float limit: keep every answer finite
        beyond = st.sampled_from(
            [x for x in (lo - span, hi + span, lo - 1.0, hi + 1.0) if math.isfinite(x)]
        )
        inside = st.floats(lo - span / 2, hi + span / 2, allow_nan=False, allow_infinity=False)
        return inside | st.sampled_from([lo, hi]) | beyond

    @classmethod
    def instances(cls, *, fixed: bool = False) -> SearchStrategy[Scale]:
        """Numeric scales, with goalposts when ``fixed`` (else sometimes), any unit and clamp.

        Example:
            >>> from hypothesis import find
            >>> find(NumericScale.instances(fixed=True), lambda s: True).goalposts is not None
            True
        """
        from hypothesis import strategies as st

        from ._draw import awkward_floats

        @st.composite
        def build(draw: Any) -> Scale:
            goalposts = None
            if fixed or draw(st.booleans()):
                a, b = draw(
                    st.lists(awkward_floats(-1e6, 1e6), min_size=2, max_size=2, unique=True)
                )
                goalposts = (min(a, b), max(a, b))
            return cls(
                goalposts=goalposts,
                unit=draw(st.sampled_from(["", "%", "hours"])),
                clamp=draw(st.booleans()),
            )

        return build()
