"""Hypothesis strategy for response sets (re-exported by :mod:`readiness_model.testing`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .model import Rubric
from .responses import ResponseSet

__all__ = ["responses"]


@st.composite
def responses(
    draw: Any,
    rubric: Rubric,
    *,
    min_agencies: int = 1,
    max_agencies: int = 8,
    periods: Sequence[int] = (2015, 2016),
    missing_rate: float = 0.15,
    na_rate: float = 0.1,
    attributes: bool = True,
) -> ResponseSet:
    """Valid response sets for ``rubric``: agencies in one or more periods, with missing
    and not-applicable cells at roughly the given rates and agency kinds/parents.

    Args:
        rubric: The rubric the answers follow.
        min_agencies, max_agencies: How many agencies to draw.
        periods: The periods agencies may answer in (each agency in at least one).
        missing_rate: Rough share of unanswered cells.
        na_rate: Rough share of cells answered "not applicable".
        attributes: Also draw agency ``kind`` and ``parent`` attributes.

    Returns:
        A hypothesis strategy of :class:`~readiness_model.ResponseSet` objects.

    Example:
        >>> from hypothesis import given, settings
        >>> import readiness_model as rm
        >>> from readiness_model.testing import rubrics
        >>> @settings(max_examples=5, derandomize=True, deadline=None)
        ... @given(st.data())
        ... def test_every_row_is_scored(data):
        ...     r = data.draw(rubrics(normalizations=("goalposts",), max_indicators=4))
        ...     res = rm.score(r, data.draw(responses(r, max_agencies=3)))
        ...     assert res.overall.shape == (len(res),)
        >>> test_every_row_is_scored()

    .. versionadded:: 0.1.0
    """
    n_ag = draw(st.integers(min_agencies, max_agencies))
    agencies = [f"ag{i}" for i in range(n_ag)]
    rows: list[tuple[str, int]] = []
    for p in periods:
        present = draw(st.lists(st.booleans(), min_size=n_ag, max_size=n_ag))
        rows += [
            (a, p) for a, keep in zip(agencies, present, strict=True) if keep or len(periods) == 1
        ]
    if not rows:
        rows = [(agencies[0], periods[0])]
    inds = rubric.indicators
    from .engine.plan import compile_rubric

    required = compile_rubric(rubric).required
    n, m = len(rows), len(inds)
    values = np.full((n, m), np.nan)
    na = np.zeros((n, m), bool)
    for i in range(n):
        for j, ind in enumerate(inds):
            u = draw(st.floats(0, 1))
            if u < na_rate:
                na[i, j] = True
            elif u < na_rate + missing_rate and not required[j]:
                pass
            else:
                values[i, j] = draw(ind.scale.stored())
    attrs_: dict[str, list[str | None]] = {}
    if attributes:
        attrs_["kind"] = [draw(st.sampled_from(["ministry", "department"])) for _ in rows]
        for key, accepted in rubric.population:
            attrs_[key] = [draw(st.sampled_from([*accepted, "other"])) for _ in rows]
    return ResponseSet.from_array(
        values, [a for a, _ in rows], rubric, period=[p for _, p in rows], na=na, attributes=attrs_
    )
