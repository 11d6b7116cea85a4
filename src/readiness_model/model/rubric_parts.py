"""The parts of a rubric beside its tree: defaults for every node, and golden examples.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import did_you_mean
from ._format import to_data
from ._forms import Answer, Method, Number, Pairs, Raw, Record, Str, key
from ._validators import OfType, answer_value, check_finite, fail
from .conventions import STATUSES
from .nodes import MISSING_POLICIES, Aggregation

__all__ = ["EXPECT", "Defaults", "Example"]


@attrs.frozen(slots=True)
class Defaults:
    """Methods used where a node does not say otherwise.

    Example:
        >>> Defaults().to_data()
        {'aggregate': 'arithmetic', 'missing': 'zero'}

    .. versionadded:: 0.1.0
    """

    aggregate: Aggregation = attrs.field(
        factory=Aggregation,
        validator=OfType(Aggregation, "aggregate", "an Aggregation"),
        metadata=key("Default aggregation.", Method(Aggregation, "aggregate"), always=True),
    )
    missing: str = attrs.field(
        default="zero",
        metadata=key("Default missing-answer policy.", Str(MISSING_POLICIES), always=True),
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.missing, str) or self.missing not in MISSING_POLICIES:
            raise fail(
                f"'missing' must be one of {', '.join(MISSING_POLICIES)} (got {self.missing!r})",
                "$.missing",
                hint=did_you_mean(str(self.missing), MISSING_POLICIES),
            )

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> Defaults(aggregate=Aggregation("geometric"), missing="reweight").to_data()
            {'aggregate': 'geometric', 'missing': 'reweight'}
        """
        return to_data(self)


def _tolerance(value: object) -> float:
    """A finite tolerance >= 0 for a golden example."""
    return check_finite(value, "tol", minimum=0)


def _answers(value: object) -> tuple[tuple[str, Any], ...]:
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise fail(f"'answers' must map indicator ids to answers (got {value!r})", "$.answers")

    def freeze(k: object, v: object) -> Any:
        why = answer_value(v)
        if why is not None:
            raise fail(why, f"$.answers.{k}", got=v)
        return tuple(v) if isinstance(v, list) else v

    return tuple((str(k), freeze(k, v)) for k, v in value.items())


EXPECT = Record(
    {
        "overall": (Number(), "Expected overall score."),
        "band": (Raw({"type": ["string", "null"]}), "Expected band id."),
        "dimensions": (Pairs(Number()), "Expected score per node id."),
        "coverage": (Number(), "Expected coverage."),
        "status": (Str(STATUSES), "Expected status: assessed or not_assessed."),
    },
    "Expected results.",
)
"""The keys of an example's ``expect`` and what each holds."""


def _expect(value: object) -> tuple[tuple[str, Any], ...]:
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise fail(f"'expect' must be a mapping (got {value!r})", "$.expect")
    out: list[tuple[str, Any]] = []
    for k, v in value.items():
        if k == "band":
            if v is not None and not isinstance(v, str):
                raise fail(f"'expect.band' must be a band id (got {v!r})", "$.expect.band")
            out.append((k, v))
        elif k in ("overall", "coverage"):
            out.append((k, check_finite(v, f"expect.{k}")))
        elif k == "status":
            if v not in STATUSES:
                raise fail(
                    f"'expect.status' must be one of {', '.join(STATUSES)} (got {v!r})",
                    "$.expect.status",
                    hint=did_you_mean(str(v), STATUSES),
                )
            out.append((k, v))
        elif k == "dimensions":
            if not isinstance(v, Mapping):
                raise fail("'expect.dimensions' must map node ids to scores", "$.expect.dimensions")
            out.append(
                (
                    k,
                    tuple(
                        (str(dk), check_finite(dv, f"expect.dimensions.{dk}"))
                        for dk, dv in v.items()
                    ),
                )
            )
        else:
            raise fail(
                f"unknown key {k!r} in 'expect'",
                f"$.expect.{k}",
                hint=did_you_mean(str(k), EXPECT.fields),
            )
    return tuple(out)


@attrs.frozen(slots=True)
class Example:
    """A golden vector: answers of one agency and the scores they must give.

    Example:
        >>> ex = Example("a", answers={"portal": "yes"}, expect={"overall": 100})
        >>> ex.expected("overall")
        100.0

    .. versionadded:: 0.1.0
    """

    agency: str = attrs.field(
        validator=OfType(str, "agency", "text"), metadata=key("Agency name.", Str())
    )
    answers: tuple[tuple[str, Any], ...] = attrs.field(
        converter=_answers,
        metadata=key("Answer per indicator id.", Pairs(Answer(), ids=False)),
    )
    expect: tuple[tuple[str, Any], ...] = attrs.field(
        converter=_expect, metadata=key("Expected results.", EXPECT)
    )
    tol: float = attrs.field(
        default=1e-6,
        converter=_tolerance,
        metadata=key("Tolerance of the comparisons.", Number(minimum=0), always=True),
    )

    def expected(self, key: str) -> Any:
        """The expected value for ``key`` (``overall``, ``band``, ``dimensions``...).

        ``None`` when the example does not state it.

        Example:
            >>> ex = Example("a", answers={"portal": "yes"}, expect={"dimensions": {"d": 50}})
            >>> ex.expected("dimensions"), ex.expected("band")
            ((('d', 50.0),), None)
        """
        return dict(self.expect).get(key)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> ex = Example("a", answers={"skills": ["cloud"]}, expect={"band": "initial"})
            >>> d = ex.to_data()
            >>> d["answers"], d["expect"], d["tol"]
            ({'skills': ['cloud']}, {'band': 'initial'}, 1e-06)
        """
        return to_data(self)
