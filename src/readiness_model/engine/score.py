"""``score(rubric, responses) -> Results``: normalise → walk → classify, vectorised."""

from __future__ import annotations

import numpy as np

from .._arrays import readonly
from .._version import __version__
from ..errors import Problem, ResponseError
from ..io.answer_cells import period_order
from ..model import Rubric
from ..responses import ResponseSet
from ..results import ANSWERED, Provenance, Results
from .classify import classify, previous_rows, reported
from .normalize import indicator_scores, rescale_by_period
from .plan import Plan, compile_rubric
from .walk import walk

__all__ = ["check_responses", "period_rows", "population_mask", "score"]


def population_mask(rubric: Rubric, responses: ResponseSet) -> np.ndarray:
    """Rows that belong to the rubric's declared population (all rows when none)."""
    mask = np.ones(len(responses.agencies), bool)
    for key, accepted in rubric.population:
        col = responses.attribute(key)
        acc = {a.casefold() for a in accepted}
        mask &= np.array([v is not None and v.casefold() in acc for v in col], bool)
    return mask


def period_rows(responses: ResponseSet) -> list[np.ndarray]:
    """Row indices of each period, in period order."""
    order = period_order(responses.periods)
    if len(order) == 1:
        return [np.arange(len(responses.periods))]
    codes = np.array([order[p] for p in responses.periods], np.int64)
    return [np.flatnonzero(codes == i) for i in range(len(order))]


def check_responses(rubric: Rubric, plan: Plan, responses: ResponseSet) -> None:
    """Raise ``ResponseError`` when the answers were read for other indicators, or an
    answer the rubric requires (policy ``error``) is missing."""
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
    if plan.required.any():
        bad = responses.missing & plan.required
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
    check_responses(rubric, plan, responses)
    periods = period_rows(responses)
    pop = population_mask(rubric, responses)
    z = readonly(indicator_scores(plan, responses.values, periods, pop), copy=False)
    tree = walk(
        plan,
        z,
        responses.missing,
        responses.na,
        rescale=lambda s: rescale_by_period(s, periods, pop),
    )
    node_exact = readonly(reported(rubric, tree.nodes), copy=False)
    overall_exact = readonly(reported(rubric, tree.overall), copy=False)
    cls = classify(
        rubric,
        plan,
        overall_exact,
        tree.overall_coverage,
        node_exact,
        tree.node_applicable()[:, plan.top],
        previous=previous_rows(responses.agencies, responses.periods),
        ranked=(pop, periods),
    )
    assert cls.node_scores is not None
    assert cls.trend is not None
    assert cls.group is not None

    def ids_of(idx: np.ndarray | None, names: list[str]) -> tuple[str | None, ...]:
        assert idx is not None
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
        node_scores=readonly(cls.node_scores, copy=False),
        node_exact=node_exact,
        node_coverage=readonly(tree.node_coverage(), copy=False),
        overall=readonly(cls.overall, copy=False),
        overall_exact=overall_exact,
        coverage=readonly(tree.overall_coverage, copy=False),
        band=ids_of(cls.band, [b.id for b in rubric.bands]),
        trend=ids_of(cls.trend, [t.id for t in rubric.trend]),
        group=ids_of(cls.group, [g.id for g in rubric.groups]),
        rank=cls.rank,
        change=cls.change,
        in_population=pop,
        origin=(ANSWERED,) * len(responses.agencies),
        provenance=Provenance(
            rubric.id,
            rubric.version,
            rubric.content_hash,
            __version__,
            rubric_chain=rubric.lineage,
            methods=plan.plugins,
        ),
    )
