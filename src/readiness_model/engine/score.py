"""``score(rubric, responses) -> Results``: the whole pipeline, vectorised."""

from __future__ import annotations

import numpy as np

from .._version import __version__
from ..errors import Problem, ResponseError
from ..model import Rubric
from ..responses import ResponseSet
from ..results import Provenance, Results
from .aggregate import aggregate
from .classify import (
    assign_bands,
    assign_groups,
    assign_trends,
    competition_rank,
    period_order,
    previous_rows,
    round_half_away,
)
from .normalize import indicator_scores, minmax_by_period
from .plan import compile_rubric

__all__ = ["population_mask", "score"]


def population_mask(rubric: Rubric, responses: ResponseSet) -> np.ndarray:
    """Rows that belong to the rubric's declared population (all rows when none)."""
    mask = np.ones(len(responses.agencies), bool)
    for key, accepted in rubric.population:
        col = responses.attribute(key)
        acc = {a.casefold() for a in accepted}
        mask &= np.array([v is not None and v.casefold() in acc for v in col], bool)
    return mask


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def period_rows(responses: ResponseSet) -> list[np.ndarray]:
    """Row indices of each period, in period order."""
    order = period_order(responses.periods)
    if len(order) == 1:
        return [np.arange(len(responses.periods))]
    codes = np.array([order[p] for p in responses.periods], np.int64)
    return [np.flatnonzero(codes == i) for i in range(len(order))]


def score(rubric: Rubric, responses: ResponseSet) -> Results:
    """Score every agency-period of ``responses`` with ``rubric``.

    Pure: neither argument is modified, and the same inputs give bit-identical results.

    Args:
        rubric: The scoring method.
        responses: Answers read for ``rubric`` (same indicators, in the same order).

    Returns:
        :class:`~readiness_model.Results` with one row per agency-period of ``responses``.

    Raises:
        ResponseError: the responses were built for another rubric, or an answer is
            missing where the rubric's policy is ``error``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes",
        ...                                    "b": "no"}], r)
        >>> rm.score(r, rs).overall.tolist()
        [50.0]

    .. versionadded:: 0.1.0
    """
    plan = compile_rubric(rubric)
    ids = tuple(x.id for x in rubric.indicators)
    if responses.indicator_ids != ids:
        raise ResponseError(
            [
                Problem(
                    f"these responses were read for rubric {responses.rubric_id!r} with other "
                    f"indicators than {rubric.id!r}",
                    "",
                    hint="read the answers with this rubric",
                )
            ]
        )
    missing, na = responses.missing, responses.na
    if (plan.missing_policy == 2).any():
        bad = missing & (plan.missing_policy == 2)[None, :]
        if bad.any():
            rows, cols = np.nonzero(bad)
            raise ResponseError(
                [
                    Problem(
                        f"agency {responses.agencies[i]!r} (period {responses.periods[i]!r}) "
                        f"did not answer {ids[j]!r}, which the rubric requires",
                        f"row {i + 1}, column {ids[j]!r}",
                        hint="answer it, or mark it 'n/a' if it does not apply",
                    )
                    for i, j in zip(rows[:200], cols[:200], strict=True)
                ]
            )
    periods = period_rows(responses)
    pop = population_mask(rubric, responses)
    z = indicator_scores(plan, responses.values, periods, pop)
    tree = aggregate(plan, z, missing, na, lambda s: minmax_by_period(s, periods, pop))
    for a in (z, tree.nodes, tree.coverage, tree.overall, tree.overall_coverage):
        a.flags.writeable = False  # handed to Results without a copy

    lo, hi = rubric.scale
    span = hi - lo
    node_exact = _frozen(lo + tree.nodes * span)
    overall_exact = _frozen(lo + tree.overall * span)
    if rubric.rounding is not None:
        node_scores = _frozen(round_half_away(node_exact, rubric.rounding))
        overall = _frozen(round_half_away(overall_exact, rubric.rounding))
    else:
        node_scores, overall = node_exact, overall_exact

    band_idx = assign_bands(
        rubric.bands,
        overall,
        tree.overall_coverage,
        node_scores,
        plan.node_ids,
        plan.top,
        tree.applicable[:, plan.top],
    )
    prev = previous_rows(responses.agencies, responses.periods)
    change = np.where(prev >= 0, overall - overall[np.maximum(prev, 0)], np.nan)
    if rubric.rounding is not None:
        change = round_half_away(change, rubric.rounding)
    trend_idx = assign_trends(rubric.trend, change)
    band_ids = [b.id for b in rubric.bands]
    trend_ids = [t.id for t in rubric.trend]
    group_idx = assign_groups(rubric.groups, band_ids, trend_ids, band_idx, trend_idx)
    rank = competition_rank(overall, pop, periods)

    def ids_of(idx: np.ndarray, names: list[str]) -> tuple[str | None, ...]:
        table = np.array([*names, None], dtype=object)
        return tuple(table[idx].tolist())  # -1 picks the trailing None

    return Results(
        rubric=rubric,
        responses=responses,
        agencies=responses.agencies,
        periods=responses.periods,
        attributes=responses.attributes,
        indicator_scores=z,
        node_ids=plan.node_ids,
        node_scores=node_scores,
        node_exact=node_exact,
        node_coverage=tree.coverage,
        overall=overall,
        overall_exact=overall_exact,
        coverage=tree.overall_coverage,
        band=ids_of(band_idx, band_ids),
        trend=ids_of(trend_idx, trend_ids),
        group=ids_of(group_idx, [g.id for g in rubric.groups]),
        rank=rank,
        change=change,
        in_population=pop,
        origin=("answers",) * len(responses.agencies),
        provenance=Provenance(
            rubric.id, rubric.version, rubric.content_hash, __version__, rubric.lineage
        ),
    )
