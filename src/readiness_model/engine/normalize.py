"""Indicator scores in [0, 1]: the scales' fixed scores, then the registered methods.

Fixed scores are one vectorised pass over all agencies. Each other normalisation
(:mod:`.normalizations`, or a plug-in) is applied to its columns: once for all rows, or,
when it is population-relative, per period with the statistics of that period's
population (formulas: docs/methodology.md §3). Where those statistics come from is a
:class:`StatsSource`: by default the rows of the period's population; a frozen
:class:`~readiness_model.Population` supplies saved ones instead
(:mod:`.frozen`), and :func:`~readiness_model.population` records them (:mod:`.population`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from ..model.methods import normalization
from .plan import NormGroup, Plan
from .stats import ColumnStats

__all__ = ["StatsSource", "indicator_scores", "rescale_by_period"]

Rows = Callable[[], np.ndarray]  # the population's rows of one period (made when asked for)


class StatsSource(Protocol):
    """Where population statistics come from: one :class:`ColumnStats` per period for a
    normalisation's columns, or for the rescaled nodes of one step of the walk."""

    def of_indicators(self, grp: NormGroup, period: int, rows: Rows) -> ColumnStats:
        """Statistics of what ``grp``'s method reads in period ``period`` (its index in
        period order); ``rows()`` gives the population's rows (``rows × columns``)."""

    def of_nodes(self, nodes: np.ndarray, period: int, rows: Rows) -> ColumnStats:
        """Statistics of the unrescaled scores of ``nodes`` (node indices); ``rows()``
        gives the population's rows (``... × rows × nodes``)."""


def fixed_scores(plan: Plan, values: np.ndarray) -> np.ndarray:
    """The scales' own scores (NaN where there is no value or no fixed score)."""
    n, m = values.shape
    lo = np.where(plan.flip, plan.hi, plan.lo)
    span = np.where(plan.flip, -plan.span, plan.span)
    if plan.linear.size == m:
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
    return z


def indicator_scores(
    plan: Plan,
    values: np.ndarray,
    periods: Sequence[np.ndarray],
    population: np.ndarray,
    stats: StatsSource | None = None,
) -> np.ndarray:
    """Scores in [0, 1] (NaN where there is no value) of an N × M stored-value matrix.

    Args:
        plan: The compiled rubric.
        values: Stored values, NaN where missing or not applicable. Not modified.
        periods: Row indices of each period.
        population: Boolean row mask of the population used for statistics.
        stats: Where the statistics come from (default: the population's rows).
    """
    z = fixed_scores(plan, values)
    for grp in plan.normalizers:
        z[:, grp.cols] = _apply(grp, values, z, periods, population, stats)
    return z


def _apply(
    grp: NormGroup,
    values: np.ndarray,
    z: np.ndarray,
    periods: Sequence[np.ndarray],
    population: np.ndarray,
    stats: StatsSource | None,
) -> np.ndarray:
    cols, spec = grp.cols, grp.spec
    base = np.where(grp.raw, values[:, cols], z[:, cols])
    if spec.population:
        base = base * grp.sign
        out = np.full(base.shape, np.nan)
        for i, rows in enumerate(periods):
            if stats is None:
                ref = ColumnStats(base[rows[population[rows]]], spec.stats)
            else:
                ref = stats.of_indicators(grp, i, _population_rows(base, rows, population))
            out[rows] = _checked(spec.name, spec.func(base[rows], ref, **grp.params), base[rows])
    else:
        out = _checked(spec.name, spec.func(base, **grp.params), base)
        if grp.flip_after.any():
            out = np.where(grp.flip_after, 1.0 - out, out)
    if not spec.builtin:
        with np.errstate(invalid="ignore"):
            out = np.clip(out, 0.0, 1.0)
    return out


def _population_rows(a: np.ndarray, rows: np.ndarray, population: np.ndarray) -> Rows:
    """The rows of ``a`` (``... × rows × columns``) in the population, when asked for."""
    return lambda: a[..., rows[population[rows]], :]


def _checked(name: str, out: object, like: np.ndarray) -> np.ndarray:
    arr = np.asarray(out, dtype=np.float64)
    if arr.shape != like.shape:
        raise ValueError(
            f"normalisation {name!r} returned an array of shape {arr.shape}, "
            f"expected {like.shape} (one score per answer)"
        )
    return arr


def rescale_by_period(
    s: np.ndarray,
    periods: Sequence[np.ndarray],
    population: np.ndarray,
    nodes: np.ndarray | None = None,
    stats: StatsSource | None = None,
) -> np.ndarray:
    """``rescale: minmax`` of node scores (``... × rows × nodes``, a leading axis of weight
    draws allowed) over each period's population: the ``minmax`` normalisation itself.
    ``nodes`` (their indices) is needed with a ``stats`` source."""
    spec = normalization("minmax")
    out = np.full(s.shape, np.nan)
    for i, rows in enumerate(periods):
        if stats is None:
            ref = ColumnStats(s[..., rows[population[rows]], :], spec.stats)
        else:
            assert nodes is not None
            ref = stats.of_nodes(nodes, i, _population_rows(s, rows, population))
        out[..., rows, :] = spec.func(s[..., rows, :], ref)
    return out
