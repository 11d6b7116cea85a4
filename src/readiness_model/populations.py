"""Population statistics as a value: what population-relative scores were measured against.

A :class:`Population` holds, per period, the statistics of every population-relative
indicator (those its normalisation declares: count, min, max, mean, sd, distinct values
with counts), of every node that rescales across the population (count, min, max of its
unrescaled score) and the distinct reported overall scores of the ranked agencies with
their counts (for ranks against the round). It is computed by
:func:`readiness_model.population`, saved and loaded exactly as JSON, merged across
disjoint sets of rows (:meth:`Population.merge`) and given to
:func:`readiness_model.score` to score answers against a frozen round.

Statistics come in *steps*, in dependency order: ``indicators``; ``nodes-1``,
``nodes-2``... (rescaled nodes, a node after every rescaled node below it); ``overall``.
Each step records the fingerprint of the statistics it was computed with (``basis``),
and whether its statistics were computed from this population's rows or copied from
another population (``given_by``: that population's answers hash). That is what makes
partitioned computation safe: statistics that depend on other statistics merge only
when every partition computed them with the same ones (see :meth:`Population.merge`).

>>> FORMAT, FORMAT_VERSION
('readiness-model population', 1)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from ._arrays import readonly, same_array
from .errors import Problem, ReadinessError
from .io.answer_cells import Period
from .responses import ResponseSet

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ColumnStatistics",
    "PeriodStatistics",
    "Population",
    "Step",
    "answers_digest",
    "build_periods",
    "combine_digests",
    "fingerprint",
]

FORMAT = "readiness-model population"
FORMAT_VERSION = 1
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


def _step_tuple(a: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(a)


def _period_tuple(a: Iterable[PeriodStatistics]) -> tuple[PeriodStatistics, ...]:
    return tuple(a)


def _bad(message: str, hint: str = "") -> ReadinessError:
    return ReadinessError([Problem(message, "population", hint=hint)])


def _period_key(p: Period) -> tuple[bool, Any]:
    return (isinstance(p, str), p)


@attrs.frozen(slots=True)
class Population:
    """Population statistics of a survey round, per period (see the module docstring).

    Attributes:
        rubric_id, rubric_version, rubric_sha256: The rubric they were computed with
            (scoring with another rubric is an error).
        library_version: The readiness-model version that computed them.
        rows: The agency-periods of the statistics population (the answers' count).
        answers_sha256: The answers hash of those rows (:func:`answers_digest`).
        steps: Every step the rubric needs, in order, and whether it is held.
        periods: The statistics of each period, in period order.

    Example:
        >>> import readiness_model as rm
        >>> q = rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q])])
        >>> rs = rm.ResponseSet.from_array([[92.0], [97.5], [99.0]], ["a", "b", "c"], r,
        ...                                period=2016)
        >>> pop = rm.population(r, rs)
        >>> pop.rows, pop.complete, pop.period_labels
        (3, True, (2016,))
        >>> st = pop.statistics("q", 2016)
        >>> st.count, st.min, st.max
        (3, 92.0, 99.0)

    .. versionadded:: 0.2.0
    """

    rubric_id: str
    rubric_version: str
    rubric_sha256: str
    library_version: str
    rows: int
    answers_sha256: str
    steps: tuple[Step, ...] = attrs.field(converter=_step_tuple)
    periods: tuple[PeriodStatistics, ...] = attrs.field(converter=_period_tuple)

    @property
    def complete(self) -> bool:
        """Whether every step is held: the population can score answers.

        Example:
            >>> Population("t", "1", "ab", "0.1.0", 0, f"{0:064x}",
            ...            [Step("overall", "overall", ("overall",), held=False)], []).complete
            False
        """
        return all(s.held for s in self.steps)

    @property
    def period_labels(self) -> tuple[Period, ...]:
        """The periods, in period order.

        Example:
            >>> Population("t", "1", "ab", "0.1.0", 0, f"{0:064x}", [],
            ...            [PeriodStatistics(2016, 0)]).period_labels
            (2016,)
        """
        return tuple(p.period for p in self.periods)

    def period(self, period: Period) -> PeriodStatistics:
        """The statistics of one period.

        Raises:
            ReadinessError: the population has no such period.

        Example:
            >>> Population("t", "1", "ab", "0.1.0", 0, f"{0:064x}", [],
            ...            [PeriodStatistics(2016, 5)]).period(2016).rows
            5
        """
        for p in self.periods:
            if p.period == period:
                return p
        have = ", ".join(map(str, self.period_labels)) or "none"
        raise _bad(f"the population has no period {period!r} (it has {have})")

    def select(self, period: Period) -> Population:
        """The population of one period (a one-period population scores every period:
        a 2017 self-assessment against the 2016 round).

        Raises:
            ReadinessError: the population has no such period.

        Example:
            >>> pop = Population("t", "1", "ab", "0.1.0", 8, f"{0:064x}", [],
            ...     [PeriodStatistics(2015, 3), PeriodStatistics(2016, 5)])
            >>> pop.select(2016).period_labels, pop.select(2016).rows
            ((2016,), 5)
        """
        p = self.period(period)
        return attrs.evolve(self, periods=(p,), rows=p.rows)

    def statistics(self, column: str, period: Period) -> ColumnStatistics:
        """The statistics of an indicator or a rescaled node (or ``"overall"``) in a period.

        Raises:
            ReadinessError: no such period or column.

        Example:
            >>> p = PeriodStatistics(2016, 2, nodes=(("people", ColumnStatistics(2)),))
            >>> Population("t", "1", "ab", "0.1.0", 2, f"{0:064x}", [], [p]).statistics(
            ...     "people", 2016).count
            2
        """
        p = self.period(period)
        for kind in ("indicators", "nodes", "overall"):
            st = p.column(kind, column)
            if st is not None:
                return st
        raise _bad(f"the population keeps no statistics of {column!r} in period {period!r}")

    def merge(self, other: Population) -> Population:
        """The population of the union of two disjoint sets of rows.

        Rows and answers hashes add up; each step's statistics merge
        (:meth:`ColumnStatistics.merge`) when both sides computed them from their own
        rows with the same earlier statistics (equal ``basis``, which must also be the
        fingerprint of the merged earlier steps), or both copied the same statistics
        from one population. Any other step is dropped (``held=False``): it must be
        computed again with the merged statistics (``population(rubric, part,
        known=merged)``). Copied statistics become this population's own when the
        merged rows are the rows they were computed from.

        Raises:
            ReadinessError: the two were computed with different rubrics.

        Example:
            >>> import readiness_model as rm
            >>> q = rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q])])
            >>> rs = rm.ResponseSet.from_array([[92.0], [97.5], [99.0]], ["a", "b", "c"], r)
            >>> a, b = rm.population(r, rs.select([0])), rm.population(r, rs.select([1, 2]))
            >>> m = a.merge(b)
            >>> m.statistics("q", 0).max, m.complete, [s.name for s in m.steps if not s.held]
            (99.0, False, ['overall'])
            >>> m2 = rm.population(r, rs.select([0]), known=m).merge(
            ...     rm.population(r, rs.select([1, 2]), known=m))
            >>> m2.complete, m2 == rm.population(r, rs)
            (True, True)
        """
        if (self.rubric_sha256, self.step_names) != (other.rubric_sha256, other.step_names):
            raise _bad(
                f"cannot merge populations of different rubrics ({self.rubric_id} "
                f"{self.rubric_version} and {other.rubric_id} {other.rubric_version})",
                "compute both with the same rubric",
            )
        labels = sorted({*self.period_labels, *other.period_labels}, key=_period_key)
        mine = {p.period: p for p in self.periods}
        theirs = {p.period: p for p in other.periods}
        answers = combine_digests([self.answers_sha256, other.answers_sha256])
        kept: list[Step] = []
        merged: dict[Period, dict[str, dict[str, ColumnStatistics]]] = {
            p: {"indicators": {}, "nodes": {}, "overall": {}} for p in labels
        }
        rows = {
            p: (mine[p].rows if p in mine else 0) + (theirs[p].rows if p in theirs else 0)
            for p in labels
        }
        for a, b in zip(self.steps, other.steps, strict=True):
            step, same = _merged_step(a, b, self, other)
            if step is not None:
                out = {p: _merge_columns(step, same, mine.get(p), theirs.get(p)) for p in labels}
                trial = [
                    PeriodStatistics(p, rows[p], **{step.kind: tuple(out[p].items())})
                    for p in labels
                ]
                if step.basis != fingerprint(build_periods(labels, rows, merged, kept), kept):
                    step = None
            if step is None:
                kept.append(attrs.evolve(a, held=False, basis="", given_by=None))
                continue
            if step.given_by == answers:  # copied from exactly these rows: our own
                step = attrs.evolve(step, given_by=None)
            for t in trial:
                merged[t.period][step.kind].update(getattr(t, step.kind))
            kept.append(step)
        return attrs.evolve(
            self,
            rows=self.rows + other.rows,
            answers_sha256=answers,
            steps=tuple(kept),
            periods=build_periods(labels, rows, merged, kept),
        )

    @property
    def step_names(self) -> tuple[str, ...]:
        """The names of the steps, in order.

        Example:
            >>> Population("t", "1", "ab", "0.1.0", 0, f"{0:064x}",
            ...            [Step("overall", "overall", ("overall",))], []).step_names
            ('overall',)
        """
        return tuple(s.name for s in self.steps)

    def to_json(self, path: str | Path | None = None) -> str:
        """Exact JSON (every float survives); written to ``path`` when given (atomically).

        Example:
            >>> import readiness_model as rm
            >>> q = rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("zscore"))
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q])])
            >>> rs = rm.ResponseSet.from_array([[0.1], [0.7], [1 / 3]], ["a", "b", "c"], r)
            >>> pop = rm.population(r, rs)
            >>> Population.from_json(pop.to_json()) == pop
            True
        """
        from .io.atomic import write_atomic
        from .io.population_json import population_to_json

        text = population_to_json(self)
        if path is not None:
            write_atomic(path, text)
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> Population:
        """A population from its JSON text or file.

        Raises:
            ReadinessError: the file cannot be read or is not a population file (every
                problem, located by its ``$.path``).

        Example:
            >>> try:
            ...     Population.from_json('{"format": "x"}')
            ... except ReadinessError as err:
            ...     print(err.problems[0].message)
            missing field 'format_version'
        """
        from .io.population_json import population_from_json

        return population_from_json(source)

    def __repr__(self) -> str:
        periods = ", ".join(map(str, self.period_labels))
        state = "" if self.complete else ", incomplete"
        return (
            f"<Population {self.rubric_id} {self.rubric_version}: {self.rows} rows, "
            f"periods {periods or 'none'}{state}>"
        )


def _merged_step(a: Step, b: Step, pa: Population, pb: Population) -> tuple[Step | None, bool]:
    """The merged step's record (``None`` when it cannot be merged), and whether both
    sides hold the same statistics (kept once) rather than statistics of their rows."""
    if not (a.held and b.held) or (a.kind, a.columns) != (b.kind, b.columns):
        return None, False
    if a.given_by is None and b.given_by is None:
        return (a if a.basis == b.basis else None), False
    if a.basis != b.basis or fingerprint(pa.periods, [a]) != fingerprint(pb.periods, [b]):
        return None, False
    if a.given_by is not None and a.given_by == b.given_by:
        return a, True
    # a part without rows of the statistics population copied the statistics of exactly
    # the other side's rows (which made them its own): nothing to add
    for own, pown, copied, pcopied in ((a, pa, b, pb), (b, pb, a, pa)):
        if own.given_by is None and pcopied.rows == 0 and copied.given_by == pown.answers_sha256:
            return own, True
    return None, False


def _merge_columns(
    step: Step, same: bool, a: PeriodStatistics | None, b: PeriodStatistics | None
) -> dict[str, ColumnStatistics]:
    out: dict[str, ColumnStatistics] = {}
    for key in step.columns:
        x = None if a is None else a.column(step.kind, key)
        y = None if b is None else b.column(step.kind, key)
        if x is None or y is None:
            if x is not None or y is not None:
                out[key] = x if x is not None else y  # type: ignore[assignment]
        elif same:
            out[key] = x  # the same statistics on both sides
        else:
            out[key] = x.merge(y)
    return out


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
        for p in sorted(set(labels), key=_period_key)
    )
