"""The questionnaire as an Excel workbook (openpyxl, the ``readiness-model[excel]`` extra).

Sheets: *Instructions* (what the rubric is, how to answer, every indicator's question,
answer and evidence), *Answers* (three header rows, then one row per agency) and a
hidden *Lists* sheet holding the drop-down lists. Text that a spreadsheet would run as
a formula (an agency name starting with ``=``) is written as text.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from .._version import __version__
from ..errors import column_letter
from ..io.answer_cells import Period
from ..io.answers_xlsx import openpyxl
from ..io.template_form import AgencyRow, AnswerForm, TemplateColumn, answer_form
from ..io.template_text import words
from ..model import Rubric

__all__ = ["ANSWER_ROWS", "FIRST_ROW", "describe", "template_workbook"]

FIRST_ROW = 4
"""The first agency row of the Answers sheet (rows 1-3: dimensions, titles, ids)."""
ANSWER_ROWS = 500
"""Rows below the prefilled agencies that still get data validation."""
# (strong, light) fills per top-level dimension, in turn
PALETTE = [
    ("9BC2E6", "DDEBF7"),
    ("A9D08E", "E2EFDA"),
    ("F4B084", "FCE4D6"),
    ("FFD966", "FFF2CC"),
    ("C9A7E4", "EDE2F6"),
    ("8EA9DB", "D9E1F2"),
    ("D9A5B3", "F5E1E6"),
    ("B4C7A8", "E8EFE4"),
]
IDENTITY_FILL = ("BFBFBF", "EDEDED")


def _num(x: float) -> str:
    return f"{x:g}"


def describe(form: AnswerForm, lang: str = "en") -> str:
    """What an answer column accepts, in words (the note of its id cell and the
    instructions' answer column).

    Example:
        >>> import readiness_model as rm
        >>> from readiness_model.responses.template import answer_form
        >>> describe(answer_form(rm.OrdinalScale(levels=("none", "all"))))
        'one of: none, all (or n/a)'
        >>> print(describe(answer_form(rm.NumericScale(goalposts=(95, 100), unit="%"))).replace(
        ...     "; ", ";\\n"))
        A number between 95 and 100;
        a percentage: 99.5, or 99.5% in a cell formatted as %;
        values outside count as the nearest goalpost (or n/a)
    """
    w = words(lang)
    if form.kind == "list":
        return w["one_of"] + ", ".join(form.labels) + " " + w["or_na"]
    if form.kind == "items":
        return f"{w['checklist']}: " + ", ".join(form.labels) + " " + w["or_na"]
    parts = [w["number"]]
    if form.goalposts is not None:
        lo, hi = form.goalposts
        parts[0] += " " + w["between"].format(lo=_num(lo), hi=_num(hi))
    if form.percent:
        parts.append(w["percent"])
    if form.goalposts is not None and form.clamps:
        parts.append(w["clamped"])
    return "; ".join(parts) + " " + w["or_na"]


def _text(cell: Any, value: Any) -> None:
    """Put ``value`` in ``cell``; text is always text (never run as a formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def template_workbook(
    rubric: Rubric,
    columns: Sequence[TemplateColumn],
    rows: Sequence[AgencyRow],
    period: Period | None,
    lang: str,
) -> bytes:
    """The questionnaire workbook of ``rubric`` as the bytes of an ``.xlsx`` file."""
    xl = openpyxl()
    wb = xl.Workbook()
    instructions = wb.active
    instructions.title = "Instructions"
    answers = wb.create_sheet("Answers")
    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"
    _instructions(xl, instructions, rubric, columns, lang)
    _answers(xl, answers, lists, rubric, columns, rows, period, lang)
    wb.active = wb.sheetnames.index("Answers")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _fills(xl: Any, columns: Sequence[TemplateColumn]) -> dict[str | None, tuple[Any, Any]]:
    solid = xl.styles.PatternFill
    out: dict[str | None, tuple[Any, Any]] = {
        None: (solid("solid", fgColor=IDENTITY_FILL[0]), solid("solid", fgColor=IDENTITY_FILL[1]))
    }
    for c in columns:
        if c.dimension is not None and c.dimension not in out:
            strong, light = PALETTE[(len(out) - 1) % len(PALETTE)]
            out[c.dimension] = (solid("solid", fgColor=strong), solid("solid", fgColor=light))
    return out


def _answers(
    xl: Any,
    ws: Any,
    lists: Any,
    rubric: Rubric,
    columns: Sequence[TemplateColumn],
    rows: Sequence[AgencyRow],
    period: Period | None,
    lang: str,
) -> None:
    styles = xl.styles
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    centre = styles.Alignment(horizontal="center", vertical="center", wrap_text=True)
    fills = _fills(xl, columns)
    last = FIRST_ROW + len(rows) + ANSWER_ROWS - 1
    identity = [c for c in columns if c.indicator is None]
    # row 1: the rubric over the identity columns, each dimension over its indicators
    _text(ws.cell(1, 1), rubric.label(lang))
    ws.cell(1, 1).font = bold
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(identity))
    groups: list[tuple[str, str, int, int]] = []
    for k, c in enumerate(columns, 1):
        if c.dimension is None:
            continue
        if groups and groups[-1][0] == c.dimension:
            groups[-1] = (*groups[-1][:3], k)
        else:
            groups.append((c.dimension, c.dimension_title, k, k))
    for dim, title, a, b in groups:
        cell = ws.cell(1, a)
        _text(cell, title)
        cell.font, cell.alignment, cell.fill = bold, centre, fills[dim][0]
        if b > a:
            ws.merge_cells(start_row=1, start_column=a, end_row=1, end_column=b)
            ws.column_dimensions.group(column_letter(a), column_letter(b), outline_level=1)
    # rows 2 and 3: titles for people, then the ids the reader reads (with the notes)
    list_col = 0
    for k, c in enumerate(columns, 1):
        letter = column_letter(k)
        title, head = ws.cell(2, k), ws.cell(3, k)
        _text(title, c.title)
        _text(head, c.id)
        title.alignment, title.fill = wrap, fills[c.dimension][1]
        head.font, head.fill = bold, fills[c.dimension][1]
        width = 36 if c.id == "name" else 14 if c.indicator is None else 18
        ws.column_dimensions[letter].width = width
        if c.indicator is None:
            if c.id in ("agency", "parent"):
                for r in range(FIRST_ROW, last + 1):
                    ws.cell(r, k).number_format = "@"
            continue
        form = answer_form(c.indicator.scale)
        head.comment = _note(xl, c, form, lang)
        list_col = _validation(xl, ws, lists, letter, form, last, list_col, lang)
    ws.row_dimensions[2].height = 60
    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    # the agency rows
    for r, row in enumerate(rows, FIRST_ROW):
        for k, c in enumerate(columns, 1):
            if c.id == "agency":
                _text(ws.cell(r, k), row.agency)
            elif c.id == "period":
                ws.cell(r, k).value = period
            elif c.indicator is None and row.attributes.get(c.id) is not None:
                _text(ws.cell(r, k), row.attributes[c.id])


def _note(xl: Any, c: TemplateColumn, form: AnswerForm, lang: str) -> Any:
    w = words(lang)
    x = c.indicator
    parts = [x.label(lang)]
    question = x.question.get(lang)
    if question:
        parts.append(question)
    parts.append(f"{w['note_answer']}: {describe(form, lang)}")
    evidence = x.evidence.get(lang)
    if evidence:
        parts.append(f"{w['note_evidence']}: {evidence}")
    note = xl.comments.Comment("\n\n".join(parts), "readiness-model")
    note.width, note.height = 320, 220
    return note


def _validation(
    xl: Any,
    ws: Any,
    lists: Any,
    letter: str,
    form: AnswerForm,
    last: int,
    list_col: int,
    lang: str,
) -> int:
    """Add the data validation of one answer column; returns the Lists columns used."""
    w = words(lang)
    dv_class = xl.worksheet.datavalidation.DataValidation
    first = f"{letter}{FIRST_ROW}"
    if form.kind == "list":
        list_col += 1
        lc = column_letter(list_col)
        for i, label in enumerate([*form.labels, "n/a"], 1):
            _text(lists.cell(i, list_col), label)
        dv = dv_class(
            type="list",
            formula1=f"Lists!${lc}$1:${lc}${len(form.labels) + 1}",
            allow_blank=True,
            errorStyle="stop",
            errorTitle=w["choose"][:32],
            error=w["list_error"],
            promptTitle=w["choose"][:32],
            prompt=", ".join(form.labels)[:250],
        )
    elif form.kind == "items":
        dv = dv_class(
            allow_blank=True,
            promptTitle=w["checklist"][:32],
            prompt=" | ".join(form.labels)[:250],
        )
    else:
        cond = "TRUE"
        shown = ""
        if form.goalposts is not None:
            lo, hi = map(_num, form.goalposts)
            cond = f"AND({first}>={lo},{first}<={hi})"
            shown = w["between"].format(lo=lo, hi=hi)
            if form.percent:
                lo100, hi100 = (_num(v / 100) for v in form.goalposts)
                cond = f"OR({cond},AND({first}>={lo100},{first}<={hi100}))"
        dv = dv_class(
            type="custom",
            formula1=f'OR(AND(ISNUMBER({first}),{cond}),LOWER({first})="n/a")',
            allow_blank=True,
            errorStyle="warning" if form.clamps else "stop",
            errorTitle=w["number"][:32],
            error=w["bad_number"].format(range=shown).replace("  ", " ")[:250],
            promptTitle=w["number"][:32],
            prompt=describe(form, lang)[:250],
        )
    dv.showInputMessage = True
    dv.showErrorMessage = True
    dv.add(f"{first}:{letter}{last}")
    ws.add_data_validation(dv)
    return list_col


def _instructions(
    xl: Any, ws: Any, rubric: Rubric, columns: Sequence[TemplateColumn], lang: str
) -> None:
    styles = xl.styles
    bold = styles.Font(bold=True)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    w = words(lang)
    missing = w.get(f"missing_{rubric.defaults.missing}", rubric.defaults.missing)
    example = next(
        ("|".join(f.labels[:2]) for c in columns if c.indicator is not None
         and (f := answer_form(c.indicator.scale)).kind == "items"),
        "",
    )  # fmt: skip
    lines: list[tuple[str, Any]] = [
        (f"{w['title']}: {rubric.label(lang)}", None),
        (w["rubric"], rubric.id),
        (w["version"], rubric.version),
        (w["sha256"], rubric.content_hash),
        (w["made"], f"readiness-model {__version__}"),
        ("", None),
        (w["how"], None),
        ("", w["how_rows"]),
        ("", w["how_blank"].format(missing=missing)),
        ("", w["how_na"]),
        ("", w["how_list"]),
    ]
    if example:
        lines.append(("", w["how_checklist"].format(example=example)))
    lines += [("", w["how_number"]), ("", w["how_ids"]), ("", w["how_sheets"]), ("", None)]
    for r, (a, b) in enumerate(lines, 1):
        _text(ws.cell(r, 1), a or None)
        if a:
            ws.cell(r, 1).font = styles.Font(bold=True, size=14 if r == 1 else 11)
        if b is None:
            continue
        _text(ws.cell(r, 2), b)
        ws.cell(r, 2).alignment = wrap
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        ws.row_dimensions[r].height = 15 * (1 + len(str(b)) // 150)
    top = max(len(lines) + 2, 13)  # below the rows a reader looks for a header in
    _text(ws.cell(top - 1, 1), w["table"])
    ws.cell(top - 1, 1).font = bold
    head = ["col_id", "col_dimension", "col_title", "col_question", "col_answer", "col_evidence"]
    for k, key in enumerate(head, 1):
        ws.cell(top, k).value = w[key]
        ws.cell(top, k).font = bold
    r = top
    for c in columns:
        if c.indicator is None:
            continue
        r += 1
        x = c.indicator
        values = [
            c.id,
            c.dimension_title,
            c.title,
            x.question.get(lang),
            describe(answer_form(x.scale), lang),
            x.evidence.get(lang),
        ]
        for k, v in enumerate(values, 1):
            _text(ws.cell(r, k), v or None)
            ws.cell(r, k).alignment = wrap
    for letter, width in zip("ABCDEF", (22, 24, 36, 60, 40, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = ws.cell(top + 1, 2)
