"""The binary scale: yes = 1, no = 0."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._validators import finite, is_number
from ._base import EngineForm, Linear, Scale
from ._registry import register_scale

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["BinaryScale"]

_TRUE = {"yes", "y", "true", "t", "1", "1.0"}
_FALSE = {"no", "n", "false", "f", "0", "0.0"}


@register_scale
@attrs.frozen(slots=True)
class BinaryScale(Scale):
    """Yes/no: yes = 1, no = 0.

    Example:
        >>> s = BinaryScale()
        >>> s.parse("Yes"), s.parse(False), s.score(1.0), s.render(0.0)
        (1.0, 0.0, 1.0, 'no')

    .. versionadded:: 0.1.0
    """

    type: ClassVar[str] = "binary"
    continuous: ClassVar[bool] = False

    def parse(self, raw: object) -> float:
        """Stored value of a raw answer; raises ``ValueError`` with the expectation.

        Example:
            >>> BinaryScale().parse(" Yes "), BinaryScale().parse(0)
            (1.0, 0.0)
        """
        if isinstance(raw, bool):
            return float(raw)
        if is_number(raw) and finite(raw) in (0.0, 1.0):
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

    def written(self, stored: float) -> str | float:
        """``yes`` or ``no``.

        Example:
            >>> BinaryScale().written(0.0)
            'no'
        """
        return "yes" if stored >= 0.5 else "no"

    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values (a float array, no NaN) are valid: 0 or 1.

        Example:
            >>> BinaryScale().valid(np.array([0.0, 1.0, 0.5])).tolist()
            [True, True, False]
        """
        out: np.ndarray = (col == 0) | (col == 1)
        return out

    def engine_form(self) -> EngineForm | None:
        """Linear over 0 .. 1.

        Example:
            >>> BinaryScale().engine_form()
            Linear(lo=0.0, hi=1.0)
        """
        return Linear(0.0, 1.0)

    def stored_values(self) -> list[float]:
        """Both answers.

        Example:
            >>> BinaryScale().stored_values()
            [0.0, 1.0]
        """
        return [0.0, 1.0]

    def answers(self) -> SearchStrategy[Any]:
        """Booleans and their words.

        Example:
            >>> from hypothesis import find
            >>> find(BinaryScale().answers(), lambda a: isinstance(a, str))
            'yes'
        """
        from hypothesis import strategies as st

        return st.sampled_from([True, False, "yes", "no"])
