"""Answers from a pandas DataFrame, an optional extra (``pip install readiness-model[pandas]``).

pandas is imported lazily inside these functions: the core library never needs it.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from ..errors import MissingExtraError, Problem, ResponseError

__all__ = ["PANDAS_HINT", "dataframe_records", "pandas_module"]

PANDAS_HINT = "pip install readiness-model[pandas]"


def pandas_module() -> Any:
    """pandas, imported on first use (an optional extra); the library's missing-extra error
    naming the pip command when it is not installed."""
    try:
        pandas = importlib.import_module("pandas")  # lazily: an optional extra
    except ImportError as err:
        raise MissingExtraError(
            [Problem("this needs pandas, which is not installed", "pandas", hint=PANDAS_HINT)]
        ) from err
    return pandas


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


def dataframe_records(df: Any) -> list[dict[str, Any]]:
    """The rows of a pandas DataFrame as records of plain Python values (``agency`` and
    ``period`` taken from the index when they are there), for
    :meth:`ResponseSet.from_records <readiness_model.ResponseSet.from_records>`.

    Raises:
        MissingExtraError: pandas is not installed.
        ResponseError: ``df`` is not a DataFrame.

    Example:
        >>> import pandas as pd
        >>> dataframe_records(pd.DataFrame({"agency": ["a"], "q": [float("nan")]}))
        [{'agency': 'a', 'q': None}]
    """
    pd = pandas_module()
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
    return [{str(k): _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]
