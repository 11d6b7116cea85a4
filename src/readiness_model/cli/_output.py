"""Where ``score`` writes its results, and in which format: the output file's name picks
it (``.csv``, ``.json``, ``.xlsx``, ``.html``; anything else is the table), an explicit
``--format`` must agree with it (else a usage error, exit 2, one line)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..model import Rubric
from ..results import Results
from . import write_text_atomic
from ._options import add_lang_option

__all__ = ["SUFFIXES", "UsageError", "add_output_options", "output_format", "write_results"]

SUFFIXES = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}
"""The output file suffixes that choose a format."""


class UsageError(Exception):
    """Options that contradict each other (exit code 2, one line)."""


def add_output_options(p: argparse.ArgumentParser) -> None:
    """``-o``, ``--format``, ``--csv-raw``, ``--excel-csv``, ``--columns`` and ``--lang``."""
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of printing; the name picks the format: .csv, .json, "
        ".xlsx (a workbook for people), .html (the report), anything else the table",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "json", "xlsx", "html"),
        help="the format, when not picked by the output file's name (it must agree with "
        "it); default table",
    )
    p.add_argument(
        "--csv-raw",
        action="store_true",
        help="csv: write text cells starting with = + - @ as they are, for programs "
        "(by default they get a leading ' so a spreadsheet shows them as text)",
    )
    p.add_argument(
        "--excel-csv",
        action="store_true",
        help="csv: start the file with a byte-order mark, so that Excel opens Thai text intact",
    )
    p.add_argument(
        "--columns",
        choices=("all", "human"),
        help="csv: every exact column (all, the default; Results.from_csv reads it back) "
        "or the ones a person reads (human: rank, agency, name, band, group, overall, "
        "dimensions, coverage, change)",
    )
    add_lang_option(p, "titles (the table, and .xlsx and .html output)")


def output_format(ns: argparse.Namespace) -> str:
    """The format: ``--format``, else the output file's suffix, else ``table``.

    Raises:
        UsageError: ``--format`` contradicts the file name, or an option does not fit
            the format.
    """
    out = ns.output if ns.output not in (None, "-") else None
    suffix = Path(out).suffix.lower() if out else ""
    implied = SUFFIXES.get(suffix)
    fmt: str = ns.format or implied or "table"
    if ns.format and implied and ns.format != implied:
        raise UsageError(
            f"--format {ns.format} contradicts the output file name {out!r} (a {suffix} file "
            f"is {implied}): drop --format, or name the file for the format"
        )
    if fmt == "xlsx" and not out:
        raise UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    csv_only = [o for o in ("excel_csv", "csv_raw") if getattr(ns, o)]
    if ns.columns is not None:
        csv_only.append("columns")
    if fmt != "csv" and csv_only:
        flag = "--" + csv_only[0].replace("_", "-")
        raise UsageError(f"{flag} is for CSV output, not {fmt}")
    return fmt


def write_results(
    ns: argparse.Namespace, rubric: Rubric, results: Results, table: Callable[[], str]
) -> int:
    """Write ``results`` as ``ns`` says (checked by :func:`output_format` first);
    returns the exit code."""
    fmt = output_format(ns)
    out = ns.output if ns.output not in (None, "-") else None
    if fmt == "xlsx":
        from ..report.workbook import write_results_workbook

        assert out is not None
        write_results_workbook(results, out, lang=ns.lang)
        return 0
    if fmt == "csv":
        text = results.to_csv(safe=not ns.csv_raw, columns=ns.columns or "all")
    elif fmt == "json":
        text = results.to_json()
    elif fmt == "html":
        from ..report import render_report

        text = render_report(results, rubric, lang=ns.lang)
    else:
        text = table()
    bom = fmt == "csv" and ns.excel_csv
    if out:
        from ..io.atomic import write_atomic

        if bom:
            write_atomic(out, text, what="--output", encoding="utf-8-sig")
        else:
            write_text_atomic(out, text)
    else:
        sys.stdout.write(("\ufeff" if bom else "") + text)
    return 0
