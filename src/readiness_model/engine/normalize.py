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
from .normalizations import _halved
from .plan import NormGroup, Plan
from .stats import ColumnStats, row_blocks

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


def _columns(a: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``a[:, cols]``: a view when ``cols`` is one increasing run of columns."""
    run = cols.size > 0 and int(cols[-1]) - int(cols[0]) + 1 == cols.size
    if run and (cols.size == 1 or bool((np.diff(cols) == 1).all())):
        return a[:, int(cols[0]) : int(cols[-1]) + 1]
    return a[:, cols]


def _linear(values: np.ndarray, lo: np.ndarray, span: np.ndarray) -> np.ndarray:
    """``clamp((values − lo) / span, 0, 1)`` into one new array, a block of rows at a
    time (the block stays in cache for the three steps)."""
    out = np.empty(values.shape)
    for b in row_blocks(values.shape[0], values.shape[1] * out.itemsize):
        part = out[b]
        np.subtract(values[b], lo, out=part)
        np.divide(part, span, out=part)
        np.clip(part, 0.0, 1.0, out=part)
    return out


def fixed_scores(plan: Plan, values: np.ndarray, need: np.ndarray | None = None) -> np.ndarray:
    """The scales' own scores (NaN where there is no value or no fixed score).

    ``need`` (bool per indicator, default all) says which columns are read: a linear
    column nobody reads (a method of the answer's own number replaces it) stays NaN.
    """
    n, m = values.shape
    lo = np.where(plan.flip, plan.hi, plan.lo)
    span = np.where(plan.flip, -plan.span, plan.span)
    over = np.isinf(span)  # goalposts wider than the largest double: those columns halved
    if over.any():  # (exact, see normalizations._halved; a pass over the answers)
        values, lo, hi = _halved(over, values, lo, np.where(plan.flip, plan.lo, plan.hi))
        span = hi - lo
    every = need is None or bool(need.all())
    if plan.linear.size == m and every:
        return _linear(values, lo, span)
    z = np.full((n, m), np.nan)
    j = plan.linear if need is None else plan.linear[need[plan.linear]]
    if j.size:
        z[:, j] = _linear(values[:, j], lo[j], span[j])
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

    At most one new N × M array is kept: the scores. A method applied to every column
    in order writes it directly; columns whose fixed score no method reads are never
    computed; ``values`` is read through views where the columns allow.

    Args:
        plan: The compiled rubric.
        values: Stored values, NaN where missing or not applicable. Not modified.
        periods: Row indices of each period.
        population: Boolean row mask of the population used for statistics.
        stats: Where the statistics come from (default: the population's rows).
    """
    m = values.shape[1]
    need = np.ones(m, bool)
    for grp in plan.normalizers:
        need[grp.cols[grp.raw]] = False
    if len(plan.normalizers) == 1 and not need.any():
        grp = plan.normalizers[0]
        if grp.cols.size == m and bool((grp.cols == np.arange(m)).all()):
            out = _apply(grp, values, values, periods, population, stats)
            if np.may_share_memory(out, values):  # a method that handed its input back
                out = out.copy()
            return out
    z = fixed_scores(plan, values, need)
    for grp in plan.normalizers:
        z[:, grp.cols] = _apply(grp, values, z, periods, population, stats)
    return z


def _every_row(rows: np.ndarray, n: int) -> bool:
    """``rows`` (increasing row indices) are all ``n`` rows."""
    return rows.size == n and (n == 0 or (int(rows[0]) == 0 and int(rows[-1]) == n - 1))


def _apply(
    grp: NormGroup,
    values: np.ndarray,
    z: np.ndarray,
    periods: Sequence[np.ndarray],
    population: np.ndarray,
    stats: StatsSource | None,
) -> np.ndarray:
    cols, spec = grp.cols, grp.spec
    if grp.raw.all():
        base = _columns(values, cols)
    elif not grp.raw.any():
        base = _columns(z, cols)
    else:
        base = np.where(grp.raw, _columns(values, cols), _columns(z, cols))
    if spec.population:
        if (grp.sign != 1.0).any():
            base = base * grp.sign
        n = base.shape[0]
        out: np.ndarray | None = None
        for i, rows in enumerate(periods):
            every = _every_row(rows, n)
            part = base if every else base[rows]
            if stats is None:
                ref = ColumnStats(_members(base, rows, population)(), spec.stats)
            else:
                ref = stats.of_indicators(grp, i, _members(base, rows, population))
            res = _checked(spec.name, spec.func(part, ref, **grp.params), part)
            if every and len(periods) == 1:
                out = res
                continue
            if out is None:
                out = np.full(base.shape, np.nan)
            out[rows] = res
        if out is None:
            out = np.full(base.shape, np.nan)
    else:
        out = _checked(spec.name, spec.func(base, **grp.params), base)
        if grp.flip_after.any():
            out = np.where(grp.flip_after, 1.0 - out, out)
    if not spec.builtin:
        with np.errstate(invalid="ignore"):
            out = np.clip(out, 0.0, 1.0)
    return out


def _members(a: np.ndarray, rows: np.ndarray, population: np.ndarray) -> Rows:
    """The rows of ``a`` (``... × rows × columns``) in the population, when asked for
    (``a`` itself, not a copy, when that is every row)."""
    n = a.shape[-2]
    if _every_row(rows, n) and bool(population.all()):
        return lambda: a
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
            ref = ColumnStats(_members(s, rows, population)(), spec.stats)
        else:
            assert nodes is not None
            ref = stats.of_nodes(nodes, i, _members(s, rows, population))
        if _every_row(rows, s.shape[-2]) and len(periods) == 1:
            return np.asarray(spec.func(s, ref), np.float64)
        out[..., rows, :] = spec.func(s[..., rows, :], ref)
    return out
