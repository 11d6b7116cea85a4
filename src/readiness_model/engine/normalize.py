"""Indicator scores in [0, 1]: fixed scales, then population-relative methods.

All formulas are in docs/methodology.md. Fixed scales are one vectorised pass over
all agencies; population-relative methods compute their statistics over the
population rows of each period and apply them to every row of that period.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from .plan import Plan

__all__ = ["DEGENERATE_SCORE", "indicator_scores", "minmax_by_period"]

# Score given when the population has no spread (every value equal, or one agency).
DEGENERATE_SCORE = 0.5


def indicator_scores(
    plan: Plan,
    values: np.ndarray,
    periods: Sequence[np.ndarray],
    population: np.ndarray,
) -> np.ndarray:
    """Scores in [0, 1] (NaN where there is no value) of an N × M stored-value matrix.

    Args:
        plan: The compiled rubric.
        values: Stored values, NaN where missing or not applicable. Not modified.
        periods: Row indices of each period.
        population: Boolean row mask of the population used for statistics.
    """
    n, m = values.shape
    lo = np.where(plan.flip, plan.hi, plan.lo)
    span = np.where(plan.flip, -plan.span, plan.span)
    if plan.all_linear_fixed:
        z = values - lo
        z /= span
        np.clip(z, 0.0, 1.0, out=z)
        return z
    z = np.full((n, m), np.nan)
    if plan.linear.size:
        j = plan.linear
        part = values[:, j] - lo[j]
        part /= span[j]
        np.clip(part, 0.0, 1.0, out=part)
        z[:, j] = part
    if plan.lookup.size:
        j = plan.lookup
        v = values[:, j]
        gap = np.isnan(v)
        idx = np.where(gap, 0, v).astype(np.int64)
        part = plan.table[np.arange(j.size)[None, :], idx]
        part = np.where(plan.flip[j], 1.0 - part, part)
        part[gap] = np.nan
        z[:, j] = part
    if plan.checklist.size:
        j = plan.checklist
        v = values[:, j]
        gap = np.isnan(v)
        masks = np.where(gap, 0, v).astype(np.int64)
        width = plan.item_values.shape[1]
        bits = (masks[:, :, None] >> np.arange(width, dtype=np.int64)) & 1
        part = np.minimum(np.einsum("nci,ci->nc", bits.astype(np.float64), plan.item_values), 1.0)
        part = np.where(plan.flip[j], 1.0 - part, part)
        part[gap] = np.nan
        z[:, j] = part
    for method, cols in plan.population.items():
        base = np.where(plan.raw_numeric[cols], values[:, cols], z[:, cols])
        sign = np.where(plan.raw_numeric[cols] & plan.flip[cols], -1.0, 1.0)
        base = base * sign
        target = plan.target[cols] * sign
        out = np.full(base.shape, np.nan)
        for rows in periods:
            ref = base[rows[population[rows]]]
            out[rows] = _relative(method, base[rows], ref, target)
        z[:, cols] = out
    return z


def _relative(method: str, x: np.ndarray, ref: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Population-relative scores of ``x`` (rows × cols) against ``ref`` (pop rows × cols)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if method in ("minmax", "zscore"):
            if method == "zscore":
                with warnings.catch_warnings():  # a column nobody answered: no statistics
                    warnings.simplefilter("ignore", RuntimeWarning)
                    mean = np.nanmean(ref, axis=0) if ref.size else np.full(x.shape[1], np.nan)
                    sd = np.nanstd(ref, axis=0) if ref.size else np.full(x.shape[1], np.nan)
                # no spread: every z is 0, and min-max of a spanless population gives 0.5
                sd = np.where(sd > 0, sd, 1.0)
                x = (x - mean) / sd
                ref = (ref - mean) / sd
            return _minmax(x, ref)
        if method == "target":
            lo = _nanmin(ref)
            out = (x - lo) / (target - lo)
            out = np.where(target > lo, out, np.where(x >= target, 1.0, 0.0))
            out = np.clip(out, 0.0, 1.0)
            return np.where(np.isnan(x) | np.isnan(lo), np.nan, out)
        # rank and percentile: counts against the sorted population of each column
        out = np.full(x.shape, np.nan)
        for c in range(x.shape[1]):
            pop = np.sort(ref[:, c][~np.isnan(ref[:, c])])
            k = pop.size
            col = x[:, c]
            ok = ~np.isnan(col)
            below = np.searchsorted(pop, col[ok], side="left")
            if method == "rank":
                if k > 1:
                    res = below / (k - 1)
                else:  # a population of one has no spread; an empty one gives no score
                    res = np.full(below.shape, DEGENERATE_SCORE if k else np.nan)
                res = np.minimum(res, 1.0)
            else:
                equal = np.searchsorted(pop, col[ok], side="right") - below
                res = (below + 0.5 * equal) / k if k else np.full(below.shape, np.nan)
            out[ok, c] = res
        return out


def _nanmin(a: np.ndarray) -> np.ndarray:
    if not a.size:
        return np.full(a.shape[1], np.nan)
    with np.errstate(invalid="ignore"):
        return np.where(
            np.all(np.isnan(a), axis=0), np.nan, np.nanmin(np.where(np.isnan(a), np.inf, a), axis=0)
        )


def _minmax(x: np.ndarray, ref: np.ndarray) -> np.ndarray:
    lo = _nanmin(ref)
    hi = -_nanmin(-ref) if ref.size else np.full(x.shape[1], np.nan)
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.clip((x - lo) / span, 0.0, 1.0)
    out = np.where(span > 0, out, DEGENERATE_SCORE)
    return np.where(np.isnan(x) | np.isnan(lo), np.nan, out)


def minmax_by_period(
    s: np.ndarray, periods: Sequence[np.ndarray], population: np.ndarray
) -> np.ndarray:
    """Min-max rescale of node scores (rows × nodes) over each period's population."""
    out = np.full(s.shape, np.nan)
    for rows in periods:
        out[rows] = _minmax(s[rows], s[rows[population[rows]]])
    return out
