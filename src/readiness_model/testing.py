"""Hypothesis strategies for property-testing code built on readiness-model.

Example::

    from hypothesis import given
    from readiness_model.testing import rubrics

    @given(rubrics(aggregations=("arithmetic",), normalizations=("goalposts",)))
    def test_my_tool(rubric):
        ...

Requires ``hypothesis`` (``pip install readiness-model[test]``).

``SCALE_KINDS`` names the built-in scale types; :func:`rubrics` draws from every
registered type by default (plug-ins included: each scale type brings its own
strategies); pass some names as ``scales=`` to narrow it:

>>> from readiness_model.testing import SCALE_KINDS
>>> SCALE_KINDS
('binary', 'ordinal', 'numeric', 'checklist', 'choice')

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from .model import (
    Aggregation,
    Band,
    Defaults,
    Dimension,
    Example,
    Group,
    Indicator,
    Normalization,
    Range,
    Rubric,
    Text,
    TrendClass,
    methods,
)
from .model.nodes import DIRECTIONS, MAX_WEIGHT_RATIO, MISSING_POLICIES
from .model.scales import scale_provider, scale_type, scale_types
from .model.scales._draw import WORDS as _words
from .model.scales._draw import awkward_floats as _float

__all__ = ["SCALE_KINDS", "responses", "rubrics"]


def _built_in(specs: Sequence[Any]) -> tuple[str, ...]:
    """The names of the built-in methods among registered ``specs`` (plug-ins have
    parameters this strategy cannot know; name them to draw them)."""
    return tuple(s.name for s in specs if s.provider == "readiness-model")


SCALE_KINDS = tuple(t for t in scale_types() if scale_provider(t) == "readiness-model")

# Ids that a careless YAML writer would turn into booleans, nulls or numbers.
_TRICKY_IDS = (
    "no",
    "on",
    "off",
    "yes",
    "y",
    "n",
    "null",
    "true",
    "False",
    "nan",
    "inf",
    "e5",
    "_1",
    "x1.5",
    "a-b",
    "NO",
)
_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])
_plain = st.text(_ALPHABET, max_size=16)


def _text() -> st.SearchStrategy[Text]:
    return st.one_of(
        st.just(Text()),
        _words.map(Text.of),
        _plain.map(Text.of),
        st.tuples(_words, _words).map(lambda t: Text.of({"en": t[0], "th": t[1]})),
    )


class _Ids:
    """Hands out ids unique in one rubric."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.used: set[str] = set()

    def __call__(self) -> str:
        base: str = self.draw(
            st.sampled_from(_TRICKY_IDS) | st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)
        )
        out, n = base, 1
        while out in self.used:
            n += 1
            out = f"{base}_{n}"
        self.used.add(out)
        return out


@st.composite
def _scale(draw: Any, kinds: Sequence[str], fixed: bool) -> Any:
    return draw(scale_type(draw(st.sampled_from(kinds))).instances(fixed=fixed))


def _aggregation(draw: Any, aggregations: Sequence[str]) -> Aggregation:
    method = draw(st.sampled_from(aggregations))
    if method == "power":
        p = draw(st.sampled_from([-1.0, 0.5, 2.0, 3.0]) | st.floats(0.25, 4.0))
        return Aggregation("power", p=p)
    return Aggregation(method)


@st.composite
def rubrics(
    draw: Any,
    *,
    aggregations: Sequence[str] | None = None,
    normalizations: Sequence[str] | None = None,
    scales: Sequence[str] | None = None,
    missing: Sequence[str] = MISSING_POLICIES,
    max_depth: int = 3,
    max_indicators: int = 12,
    max_children: int = 4,
    rescale: bool | None = None,
    classes: bool = True,
    examples: bool = False,
    prose: bool = True,
) -> Rubric:
    """Whole valid rubrics: nested dimensions, every scale, method and option.

    Args:
        aggregations: Aggregation methods nodes may use (``"power"`` draws p in a sane
            range); default: the built-in ones registered when the strategy is built.
        normalizations: Normalisation methods indicators may use (default: the built-in
            ones registered when the strategy is built). With only
            ``("goalposts",)`` every numeric scale has goalposts and no node rescales.
        scales: Scale types indicators may use (default: every registered type).
        missing: Missing-answer policies (default and overrides) to draw from.
        max_depth: Deepest nesting of dimensions (1 = indicators under top-level nodes).
        max_indicators: Most indicators in the whole rubric.
        max_children: Most children of one node.
        rescale: Whether nodes may rescale across the population (default: only when a
            population-relative normalisation is allowed).
        classes: Draw bands (reachable: descending minimums, the last unbounded), trend
            classes and groups.
        examples: Also draw golden examples (answers only; expected values arbitrary).
        prose: Draw titles, descriptions, questions, references and odd version strings.
            ``False`` leaves them empty: examples the engine sees the same, drawn from a
            much shorter choice sequence, so failures shrink quickly.

    Example:
        >>> from hypothesis import given
        >>> @given(rubrics(max_indicators=4, prose=False))
        ... def test_has_indicators(rubric):
        ...     assert 1 <= len(rubric.indicators) <= 4
        >>> test_has_indicators()

    Returns:
        A hypothesis strategy of valid :class:`~readiness_model.Rubric` objects.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, derandomize=True, deadline=None)
        ... @given(rubrics(scales=("binary", "ordinal"), max_indicators=4, classes=False))
        ... def test_indicator_ids_are_unique(rubric):
        ...     ids = [i.id for i in rubric.indicators]
        ...     assert len(ids) == len(set(ids))
        >>> test_indicator_ids_are_unique()

    .. versionadded:: 0.1.0
    """
    txt = _text() if prose else st.just(Text())
    kinds = tuple(scale_types() if scales is None else scales)
    if aggregations is None:
        aggregations = _built_in(methods.aggregations())
    if normalizations is None:
        normalizations = _built_in(methods.normalizations())
    population_ok = any(n != "goalposts" for n in normalizations)
    allow_rescale = population_ok if rescale is None else rescale
    ids = _Ids(draw)
    budget = max(1, max_indicators)
    leaves: list[Indicator] = []

    def indicator() -> Indicator:
        norm_method = draw(st.sampled_from(normalizations))
        norm = Normalization(
            norm_method, target=draw(_float(-1e3, 1e3)) if norm_method == "target" else None
        )
        scale = draw(_scale(kinds, not norm.population_relative))
        ind = Indicator(
            ids(),
            scale=scale,
            weight=draw(_float(0.0, 1e6)),
            title=draw(txt),
            question=draw(txt),
            evidence=draw(txt),
            remediation=draw(txt),
            effort=draw(st.none() | st.sampled_from(["low", "medium", "high"]) | _float(0.5, 10.0)),
            references=draw(st.lists(_words, max_size=2 if prose else 0)),
            direction=draw(st.sampled_from(DIRECTIONS)),
            normalize=norm,
            missing=draw(st.none() | st.sampled_from(missing)),
        )
        leaves.append(ind)
        return ind

    def weights_ok(children: list[Any]) -> list[Any]:
        if all(c.weight == 0 for c in children):
            children[0] = _evolve(children[0], weight=1.0)
        top = max(c.weight for c in children)
        for i, c in enumerate(children):  # a valid rubric keeps sibling ratios <= 1e12
            if c.weight > 0 and top / c.weight > MAX_WEIGHT_RATIO:
                children[i] = _evolve(c, weight=0.0)
        return children

    def dimension(depth: int, room: int) -> Dimension:
        nested = depth < max_depth and room >= 2 and draw(st.booleans())
        common: dict[str, Any] = {
            "id": ids(),
            "weight": draw(_float(0.0, 1e6)),
            "title": draw(txt),
            "description": draw(txt),
            "aggregate": _aggregation(draw, aggregations) if draw(st.booleans()) else None,
            "missing": draw(st.none() | st.sampled_from(missing)),
            "min_coverage": draw(st.just(0.0) | _float(0.0, 1.0)),
            "rescale": "minmax" if allow_rescale and draw(st.booleans()) else None,
        }
        if nested:
            k = draw(st.integers(1, min(max_children, room)))
            subs: list[Dimension] = []
            used = 0
            for i in range(k):
                child_room = room - used - (k - i - 1)
                sub = dimension(depth + 1, child_room)
                used += len(sub.iter_indicators())
                subs.append(sub)
            return Dimension(dimensions=weights_ok(subs), **common)
        n = draw(st.integers(1, max(1, min(max_children, room))))
        return Dimension(indicators=weights_ok([indicator() for _ in range(n)]), **common)

    top_k = draw(st.integers(1, min(max_children, budget)))
    dims: list[Dimension] = []
    used = 0
    for i in range(top_k):
        d = dimension(1, budget - used - (top_k - i - 1))
        used += len(d.iter_indicators())
        dims.append(d)
    dims = weights_ok(dims)

    scale = draw(
        st.sampled_from([(0.0, 100.0), (0.0, 1.0)])
        | st.lists(_float(-1e3, 1e3), min_size=2, max_size=2, unique=True).map(
            lambda v: (min(v), max(v))
        )
    )
    bands: list[Band] = []
    trend: list[TrendClass] = []
    groups: list[Group] = []
    if classes:
        bands = _bands(draw, txt, ids, scale, [d.id for d in dims])
        trend = _trend(draw, txt, ids)
        groups = _groups(draw, txt, ids, [b.id for b in bands], [t.id for t in trend])
    exs: list[Example] = []
    if examples:
        exs = [
            _example(draw, leaves, [b.id for b in bands]) for _ in range(draw(st.integers(0, 2)))
        ]
    # Only roundings that keep the scale bounds exact (the engine reports rounded scores).
    rounding_choices: list[int | None] = [
        d for d in range(7) if all(round(x, d) == x for x in scale)
    ] or [None]
    parts: dict[str, Any] = {
        "dimensions": dims,
        "bands": bands,
        "trend": trend,
        "groups": groups,
        "examples": exs,
    }
    return Rubric(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9\-]{0,15}", fullmatch=True)),
        version=draw(st.sampled_from(["1", "2016.1", "2016.10", "1.0", "no", "v2"]) | _plain)
        if prose
        else "1",
        title=draw(txt),
        description=draw(txt),
        source=draw(_plain) if prose else "",
        scale=scale,
        defaults=Defaults(_aggregation(draw, aggregations), draw(st.sampled_from(missing))),
        rounding=draw(st.none() | st.sampled_from(rounding_choices)),
        population=draw(
            st.none()
            | st.dictionaries(
                st.sampled_from(["kind", "tier", "region"]),
                st.lists(_words, min_size=1, max_size=3).map(tuple),
                max_size=2,
            ).map(lambda d: tuple(d.items()))
        )
        or (),
        **parts,
    )


def _evolve(obj: Any, **changes: Any) -> Any:
    import attrs

    return attrs.evolve(obj, **changes)


def _descending(draw: Any, n: int, lo: float, hi: float) -> list[float]:
    vals = draw(st.lists(_float(lo, hi), min_size=n, max_size=n, unique=True))
    return sorted(vals, reverse=True)


def _bands(
    draw: Any, txt: Any, ids: _Ids, scale: tuple[float, float], dims: list[str]
) -> list[Band]:
    n = draw(st.integers(0, 4))
    if n == 0:
        return []
    lo, hi = scale
    mins = _descending(draw, n - 1, lo, hi)
    out = []
    for m in [*mins, None]:
        strict = m is not None and m < hi and draw(st.booleans())
        rng = Range() if m is None else Range(above=m) if strict else Range(min=m)
        gates = {}
        if draw(st.booleans()):
            gates = {
                d: draw(_float(lo, hi))
                for d in draw(st.lists(st.sampled_from(dims), max_size=2, unique=True))
            }
        out.append(
            Band(
                ids(),
                title=draw(txt),
                range=rng,
                dimensions=gates or None,
                all_dimensions=draw(st.none() | _float(lo, hi)),
                min_coverage=draw(st.none() | _float(0.0, 1.0)),
                description=draw(txt),
            )
        )
    return out


def _trend(draw: Any, txt: Any, ids: _Ids) -> list[TrendClass]:
    n = draw(st.integers(0, 3))
    if n == 0:
        return []
    mins = _descending(draw, n - 1, -50.0, 50.0)
    return [
        TrendClass(
            ids(),
            title=draw(txt),
            change=Range() if m is None else Range(min=m),
            description=draw(txt),
        )
        for m in [*mins, None]
    ]


def _groups(draw: Any, txt: Any, ids: _Ids, bands: list[str], trend: list[str]) -> list[Group]:
    if not bands:
        return []
    out = []
    for _ in range(draw(st.integers(0, 3))):
        out.append(
            Group(
                ids(),
                title=draw(txt),
                bands=draw(st.lists(st.sampled_from(bands), max_size=3, unique=True)),
                trend=draw(st.lists(st.sampled_from(trend), max_size=2, unique=True))
                if trend
                else (),
                description=draw(txt),
            )
        )
    return out


def _answer(draw: Any, ind: Indicator) -> Any:
    return draw(ind.scale.answers())


def _example(draw: Any, leaves: list[Indicator], bands: list[str]) -> Example:
    chosen = draw(st.lists(st.sampled_from(leaves), unique_by=lambda i: i.id, max_size=4))
    expect: dict[str, Any] = {"overall": draw(_float(0.0, 100.0))}
    if bands and draw(st.booleans()):
        expect["band"] = draw(st.sampled_from(bands))
    return Example(
        draw(_words),
        answers={i.id: _answer(draw, i) for i in chosen},
        expect=expect,
        tol=draw(_float(0.0, 1.0)),
    )


# -- responses ---------------------------------------------------------------------------
from ._response_strategies import responses  # noqa: E402
