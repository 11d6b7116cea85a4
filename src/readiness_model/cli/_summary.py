"""``score --summary [--by ATTRIBUTE]``: the population statistics instead of the rows
(:meth:`Results.summary <readiness_model.Results.summary>`), as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import math
import sys

from .._numbers import digits_for
from ..model import Rubric
from ..results import Results
from . import write_text_atomic
from ._output import UsageError, output_format
from .table import render_table

__all__ = ["add_summary_options", "summary_table", "write_summary"]


def add_summary_options(p: argparse.ArgumentParser) -> None:
    """``--summary`` and ``--by``.

    Example:
        >>> p = argparse.ArgumentParser()
        >>> add_summary_options(p)
        >>> p.parse_args(["--summary", "--by", "region"]).by
        'region'
    """
    p.add_argument(
        "--summary",
        action="store_true",
        help="print (or write as .csv/.json) count, mean, median, min and max of every "
        "node per period over the rubric's population (its published averages) instead "
        "of the rows",
    )
    p.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="with --summary: one set of statistics per value of this agency attribute "
        "(e.g. region; keep an extra column with --extra-columns keep)",
    )


def check_summary_options(ns: argparse.Namespace) -> None:
    """Raise :class:`UsageError` for ``--by`` without ``--summary`` or a format the
    summary is not written in."""
    if ns.by is not None and not ns.summary:
        raise UsageError("--by goes with --summary")
    if ns.summary and output_format(ns) not in ("table", "csv", "json"):
        raise UsageError(f"--summary is written as a table, .csv or .json, not {output_format(ns)}")


def summary_table(rubric: Rubric, results: Results, by: str | None) -> str:
    """The summary as a text table (scores at the rubric's decimals).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r))
        >>> print(summary_table(r, res, None).splitlines()[2])
        0       overall      2  50.00   50.00  0.00  100.00
    """
    digits = digits_for(rubric)
    s = results.summary(by)
    head = ["period", *([] if by is None else [by]), "node", "count", "mean", "median"]
    head += ["min", "max"]
    body = []
    for period, group, node, count, *stats in s.rows:
        cells = [str(period), *([] if by is None else [group or "–"]), node, str(count)]
        cells += ["–" if math.isnan(x) else f"{x:.{digits}f}" for x in stats]
        body.append(cells)
    align = "<" + ("<" if by is not None else "") + "<" + ">" * 5
    return render_table(head, body, align=align)


def write_summary(ns: argparse.Namespace, rubric: Rubric, results: Results) -> int:
    """Print or write the summary as ``ns`` says; the exit code."""
    fmt = output_format(ns)
    s = results.summary(ns.by)
    if fmt == "csv":
        text = s.to_csv(safe=not ns.csv_raw)
    elif fmt == "json":
        text = s.to_json()
    else:
        text = (
            f"{rubric.label(ns.lang)} ({rubric.id} {rubric.version}): statistics over the "
            "population\n" + summary_table(rubric, results, ns.by)
        )
    out = ns.output if ns.output not in (None, "-") else None
    if out:
        write_text_atomic(out, text)
    else:
        sys.stdout.write(text)
    return 0
