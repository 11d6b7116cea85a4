"""The one classification step: round → bands → trend → groups → ranks.

``score`` classifies the walk's scores, ``roll_up`` the rolled-up ones, and
``sensitivity`` every weight draw at once (a leading draws axis: bands and competition
ranks per draw, without a loop over draws). Rules: docs/methodology.md §7-§10.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..io.answer_cells import period_order
from ..model import Band, Group, Range, Rubric, TrendClass
from .ordering import sorted_order
from .plan import Plan

__all__ = [
    "Classes",
    "assign_bands",
    "assign_groups",
    "assign_trends",
    "classify",
    "competition_rank",
    "previous_rows",
    "reported",
    "round_half_away",
    "significant",
    "tied_last",
]


@attrs.frozen(slots=True, eq=False)
class Classes:
    """What :func:`classify` decided. Index arrays hold -1 for "none"; ``None`` marks a
    step that was not asked for."""

    overall: np.ndarray  # ... × N reported (rounded) scores
    node_scores: np.ndarray | None  # ... × N × K reported (rounded)
    band: np.ndarray  # ... × N
    change: np.ndarray | None  # N
    trend: np.ndarray | None
    group: np.ndarray | None
    rank: np.ndarray | None  # ... × N, 0 = not ranked


def reported(rubric: Rubric, unit: np.ndarray) -> np.ndarray:
    """Scores on [0, 1] mapped to the rubric's reported scale ``lo + s·(hi − lo)``."""
    lo, hi = rubric.scale
    out: np.ndarray = lo + unit * (hi - lo)
    return out


def _rounded(rubric: Rubric, x: np.ndarray) -> np.ndarray:
    return x if rubric.rounding is None else round_half_away(x, rubric.rounding)


def bands_read_nodes(rubric: Rubric) -> bool:
    """Whether any band has a per-dimension or all-dimension gate."""
    return any(b.dimensions or b.all_dimensions is not None for b in rubric.bands)


def classify(
    rubric: Rubric,
    plan: Plan,
    overall_exact: np.ndarray,
    coverage: np.ndarray,
    node_exact: np.ndarray | None,
    top_applicable: np.ndarray | None = None,
    *,
    previous: np.ndarray | None = None,
    ranked: tuple[np.ndarray, Sequence[np.ndarray]] | None = None,
    not_assessed: np.ndarray | None = None,
) -> Classes:
    """Round, then bands, trend classes, groups and ranks on the rounded scores.

    Args:
        rubric: The rubric (bands, trend, groups, rounding, ranking, not_assessed).
        plan: Its compiled plan (node ids, top-level nodes).
        overall_exact: Unrounded overall scores on the reported scale, ``... × N``.
        coverage: Overall coverage, ``... × N``.
        node_exact: Unrounded node scores ``... × N × K`` (may be ``None`` when neither a
            band nor the trend reads a node: see :func:`bands_read_nodes`).
        top_applicable: Whether each top-level dimension applies, ``... × N × T``
            (default: all).
        previous: Per row, the row of the same agency in its previous period (-1: none);
            trend classes and groups are only assigned when given.
        ranked: ``(eligible rows, row groups)``: ranks within each group of rows among the
            eligible ones, by the rubric's tie rule; not ranked when ``None``.
        not_assessed: Rows (``N``) not assessed: no score, band, trend or group; ranked
            by the rubric's ``not_assessed.rank``, shown with its ``not_assessed.score``.
    """
    na = None if not_assessed is None or not not_assessed.any() else not_assessed
    if na is not None:
        overall_exact = np.where(na, np.nan, overall_exact)
        coverage = np.where(na, np.nan, coverage)
        if node_exact is not None:
            node_exact = np.where(na[:, None], np.nan, node_exact)
    overall = _rounded(rubric, overall_exact)
    nodes = None if node_exact is None else _rounded(rubric, node_exact)
    if top_applicable is None:
        top_applicable = np.ones((*overall.shape, plan.top.size), bool)
    band = assign_bands(
        rubric.bands, overall, coverage, nodes, plan.node_ids, plan.top, top_applicable
    )
    change = trend = group = None
    if previous is not None:
        if (previous >= 0).any():
            change = np.where(previous >= 0, overall - overall[np.maximum(previous, 0)], np.nan)
            change = _rounded(rubric, change)
        else:  # one period: no row has a previous one (nothing to subtract or round)
            change = np.full(previous.shape, np.nan)
        on_node = rubric.trend_on != "change"
        if on_node:
            assert nodes is not None, "the trend reads a node's score"
            measure = nodes[..., plan.node_ids.index(rubric.trend_on)]
        trend = assign_trends(rubric.trend, measure if on_node else change, on_score=on_node)
        group = assign_groups(
            rubric.groups, [b.id for b in rubric.bands], [t.id for t in rubric.trend], band, trend
        )
        if na is not None:
            group = np.where(na, -1, group)  # a catch-all group does not take them either
    rank = None
    if ranked is not None:
        eligible, row_groups = ranked
        ties = rubric.ranking.ties
        key = overall if ties == "shared" else significant(overall_exact)
        assessed = eligible if na is None else eligible & ~na
        rank = competition_rank(key, assessed, row_groups, shared=ties != "ordinal")
        if na is not None and rubric.not_assessed.rank == "tied_last":
            rank = tied_last(rank, eligible & na, row_groups)
    if na is not None and rubric.not_assessed.score is not None:
        overall = np.where(na, rubric.not_assessed.score, overall)
    return Classes(overall, nodes, band, change, trend, group, rank)


def significant(x: np.ndarray, digits: int = 12) -> np.ndarray:
    """``x`` kept to ``digits`` significant decimal digits: the binary noise of a sum
    (``0.1 + 0.2``) no longer tells equal values apart (the unrounded tie rule).

    Example:
        >>> significant(np.array([0.1 + 0.2, 0.3, np.nan])).tolist()
        [0.3, 0.3, nan]
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mag = np.floor(np.log10(np.where(np.isfinite(x) & (x != 0), np.abs(x), 1.0)))
    keep = np.clip(digits - 1 - mag, 0, 300).astype(np.int64)
    out: np.ndarray = np.where(np.isfinite(x), _clean(np.where(np.isfinite(x), x, 0.0), keep), x)
    return out


def _places(key: np.ndarray, shared: bool, dtype: type[np.integer]) -> np.ndarray:
    """1-based places of ``key`` (``... × m``) in increasing order along the last axis,
    equal keys sharing the first place of their run (``shared``) or taking consecutive
    places in row order. Every slice is sorted on its own, in one sort; the sorted keys
    are read and the places written through flat indices (much faster than
    ``take_along_axis``/``put_along_axis`` for many slices)."""
    m = key.shape[-1]
    flat_key = np.ascontiguousarray(key).reshape(-1, m)
    # ties share a rank: their order is moot; ordinal places need row order (stable)
    if flat_key.shape[0] == 1:  # (one vector: the SIMD sort, see .ordering)
        order, sk = (a[None, :] for a in sorted_order(flat_key[0]))
    else:
        order = np.argsort(flat_key, axis=-1, kind=None if shared else "stable")
        order += (np.arange(flat_key.shape[0]) * m)[:, None]
        sk = flat_key.ravel().take(order)
    place = np.broadcast_to(np.arange(1, m + 1, dtype=dtype), sk.shape)
    if shared:
        new = np.ones(sk.shape, bool)
        new[:, 1:] = sk[:, 1:] != sk[:, :-1]
        place = np.maximum.accumulate(np.where(new, place, 0), axis=-1)
    out = np.empty(flat_key.shape, dtype)
    out.reshape(-1)[order.reshape(-1)] = place.reshape(-1)
    return out.reshape(key.shape)


def tied_last(rank: np.ndarray, rows: np.ndarray, groups: Sequence[np.ndarray]) -> np.ndarray:
    """``rank`` with the ``rows`` of each row group placed together after the group's
    last ranked row (``... × N``; the rank arrays of every leading index on their own).

    Example:
        >>> tied_last(np.array([2, 1, 0, 0]), np.array([False, False, True, True]),
        ...           [np.arange(4)]).tolist()
        [2, 1, 3, 3]
    """
    out: np.ndarray = rank.copy()
    for g in groups:
        sel = g[rows[g]]
        if sel.size:
            last = (rank[..., g] > 0).sum(axis=-1)
            out[..., sel] = (last + 1)[..., None]
    return out


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
    node_scores: np.ndarray | None,
    node_ids: Sequence[str],
    top: np.ndarray,
    top_applicable: np.ndarray,
) -> np.ndarray:
    """Index of the first matching band per row (-1: none). Scores on the reported scale;
    any leading axes (``... × N``, nodes ``... × N × K``)."""
    out = np.full(overall.shape, -1, np.int64)
    col = {nid: k for k, nid in enumerate(node_ids)}
    for b, band in enumerate(bands):
        ok = _in_range(band.range, overall)
        if band.dimensions or band.all_dimensions is not None:
            assert node_scores is not None, "this band reads node scores"
        for dim, minimum in band.dimensions:
            s = node_scores[..., col[dim]]  # type: ignore[index]
            with np.errstate(invalid="ignore"):
                ok &= s >= minimum
        if band.all_dimensions is not None:
            s = node_scores[..., top]  # type: ignore[index]
            with np.errstate(invalid="ignore"):
                good = (s >= band.all_dimensions) | ~top_applicable
            ok &= good.all(axis=-1)
        if band.min_coverage:
            with np.errstate(invalid="ignore"):
                ok &= coverage >= band.min_coverage - 1e-12
        out = np.where((out < 0) & ok, b, out)
    return out


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


def assign_trends(
    trend: Sequence[TrendClass], change: np.ndarray, *, on_score: bool = False
) -> np.ndarray:
    """Index of the first matching trend class per row (-1: no previous period, or with
    ``on_score`` no score): classes test their ``change`` range, or with ``on_score``
    (``trend_on`` names a node, whose scores are passed as ``change``) their ``score``
    range."""
    out = np.full(change.shape, -1, np.int64)
    for t, cls in enumerate(trend):
        ok = _in_range(cls.score if on_score else cls.change, change)
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
    score: np.ndarray,
    eligible: np.ndarray,
    groups: Sequence[np.ndarray],
    dtype: type[np.integer] = np.int64,
    *,
    shared: bool = True,
) -> np.ndarray:
    """Competition ranks ("1224"), best first, within each row group; 0 = not ranked.

    ``score`` is ``... × rows``: with leading axes (weight draws), every slice is ranked
    on its own, in one sort. Without ``shared``, equal scores take consecutive places in
    row order ("1234").

    Example:
        >>> competition_rank(np.array([[3.0, 5.0, 5.0, np.nan], [1.0, 2.0, 3.0, 4.0]]),
        ...                  np.array([True, True, True, True]), [np.arange(4)]).tolist()
        [[3, 1, 1, 0], [4, 3, 2, 1]]
        >>> competition_rank(np.array([3.0, 5.0, 5.0]), np.array([True, True, True]),
        ...                  [np.arange(3)], shared=False).tolist()
        [3, 1, 2]
    """
    rank = np.zeros(score.shape, dtype)
    for rows in groups:
        sel = rows[eligible[rows]]
        if not sel.size:
            continue
        every = sel.size == score.shape[-1] and bool((sel == np.arange(sel.size)).all())
        s = score if every else score[..., sel]
        gaps = bool(np.isnan(np.min(s, initial=np.inf)))  # one pass, no temporary
        key = np.where(np.isnan(s), np.inf, -s) if gaps else -s
        r = _places(key, shared, dtype)
        if gaps:
            r = np.where(np.isnan(s), 0, r)
        if every:
            rank[...] = r
        else:
            rank[..., sel] = r
    return rank
