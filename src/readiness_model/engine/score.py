"""``score(rubric, responses) -> Results``: normalise → walk → classify, vectorised."""

from __future__ import annotations

import numpy as np

from .._args import require
from .._arrays import readonly
from .._version import __version__
from ..errors import Problem, ResponseError
from ..io.answer_cells import period_order
from ..model import Rubric
from ..populations import Population
from ..responses import Period, ResponseSet
from ..results import ANSWERED, ASSESSED, NOT_ASSESSED, Provenance, Results
from .classify import classify, previous_rows, reported
from .frozen import FrozenStats, check_population, ranks_against
from .normalize import indicator_scores, rescale_by_period
from .plan import Plan, compile_rubric
from .roles import roles
from .walk import walk

__all__ = [
    "check_indicators",
    "check_responses",
    "period_labels",
    "period_rows",
    "population_mask",
    "score",
]


def population_mask(rubric: Rubric, responses: ResponseSet) -> np.ndarray:
    """Rows of the statistics population: the rubric's ``population`` filter (all rows
    when none), rows not assessed left out (see :mod:`.roles`)."""
    out: np.ndarray = roles(rubric, responses).statistics.copy()
    return out


def period_rows(responses: ResponseSet) -> list[np.ndarray]:
    """Row indices of each period, in period order."""
    order = period_order(responses.periods)
    if len(order) == 1:
        return [np.arange(len(responses.periods))]
    codes = np.array([order[p] for p in responses.periods], np.int64)
    return [np.flatnonzero(codes == i) for i in range(len(order))]


def period_labels(responses: ResponseSet) -> list[Period]:
    """The periods of the answers, in period order (as :func:`period_rows` lists them).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> period_labels(rm.ResponseSet.from_array([[1], [0]], ["a", "a"], r,
        ...                                         period=[2016, 2015]))
        [2015, 2016]
    """
    return list(period_order(responses.periods))  # (a dict keeps its keys in order)


def check_indicators(rubric: Rubric, responses: ResponseSet) -> None:
    """Raise ``ResponseError`` when the answers were read for other indicators."""
    if responses.indicator_ids != tuple(x.id for x in rubric.indicators):
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


def check_responses(
    rubric: Rubric, plan: Plan, responses: ResponseSet, skip: np.ndarray | None = None
) -> None:
    """Raise ``ResponseError`` when the answers were read for other indicators, or an
    answer the rubric requires (policy ``error``) is missing (not looked for in the
    ``skip`` rows: agencies not assessed)."""
    check_indicators(rubric, responses)
    ids = tuple(x.id for x in rubric.indicators)
    if plan.required.any():
        bad = responses.missing & plan.required
        if skip is not None:
            bad &= ~skip[:, None]
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


def score(
    rubric: Rubric,
    responses: ResponseSet,
    *,
    population: Population | None = None,
    rank_against: Population | None = None,
) -> Results:
    """Score every agency-period of ``responses`` with ``rubric``.

    Pure: neither argument is modified, and the same inputs give bit-identical results.

    Population-relative scores (``minmax``, ``zscore``, ``rank``, ``percentile``,
    ``target``, node ``rescale``) are measured against each period's population of the
    answers themselves, unless ``population`` gives frozen statistics (a published round:
    late answers then move no published number). Answers outside the round's range follow
    each method's rule (min-max and rescale clamp to [0, 1], rank and percentile count
    the round's values below; docs/methodology.md §11).

    Args:
        rubric: The scoring method.
        responses: Answers read for ``rubric`` (same indicators, in the same order).
        population: Statistics to score against (:func:`~readiness_model.population`),
            computed with ``rubric``: per period of the same label, or a one-period
            population for every period.
        rank_against: Rank each agency among a round's ranked agencies instead of among
            the answers: ``1 +`` the number with a better reported score in the same
            period ("where would it have ranked in the 2016 round"). Usually the same
            population as ``population``.

    Returns:
        :class:`~readiness_model.Results` with one row per agency-period of ``responses``.

    Raises:
        ResponseError: the responses were built for another rubric, or an answer is
            missing where the rubric's policy is ``error``.
        ReadinessError: ``population`` or ``rank_against`` is not a complete population
            of ``rubric``, or lacks a period of the answers.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes",
        ...                                    "b": "no"}], r)
        >>> rm.score(r, rs).overall.tolist()
        [50.0]

        A late agency against the published round:

        >>> uptime = rm.Indicator("uptime", scale=rm.NumericScale(),
        ...                       normalize=rm.Normalization("minmax"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[uptime])])
        >>> round_ = rm.ResponseSet.from_array([[92.0], [97.5], [99.0]], ["a", "b", "c"], r)
        >>> pop = rm.population(r, round_)
        >>> late = rm.ResponseSet.from_array([[98.0], [100.0]], ["d", "e"], r)
        >>> res = rm.score(r, late, population=pop, rank_against=pop)
        >>> res.overall.round(2).tolist(), res.rank.tolist()
        ([85.71, 100.0], [2, 1])

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``population`` and ``rank_against``.
    """
    require(rubric, Rubric, "rubric")
    require(responses, ResponseSet, "responses")
    plan = compile_rubric(rubric)
    check_indicators(rubric, responses)
    role = roles(rubric, responses)
    check_responses(rubric, plan, responses, role.not_assessed)
    periods = period_rows(responses)
    pop, na = role.statistics, role.not_assessed
    labels = period_labels(responses)
    stats = None
    if population is not None:
        frozen = check_population(rubric, population)
        stats = FrozenStats(rubric, plan, frozen, labels)
    z = readonly(indicator_scores(plan, responses.values, periods, pop, stats), copy=False)
    tree = walk(
        plan,
        z,
        responses.missing,
        responses.na,
        rescale=lambda s, nodes: rescale_by_period(s, periods, pop, nodes, stats),
    )
    node_exact = reported(rubric, tree.nodes)
    overall_exact = reported(rubric, tree.overall)
    node_coverage, coverage = tree.node_coverage(), tree.overall_coverage
    if na.any():  # no score at all, not a score computed from what was answered
        z, node_exact, node_coverage = (np.where(na[:, None], np.nan, a) for a in
                                        (z, node_exact, node_coverage))  # fmt: skip
        overall_exact, coverage = (np.where(na, np.nan, a) for a in (overall_exact, coverage))
    cls = classify(
        rubric,
        plan,
        overall_exact,
        coverage,
        node_exact,
        tree.node_applicable()[:, plan.top],
        previous=previous_rows(responses.agencies, responses.periods),
        ranked=(role.ranked, periods) if rank_against is None else None,
        not_assessed=na,
    )
    rank = cls.rank
    if rank_against is not None:
        against = check_population(rubric, rank_against, "rank_against")
        rank = ranks_against(against, labels, cls.overall, role.ranked, periods)
    assert cls.node_scores is not None
    assert cls.trend is not None
    assert cls.group is not None

    def ids_of(idx: np.ndarray | None, names: list[str]) -> tuple[str | None, ...]:
        assert idx is not None
        if not names:
            return (None,) * len(idx)
        table = np.array([*names, None], dtype=object)
        return tuple(table[idx].tolist())  # -1 picks the trailing None

    return Results(
        rubric=rubric,
        responses=responses,
        agencies=responses.agencies,
        periods=responses.periods,
        attributes=responses.attributes,
        indicator_scores=readonly(z, copy=False),
        node_ids=plan.node_ids,
        node_scores=readonly(cls.node_scores, copy=False),
        node_exact=readonly(node_exact, copy=False),
        node_coverage=readonly(node_coverage, copy=False),
        overall=readonly(cls.overall, copy=False),
        overall_exact=readonly(overall_exact, copy=False),
        coverage=readonly(coverage, copy=False),
        band=ids_of(cls.band, [b.id for b in rubric.bands]),
        trend=ids_of(cls.trend, [t.id for t in rubric.trend]),
        group=ids_of(cls.group, [g.id for g in rubric.groups]),
        rank=rank,
        change=cls.change,
        in_population=pop,
        origin=(ANSWERED,) * len(responses.agencies),
        status=tuple(np.array([ASSESSED, NOT_ASSESSED], object)[na.view(np.int8)].tolist())
        if na.any()
        else (ASSESSED,) * len(responses.agencies),
        provenance=Provenance(
            rubric.id,
            rubric.version,
            rubric.content_hash,
            __version__,
            rubric_chain=rubric.lineage,
            methods=plan.plugins,
        ),
    )
