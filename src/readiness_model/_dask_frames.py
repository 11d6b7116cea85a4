"""pandas partitions in, pandas partitions out: the per-partition work of
:mod:`readiness_model.dask` (needs pandas only, so that it is tested without Dask).

A partition of answers (the wide layout of answer files: ``agency``, ``period``,
attribute columns, one column per indicator holding answers as written) is read
column by column: a numeric column of a continuous scale is taken as it is once every
value is checked by the scale at once, any other column is parsed once per distinct
value (``pandas.factorize``). Agency ids, periods and attributes go through the same
parser as every answers file, so a bad cell is reported with its partition and row.
Results come back as a DataFrame with the columns of
:meth:`~readiness_model.Results.to_dataframe`, built from the arrays (no loop over
rows) with fixed dtypes, so that every partition has the same schema.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .engine.plan import compile_rubric
from .errors import Location
from .io.answer_cells import RESERVED_COLUMNS, Column, Period, convert_column
from .io.answer_table import AnswerParser, Chunk, kept_attributes
from .io.problems import Report
from .model import Rubric
from .responses import ResponseSet
from .responses.dataframe import _plain
from .responses.dataframe import pandas_module as _pandas
from .results import Results

__all__ = ["Schema", "partition_responses", "results_frame"]


def _column(scale: Any, series: Any) -> tuple[Column, list[Any] | None]:
    """One indicator column converted, and its raw cells when some are bad (for the
    messages)."""
    pd = _pandas()
    if scale.continuous and series.dtype.kind in "fiu":
        values = series.to_numpy(np.float64, na_value=np.nan, copy=True)
        missing = np.isnan(values)
        have = values[~missing]
        if np.isfinite(have).all() and scale.valid(have).all():
            return Column(values, missing, np.zeros(values.shape, bool), ()), None
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    distinct = [_plain(u) for u in uniques.tolist()]
    col = convert_column(scale, distinct, text=False)
    codes = np.asarray(codes, np.intp)
    known = codes >= 0
    safe = np.where(known, codes, 0)
    if not distinct:  # every cell is empty
        n = len(codes)
        return Column(np.full(n, np.nan), np.ones(n, bool), np.zeros(n, bool), ()), None
    values = np.where(known, col.values[safe], np.nan)
    missing = ~known | col.missing[safe]
    na = known & col.na[safe]
    if not col.bad:
        return Column(values, missing, na, ()), None
    expected = dict(col.bad)
    bad_rows = np.flatnonzero(known & np.isin(safe, list(expected)))
    bad = tuple((int(i), expected[int(safe[i])]) for i in bad_rows)
    return Column(values, missing, na, bad), [_plain(v) for v in series.tolist()]


def partition_responses(
    df: Any,
    rubric: Rubric,
    *,
    attributes: Sequence[str] = (),
    period: Period | None = None,
    where: str = "partition",
) -> ResponseSet:
    """The answers of one pandas partition (as :meth:`ResponseSet.from_dataframe` reads
    them, column by column).

    Raises:
        ResponseError: every bad cell, located as ``where`` and the row in the partition.

    Example:
        >>> import pandas as pd
        >>> import readiness_model as rm
        >>> q = rm.Indicator("q", scale=rm.NumericScale(goalposts=(0, 10)))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q, rm.Indicator("p")])])
        >>> df = pd.DataFrame({"agency": ["a", "b"], "period": [2016, 2016],
        ...                    "q": [2.5, None], "p": ["yes", "n/a"]})
        >>> rs = partition_responses(df, r)
        >>> rs.values.tolist(), rs.na.tolist()
        ([[2.5, 1.0], [nan, nan]], [[False, False], [False, True]])
    """
    pd = _pandas()
    keep = kept_attributes(rubric, attributes)
    rep = Report(where)
    n = len(df)
    parser = AnswerParser(rubric, keep, period, rep, rows=n)
    scales = {x.id: x.scale for x in rubric.indicators}
    columns: dict[str, list[Any]] = {}
    converted: dict[str, Column] = {}
    for name in df.columns:
        key = str(name)
        if key in scales:
            col, raw = _column(scales[key], df[name])
            converted[key] = col
            if raw is not None:
                columns[key] = raw
        elif key in RESERVED_COLUMNS or key in keep:
            s = df[name]
            columns[key] = s.astype(object).where(pd.notna(s), None).tolist()
    text = _as_text(columns, set(converted))
    nowhere = Location(where)
    parser.feed(
        Chunk(
            n=n,
            columns=text if text is not None else columns,
            text=text is not None,
            locate=lambda key, i: (nowhere, f"$[{i}].{key}"),
            row=lambda i: (nowhere, f"row {i}"),
            converted=converted,
        )
    )
    return ResponseSet._from_parsed(rubric, parser.finish())


def _as_text(columns: dict[str, list[Any]], indicators: set[str]) -> dict[str, list[Any]] | None:
    """The id, period and attribute cells as the text a CSV file would hold, when that
    reads them the same (plain text without a leading apostrophe, whole-number or text
    periods): the parser then checks a column of ids at once, not cell by cell."""
    out: dict[str, list[Any]] = {}
    for key, cells in columns.items():
        if key in indicators:
            out[key] = cells
        elif key == "period":
            if not set(map(type, cells)) <= {int, str}:  # (one C loop, not a generator)
                return None
            out[key] = list(map(str, cells))
        else:
            if not set(map(type, cells)) <= {str, type(None)}:
                return None
            texts = ["" if c is None else c for c in cells]
            joined = "".join(texts)
            if "'" in joined and any(t.startswith("'") for t in texts):
                return None
            try:
                joined.encode("utf-8")
            except UnicodeEncodeError:
                return None
            out[key] = texts
    return out


class Schema:
    """The columns and dtypes of a results partition: those of
    :meth:`Results.to_dataframe` (agency, period, attributes, status, overall, band, trend,
    group, rank, coverage, change, one column per node), with fixed dtypes.

    Example:
        >>> import pandas as pd  # (the pandas extra)
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> " ".join(Schema(r, ["kind"], [2016]).columns)
        'agency period kind status overall band trend group rank coverage change d'
    """

    def __init__(self, rubric: Rubric, attributes: Sequence[str], periods: Sequence[Period]):
        pd = _pandas()
        self.attributes = list(attributes)
        self.nodes = list(compile_rubric(rubric).node_ids)
        self.text = pd.Series(["x"]).dtype  # pandas' own string dtype (str, or object)
        whole = bool(periods) and all(isinstance(p, int) for p in periods)
        self.period = np.dtype(np.int64) if whole else np.dtype(object)
        self.columns = [
            "agency",
            "period",
            *self.attributes,
            *("status", "overall", "band", "trend", "group", "rank", "coverage", "change"),
            *self.nodes,
        ]

    def empty(self) -> Any:
        """An empty DataFrame of this schema (Dask's ``meta``).

        Example:
            >>> import pandas as pd  # (the pandas extra)
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> Schema(r, [], [2016]).empty()["rank"].dtype
            Int64Dtype()
        """
        pd = _pandas()
        text, num = pd.Series([], dtype=self.text), pd.Series([], dtype=np.float64)
        cols: dict[str, Any] = {"agency": text, "period": pd.Series([], dtype=self.period)}
        cols.update(dict.fromkeys(self.attributes, text))
        cols.update(status=text, overall=num, band=text, trend=text, group=text)
        cols.update(rank=pd.Series([], dtype="Int64"), coverage=num, change=num)
        cols.update(dict.fromkeys(self.nodes, num))
        return pd.DataFrame(cols, columns=self.columns)


def results_frame(results: Results, schema: Schema, index: Any = None) -> Any:
    """``results`` as a DataFrame of ``schema`` (the values of
    :meth:`Results.to_dataframe`; missing text is NaN in the string columns).

    Example:
        >>> import pandas as pd  # (the pandas extra)
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1], [0]], ["a", "b"], r, period=2016))
        >>> results_frame(res, Schema(r, [], [2016]))[["agency", "overall", "rank"]].values.tolist()
        [['a', 100.0, 1], ['b', 0.0, 2]]
    """
    pd = _pandas()

    def text(values: Sequence[str | None]) -> Any:
        return pd.Series(list(values), dtype=schema.text, index=index)

    def num(values: np.ndarray) -> Any:
        return pd.Series(np.asarray(values, np.float64), index=index)

    attrs = dict(results.attributes)
    n = len(results.agencies)
    rank = pd.Series(pd.array(results.rank, dtype="Int64"), index=index).mask(results.rank <= 0)
    cols: dict[str, Any] = {
        "agency": text(results.agencies),
        "period": pd.Series(list(results.periods), dtype=schema.period, index=index),
    }
    for a in schema.attributes:
        cols[a] = text(attrs.get(a, (None,) * n))
    cols.update(
        status=text(results.status),
        overall=num(results.overall),
        band=text(results.band),
        trend=text(results.trend),
        group=text(results.group),
        rank=rank,
        coverage=num(results.coverage),
        change=num(results.change),
    )
    nodes = {node: k for k, node in enumerate(results.node_ids)}
    for node in schema.nodes:
        cols[node] = num(results.node_scores[:, nodes[node]])
    return pd.DataFrame(cols, columns=schema.columns, index=index)
