"""Results as an Excel workbook for people (the ``readiness-model[excel]`` extra).

Sheets:

* **Summary**: the latest period ranked: rank, agency, name, band, group, overall,
  every dimension, coverage and change since the previous period;
* one sheet per period when there are several (named by the period);
* **Explanation**: the contribution of every indicator to every agency's overall
  score (:func:`~readiness_model.explain`): answer, normalised score, weight, effective
  weight, contribution;
* **Rubric**: the provenance (rubric id, version, content hash, library version) and
  the bands.

Scores keep the precision of the results (the rubric's rounding); cells are formatted
to show the rubric's digits. Text a spreadsheet would run as a formula is written as
text. For exact, machine-readable results use :meth:`Results.to_json` or
:meth:`Results.to_csv`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._args import require
from ..analysis.explain import explain
from ..errors import ReadinessError
from ..io.answer_cells import period_order
from ..io.answers_xlsx import openpyxl
from ..io.atomic import write_atomic
from ..results import NOT_ASSESSED, ROLLED_UP, Results
from .text import score_digits, ui

__all__ = ["MAX_EXPLANATION_ROWS", "results_workbook", "write_results_workbook"]

MAX_EXPLANATION_ROWS = 1_000_000
"""The Explanation sheet is left out when it would be longer (a sheet holds 1,048,576)."""
HEAD_FILL = "DDEBF7"


def write_results_workbook(results: Results, path: str | Path, *, lang: str = "en") -> None:
    """Write ``results`` as an Excel workbook for people (see the module docstring).

    Args:
        results: Scored results.
        path: The ``.xlsx`` file (written atomically).
        lang: Language of titles (the rubric's language mapping) and headings.

    Raises:
        MissingExtraError: the ``excel`` extra is not installed.
        ResponseError: the file cannot be written.

    Example:
        >>> import pathlib, tempfile, readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 2016, "q": "yes"}], r))
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "results.xlsx"
        >>> rm.write_results_workbook(res, p)
        >>> import openpyxl
        >>> openpyxl.load_workbook(p).sheetnames
        ['Summary', 'Explanation', 'Rubric']

    .. versionadded:: 0.2.0
    """
    require(results, Results, "results")
    write_atomic(path, results_workbook(results, lang=lang), what="path")


def results_workbook(results: Results, *, lang: str = "en") -> bytes:
    """The bytes of the ``.xlsx`` file :func:`write_results_workbook` writes.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1]], ["x"], r))
        >>> results_workbook(res)[:2]
        b'PK'
    """
    xl = openpyxl()
    wb = xl.Workbook()
    summary = wb.active
    summary.title = "Summary"
    order = period_order(results.periods)
    periods = sorted(order, key=order.__getitem__)
    digits = score_digits(results.rubric.scale, results.rubric.rounding)
    if periods:
        _ranking(xl, summary, results, periods[-1], lang, digits)
    if len(periods) > 1:
        for p in periods:
            _ranking(xl, wb.create_sheet(_sheet_name(p)), results, p, lang, digits)
    _explanation(xl, wb.create_sheet("Explanation"), results, lang, digits)
    _rubric(xl, wb.create_sheet("Rubric"), results, lang)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_name(period: object) -> str:
    name = str(period)
    for c in "[]:*?/\\":
        name = name.replace(c, "-")
    return name[:31] or "-"


def _put(cell: Any, value: Any) -> None:
    """A value into a cell: NaN as blank, text always as text (never a formula)."""
    if isinstance(value, float) and math.isnan(value):
        value = None
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _head(xl: Any, ws: Any, titles: Sequence[str], widths: Sequence[float]) -> None:
    bold = xl.styles.Font(bold=True)
    fill = xl.styles.PatternFill("solid", fgColor=HEAD_FILL)
    wrap = xl.styles.Alignment(wrap_text=True, vertical="top")
    for k, (t, w) in enumerate(zip(titles, widths, strict=True), 1):
        cell = ws.cell(1, k)
        _put(cell, t)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        ws.column_dimensions[xl.utils.get_column_letter(k)].width = w
    ws.freeze_panes = ws.cell(2, 3)


def _ranking(xl: Any, ws: Any, results: Results, period: object, lang: str, digits: int) -> None:
    rubric = results.rubric
    words = ui(lang)
    nodes = list(results.node_ids)
    titles = {d.id: d.label(lang) for d in rubric.all_dimensions}
    bands = {b.id: b.label(lang) for b in rubric.bands}
    groups = {g.id: g.label(lang) for g in rubric.groups}
    rows = [i for i, p in enumerate(results.periods) if p == period]
    rows.sort(key=lambda i: (results.rank[i] <= 0, results.rank[i], results.agencies[i]))
    names = results.attribute("name")
    head = [
        words["rank"],
        words["agency"],
        "ชื่อ" if lang == "th" else "Name",
        words["band"],
        words["group"],
        words["overall"],
        *(titles.get(n, n) for n in nodes),
        words["coverage"],
        words["trend"],
    ]
    _head(xl, ws, head, [7, 14, 36, 16, 16, 10, *([14] * len(nodes)), 11, 10])
    fmt = "0" if digits == 0 else "0." + "0" * digits
    for r, i in enumerate(rows, 2):
        rolled = " (rolled up)" if results.origin[i] == ROLLED_UP else ""
        values: list[Any] = [
            int(results.rank[i]) or None,
            results.agencies[i] + rolled,
            names[i],
            words["not_assessed"]
            if results.status[i] == NOT_ASSESSED
            else bands.get(results.band[i] or "", results.band[i]),
            groups.get(results.group[i] or "", results.group[i]),
            float(results.overall[i]),
            *(float(x) for x in results.node_scores[i]),
            float(results.coverage[i]),
            float(results.change[i]),
        ]
        for k, v in enumerate(values, 1):
            cell = ws.cell(r, k)
            _put(cell, v)
            if 6 <= k < len(values) - 1 or k == len(values):
                cell.number_format = fmt
        ws.cell(r, len(values) - 1).number_format = "0%"
    ws.auto_filter.ref = f"A1:{xl.utils.get_column_letter(len(head))}{max(2, len(rows) + 1)}"


def _explanation(xl: Any, ws: Any, results: Results, lang: str, digits: int) -> None:
    rubric = results.rubric
    own = [i for i in range(len(results)) if results.origin[i] != ROLLED_UP]
    head = [
        "agency",
        "period",
        "indicator",
        "title",
        "answer",
        "status",
        "normalised",
        "weight",
        "effective weight",
        "contribution",
    ]
    _head(xl, ws, head, [14, 9, 24, 40, 18, 14, 11, 9, 11, 12])
    if len(own) * len(rubric.indicators) > MAX_EXPLANATION_ROWS:
        _put(ws.cell(2, 1), "too many rows for a sheet: use readiness-model explain")
        return
    titles = {x.id: x.label(lang) for x in rubric.indicators}
    fmt = "0." + "0" * max(digits, 2)
    r = 2
    for i in own:
        try:
            ex = explain(results, results.agencies[i], period=results.periods[i])
        except ReadinessError:  # pragma: no cover - every scored row explains
            continue
        for c in ex.contributions:
            values = [
                results.agencies[i],
                results.periods[i],
                c.indicator,
                titles.get(c.indicator, c.title),
                None if c.answer is None else str(c.answer),
                c.status,
                float(c.normalised),
                float(c.weight),
                float(c.effective_weight),
                float(c.contribution),
            ]
            for k, v in enumerate(values, 1):
                _put(ws.cell(r, k), v)
            ws.cell(r, 7).number_format = "0.000"
            ws.cell(r, 9).number_format = "0.000"
            ws.cell(r, 10).number_format = fmt
            r += 1
    ws.auto_filter.ref = f"A1:J{max(2, r - 1)}"


def _rubric(xl: Any, ws: Any, results: Results, lang: str) -> None:
    p = results.provenance
    rubric = results.rubric
    bold = xl.styles.Font(bold=True)
    lines: list[tuple[str, Any]] = [
        ("rubric", p.rubric_id),
        ("title", rubric.label(lang)),
        ("version", p.rubric_version),
        ("rubric_sha256", p.rubric_sha256),
        ("library_version", p.library_version),
        ("source", rubric.source or None),
        ("", None),
        ("bands", None),
    ]
    lines += [(b.id, b.label(lang)) for b in rubric.bands]
    for r, (k, v) in enumerate(lines, 1):
        _put(ws.cell(r, 1), k or None)
        ws.cell(r, 1).font = bold
        _put(ws.cell(r, 2), v)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 80
