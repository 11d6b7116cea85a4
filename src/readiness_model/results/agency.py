"""One agency-period of results (:class:`AgencyResult`) and the records of all of them:
plain values for people and tools, built from the result arrays.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import attrs

from .._tabular import Record
from ..responses import Period, ResponseSet
from .provenance import ASSESSED
from .views import view

if TYPE_CHECKING:  # typing only; explain is drawn by a higher layer (provide_view)
    from ..analysis.explain import Explanation
    from ..model import Rubric
    from . import Results

__all__ = ["AgencyResult", "agency_result", "records_of"]


@attrs.frozen(slots=True)
class AgencyResult:
    """Everything about one agency in one period.

    Attributes:
        dimensions: Score of every node by id (reported scale; NaN = missing/n.a.).
        indicators: Normalised score in [0, 1] of every indicator by id (NaN = no value).
        answers: The answer as written (``None`` missing, ``"n/a"`` not applicable).
        status: ``assessed``, or ``not_assessed`` (no score, band, trend, group or
            coverage; ``overall`` is the rubric's shown score or NaN).

    Example:
        >>> import readiness_model as rm
        >>> from importlib.resources import files
        >>> rubric = rm.load_rubric("thai-dg-readiness-2016")
        >>> survey = files("readiness_model") / "data" / "demo-survey-2015-2016.csv"
        >>> res = rm.score(rubric, rm.load_responses(survey, rubric))
        >>> opm = res.agency("opm", 2016)
        >>> opm.overall, opm.band, opm.trend, opm.group, opm.rank, opm.change
        (29.49, 'initial', 'limited', 'lagging', 150, 1.68)
        >>> opm.dimensions["policy"], opm.answers["dg_plan"], opm.attributes["kind"]
        (30.0, 'no', 'ministry')

    .. versionadded:: 0.1.0
    """

    agency: str
    period: Period
    overall: float
    coverage: float
    band: str | None
    trend: str | None
    group: str | None
    rank: int | None
    change: float | None
    dimensions: dict[str, float]
    coverage_by_node: dict[str, float]
    indicators: dict[str, float]
    answers: dict[str, str | float | None]
    attributes: dict[str, str | None]
    origin: str
    results: Results = attrs.field(repr=False, eq=False)
    status: str = ASSESSED

    def explain(self) -> Explanation:
        """Contributions of every indicator (see :func:`readiness_model.explain`).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> [(c.indicator, c.contribution) for c in res.agency("x").explain().contributions]
            [('a', 75.0), ('b', 0.0)]
        """
        explanation: Explanation = view("explain")(self.results, self.agency, period=self.period)
        return explanation

    def _repr_svg_(self) -> str:
        """Notebook display: the radar chart of the dimension scores."""
        return str(view("radar_svg")(self.results, self.agency, self.period))

    def _repr_html_(self) -> str:
        """Notebook display: the agency's report card (radar chart, weakest indicators)."""
        return str(view("agency_html")(self.results, self.agency, self.period))


def agency_result(results: Results, i: int) -> AgencyResult:
    """Everything about row ``i`` of ``results`` (see :meth:`Results.agency`).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r))
        >>> agency_result(res, 1).overall
        0.0
    """
    ind_ids = [x.id for x in results.rubric.indicators]
    answers: dict[str, str | float | None] = {}
    if results.responses is not None:
        answers = _answers_row(results.responses, results.rubric, i)
    return AgencyResult(
        agency=results.agencies[i],
        period=results.periods[i],
        overall=float(results.overall[i]),
        coverage=float(results.coverage[i]),
        band=results.band[i],
        trend=results.trend[i],
        group=results.group[i],
        rank=int(results.rank[i]) or None,
        change=None if math.isnan(results.change[i]) else float(results.change[i]),
        dimensions={n: float(results.node_scores[i, k]) for k, n in enumerate(results.node_ids)},
        coverage_by_node={
            n: float(results.node_coverage[i, k]) for k, n in enumerate(results.node_ids)
        },
        indicators={n: float(results.indicator_scores[i, j]) for j, n in enumerate(ind_ids)},
        answers=answers,
        attributes={k: v[i] for k, v in results.attributes},
        origin=results.origin[i],
        results=results,
        status=results.status[i],
    )


def records_of(results: Results) -> list[Record]:
    """One record per row (see :meth:`Results.to_records`).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1]], ["x"], r))
        >>> records_of(res)[0]["overall"]
        100.0
    """
    out = []
    for i in range(len(results.agencies)):
        rec: Record = {"agency": results.agencies[i], "period": results.periods[i]}
        for k, v in results.attributes:
            rec[k] = v[i]
        rec.update(
            status=results.status[i],
            overall=_num(results.overall[i]),
            band=results.band[i],
            trend=results.trend[i],
            group=results.group[i],
            rank=int(results.rank[i]) or None,
            coverage=_num(results.coverage[i]),
            change=_num(results.change[i]),
        )
        for col, n in enumerate(results.node_ids):
            rec[n] = _num(results.node_scores[i, col])
        out.append(rec)
    return out


def _num(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _answers_row(responses: ResponseSet, rubric: Rubric, i: int) -> dict[str, str | float | None]:
    out: dict[str, str | float | None] = {}
    for j, x in enumerate(rubric.indicators):
        if responses.na[i, j]:
            out[x.id] = "n/a"
        elif responses.missing[i, j]:
            out[x.id] = None
        else:
            out[x.id] = x.scale.written(float(responses.values[i, j]))
    return out
