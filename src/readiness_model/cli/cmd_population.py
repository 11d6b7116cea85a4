"""``readiness-model population``: a round's population statistics, to score against later;
and the ``score`` options that use them (``--population``, ``--rank-against``)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from ..engine.population import population
from ..model import Rubric
from ..populations import ColumnStatistics, Population
from . import Handler, add_inputs, command, load_inputs, write_text_atomic
from ._output import UsageError
from .table import render_table

__all__ = ["add_population_options", "population_args"]


def add_population_options(p: argparse.ArgumentParser) -> None:
    """``--population FILE`` and ``--rank-against FILE`` (``score``).

    Example:
        >>> p = argparse.ArgumentParser()
        >>> add_population_options(p)
        >>> p.parse_args(["--population", "round-2016.json"]).population
        'round-2016.json'
    """
    group = p.add_argument_group("scoring against a frozen round")
    group.add_argument(
        "--population",
        metavar="FILE",
        help="population statistics saved by 'readiness-model population': min-max, "
        "z-score, rank, percentile, target and rescale scores are measured against that "
        "round instead of these answers",
    )
    group.add_argument(
        "--rank-against",
        metavar="FILE",
        help="rank each agency among the ranked agencies of a saved round (usually the "
        "same file as --population) instead of among these answers",
    )


def population_args(ns: argparse.Namespace, rubric: Rubric) -> dict[str, Any]:
    """The ``population=`` and ``rank_against=`` arguments of ``score`` from the options
    of :func:`add_population_options` (each file read once).

    Raises:
        ResponseError: a file cannot be read or is not a population file.
        ReadinessError: it was computed with another rubric, is incomplete, or lacks
            statistics the rubric reads.

    Example:
        >>> population_args(argparse.Namespace(population=None, rank_against=None), None)
        {}
    """
    from ..engine.frozen import check_population

    read: dict[str, Population] = {}
    out: dict[str, Any] = {}
    for option, key in (("population", "population"), ("rank_against", "rank_against")):
        path = getattr(ns, option, None)
        if path is None:
            continue
        if path not in read:
            read[path] = Population.from_json(Path(path))
        out[key] = check_population(rubric, read[path], key, file=path)
    return out


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None:
        return ""
    return "–" if math.isnan(x) else f"{x:.{digits}g}"


def summary(pop: Population) -> str:
    """A table of the statistics, one line per period and column.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))])])
        >>> pop = rm.population(r, rm.ResponseSet.from_array([[1.0], [3.0]], ["a", "b"], r))
        >>> print(summary(pop).splitlines()[3])
          0       q        indicator      2    1    3
    """
    body = []
    for p in pop.periods:
        for kind, label in (("indicators", "indicator"), ("nodes", "node"), ("overall", "")):
            for key, st in getattr(p, kind):
                body.append(_row(str(p.period), key, label or "overall", st))
    head = ["period", "column", "kind", "count", "min", "max", "mean", "sd", "distinct"]
    title = (
        f"Population of {pop.rubric_id} {pop.rubric_version}: {pop.rows} rows, "
        f"answers sha256 {pop.answers_sha256[:16]}…"
    )
    return title + "\n" + render_table(head, body, align="<<<>>>>>>", flex=1)


def _row(period: str, key: str, kind: str, st: ColumnStatistics) -> list[str]:
    distinct = "" if st.values is None else str(st.values.size)
    return [
        period,
        key,
        kind,
        str(st.count),
        *(_fmt(getattr(st, k)) for k in ("min", "max", "mean", "sd")),
        distinct,
    ]


@command(
    "population",
    help="Compute a round's population statistics (JSON), to score late answers against it.",
    examples="  readiness-model population thai-dg-readiness-2016 round-2016.csv"
    " -o round-2016.json\n"
    "  readiness-model score thai-dg-readiness-2016 late.csv --population round-2016.json"
    " --rank-against round-2016.json\n"
    "  readiness-model population rubric.yaml answers.csv\n"
    "The statistics are what population-relative methods (minmax, zscore, rank,\n"
    "percentile, target, node rescale) measure answers against, per period, and the\n"
    "round's overall scores (for ranks against it). -o FILE.json saves them exactly;\n"
    "without -o a table shows them. Scoring with --population leaves every number of the\n"
    "round as published: answers outside its range are clamped (min-max) or placed among\n"
    "its values (rank, percentile).",
)
def _population(p: argparse.ArgumentParser) -> Handler:
    add_inputs(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here; a .json name saves the statistics, any other name the table",
    )
    p.add_argument(
        "--format",
        choices=("table", "json"),
        help="the format, when not picked by the output file's name; default table",
    )

    def run(ns: argparse.Namespace) -> int:
        out = ns.output if ns.output not in (None, "-") else None
        implied = "json" if out and Path(out).suffix.lower() == ".json" else None
        fmt = ns.format or implied or "table"
        if ns.format and implied and ns.format != implied:
            err = UsageError(f"--format {ns.format} contradicts the output file name {out!r}")
            print(f"readiness-model population: error: {err}", file=sys.stderr)
            return 2
        rubric, responses = load_inputs(ns)
        pop = population(rubric, responses)
        text = pop.to_json() if fmt == "json" else summary(pop)
        if out:
            write_text_atomic(out, text)
        else:
            sys.stdout.write(text)
        return 0

    return run
