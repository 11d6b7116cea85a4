"""The questionnaire of a rubric: an answers file to fill in, that reads back as it is.

:func:`write_template` writes an Excel workbook (``.xlsx``, see :mod:`.template_xlsx`)
or a CSV file (``.csv``): one row per agency (agency id, name, kind, parent and the
period prefilled when given), one column per indicator in rubric order. What each
answer column accepts is read from the indicator's scale through its protocol alone
(:func:`answer_form`): a number (with goalposts, clamped or not, a percentage or not),
one label of a list, or items of a checklist.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, ResponseError
from ..io.answer_cells import Period, normalise_period
from ..io.atomic import write_atomic
from ..io.csv_text import escape_column, write_rows
from ..io.template_form import (
    AgencyRow,
    AnswerForm,
    TemplateColumn,
    answer_form,
    template_columns,
)
from ..model import Rubric

__all__ = [
    "AgencyRow",
    "AnswerForm",
    "TemplateColumn",
    "agency_rows",
    "answer_form",
    "template_columns",
    "write_template",
]


def agency_rows(
    rubric: Rubric, agencies: str | Path | Sequence[Mapping[str, Any]] | None
) -> list[AgencyRow]:
    """The agencies to prefill, from a file (CSV, JSON or workbook with an ``agency``
    column and optionally ``name``, ``kind``, ``parent``; other columns and answers
    are left out, each agency is taken once) or from records.

    Raises:
        ResponseError: the file or records cannot be read (located).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> agency_rows(r, [{"agency": "moc", "name": "Commerce"}])[0].attributes["name"]
        'Commerce'
    """
    if agencies is None:
        return []
    from . import ResponseSet
    from .files import load_responses

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # answers in a previous round's file do not matter
        if isinstance(agencies, str | Path):
            rs = load_responses(
                agencies, rubric, allow_missing_columns=True, period=0, extra_columns="ignore"
            )
        else:
            rs = ResponseSet.from_records(agencies, rubric, period=0, extra_columns="ignore")
    seen: dict[str, AgencyRow] = {}
    for i, a in enumerate(rs.agencies):
        if a not in seen:
            seen[a] = AgencyRow(a, {k: col[i] for k, col in rs.attributes})
    return list(seen.values())


def write_template(
    rubric: Rubric,
    path: str | Path,
    *,
    agencies: str | Path | Sequence[Mapping[str, Any]] | None = None,
    period: Period | None = None,
    lang: str = "en",
) -> None:
    """Write the questionnaire of ``rubric``: an answers file to fill in.

    ``.xlsx``: a workbook (needs the ``readiness-model[excel]`` extra) with an
    *Instructions* sheet (rubric title, version and content hash, how to answer, the
    question and the evidence asked for every indicator) and an *Answers* sheet: a row
    of dimension titles, a row of indicator titles, the row of column ids (each with
    its question as a note), then one row per agency; columns grouped and coloured by
    dimension, header rows and the agency columns frozen, every answer cell checked by
    Excel's data validation (drop-down lists of the labels and ``n/a``, numbers within
    the goalposts). ``.csv``: the row of column ids and the agency rows (UTF-8 with a
    byte-order mark, so that Excel shows Thai). Either reads back with
    :func:`~readiness_model.load_responses` with no edit.

    Args:
        rubric: The rubric.
        path: Where to write (``.xlsx`` or ``.csv``; atomically).
        agencies: Agencies to prefill: a file (CSV, JSON or workbook with an ``agency``
            column and optionally ``name``, ``kind``, ``parent``; a previous round's
            answers do) or records.
        period: The period to prefill on every agency row.
        lang: Language of titles, questions and instructions (``en``, ``th``).

    Raises:
        ResponseError: an unknown suffix, unreadable agencies, or the file cannot be
            written.
        MissingExtraError: ``.xlsx`` without the ``excel`` extra.

    Example:
        >>> import pathlib, tempfile, readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "survey.csv"
        >>> rm.write_template(r, p, agencies=[{"agency": "moc"}], period=2016)
        >>> p.read_text(encoding="utf-8-sig").splitlines()
        ['agency,name,period,kind,parent,q', 'moc,,2016,,,']
        >>> rm.load_responses(p, r).missing.tolist()
        [[True]]

    .. versionadded:: 0.2.0
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ResponseError(
            [
                Problem(
                    f"a template is written as .xlsx or .csv (got {str(path)!r})",
                    "path",
                    hint="name the file survey.xlsx (a workbook) or survey.csv",
                )
            ]
        )
    if period is not None:
        try:
            period = normalise_period(period)
        except ValueError as err:
            raise ResponseError(
                [Problem(str(err), "period", hint="give the period as a year, e.g. 2017")]
            ) from None
    rows = agency_rows(rubric, agencies)
    columns = template_columns(rubric, lang)
    if suffix == ".csv":
        write_atomic(path, _csv(columns, rows, period), what="path", encoding="utf-8-sig")
        return
    from .template_xlsx import template_workbook

    write_atomic(path, template_workbook(rubric, columns, rows, period, lang), what="path")


def _csv(columns: list[TemplateColumn], rows: list[AgencyRow], period: Period | None) -> str:
    cells: list[list[str]] = [[c.id] for c in columns]
    for r in rows:
        for col, c in zip(cells, columns, strict=True):
            if c.id == "agency":
                col.append(r.agency)
            elif c.id == "period":
                col.append("" if period is None else str(period))
            else:
                col.append(r.attributes.get(c.id) or "")
    buf = io.StringIO()
    write_rows(buf, [escape_column(col, True) for col in cells])
    return buf.getvalue()
