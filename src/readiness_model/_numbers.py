"""Scores as people read them: one rule for how many decimals, one way to write them.

The command line and the report both print scores through these two functions, so a
score reads the same in a terminal table, an HTML card and a workbook.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from typing import Protocol

__all__ = ["digits_for", "score_digits", "score_text"]


class _Scaled(Protocol):
    @property
    def scale(self) -> tuple[float, float]: ...
    @property
    def rounding(self) -> int | None: ...


def score_digits(scale: tuple[float, float], rounding: int | None = None) -> int:
    """Decimals to show scores with: the rubric's ``rounding`` when it sets one, else
    enough to see a ten-thousandth of the scale's span (2 for [0, 100], 3 for [0, 5],
    4 for [0, 1]), so close scores stay distinguishable.

    Example:
        >>> score_digits((0.0, 100.0)), score_digits((0.0, 5.0)), score_digits((0.0, 1.0))
        (2, 3, 4)
        >>> score_digits((0.0, 1.0), 2)
        2
    """
    if rounding is not None:
        return rounding
    span = scale[1] - scale[0]
    if not span > 0 or not math.isfinite(span):
        return 2
    return max(0, math.floor(4 - math.log10(span) + 1e-9))


def digits_for(rubric: _Scaled) -> int:
    """:func:`score_digits` of a rubric (its ``scale`` and ``rounding``).

    Example:
        >>> import readiness_model as rm
        >>> digits_for(rm.load_rubric("un-egdi-2022"))
        4
    """
    return score_digits(rubric.scale, rubric.rounding)


def score_text(x: float, digits: int = 2) -> str:
    """A score for people: ``digits`` decimals, ``–`` for NaN.

    Example:
        >>> score_text(61.234, 1), score_text(float("nan"))
        ('61.2', '–')
    """
    return "–" if math.isnan(x) else f"{x:.{digits}f}"
