"""Answers that look wrong: flagged, never silently clamped.

Two rules, on numeric (continuous) indicators:

* **far outside the goalposts**: an answer more than the goalposts' width below the
  lower or above the upper goalpost (for goalposts [95, 100]: below 90 or above 105).
  A clamping scale scores it as the goalpost, which hides a wrong unit (``0.995`` for
  99.5 %) or a typo (``9950``).
* **a percentage written as fractions**: every answer of a percentage indicator (its
  scale's ``unit`` is ``"%"``) lies in [0, 1] and one at least lies strictly between,
  while its goalposts reach above 1 (or it has none). That is what converting
  ``99.5%`` cells through a tool that reads the underlying fraction gives.

A column whose answers look like fractions gets one warning for the column, not one
per cell. The checks read only the scale's protocol (``continuous``, ``engine_form``,
its YAML data), never its class.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import Location, Problem
from ..model.scales import Linear

__all__ = ["MAX_PER_INDICATOR", "answer_problems", "is_percentage"]

MAX_PER_INDICATOR = 20
"""At most this many far-outside answers are listed per indicator (then a count)."""

Locate = Callable[[int, str], tuple[Location | None, str]]


def is_percentage(scale: Any) -> bool:
    """Whether answers of ``scale`` are percentages: a continuous scale whose ``unit``
    (in its YAML data) is ``"%"``.

    Example:
        >>> from readiness_model import NumericScale
        >>> is_percentage(NumericScale(goalposts=(0, 100), unit="%")), is_percentage(
        ...     NumericScale(goalposts=(0, 1)))
        (True, False)
    """
    return bool(scale.continuous) and scale.to_data().get("unit") == "%"


def _goalposts(scale: Any) -> tuple[float, float] | None:
    form = scale.engine_form()
    return (form.lo, form.hi) if isinstance(form, Linear) else None


BLOCK_ROWS = 1 << 15


def _suspects(rubric: Any, values: np.ndarray) -> list[int]:
    """The continuous columns that may hold a problem: an answer far outside the
    goalposts, or (a percentage) every answer in [0, 1]; found in one pass over blocks
    of rows, so that only those columns are looked at cell by cell."""
    cols, lo, hi, pct = [], [], [], []
    for j, x in enumerate(rubric.indicators):
        if not x.scale.continuous:
            continue
        posts = _goalposts(x.scale)
        percentage = is_percentage(x.scale) and (posts is None or posts[1] > 1)
        if posts is None and not percentage:
            continue
        a, b = posts if posts is not None else (np.nan, np.nan)
        cols.append(j)
        lo.append(a - (b - a))
        hi.append(b + (b - a))
        pct.append(percentage)
    if not cols:
        return []
    low, high, is_pct = np.array(lo), np.array(hi), np.array(pct)
    far = np.zeros(len(cols), bool)
    outside_01 = ~is_pct  # (only percentages are checked for fractions)
    inside_01 = np.zeros(len(cols), bool)
    with np.errstate(invalid="ignore"):
        for r0 in range(0, len(values), BLOCK_ROWS):
            block = values[r0 : r0 + BLOCK_ROWS, cols]
            far |= ((block < low) | (block > high)).any(axis=0)
            if is_pct.any():
                outside_01 |= ((block < 0) | (block > 1)).any(axis=0)
                inside_01 |= ((block > 0) & (block < 1)).any(axis=0)
    return [j for j, f, p in zip(cols, far, ~outside_01 & inside_01, strict=True) if f or p]


def answer_problems(
    rubric: Any,
    values: np.ndarray,
    agencies: Sequence[str],
    periods: Sequence[Any],
    locate: Locate | None = None,
) -> list[Problem]:
    """The answers that look wrong, as located problems (to warn with, or to raise).

    Args:
        rubric: The rubric (its indicators are the columns of ``values``).
        values: Stored values, N × M (NaN: no answer).
        agencies: One agency id per row.
        periods: One period per row.
        locate: ``(row, indicator id) -> (location, path)`` of a cell in its file;
            without it a cell is named by agency, period and indicator.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator(
        ...     "uptime", scale=rm.NumericScale(goalposts=(95, 100), unit="%"))])])
        >>> p = answer_problems(r, np.array([[0.995], [0.98]]), "ab", [1, 1])[0]
        >>> print(p.message.replace(" (", "\\n(").replace(": ", ":\\n"))
        every answer of percentage indicator 'uptime' lies in [0, 1]
        (0.995 for agency 'a', period 1):
        percentages written as fractions?
        >>> p = answer_problems(r, np.array([[99.0], [9950.0]]), "ab", [1, 1])[0]
        >>> print(p.message.replace("; ", ";\\n"))
        answer 9950 for 'uptime' (agency 'b', period 1) is far above the goalposts [95, 100];
        it counts as 100
    """
    out: list[Problem] = []

    def where(i: int, ind: str) -> tuple[Location | None, str]:
        if locate is not None:
            return locate(i, ind)
        return None, f"agency {agencies[i]!r}, period {periods[i]!r}, indicator {ind!r}"

    for j in _suspects(rubric, values):
        x = rubric.indicators[j]
        col = values[:, j]
        have = np.flatnonzero(~np.isnan(col))
        if not len(have):
            continue
        posts = _goalposts(x.scale)
        got = col[have]
        if (
            is_percentage(x.scale)
            and (posts is None or posts[1] > 1)
            and bool(((got >= 0) & (got <= 1)).all())
            and bool(((got > 0) & (got < 1)).any())
        ):
            i = int(have[np.flatnonzero((got > 0) & (got < 1))[0]])
            loc, path = where(i, x.id)
            out.append(
                Problem(
                    f"every answer of percentage indicator {x.id!r} lies in [0, 1] "
                    f"({col[i]:g} for agency {agencies[i]!r}, period {periods[i]!r}): "
                    "percentages written as fractions?",
                    path,
                    loc,
                    hint="write 99.5 for 99.5 % (a workbook cell formatted as % is read as "
                    "the percentage it shows)",
                )
            )
            continue
        if posts is None:
            continue
        lo, hi = posts
        span = hi - lo
        with np.errstate(invalid="ignore"):
            far = np.flatnonzero((col < lo - span) | (col > hi + span))
        for n, i in enumerate(far.tolist()):
            if n == MAX_PER_INDICATOR:
                out.append(
                    Problem(
                        f"... and {len(far) - n} more answer(s) of {x.id!r} far outside the "
                        "goalposts",
                        f"indicator {x.id!r}",
                    )
                )
                break
            loc, path = where(i, x.id)
            side, post = ("below", lo) if col[i] < lo else ("above", hi)
            out.append(
                Problem(
                    f"answer {col[i]:g} for {x.id!r} (agency {agencies[i]!r}, period "
                    f"{periods[i]!r}) is far {side} the goalposts [{lo:g}, {hi:g}]; it "
                    f"counts as {post:g}",
                    path,
                    loc,
                    hint="check the unit and the digits"
                    + (" (a percentage written as a fraction?)" if is_percentage(x.scale) else ""),
                )
            )
    return out
