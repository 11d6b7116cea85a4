"""Results of scoring: arrays for every score, records for people, exact files for tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs
import numpy as np
import numpy.typing as npt

from .._args import require_period, require_text
from .._arrays import readonly_converter, same_array
from .._tabular import Record
from ..model import Rubric
from ..responses import Period, ResponseSet
from .agency import AgencyResult, agency_result, records_of
from .provenance import ANSWERED, ASSESSED, NOT_ASSESSED, ROLLED_UP, STATUSES, Provenance
from .views import provide_view, view

if TYPE_CHECKING:  # typing only
    import pandas  # type: ignore[import-untyped, unused-ignore]


__all__ = [
    "ANSWERED",
    "ASSESSED",
    "NOT_ASSESSED",
    "ROLLED_UP",
    "STATUSES",
    "AgencyResult",
    "Provenance",
    "Results",
    "provide_view",
]

_to_float = readonly_converter(np.float64)
_to_int = readonly_converter(np.int64)
_to_bool = readonly_converter(np.bool_)


def _ro(a: object) -> np.ndarray:  # typed: no Any in Results' signature
    return _to_float(cast("npt.ArrayLike", a))


def _ro_int(a: object) -> np.ndarray:  # typed: no Any in Results' signature
    return _to_int(cast("npt.ArrayLike", a))


def _ro_bool(a: object) -> np.ndarray:  # typed: no Any in Results' signature
    return _to_bool(cast("npt.ArrayLike", a))


_same = attrs.cmp_using(eq=same_array)
_same_attributes = attrs.cmp_using(eq=lambda a, b: dict(a) == dict(b))


ROW_ARRAYS = (
    "indicator_scores",
    "node_scores",
    "node_exact",
    "node_coverage",
    "overall",
    "overall_exact",
    "coverage",
    "rank",
    "change",
    "in_population",
)
"""The :class:`Results` arrays with one entry (or row) per agency-period."""


@attrs.frozen(slots=True, eq=True, hash=False)
class Results:
    """Scores of every agency-period under one rubric, with their provenance.

    Arrays have one row per agency-period, in the order of the responses. Node columns
    follow ``node_ids`` (every dimension of the tree, parents first). Scores are on the
    rubric's scale; ``*_exact`` arrays are unrounded, the others rounded when the rubric
    sets ``rounding``. ``rank`` is 0 for rows that are not ranked. ``status`` says
    whether each row was assessed (:data:`STATUSES`); a row ``not_assessed`` has NaN
    scores and coverage (its ``overall`` is the rubric's shown score, when it declares
    one) and no band, trend or group. ``in_population`` marks the rows of the statistics
    population (the rubric's ``population``, not-assessed rows left out).

    Example:
        >>> import readiness_model as rm
        >>> from importlib.resources import files
        >>> rubric = rm.load_rubric("thai-dg-readiness-2016")
        >>> survey = files("readiness_model") / "data" / "demo-survey-2015-2016.csv"
        >>> res = rm.score(rubric, rm.load_responses(survey, rubric))
        >>> res
        <Results thai-dg-readiness-2016 2016.1: 337 rows × 7 nodes>
        >>> res.agencies[:3], res.overall[:3].tolist(), res.band[:3]
        (('opm', 'opm-ops', 'prd'), [27.81, 42.65, 79.57], ('initial', 'developing', 'ready'))

    .. versionadded:: 0.1.0
    """

    rubric: Rubric
    responses: ResponseSet | None
    agencies: tuple[str, ...]
    periods: tuple[Period, ...]
    attributes: tuple[tuple[str, tuple[str | None, ...]], ...] = attrs.field(eq=_same_attributes)
    indicator_scores: np.ndarray = attrs.field(converter=_ro, eq=_same)
    node_ids: tuple[str, ...]
    node_scores: np.ndarray = attrs.field(converter=_ro, eq=_same)
    node_exact: np.ndarray = attrs.field(converter=_ro, eq=_same)
    node_coverage: np.ndarray = attrs.field(converter=_ro, eq=_same)
    overall: np.ndarray = attrs.field(converter=_ro, eq=_same)
    overall_exact: np.ndarray = attrs.field(converter=_ro, eq=_same)
    coverage: np.ndarray = attrs.field(converter=_ro, eq=_same)
    band: tuple[str | None, ...]
    trend: tuple[str | None, ...]
    group: tuple[str | None, ...]
    rank: np.ndarray = attrs.field(converter=_ro_int, eq=_same)
    change: np.ndarray = attrs.field(converter=_ro, eq=_same)
    in_population: np.ndarray = attrs.field(converter=_ro_bool, eq=_same)
    origin: tuple[str, ...]
    status: tuple[str, ...]
    provenance: Provenance
    # agency id -> its rows, built on the first lookup (a report looks up many agencies)
    _rows_of: dict[str, list[int]] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    # -- access -----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.agencies)

    def node(self, node_id: str) -> np.ndarray:
        """Scores of one node (by id) for every row.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> res.node("d").tolist()
            [75.0, 25.0]
        """
        return self.node_scores[:, self.node_ids.index(node_id)]

    def attribute(self, name: str) -> tuple[str | None, ...]:
        """One value per row of an agency attribute (all None when absent).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> rs = rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r,
            ...                                attributes={"kind": ["ministry", None]})
            >>> rm.score(r, rs).attribute("kind"), rm.score(r, rs).attribute("parent")
            (('ministry', None), (None, None))
        """
        for k, v in self.attributes:
            if k == name:
                return v
        return (None,) * len(self.agencies)

    def row(self, agency: str, period: Period | None = None) -> int:
        """Row index of ``agency`` in ``period`` (default: its latest period).

        Raises ``ResponseError`` (with a hint) for an unknown agency or period.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
            >>> rs = rm.ResponseSet.from_array([[0], [1]], ["x", "x"], r, period=[2015, 2016])
            >>> res = rm.score(r, rs)
            >>> res.row("x"), res.row("x", 2015)
            (1, 0)
        """
        require_text(agency, "agency")
        require_period(period)
        index = self._rows_of
        if not index:
            for i, a in enumerate(self.agencies):
                index.setdefault(a, []).append(i)
        rows = index.get(agency, [])
        if not rows:
            from ..errors import Problem, ResponseError, UnknownAgencyError, did_you_mean

            raise UnknownAgencyError(
                [
                    Problem(
                        f"no agency {agency!r} in these results",
                        "agency",
                        hint=did_you_mean(agency, set(self.agencies)),
                    )
                ]
            )
        if period is None:
            from ..io.answer_cells import period_order

            order = period_order(self.periods)
            return max(rows, key=lambda i: order[self.periods[i]])
        for i in rows:
            if self.periods[i] == period or str(self.periods[i]) == str(period):
                return i
        from ..errors import Problem, ResponseError

        have = sorted({str(self.periods[i]) for i in rows})
        raise ResponseError(
            [
                Problem(
                    f"agency {agency!r} has no results for period {period!r}",
                    "period",
                    hint=f"it has {', '.join(have)}",
                )
            ]
        )

    def agency(self, agency: str, period: Period | None = None) -> AgencyResult:
        """Everything about one agency in one period (default: its latest).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> x = res.agency("x")
            >>> x.period, x.overall, x.indicators, x.answers
            (2016, 75.0, {'a': 1.0, 'b': 0.0}, {'a': 'yes', 'b': 'no'})
        """
        return agency_result(self, self.row(agency, period))

    def to_records(self) -> list[Record]:
        """One dict per agency-period: agency, period, attributes, status, overall, band,
        trend, group, rank (None when unranked), coverage, change, and one key per node id.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> rec = res.to_records()[1]
            >>> " ".join(rec)
            'agency period status overall band trend group rank coverage change d'
            >>> rec["agency"], rec["overall"], rec["rank"], rec["d"]
            ('y', 25.0, 2, 25.0)
        """
        return records_of(self)

    # -- files ------------------------------------------------------------------------
    def to_json(self, path: str | Path | None = None) -> str:
        """Exact JSON (every float survives); written to ``path`` when given (atomically:
        a reader sees the old file or the whole new one, see :mod:`readiness_model.io.atomic`).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     _ = res.to_json(pathlib.Path(tmp, "scores.json"))
            ...     Results.from_json(pathlib.Path(tmp, "scores.json")).equals(res)
            True
        """
        from ..io.atomic import write_atomic
        from .json_file import results_to_json

        text = results_to_json(self)
        if path is not None:
            write_atomic(path, text)
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> Results:
        """Read results written by :meth:`to_json` (a path or the JSON text).

        The document is checked completely (types, lengths, node, band, trend and group
        ids, finite numbers, the rubric hash); every problem is reported with its path.

        Raises:
            ResponseError: the file cannot be read or is not valid results.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> back = Results.from_json(res.to_json())
            >>> back.equals(res), back.overall_exact.tolist()
            (True, [75.0, 25.0])
        """
        from .json_file import results_from_json

        return cls._built(results_from_json(source), str(source))

    def to_csv(
        self,
        path: str | Path | None = None,
        *,
        safe: bool = True,
        columns: Literal["all", "human"] = "all",
        encoding: str = "utf-8",
    ) -> str:
        """CSV, one row per agency-period, exact floats; written to ``path`` when given
        (atomically).

        With ``safe`` (the default) a text cell a spreadsheet would run as a formula
        (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading apostrophe;
        :meth:`from_csv` reads it back exactly (see :mod:`readiness_model.io.csv_text`).
        Pass ``safe=False`` for machine consumers.

        Args:
            path: Where to write, or ``None`` to only return the text.
            safe: Neutralise formula-like text cells.
            columns: ``"all"`` (every exact column; :meth:`from_csv` reads it back) or
                ``"human"`` (rank, agency, period, attributes, band, group, trend,
                overall, node scores, coverage, change, rubric id and version).
            encoding: Of the file written; ``"utf-8-sig"`` starts it with a byte-order
                mark, so that Excel opens Thai text intact (:meth:`from_csv` and
                :func:`~readiness_model.load_responses` read both).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> header, first = res.to_csv().splitlines()[:2]
            >>> header.split(",")[:5], first.split(",")[:5]
            (['agency', 'period', 'status', 'overall', 'band'],
             ['x', '2016', 'assessed', '75.0', ''])
            >>> res.to_csv(columns="human").splitlines()[1]
            '1,x,2016,,,,75.0,75.0,1.0,,t,1'

        .. versionchanged:: 0.2.0 ``columns`` and ``encoding``.
        """
        from .csv_file import write_csv

        return write_csv(self, path, safe=safe, columns=columns, encoding=encoding)

    @classmethod
    def from_csv(cls, source: str | Path, rubric: Rubric | None = None) -> Results:
        """Read results written by :meth:`to_csv` (exact round trip).

        Without ``rubric``, the shipped rubric of the name in the file is used (its hash
        must match); a path named in the file is never opened. Every cell is checked.

        Raises:
            ResponseError: the file cannot be read, was scored with another rubric, or
                is not valid results.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> Results.from_csv(res.to_csv(), rubric=r).equals(res)
            True
        """
        from .csv_file import results_from_csv

        return cls._built(results_from_csv(source, rubric=rubric), str(source))

    def equals(self, other: Results) -> bool:
        """True when both hold the same numbers, labels, answers and provenance (NaN == NaN).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> res.equals(rm.score(r, rs)), res.equals(rm.score(r, rs.select([1, 0])))
            (True, False)
        """
        return self == other

    def _repr_html_(self) -> str:
        """Notebook display: each agency's latest row, best first (50 rows at most)."""
        return str(view("summary_table")(self, limit=50))

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame of :meth:`to_records` (needs ``readiness-model[pandas]``).

        Raises:
            MissingExtraError: pandas is not installed (an ImportError naming the extra).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2016)
            >>> res = rm.score(r, rs)
            >>> df = res.to_dataframe()
            >>> df[["agency", "overall", "rank"]].values.tolist()
            [['x', 75.0, 1], ['y', 25.0, 2]]

        .. versionadded:: 0.1.0
        """
        from .dataframe import results_to_dataframe

        return results_to_dataframe(self)

    @classmethod
    def _built(cls, fields: dict[str, Any], source: str) -> Results:
        """Results from the fields a file reader checked (a reader names every problem)."""
        try:
            return cls(**fields)
        except (ValueError, TypeError) as err:  # pragma: no cover - every part was checked
            from ..errors import Problem, ResponseError

            raise ResponseError([Problem(f"not a valid results file: {err}", source)]) from None

    def summary(self, by: str | None = None) -> Any:
        """Count, mean, median, min and max of every node's reported score (``overall``
        first) per period, over the statistics population: rows in the rubric's
        ``population``, assessed and scored from their own answers (the published
        "OECD average" or "world average"); with ``by``, per value of that agency
        attribute (region, income group, ministry...). See :class:`~readiness_model.Summary`.

        Raises:
            ResponseError: ``by`` is not an attribute of the results.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("q")])], population={"member": True})
            >>> rs = rm.ResponseSet.from_array([[1], [0], [0]], ["x", "y", "z"], r,
            ...     attributes={"member": ["true", "true", "false"]})
            >>> [(x["node"], x["count"], x["mean"]) for x in rm.score(r, rs).summary().to_records()]
            [('overall', 2, 50.0), ('d', 2, 50.0)]

        .. versionadded:: 0.2.0
        """
        from .summary import summarize

        return summarize(self, by)

    def __repr__(self) -> str:
        return (
            f"<Results {self.provenance.rubric_id} {self.provenance.rubric_version}: "
            f"{len(self)} rows × {len(self.node_ids)} nodes>"
        )
