"""The rubric: the whole scoring method, validated as one object."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any

import attrs

from .._tabular import Record as Row
from .._tabular import Tabular
from ..errors import Problem, RubricError, did_you_mean
from ._format import to_data
from ._forms import (
    TEXT,
    Id,
    Number,
    Obj,
    Objs,
    Raw,
    Str,
    Version,
    Wrapped,
    key,
)
from ._rubric_checks import RESERVED_IDS, RESERVED_PREFIXES, rubric_problems
from ._rubric_table import rubric_headline, rubric_records
from ._validators import (
    Objects,
    OfType,
    check_finite,
    check_id,
    fail,
    is_number,
    text_of,
)
from .classes import Band, Group, TrendClass
from .conventions import (
    FILTER,
    NotAssessed,
    Ranking,
    population_filter,
)
from .nodes import Dimension, Indicator
from .rubric_parts import Defaults, Example
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


def _lineage(value: object) -> tuple[tuple[str, str, str], ...]:
    if not isinstance(value, tuple | list) or not all(
        isinstance(x, tuple | list) and len(x) == 3 and all(isinstance(y, str) for y in x)
        for x in value
    ):
        raise fail(f"'lineage' holds (id, version, sha256) triples (got {value!r})", "$")
    return tuple((str(a), str(b), str(c)) for a, b, c in value)


SCALE_LIMIT = 1e12
"""Bound of the reporting scale's ends: wider scales would overflow the arithmetic of
scores, sums and spans (``high - low`` of ``[-1e308, 1e308]`` is infinite)."""


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
    lo = check_finite(value[0], "scale", minimum=-SCALE_LIMIT, maximum=SCALE_LIMIT)
    hi = check_finite(value[1], "scale", minimum=-SCALE_LIMIT, maximum=SCALE_LIMIT)
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


_ROUNDING = Wrapped(Number(minimum=0, maximum=12, integer=True), "decimals", "Decimals kept.")
_SCALE = Raw(
    {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}, writer=list
)


def _dimensions(value: Iterable[Dimension]) -> tuple[Dimension, ...]:
    return Objects(Dimension, "dimensions")(value)


def _bands(value: Iterable[Band]) -> tuple[Band, ...]:
    return Objects(Band, "bands")(value)


def _trend(value: Iterable[TrendClass]) -> tuple[TrendClass, ...]:
    return Objects(TrendClass, "trend")(value)


def _groups(value: Iterable[Group]) -> tuple[Group, ...]:
    return Objects(Group, "groups")(value)


def _examples(value: Iterable[Example]) -> tuple[Example, ...]:
    return Objects(Example, "examples")(value)


def _version(value: object) -> str:
    return text_of(value, "version")


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
        converter=_dimensions,
        metadata=key("Top-level dimensions.", Objs(Dimension, min_items=1), after="not_assessed"),
    )
    version: str = attrs.field(
        default="1",
        converter=_version,
        metadata=key("Edition (free text).", Version(), always=True),
    )
    title: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Short name shown in reports.", TEXT)
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key("Longer explanation.", TEXT)
    )
    source: str = attrs.field(
        default="",
        validator=OfType(str, "source", "text"),
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
        converter=population_filter,
        metadata=key(
            "Agency attribute filter: who feeds population statistics and averages (and "
            "is ranked, unless ranking.among says otherwise).",
            FILTER,
        ),
    )
    ranking: Ranking = attrs.field(
        factory=Ranking,
        validator=attrs.validators.instance_of(Ranking),
        metadata=key("Tie rule and who is ranked.", Obj(Ranking)),
    )
    not_assessed: NotAssessed = attrs.field(
        factory=NotAssessed,
        validator=attrs.validators.instance_of(NotAssessed),
        metadata=key("Which agencies are not assessed and how they are shown.", Obj(NotAssessed)),
    )
    bands: tuple[Band, ...] = attrs.field(
        default=(),
        converter=_bands,
        metadata=key("Readiness bands, strictest first.", Objs(Band)),
    )
    trend_on: str = attrs.field(
        default="change",
        validator=lambda i, a, v: check_id(v, "trend_on"),
        metadata=key(
            "What the trend classes classify: 'change' (of the overall score since the "
            "previous period) or a dimension id (its score in the same period).",
            Id(),
        ),
    )
    trend: tuple[TrendClass, ...] = attrs.field(
        default=(),
        converter=_trend,
        metadata=key("Trend classes, first match wins.", Objs(TrendClass)),
    )
    groups: tuple[Group, ...] = attrs.field(
        default=(),
        converter=_groups,
        metadata=key("Band x trend groups.", Objs(Group)),
    )
    examples: tuple[Example, ...] = attrs.field(
        default=(),
        converter=_examples,
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
        return rubric_problems(self)

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
