"""The ordinal scale: ordered levels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._forms import Labels, key
from .._validators import check_unique, fail
from ._base import EngineForm, Linear, Lookup, Scale
from ._common import VALUES, as_index, labels, match_label, optional_values, whole_in
from ._registry import register_scale

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["OrdinalScale"]


def _levels(value: object) -> tuple[str, ...]:
    return labels(value, "levels")


@register_scale
@attrs.frozen(slots=True)
class OrdinalScale(Scale):
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
    continuous: ClassVar[bool] = False
    levels: tuple[str, ...] = attrs.field(
        converter=_levels,
        metadata=key("The levels, lowest first.", Labels(min_items=2)),
    )
    values: tuple[float, ...] | None = attrs.field(
        default=None,
        converter=optional_values,
        metadata=key("Score of each level (non-decreasing).", VALUES),
    )

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
        i = match_label(raw, self.levels) if not isinstance(raw, bool) else None
        if i is None:
            i = as_index(raw, len(self.levels))
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

    def written(self, stored: float) -> str | float:
        """The level label.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).written(1.0)
            'some'
        """
        return self.levels[int(stored)]

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are level indices.

        Example:
            >>> OrdinalScale(levels=("none", "all")).valid(np.array([0.0, 1.0, 2.0])).tolist()
            [True, True, False]
        """
        return whole_in(col, len(self.levels))

    def engine_form(self) -> EngineForm | None:
        """Linear over level indices, or a lookup of explicit ``values``.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).engine_form()
            Linear(lo=0.0, hi=2.0)
        """
        if self.values is None:
            return Linear(0.0, float(len(self.levels) - 1))
        return Lookup(self.values)

    def stored_values(self) -> list[float]:
        """Every level index.

        Example:
            >>> OrdinalScale(levels=("none", "some", "all")).stored_values()
            [0.0, 1.0, 2.0]
        """
        return [float(i) for i in range(len(self.levels))]

    def answers(self) -> SearchStrategy[Any]:
        """Level labels.

        Example:
            >>> from hypothesis import find
            >>> find(OrdinalScale(levels=("none", "all")).answers(), lambda a: a != "none")
            'all'
        """
        from hypothesis import strategies as st

        return st.sampled_from(self.levels)

    @classmethod
    def instances(cls, *, fixed: bool = False) -> SearchStrategy[Scale]:
        """Ordinal scales of 2-5 levels, with or without explicit values.

        Example:
            >>> from hypothesis import find
            >>> len(find(OrdinalScale.instances(), lambda s: s.values is not None).levels)
            2
        """
        from hypothesis import strategies as st

        from ._draw import labels as draw_labels
        from ._draw import unit_values

        @st.composite
        def build(draw: Any) -> Scale:
            levels = draw(draw_labels(2, 5))
            vals = draw(unit_values(len(levels), sort=True)) if draw(st.booleans()) else None
            return cls(levels=levels, values=vals)

        return build()
