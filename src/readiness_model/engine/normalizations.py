"""The built-in normalisations, registered exactly as a plug-in registers its own.

Each is one function of an ``agencies × columns`` block (see
:func:`~readiness_model.model.methods.register_normalization`); formulas and worked
examples: docs/methodology.md §3. Adding a method to the library is adding one function
and one ``register_normalization`` call here.

>>> DEGENERATE_SCORE
0.5

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

from ..model.methods import Param, register_normalization
from .stats import ColumnStats, row_blocks

__all__ = ["DEGENERATE_SCORE", "goalposts", "minmax", "percentile", "rank", "target", "zscore"]

# Score given when the population has no spread (every value equal, or one agency).
DEGENERATE_SCORE = 0.5


def goalposts(x: np.ndarray) -> np.ndarray:
    """The scale's fixed score, unchanged (the engine computes it from the scale).

    Example:
        >>> goalposts(np.array([[0.25]])).tolist()
        [[0.25]]
    """
    return x


def _spread(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``clamp((x − lo) / (hi − lo), 0, 1)``; 0.5 without spread; NaN without value.

    One new array, filled a block of rows at a time (the block stays in cache for the
    three steps); the columns without spread are patched afterwards.

    A span beyond the largest double (``hi − lo`` of answers near ±1.8e308) overflows:
    those columns (only) are computed from ``x``, ``lo`` and ``hi`` halved, which gives
    the same bits as the formula with an unbounded exponent (see :func:`_halved`).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        span = hi - lo
    over = np.isinf(span) & np.isfinite(lo) & np.isfinite(hi)  # (not a given inf)
    if over.any():
        x, lo, hi = _halved(over, x, lo, hi)
        span = hi - lo
    shape = np.broadcast_shapes(x.shape, lo.shape)
    out = np.empty(shape)
    if x.ndim == 2 and x.shape == shape:
        parts = [(x[b], out[b]) for b in row_blocks(shape[0], shape[1] * out.itemsize)]
    else:
        parts = [(x, out)]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for xb, ob in parts:
            np.subtract(xb, lo, out=ob)
            np.divide(ob, span, out=ob)
            np.clip(ob, 0.0, 1.0, out=ob)
    flat = ~(span > 0) | np.isnan(lo)  # no spread, or no population value
    if not flat.any():
        return out  # NaN exactly where x is NaN
    if out.ndim == 2 and x.shape == shape and flat.size == shape[1]:  # patch the columns
        cols = np.flatnonzero(flat.reshape(-1))
        sub, low = x[:, cols], np.broadcast_to(lo, (1, shape[1]))[:, cols]
        out[:, cols] = np.where(np.isnan(sub) | np.isnan(low), np.nan, DEGENERATE_SCORE)
        return out
    result: np.ndarray = np.where(
        flat, np.where(np.isnan(x) | np.isnan(lo), np.nan, DEGENERATE_SCORE), out
    )
    return result


def _halved(over: np.ndarray, *a: np.ndarray) -> list[np.ndarray]:
    """Each of ``a`` with its ``over`` columns halved (the others multiplied by 1: the
    same bits). Used only where a difference overflowed: one more pass over ``x``.

    Halving is exact down to ``2**-1021``, and a difference of halves is the half of the
    difference, rounded alike, so ``(x/2 − lo/2) / (hi/2 − lo/2)`` is bit for bit
    ``(x − lo) / (hi − lo)`` computed without an exponent limit, and ``hi/2 − lo/2``
    (at most the largest double) cannot overflow. An answer below ``2**-1021`` in
    magnitude may lose its last bit in the halving, but it cannot show: ``hi − lo``
    overflowed, so ``|lo|`` (or ``|mean|`` for z-scores, whose spread is as wide) is at
    least ``2**970`` (or its z-score is below ``2**-1900``), and the tiny answer is far
    below half an ulp of what it is subtracted from or added to.

    Example:
        >>> big = np.finfo(np.float64).max
        >>> [v.tolist() for v in _halved(np.array([True, False]), np.array([big, 3.0]))]
        [[8.988465674311579e+307, 3.0]]
    """
    half = np.where(over, 0.5, 1.0)
    return [v * half for v in a]


def minmax(x: np.ndarray, ref: ColumnStats) -> np.ndarray:
    """Min-max over the population, clamped. Also the node ``rescale: minmax``, where
    ``x`` may carry a leading axis of weight draws.

    Example:
        >>> ref = ColumnStats(np.array([[92.0], [97.5], [99.0]]))
        >>> minmax(np.array([[97.5], [100.0]]), ref).round(4).tolist()
        [[0.7857], [1.0]]
    """
    return _spread(x, ref.min[..., None, :], ref.max[..., None, :])


def zscore(x: np.ndarray, ref: ColumnStats) -> np.ndarray:
    """Z-scores against the population, then min-max scaled over its z-scores.

    Example:
        >>> ref = ColumnStats(np.array([[92.0], [97.5], [97.5], [99.0]]))
        >>> zscore(np.array([[97.5]]), ref).round(4).tolist()
        [[0.7857]]
    """
    mean, sd = ref.mean, ref.sd
    least, most = ref.min, ref.max
    # no spread: every z is 0, and min-max of a spanless population gives 0.5
    sd = np.where(sd > 0, sd, 1.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # an increasing affine map: the z-scores' extremes are the values' extremes mapped
        lo, hi = (least - mean) / sd, (most - mean) / sd
        # min − mean or max − mean beyond the largest double (answers near ±1.8e308):
        # those columns from halves, as in _spread (z-scores do not change with the scale)
        over = np.isinf(lo) | np.isinf(hi)
        for v in (least, most, mean, sd):  # (not a given inf)
            over &= np.isfinite(v)
        if over.any():
            x, mean, sd, least, most = _halved(over, x, mean, sd, least, most)
            lo, hi = (least - mean) / sd, (most - mean) / sd
        z = (x - mean) / sd
    return _spread(z, lo, hi)


def _per_column(x: np.ndarray, ref: ColumnStats, percent: bool) -> np.ndarray:
    """Rank or percentile scores from counts of the population values below and equal."""
    out = np.full(x.shape, np.nan)
    for c in range(x.shape[1]):
        col = x[:, c]
        ok = ~np.isnan(col)
        values, counts = ref.distinct[c]
        cum = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        k = int(cum[-1])
        below = cum[np.searchsorted(values, col[ok], side="left")]
        if percent:
            equal = cum[np.searchsorted(values, col[ok], side="right")] - below
            res = (below + 0.5 * equal) / k if k else np.full(below.shape, np.nan)
        else:
            if k > 1:
                res = below / (k - 1)
            else:  # a population of one has no spread; an empty one gives no score
                res = np.full(below.shape, DEGENERATE_SCORE if k else np.nan)
            res = np.minimum(res, 1.0)
        out[ok, c] = res
    return out


def rank(x: np.ndarray, ref: ColumnStats) -> np.ndarray:
    """Share of the population strictly below, ``below / (n − 1)``, capped at 1.

    Example:
        >>> ref = ColumnStats(np.array([[92.0], [97.5], [97.5], [99.0]]))
        >>> rank(np.array([[97.5], [99.0]]), ref).round(4).tolist()
        [[0.3333], [1.0]]
    """
    return _per_column(x, ref, percent=False)


def percentile(x: np.ndarray, ref: ColumnStats) -> np.ndarray:
    """Mid-rank percentile, ``(below + ½·equal) / n``.

    Example:
        >>> ref = ColumnStats(np.array([[92.0], [97.5], [97.5], [99.0]]))
        >>> percentile(np.array([[97.5], [92.0]]), ref).tolist()
        [[0.5], [0.125]]
    """
    return _per_column(x, ref, percent=True)


def target(x: np.ndarray, ref: ColumnStats, target: np.ndarray) -> np.ndarray:
    """Distance to a target from the population minimum, clamped.

    Example:
        >>> ref = ColumnStats(np.array([[92.0], [97.5], [99.0]]))
        >>> target(np.array([[97.5], [99.0]]), ref, target=np.array([98.0])).round(4).tolist()
        [[0.9167], [1.0]]
    """
    lo = ref.min
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        over = np.isinf(target - lo) & np.isfinite(lo)  # (as in _spread)
        if over.any():
            x, lo, target = _halved(over, x, lo, target)
        out = (x - lo) / (target - lo)
        out = np.where(target > lo, out, np.where(x >= target, 1.0, 0.0))
        out = np.clip(out, 0.0, 1.0)
    result: np.ndarray = np.where(np.isnan(x) | np.isnan(lo), np.nan, out)
    return result


register_normalization(
    "goalposts",
    goalposts,
    population=False,
    input="score",
    doc="The scale's fixed score (§1): goalposts, level, item or option values.",
    formula="`s`; `1 − s` when lower is better",
)
register_normalization(
    "minmax",
    minmax,
    population=True,
    stats=("min", "max"),
    doc="Min–max over the population of the period, clamped to [0, 1].",
    formula="`clamp((x − min P) / (max P − min P), 0, 1)`",
)
register_normalization(
    "zscore",
    zscore,
    population=True,
    stats=("min", "max", "mean", "sd"),
    doc="Z-score against the population, then min–max over its z-scores.",
    formula="`z = (x − mean P) / sd P`, then min–max of `z` over `z(P)`",
)
register_normalization(
    "rank",
    rank,
    population=True,
    stats=("distinct",),
    doc="Share of the population strictly below the answer, capped at 1.",
    formula="`below(x) / (n − 1)`, `below(x) = #{p ∈ P : p < x}`",
)
register_normalization(
    "percentile",
    percentile,
    population=True,
    stats=("distinct",),
    doc="Mid-rank percentile in the population.",
    formula="`(below(x) + ½·equal(x)) / n`",
)
register_normalization(
    "target",
    target,
    population=True,
    stats=("min",),
    params=[
        Param("target", required=True, doc="The value that scores 1.", answer_units=True),
    ],
    doc="Distance to a target value from the population minimum.",
    formula="`clamp((x − min P) / (t − min P), 0, 1)`",
)
