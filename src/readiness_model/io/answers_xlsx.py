"""Answers from Excel workbooks (``.xlsx``), with the optional ``readiness-model[excel]``
extra (openpyxl).

A workbook is read sheet by sheet; every sheet is fed to the one answers parser
(:class:`~readiness_model.io.answer_table.AnswerParser`), so a cell means what it means
in a CSV file. What differs is what a spreadsheet cell can hold:

* a **percent-formatted** number (``99.5%`` shown, ``0.995`` stored) is read as the
  percentage shown when the indicator is a percentage (its scale's ``unit`` is ``"%"``),
  else as the number stored;
* a **formula** is read by the value Excel saved with it; a formula without one (a
  file written by a program and never opened in a spreadsheet) is an error;
* a **boolean** is ``true``/``false`` (a yes/no answer); a **date** is an error in the
  period column and its ISO text elsewhere (no scale reads it as an answer);
* an **error value** (``#N/A``, ``#DIV/0!``) is a bad answer.

**Sheets.** By default every visible sheet whose first ten rows hold a header row (a
cell ``agency``, or an indicator id) is read; other sheets (instructions, lists) are
left alone. Rows above the header row are titles. A sheet without a ``period`` column
takes the ``period`` argument, else its own name when that is a year (noted). Every
problem is located as ``FILE!SHEET!B7``.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Location, MissingExtraError, Problem, ReadingNote, did_you_mean
from .answer_cells import RESERVED_COLUMNS, Period, normalise_period
from .answer_checks import is_percentage
from .answer_table import AnswerParser, Chunk
from .answers_csv import ExtraColumns, check_header
from .problems import Report

__all__ = ["EXCEL_HINT", "HEADER_ROWS", "is_percent_format", "openpyxl", "read_xlsx"]

EXCEL_HINT = 'pip install "readiness-model[excel]"'
HEADER_ROWS = 10
"""The header row is looked for in this many first rows of a sheet."""
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def openpyxl() -> Any:
    """The openpyxl module, or a :class:`MissingExtraError` naming the extra.

    Example:
        >>> openpyxl().__name__
        'openpyxl'
    """
    try:
        return importlib.import_module("openpyxl")  # lazily: an optional extra
    except ImportError as err:
        raise MissingExtraError(
            [
                Problem(
                    "reading or writing Excel workbooks needs openpyxl, which is not installed",
                    "openpyxl",
                    hint=EXCEL_HINT,
                )
            ]
        ) from err


def is_percent_format(number_format: str) -> bool:
    """Whether a cell's number format shows its value as a percentage (a ``%`` outside
    quoted text, escapes and ``[...]`` sections).

    Example:
        >>> is_percent_format("0.0%"), is_percent_format('0.0"%"'), is_percent_format("General")
        (True, False, False)
    """
    return "%" in _QUOTED.sub("", number_format)


def _percent(value: float) -> float:
    """The percentage a percent-formatted cell shows (``0.995`` -> ``99.5``, exactly as
    written, not ``99.49999999999999``)."""
    if isinstance(value, int):
        return float(value * 100)
    return float(Decimal(repr(value)) * 100)


def read_xlsx(
    path: str | Path,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
    *,
    sheets: Sequence[str] | None = None,
    extra_columns: ExtraColumns = "error",
    allow_missing_columns: bool = False,
    period: Period | None = None,
) -> None:
    """Feed the answer sheets of a workbook to ``parser`` (problems go to ``rep``).

    Args:
        sheets: The sheets to read (each must hold a header row); ``None``: every
            visible sheet that does.
        extra_columns: What to do with columns that are no indicator, reserved column or
            kept attribute (see :func:`~readiness_model.io.load_responses`).
        allow_missing_columns: A sheet may lack indicator columns.
        period: The period of sheets without a ``period`` column.
    """
    xl = openpyxl()
    try:
        values = xl.load_workbook(path, read_only=True, data_only=True)
        formulas = xl.load_workbook(path, read_only=True, data_only=False)
    except Exception as err:  # openpyxl raises zip, XML, key and value errors alike
        rep.fail(
            f"cannot read the workbook: {err}",
            rep.at(),
            hint="save it as an Excel Workbook (.xlsx); an old .xls file must be saved "
            "as .xlsx first",
        )
    try:
        chosen = _answer_sheets(values, rubric, sheets, rep)
        for name, hline in chosen:
            rep.sheet = name
            _read_sheet(
                values[name], formulas[name], hline, rubric, keep, parser, rep,
                extra_columns, allow_missing_columns, period,
            )  # fmt: skip
            rep.sheet = None
    finally:
        values.close()
        formulas.close()


def _all_rows(ws: Any) -> None:
    """Read every row of a read-only sheet, not only those its (possibly wrong) stored
    dimensions claim."""
    reset = getattr(ws, "reset_dimensions", None)
    if reset is not None:
        reset()


def _header_row(ws: Any, rubric: Any) -> tuple[int, list[Any]] | None:
    """The row number and cells of a sheet's header row, if it has one."""
    _all_rows(ws)
    ids = {x.id for x in rubric.indicators}
    need = min(2, len(ids))  # a header names several indicators (a list names one a row)
    fallback = None
    for r, row in enumerate(ws.iter_rows(max_row=HEADER_ROWS, values_only=True), 1):
        cells = [c.strip() if isinstance(c, str) else c for c in row]
        if "agency" in cells:
            return r, list(row)
        if fallback is None and len(ids & {c for c in cells if isinstance(c, str)}) >= need:
            fallback = r, list(row)
    return fallback


def _answer_sheets(
    wb: Any, rubric: Any, wanted: Sequence[str] | None, rep: Report
) -> list[tuple[str, int]]:
    names = list(wb.sheetnames)
    if wanted is not None:
        out = []
        for name in wanted:
            if name not in names:
                rep.add(
                    f"the workbook has no sheet {name!r}",
                    "sheets",
                    rep.at(),
                    hint=did_you_mean(name, names),
                )
                continue
            found = _header_row(wb[name], rubric)
            if found is None:
                rep.sheet = name
                rep.add(
                    f"sheet {name!r} has no header row (a cell 'agency' in its first "
                    f"{HEADER_ROWS} rows)",
                    "sheets",
                    rep.at(),
                    hint="the header row names the columns: agency, period, <indicator>...",
                )
                rep.sheet = None
                continue
            out.append((name, found[0]))
        rep.check()
        return out
    out = []
    for name in names:
        ws = wb[name]
        if getattr(ws, "sheet_state", "visible") != "visible" or not hasattr(ws, "iter_rows"):
            continue
        found = _header_row(ws, rubric)
        if found is not None:
            out.append((name, found[0]))
    if not out:
        rep.fail(
            f"no sheet of the workbook has a header row (a cell 'agency' in its first "
            f"{HEADER_ROWS} rows); sheets: {', '.join(map(repr, names))}",
            rep.at(),
            hint="the answers need a header row: agency, period, <indicator>...",
        )
    return out


def _text(value: Any) -> Any:
    """A non-number cell value as the parser takes it (dates as ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _read_sheet(
    ws: Any,
    wf: Any,
    hline: int,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
    extra_columns: ExtraColumns,
    allow_missing: bool,
    period: Period | None,
) -> None:
    _all_rows(ws)
    _all_rows(wf)
    rows = [(hline + k, list(r)) for k, r in enumerate(ws.iter_rows(min_row=hline))]
    header = [_header_text(c.value) for c in rows[0][1]] if rows else []
    while header and not header[-1]:
        header.pop()
    width = len(header)
    ids = [x.id for x in rubric.indicators]
    if {"indicator", "value"} <= set(header) and not set(ids) & set(header):
        rep.fail(
            "a long layout (indicator, value columns) is read from CSV only",
            rep.at(hline),
            hint="in a workbook, give one column per indicator",
        )
    data = [(n, r) for n, r in rows[1:] if any(c.value is not None for c in r[:width])]
    # a column without a name is an error only when it holds answers
    skip = {
        c for c, h in enumerate(header) if not h and all(c >= len(r) or r[c].value is None
                                                           for _, r in data)
    }  # fmt: skip
    allowed = set(ids) | set(RESERVED_COLUMNS) | set(keep)
    pos = check_header(header, hline, allowed, rubric, rep, extra_columns, parser, skip)
    lacking = [i for i in ids if i not in pos]
    typos = {m for h in header for m in difflib.get_close_matches(h, lacking, 1, 0.6)}
    lacking = [i for i in lacking if i not in typos]
    if lacking and not allow_missing:
        shown = ", ".join(map(repr, lacking[:10])) + (", ..." if len(lacking) > 10 else "")
        rep.add(
            f"sheet {ws.title!r} has no column for {len(lacking)} indicator(s): {shown}",
            "header",
            rep.at(hline),
            hint="add the columns (blank cells are missing answers), or pass "
            "allow_missing_columns=True (--allow-missing-columns)",
        )
    numbers = [n for n, _ in data]
    formulas = _formulas(wf, hline, set(pos.values()), set(numbers))
    scales = {x.id: x.scale for x in rubric.indicators}
    columns: dict[str, list[Any]] = {}
    for h, c in pos.items():
        percent = h in scales and is_percentage(scales[h])
        col: list[Any] = []
        for n, r in data:
            cell = r[c] if c < len(r) else None
            value = None if cell is None else cell.value
            if value is None and (n, c) in formulas:
                rep.add(
                    f"formula {formulas[(n, c)]} has no saved value",
                    f"row {n}, column {h!r}",
                    rep.at(n, c + 1),
                    hint="open the workbook in Excel or LibreOffice and save it, so that "
                    "its formulas are computed",
                )
            elif isinstance(value, dt.date | dt.time) and h == "period":
                rep.add(
                    f"the period is a date ({_text(value)})",
                    f"row {n}, column 'period'",
                    rep.at(n, c + 1),
                    hint="write the year (2016) or a label, formatted as a number or text",
                )
            elif (
                percent
                and cell is not None
                and isinstance(value, int | float)
                and not isinstance(value, bool)
                and is_percent_format(cell.number_format or "")
            ):
                value = _percent(value)
            col.append(_text(value))
        columns[h] = col
    if "period" not in pos and period is None and numbers:
        columns["period"] = _sheet_period(ws.title, len(numbers), hline, rep)
    sheet, where = ws.title, rep.where

    def locate(key: str, i: int) -> tuple[Location | None, str]:
        c = pos.get(key)
        return (
            Location(where, numbers[i], None if c is None else c + 1, sheet),
            f"row {numbers[i]}, column {key!r}",
        )

    parser.feed(
        Chunk(
            n=len(numbers),
            columns=columns,
            text=False,
            locate=locate,
            row=lambda i: (Location(where, numbers[i], None, sheet), f"{sheet} row {numbers[i]}"),
        )
    )


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(_text(value))


def _sheet_period(name: str, n: int, hline: int, rep: Report) -> list[Any]:
    """The sheet's name as the period of its rows, when it is a year (noted)."""
    try:
        p = normalise_period(name)
    except ValueError:
        p = None
    if not isinstance(p, int):
        rep.add(
            f"sheet {name!r} has no 'period' column",
            "header",
            rep.at(hline),
            hint="add a period column, give the period (--period), or name the sheet by its year",
        )
        return [None] * n
    rep.note(
        ReadingNote(
            Problem(
                f"sheet {name!r} has no 'period' column: its rows are period {p} (the "
                "sheet's name)",
                "header",
                rep.at(hline),
                hint="add a period column, or give the period (--period), to say so",
            )
        )
    )
    return [p] * n


def _formulas(wf: Any, hline: int, cols: set[int], rows: set[int]) -> dict[tuple[int, int], str]:
    """The formula of every cell (row, 0-based column) of the answer area that holds one."""
    out: dict[tuple[int, int], str] = {}
    for n, row in enumerate(wf.iter_rows(min_row=hline + 1), hline + 1):
        if n not in rows:
            continue
        for c, cell in enumerate(row):
            if c in cols and cell.data_type == "f" and isinstance(cell.value, str):
                out[(n, c)] = cell.value
    return out
