"""Scoring against a frozen :class:`~readiness_model.Population`: its statistics feed the
normalisations and the node rescale (:class:`FrozenStats`), its overall scores give
ranks (:func:`ranks_against`).

Answers outside the reference range follow each method's own rule, unchanged: min-max
and the node rescale clamp to [0, 1] (a node score stays on the rubric's scale, and the
published round keeps its numbers); z-scores are taken with the round's mean and sd,
then min-max over the round's z-range, clamped alike; rank and percentile count the
round's values below (and equal to) the answer, so an answer above every reference
value scores 1 and one below all scores 0; a target score runs from the round's minimum
to the target, clamped. Ranks against a round are ``1 +`` the number of the round's
ranked agencies with a better reported score: a tie shares the round's rank, and the
round's own ranks do not move (docs/methodology.md §11).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import Problem, ReadinessError
from ..model import Dimension, Rubric
from ..populations import ColumnStatistics, PeriodStatistics, Population, Step
from ..responses import Period
from .normalize import Rows
from .plan import NormGroup, Plan, compile_rubric
from .stats import ColumnStats

__all__ = [
    "FrozenStats",
    "check_population",
    "flipped",
    "period_map",
    "population_needs",
    "ranks_against",
    "rubric_steps",
]


def _bad(message: str, hint: str) -> ReadinessError:
    return ReadinessError([Problem(message, "population", hint=hint)])


def check_population(
    rubric: Rubric,
    pop: object,
    what: str = "population",
    *,
    complete: bool = True,
    file: str | None = None,
) -> Population:
    """``pop`` as a (complete, unless told otherwise) population of ``rubric``: a
    complete one holds, in every period, each statistic the rubric reads
    (:func:`population_needs`; problems located in ``file`` when given).

    Raises:
        ReadinessError: not a :class:`Population`, another rubric's, or incomplete.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> try:
        ...     check_population(r, "round-2016.json")
        ... except ReadinessError as err:
        ...     print(err.problems[0].hint)
        load it with rm.Population.from_json(path)
    """
    if not isinstance(pop, Population):
        raise _bad(
            f"'{what}' must be a Population (got {type(pop).__name__})",
            "load it with rm.Population.from_json(path)",
        )
    if pop.rubric_sha256 != rubric.content_hash:
        raise _bad(
            f"the population was computed with rubric {pop.rubric_id} {pop.rubric_version} "
            f"(sha256 {pop.rubric_sha256[:12]}…), not with {rubric.id} {rubric.version} "
            f"(sha256 {rubric.content_hash[:12]}…)",
            "compute the population with this rubric: rm.population(rubric, round_answers)",
        )
    missing = [s.name for s in pop.steps if not s.held]
    if missing and complete:
        raise _bad(
            f"the population is incomplete (it lacks the statistics of {', '.join(missing)})",
            "a merge of partitions needs another pass: "
            "rm.population(rubric, part, known=merged) for every part, merged again",
        )
    if complete:
        pop.require(population_needs(rubric), file)
    return pop


def population_needs(rubric: Rubric) -> dict[tuple[str, str], tuple[str, ...]]:
    """The statistics scoring with ``rubric`` reads from a population, per column:
    what each population-relative indicator's method declares (its min is the answers'
    max when lower is better: a population keeps answer units), the extremes of each
    rescaled node, the distinct overall scores (ranks against the round).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", rescale="minmax", indicators=[
        ...     rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("rank"))])])
        >>> for column, stats in population_needs(r).items():
        ...     print(column, stats)
        ('indicators', 'q') ('count', 'distinct')
        ('nodes', 'd') ('count', 'min', 'max')
        ('overall', 'overall') ('count', 'distinct')
    """

    plan = compile_rubric(rubric)
    ids = [x.id for x in rubric.indicators]
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    mirror = {"min": "max", "max": "min"}  # kept in answer units: −x's min is x's max
    for grp in plan.normalizers:
        if grp.spec.population:
            for j, sign in zip(grp.cols.tolist(), grp.sign.tolist(), strict=True):
                stats = grp.spec.stats
                if sign < 0:
                    stats = tuple(mirror.get(s, s) for s in stats)
                out["indicators", ids[j]] = stats
    kept = {"nodes": ("count", "min", "max"), "overall": ("count", "distinct")}
    for step in rubric_steps(rubric, plan):
        if step.kind in kept:
            out.update(((step.kind, c), kept[step.kind]) for c in step.columns)
    return out


def period_map(pop: Population, labels: Sequence[Period]) -> list[PeriodStatistics]:
    """The population's statistics for each period of the answers: the period of the
    same label, or the population's only period for every one.

    Raises:
        ReadinessError: an answers period the population does not have (and it has more
            than one).

    Example:
        >>> pop = Population("t", "1", "ab", "0.1.0", 3, f"{0:064x}", [],
        ...                  [PeriodStatistics(2016, 3)])
        >>> [p.period for p in period_map(pop, [2016, 2017])]
        [2016, 2016]
    """
    if len(pop.periods) == 1:
        return [pop.periods[0]] * len(labels)
    have = {p.period: p for p in pop.periods}
    lost = [p for p in labels if p not in have]
    if lost:
        raise _bad(
            f"the population has no statistics for period {', '.join(map(repr, lost))} "
            f"(it has {', '.join(map(repr, have))})",
            "score each period with the statistics of one round: population.select(PERIOD)",
        )
    return [have[p] for p in labels]


def flipped(st: ColumnStatistics) -> ColumnStatistics:
    """The statistics of ``−x`` from those of ``x`` (exactly; its own inverse).

    A population keeps a numeric answer's statistics in the answer's own units; a
    population-relative method reads ``−x`` when lower is better.

    Example:
        >>> f = flipped(ColumnStatistics(2, min=1.0, max=3.0, values=[1.0, 3.0], counts=[2, 1]))
        >>> f.min, f.max, f.values.tolist(), f.counts.tolist()
        (-3.0, -1.0, [-3.0, -1.0], [1, 2])
    """
    return ColumnStatistics(
        st.count,
        min=None if st.max is None else -st.max,
        max=None if st.min is None else -st.min,
        mean=None if st.mean is None else -st.mean,
        sd=st.sd,
        values=None if st.values is None else -st.values[::-1],
        counts=None if st.counts is None else st.counts[::-1],
    )


def given_stats(columns: Sequence[ColumnStatistics | None], stats: Sequence[str]) -> ColumnStats:
    """A :class:`ColumnStats` offering ``stats`` of ``columns`` (``None``: no value)."""
    cols = [c if c is not None else ColumnStatistics(0) for c in columns]
    out: dict[str, object] = {"count": np.array([c.count for c in cols], np.int64)}
    for key in ("min", "max", "mean", "sd"):
        if key in stats:
            out[key] = np.array([_value(getattr(c, key), c.count, key) for c in cols])
    if "distinct" in stats:
        empty = (np.empty(0), np.empty(0, np.int64))
        out["distinct"] = tuple(
            (c.values, c.counts) if c.values is not None and c.counts is not None else empty
            for c in cols
        )
    return ColumnStats.given(**out)


def _value(x: float | None, count: int, key: str) -> float:
    if x is None:
        if count:
            raise ValueError(f"the population does not keep the statistic {key!r}")
        return float("nan")
    return x


class FrozenStats:
    """Statistics from a population instead of the answers' own rows.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))])])
        >>> rs = rm.ResponseSet.from_array([[92.0], [99.0]], ["a", "b"], r, period=2016)
        >>> late = rm.ResponseSet.from_array([[95.5]], ["c"], r, period=2016)
        >>> rm.score(r, late, population=rm.population(r, rs)).overall.tolist()
        [50.0]
    """

    def __init__(self, rubric: Rubric, plan: Plan, pop: Population, labels: Sequence[Period]):
        self._periods = period_map(pop, labels)
        self._ids = tuple(x.id for x in rubric.indicators)
        self._nodes = plan.node_ids

    def of_indicators(self, grp: NormGroup, period: int, rows: Rows) -> ColumnStats:
        """The population's statistics of ``grp``'s columns (read as the method reads)."""
        p = self._periods[period]
        cols = []
        for j, sign in zip(grp.cols.tolist(), grp.sign.tolist(), strict=True):
            st = p.column("indicators", self._ids[j])
            cols.append(flipped(st) if st is not None and sign < 0 else st)
        return given_stats(cols, grp.spec.stats)

    def of_nodes(self, nodes: np.ndarray, period: int, rows: Rows) -> ColumnStats:
        """The population's statistics of the nodes' unrescaled scores."""
        p = self._periods[period]
        cols = [p.column("nodes", self._nodes[k]) for k in nodes.tolist()]
        return given_stats(cols, ("count", "min", "max"))


def ranks_against(
    pop: Population,
    labels: Sequence[Period],
    overall: np.ndarray,
    eligible: np.ndarray,
    periods: Sequence[np.ndarray],
) -> np.ndarray:
    """Competition ranks of the reported (rounded) ``overall`` scores among the
    population's ranked agencies of the same period: ``1 +`` those with a better score;
    0 where not ranked (not eligible, or no score).

    Example:
        >>> st = ColumnStatistics(4, values=[40.0, 60.0, 75.0], counts=[1, 2, 1])
        >>> pop = Population("t", "1", "ab", "0.1.0", 4, f"{0:064x}", [],
        ...                  [PeriodStatistics(2016, 4, overall=(("overall", st),))])
        >>> ranks_against(pop, [2016], np.array([60.0, 99.0, 10.0, np.nan]),
        ...               np.ones(4, bool), [np.arange(4)]).tolist()
        [2, 1, 5, 0]
    """
    rank = np.zeros(overall.shape, np.int64)
    for p, rows in zip(period_map(pop, labels), periods, strict=True):
        st = p.column("overall", "overall")
        values = np.empty(0) if st is None or st.values is None else st.values
        counts = np.empty(0, np.int64) if st is None or st.counts is None else st.counts
        cum = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        sel = rows[eligible[rows]]
        x = overall[sel]
        better = cum[-1] - cum[np.searchsorted(values, x, side="right")]
        rank[sel] = np.where(np.isnan(x), 0, 1 + better)
    return rank


def rubric_steps(rubric: Rubric, plan: Plan) -> list[Step]:
    """The steps of ``rubric``'s population statistics, in dependency order.

    Example:
        >>> import readiness_model as rm
        >>> from readiness_model.engine.plan import compile_rubric
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", rescale="minmax", indicators=[
        ...     rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("rank"))])])
        >>> [(s.name, s.columns) for s in rubric_steps(r, compile_rubric(r))]
        [('indicators', ('q',)), ('nodes-1', ('d',)), ('overall', ('overall',))]
    """
    relative = {int(j) for g in plan.normalizers if g.spec.population for j in g.cols}
    ids = tuple(x.id for j, x in enumerate(rubric.indicators) if j in relative)
    level: dict[str, int] = {}

    def lvl(d: Dimension) -> int:
        below = max((lvl(s) for s in d.dimensions), default=0)
        level[d.id] = below + (d.rescale == "minmax")
        return level[d.id]

    for d in rubric.dimensions:
        lvl(d)
    steps = [Step("indicators", "indicators", ids)]
    top = max((level[n] for n, r in zip(plan.node_ids, plan.rescale, strict=True) if r), default=0)
    for k in range(1, top + 1):
        nodes = tuple(
            n for n, r in zip(plan.node_ids, plan.rescale, strict=True) if r and level[n] == k
        )
        steps.append(Step(f"nodes-{k}", "nodes", nodes))
    steps.append(Step("overall", "overall", ("overall",)))
    return steps
