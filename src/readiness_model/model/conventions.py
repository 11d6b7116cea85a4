"""How an index publishes its table: who is ranked, how ties are broken, who is not assessed.

Three rubric keys, each a small frozen class (docs/rubric-format.md, "Ranks, ties and
agencies not assessed"):

- ``population`` (the agency-attribute filter, :func:`population_filter`): who feeds the
  population statistics (population-relative normalisations, ``rescale``) and the
  published averages (``Results.summary``); also who is ranked unless ``ranking`` says
  otherwise.
- ``ranking`` (:class:`Ranking`): the tie rule, and who is ranked when that differs from
  the population (OECD DGI 2019 ranks all 33 participants but averages 28 members).
- ``not_assessed`` (:class:`NotAssessed`): rules on the answers that mark an agency as not
  assessed (the reserved answer column ``assessed: no`` always does), and how such an
  agency is shown (the UN's 2003-2012 tables: index 0, a shared last place).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, did_you_mean
from ._format import to_data
from ._forms import Answer, Bool, Id, Number, Objs, Pairs, Raw, Str, key
from ._validators import check_finite, check_id, fail

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = [
    "ASSESSED",
    "NOT_ASSESSED_RANKS",
    "STATUSES",
    "TIES",
    "AnswerRule",
    "NotAssessed",
    "Ranking",
    "assessed_value",
    "convention_problems",
    "population_filter",
]

TIES = ("shared", "unrounded", "ordinal")
"""Tie rules: ``shared`` competition ranks ("1224") on the reported (rounded) score;
``unrounded`` order by the unrounded score, sharing a place only when that is equal too;
``ordinal`` like ``unrounded``, then the order of the rows (no shared places)."""

NOT_ASSESSED_RANKS = ("unranked", "tied_last")
"""How a not-assessed agency is ranked: not at all, or every one at the place after the
last assessed agency of its period."""

STATUSES = ("assessed", "not_assessed")
"""The status of a scored row: assessed, or not assessed (no score)."""

ASSESSED = "assessed"
"""The reserved answer column (an agency attribute) that declares an agency assessed or
not: ``no``/``false``/``0`` mark it not assessed; ``yes``/``true``/``1`` or a blank cell
leave it assessed."""

_YES = frozenset({"yes", "true", "1"})
_NO = frozenset({"no", "false", "0"})

Filter = tuple[tuple[str, tuple[str, ...]], ...]


def assessed_value(cell: str | None) -> bool | None:
    """Whether an ``assessed`` cell leaves the agency assessed; ``None`` for a value
    that is neither yes nor no.

    Example:
        >>> assessed_value("No"), assessed_value(None), assessed_value(" yes "), assessed_value("?")
        (False, True, True, None)
    """
    if cell is None or not cell.strip():
        return True
    text = cell.strip().casefold()
    return True if text in _YES else False if text in _NO else None


def population_filter(value: object, field: str = "population") -> Filter:
    """An agency-attribute filter ``{attribute: value or [values]}`` as pairs; values are
    compared as text (``true``/``false`` for YAML booleans).

    Example:
        >>> population_filter({"member": True, "kind": ["ministry", "department"]})
        (('member', ('true',)), ('kind', ('ministry', 'department')))
    """
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise fail(
            f"'{field}' must map agency attributes to accepted values",
            f"$.{field}",
            expected="{kind: department}",
        )
    out = []
    for k, v in value.items():
        check_id(k, field)
        vals = v if isinstance(v, list | tuple) else [v]
        norm = []
        for x in vals:
            if isinstance(x, bool):
                norm.append("true" if x else "false")
            elif isinstance(x, str | int | float):
                norm.append(str(x))
            else:
                raise fail(f"'{field}.{k}' must be a value or list of values", f"$.{field}.{k}")
        out.append((str(k), tuple(norm)))
    return tuple(out)


def _filter_value(values: tuple[str, ...]) -> Any:
    return list(values) if len(values) != 1 else values[0]


_SCALAR = {"type": ["string", "number", "boolean"]}
FILTER = Pairs(Raw({"oneOf": [_SCALAR, {"type": "array", "items": _SCALAR}]}, writer=_filter_value))
"""The form of an agency-attribute filter (``population``, ``ranking.among``)."""


def _among(value: object) -> Filter | None:
    if value is None or isinstance(value, tuple):
        return value
    if value == "all":
        return ()
    if isinstance(value, str):
        raise fail(
            f"'among' must be 'all' or an agency-attribute filter (got {value!r})",
            "$.among",
            expected="all, or {member: true}",
        )
    return population_filter(value, "among")


_AMONG = Raw(
    {
        "oneOf": [
            {"const": "all"},
            {
                "type": "object",
                "additionalProperties": {"oneOf": [_SCALAR, {"type": "array", "items": _SCALAR}]},
            },
        ]
    },
    writer=lambda v: "all" if v == () else FILTER.write(v),
)


def _choice(name: str, allowed: tuple[str, ...]) -> Any:
    def check(inst: object, a: object, value: object) -> None:
        if value not in allowed:
            raise fail(
                f"{name!r} must be one of {', '.join(allowed)} (got {value!r})",
                f"$.{name}",
                hint=did_you_mean(str(value), allowed),
            )

    return check


@attrs.frozen(slots=True)
class Ranking:
    """How ranks are given: the tie rule and, when it differs from the population, who is
    ranked.

    Example:
        >>> Ranking(ties="unrounded", among="all").to_data()
        {'ties': 'unrounded', 'among': 'all'}
        >>> Ranking().to_data()
        {'ties': 'shared'}

    .. versionadded:: 0.2.0
    """

    ties: str = attrs.field(
        default="shared",
        validator=_choice("ties", TIES),
        metadata=key(
            "Tie rule: shared (competition ranks on the reported score), unrounded (order "
            "by the unrounded score) or ordinal (then by row order; no shared places).",
            Str(TIES),
            always=True,
        ),
    )
    among: Filter | None = attrs.field(
        default=None,
        converter=_among,
        metadata=key(
            "Who is ranked: 'all', or an agency-attribute filter (default: the population).",
            _AMONG,
        ),
    )

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> Ranking(among={"member": True}).to_data()
            {'ties': 'shared', 'among': {'member': 'true'}}
        """
        return to_data(self)


def _answer(value: object) -> Any:
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(slots=True)
class AnswerRule:
    """A rule on one indicator's answer: it ``equals`` a value (as written in an answers
    file), or it is ``missing`` (blank).

    Example:
        >>> AnswerRule("osi", equals=0).to_data()
        {'indicator': 'osi', 'equals': 0}
        >>> AnswerRule("hci", missing=True).to_data()
        {'indicator': 'hci', 'missing': True}

    .. versionadded:: 0.2.0
    """

    indicator: str = attrs.field(
        validator=lambda i, a, v: check_id(v, "indicator"),
        metadata=key("The indicator whose answer is tested.", Id()),
    )
    equals: Any = attrs.field(
        default=None,
        converter=_answer,
        metadata=key("The answer matches when it equals this value (as written).", Answer()),
    )
    missing: bool = attrs.field(
        default=False,
        validator=attrs.validators.instance_of(bool),
        metadata=key("The answer matches when it is missing (blank).", Bool()),
    )

    def __attrs_post_init__(self) -> None:
        if (self.equals is None) == (not self.missing):
            raise fail(
                f"a rule on {self.indicator!r} needs exactly one of 'equals' and 'missing: true'",
                "$",
                hint="write two rules to match either",
            )

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> AnswerRule("scope", equals=["a", "b"]).to_data()
            {'indicator': 'scope', 'equals': ['a', 'b']}
        """
        return to_data(self)


def _score(value: object) -> float | None:
    return None if value is None else check_finite(value, "score")


@attrs.frozen(slots=True)
class NotAssessed:
    """Which agencies are not assessed, and how they are shown.

    An agency is not assessed when its ``assessed`` answer column says no, or when any
    rule of ``when`` matches its answers. It gets no score, band, trend, group or
    coverage, is left out of population statistics, and is ranked by ``rank``:
    ``unranked`` (rank none), or ``tied_last`` (every such agency at the place after the
    last ranked agency of its period). ``score`` is the overall score shown for it
    (the UN printed 0); by default none.

    Example:
        >>> na = NotAssessed(when=[AnswerRule("osi", equals=0)], rank="tied_last", score=0)
        >>> na.to_data()
        {'when': [{'indicator': 'osi', 'equals': 0}], 'rank': 'tied_last', 'score': 0.0}

    .. versionadded:: 0.2.0
    """

    when: tuple[AnswerRule, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=key("Rules on the answers; any that matches marks the agency.", Objs(AnswerRule)),
    )
    rank: str = attrs.field(
        default="unranked",
        validator=_choice("rank", NOT_ASSESSED_RANKS),
        metadata=key(
            "unranked (no rank) or tied_last (the place after the last ranked agency).",
            Str(NOT_ASSESSED_RANKS),
            always=True,
        ),
    )
    score: float | None = attrs.field(
        default=None,
        converter=_score,
        metadata=key("Overall score shown for a not-assessed agency (default: none).", Number()),
    )

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> NotAssessed().to_data()
            {'rank': 'unranked'}
        """
        return to_data(self)


def convention_problems(rubric: Rubric) -> list[Problem]:
    """Problems of the rubric's conventions that need the whole rubric: rules naming
    unknown indicators or answers their scale cannot read, a shown score off the scale,
    a ``trend_on`` node that does not exist or trend classes bounding the other measure.
    """
    out: list[Problem] = []
    ind = {x.id: x for x in rubric.indicators}
    for i, rule in enumerate(rubric.not_assessed.when):
        p = f"$.not_assessed.when[{i}]"
        x = ind.get(rule.indicator)
        if x is None:
            out.append(
                Problem(
                    f"not_assessed rule names unknown indicator {rule.indicator!r}",
                    f"{p}.indicator",
                    hint=did_you_mean(rule.indicator, ind),
                )
            )
            continue
        if rule.equals is not None:
            try:
                x.scale.parse(list(rule.equals) if isinstance(rule.equals, tuple) else rule.equals)
            except ValueError as err:
                out.append(
                    Problem(
                        f"not_assessed rule: {rule.equals!r} is not an answer of "
                        f"{rule.indicator!r}: expected {err}",
                        f"{p}.equals",
                    )
                )
    shown = rubric.not_assessed.score
    lo, hi = rubric.scale
    if shown is not None and not lo <= shown <= hi:
        out.append(
            Problem(
                f"not_assessed.score {shown:g} lies outside the rubric scale [{lo:g}, {hi:g}]",
                "$.not_assessed.score",
            )
        )
    nodes = [d.id for d in rubric.all_dimensions]
    on_node = rubric.trend_on != "change"
    if on_node and rubric.trend_on not in nodes:
        out.append(
            Problem(
                f"trend_on must be 'change' or a dimension id (got {rubric.trend_on!r})",
                "$.trend_on",
                hint=did_you_mean(rubric.trend_on, [*nodes, "change"]),
            )
        )
    for i, t in enumerate(rubric.trend):
        wrong, right = ("change", "score") if on_node else ("score", "change")
        if not getattr(t, wrong).is_unbounded():
            out.append(
                Problem(
                    f"trend class {t.id!r} bounds {wrong!r}, but the trend classifies "
                    + (f"the score of {rubric.trend_on!r}" if on_node else "the change"),
                    f"$.trend[{i}].{wrong}",
                    hint=f"write the bounds under {right!r}"
                    + ("" if on_node else ", or set trend_on to a dimension id"),
                )
            )
    return out
