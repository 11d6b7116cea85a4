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

from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import attrs

from ..errors import Location, Problem, ReadinessError
from ..io.answer_cells import Period
from .stats import (
    FORMAT,
    FORMAT_VERSION,
    ColumnStatistics,
    PeriodStatistics,
    Step,
    answers_digest,
    build_periods,
    combine_digests,
    fingerprint,
)
from .stats import period_key as _period_key

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


def _step_tuple(a: Iterable[Step]) -> tuple[Step, ...]:
    return tuple(a)


def _period_tuple(a: Iterable[PeriodStatistics]) -> tuple[PeriodStatistics, ...]:
    return tuple(a)


def _bad(message: str, hint: str = "") -> ReadinessError:
    return ReadinessError([Problem(message, "population", hint=hint)])


_NOUNS = {"indicators": "indicator", "nodes": "node", "overall": "column"}
_RECOMPUTE = "compute it again with this rubric: readiness-model population RUBRIC ANSWERS -o FILE"


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

    def require(
        self, needs: Mapping[tuple[str, str], Collection[str]], file: str | None = None
    ) -> Population:
        """This population, when every period holds the statistics a rubric reads.

        Args:
            needs: ``(kind, column) -> statistics`` the scoring reads (``kind``:
                ``indicators``, ``nodes`` or ``overall``; statistics among ``count``,
                ``min``, ``max``, ``mean``, ``sd`` and ``distinct``).
            file: The population's file, to locate the problems in.

        Raises:
            ReadinessError: per period, the columns whose statistics the population
                does not hold, and the statistics a column does not keep (each at the
                ``$.path`` of the population file).

        Example:
            >>> pop = Population("t", "1", "ab", "0.1.0", 3, f"{0:064x}", [],
            ...                  [PeriodStatistics(2016, 3)])
            >>> try:
            ...     pop.require({("indicators", "z"): ("count", "min", "max")}, "round.json")
            ... except ReadinessError as err:
            ...     problem = err.problems[0]
            >>> print(problem.location, problem.message, "@", problem.path)
            round.json no statistics of indicator 'z' in period 2016 @ $.periods[0].indicators
        """
        at = None if file is None else Location(file)
        problems = []
        for i, p in enumerate(self.periods):
            for kind, noun in _NOUNS.items():
                held = dict(getattr(p, kind))
                wanted = [(c, stats) for (k, c), stats in needs.items() if k == kind]
                lost = [c for c, _ in wanted if c not in held]
                if lost:
                    what = ", ".join(map(repr, lost))
                    problems.append(
                        Problem(
                            f"no statistics of {noun}{'s' if len(lost) > 1 else ''} {what} in "
                            f"period {p.period!r}",
                            f"$.periods[{i}].{kind}",
                            at,
                            hint=_RECOMPUTE,
                        )
                    )
                for c, stats in wanted:
                    short = [s for s in stats if c in held and s not in held[c].kept]
                    if short:
                        problems.append(
                            Problem(
                                f"the statistics of {noun} {c!r} in period {p.period!r} lack "
                                f"{', '.join(short)} (kept: {', '.join(held[c].kept)})",
                                f"$.periods[{i}].{kind}.{c}",
                                at,
                                hint=_RECOMPUTE,
                            )
                        )
        if problems:
            raise ReadinessError(problems)
        return self

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
        from ..io.atomic import write_atomic
        from .json_file import population_to_json

        text = population_to_json(self)
        if path is not None:
            write_atomic(path, text)
        return text

    @classmethod
    def from_json(cls, source: str | Path) -> Population:
        """A population from its JSON text or file.

        Raises:
            ReadinessError: the file cannot be read or is not a population file (every
                problem, located by its ``$.path``): a statistic that is not a finite
                number, statistics that disagree with each other or with the steps (a
                period with rows lacking a column its own step computed)...

        Example:
            >>> try:
            ...     Population.from_json('{"format": "x"}')
            ... except ReadinessError as err:
            ...     print(err.problems[0].message)
            missing field 'format_version'
        """
        from .json_file import population_fields

        return cls(**population_fields(source))

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
        elif x.kept != y.kept:
            assert a is not None
            raise _bad(
                f"cannot merge the statistics of {_NOUNS[step.kind]} {key!r} in period "
                f"{a.period!r}: one population keeps "
                f"{', '.join(x.kept)}, the other {', '.join(y.kept)}",
                "one of the files was edited: " + _RECOMPUTE,
            )
        else:
            out[key] = x.merge(y)
    return out
