"""Targets written as people can use them: rounded the way that still reaches them.

A score threshold shows at the rubric's rounding, rounded up (a score at the shown number
meets it). A proposed answer shows as its scale accepts it: the level, option or
``yes``/``no`` label, the checklist items, or for a free number the rubric's rounding in
the direction that still reaches the target (up when higher is better, down when lower
is), within the goalposts of a scale that does not clamp.

>>> threshold_text(66.666666, 2), threshold_text(60.0, 2)
('66.67', '60')
"""

from __future__ import annotations

import math

from ..model import Indicator

__all__ = ["answer_text", "round_toward", "threshold_text"]

_SLACK = 1e-9  # a number already at a rounding step stays there


def round_toward(value: float, digits: int, up: bool) -> float:
    """``value`` rounded to ``digits`` decimals, up or down (never past a value that is
    already at that many decimals).

    Example:
        >>> round_toward(80.39077, 2, up=True), round_toward(80.39077, 2, up=False)
        (80.4, 80.39)
        >>> round_toward(80.4, 2, up=True)
        80.4
        >>> round_toward(1e308, 2, up=True)
        1e+308

    .. versionadded:: 0.2.0
    """
    step = 10.0**digits
    scaled = value * step
    if not math.isfinite(scaled):  # too large to round at this step: already whole
        return value
    whole = math.ceil(scaled - _SLACK) if up else math.floor(scaled + _SLACK)
    return whole / step


def _plain(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold_text(value: float, digits: int) -> str:
    """A score a rule requires, at ``digits`` decimals rounded up, without trailing zeros.

    Example:
        >>> threshold_text(59.99999, 1), threshold_text(75.0, 2)
        ('60', '75')

    .. versionadded:: 0.2.0
    """
    return _plain(round_toward(value, digits, up=True), digits)


def answer_text(indicator: Indicator, stored: float, digits: int = 2) -> str:
    """A proposed answer to ``indicator`` as its scale accepts it.

    Args:
        indicator: The indicator (its scale and direction decide the writing).
        stored: The stored value of the answer (``Change.stored`` of a gap plan).
        digits: Decimals of a free number (the rubric's rounding).

    Returns:
        A label (levels, options, ``yes``/``no``, checklist items ``a|b``) or a number
        rounded toward better by ``digits`` decimals, with the scale's unit.

    Example:
        >>> import readiness_model as rm
        >>> share = rm.NumericScale(goalposts=(50, 100), unit="%")
        >>> pct = rm.Indicator("e_procurement", scale=share)
        >>> answer_text(pct, 80.39077)
        '80.4 %'
        >>> level = rm.Indicator("m", scale=rm.OrdinalScale(levels=("none", "some", "all")))
        >>> answer_text(level, 1.0)
        'some'

    .. versionadded:: 0.2.0
    """
    scale = indicator.scale
    if not scale.continuous:
        return str(scale.written(stored))
    up = indicator.direction != "lower_is_better"
    value = round_toward(stored, digits, up)
    goalposts = getattr(scale, "goalposts", None)
    if goalposts is not None and not getattr(scale, "clamp", True):
        value = min(max(value, goalposts[0]), goalposts[1])
    unit = str(getattr(scale, "unit", "") or "")
    return _plain(value, digits) + (f" {unit}" if unit else "")
