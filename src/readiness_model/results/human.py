"""Results as a CSV for people: the columns a director reads, not read back.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ..io.csv_text import escape_column, float_texts, write_rows

if TYPE_CHECKING:
    from . import Results

__all__ = ["HUMAN_COLS", "human_csv"]


HUMAN_COLS = ("rank", "agency", "period")
"""The first columns of the ``columns="human"`` CSV (then attributes, band, group,
trend, overall, every node, coverage, change, rubric and rubric_version)."""


def human_csv(r: Results, *, safe: bool = True) -> str:
    """The results as a CSV for people: rank, agency, period, the attributes (name...),
    band, group, trend, overall, every node's score, coverage, change, and the rubric id
    and version; no exact detail columns (not readable by :func:`.results_csv.results_from_csv`).

    Example:
        >>> import readiness_model as rm
        >>> rub = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(rub, rm.ResponseSet.from_array([[1]], ["x"], rub))
        >>> human_csv(res).splitlines()[0]
        'rank,agency,period,band,group,trend,overall,d,coverage,change,rubric,rubric_version'
    """
    n = len(r)
    names = [k for k, _ in r.attributes]

    def labels(col: tuple[str | None, ...]) -> list[str]:
        return escape_column((v or "" for v in col), safe)

    columns: list[list[str]] = [
        [str(x) if x else "" for x in r.rank.tolist()],
        escape_column(r.agencies, safe),
        escape_column(map(str, r.periods), safe),
        *(labels(col) for _, col in r.attributes),
        labels(r.band),
        labels(r.group),
        labels(r.trend),
        float_texts(r.overall),
        *(float_texts(r.node_scores[:, j]) for j in range(r.node_scores.shape[1])),
        float_texts(r.coverage),
        float_texts(r.change),
        escape_column([r.provenance.rubric_id] * n, safe),
        escape_column([r.provenance.rubric_version] * n, safe),
    ]
    head = [*HUMAN_COLS, *names, "band", "group", "trend", "overall", *r.node_ids]
    head += ["coverage", "change", "rubric", "rubric_version"]
    buf = io.StringIO()
    write_rows(buf, [[h] for h in escape_column(head, safe)])
    write_rows(buf, columns)
    return buf.getvalue()
