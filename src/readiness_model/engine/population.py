"""``population(rubric, responses) -> Population``: the statistics a round is scored with.

The same walk as :func:`~readiness_model.score`, with a recording statistics source:
each population-relative normalisation's statistics (what it declares) per period, the
unrescaled scores of each rescaled node, and the reported overall scores of the ranked
agencies. On the whole of a round the recorded statistics are exactly those ``score``
uses, so ``score(rubric, responses, population=population(rubric, responses))`` is
bit-identical to ``score(rubric, responses)``.

Partitions: node statistics depend on the indicator statistics (a node's score depends
on its normalised indicators), and a rescaled node's statistics on those of the
rescaled nodes below it. So a partitioned computation takes passes: each part computes
what it can given what is known; the merge keeps the statistics every part computed
with the same inputs; the next pass uses the merged ones (``known``)::

    pop = None
    while pop is None or not pop.complete:
        pop = functools.reduce(Population.merge,
                               [population(rubric, part, known=pop) for part in parts])

Two passes when the rubric has population-relative indicators (indicators, then the
overall scores), one more per level of nested node rescale, one when it has neither.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from .._version import __version__
from ..errors import Problem, ReadinessError
from ..model import Rubric
from ..populations import (
    ColumnStatistics,
    Population,
    Step,
    answers_digest,
    build_periods,
    fingerprint,
)
from ..responses import Period, ResponseSet
from .classify import reported, round_half_away
from .frozen import FrozenStats, check_population, flipped, rubric_steps
from .normalize import Rows, indicator_scores, rescale_by_period
from .plan import NormGroup, Plan, compile_rubric
from .score import check_responses, period_labels, period_rows, population_mask
from .stats import ColumnStats
from .walk import walk

__all__ = ["population", "rubric_steps"]


def _record(ref: ColumnStats, c: int, sign: float, stats: Sequence[str]) -> ColumnStatistics:
    """Column ``c`` of ``ref`` as kept, in the answer's own units (``sign`` -1: flipped)."""
    out: dict[str, object] = {"count": int(ref.count[c])}
    for key in ("min", "max", "mean", "sd"):
        if key in stats:
            out[key] = float(getattr(ref, key)[c])
    if "distinct" in stats:
        out["values"], out["counts"] = ref.distinct[c]
    st = ColumnStatistics(**out)  # type: ignore[arg-type]
    return flipped(st) if sign < 0 else st


class _Recorder:
    """Statistics from the rows (recorded per period), or from ``known`` for its steps."""

    def __init__(self, rubric: Rubric, plan: Plan, labels: list[Period], known: Population | None):
        self.labels = labels
        self.ids = tuple(x.id for x in rubric.indicators)
        self.nodes = plan.node_ids
        self.steps = rubric_steps(rubric, plan)
        self.step_of = {("nodes", c): s.name for s in self.steps for c in s.columns}
        self.given = {s.name for s in known.steps} if known is not None else set()
        self.frozen = FrozenStats(rubric, plan, known, labels) if known is not None else None
        self.seen: dict[tuple[Period, str, str], ColumnStatistics] = {}

    def of_indicators(self, grp: NormGroup, period: int, rows: Rows) -> ColumnStats:
        if "indicators" in self.given:
            assert self.frozen is not None
            return self.frozen.of_indicators(grp, period, rows)
        ref = ColumnStats(rows(), grp.spec.stats)
        for c, (j, sign) in enumerate(zip(grp.cols.tolist(), grp.sign.tolist(), strict=True)):
            key = (self.labels[period], "indicators", self.ids[j])
            self.seen[key] = _record(ref, c, sign, grp.spec.stats)
        return ref

    def of_nodes(self, nodes: np.ndarray, period: int, rows: Rows) -> ColumnStats:
        stats = ("count", "min", "max")
        own = [self.step_of["nodes", self.nodes[k]] not in self.given for k in nodes.tolist()]
        ref = ColumnStats(rows(), stats) if any(own) else None
        frozen = None
        if not all(own):
            assert self.frozen is not None
            frozen = self.frozen.of_nodes(nodes, period, rows)
        if frozen is None:
            assert ref is not None
            out = ref
        elif ref is None:
            out = frozen
        else:
            pick = np.array(own)
            out = ColumnStats.given(
                count=np.where(pick, ref.count, frozen.count),
                min=np.where(pick, ref.min, frozen.min),
                max=np.where(pick, ref.max, frozen.max),
            )
        if ref is not None:
            for c, k in enumerate(nodes.tolist()):
                if own[c]:
                    key = (self.labels[period], "nodes", self.nodes[k])
                    self.seen[key] = _record(ref, c, 1.0, stats)
        return out


def population(
    rubric: Rubric, responses: ResponseSet, *, known: Population | None = None
) -> Population:
    """The population statistics of a round: what its population-relative scores and
    its ranks are measured against, per period, over the rubric's statistics population.

    Args:
        rubric: The scoring method.
        responses: The round's answers (read for ``rubric``).
        known: Statistics already merged from every part of a partitioned round (see
            the module docstring): they are used as they are, and only the others are
            computed from ``responses``.

    Returns:
        A :class:`~readiness_model.Population`; :func:`~readiness_model.score` with
        ``population=`` scores against it.

    Raises:
        ResponseError: the responses were built for another rubric, or an answer is
            missing where the rubric's policy is ``error``.
        ReadinessError: ``known`` was computed with another rubric.

    Example:
        >>> import readiness_model as rm
        >>> uptime = rm.Indicator("uptime", scale=rm.NumericScale(),
        ...                       normalize=rm.Normalization("minmax"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[uptime])], rounding=2)
        >>> rs = rm.ResponseSet.from_array([[92.0], [97.5], [99.0]], ["a", "b", "c"], r,
        ...                                period=2016)
        >>> pop = rm.population(r, rs)
        >>> st = pop.statistics("uptime", 2016)
        >>> st.count, st.min, st.max, pop.statistics("overall", 2016).values.tolist()
        (3, 92.0, 99.0, [0.0, 78.57, 100.0])

    .. versionadded:: 0.2.0
    """
    return population_of(rubric, responses, known, None)


def population_of(
    rubric: Rubric, responses: ResponseSet, known: Population | None, answers_sha256: str | None
) -> Population:
    """:func:`population`, given the answers hash of ``responses``' population rows when
    an earlier pass over exactly these rows computed it (``None``: compute it)."""
    plan = compile_rubric(rubric)
    check_responses(rubric, plan, responses)
    periods = period_rows(responses)
    labels = period_labels(responses)
    mask = population_mask(rubric, responses)
    if known is not None:
        known = _known(rubric, known, labels)
    rec = _Recorder(rubric, plan, labels, known)
    z = indicator_scores(plan, responses.values, periods, mask, stats=rec)
    tree = walk(
        plan,
        z,
        responses.missing,
        responses.na,
        rescale=lambda s, nodes: rescale_by_period(s, periods, mask, nodes, rec),
    )
    if "overall" not in rec.given:
        overall = reported(rubric, tree.overall)
        if rubric.rounding is not None:
            overall = round_half_away(overall, rubric.rounding)
        for label, rows in zip(labels, periods, strict=True):
            x = overall[rows[mask[rows]]]
            values, counts = np.unique(x[~np.isnan(x)], return_counts=True)
            rec.seen[label, "overall", "overall"] = ColumnStatistics(
                int(counts.sum()), values=values, counts=counts
            )
    rows_of = dict(zip(labels, (int(mask[r].sum()) for r in periods), strict=True))
    known_periods = () if known is None else known.periods
    all_labels = [*labels, *(p.period for p in known_periods if p.period not in rows_of)]
    stats: dict[Period, dict[str, dict[str, ColumnStatistics]]] = {
        p: {"indicators": {}, "nodes": {}, "overall": {}} for p in all_labels
    }
    for (label, kind, key), st in rec.seen.items():
        stats[label][kind][key] = st
    for p in known_periods:  # copied statistics: every period of the known ones
        for step in (s for s in rec.steps if s.name in rec.given):
            for key in step.columns:
                kept = p.column(step.kind, key)
                if kept is not None:
                    stats[p.period][step.kind][key] = kept
    steps: list[Step] = []
    for step in rec.steps:
        basis = fingerprint(build_periods(all_labels, rows_of, stats, rec.steps), steps)
        given_by = known.answers_sha256 if known is not None and step.name in rec.given else None
        steps.append(attrs.evolve(step, basis=basis, given_by=given_by))
    return Population(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        rubric_sha256=rubric.content_hash,
        library_version=__version__,
        rows=int(mask.sum()),
        answers_sha256=(
            answers_sha256
            if answers_sha256 is not None
            else answers_digest(responses, np.flatnonzero(mask))
        ),
        steps=tuple(steps),
        periods=build_periods(all_labels, rows_of, stats, steps),
    )


def _known(rubric: Rubric, known: Population, labels: list[Period]) -> Population:
    """``known`` with only the steps it holds (checked against the rubric and periods)."""
    check_population(rubric, known, "known", complete=False)
    lost = [p for p in labels if p not in known.period_labels]
    if lost:
        raise ReadinessError(
            [
                Problem(
                    f"'known' has no statistics for period {', '.join(map(repr, lost))}",
                    "known",
                    hint="known must be merged from every part, this one included",
                )
            ]
        )
    return attrs.evolve(known, steps=tuple(s for s in known.steps if s.held))
