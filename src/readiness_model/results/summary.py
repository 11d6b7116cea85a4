"""Population statistics of scored results: the "OECD average" and "world average" rows.

:meth:`Results.summary <readiness_model.Results.summary>` gives, per period and node
(``overall`` first, then every dimension), the count, mean, median, minimum and maximum
of the reported scores over the rubric's statistics population: rows in the
``population`` (``Results.in_population``), assessed, scored from their own answers (not
rolled up), with a score. With ``by`` naming an agency attribute, one set of rows per
value of that attribute (region, income group, ministry...).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..io.csv_text import escape_column, float_texts, write_rows

if TYPE_CHECKING:
    from . import Results

__all__ = ["STATISTICS", "Summary", "summarize"]

STATISTICS = ("count", "mean", "median", "min", "max")
"""The statistics of every summary row, in order."""


@attrs.frozen(slots=True)
class Summary:
    """Statistics of the reported scores over the statistics population, per period,
    group (the ``by`` attribute's value; ``None`` without ``by``) and node.

    Attributes:
        rubric_id: The rubric of the results.
        rubric_version: Its version.
        by: The attribute the rows are grouped by, or ``None``.
        rows: ``(period, group, node, count, mean, median, min, max)`` tuples; the
            statistics of an empty set are NaN.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_array([[1], [0], [1]], ["x", "y", "z"], r, period=2016)
        >>> s = rm.score(r, rs).summary()
        >>> s.to_records()[0]
        {'period': 2016, 'node': 'overall', 'count': 3, 'mean': 66.66666666666667,
         'median': 100.0, 'min': 0.0, 'max': 100.0}

    .. versionadded:: 0.2.0
    """

    rubric_id: str
    rubric_version: str
    by: str | None
    rows: tuple[tuple[Any, str | None, str, int, float, float, float, float], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per row: period, the ``by`` attribute (when grouped), node, count,
        mean, median, min and max (``None`` for the statistics of an empty set).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("q")])])
            >>> rs = rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r,
            ...     attributes={"region": ["north", "south"]})
            >>> [(x["region"], x["node"], x["mean"]) for x in
            ...  rm.score(r, rs).summary(by="region").to_records()]
            [('north', 'overall', 100.0), ('north', 'd', 100.0), ('south', 'overall', 0.0),
             ('south', 'd', 0.0)]
        """
        out = []
        for period, group, node, count, *stats in self.rows:
            rec: dict[str, Any] = {"period": period}
            if self.by is not None:
                rec[self.by] = group
            rec.update(node=node, count=count)
            rec.update(
                {
                    k: None if math.isnan(v) else v
                    for k, v in zip(STATISTICS[1:], stats, strict=True)
                }
            )
            out.append(rec)
        return out

    def to_csv(self, path: str | Path | None = None, *, safe: bool = True) -> str:
        """CSV text (exact floats, blank for an empty set); written to ``path`` when given
        (atomically).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("q")])])
            >>> rs = rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r)
            >>> print(rm.score(r, rs).summary().to_csv(), end="")
            period,node,count,mean,median,min,max
            0,overall,2,50.0,50.0,0.0,100.0
            0,d,2,50.0,50.0,0.0,100.0
        """
        from ..io.atomic import write_atomic

        head = ["period", *([] if self.by is None else [self.by]), "node", *STATISTICS]
        cols: list[list[str]] = [escape_column((str(r[0]) for r in self.rows), safe)]
        if self.by is not None:
            cols.append(escape_column((r[1] or "" for r in self.rows), safe))
        cols.append(escape_column((r[2] for r in self.rows), safe))
        cols.append([str(r[3]) for r in self.rows])
        for k in range(4, 8):
            cols.append(float_texts(np.array([r[k] for r in self.rows], np.float64)))
        buf = io.StringIO()
        write_rows(buf, [[h] for h in escape_column(head, safe)])
        if self.rows:
            write_rows(buf, cols)
        text = buf.getvalue()
        if path is not None:
            write_atomic(path, text)
        return text

    def to_json(self, path: str | Path | None = None) -> str:
        """JSON text: the rubric, ``by`` and the records of :meth:`to_records`; written
        to ``path`` when given (atomically).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("q")])])
            >>> doc = json.loads(rm.score(r, rm.ResponseSet.from_array([[1]], ["x"], r))
            ...                  .summary().to_json())
            >>> doc["rubric"], doc["by"], doc["statistics"][0]["mean"]
            ('t', None, 100.0)
        """
        from ..io.atomic import write_atomic

        doc = {
            "rubric": self.rubric_id,
            "rubric_version": self.rubric_version,
            "by": self.by,
            "statistics": self.to_records(),
        }
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)
        if path is not None:
            write_atomic(path, text)
        return text

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`to_records` (needs ``readiness-model[pandas]``).

        Raises:
            MissingExtraError: pandas is not installed.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("q")])])
            >>> df = rm.score(r, rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r)
            ...               ).summary().to_dataframe()
            >>> df[["node", "count", "mean"]].values.tolist()
            [['overall', 2, 50.0], ['d', 2, 50.0]]
        """
        from ..responses.dataframe import pandas_module as _pandas

        pd = _pandas()
        columns = ["period", *([] if self.by is None else [self.by]), "node", *STATISTICS]
        return pd.DataFrame(self.to_records(), columns=columns)

    def __repr__(self) -> str:
        grouped = "" if self.by is None else f" by {self.by}"
        return f"<Summary {self.rubric_id} {self.rubric_version}{grouped}: {len(self)} rows>"


def summarize(results: Results, by: str | None = None) -> Summary:
    """The :class:`Summary` of ``results`` (see :meth:`Results.summary`).

    Raises:
        ResponseError: ``by`` is not an attribute of the results.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> len(summarize(rm.score(r, rm.ResponseSet.from_array([[1]], ["x"], r))))
        2
    """
    from ..io.answer_cells import period_order
    from .provenance import ASSESSED

    if by is not None and by not in {k for k, _ in results.attributes}:
        from ..errors import Problem, ResponseError, did_you_mean

        have = [k for k, _ in results.attributes]
        raise ResponseError(
            [
                Problem(
                    f"the results have no attribute {by!r} to group by",
                    "by",
                    hint=did_you_mean(by, have) if have else "the answers carried no attributes",
                )
            ]
        )
    counted = results.in_population & np.array(
        [
            s == ASSESSED and o == "answers"
            for s, o in zip(results.status, results.origin, strict=True)
        ],
        bool,
    )
    order = period_order(results.periods)
    keys = results.attribute(by) if by is not None else (None,) * len(results)
    scores = np.column_stack([results.overall, results.node_scores])
    names = ("overall", *results.node_ids)
    rows = []
    for period in sorted(order, key=lambda p: order[p]):
        in_period = counted & np.array([p == period for p in results.periods], bool)
        groups = sorted(
            {keys[i] for i in np.flatnonzero(in_period)}, key=lambda g: (g is None, g or "")
        )
        for g in groups:
            sel = in_period & np.array([k == g for k in keys], bool)
            for c, node in enumerate(names):
                col = scores[sel, c]
                col = col[~np.isnan(col)]
                if col.size:
                    stats = (
                        math.fsum(col.tolist()) / col.size,
                        float(np.median(col)),
                        float(col.min()),
                        float(col.max()),
                    )
                else:
                    stats = (math.nan,) * 4
                rows.append((period, g, node, int(col.size), *stats))
    return Summary(results.provenance.rubric_id, results.provenance.rubric_version, by, tuple(rows))
