"""Stored answer values (what a ResponseSet holds) checked against their scales, and
written back as a person writes them.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..model import Rubric
from .problems import MAX_PROBLEMS, Report

__all__ = ["STORED_BLOCK", "check_stored", "written_column"]


def written_column(
    scale: Any, values: np.ndarray, missing: np.ndarray, na: np.ndarray
) -> list[Any]:
    """One column of answers as written (see :meth:`ResponseSet.written`).

    Example:
        >>> from readiness_model import BinaryScale
        >>> written_column(BinaryScale(), np.array([1.0, np.nan]), np.array([False, True]),
        ...                np.array([False, False]))
        ['yes', None]
    """
    out: list[Any] = [None] * len(values)
    have = np.flatnonzero(~missing & ~na)
    if scale.continuous:  # every value its own text (no grouping: -0.0 stays -0.0)
        texts = list(map(scale.written, values[have].tolist()))
    else:
        distinct, inverse = np.unique(values[have], return_inverse=True)
        table = np.array([scale.written(v) for v in distinct.tolist()] + [None], dtype=object)
        texts = table[inverse.ravel()].tolist()
    if len(have) == len(values):
        return texts
    for i, text in zip(have.tolist(), texts, strict=True):
        out[i] = text
    for i in np.flatnonzero(na).tolist():
        out[i] = "n/a"
    return out


def check_stored(
    arr: np.ndarray,
    agencies: Sequence[str],
    rubric: Rubric,
    *,
    source: np.ndarray | None = None,
) -> np.ndarray | None:
    """Every non-NaN value valid for its column's scale, checked per scale on contiguous
    blocks of rows (``scale.valid`` sees only the block's non-NaN values: the block
    itself, flattened, when it has no NaN); returns ``np.isnan(arr)``, or ``None`` when
    no value is NaN. Invalid cells are named row by row (then column by column).

    With ``source`` (a float64 array of the same shape) each block is first copied from
    it into ``arr``: the copy, the NaN mask and the check read the input once, a block
    at a time, while it is in the cache.

    Raises:
        ResponseError: naming every invalid cell (at most 200).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> check_stored(np.array([[1.0], [np.nan]]), ["a", "b"], r).tolist()
        [[False], [True]]
        >>> check_stored(np.array([[1.0], [0.0]]), ["a", "b"], r) is None
        True
    """
    ind = rubric.indicators
    groups: dict[Any, list[int]] = {}
    for j, x in enumerate(ind):
        groups.setdefault(x.scale, []).append(j)
    m = max(len(ind), 1)
    step = max(1, STORED_BLOCK // m)
    rep = Report("values")
    gaps: np.ndarray | None = None
    bad: list[tuple[int, int, float, Any]] = []  # a block's invalid cells
    for r0 in range(0, arr.shape[0], step):
        block = arr[r0 : r0 + step]
        if source is not None:
            np.copyto(block, source[r0 : r0 + step])
        gap = np.isnan(block)
        if gap.any():
            if gaps is None:
                gaps = np.zeros(arr.shape, bool)
            gaps[r0 : r0 + step] = gap
        for scale, cols in groups.items():
            sub = block if len(cols) == len(ind) else block[:, cols]
            sub_gap = gap if len(cols) == len(ind) else gap[:, cols]
            if sub_gap.any():
                have = ~sub_gap
                ok = np.asarray(scale.valid(sub[have]), dtype=bool)
            else:  # no NaN: the scale reads the block itself, not a compacted copy
                have = None
                ok = np.asarray(scale.valid(sub.reshape(-1)), dtype=bool)
            if ok.all():
                continue
            where = np.argwhere(~ok.reshape(sub.shape)) if have is None else np.argwhere(have)[~ok]
            for i, k in where[:MAX_PROBLEMS].tolist():
                bad.append((r0 + i, cols[k], float(sub[i, k]), scale))
        bad.sort(key=lambda b: (b[0], b[1]))  # row by row, whatever the blocks
        for i, j, value, scale in bad:
            rep.add(
                f"agency {agencies[i]!r}, indicator {ind[j].id!r}: "
                f"{value!r} is not a valid stored value",
                f"values[{i}, {j}]",
                None,
                expected=scale.expected(),
                hint="stored values are 0/1, a level or option index, a checklist bit "
                "mask or a number within the goalposts; use from_records for answers",
            )
        bad.clear()
    rep.check()
    return gaps


STORED_BLOCK = 1 << 18
"""Values checked (and copied) at a time by :func:`check_stored` (2 MB: in the cache)."""
