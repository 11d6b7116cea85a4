"""The rubric tree: indicators (leaves) and dimensions (nodes), with their methods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Union

import attrs

from ..errors import Problem, RubricError
from ._forms import TEXT, Id, Method, Number, Objs, Raw, Str, key
from ._validators import check_finite, check_id, check_unique, fail
from .method_choice import Aggregation, Normalization
from .methods import aggregations, normalizations
from .scales import BinaryScale, Scale
from .scales._registry import ScaleRef
from .text import Text, to_text

__all__ = [
    "DIRECTIONS",
    "EFFORTS",
    "MAX_WEIGHT_RATIO",
    "MISSING_POLICIES",
    "Aggregation",
    "Dimension",
    "Indicator",
    "Node",
    "Normalization",
    "weight_ratio_problems",
]

MISSING_POLICIES = ("zero", "reweight", "error")
DIRECTIONS = ("higher_is_better", "lower_is_better")
EFFORTS = {"low": 1.0, "medium": 2.0, "high": 3.0}
MAX_WEIGHT_RATIO = 1e12  # largest sibling weight / smallest nonzero one


def __getattr__(name: str) -> Any:
    """The method names, read from the registries (``NORMALIZATIONS``, ``AGGREGATIONS``,
    ``POPULATION_METHODS``): kept for code that imported the former hand-kept lists."""
    if name == "NORMALIZATIONS":
        return tuple(s.name for s in normalizations())
    if name == "AGGREGATIONS":
        return tuple(s.name for s in aggregations())
    if name == "POPULATION_METHODS":
        return frozenset(s.name for s in normalizations() if s.population)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _one_of(choices: Sequence[str], field: str, *, optional: bool = False) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if optional and value is None:
            return
        if value not in choices:
            from ..errors import did_you_mean

            raise fail(
                f"{field!r} must be one of {', '.join(choices)} (got {value!r})",
                f"$.{field}",
                hint=did_you_mean(str(value), choices),
                got=value,
            )

    return check


def weight_ratio_problems(children: Sequence[Node], path: str) -> list[Problem]:
    """Siblings whose nonzero weight is more than :data:`MAX_WEIGHT_RATIO` times smaller
    than the largest: such a weight changes no score anyone could read, and is most
    likely a typo (``1e-13`` for ``1e13``, a unit mix-up).

    Example:
        >>> kids = [Indicator("a", weight=1e6), Indicator("b", weight=1e-7)]
        >>> (p,) = weight_ratio_problems(kids, "$.indicators")
        >>> p.message[:47], p.path
        ("weight 1e-07 of 'b' is 1e+13 times smaller than", '$.indicators[1].weight')
    """
    weights = [c.weight for c in children]
    top = max(weights, default=0.0)
    out: list[Problem] = []
    for i, c in enumerate(children):
        if c.weight > 0 and top / c.weight > MAX_WEIGHT_RATIO:
            big = children[weights.index(top)].id
            ratio = top / c.weight
            times = f"{ratio:.3g}" if math.isfinite(ratio) else "more than 1e308"
            out.append(
                Problem(
                    f"weight {c.weight:g} of {c.id!r} is {times} times smaller "
                    f"than the weight {top:g} of its sibling {big!r}; the engine accepts "
                    f"ratios up to {MAX_WEIGHT_RATIO:g}",
                    f"{path}[{i}].weight",
                    expected=f"a weight of 0 or at least {top / MAX_WEIGHT_RATIO:g}",
                    got=repr(c.weight),
                    hint=f"set it to 0 to leave {c.id!r} out, or raise it",
                )
            )
    return out


def _share(value: object) -> float:
    """A finite share in [0, 1] (a node's ``min_coverage``)."""
    return check_finite(value, "min_coverage", minimum=0, maximum=1)


def _weight(value: object) -> float:
    return check_finite(value, "weight", minimum=0.0)


def _effort(value: object) -> str | float | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value not in EFFORTS:
            raise fail(
                f"'effort' must be low, medium, high or a number > 0 (got {value!r})", "$.effort"
            )
        return value
    x = check_finite(value, "effort", minimum=0.0)
    if x <= 0:
        raise fail(f"'effort' must be > 0 (got {value!r})", "$.effort")
    return x


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise fail(f"'references' must be a list of strings (got {value!r})", "$.references")
    return tuple(value)


_WEIGHT = "Weight relative to siblings (>= 0)."
_EFFORT = Raw(
    {
        "oneOf": [
            {"type": "string", "enum": list(EFFORTS)},
            {"type": "number", "exclusiveMinimum": 0},
        ]
    }
)
_REFERENCES = Raw({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})


@attrs.frozen(slots=True)
class Indicator:
    """One question of the survey and how its answer is scored.

    Attributes:
        id: Unique in the whole rubric; the column name in response files.
        scale: How raw answers are read and scored (default: binary).
        weight: Relative to its siblings (finite, >= 0).
        direction: ``higher_is_better`` or ``lower_is_better`` (score ``1 - s``).
        normalize: Fixed goalposts, or a population-relative method.
        missing: Overrides the rubric's missing-answer policy for this indicator.
        title, question, evidence, remediation, effort, references: what a reader needs.

    Example:
        >>> ind = Indicator("portal", scale=BinaryScale(), weight=2)
        >>> ind.weight, ind.scale.type, str(ind.label())
        (2.0, 'binary', 'portal')

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(
        validator=lambda i, a, v: check_id(v),
        metadata=key("Unique in the rubric; the column name in responses.", Id()),
    )
    scale: Scale = attrs.field(
        factory=BinaryScale,
        metadata=key("Answer scale (default binary).", ScaleRef(), always=True, after="weight"),
    )
    weight: float = attrs.field(
        default=1.0,
        converter=_weight,
        metadata=key(_WEIGHT, Number(minimum=0), always=True, after="references"),
    )
    title: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Short name shown in reports.", TEXT)
    )
    question: Text = attrs.field(
        default=None, converter=to_text, metadata=key("The question asked.", TEXT)
    )
    evidence: Text = attrs.field(
        default=None, converter=to_text, metadata=key("What proves the answer.", TEXT)
    )
    remediation: Text = attrs.field(
        default=None, converter=to_text, metadata=key("What to do to improve.", TEXT)
    )
    effort: str | float | None = attrs.field(
        default=None,
        converter=_effort,
        metadata=key("Effort to improve: low, medium, high or a number > 0.", _EFFORT),
    )
    references: tuple[str, ...] = attrs.field(
        default=(), converter=_strings, metadata=key("Sources.", _REFERENCES)
    )
    direction: str = attrs.field(
        default="higher_is_better",
        validator=_one_of(DIRECTIONS, "direction"),
        metadata=key("Whether higher answers are better.", Str(DIRECTIONS)),
    )
    normalize: Normalization = attrs.field(
        factory=Normalization,
        metadata=key("Normalisation (default goalposts).", Method(Normalization, "normalize")),
    )
    missing: str | None = attrs.field(
        default=None,
        validator=_one_of(MISSING_POLICIES, "missing", optional=True),
        metadata=key("Missing-answer policy for this indicator.", Str(MISSING_POLICIES)),
    )

    def __attrs_post_init__(self) -> None:
        if self.normalize.spec.input == "score" and self.scale.engine_form() is None:
            relative = [s.name for s in normalizations() if s.input == "value"]
            raise fail(
                f"indicator {self.id!r} has no fixed score (a {self.scale.type} scale without "
                f"goalposts), which normalisation {self.normalize.method!r} needs; use "
                f"goalposts or a normalisation of the answer itself ({', '.join(relative)})",
                "$.scale.goalposts",
                hint="add 'goalposts: [min, max]' to its scale",
            )

    def label(self, lang: str | None = None) -> str:
        """The title in ``lang``, or the id when there is no title.

        Example:
            >>> ind = Indicator("portal", title={"en": "Web portal", "th": "เว็บพอร์ทัล"})
            >>> ind.label("th"), ind.label(), Indicator("app").label()
            ('เว็บพอร์ทัล', 'Web portal', 'app')
        """
        return self.title.get(lang) or self.id

    @property
    def effort_cost(self) -> float | None:
        """Effort as a number (low = 1, medium = 2, high = 3), or ``None``.

        Example:
            >>> Indicator("portal", effort="medium").effort_cost, Indicator("app").effort_cost
            (2.0, None)
        """
        if self.effort is None:
            return None
        if isinstance(self.effort, str):
            return EFFORTS[self.effort]
        return float(self.effort)


Node = Union["Dimension", Indicator]


@attrs.frozen(slots=True)
class Dimension:
    """A node of the rubric tree: holds either sub-dimensions or indicators.

    Attributes:
        id: Unique in the whole rubric.
        weight: Relative to its siblings (finite, >= 0).
        aggregate: How children combine (``None``: the rubric's default).
        missing: Missing-answer policy for the indicators below (``None``: inherit).
        min_coverage: A node whose answered share of weight is below this is missing.
        rescale: ``"minmax"`` rescales the node across the population after aggregation.

    Example:
        >>> d = Dimension("access", indicators=(Indicator("portal"), Indicator("app")))
        >>> [c.id for c in d.children]
        ['portal', 'app']

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(
        validator=lambda i, a, v: check_id(v), metadata=key("Unique in the rubric.", Id())
    )
    dimensions: tuple[Dimension, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=key("Sub-dimensions.", Objs(lambda: Dimension, min_items=1), after="rescale"),
    )
    indicators: tuple[Indicator, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=key("Indicators.", Objs(Indicator, min_items=1), after="dimensions"),
    )
    weight: float = attrs.field(
        default=1.0,
        converter=_weight,
        metadata=key(_WEIGHT, Number(minimum=0), always=True, after="description"),
    )
    title: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Short name shown in reports.", TEXT)
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Longer explanation.", TEXT)
    )
    aggregate: Aggregation | None = attrs.field(
        default=None,
        metadata=key("How the children combine.", Method(Aggregation, "aggregate")),
    )
    missing: str | None = attrs.field(
        default=None,
        validator=_one_of(MISSING_POLICIES, "missing", optional=True),
        metadata=key("Missing-answer policy below this node.", Str(MISSING_POLICIES)),
    )
    min_coverage: float = attrs.field(
        default=0.0,
        converter=_share,
        metadata=key(
            "Below this answered share the node is missing.", Number(minimum=0, maximum=1)
        ),
    )
    rescale: str | None = attrs.field(
        default=None,
        validator=_one_of(("minmax",), "rescale", optional=True),
        metadata=key("Rescale across the population after aggregation.", Str(("minmax",))),
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if self.dimensions and self.indicators:
            problems.append(
                Problem(
                    f"dimension {self.id!r} holds both 'dimensions' and 'indicators'",
                    "$",
                    hint="a node holds either sub-dimensions or indicators; nest the indicators "
                    "in a sub-dimension",
                )
            )
        elif not self.dimensions and not self.indicators:
            problems.append(
                Problem(
                    f"dimension {self.id!r} is empty", "$", hint="add 'indicators' or 'dimensions'"
                )
            )
        key = "dimensions" if self.dimensions else "indicators"
        children = self.children
        if children and all(c.weight == 0 for c in children):
            problems.append(
                Problem(
                    f"every weight under {self.id!r} is zero",
                    f"$.{key}",
                    hint="give at least one child a weight > 0",
                )
            )
        problems += weight_ratio_problems(children, f"$.{key}")
        problems += check_unique([c.id for c in children], "id", f"$.{key}")
        if problems:
            raise RubricError(problems)

    @property
    def children(self) -> tuple[Dimension, ...] | tuple[Indicator, ...]:
        """Sub-dimensions, or indicators.

        Example:
            >>> access = Dimension("access", indicators=[Indicator("portal")])
            >>> [c.id for c in Dimension("digital", dimensions=[access]).children]
            ['access']
        """
        return self.dimensions or self.indicators

    def label(self, lang: str | None = None) -> str:
        """The title in ``lang``, or the id when there is no title.

        Example:
            >>> Dimension("access", indicators=[Indicator("portal")], title="Access").label()
            'Access'
        """
        return self.title.get(lang) or self.id

    def iter_indicators(self) -> list[Indicator]:
        """Every indicator below this node, depth first in document order.

        Example:
            >>> a = Dimension("a", indicators=[Indicator("x"), Indicator("y")])
            >>> b = Dimension("b", indicators=[Indicator("z")])
            >>> [i.id for i in Dimension("top", dimensions=[a, b]).iter_indicators()]
            ['x', 'y', 'z']
        """
        if self.indicators:
            return list(self.indicators)
        out: list[Indicator] = []
        for d in self.dimensions:
            out += d.iter_indicators()
        return out

    def iter_dimensions(self) -> list[Dimension]:
        """This node and every node below it, depth first (parents first).

        Example:
            >>> a = Dimension("a", indicators=[Indicator("x")])
            >>> b = Dimension("b", dimensions=[Dimension("c", indicators=[Indicator("y")])])
            >>> [d.id for d in Dimension("top", dimensions=[a, b]).iter_dimensions()]
            ['top', 'a', 'b', 'c']
        """
        out: list[Dimension] = [self]
        for d in self.dimensions:
            out += d.iter_dimensions()
        return out
