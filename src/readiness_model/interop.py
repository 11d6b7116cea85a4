"""pandas interop, an optional extra (``pip install readiness-model[pandas]``).

pandas is imported lazily inside these functions: the core library never needs it. The
functions live beside what they convert (:mod:`readiness_model.responses.dataframe`,
:mod:`readiness_model.results.dataframe`); this module gathers them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from .errors import MissingExtraError
from .model import Rubric
from .responses import Period, ResponseSet
from .results.dataframe import results_to_dataframe

__all__ = ["MissingExtraError", "responses_from_dataframe", "results_to_dataframe"]


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
    return ResponseSet.from_dataframe(
        df, rubric, attributes=attributes, period=period, extra_columns=extra_columns
    )
