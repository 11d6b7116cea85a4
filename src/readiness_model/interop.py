"""pandas interop, an optional extra (``pip install readiness-model[pandas]``).

pandas is imported lazily inside these functions: the core library never needs it.
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from .errors import AnswerWarning, MissingExtraError, Problem, ResponseError
from .io.answer_checks import answer_problems
from .model import Rubric
from .responses import Period, ResponseSet

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, unused-ignore]

    from .results import Results

__all__ = ["MissingExtraError", "responses_from_dataframe", "results_to_dataframe"]

PANDAS_HINT = "pip install readiness-model[pandas]"


def _pandas() -> Any:
    try:
        pandas = importlib.import_module("pandas")  # lazily: an optional extra
    except ImportError as err:
        raise MissingExtraError(
            [Problem("this needs pandas, which is not installed", "pandas", hint=PANDAS_HINT)]
        ) from err
    return pandas


def results_to_dataframe(results: Results) -> pandas.DataFrame:
    """Results as a pandas DataFrame: one row per agency-period, the columns of
    :meth:`Results.to_records` (``rank`` as nullable integers, ``<NA>`` when unranked).

    Args:
        results: Scored results.

    Returns:
        A ``pandas.DataFrame``.

    Raises:
        MissingExtraError: pandas is not installed (hint: the pip extra).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "q": "yes"}], r))
        >>> results_to_dataframe(res)[["agency", "overall", "d"]].values.tolist()
        [['x', 100.0, 100.0]]

    .. versionadded:: 0.1.0
    """
    pd = _pandas()
    df = pd.DataFrame.from_records(results.to_records())
    if "rank" in df.columns:
        df["rank"] = df["rank"].astype("Int64")
    # typed columns whatever the periods: with one period every change is None (object)
    for col in ("overall", "coverage", "change", *results.node_ids):
        if col in df.columns:
            df[col] = df[col].astype("float64")
    text = pd.Series(["text"]).dtype  # the text dtype of this pandas (object or str)
    for col in ("band", "trend", "group"):
        if col in df.columns and df[col].isna().all():
            df[col] = df[col].astype(text)
    return df


def _plain(value: object) -> object:
    """A cell as plain Python: numpy scalars unwrapped, pandas' missing markers -> None."""
    item = getattr(value, "item", None)
    if item is not None and callable(item) and getattr(value, "ndim", 1) == 0:
        value = item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value


def responses_from_dataframe(
    df: Any,
    rubric: Rubric,
    *,
    attributes: Sequence[str] = (),
    period: Period | None = None,
    extra_columns: Literal["error", "keep", "ignore"] = "error",
) -> ResponseSet:
    """Answers from a pandas DataFrame in the wide layout of answer files.

    Columns: ``agency``, ``period`` (or the ``period`` argument), optional ``name``,
    ``kind``, ``parent`` and ``attributes``, and one column per indicator id, holding
    answers as written (``yes``, level labels, numbers, ``a|b`` checklists, ``n/a``).
    NaN, ``None`` and ``<NA>`` cells are missing. ``agency``/``period`` may be the index.

    Args:
        df: A ``pandas.DataFrame``.
        rubric: The rubric the answers follow.
        attributes: Extra agency attribute columns to keep.
        period: The period of every row when there is no ``period`` column.
        extra_columns: Other columns: ``"error"`` (each listed once), ``"keep"`` (as
            attributes) or ``"ignore"``.

    Returns:
        A :class:`ResponseSet` (as :meth:`ResponseSet.from_records` builds it). Answers
        that look wrong (far outside the goalposts, percentages as fractions: what a
        spreadsheet's ``99.5%`` becomes when read as its stored ``0.995``) are warned
        about as :class:`~readiness_model.AnswerWarning`.

    Raises:
        MissingExtraError: pandas is not installed.
        ResponseError: every bad answer or unknown column, at once.

    Example:
        >>> import pandas as pd
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> df = pd.DataFrame({"agency": ["a", "b"], "period": [2016, 2016],
        ...                    "q": ["yes", None]})
        >>> responses_from_dataframe(df, r).missing.tolist()
        [[False], [True]]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``extra_columns``; warnings.
    """
    pd = _pandas()
    if not isinstance(df, pd.DataFrame):
        raise ResponseError(
            [
                Problem(
                    f"expected a pandas DataFrame (got {type(df).__name__})",
                    "df",
                    hint="build one with pandas.DataFrame(...), or use ResponseSet.from_records",
                )
            ]
        )
    names = [n for n in df.index.names if n is not None]
    if names and "agency" not in df.columns and "agency" in names:
        df = df.reset_index()
    records = [{str(k): _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
    rs = ResponseSet.from_records(
        records, rubric, attributes=attributes, period=period, extra_columns=extra_columns
    )
    for p in answer_problems(rubric, rs.values, rs.agencies, rs.periods):
        warnings.warn(AnswerWarning(p), stacklevel=2)
    return rs
