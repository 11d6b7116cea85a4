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

import attrs

from ..errors import Problem, ResponseError
from ..model import Rubric
from ..model.scales import BitSum, Linear
from .answer_cells import Period, normalise_period
from .answer_checks import is_percentage
from .answer_table import kept_attributes
from .atomic import write_atomic
from .csv_text import escape_column, write_rows
from .template_text import words

__all__ = [
    "AgencyRow",
    "AnswerForm",
    "TemplateColumn",
    "agency_rows",
    "answer_form",
    "template_columns",
    "write_template",
]

IDENTITY = ("agency", "name", "period", "kind", "parent")
"""The identity columns a template starts with (then the rubric's population keys)."""


@attrs.frozen(slots=True)
class AnswerForm:
    """What an answer column accepts.

    Attributes:
        kind: ``"number"``, ``"list"`` (one label) or ``"items"`` (checklist items).
        labels: The labels of a list, or the items of a checklist.
        goalposts: ``(lo, hi)`` of a number scored between goalposts, else ``None``.
        clamps: A number outside the goalposts is accepted (and counts as the nearest);
            ``False``: it is a bad answer.
        percent: The number is a percentage (the scale's unit is ``%``).
    """

    kind: str
    labels: tuple[str, ...] = ()
    goalposts: tuple[float, float] | None = None
    clamps: bool = True
    percent: bool = False


def answer_form(scale: Any) -> AnswerForm:
    """What a scale's answer column accepts, from its protocol alone (``continuous``,
    ``engine_form``, ``stored_values``, ``written``, ``parse``).

    Example:
        >>> import readiness_model as rm
        >>> answer_form(rm.BinaryScale()).labels
        ('no', 'yes')
        >>> answer_form(rm.ChecklistScale(items=("a", "b"))).kind
        'items'
        >>> f = answer_form(rm.NumericScale(goalposts=(0, 10), clamp=False, unit="%"))
        >>> f.kind, f.goalposts, f.clamps, f.percent
        ('number', (0.0, 10.0), False, True)
    """
    form = scale.engine_form()
    if scale.continuous:
        posts = (form.lo, form.hi) if isinstance(form, Linear) else None
        clamps = True
        if posts is not None:
            try:
                scale.parse(posts[1] + (posts[1] - posts[0]))
            except ValueError:
                clamps = False
        return AnswerForm("number", goalposts=posts, clamps=clamps, percent=is_percentage(scale))
    if isinstance(form, BitSum):
        items = tuple(str(scale.written(float(1 << i))) for i in range(len(form.values)))
        return AnswerForm("items", labels=items)
    labels = [str(scale.written(v)) for v in scale.stored_values()]
    return AnswerForm("list", labels=tuple(dict.fromkeys(labels)))


@attrs.frozen(slots=True)
class TemplateColumn:
    """One column of the template.

    Attributes:
        id: The column id (row of ids; what the reader reads).
        title: Its title for people, in the template's language.
        dimension: The top-level dimension of an indicator (``None``: identity column).
        dimension_title: That dimension's title.
        indicator: The indicator, or ``None``.
    """

    id: str
    title: str
    dimension: str | None = None
    dimension_title: str = ""
    indicator: Any = None


def template_columns(rubric: Rubric, lang: str = "en") -> list[TemplateColumn]:
    """The columns of the rubric's template: identity columns, the rubric's population
    keys, then every indicator grouped by top-level dimension (rubric order).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> [c.id for c in template_columns(r)]
        ['agency', 'name', 'period', 'kind', 'parent', 'q']
    """
    w = words(lang)
    out = [TemplateColumn(c, w[c]) for c in IDENTITY]
    out += [TemplateColumn(k, k) for k in kept_attributes(rubric, ())]
    for d in rubric.dimensions:
        for x in d.iter_indicators():
            out.append(TemplateColumn(x.id, x.label(lang), d.id, d.label(lang), x))
    return out


@attrs.frozen(slots=True)
class AgencyRow:
    """A prefilled row: the agency id and its identity attributes."""

    agency: str
    attributes: Mapping[str, str | None]


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
    from ..responses import ResponseSet
    from .responses_io import load_responses

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
