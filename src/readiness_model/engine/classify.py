"""Rounding, bands, trend classes, two-axis groups and competition ranks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Band, Group, Range, TrendClass

__all__ = [
    "assign_bands",
    "assign_groups",
    "assign_trends",
    "competition_rank",
    "previous_rows",
    "round_half_away",
]


def round_half_away(x: np.ndarray, decimals: int) -> np.ndarray:
    """Round to ``decimals`` the way people and spreadsheets do: halves away from zero.

    The value is first reduced to 12 significant digits of its decimal expansion so
    that binary noise (``0.76605`` stored as ``0.766049999...``) does not decide the
    rounding; then it is rounded once (docs/methodology.md §7).

    Example:
        >>> round_half_away(np.array([0.76605, 2.5, -0.125, 74.124999]), 2).tolist()
        [0.77, 2.5, -0.13, 74.12]
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        mag = np.floor(np.log10(np.where(np.isfinite(x) & (x != 0), np.abs(x), 1.0)))
    keep = np.clip(11 - mag, 0, 300).astype(np.int64)
    cleaned = _clean(np.where(np.isfinite(x), x, 0.0), keep)
    scale = 10.0**decimals
    # |x'|·10^d keeps the 12 significant digits of x'; dropping the product's own binary
    # noise below them makes a decimal half exactly .5 without moving anything else
    scaled = _clean(np.abs(cleaned) * scale, np.maximum(keep - decimals, 0))
    out = np.sign(cleaned) * (np.floor(scaled + 0.5) / scale)
    return np.where(np.isfinite(x), out + 0.0, x)


def _clean(x: np.ndarray, keep: np.ndarray) -> np.ndarray:
    out = np.empty_like(x)
    for k in np.unique(keep):
        sel = keep == k
        out[sel] = np.round(x[sel], int(k))
    return out


def _in_range(r: Range, x: np.ndarray) -> np.ndarray:
    (lo, ls), (hi, hs) = r.lower(), r.upper()
    with np.errstate(invalid="ignore"):
        ok = (x > lo) if ls else (x >= lo)
        ok &= (x < hi) if hs else (x <= hi)
    out: np.ndarray = ok & ~np.isnan(x)
    return out


def assign_bands(
    bands: Sequence[Band],
    overall: np.ndarray,
    coverage: np.ndarray,
    node_scores: np.ndarray,
    node_ids: Sequence[str],
    top: np.ndarray,
    top_applicable: np.ndarray,
) -> np.ndarray:
    """Index of the first matching band per row (-1: none). Scores on the reported scale."""
    out = np.full(overall.shape, -1, np.int64)
    col = {nid: k for k, nid in enumerate(node_ids)}
    for b, band in enumerate(bands):
        ok = _in_range(band.range, overall)
        for dim, minimum in band.dimensions:
            s = node_scores[:, col[dim]]
            with np.errstate(invalid="ignore"):
                ok &= s >= minimum
        if band.all_dimensions is not None:
            s = node_scores[:, top]
            with np.errstate(invalid="ignore"):
                good = (s >= band.all_dimensions) | ~top_applicable
            ok &= good.all(axis=1)
        if band.min_coverage:
            with np.errstate(invalid="ignore"):
                ok &= coverage >= band.min_coverage - 1e-12
        out = np.where((out < 0) & ok, b, out)
    return out


def period_order(periods: Sequence[object]) -> dict[object, int]:
    """Position of each distinct period (numbers before labels)."""
    ordered = sorted(set(periods), key=lambda p: (isinstance(p, str), p))
    return {p: i for i, p in enumerate(ordered)}


def previous_rows(agencies: Sequence[str], periods: Sequence[object]) -> np.ndarray:
    """For each row, the row of the same agency in its previous period present (-1: none)."""
    n = len(agencies)
    prev = np.full(n, -1, np.int64)
    if n == 0:
        return prev
    order = period_order(periods)
    if len(order) < 2:
        return prev
    ag_codes: dict[str, int] = {}
    a = np.array([ag_codes.setdefault(x, len(ag_codes)) for x in agencies], np.int64)
    p = np.array([order[x] for x in periods], np.int64)
    idx = np.lexsort((p, a))
    same = a[idx][1:] == a[idx][:-1]
    prev[idx[1:][same]] = idx[:-1][same]
    return prev


def assign_trends(trend: Sequence[TrendClass], change: np.ndarray) -> np.ndarray:
    """Index of the first matching trend class per row (-1: no previous period)."""
    out = np.full(change.shape, -1, np.int64)
    for t, cls in enumerate(trend):
        ok = _in_range(cls.change, change)
        out = np.where((out < 0) & ok, t, out)
    return out


def assign_groups(
    groups: Sequence[Group],
    band_ids: Sequence[str],
    trend_ids: Sequence[str],
    band: np.ndarray,
    trend: np.ndarray,
) -> np.ndarray:
    """Index of the first matching two-axis group per row (-1: none)."""
    out = np.full(band.shape, -1, np.int64)
    for g, grp in enumerate(groups):
        ok = np.ones(band.shape, bool)
        if grp.bands:
            ok &= np.isin(band, [band_ids.index(b) for b in grp.bands])
        if grp.trend:
            ok &= np.isin(trend, [trend_ids.index(t) for t in grp.trend])
        out = np.where((out < 0) & ok, g, out)
    return out


def competition_rank(
    score: np.ndarray, eligible: np.ndarray, groups: Sequence[np.ndarray]
) -> np.ndarray:
    """Competition ranks ("1224"), best first, within each row group; 0 = not ranked."""
    rank = np.zeros(score.shape, np.int64)
    for rows in groups:
        sel = rows[eligible[rows] & ~np.isnan(score[rows])]
        if not sel.size:
            continue
        desc = np.sort(-score[sel])
        rank[sel] = np.searchsorted(desc, -score[sel], side="left") + 1
    return rank
