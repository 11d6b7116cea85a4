"""What a report shows, gathered from Results without rescoring.

For each agency: its latest period's row (own answers before rolled-up rows), its
previous period's row, the population median of the top-level dimensions in that
period, its weakest indicators (:meth:`Explanation.weakest`), the shortfalls to the
next band's rules (:func:`distance_to_target` plus the band's coverage rule) and the
fewest answer changes that reach that band (:func:`~readiness_model.gap`, searched for
every card at once by :func:`plans_for`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np

from ..analysis.distance import distance_to_target
from ..analysis.explain import explain
from ..analysis.gap import Gap, gap_plans
from ..errors import Problem, ReadinessError, RubricError, UnknownAgencyError, did_you_mean
from ..io.answer_cells import period_order
from ..model import Band, Rubric
from ..responses import Period
from ..results import ANSWERED, Results

__all__ = [
    "AgencyView",
    "NextBand",
    "Weak",
    "agency_view",
    "latest_rows",
    "plans_for",
    "top_columns",
]


@attrs.frozen(slots=True)
class Weak:
    """One of an agency's weakest indicators.

    .. versionadded:: 0.1.0
    """

    indicator: str
    title: str
    score: float  # normalised, [0, 1]; NaN when missing
    remediation: str


@attrs.frozen(slots=True)
class NextBand:
    """The band above an agency's band and what it is short of.

    Attributes:
        shortfalls: ``(key, label, current, required)`` for every rule not yet met:
            key ``overall``, a dimension id or ``coverage``; scores on the rubric scale,
            coverage as a share.

    .. versionadded:: 0.1.0
    """

    band: str
    title: str
    shortfalls: tuple[tuple[str, str, float, float], ...]


@attrs.frozen(slots=True)
class AgencyView:
    """Everything an agency card shows.

    .. versionadded:: 0.1.0
    """

    row: int
    previous_row: int
    agency: str
    name: str
    period: Period
    dimensions: tuple[float, ...]
    median: tuple[float, ...]
    previous: tuple[float, ...] | None
    weakest: tuple[Weak, ...]
    next_band: NextBand | None
    plan: Gap | None = None


def top_columns(results: Results) -> list[int]:
    """Columns of ``results.node_ids`` holding the rubric's top-level dimensions."""
    index = {n: k for k, n in enumerate(results.node_ids)}
    return [index[d.id] for d in results.rubric.dimensions if d.id in index]


def latest_rows(results: Results) -> tuple[np.ndarray, np.ndarray]:
    """Each agency's latest row and the row of its previous period (-1: none).

    Among rows of the same agency and period, own answers come before rolled-up rows.

    Returns:
        ``(latest, previous)`` integer arrays, agencies in order of first appearance.
    """
    order = period_order(results.periods)
    best: dict[str, list[int]] = {}
    for i, a in enumerate(results.agencies):
        best.setdefault(a, []).append(i)
    for rows in best.values():
        rows.sort(key=lambda r: (order[results.periods[r]], results.origin[r] == ANSWERED))
    latest, previous = [], []
    for rows in best.values():
        last = rows[-1]
        latest.append(last)
        same = results.origin[last]
        earlier = [
            r
            for r in rows
            if order[results.periods[r]] < order[results.periods[last]]
            and results.origin[r] == same
        ]
        previous.append(earlier[-1] if earlier else -1)
    return np.array(latest, np.int64), np.array(previous, np.int64)


def period_medians(results: Results, cols: Sequence[int]) -> dict[Period, tuple[float, ...]]:
    """Median of each top-level dimension over the population rows of every period."""
    out: dict[Period, tuple[float, ...]] = {}
    own = np.array([o == ANSWERED for o in results.origin], bool)
    periods = np.array([str(p) for p in results.periods], dtype=object)
    for p in set(results.periods):
        mask = (periods == str(p)) & results.in_population & own
        if not mask.any():
            mask = periods == str(p)
        block = results.node_scores[np.ix_(mask, np.asarray(cols, np.int64))]
        med = []
        for k in range(block.shape[1]):
            col = block[:, k][~np.isnan(block[:, k])]
            med.append(float(np.median(col)) if col.size else math.nan)
        out[p] = tuple(med)
    return out


def _band_rules(rubric: Rubric, band: Band) -> dict[str, float]:
    targets: dict[str, float] = {}
    lo, _ = band.range.lower()
    if math.isfinite(lo):
        targets["overall"] = lo
    if band.all_dimensions is not None:
        for d in rubric.dimensions:
            targets[d.id] = band.all_dimensions
    for dim_id, minimum in band.dimensions:
        targets[dim_id] = max(minimum, targets.get(dim_id, -math.inf))
    return targets


def next_band(results: Results, row: int, lang: str = "en") -> NextBand | None:
    """The band above the row's band and the rules it does not meet yet (None at the top).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=75)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
        >>> next_band(res, 0).shortfalls
        (('overall', 'overall', 50.0, 75.0),)
    """
    rubric = results.rubric
    ids = [b.id for b in rubric.bands]
    if not ids:
        return None
    now = results.band[row]
    cur = ids.index(now) if now in ids else len(ids)
    if cur == 0:
        return None
    band = rubric.bands[cur - 1]
    dist = distance_to_target(
        results, results.agencies[row], _band_rules(rubric, band), results.periods[row]
    )
    short: list[tuple[str, str, float, float]] = []
    for item in dist.items:
        if item.met:
            continue
        label = "overall" if item.node == "overall" else rubric.dimension(item.node).label(lang)
        short.append((item.node, label, item.score, item.target))
    if band.min_coverage and results.coverage[row] < band.min_coverage:
        short.append(("coverage", "coverage", float(results.coverage[row]), band.min_coverage))
    return NextBand(band.id, band.label(lang), tuple(short))


def weakest(results: Results, row: int, lang: str = "en", n: int = 3) -> tuple[Weak, ...]:
    """The ``n`` indicators with most room to improve (see :meth:`Explanation.weakest`)."""
    if results.responses is None:
        return ()
    try:
        ex = explain(results, results.agencies[row], results.periods[row])
    except ReadinessError:
        return ()
    rubric = results.rubric
    out = []
    for c in ex.weakest(n):
        ind = rubric.indicator(c.indicator)
        out.append(Weak(ind.id, ind.label(lang), c.normalised, ind.remediation.get(lang)))
    return tuple(out)


def agency_view(
    results: Results,
    row: int,
    previous_row: int,
    median: tuple[float, ...],
    *,
    lang: str = "en",
    plan: Gap | None = None,
) -> AgencyView:
    """Gather one card's data (no rescoring; ``plan`` from :func:`plans_for`)."""
    cols = top_columns(results)
    dims = tuple(float(results.node_scores[row, k]) for k in cols)
    prev = (
        tuple(float(results.node_scores[previous_row, k]) for k in cols)
        if previous_row >= 0
        else None
    )
    name = results.attribute("name")[row] or results.agencies[row]
    return AgencyView(
        row=row,
        previous_row=previous_row,
        agency=results.agencies[row],
        name=name,
        period=results.periods[row],
        dimensions=dims,
        median=median,
        previous=prev,
        weakest=weakest(results, row, lang),
        next_band=next_band(results, row, lang),
        plan=plan,
    )


def plans_for(results: Results, rows: Sequence[int]) -> dict[int, Gap]:
    """The gap plan to the next band up of every row that has one to show: rows of
    agencies' own answers below the top band (rescored side by side, only the best plan
    kept: :func:`~readiness_model.analysis.gap.gap_plans`).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[0, 0], [1, 0]], ["x", "y"], r))
        >>> {row: [c.indicator for c in g.changes] for row, g in plans_for(res, [0, 1]).items()}
        {0: ['a']}
    """
    rubric = results.rubric
    if not rubric.bands or results.responses is None:
        return {}
    top = rubric.bands[0].id
    wanted = [int(r) for r in rows if results.origin[r] == ANSWERED and results.band[r] != top]
    return dict(zip(wanted, gap_plans(results, wanted, alternatives=False), strict=True))


def select_agencies(results: Results, latest: np.ndarray, wanted: Sequence[str]) -> np.ndarray:
    """The latest rows of the ``wanted`` agencies, in the order asked.

    Raises:
        ResponseError: an agency is not in the results (with the closest id).
    """
    by_id = {results.agencies[r]: r for r in latest.tolist()}
    bad = [a for a in wanted if a not in by_id]
    if bad:
        raise UnknownAgencyError(
            [
                Problem(
                    f"no agency {a!r} in these results",
                    "--agency",
                    hint=did_you_mean(a, set(by_id)) or "check the agency ids in the answers",
                )
                for a in bad
            ]
        )
    return np.array([by_id[a] for a in dict.fromkeys(wanted)], np.int64)


def check_rubric(results: Results, rubric: Rubric | None) -> Rubric:
    """The rubric to report with: ``rubric`` when it is the one that scored ``results``.

    Raises:
        RubricError: ``rubric`` differs from the rubric recorded in the results.
    """
    if rubric is None or rubric is results.rubric:
        return results.rubric
    if rubric.content_hash != results.provenance.rubric_sha256:
        raise RubricError(
            [
                Problem(
                    f"these results were scored with {results.provenance.rubric_id} "
                    f"{results.provenance.rubric_version}, not {rubric.id} {rubric.version}",
                    "rubric",
                    hint="score the answers with this rubric first, or omit the rubric",
                )
            ]
        )
    return rubric
