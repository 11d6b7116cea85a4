"""The choice scale: one option out of several, each with its own score."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._forms import Labels, key
from .._validators import check_unique, fail
from ._base import EngineForm, Lookup, Scale
from ._common import VALUES, labels, match_label, values, whole_in
from ._registry import register_scale

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["ChoiceScale"]


def _options(value: object) -> tuple[str, ...]:
    return labels(value, "options")


@register_scale
@attrs.frozen(slots=True)
class ChoiceScale(Scale):
    """One option out of several, each with its own score in [0, 1].

    Example:
        >>> s = ChoiceScale(options=("none", "cloud", "on-premise"), values=(0, 1, 0.5))
        >>> s.parse("cloud"), s.score(2.0)
        (1.0, 0.5)

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "choice"
    continuous: ClassVar[bool] = False
    options: tuple[str, ...] = attrs.field(
        converter=_options,
        metadata=key("The options.", Labels(min_items=2)),
    )
    values: tuple[float, ...] = attrs.field(
        converter=values, metadata=key("Score of each option.", VALUES)
    )

    def __attrs_post_init__(self) -> None:
        if len(self.options) < 2:
            raise fail("a choice scale needs at least 2 options", "$.options")
        dup = check_unique(self.options, "option", "$.options")
        if dup:
            raise fail(dup[0].message, dup[0].path)
        if len(self.values) != len(self.options):
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
        i = None if isinstance(raw, bool) else match_label(raw, self.options)
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

    def written(self, stored: float) -> str | float:
        """The option label.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).written(1.0)
            'cloud'
        """
        return self.options[int(stored)]

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are option indices.

        Example:
            >>> ChoiceScale(options=("x", "y"), values=(0, 1)).valid(np.array([1.0, 1.5])).tolist()
            [True, False]
        """
        return whole_in(col, len(self.options))

    def engine_form(self) -> EngineForm | None:
        """A lookup of the option values.

        Example:
            >>> ChoiceScale(options=("x", "y"), values=(0, 1)).engine_form()
            Lookup(table=(0.0, 1.0))
        """
        return Lookup(self.values)

    def stored_values(self) -> list[float]:
        """Every option index.

        Example:
            >>> ChoiceScale(options=("none", "cloud"), values=(0, 1)).stored_values()
            [0.0, 1.0]
        """
        return [float(i) for i in range(len(self.options))]

    def answers(self) -> SearchStrategy[Any]:
        """Option labels.

        Example:
            >>> from hypothesis import find
            >>> find(ChoiceScale(options=("x", "y"), values=(0, 1)).answers(), lambda a: a != "x")
            'y'
        """
        from hypothesis import strategies as st

        return st.sampled_from(self.options)

    @classmethod
    def instances(cls, *, fixed: bool = False) -> SearchStrategy[Scale]:
        """Choice scales of 2-5 options, each with a value.

        Example:
            >>> from hypothesis import find
            >>> find(ChoiceScale.instances(), lambda s: True)
            ChoiceScale(options=('none', '1'), values=(0.0, 0.0))
        """
        from hypothesis import strategies as st

        from ._draw import labels as draw_labels
        from ._draw import unit_values

        @st.composite
        def build(draw: Any) -> Scale:
            options = draw(draw_labels(2, 5))
            return cls(options=options, values=draw(unit_values(len(options), sort=False)))

        return build()
