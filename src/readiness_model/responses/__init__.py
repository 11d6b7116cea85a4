"""ResponseSet: the immutable agencies × indicators matrix of answers."""

from __future__ import annotations

import itertools
import operator
import warnings
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from .._args import require, require_period, require_texts
from .._arrays import readonly, readonly_converter, same_array
from ..errors import AnswerWarning, Problem, ResponseError
from ..io.answer_cells import (
    NA_TOKENS,
    RESERVED_COLUMNS,
    Period,
    is_blank,
    normalise_period,
    period_order,
)
from ..io.answer_checks import answer_problems
from ..io.answer_table import AnswerParser, Parsed, duplicate_rows, kept_attributes
from ..io.array_input import (
    agency_ids,
    attribute_columns,
    check_texts,
    period_column,
    stored_arrays,
)
from ..io.problems import MAX_PROBLEMS, Report
from ..io.stored_values import written_column
from ..model import Rubric

__all__ = [
    "NA_TOKENS",
    "RESERVED_COLUMNS",
    "Period",
    "ResponseSet",
    "is_blank",
    "normalise_period",
]

_to_float = readonly_converter(np.float64)
_to_bool = readonly_converter(np.bool_)


def _float(a: npt.ArrayLike) -> np.ndarray:
    return _to_float(a)


def _bool(a: npt.ArrayLike) -> np.ndarray:
    return _to_bool(a)


# set while a ResponseSet is built from rows the parser found unique (checked once)
_UNIQUE: ContextVar[bool] = ContextVar("_UNIQUE", default=False)


def _kept_attributes(a: Any) -> Any:
    """The attribute columns that hold a value (a column of None is no column: the
    readers drop it, so ``select`` and ``from_array`` do too, and a written set reads
    back equal); anything else is left for the checks below. A value is told from None
    by identity, never ``==``, and in C (a generator over a million Nones is slower)."""
    try:
        return tuple(kv for kv in a if any(map(operator.is_not, kv[1], itertools.repeat(None))))
    except (TypeError, IndexError, KeyError):
        return a


_same = attrs.cmp_using(eq=same_array)
_same_attributes = attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b))


@attrs.frozen(slots=True, eq=True, hash=False)
class ResponseSet:
    """Answers of N agency-periods to the M indicators of one rubric, in rubric order.

    ``values`` holds each answer's stored value (see :mod:`readiness_model.model.scales`)
    and NaN where there is no value; ``missing`` marks unanswered cells and ``na`` the
    cells answered "not applicable". All arrays are read-only (a read-only float/bool
    array passed in is shared, anything else is copied). Two ResponseSets are equal when
    they hold the same ids, periods, attributes and arrays (NaN equal to NaN).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = ResponseSet.from_records([{"agency": "a", "period": 2016, "q": "yes"},
        ...                                {"agency": "b", "period": 2016, "q": "n/a"}], r)
        >>> rs.values.tolist(), rs.na.tolist()
        ([[1.0], [nan]], [[False], [True]])

    .. versionadded:: 0.1.0
    """

    rubric_id: str
    indicator_ids: tuple[str, ...]
    agencies: tuple[str, ...]
    periods: tuple[Period, ...]
    values: np.ndarray = attrs.field(converter=_float, eq=_same)
    missing: np.ndarray = attrs.field(converter=_bool, eq=_same)
    na: np.ndarray = attrs.field(converter=_bool, eq=_same)
    attributes: tuple[tuple[str, tuple[str | None, ...]], ...] = attrs.field(
        default=(), eq=_same_attributes, converter=_kept_attributes
    )

    def __attrs_post_init__(self) -> None:
        n, m = len(self.agencies), len(self.indicator_ids)
        for name in ("values", "missing", "na"):
            if getattr(self, name).shape != (n, m):
                raise ResponseError(
                    [
                        Problem(
                            f"{name} must have shape ({n}, {m}), got {getattr(self, name).shape}",
                            "",
                        )
                    ]
                )
        if len(self.periods) != n:
            raise ResponseError([Problem("one period per agency row is needed", "period")])
        for key, col in self.attributes:
            if len(col) != n:
                raise ResponseError([Problem(f"attribute {key!r} needs one value per row", "")])
        problems = [
            Problem(
                f"agency {self.agencies[i]!r} appears twice for period {self.periods[i]!r} "
                f"(rows {first + 1} and {i + 1})",
                f"row {i + 1}",
                hint="keep one row per agency and period",
            )
            for first, i in (
                () if _UNIQUE.get() else duplicate_rows(self.agencies, self.periods)[:MAX_PROBLEMS]
            )
        ]
        if problems:
            raise ResponseError(problems)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        rubric: Rubric,
        *,
        attributes: Sequence[str] = (),
        period: Period | None = None,
        extra_columns: Literal["error", "keep", "ignore"] = "error",
    ) -> ResponseSet:
        """Build from one mapping per agency-period.

        Keys: ``agency``, ``period`` (or the ``period`` argument), optional ``name``,
        ``kind``, ``parent``, the attributes named in ``attributes`` or in the rubric's
        ``population``, and one key per indicator id. An absent indicator key or a blank
        value is missing; ``"n/a"`` is not applicable. Any other key is an error (listed
        once, however many records hold it) unless ``extra_columns`` says otherwise.

        Args:
            records: One mapping per agency-period, answers as a person writes them.
            rubric: The rubric the answers follow (columns come in its indicator order).
            attributes: Extra agency attribute keys to keep.
            period: The period of every record that has no ``period`` key.
            extra_columns: Other keys: ``"error"``, ``"keep"`` (as attributes) or
                ``"ignore"``; a key that looks like a misspelt indicator id is an error
                whatever the choice.

        Returns:
            A new :class:`ResponseSet`.

        Raises:
            ResponseError: listing every bad answer (agency, indicator, value, expectation).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> rs = ResponseSet.from_records([
            ...   {"agency": "a", "period": 2016, "portal": "yes", "level": "some", "kind": "dept"},
            ...   {"agency": "b", "period": 2015, "portal": "no"}], r)
            >>> rs.values.tolist(), rs.missing.tolist()
            ([[1.0, 1.0], [0.0, nan]], [[False, False], [False, True]])
        """
        from ..io.answers_json import records_chunk

        require(rubric, Rubric, "rubric")
        require_texts(attributes, "attributes")
        require_period(period)
        if isinstance(records, str | bytes | Mapping) or not isinstance(records, Iterable):
            raise TypeError(f"'records' must be a list of mappings (got {type(records).__name__})")
        rep = Report("<records>")
        keep = kept_attributes(rubric, attributes)
        parser = AnswerParser(rubric, keep, period, rep)
        chunk = records_chunk(
            list(records), rubric, keep, rep, located=False, extra=extra_columns, parser=parser
        )
        parser.feed(chunk)
        return cls._from_parsed(rubric, parser.finish())

    @classmethod
    def _from_parsed(cls, rubric: Rubric, p: Parsed) -> ResponseSet:
        """Wrap a parser's arrays (owned by nobody else, so made read-only, not copied)."""
        token = _UNIQUE.set(p.unique)
        try:
            return cls(
                rubric_id=rubric.id,
                indicator_ids=tuple(x.id for x in rubric.indicators),
                agencies=p.agencies,
                periods=p.periods,
                values=readonly(p.values, np.float64, copy=False),
                missing=readonly(p.missing, np.bool_, copy=False),
                na=readonly(p.na, np.bool_, copy=False),
                attributes=p.attributes,
            )
        finally:
            _UNIQUE.reset(token)

    @classmethod
    def from_dataframe(
        cls,
        df: Any,
        rubric: Rubric,
        *,
        attributes: Sequence[str] = (),
        period: Period | None = None,
        extra_columns: Literal["error", "keep", "ignore"] = "error",
    ) -> ResponseSet:
        """Build from a pandas DataFrame in the wide answers layout (needs the
        ``readiness-model[pandas]`` extra; see
        :func:`readiness_model.interop.responses_from_dataframe`). Answers that look
        wrong are warned about (:class:`~readiness_model.AnswerWarning`).

        Raises:
            MissingExtraError: pandas is not installed (an ImportError naming the extra).
            ResponseError: listing every bad answer.

        Example:
            >>> import pandas as pd
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> df = pd.DataFrame({"agency": ["a", "b"], "period": [2016, 2016],
            ...                    "portal": ["yes", None], "level": ["all", "n/a"]})
            >>> rs = ResponseSet.from_dataframe(df, r)
            >>> rs.values.tolist(), rs.na.tolist()
            ([[1.0, 2.0], [nan, nan]], [[False, False], [False, True]])

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2.0 ``extra_columns``; warnings.
        """
        from .dataframe import dataframe_records

        rs = cls.from_records(
            dataframe_records(df),
            rubric,
            attributes=attributes,
            period=period,
            extra_columns=extra_columns,
        )
        for p in answer_problems(rubric, rs.values, rs.agencies, rs.periods):
            warnings.warn(AnswerWarning(p), stacklevel=2)
        return rs

    @classmethod
    def from_array(
        cls,
        values: npt.ArrayLike,
        agencies: Sequence[str],
        rubric: Rubric,
        *,
        period: Period | Sequence[Period] = 0,
        na: npt.ArrayLike | None = None,
        attributes: Mapping[str, Sequence[str | None]] | None = None,
        copy: bool = True,
    ) -> ResponseSet:
        """Build from an N × M array of stored values (NaN = missing).

        Stored values: binary 0/1, ordinal level index, choice option index, checklist
        bit mask of ticked items, numeric the number. ``na`` marks not-applicable cells.
        Each scale checks its columns at once (``scale.valid``), on contiguous blocks of
        rows (a float64 array is copied, checked and its NaN found in one pass, a block
        at a time); repeated (agency, period) pairs are found without a loop over rows.
        A mask with no cell set (no NaN: ``missing``; no ``na``) is an all-False
        read-only broadcast view that takes no memory.

        Args:
            values: N × M stored values, columns in the rubric's indicator order.
            agencies: One agency id per row.
            rubric: The rubric the values follow.
            period: One period for every row, or one per row.
            na: N × M booleans marking not-applicable cells (their values are ignored).
            attributes: Attribute name -> one value per row (``kind``, ``parent``...).
            copy: ``False`` to use ``values`` (a C-ordered float64 array) and ``na``
                without copying them: the ResponseSet then holds read-only views, and
                the caller promises never to change the arrays afterwards. (A copy is
                still made when a conversion is needed, or when not-applicable cells of
                ``values`` are not NaN.)

        Returns:
            A new :class:`ResponseSet`.

        Raises:
            ResponseError: listing every cell that is not a valid stored value.

        .. versionchanged:: 0.2.0 ``copy=False``.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> rs = ResponseSet.from_array([[1, 2], [0, float("nan")]], ["a", "b"], r, period=2016)
            >>> rs.to_records(r)[1]
            {'agency': 'b', 'period': 2016, 'portal': 'no', 'level': None}
        """
        require(rubric, Rubric, "rubric")
        if isinstance(agencies, str | bytes | Mapping) or not isinstance(agencies, Sequence):
            raise TypeError(f"'agencies' must be a list of ids (got {type(agencies).__name__})")
        ind = rubric.indicators
        n = len(agencies)
        arr, missing, na_arr = stored_arrays(values, na, agencies, rubric, copy)
        check_texts(agencies, "agencies", "the agency id")
        periods = period_column(period, n)
        return cls(
            rubric_id=rubric.id,
            indicator_ids=tuple(x.id for x in ind),
            agencies=agency_ids(agencies),
            periods=periods,
            values=readonly(arr, np.float64, copy=False),
            missing=readonly(missing, np.bool_, copy=False),
            na=readonly(na_arr, np.bool_, copy=False),
            attributes=attribute_columns(attributes, n),
        )

    # -- access -------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """(agency-period rows, indicators).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> ResponseSet.from_array([[1], [0], [1]], ["a", "b", "c"], r).shape
            (3, 1)
        """
        return len(self.agencies), len(self.indicator_ids)

    def attribute(self, name: str) -> tuple[str | None, ...]:
        """One value per row of an agency attribute (``kind``, ``parent``...), or all None.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> rs = ResponseSet.from_records([
            ...   {"agency": "a", "period": 2016, "portal": "yes", "level": "some", "kind": "dept"},
            ...   {"agency": "b", "period": 2015, "portal": "no"}], r)
            >>> rs.attribute("kind"), rs.attribute("parent")
            (('dept', None), (None, None))
        """
        for k, v in self.attributes:
            if k == name:
                return v
        return (None,) * len(self.agencies)

    @property
    def period_values(self) -> list[Period]:
        """The distinct periods, in order (numbers before labels).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> rs = ResponseSet.from_array([[1], [0], [1]], ["a", "a", "b"], r,
            ...                             period=[2016, "2016Q1", 2015])
            >>> rs.period_values
            [2015, 2016, '2016Q1']
        """
        return list(period_order(self.periods))

    def select(self, rows: npt.ArrayLike) -> ResponseSet:
        """A new ResponseSet with only the given rows (indices or boolean mask).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> rs = ResponseSet.from_array([[1], [0], [1]], ["a", "b", "c"], r)
            >>> rs.select([2, 0]).agencies, rs.select([False, True, False]).agencies
            (('c', 'a'), ('b',))
        """
        idx = np.arange(len(self.agencies))[np.asarray(rows)]
        return ResponseSet(
            rubric_id=self.rubric_id,
            indicator_ids=self.indicator_ids,
            agencies=tuple(self.agencies[i] for i in idx),
            periods=tuple(self.periods[i] for i in idx),
            values=self.values[idx],
            missing=self.missing[idx],
            na=self.na[idx],
            attributes=tuple((k, tuple(v[i] for i in idx)) for k, v in self.attributes),
        )

    def to_records(self, rubric: Rubric) -> list[dict[str, Any]]:
        """One dict per row with raw answers as a person would write them (inverse of
        :meth:`from_records`); missing cells are ``None``, not-applicable ``"n/a"``.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> rs = ResponseSet.from_records([
            ...   {"agency": "a", "period": 2016, "portal": "yes", "level": "some", "kind": "dept"},
            ...   {"agency": "b", "period": 2015, "portal": "no"}], r)
            >>> rs.to_records(r)[1]
            {'agency': 'b', 'period': 2015, 'kind': None, 'portal': 'no', 'level': None}
        """
        columns = self.written(rubric)
        lead = [("agency", self.agencies), ("period", self.periods), *self.attributes]
        keys = [k for k, _ in lead] + [x.id for x in rubric.indicators]
        cols = [v for _, v in lead] + columns
        return [dict(zip(keys, row, strict=True)) for row in zip(*cols, strict=True)]

    def written(self, rubric: Rubric) -> list[list[Any]]:
        """Every indicator's answers as written, one list per column: the scale's
        ``written`` form of each value, ``None`` when missing, ``"n/a"`` when not
        applicable. (Each distinct stored value of a column is written once.)

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> ResponseSet.from_array([[1], [float("nan")]], ["a", "b"], r).written(r)
            [['yes', None]]

        .. versionadded:: 0.2.0
        """
        if tuple(x.id for x in rubric.indicators) != self.indicator_ids:
            raise ResponseError(
                [
                    Problem(
                        f"these responses were not read with rubric {rubric.id!r}",
                        "",
                        hint="pass the rubric they were read with",
                    )
                ]
            )
        return [
            written_column(x.scale, self.values[:, j], self.missing[:, j], self.na[:, j])
            for j, x in enumerate(rubric.indicators)
        ]
