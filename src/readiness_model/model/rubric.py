"""The rubric: the whole scoring method, validated as one object."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

import attrs

from .._tabular import Record as Row
from .._tabular import Tabular
from ..errors import Problem, RubricError, did_you_mean
from ._format import to_data
from ._forms import (
    TEXT,
    Answer,
    Id,
    Method,
    Number,
    Obj,
    Objs,
    Pairs,
    Raw,
    Record,
    Str,
    Version,
    Wrapped,
    key,
)
from ._rubric_table import rubric_headline, rubric_records
from ._validators import check_finite, check_id, check_unique, fail, is_number
from .classes import Band, Group, TrendClass
from .nodes import MISSING_POLICIES, Aggregation, Dimension, Indicator, weight_ratio_problems
from .text import Text, to_text

_YAML_READER: list[Callable[[str | bytes, str], Rubric]] = []


def provide_yaml_reader(read: Callable[[str | bytes, str], Rubric]) -> None:
    """Register the YAML reader behind :meth:`Rubric.from_yaml`.

    The model sits below the file formats and does not import them;
    :mod:`readiness_model.io.rubric_yaml` registers its reader when it is imported (which
    ``import readiness_model`` always does).

    Example:
        >>> import readiness_model as rm
        >>> _YAML_READER[0] is rm.rubric_from_yaml
        True
    """
    _YAML_READER[:] = [read]


__all__ = ["RESERVED_IDS", "RESERVED_PREFIXES", "Defaults", "Example", "Rubric"]

RESERVED_IDS = frozenset(
    {
        "agency",
        "period",
        "name",
        "kind",
        "parent",
        "overall",
        "band",
        "trend",
        "group",
        "rank",
        "coverage",
        "change",
        "origin",
        "population",
        "rubric",
        "rubric_version",
        "rubric_sha256",
        "library_version",
    }
)
RESERVED_PREFIXES = ("exact.", "coverage.", "score.", "answer.", "overall.")
"""Id prefixes of the results CSV's detail columns (``exact.<node>``, ``overall.exact``...)."""


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
        metadata=key("Default aggregation.", Method(Aggregation, "aggregate"), always=True),
    )
    missing: str = attrs.field(
        default="zero",
        metadata=key("Default missing-answer policy.", Str(MISSING_POLICIES), always=True),
    )

    def __attrs_post_init__(self) -> None:
        if self.missing not in MISSING_POLICIES:
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

    def freeze(v: object) -> Any:
        return tuple(v) if isinstance(v, list) else v

    return tuple((str(k), freeze(v)) for k, v in value.items())


EXPECT = Record(
    {
        "overall": (Number(), "Expected overall score."),
        "band": (Raw({"type": ["string", "null"]}), "Expected band id."),
        "dimensions": (Pairs(Number()), "Expected score per node id."),
        "coverage": (Number(), "Expected coverage."),
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
        validator=attrs.validators.instance_of(str), metadata=key("Agency name.", Str())
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


def _lineage(value: object) -> tuple[tuple[str, str, str], ...]:
    if not isinstance(value, tuple | list) or not all(
        isinstance(x, tuple | list) and len(x) == 3 and all(isinstance(y, str) for y in x)
        for x in value
    ):
        raise fail(f"'lineage' holds (id, version, sha256) triples (got {value!r})", "$")
    return tuple((str(a), str(b), str(c)) for a, b, c in value)


def _scale(value: object) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(is_number(v) for v in value)
    ):
        raise fail(
            f"'scale' must be [low, high] (got {value!r})",
            "$.scale",
            expected="[low, high], e.g. [0, 100]",
        )
    lo = check_finite(value[0], "scale")
    hi = check_finite(value[1], "scale")
    if not lo < hi:
        raise fail(f"'scale' must have low < high (got {list(value)!r})", "$.scale")
    return lo, hi


def _rounding(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        if set(value) != {"decimals"}:
            raise fail("'rounding' takes only 'decimals'", "$.rounding", expected="{decimals: 4}")
        value = value["decimals"]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
        raise fail(
            f"'rounding.decimals' must be a whole number from 0 to 12 (got {value!r})",
            "$.rounding.decimals",
        )
    return value


def _population(value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise fail(
            "'population' must map agency attributes to accepted values",
            "$.population",
            expected="{kind: department}",
        )
    out = []
    for k, v in value.items():
        check_id(k, "population")
        vals = v if isinstance(v, list | tuple) else [v]
        norm = []
        for x in vals:
            if isinstance(x, bool):
                norm.append("true" if x else "false")
            elif isinstance(x, str | int | float):
                norm.append(str(x))
            else:
                raise fail(
                    f"'population.{k}' must be a value or list of values", f"$.population.{k}"
                )
        out.append((str(k), tuple(norm)))
    return tuple(out)


def _population_value(values: tuple[str, ...]) -> Any:
    return list(values) if len(values) != 1 else values[0]


_SCALAR = {"type": ["string", "number", "boolean"]}
_POPULATION = Pairs(
    Raw({"oneOf": [_SCALAR, {"type": "array", "items": _SCALAR}]}, writer=_population_value)
)
_ROUNDING = Wrapped(Number(minimum=0, maximum=12, integer=True), "decimals", "Decimals kept.")
_SCALE = Raw(
    {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}, writer=list
)


@attrs.frozen(slots=True, repr=False)
class Rubric(Tabular):
    """A complete scoring method. Invalid rubrics cannot be built: every problem found
    across the whole tree is raised at once as a :class:`RubricError`.

    Example:
        >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("q")])])
        >>> [i.id for i in r.indicators], r.scale
        (['q'], (0.0, 100.0))

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``lineage``: the chain of rubrics it extends.
    """

    id: str = attrs.field(
        validator=lambda i, a, v: check_id(v, "rubric", rubric_id=True),
        metadata=key(
            "Rubric id: lowercase letters, digits and '-'.", Id(rubric=True), name="rubric"
        ),
    )
    dimensions: tuple[Dimension, ...] = attrs.field(
        converter=tuple,
        metadata=key("Top-level dimensions.", Objs(Dimension, min_items=1), after="population"),
    )
    version: str = attrs.field(
        default="1", converter=str, metadata=key("Edition (free text).", Version(), always=True)
    )
    title: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Short name shown in reports.", TEXT)
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Longer explanation.", TEXT)
    )
    source: str = attrs.field(
        default="",
        validator=attrs.validators.instance_of(str),
        metadata=key("Citation or URL.", Str()),
    )
    scale: tuple[float, float] = attrs.field(
        default=(0.0, 100.0),
        converter=_scale,
        metadata=key("[low, high] of reported scores.", _SCALE, always=True),
    )
    defaults: Defaults = attrs.field(
        factory=Defaults,
        metadata=key(
            "Methods used where a node does not say otherwise.", Obj(Defaults), always=True
        ),
    )
    rounding: int | None = attrs.field(
        default=None,
        converter=_rounding,
        metadata=key("Rounding of reported scores.", _ROUNDING),
    )
    population: tuple[tuple[str, tuple[str, ...]], ...] = attrs.field(
        default=(),
        converter=_population,
        metadata=key("Agency attribute filter for the population.", _POPULATION),
    )
    bands: tuple[Band, ...] = attrs.field(
        default=(), converter=tuple, metadata=key("Readiness bands, strictest first.", Objs(Band))
    )
    trend: tuple[TrendClass, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=key("Trend classes, first match wins.", Objs(TrendClass)),
    )
    groups: tuple[Group, ...] = attrs.field(
        default=(), converter=tuple, metadata=key("Band x trend groups.", Objs(Group))
    )
    examples: tuple[Example, ...] = attrs.field(
        default=(),
        converter=tuple,
        metadata=key("Golden vectors checked by 'readiness-model check'.", Objs(Example)),
    )
    lineage: tuple[tuple[str, str, str], ...] = attrs.field(
        default=(), converter=_lineage, eq=False, repr=False
    )
    """The rubrics this one was resolved from (``extends:``), the base first: id, version
    and content hash of each. Not part of the rubric's content (its YAML, its equality and
    its hash); scoring copies it into the results' provenance."""

    def __attrs_post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise RubricError(problems)

    def _problems(self) -> list[Problem]:
        out: list[Problem] = []
        if not self.dimensions:
            out.append(Problem("a rubric needs at least one dimension", "$.dimensions"))
        elif all(d.weight == 0 for d in self.dimensions):
            out.append(
                Problem(
                    "every top-level dimension weight is zero",
                    "$.dimensions",
                    hint="give at least one dimension a weight > 0",
                )
            )
        out += weight_ratio_problems(self.dimensions, "$.dimensions")
        seen: dict[str, str] = {}
        for path, node in self.walk():
            if node.id in RESERVED_IDS or node.id.startswith(RESERVED_PREFIXES):
                out.append(
                    Problem(
                        f"id {node.id!r} is reserved (it names a column of responses or results)",
                        f"{path}.id",
                        hint="choose another id"
                        + (
                            " (ids may not start with "
                            + ", ".join(repr(p) for p in RESERVED_PREFIXES)
                            + ")"
                            if node.id not in RESERVED_IDS
                            else ""
                        ),
                    )
                )
            if node.id in seen:
                out.append(
                    Problem(
                        f"duplicate id {node.id!r} (also at {seen[node.id]})",
                        f"{path}.id",
                        hint="ids must be unique in the whole rubric",
                    )
                )
            else:
                seen[node.id] = path
        node_ids = {d.id for d in self.all_dimensions}
        lo, hi = self.scale
        if self.rounding is not None and any(round(x, self.rounding) != x for x in self.scale):
            out.append(
                Problem(
                    f"scale [{lo:g}, {hi:g}] cannot be reported at {self.rounding} decimals: "
                    "rounded scores would leave the scale",
                    "$.rounding",
                    hint="round to more decimals, or use scale ends on the rounding grid",
                )
            )
        out += check_unique([b.id for b in self.bands], "band id", "$.bands")
        for i, band in enumerate(self.bands):
            p = f"$.bands[{i}]"
            for dim_id, _ in band.dimensions:
                if dim_id not in node_ids:
                    out.append(
                        Problem(
                            f"band {band.id!r} gates on unknown dimension {dim_id!r}",
                            f"{p}.dimensions.{dim_id}",
                            hint=did_you_mean(dim_id, node_ids),
                        )
                    )
            if band.range.is_empty():
                out.append(
                    Problem(
                        f"band {band.id!r} can never match: its range is empty",
                        p,
                        hint="check 'min'/'above' against 'max'/'below'",
                    )
                )
                continue
            (blo, bls), (bhi, bhs) = band.range.lower(), band.range.upper()
            if blo > hi or (blo == hi and bls) or bhi < lo or (bhi == lo and bhs):
                out.append(
                    Problem(
                        f"band {band.id!r} can never match: its range lies outside "
                        f"the rubric scale [{lo:g}, {hi:g}]",
                        p,
                    )
                )
                continue
            for j, earlier in enumerate(self.bands[:i]):
                if not earlier.gated and earlier.range.covers(band.range):
                    out.append(
                        Problem(
                            f"band {band.id!r} can never match: band {earlier.id!r} above it "
                            "takes every score it would",
                            p,
                            hint=f"order bands from the strictest down (see $.bands[{j}])",
                        )
                    )
                    break
        out += check_unique([t.id for t in self.trend], "trend id", "$.trend")
        for i, t in enumerate(self.trend):
            if t.change.is_empty():
                out.append(Problem(f"trend class {t.id!r} can never match", f"$.trend[{i}]"))
        band_ids = {b.id for b in self.bands}
        trend_ids = {t.id for t in self.trend}
        out += check_unique([g.id for g in self.groups], "group id", "$.groups")
        for i, g in enumerate(self.groups):
            for j, b in enumerate(g.bands):
                if b not in band_ids:
                    out.append(
                        Problem(
                            f"group {g.id!r} names unknown band {b!r}",
                            f"$.groups[{i}].bands[{j}]",
                            hint=did_you_mean(b, band_ids),
                        )
                    )
            for j, tid in enumerate(g.trend):
                if tid not in trend_ids:
                    out.append(
                        Problem(
                            f"group {g.id!r} names unknown trend class {tid!r}",
                            f"$.groups[{i}].trend[{j}]",
                            hint=did_you_mean(tid, trend_ids),
                        )
                    )
        ind_ids = {ind.id for ind in self.indicators}
        for i, ex in enumerate(self.examples):
            for k, _ in ex.answers:
                if k not in ind_ids:
                    out.append(
                        Problem(
                            f"example {ex.agency!r} answers unknown indicator {k!r}",
                            f"$.examples[{i}].answers.{k}",
                            hint=did_you_mean(k, ind_ids),
                        )
                    )
            band = ex.expected("band")
            if band is not None and band not in band_ids:
                out.append(
                    Problem(
                        f"example {ex.agency!r} expects unknown band {band!r}",
                        f"$.examples[{i}].expect.band",
                        hint=did_you_mean(band, band_ids),
                    )
                )
            for k, _ in ex.expected("dimensions") or ():
                if k not in node_ids:
                    out.append(
                        Problem(
                            f"example {ex.agency!r} expects unknown dimension {k!r}",
                            f"$.examples[{i}].expect.dimensions.{k}",
                            hint=did_you_mean(k, node_ids),
                        )
                    )
        return out

    # -- navigation -------------------------------------------------------------------
    def walk(self) -> list[tuple[str, Dimension | Indicator]]:
        """Every node and indicator with its path (``$.dimensions[0].indicators[1]``).

        Example:
            >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("q")])])
            >>> [(path, node.id) for path, node in r.walk()]
            [('$.dimensions[0]', 'd'), ('$.dimensions[0].indicators[0]', 'q')]
        """
        out: list[tuple[str, Dimension | Indicator]] = []

        def rec(path: str, dim: Dimension) -> None:
            out.append((path, dim))
            for i, sub in enumerate(dim.dimensions):
                rec(f"{path}.dimensions[{i}]", sub)
            for i, ind in enumerate(dim.indicators):
                out.append((f"{path}.indicators[{i}]", ind))

        for i, d in enumerate(self.dimensions):
            rec(f"$.dimensions[{i}]", d)
        return out

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in column order (depth first, document order)."""
        out: list[Indicator] = []
        for d in self.dimensions:
            out += d.iter_indicators()
        return tuple(out)

    @cached_property
    def all_dimensions(self) -> tuple[Dimension, ...]:
        """Every node of the tree, parents before children (document order)."""
        out: list[Dimension] = []
        for d in self.dimensions:
            out += d.iter_dimensions()
        return tuple(out)

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id; ``KeyError`` naming the closest id otherwise.

        Example:
            >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("portal")])])
            >>> r.indicator("portal").scale.type
            'binary'
            >>> r.indicator("portl")
            Traceback (most recent call last):
            ...
            KeyError: "no indicator 'portl' (did you mean 'portal'?)"
        """
        for ind in self.indicators:
            if ind.id == id:
                return ind
        raise KeyError(f"no indicator {id!r} ({did_you_mean(id, [i.id for i in self.indicators])})")

    def dimension(self, id: str) -> Dimension:
        """The node with this id; ``KeyError`` naming the closest id otherwise.

        Example:
            >>> r = Rubric("demo", dimensions=[Dimension("access", indicators=[Indicator("q")])])
            >>> [i.id for i in r.dimension("access").indicators]
            ['q']
        """
        for d in self.all_dimensions:
            if d.id == id:
                return d
        raise KeyError(
            f"no dimension {id!r} ({did_you_mean(id, [d.id for d in self.all_dimensions])})"
        )

    def label(self, lang: str | None = None) -> str:
        """Title in ``lang``, or the id.

        Example:
            >>> from readiness_model import load_rubric
            >>> load_rubric("thai-dg-readiness-2016").label("th")
            'การสำรวจความพร้อมรัฐบาลดิจิทัลของหน่วยงานภาครัฐ พ.ศ. 2559'
            >>> Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("q")])]).label()
            'demo'
        """
        return self.title.get(lang) or self.id

    @classmethod
    def from_yaml(cls, text: str | bytes, source: str = "<string>") -> Rubric:
        """Parse and validate YAML text; every problem is reported at once.

        Args:
            text: The rubric in the YAML format (docs/rubric-format.md).
            source: File name used in error locations.

        Returns:
            The validated rubric.

        Raises:
            RubricError: with one located problem per mistake.

        Example:
            >>> r = Rubric.from_yaml("{rubric: mini, dimensions: [{id: d, indicators: [{id: q}]}]}")
            >>> r.id, [i.id for i in r.indicators]
            ('mini', ['q'])

        .. versionadded:: 0.1.0
        """
        return _YAML_READER[0](text, source)

    # -- identity ---------------------------------------------------------------------
    def to_data(self) -> dict[str, Any]:
        """Canonical plain data (what the YAML format holds): identity, scale and defaults
        always, optional keys (titles, bands, population, ...) only when set.

        Example:
            >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("q")])])
            >>> d = r.to_data()
            >>> list(d)
            ['rubric', 'version', 'scale', 'defaults', 'dimensions']
            >>> d["dimensions"][0]["indicators"]
            [{'id': 'q', 'weight': 1.0, 'scale': {'type': 'binary'}}]
        """
        return to_data(self)

    def to_records(self) -> list[Row]:
        """Tidy form for notebooks: one row per dimension and indicator, depth first
        (``id``, ``kind``, ``parent``, ``depth``, ``title``, ``weight``, ``scale``).

        Example:
            >>> r = Rubric("demo", dimensions=[Dimension("d", indicators=[Indicator("q")])])
            >>> [(x["id"], x["kind"], x["depth"]) for x in r.to_records()]
            [('d', 'dimension', 0), ('q', 'indicator', 1)]
        """
        return rubric_records(self)

    def _headline(self) -> str:
        return rubric_headline(self)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of :meth:`to_data` (stable across dumps)."""
        text = json.dumps(
            self.to_data(),
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
