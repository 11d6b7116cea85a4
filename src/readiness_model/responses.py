"""ResponseSet: the immutable agencies × indicators matrix of answers."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from .errors import Problem, ResponseError, did_you_mean
from .model import NumericScale, Rubric, Scale

__all__ = ["NA_TOKENS", "RESERVED_COLUMNS", "ResponseSet", "is_blank", "normalise_period"]

NA_TOKENS = frozenset({"n/a", "na", "not applicable", "n.a.", "-n/a-"})
RESERVED_COLUMNS = ("agency", "period", "name", "kind", "parent")
Period = int | str


def is_blank(raw: object) -> bool:
    """True for an unanswered cell: ``None``, ``""``, whitespace or a float NaN."""
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def _is_na(raw: object) -> bool:
    return isinstance(raw, str) and raw.strip().casefold() in NA_TOKENS


def normalise_period(raw: object) -> Period:
    """A period as an ``int`` when it is a whole number (``"2016"``, ``2016.0``), else text.

    Example:
        >>> normalise_period("2016"), normalise_period("2016-Q1")
        (2016, '2016-Q1')
    """
    if isinstance(raw, bool):
        raise ValueError("a period is a year or a label, not true/false")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip():
        t = raw.strip()
        try:
            return int(t)
        except ValueError:
            return t
    raise ValueError(f"a period must be a year or a label (got {raw!r})")


def _frozen(a: npt.ArrayLike, dtype: Any) -> np.ndarray:
    arr = np.array(a, dtype=dtype, copy=True)
    arr.flags.writeable = False
    return arr


def _frozen_float(a: npt.ArrayLike) -> np.ndarray:
    return _frozen(a, np.float64)


def _frozen_bool(a: npt.ArrayLike) -> np.ndarray:
    return _frozen(a, bool)


@attrs.frozen(slots=True, eq=False)
class ResponseSet:
    """Answers of N agency-periods to the M indicators of one rubric, in rubric order.

    ``values`` holds each answer's stored value (see :mod:`readiness_model.model.scales`)
    and NaN where there is no value; ``missing`` marks unanswered cells and ``na`` the
    cells answered "not applicable". All arrays are read-only copies.

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
    values: np.ndarray = attrs.field(converter=_frozen_float)
    missing: np.ndarray = attrs.field(converter=_frozen_bool)
    na: np.ndarray = attrs.field(converter=_frozen_bool)
    attributes: tuple[tuple[str, tuple[str | None, ...]], ...] = ()

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
            raise ResponseError([Problem("one period per agency row is needed", "")])
        for key, col in self.attributes:
            if len(col) != n:
                raise ResponseError([Problem(f"attribute {key!r} needs one value per row", "")])
        seen: dict[tuple[str, Period], int] = {}
        problems = []
        for i, key2 in enumerate(zip(self.agencies, self.periods, strict=True)):
            if key2 in seen:
                problems.append(
                    Problem(
                        f"agency {key2[0]!r} appears twice for period {key2[1]!r} "
                        f"(rows {seen[key2] + 1} and {i + 1})",
                        f"row {i + 1}",
                        hint="keep one row per agency and period",
                    )
                )
            seen[key2] = i
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
    ) -> ResponseSet:
        """Build from one mapping per agency-period.

        Keys: ``agency``, ``period`` (or the ``period`` argument), optional ``name``,
        ``kind``, ``parent``, the attributes named in ``attributes`` or in the rubric's
        ``population``, and one key per indicator id. An absent indicator key or a blank
        value is missing; ``"n/a"`` is not applicable. Any other key is an error.

        Args:
            records: One mapping per agency-period, answers as a person writes them.
            rubric: The rubric the answers follow (columns come in its indicator order).
            attributes: Extra agency attribute keys to keep.
            period: The period of every record that has no ``period`` key.

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
        ind = rubric.indicators
        col = {x.id: j for j, x in enumerate(ind)}
        extra = list(attributes) + [
            k for k, _ in rubric.population if k not in RESERVED_COLUMNS and k not in attributes
        ]
        attr_names = ["name", "kind", "parent", *extra]
        rows = list(records)
        n, m = len(rows), len(ind)
        values = np.full((n, m), np.nan)
        missing = np.zeros((n, m), bool)
        na = np.zeros((n, m), bool)
        agencies: list[str] = []
        periods: list[Period] = []
        attrs_cols: dict[str, list[str | None]] = {a: [None] * n for a in attr_names}
        problems: list[Problem] = []
        allowed = set(col) | set(RESERVED_COLUMNS) | set(attr_names)
        for i, rec in enumerate(rows):
            where = f"record {i + 1}"
            if not isinstance(rec, Mapping):
                problems.append(
                    Problem(f"{where} is not a mapping (got {type(rec).__name__})", where)
                )
                agencies.append(f"?{i}")
                periods.append(i)
                continue
            ag = rec.get("agency")
            if is_blank(ag) or isinstance(ag, bool | list | dict):
                problems.append(
                    Problem(
                        f"{where} has no agency id",
                        f"{where}.agency",
                        hint="every record needs 'agency'",
                    )
                )
                ag = f"?{i}"
            agencies.append(str(ag).strip())
            try:
                periods.append(normalise_period(rec.get("period", period)))
            except ValueError as e:
                problems.append(
                    Problem(
                        f"{where} (agency {ag!r}): {e}",
                        f"{where}.period",
                        hint="give 'period' in each record or as an argument",
                    )
                )
                periods.append(i)
            for key in rec:
                if key not in allowed:
                    problems.append(
                        Problem(
                            f"{where} (agency {ag!r}) has unknown column {key!r}",
                            f"{where}.{key}",
                            hint=did_you_mean(str(key), sorted(allowed)),
                        )
                    )
            for a in attr_names:
                v = rec.get(a)
                if not is_blank(v):
                    attrs_cols[a][i] = (
                        ("true" if v else "false") if isinstance(v, bool) else str(v).strip()
                    )
            for ident, j in col.items():
                raw = rec.get(ident)
                if is_blank(raw):
                    missing[i, j] = True
                elif _is_na(raw):
                    na[i, j] = True
                else:
                    try:
                        values[i, j] = ind[j].scale.parse(raw)
                    except ValueError as e:
                        problems.append(
                            Problem(
                                f"agency {ag!r}, indicator {ident!r}: bad answer {raw!r}, "
                                f"expected {e}",
                                f"{where}.{ident}",
                                expected=str(e),
                                got=repr(raw),
                            )
                        )
                        missing[i, j] = True
        if problems:
            raise ResponseError(problems)
        return cls(
            rubric_id=rubric.id,
            indicator_ids=tuple(col),
            agencies=tuple(agencies),
            periods=tuple(periods),
            values=values,
            missing=missing,
            na=na,
            attributes=tuple(
                (a, tuple(attrs_cols[a]))
                for a in attr_names
                if any(v is not None for v in attrs_cols[a])
            ),
        )

    @classmethod
    def from_dataframe(
        cls,
        df: Any,
        rubric: Rubric,
        *,
        attributes: Sequence[str] = (),
        period: Period | None = None,
    ) -> ResponseSet:
        """Build from a pandas DataFrame in the wide answers layout (needs the
        ``readiness-model[pandas]`` extra; see
        :func:`readiness_model.interop.responses_from_dataframe`).

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
        """
        from .interop import responses_from_dataframe

        return responses_from_dataframe(df, rubric, attributes=attributes, period=period)

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
    ) -> ResponseSet:
        """Build from an N × M array of stored values (NaN = missing).

        Stored values: binary 0/1, ordinal level index, choice option index, checklist
        bit mask of ticked items, numeric the number. ``na`` marks not-applicable cells.

        Args:
            values: N × M stored values, columns in the rubric's indicator order.
            agencies: One agency id per row.
            rubric: The rubric the values follow.
            period: One period for every row, or one per row.
            na: N × M booleans marking not-applicable cells (their values are ignored).
            attributes: Attribute name -> one value per row (``kind``, ``parent``...).

        Returns:
            A new :class:`ResponseSet`.

        Raises:
            ResponseError: listing every cell that is not a valid stored value.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("portal"),
            ...     rm.Indicator("level", scale=rm.OrdinalScale(("none", "some", "all")))])])
            >>> rs = ResponseSet.from_array([[1, 2], [0, float("nan")]], ["a", "b"], r, period=2016)
            >>> rs.to_records(r)[1]
            {'agency': 'b', 'period': 2016, 'portal': 'no', 'level': None}
        """
        arr = np.array(values, dtype=np.float64, copy=True)
        ind = rubric.indicators
        if arr.ndim != 2 or arr.shape != (len(agencies), len(ind)):
            raise ResponseError(
                [
                    Problem(
                        f"values must have shape ({len(agencies)}, {len(ind)}) "
                        f"(agencies × indicators of {rubric.id!r}), got {arr.shape}",
                        "values",
                    )
                ]
            )
        na_arr = np.zeros(arr.shape, bool) if na is None else np.array(na, dtype=bool, copy=True)
        if na_arr.shape != arr.shape:
            raise ResponseError([Problem(f"na must have shape {arr.shape}", "na")])
        arr[na_arr] = np.nan
        missing = np.isnan(arr) & ~na_arr
        problems: list[Problem] = []
        for j, x in enumerate(ind):
            colv = arr[:, j]
            ok = np.isnan(colv) | _valid_stored(x.scale, colv)
            for i in np.flatnonzero(~ok)[:20]:
                problems.append(
                    Problem(
                        f"agency {agencies[i]!r}, indicator {x.id!r}: {float(colv[i])!r} is "
                        f"not a valid stored value",
                        f"values[{i}, {j}]",
                        expected=x.scale.expected(),
                        hint="stored values are 0/1, a level or option index, a checklist bit "
                        "mask or a number within the goalposts; use from_records for answers",
                    )
                )
        if problems:
            raise ResponseError(problems)
        periods = (
            [normalise_period(period)] * len(agencies)
            if isinstance(period, int | str)
            else [normalise_period(p) for p in period]
        )
        return cls(
            rubric_id=rubric.id,
            indicator_ids=tuple(x.id for x in ind),
            agencies=tuple(str(a) for a in agencies),
            periods=tuple(periods),
            values=arr,
            missing=missing,
            na=na_arr,
            attributes=tuple((k, tuple(v)) for k, v in (attributes or {}).items()),
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
        return sorted(set(self.periods), key=lambda p: (isinstance(p, str), p))

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
        ind = rubric.indicators
        out = []
        for i in range(len(self.agencies)):
            rec: dict[str, Any] = {"agency": self.agencies[i], "period": self.periods[i]}
            for k, v in self.attributes:
                rec[k] = v[i]
            for j, x in enumerate(ind):
                if self.na[i, j]:
                    rec[x.id] = "n/a"
                elif self.missing[i, j]:
                    rec[x.id] = None
                elif isinstance(x.scale, NumericScale):
                    rec[x.id] = float(self.values[i, j])
                else:
                    rec[x.id] = x.scale.render(float(self.values[i, j]))
            out.append(rec)
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResponseSet):
            return NotImplemented
        return (
            self.rubric_id == other.rubric_id
            and self.indicator_ids == other.indicator_ids
            and self.agencies == other.agencies
            and self.periods == other.periods
            and dict(self.attributes) == dict(other.attributes)
            and np.array_equal(self.values, other.values, equal_nan=True)
            and np.array_equal(self.missing, other.missing)
            and np.array_equal(self.na, other.na)
        )

    __hash__ = None  # type: ignore[assignment]


def _valid_stored(scale: Scale, col: np.ndarray) -> np.ndarray:
    # the scale judges its stored values (NaN cells, unanswered, are checked apart)
    return scale.valid(np.where(np.isnan(col), 0.0, col))
