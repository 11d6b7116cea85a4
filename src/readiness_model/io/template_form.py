"""What a questionnaire asks: the answer form of each scale, the columns and rows of a template.

Read from the indicator's scale through its protocol alone (:func:`answer_form`): a
number (with goalposts, clamped or not, a percentage or not), one label of a list, or
items of a checklist. :mod:`readiness_model.responses.template` writes the files.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..model import Rubric
from ..model.scales import BitSum, Linear
from .answer_checks import is_percentage
from .answer_table import kept_attributes
from .template_text import words

__all__ = [
    "IDENTITY",
    "AgencyRow",
    "AnswerForm",
    "TemplateColumn",
    "answer_form",
    "template_columns",
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
