"""Results as a pandas DataFrame, an optional extra (``pip install readiness-model[pandas]``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..responses.dataframe import pandas_module

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, unused-ignore]

    from . import Results

__all__ = ["results_to_dataframe"]


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
    pd = pandas_module()
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
