"""Gap to the next band: the fewest answer changes that move an agency up, verified.

Every proposal is rescored with the real engine. When the rubric has no
population-relative method (no ``minmax``/``zscore``/``rank``/``percentile``/``target``
normalisation and no node ``rescale``) agencies are independent, so candidate
answer vectors are scored together as rows of one response set; otherwise each
candidate replaces the agency's row inside its period of the full response set and
the whole period is rescored.

Search (docs/analysis-explain.md): the candidate changes move one indicator to a
better value its scale allows. When scores are linear in the answers (arithmetic means,
fixed normalisation) the band rules become additive requirements on the rescored gains
of single changes, and a branch and bound finds the sets of fewest changes, least effort
first. Otherwise sets of indicators are enumerated by increasing size with each
indicator at its best value (the first size with a set that reaches the band is the
minimum, as scores never fall when an answer improves). Past ``budget`` a greedy search
takes the change that most reduces the shortfall per effort, then drops every change not
needed (``optimal`` only when it meets the lower bound). Each change is then lowered to
the least value that still reaches the band (numbers: the exact threshold, with the
fewest decimals). Minimality is checked by rescoring with each change undone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from .._args import require, require_period, require_text
from .._tabular import Record, Tabular
from ..engine.plan import compile_rubric
from ..engine.rows import RowScores
from ..responses import Period
from ..results import Results
from ._gap_rescore import Scorer, Steps, drive
from ._gap_search import _apply, _cover, _lower_bound, _requirements, _Search
from ._gap_target import target as _target
from ._tables import gap_headline, gap_records, gap_svg
from .distance import Distance, Shortfall, distance_to_target

__all__ = [
    "AnswerChange",
    "Change",
    "Distance",
    "Gap",
    "GapOption",
    "Option",
    "Shortfall",
    "distance_to_target",
    "gap",
    "gap_plans",
]


@attrs.frozen(slots=True)
class AnswerChange:
    """One answer to change. ``proposed`` is written as a person would answer: a level
    or option label, ``yes``, a number, or checklist items ``a|b|c`` (``current``:
    ``None`` when unanswered).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "no"}], r))
        >>> c = rm.gap(res, "x").changes[0]
        >>> isinstance(c, rm.AnswerChange), c.indicator, c.current, c.proposed
        (True, 'a', 'no', 'yes')

    .. versionadded:: 0.1.0
    """

    indicator: str
    title: str
    current: str | float | None
    proposed: str | float | None
    stored: float
    effort: float | None
    gain: float  # overall gain of this change alone, rescored
    added_items: tuple[str, ...] = ()


#: The former name of :class:`AnswerChange` (``readiness_model.analysis.gap.Change``).
Change = AnswerChange


@attrs.frozen(slots=True)
class GapOption:
    """A set of changes with its rescored result. ``effort`` counts 1 per change
    whose indicator has no effort.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", effort="low"), rm.Indicator("b", effort="high")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "no", "b": "no"}], r))
        >>> alt = rm.gap(res, "x").alternatives[0]
        >>> isinstance(alt, rm.GapOption), alt.band_after, alt.overall_after
        (True, 'good', 50.0)

    .. versionadded:: 0.1.0
    """

    changes: tuple[AnswerChange, ...]
    band_after: str | None
    overall_after: float
    effort: float
    gain: float


#: The former name of :class:`GapOption`.
Option = GapOption


@attrs.frozen(slots=True, repr=False)
class Gap(Tabular):
    """The smallest set of changes that reaches ``target_band`` (or a band above it).

    Attributes:
        reached: Rescoring with ``changes`` applied gives ``target_band`` or better.
        method: ``exact``, ``greedy``, ``none-needed`` or ``unreachable``.
        optimal: The number of changes is the minimum (exact search).
        minimal: Verified by rescoring: undoing any one change loses the band.
        alternatives: Other solutions of the same size, by effort then gain.
        options: Every single change at its best value, by gain per effort.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", effort="low"), rm.Indicator("b", effort="high")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "no", "b": "no"}], r))
        >>> g = rm.gap(res, "x")
        >>> g.band_before, g.target_band, g.overall_before, g.overall_after, g.method
        ('weak', 'good', 0.0, 50.0, 'exact')
        >>> [[c.indicator for c in alt.changes] for alt in g.alternatives]
        [['b']]

    .. versionadded:: 0.1.0
    """

    agency: str
    period: Period
    band_before: str | None
    target_band: str | None
    overall_before: float
    reached: bool
    band_after: str | None
    overall_after: float
    changes: tuple[AnswerChange, ...]
    method: str
    optimal: bool
    minimal: bool
    alternatives: tuple[GapOption, ...]
    options: tuple[AnswerChange, ...]
    evaluations: int

    def to_records(self) -> list[Record]:
        """Tidy long form: one row per change of the plan (``plan`` 0) and of each
        alternative (1, 2, ...), with the band and overall score it reaches.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", effort="low"), rm.Indicator("b", effort="high")])],
            ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
            >>> res = rm.score(r, rm.ResponseSet.from_records(
            ...     [{"agency": "x", "period": 1, "a": "no", "b": "no"}], r))
            >>> [(x["plan"], x["indicator"], x["proposed"]) for x in rm.gap(res, "x").to_records()]
            [(0, 'a', 'yes'), (1, 'b', 'yes')]
        """
        return gap_records(self)

    def _headline(self) -> str:
        return gap_headline(self)

    def _svg(self) -> str:
        return gap_svg(self)


def _change(search: _Search, j: int, v: float, gain: float) -> AnswerChange:
    ind = search.inds[j]
    cur = search.sc.base[j]
    s = ind.scale

    def written(x: float) -> str | float | None:
        return None if math.isnan(x) else s.written(x)

    added = s.added_items(None if math.isnan(cur) else float(cur), v)
    return AnswerChange(
        ind.id, ind.label(), written(cur), written(v), float(v), ind.effort_cost, gain, added
    )


def gap(
    results: Results,
    agency: str,
    period: Period | None = None,
    *,
    target_band: str | None = None,
    budget: int = 50_000,
) -> Gap:
    """The fewest answer changes that move an agency into the next band up.

    Args:
        results: Results of :func:`readiness_model.score` (with their answers).
        agency: Agency id. period: its period (default: the latest).
        target_band: Band to reach (default: the next band above the current one).
        budget: Most candidate rescorings for the exact search before going greedy.

    Returns:
        A :class:`Gap`; ``reached`` is only True when rescoring shows the band.

    Raises:
        RubricError: the rubric has no bands, or ``target_band`` is unknown.
        ResponseError: unknown agency/period, or results without answers.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", effort="low"), rm.Indicator("b", effort="high")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "no", "b": "no"}], r))
        >>> g = gap(res, "x")
        >>> [(c.indicator, c.proposed) for c in g.changes], g.band_after, g.reached
        ([('a', 'yes')], 'good', True)

    .. versionadded:: 0.1.0
    """
    require(results, Results, "results")
    require_text(agency, "agency")
    require_period(period)
    row, t = _target(results, agency, period, target_band)
    return drive([_steps(results, row, t, budget, Scorer(results, row))])[0]


def gap_plans(
    results: Results, rows: Sequence[int], *, budget: int = 50_000, alternatives: bool = True
) -> list[Gap]:
    """The gap to the next band up of every row in ``rows``, searched side by side.

    Each plan is exactly what :func:`gap` gives for that agency-period; the candidate
    answer sets of all rows are rescored together, a few dozen engine passes for a
    whole survey (see :mod:`._gap_rescore`).

    Raises:
        RubricError: the rubric has no bands.
        ResponseError: results without answers.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", effort="low"), rm.Indicator("b", effort="high")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[0, 0], [1, 0]], ["x", "y"], r))
        >>> [(g.agency, [c.indicator for c in g.changes]) for g in gap_plans(res, [0, 1])]
        [('x', ['a']), ('y', [])]
    """
    plan = compile_rubric(results.rubric)
    steps = []
    for row in rows:
        r, t = _target(results, results.agencies[row], results.periods[row], None, row)
        steps.append(_steps(results, r, t, budget, Scorer(results, r, plan), alternatives))
    return drive(steps)


def _steps(
    results: Results, row: int, t: int, budget: int, sc: Scorer, alternatives: bool = True
) -> Steps[Gap]:
    """The gap search of one row, as a generator of rescoring asks (see ``drive``).

    Without ``alternatives`` only the sets that can come first are refined: the plan's
    changes are the same, its ``alternatives`` empty.
    """
    ids = [b.id for b in results.rubric.bands]
    now = results.band[row]
    cur = -1 if now is None else ids.index(now)
    before = float(results.overall[row])
    head: dict[str, Any] = {
        "agency": results.agencies[row],
        "period": results.periods[row],
        "band_before": results.band[row],
        "target_band": ids[t],
        "overall_before": before,
    }
    if 0 <= cur <= t:
        return Gap(
            **head,
            reached=True,
            band_after=results.band[row],
            overall_after=before,
            changes=(),
            method="none-needed",
            optimal=True,
            minimal=True,
            alternatives=(),
            options=(),
            evaluations=0,
        )
    search = _Search(sc, t, budget)
    keys = sorted(search.cand)
    singles = np.array([_apply(sc.base, {j: search.cand[j][-1]}) for j in keys])
    souts: RowScores | None = None
    gains: dict[int, float] = {}
    if keys:
        souts = yield from sc.score(singles)
        gains = dict(zip(keys, (souts.overall - before).tolist(), strict=True))
    options = tuple(
        sorted(
            (_change(search, j, search.cand[j][-1], gains[j]) for j in keys),
            key=lambda c: -c.gain / (c.effort or 1.0),
        )
    )
    everything = _apply(sc.base, search.best(tuple(keys)))
    if not keys or not (yield from search.ok(everything[None, :]))[0]:
        got = yield from sc.score(everything[None, :])
        band, overall = got.band, got.overall
        return Gap(
            **head,
            reached=False,
            band_after=None if band[0] < 0 else ids[band[0]],
            overall_after=float(overall[0]),
            changes=(),
            method="unreachable",
            optimal=True,
            minimal=True,
            alternatives=(),
            options=options,
            evaluations=sc.count,
        )
    reqs = _requirements(search, results, row, souts)
    lower = _lower_bound(reqs)
    eff = {j: search.inds[j].effort_cost or 1.0 for j in keys}
    sets: list[tuple[int, ...]] | None = None
    method, optimal = "exact", True
    if reqs is not None:  # linear: branch and bound on the gains, verified below
        found = _cover(reqs, np.array([eff[j] for j in keys]), lower, nodes=budget)
        if found:
            cand = [tuple(keys[p] for p in js) for js in found]
            hit = yield from search.ok(np.array([_apply(sc.base, search.best(js)) for js in cand]))
            sets = [js for js, h in zip(cand, hit, strict=True) if h] or None
    if not sets:
        sets = yield from search.exact(lower)
    if not sets:
        sets = [(yield from search.greedy())]
        method, optimal = "greedy", len(sets[0]) <= lower
    sets = sorted(sets, key=lambda js: (sum(eff[j] for j in js), -sum(gains[j] for j in js)))[:20]
    if not alternatives:  # only a set of the least effort can come first once refined
        least = min(sum(eff[j] for j in js) for js in sets)
        sets = [js for js in sets if sum(eff[j] for j in js) == least]
    solutions: list[tuple[GapOption, dict[int, float]]] = []
    for js in sets:
        chosen = yield from search.refine(js)
        got = yield from sc.score(_apply(sc.base, chosen)[None, :])
        band, overall = got.band, got.overall
        opt = GapOption(
            tuple(_change(search, j, v, 0.0) for j, v in chosen.items()),
            None if band[0] < 0 else ids[band[0]],
            float(overall[0]),
            sum(eff[j] for j in js),
            float(overall[0]) - before,
        )
        solutions.append((opt, chosen))
    solutions.sort(key=lambda o: (o[0].effort, -o[0].gain))
    shown = solutions[: 6 if alternatives else 1]
    best, chosen = shown[0]
    drops = np.array([_apply(sc.base, {k: v for k, v in chosen.items() if k != j}) for j in chosen])
    minimal = not (yield from search.ok(drops)).any()
    # each change's gain alone, for the best solution and the alternatives in one rescoring
    single_changes = [(j, v) for _, ch in shown for j, v in ch.items()]
    got = yield from sc.score(np.array([_apply(sc.base, {j: v}) for j, v in single_changes]))
    alone = iter(got.overall - before)
    shown = [
        (
            attrs.evolve(
                o, changes=tuple(attrs.evolve(c, gain=float(next(alone))) for c in o.changes)
            ),
            ch,
        )
        for o, ch in shown
    ]
    best = shown[0][0]
    changes = best.changes
    reached = best.band_after is not None and ids.index(best.band_after) <= t
    return Gap(
        **head,
        reached=reached,
        band_after=best.band_after,
        overall_after=best.overall_after,
        changes=changes,
        method=method,
        optimal=optimal,
        minimal=minimal,
        alternatives=tuple(o for o, _ in shown[1:]),
        options=options,
        evaluations=sc.count,
    )
