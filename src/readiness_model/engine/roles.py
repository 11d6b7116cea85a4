"""Who counts where: the statistics population, the ranked agencies, the not-assessed.

A rubric gives rows three roles (docs/rubric-format.md, "Ranks, ties and agencies not
assessed"): rows **not assessed** (the ``assessed`` answer column says no, or a
``not_assessed`` rule matches the answers) get no score; the **statistics population**
(the ``population`` filter, not-assessed rows left out) feeds population-relative
normalisations, ``rescale`` and ``Results.summary``; the **ranked** rows (``ranking.among``,
by default the population filter) get ranks.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import attrs
import numpy as np

from .._arrays import readonly
from ..errors import Problem, ResponseError
from ..io.answer_cells import distinct_values
from ..model import Rubric
from ..model.conventions import ASSESSED, assessed_value
from ..responses import ResponseSet

__all__ = ["Roles", "attribute_mask", "not_assessed_mask", "roles"]


def attribute_mask(
    filters: tuple[tuple[str, tuple[str, ...]], ...], responses: ResponseSet
) -> np.ndarray:
    """Rows whose attributes pass every ``(attribute, accepted values)`` filter (all rows
    for no filter); values compare as text, ignoring case.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r,
        ...                                attributes={"member": ["true", "FALSE"]})
        >>> attribute_mask((("member", ("false",)),), rs).tolist()
        [False, True]
    """
    mask = np.ones(len(responses.agencies), bool)
    for key, accepted in filters:
        col = responses.attribute(key)
        acc = {a.casefold() for a in accepted}
        hits = {v for v in set(col) if v is not None and v.casefold() in acc}  # per distinct
        mask &= np.fromiter((v in hits for v in col), bool, len(col))
    return mask


def not_assessed_mask(rubric: Rubric, responses: ResponseSet) -> np.ndarray:
    """Rows not assessed: the ``assessed`` attribute says no, or a rule of the rubric's
    ``not_assessed.when`` matches the row's answers (an answer equal to the rule's value,
    or missing).

    Raises:
        ResponseError: an ``assessed`` cell is neither yes nor no (each one located).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])],
        ...               not_assessed=rm.NotAssessed(when=[rm.AnswerRule("q", missing=True)]))
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "q": "yes"},
        ...     {"agency": "y", "period": 1}, {"agency": "z", "period": 1, "q": "no",
        ...      "assessed": "no"}], r)
        >>> not_assessed_mask(r, rs).tolist()
        [False, True, True]
    """
    n = len(responses.agencies)
    out = np.zeros(n, bool)
    col = responses.attribute(ASSESSED)
    verdict = {cell: assessed_value(cell) for cell in distinct_values(col)}  # each once
    odd = {cell for cell, ok in verdict.items() if ok is None}
    bad = [i for i, cell in enumerate(col) if cell in odd] if odd else []
    no = {cell for cell, ok in verdict.items() if ok is False}
    if no:
        out = np.fromiter((cell in no for cell in col), bool, n)
    if bad:
        raise ResponseError(
            [
                Problem(
                    f"agency {responses.agencies[i]!r} (period {responses.periods[i]!r}): "
                    f"{ASSESSED!r} must be yes or no (got {responses.attribute(ASSESSED)[i]!r})",
                    f"row {i + 1}, column {ASSESSED!r}",
                    hint="write no for an agency that was not assessed; yes or blank otherwise",
                )
                for i in bad[:200]
            ]
        )
    cols = {x.id: j for j, x in enumerate(rubric.indicators)}
    for rule in rubric.not_assessed.when:
        j = cols[rule.indicator]
        if rule.missing:
            out |= responses.missing[:, j]
            continue
        scale = rubric.indicators[j].scale
        raw = list(rule.equals) if isinstance(rule.equals, tuple) else rule.equals
        value = scale.parse(raw)  # the rubric checked that it parses
        answered = ~responses.missing[:, j] & ~responses.na[:, j]
        out |= answered & (responses.values[:, j] == value)
    return out


@attrs.frozen(slots=True, eq=False)
class Roles:
    """The three row masks of :func:`roles` (read-only boolean arrays, one per row)."""

    statistics: np.ndarray
    ranked: np.ndarray
    not_assessed: np.ndarray


def roles(rubric: Rubric, responses: ResponseSet) -> Roles:
    """The statistics population, the ranked rows and the not-assessed rows.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])],
        ...               population={"member": True}, ranking=rm.Ranking(among="all"))
        >>> rs = rm.ResponseSet.from_array([[1], [0], [1]], ["x", "y", "z"], r,
        ...     attributes={"member": ["true", "false", "true"], "assessed": [None, None, "no"]})
        >>> got = roles(r, rs)
        >>> got.statistics.tolist(), got.ranked.tolist(), got.not_assessed.tolist()
        ([True, False, False], [True, True, True], [False, False, True])
    """
    na = not_assessed_mask(rubric, responses)
    among = rubric.ranking.among
    ranked = attribute_mask(rubric.population if among is None else among, responses)
    return Roles(
        readonly(attribute_mask(rubric.population, responses) & ~na, copy=False),
        readonly(ranked, copy=False),
        readonly(na, copy=False),
    )
