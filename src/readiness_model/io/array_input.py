"""The arguments of ``ResponseSet.from_array`` checked and converted: the stored values
and not-applicable masks, periods, agency ids, attribute columns, and text no output
could hold.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import Problem, ResponseError
from ..model import Rubric
from .answer_cells import Period, check_text, distinct_values, normalise_period
from .stored_values import check_stored

__all__ = [
    "agency_ids",
    "attribute_columns",
    "check_texts",
    "no_cells",
    "period_column",
    "stored_arrays",
    "stored_matrix",
]


def stored_matrix(
    values: Any, na: Any, shape: tuple[int, int], rubric_id: str, copy: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The values as a C-ordered float64 matrix of ``shape`` (NaN in not-applicable
    cells) and the not-applicable mask; copies only when ``copy`` or when needed.

    Example:
        >>> v, na = stored_matrix([[1, 2]], [[False, True]], (1, 2), "t", True)
        >>> v.tolist(), na.tolist()
        ([[1.0, nan]], [[False, True]])
    """
    try:
        arr = np.array(values, dtype=np.float64, order="C", copy=copy or None)
    except (TypeError, ValueError, OverflowError) as err:
        raise ResponseError(
            [
                Problem(
                    f"values must be stored values (numbers; NaN = missing): {err}",
                    "values",
                    hint="use ResponseSet.from_records for answers as people write them",
                )
            ]
        ) from None
    if arr.ndim != 2 or arr.shape != shape:
        raise ResponseError(
            [
                Problem(
                    f"values must have shape {shape} "
                    f"(agencies × indicators of {rubric_id!r}), got {arr.shape}",
                    "values",
                )
            ]
        )
    if na is None:
        return arr, no_cells(arr.shape)
    try:
        na_arr = np.array(na, dtype=bool, copy=copy or None)
    except (TypeError, ValueError) as err:
        raise ResponseError([Problem(f"na must be booleans: {err}", "na")]) from None
    if na_arr.shape != arr.shape:
        raise ResponseError([Problem(f"na must have shape {arr.shape}", "na")])
    if na_arr.any():
        if not copy and not np.isnan(arr[na_arr]).all():
            arr = arr.copy()  # not-applicable cells hold NaN; never write to the input
        arr[na_arr] = np.nan
    return arr, na_arr


def stored_arrays(
    values: Any, na: Any, agencies: Sequence[str], rubric: Rubric, copy: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``from_array``'s values, missing and not-applicable masks, every value checked
    by its scale (see :func:`stored_matrix`, :func:`check_stored`). A float64 array
    of the right shape, copied without ``na``, is copied, checked and masked in one
    pass over it, a block of rows at a time; a mask with no cell set is
    :func:`no_cells`.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> v, missing, na = stored_arrays(np.array([[1.0], [np.nan]]), None, ["a", "b"], r, True)
        >>> v.tolist(), missing.tolist(), na.strides
        ([[1.0], [nan]], [[False], [True]], (0, 0))
    """
    shape = (len(agencies), len(rubric.indicators))
    if (
        copy
        and na is None
        and isinstance(values, np.ndarray)
        and values.dtype == np.float64
        and values.shape == shape
    ):
        arr, na_arr = np.empty(shape), no_cells(shape)
        gaps = check_stored(arr, agencies, rubric, source=values)
    else:
        arr, na_arr = stored_matrix(values, na, shape, rubric.id, copy)
        gaps = check_stored(arr, agencies, rubric)
    if gaps is None:
        return arr, no_cells(shape), na_arr
    if na is not None:
        gaps &= ~na_arr
    return arr, gaps, na_arr


def no_cells(shape: tuple[int, ...]) -> np.ndarray:
    """An all-False read-only mask of ``shape`` that takes no memory (a broadcast view:
    a ResponseSet without missing or not-applicable cells stores no mask).

    Example:
        >>> m = no_cells((2, 3))
        >>> m.shape, bool(m.any()), m.flags.writeable, m.nbytes > 0
        ((2, 3), False, False, True)
    """
    return np.broadcast_to(np.False_, shape)


def period_column(period: Any, n: int) -> tuple[Period, ...]:
    """One period for every row (``period`` a single period, or one per row).

    Example:
        >>> period_column(2016, 2), period_column(["2016", "x"], 2)
        ((2016, 2016), (2016, 'x'))
    """
    try:
        if isinstance(period, int | str | np.generic):  # (one period, numpy's too)
            return (normalise_period(period),) * n
        known = {p: normalise_period(p) for p in distinct_values(period)}
        return tuple(map(known.__getitem__, period))
    except (TypeError, ValueError) as err:
        raise ResponseError(
            [Problem(f"bad period: {err}", "period", hint="a year such as 2016, or a label")]
        ) from None


def agency_ids(agencies: Sequence[Any]) -> tuple[str, ...]:
    """The ids as a tuple of text; ids that are all plain text are kept as they are (no
    call per id).

    Example:
        >>> agency_ids(["a", "b"]), agency_ids([1, "b"])
        (('a', 'b'), ('1', 'b'))
    """
    if set(map(type, agencies)) == {str}:
        return tuple(agencies)
    return tuple(map(str, agencies))


def attribute_columns(
    attributes: Mapping[str, Sequence[str | None]] | None, n: int
) -> tuple[tuple[str, tuple[str | None, ...]], ...]:
    """``from_array``'s attributes as pairs: one text (or None) per row of each.

    Example:
        >>> attribute_columns({"kind": ["ministry", None]}, 2)
        (('kind', ('ministry', None)),)
    """
    if attributes is None:
        return ()
    if not isinstance(attributes, Mapping):
        raise TypeError(
            f"'attributes' must be a mapping of name to values (got {type(attributes).__name__})"
        )
    out = []
    for k, v in attributes.items():
        if (
            not isinstance(k, str)
            or isinstance(v, str | bytes)
            or not isinstance(v, Sequence)
            or len(v) != n
            or not all(x is None or isinstance(x, str) for x in v)
        ):
            raise ResponseError(
                [
                    Problem(
                        f"attribute {k!r} must hold one text (or None) per row ({n} rows)",
                        f"attributes.{k}",
                    )
                ]
            )
        check_texts(v, f"attributes.{k}", "the attribute")
        out.append((k, tuple(v)))
    return tuple(out)


def check_texts(values: Sequence[object], path: str, what: str) -> None:
    """A located ResponseError for text no output could hold (a lone surrogate).

    Example:
        >>> try:
        ...     check_texts(["a", "\\ud800"], "agencies", "the agency id")
        ... except ResponseError as err:
        ...     print(err.problems[0].path)
        agencies[1]
    """
    try:
        joined = "\x00".join(values)  # type: ignore[arg-type]  # all text: one C call
    except TypeError:
        joined = "\x00".join(v for v in values if isinstance(v, str))
    try:
        check_text(joined, what)
    except ValueError:
        for i, v in enumerate(values):
            try:
                check_text(v if isinstance(v, str) else "", what)
            except ValueError as err:
                raise ResponseError(
                    [Problem(str(err), f"{path}[{i}]", hint="write it as plain text")]
                ) from None
