"""The rubric tree: indicators (leaves) and dimensions (nodes), with their methods."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Union

import attrs

from ..errors import Problem, RubricError, did_you_mean
from ._format import TEXT, Id, Method, Number, Objs, Raw, ScaleRef, Str, key
from ._validators import check_finite, check_id, check_unique, fail, is_number
from .scales import BinaryScale, Scale
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

    @classmethod
    def from_data(cls, data: object) -> Normalization:
        """Read the YAML form: a method name, or ``{method: ..., target: ...}``.

        Raises:
            RubricError: every problem, with paths relative to the value (``$.target``).

        Example:
            >>> Normalization.from_data({"method": "target", "target": 80})
            Normalization(method='target', target=80.0)
        """
        if isinstance(data, str):
            return cls(data)
        if not isinstance(data, dict):
            raise fail(
                f"'normalize' must be a method name or a mapping (got {data!r})",
                "$",
                expected="zscore, or {method: target, target: 80}",
            )
        problems = _unknown_keys(data, ("method", "target"), "'normalize'")
        if "method" not in data:
            problems.append(Problem("'normalize' is missing the required key 'method'", "$"))
        if problems:
            raise RubricError(problems)
        target = data.get("target")
        return cls(data["method"], target=float(target) if is_number(target) else target)  # type: ignore[arg-type]

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """JSON-Schema fragment of the YAML form.

        Example:
            >>> len(Normalization.schema()["oneOf"])
            3
        """
        plain = [n for n in NORMALIZATIONS if n != "target"]
        method = {"description": "The normalisation method."}
        return {
            "description": "How answers become scores in [0, 1].",
            "oneOf": [
                {"type": "string", "enum": plain},
                {
                    "type": "object",
                    "description": "A method without parameters.",
                    "properties": {"method": {**method, "type": "string", "enum": plain}},
                    "required": ["method"],
                    "additionalProperties": False,
                },
                {
                    "type": "object",
                    "description": "Distance to a target value.",
                    "properties": {
                        "method": {**method, "const": "target"},
                        "target": {**Number().schema({}), "description": "The target value."},
                    },
                    "required": ["method", "target"],
                    "additionalProperties": False,
                },
            ],
        }


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

    @classmethod
    def from_data(cls, data: object) -> Aggregation:
        """Read the YAML form: a method name, or ``{power: p}``.

        Raises:
            RubricError: every problem, with paths relative to the value (``$.power``).

        Example:
            >>> Aggregation.from_data({"power": 2})
            Aggregation(method='power', p=2.0)
        """
        if isinstance(data, str):
            try:
                return cls(data)
            except RubricError as err:
                raise _rebase(err, "$.aggregate") from None
        if not isinstance(data, dict):
            raise fail(
                "'aggregate' must be arithmetic, geometric, harmonic, minimum or "
                f"{{power: p}} (got {data!r})",
                "$",
            )
        problems = _unknown_keys(data, ("power",), "'aggregate'")
        if "power" not in data:
            problems.append(Problem("'aggregate' is missing the required key 'power'", "$"))
        if problems:
            raise RubricError(problems)
        p = data["power"]
        try:
            return cls("power", p=float(p) if is_number(p) else p)
        except RubricError as err:
            raise _rebase(err, "$.aggregate") from None

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """JSON-Schema fragment of the YAML form.

        Example:
            >>> Aggregation.schema()["oneOf"][0]["enum"]
            ['arithmetic', 'geometric', 'harmonic', 'minimum']
        """
        return {
            "description": "How a node combines its children.",
            "oneOf": [
                {"type": "string", "enum": [a for a in AGGREGATIONS if a != "power"]},
                {
                    "type": "object",
                    "description": "Power mean with exponent p.",
                    "properties": {
                        "power": {**Number().schema({}), "description": "The exponent p."}
                    },
                    "required": ["power"],
                    "additionalProperties": False,
                },
            ],
        }


def _unknown_keys(data: dict[Any, Any], allowed: tuple[str, ...], what: str) -> list[Problem]:
    return [
        Problem(f"unknown key {k!r} in {what}", f"$.{k}", hint=did_you_mean(str(k), allowed))
        for k in data
        if k not in allowed
    ]


def _rebase(err: RubricError, prefix: str) -> RubricError:
    """The problems with ``prefix`` (the owner's key) cut from their paths."""
    return RubricError(
        attrs.evolve(p, path="$" + p.path[len(prefix) :] if p.path.startswith(prefix) else p.path)
        for p in err.problems
    )


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
        if self.scale.engine_form() is None and not self.normalize.population_relative:
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
