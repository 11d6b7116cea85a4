"""The checklist scale: tick the items that apply."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._forms import Labels, key
from .._validators import check_unique, fail
from ._base import BitSum, EngineForm, Scale
from ._common import VALUES, labels, match_label, optional_values, whole_in
from ._registry import register_scale

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["MAX_CHECKLIST_ITEMS", "ChecklistScale"]

MAX_CHECKLIST_ITEMS = 52  # bit masks stay exact in a float64


def _items(value: object) -> tuple[str, ...]:
    return labels(value, "items")


@register_scale
@attrs.frozen(slots=True)
class ChecklistScale(Scale):
    """Tick the items that apply; scores the share ticked, or the sum of item ``values`` (≤ 1).

    Answers are a list of items or ``"a|b|c"``; ``"none"`` (or an empty list) ticks nothing.

    Example:
        >>> s = ChecklistScale(items=("cloud", "data", "security", "design"))
        >>> s.parse("cloud|data"), s.score(3.0), s.render(3.0)
        (3.0, 0.5, 'cloud|data')

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "checklist"
    continuous: ClassVar[bool] = False
    items: tuple[str, ...] = attrs.field(
        converter=_items,
        metadata=key(
            "The items.", Labels(min_items=1, max_items=MAX_CHECKLIST_ITEMS, checklist=True)
        ),
    )
    values: tuple[float, ...] | None = attrs.field(
        default=None,
        converter=optional_values,
        metadata=key("What each ticked item adds (default: equal shares).", VALUES),
    )

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
            i = match_label(p, self.items)
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

    def written(self, stored: float) -> str | float:
        """The ticked items, ``a|b``, or ``none``.

        Example:
            >>> s = ChecklistScale(items=("cloud", "data", "security"))
            >>> s.written(6.0), s.written(0.0)
            ('data|security', 'none')
        """
        return "|".join(self.ticked(stored)) or "none"

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values are bit masks of the items.

        Example:
            >>> ChecklistScale(items=("a", "b")).valid(np.array([3.0, 4.0])).tolist()
            [True, False]
        """
        return whole_in(col, 2.0 ** len(self.items))

    def engine_form(self) -> EngineForm | None:
        """Sum of the ticked items' values.

        Example:
            >>> ChecklistScale(items=("a", "b")).engine_form()
            BitSum(values=(0.5, 0.5))
        """
        return BitSum(self.item_values())

    def stored_values(self) -> list[float]:
        """Masks of one more item at a time, in item order (the cumulative ticks).

        Example:
            >>> ChecklistScale(items=("cloud", "data", "security")).stored_values()
            [0.0, 1.0, 3.0, 7.0]
        """
        return [float((1 << k) - 1) for k in range(len(self.items) + 1)]

    def candidates(self, current: float | None) -> list[float]:
        """From the current ticks, one more item at a time, the most valuable first
        (unanswered: starting from no tick).

        Example:
            >>> s = ChecklistScale(items=("a", "b", "c"), values=(0.2, 0.5, 0.3))
            >>> s.candidates(1.0), s.candidates(None)
            ([3.0, 7.0], [0.0, 2.0, 6.0, 7.0])
        """
        m = 0 if current is None or math.isnan(current) else int(current)
        vals = self.item_values()
        free = sorted((i for i in range(len(self.items)) if not m >> i & 1), key=lambda i: -vals[i])
        out = [float(m)] if current is None or math.isnan(current) else []
        for i in free:
            m |= 1 << i
            out.append(float(m))
        return out

    def added_items(self, before: float | None, after: float) -> tuple[str, ...]:
        """The items ``after`` ticks that ``before`` did not.

        Example:
            >>> ChecklistScale(items=("a", "b", "c")).added_items(1.0, 7.0)
            ('b', 'c')
        """
        had = set() if before is None or math.isnan(before) else set(self.ticked(before))
        return tuple(i for i in self.ticked(after) if i not in had)

    def answers(self) -> SearchStrategy[Any]:
        """Lists of distinct items.

        Example:
            >>> from hypothesis import find
            >>> find(ChecklistScale(items=("a", "b")).answers(), lambda a: len(a) == 2)
            ['a', 'b']
        """
        from hypothesis import strategies as st

        return st.lists(st.sampled_from(self.items), unique=True)

    @classmethod
    def instances(cls, *, fixed: bool = False) -> SearchStrategy[Scale]:
        """Checklists of 1-5 items, with or without item values.

        Example:
            >>> from hypothesis import find
            >>> find(ChecklistScale.instances(), lambda s: True)
            ChecklistScale(items=('item',), values=None)
        """
        from hypothesis import strategies as st

        from ._draw import labels as draw_labels
        from ._draw import unit_values

        @st.composite
        def build(draw: Any) -> Scale:
            items = draw(draw_labels(1, 5, checklist=True))
            vals = draw(unit_values(len(items), sort=False)) if draw(st.booleans()) else None
            return cls(items=items, values=vals)

        return build()
