"""The rubric tree: indicators (leaves) and dimensions (nodes), with their methods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Union

import attrs

from ..errors import Problem, RubricError
from ._validators import check_finite, check_id, check_unique, fail, is_number
from .scales import BinaryScale, NumericScale, Scale
from .text import Text, to_text

__all__ = [
    "AGGREGATIONS",
    "DIRECTIONS",
    "EFFORTS",
    "MISSING_POLICIES",
    "NORMALIZATIONS",
    "Aggregation",
    "Dimension",
    "Indicator",
    "Node",
    "Normalization",
]

NORMALIZATIONS = ("goalposts", "minmax", "zscore", "rank", "percentile", "target")
POPULATION_METHODS = frozenset({"minmax", "zscore", "rank", "percentile", "target"})
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "minimum", "power")
MISSING_POLICIES = ("zero", "reweight", "error")
DIRECTIONS = ("higher_is_better", "lower_is_better")
EFFORTS = {"low": 1.0, "medium": 2.0, "high": 3.0}


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


def _optional_target(value: object) -> float | None:
    """``None`` or a finite number (a normalisation's ``target``), as a float."""
    return None if value is None else check_finite(value, "target")


@attrs.frozen(slots=True)
class Normalization:
    """How an indicator's answers become scores in [0, 1].

    ``goalposts`` uses the scale's fixed mapping; the others are relative to the
    rubric's population in each period (see docs/methodology.md). ``target`` needs
    a ``target`` value: ``clamp((x - min) / (target - min), 0, 1)``.

    Example:
        >>> Normalization("zscore").to_data()
        'zscore'
        >>> Normalization("target", target=95.0).to_data()
        {'method': 'target', 'target': 95.0}

    .. versionadded:: 0.1.0
    """

    method: str = attrs.field(default="goalposts", validator=_one_of(NORMALIZATIONS, "method"))
    target: float | None = attrs.field(default=None, converter=_optional_target)

    def __attrs_post_init__(self) -> None:
        if self.method == "target":
            if self.target is None:
                raise fail("normalize 'target' needs a 'target' value", "$.target")
        elif self.target is not None:
            raise fail(
                f"'target' only goes with method 'target' (method is {self.method!r})", "$.target"
            )

    @property
    def population_relative(self) -> bool:
        """True when scores depend on the other agencies' answers.

        Example:
            >>> Normalization("rank").population_relative, Normalization().population_relative
            (True, False)
        """
        return self.method in POPULATION_METHODS

    def to_data(self) -> str | dict[str, Any]:
        """Plain data: the method name, or a mapping with its parameters.

        Example:
            >>> Normalization().to_data(), Normalization("target", target=80).to_data()
            ('goalposts', {'method': 'target', 'target': 80.0})
        """
        if self.target is None:
            return self.method
        return {"method": self.method, "target": self.target}


@attrs.frozen(slots=True)
class Aggregation:
    """How a node combines its children's scores.

    ``arithmetic``, ``geometric``, ``harmonic`` and ``power`` (with exponent ``p``) are
    weighted means; ``minimum`` takes the lowest applicable child (weights only decide
    which children count: a zero weight drops a child).

    Example:
        >>> Aggregation("power", p=2.0).to_data()
        {'power': 2.0}
        >>> Aggregation("geometric").to_data()
        'geometric'

    .. versionadded:: 0.1.0
    """

    method: str = attrs.field(default="arithmetic", validator=_one_of(AGGREGATIONS, "aggregate"))
    p: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.method == "power":
            if self.p is None or not is_number(self.p) or not math.isfinite(self.p):
                raise fail(
                    f"a power mean needs a finite exponent p (got {self.p!r})", "$.aggregate.power"
                )
        elif self.p is not None:
            raise fail("only the power mean takes an exponent", "$.aggregate")

    def to_data(self) -> str | dict[str, float]:
        """Plain data: the method name, or ``{power: p}``.

        Example:
            >>> Aggregation().to_data(), Aggregation("power", p=0.5).to_data()
            ('arithmetic', {'power': 0.5})
        """
        if self.method == "power":
            assert self.p is not None
            return {"power": self.p}
        return self.method


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

    id: str = attrs.field(validator=lambda i, a, v: check_id(v))
    scale: Scale = attrs.field(factory=BinaryScale)
    weight: float = attrs.field(default=1.0, converter=_weight)
    title: Text = attrs.field(default=None, converter=to_text)
    question: Text = attrs.field(default=None, converter=to_text)
    evidence: Text = attrs.field(default=None, converter=to_text)
    remediation: Text = attrs.field(default=None, converter=to_text)
    effort: str | float | None = attrs.field(default=None, converter=_effort)
    references: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    direction: str = attrs.field(
        default="higher_is_better", validator=_one_of(DIRECTIONS, "direction")
    )
    normalize: Normalization = attrs.field(factory=Normalization)
    missing: str | None = attrs.field(
        default=None, validator=_one_of(MISSING_POLICIES, "missing", optional=True)
    )

    def __attrs_post_init__(self) -> None:
        if (
            isinstance(self.scale, NumericScale)
            and self.scale.goalposts is None
            and not self.normalize.population_relative
        ):
            raise fail(
                f"numeric indicator {self.id!r} needs goalposts or a population-relative "
                "'normalize' (minmax, zscore, rank, percentile, target)",
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

    id: str = attrs.field(validator=lambda i, a, v: check_id(v))
    dimensions: tuple[Dimension, ...] = attrs.field(default=(), converter=tuple)
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=tuple)
    weight: float = attrs.field(default=1.0, converter=_weight)
    title: Text = attrs.field(default=None, converter=to_text)
    description: Text = attrs.field(default=None, converter=to_text)
    aggregate: Aggregation | None = None
    missing: str | None = attrs.field(
        default=None, validator=_one_of(MISSING_POLICIES, "missing", optional=True)
    )
    min_coverage: float = attrs.field(default=0.0, converter=_share)
    rescale: str | None = attrs.field(
        default=None, validator=_one_of(("minmax",), "rescale", optional=True)
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
