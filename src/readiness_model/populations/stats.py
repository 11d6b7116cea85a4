"""The parts of a :class:`~readiness_model.Population`: the statistics of one column
(:class:`ColumnStatistics`, with their exact merge), one period
(:class:`PeriodStatistics`), the steps they come in (:class:`Step`), and the hashes that
make a partitioned computation safe (:func:`fingerprint`, :func:`answers_digest`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from .._arrays import readonly, same_array
from ..io.answer_cells import Period
from ..responses import ResponseSet

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ColumnStatistics",
    "PeriodStatistics",
    "Step",
    "answers_digest",
    "build_periods",
    "combine_digests",
    "fingerprint",
    "period_key",
]

FORMAT = "readiness-model population"
"""The ``format`` field of a population file."""
FORMAT_VERSION = 1
"""The ``format_version`` field of a population file."""

_MOD = 1 << 256


def _opt_float(x: Any) -> float | None:
    return None if x is None else float(x)


def _same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b or (math.isnan(a) and math.isnan(b))


_float_eq = attrs.cmp_using(eq=_same_float)
_array_eq = attrs.cmp_using(eq=lambda a, b: (a is None and b is None) or same_array(a, b))


def _opt_floats(a: Any) -> np.ndarray | None:
    return None if a is None else readonly(a, np.float64)


def _opt_ints(a: Any) -> np.ndarray | None:
    return None if a is None else readonly(a, np.int64)


def _ids(a: Iterable[str]) -> tuple[str, ...]:
    return tuple(a)


@attrs.frozen(slots=True)
class ColumnStatistics:
    """The statistics of one column (an indicator, a node, the overall score) in one
    period. A statistic the column's method does not read is ``None`` (not kept); min,
    max, mean and sd are NaN when the column has no value.

    Example:
        >>> a = ColumnStatistics(2, min=1.0, max=3.0, mean=2.0, sd=1.0)
        >>> b = ColumnStatistics(1, min=5.0, max=5.0, mean=5.0, sd=0.0)
        >>> m = a.merge(b)
        >>> m.count, m.min, m.max, m.mean, round(m.sd, 12)
        (3, 1.0, 5.0, 3.0, 1.632993161855)

    .. versionadded:: 0.2.0
    """

    count: int = attrs.field(converter=int)
    min: float | None = attrs.field(default=None, converter=_opt_float, eq=_float_eq)
    max: float | None = attrs.field(default=None, converter=_opt_float, eq=_float_eq)
    mean: float | None = attrs.field(default=None, converter=_opt_float, eq=_float_eq)
    sd: float | None = attrs.field(default=None, converter=_opt_float, eq=_float_eq)
    values: np.ndarray | None = attrs.field(default=None, converter=_opt_floats, eq=_array_eq)
    counts: np.ndarray | None = attrs.field(default=None, converter=_opt_ints, eq=_array_eq)

    @property
    def kept(self) -> tuple[str, ...]:
        """The statistics held (``distinct``: the values with their counts).

        Example:
            >>> ColumnStatistics(0, min=math.nan, max=math.nan).kept
            ('count', 'min', 'max')
        """
        names = [k for k in ("min", "max", "mean", "sd") if getattr(self, k) is not None]
        return ("count", *names, *(("distinct",) if self.values is not None else ()))

    def merge(self, other: ColumnStatistics) -> ColumnStatistics:
        """The statistics of the union of two disjoint sets of rows.

        Count, min, max and the distinct values with their counts are exact; the mean
        and the standard deviation are combined as Chan et al. do (pairwise update of
        the mean and of the sum of squared deviations), exact when one side is empty and
        within about 1e-15 of the largest magnitude otherwise.

        Example:
            >>> a = ColumnStatistics(2, values=[1.0, 2.0], counts=[1, 1])
            >>> m = a.merge(ColumnStatistics(2, values=[2.0, 7.0], counts=[1, 1]))
            >>> m.values.tolist(), m.counts.tolist()
            ([1.0, 2.0, 7.0], [1, 2, 1])
        """
        if self.kept != other.kept:
            raise ValueError(f"cannot merge statistics {self.kept} with {other.kept}")
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        n = self.count + other.count
        out: dict[str, Any] = {"count": n}
        if self.min is not None:
            out["min"] = min(self.min, other.min)  # type: ignore[type-var]
        if self.max is not None:
            out["max"] = max(self.max, other.max)  # type: ignore[type-var]
        if self.mean is not None:
            assert other.mean is not None
            delta = other.mean - self.mean
            out["mean"] = self.mean + delta * (other.count / n)
            if self.sd is not None:
                assert other.sd is not None
                m2 = (
                    self.sd * self.sd * self.count
                    + other.sd * other.sd * other.count
                    + delta * delta * (self.count * other.count / n)
                )
                out["sd"] = math.sqrt(m2 / n)
        elif self.sd is not None:
            raise ValueError("a standard deviation merges only with its mean")
        if self.values is not None:
            assert other.values is not None
            assert self.counts is not None
            assert other.counts is not None
            both = np.concatenate([self.values, other.values])
            values, inverse = np.unique(both, return_inverse=True)
            counts = np.zeros(values.size, np.int64)
            np.add.at(counts, inverse, np.concatenate([self.counts, other.counts]))
            out["values"], out["counts"] = values, counts
        return ColumnStatistics(**out)

    def digest(self) -> bytes:
        """Exact bytes of these statistics (what a step's fingerprint hashes).

        Example:
            >>> len(ColumnStatistics(1, min=2.0).digest())
            32
        """
        h = hashlib.sha256(f"{self.count}".encode())
        for k in ("min", "max", "mean", "sd"):
            v = getattr(self, k)
            h.update(f";{k}={'-' if v is None else float(v).hex()}".encode())
        if self.values is not None and self.counts is not None:
            h.update(b";distinct=")
            h.update(np.ascontiguousarray(self.values, "<f8").tobytes())
            h.update(np.ascontiguousarray(self.counts, "<i8").tobytes())
        return h.digest()


Columns = tuple[tuple[str, ColumnStatistics], ...]


@attrs.frozen(slots=True)
class Step:
    """One step of a population's statistics (see the module docstring).

    Attributes:
        name: ``indicators``, ``nodes-1``, ``nodes-2``... or ``overall``.
        kind: ``indicators``, ``nodes`` or ``overall`` (where its columns are kept).
        columns: The indicator or node ids (``("overall",)`` for the overall step).
        held: Whether the population holds its statistics (a merge of partitions
            drops a step whose partitions computed it with different statistics).
        basis: sha256 of the statistics of the earlier steps it was computed with.
        given_by: ``None`` when computed from this population's rows; else the answers
            hash of the population it was copied from.

    Example:
        >>> Step("indicators", "indicators", ("uptime",)).held
        True

    .. versionadded:: 0.2.0
    """

    name: str
    kind: str
    columns: tuple[str, ...] = attrs.field(converter=_ids)
    held: bool = True
    basis: str = ""
    given_by: str | None = None


@attrs.frozen(slots=True)
class PeriodStatistics:
    """The statistics of one period: rows of the statistics population, then one
    :class:`ColumnStatistics` per indicator, per rescaled node, and the overall scores.

    Example:
        >>> p = PeriodStatistics(2016, 3, indicators=(("q", ColumnStatistics(3, min=0.0)),))
        >>> p.column("indicators", "q").min
        0.0

    .. versionadded:: 0.2.0
    """

    period: Period
    rows: int
    indicators: Columns = ()
    nodes: Columns = ()
    overall: Columns = ()

    def column(self, kind: str, key: str) -> ColumnStatistics | None:
        """The statistics of column ``key`` of ``kind`` (``None``: not held).

        Example:
            >>> PeriodStatistics(2016, 0).column("nodes", "people") is None
            True
        """
        return dict(getattr(self, kind)).get(key)


def fingerprint(periods: Iterable[PeriodStatistics], steps: Iterable[Step]) -> str:
    """sha256 of the statistics of ``steps`` in every period (a later step's ``basis``).

    Example:
        >>> fingerprint([], [])[:12]
        'e3b0c44298fc'
    """
    h = hashlib.sha256()
    periods = list(periods)
    for step in steps:
        for p in periods:
            for key in step.columns:
                st = p.column(step.kind, key)
                if st is not None:
                    h.update(f"{step.name}|{p.period!r}|{key}|".encode())
                    h.update(st.digest())
    return h.hexdigest()


def answers_digest(responses: ResponseSet, rows: np.ndarray) -> str:
    """The answers hash of ``rows`` (indices) of ``responses``: the sum modulo 2**256 of
    the SHA-256 of every row (agency, period, stored values, missing and not-applicable
    marks). A sum does not depend on the order of the rows, so the hash of a merged
    population is the sum of its parts' hashes: partitions give the whole's hash.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_array([[1], [0]], ["a", "b"], r, period=2016)
        >>> whole = answers_digest(rs, np.arange(2))
        >>> parts = [answers_digest(rs, np.array([i])) for i in (1, 0)]
        >>> whole == combine_digests(parts)
        True
    """
    rows = np.asarray(rows, np.int64)
    n = rows.size
    if not n:
        return f"{0:064x}"
    values = responses.values[rows]
    codes = responses.missing[rows].astype(np.uint8) + 2 * responses.na[rows].astype(np.uint8)
    fixed = np.concatenate(
        [
            np.ascontiguousarray(np.where(np.isnan(values), 0.0, values), "<f8")
            .view(np.uint8)
            .reshape(n, -1),
            codes,
        ],
        axis=1,
    )
    width = fixed.shape[1]
    buf = fixed.tobytes()
    tags = {p: f"{type(p).__name__}:{p}".encode() for p in set(responses.periods)}
    sha = hashlib.sha256
    digests = b"".join(
        [
            sha(
                responses.agencies[i].encode("utf-8", "surrogatepass")
                + b"\x00"
                + tags[responses.periods[i]]
                + b"\x00"
                + buf[k * width : (k + 1) * width]
            ).digest()
            for k, i in enumerate(rows.tolist())
        ]
    )
    limbs = np.frombuffer(digests, ">u4").reshape(n, 8).astype(np.uint64).sum(axis=0)
    total = 0
    for limb in limbs.tolist():  # 32-bit limbs summed exactly (fewer than 2**32 rows)
        total = (total << 32) + int(limb)
    return f"{total % _MOD:064x}"


def combine_digests(digests: Iterable[str]) -> str:
    """The answers hash of the union of disjoint row sets.

    Example:
        >>> combine_digests([f"{1:064x}", f"{2:064x}"])[-4:]
        '0003'
    """
    return f"{sum(int(d, 16) for d in digests) % _MOD:064x}"


def period_key(p: Period) -> tuple[bool, Any]:
    return (isinstance(p, str), p)


def build_periods(
    labels: Iterable[Period],
    rows: dict[Period, int],
    stats: dict[Period, dict[str, dict[str, ColumnStatistics]]],
    steps: Sequence[Step],
) -> tuple[PeriodStatistics, ...]:
    """Per period (in period order), its rows and the statistics held in ``stats``
    (``period -> kind -> column -> statistics``), columns in the order of ``steps``.

    Example:
        >>> st = {2016: {"indicators": {"q": ColumnStatistics(1)}}}
        >>> build_periods([2016], {2016: 1}, st, [Step("indicators", "indicators", ("q",))])
        (PeriodStatistics(period=2016, rows=1, indicators=(('q', ...),), nodes=(), overall=()),)
    """
    flat = [(s.kind, c) for s in steps for c in s.columns]
    order = {key: i for i, key in enumerate(flat)}

    def cols(p: Period, kind: str) -> Columns:
        items = stats.get(p, {}).get(kind, {}).items()
        return tuple(sorted(items, key=lambda kv: order.get((kind, kv[0]), len(order))))

    return tuple(
        PeriodStatistics(
            p,
            rows.get(p, 0),
            indicators=cols(p, "indicators"),
            nodes=cols(p, "nodes"),
            overall=cols(p, "overall"),
        )
        for p in sorted(set(labels), key=period_key)
    )
