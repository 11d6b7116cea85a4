"""Normalisations and aggregations as registered parts: a name, a function, parameters.

One registry per kind. The engine's own methods register themselves here exactly as a
plug-in does (``readiness_model.engine.normalizations`` and ``...aggregations``), and
installed plug-ins are found through the entry-point groups
``readiness_model.normalizations`` and ``readiness_model.aggregations``, loaded once, the
first time a name is missing or the methods are listed. The model validates rubrics
against the registry (unknown names, parameters); the YAML keys, the JSON Schema, the
did-you-mean hints and the methodology tables all come from it.

>>> [s.name for s in normalizations()][:3]
['goalposts', 'minmax', 'zscore']
>>> aggregation("power").params[0].name, BUILTIN
('p', 'readiness-model')

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.metadata
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .._args import require, require_text
from ..errors import Problem, RubricError, did_you_mean
from ._validators import ID_RE
from .method_specs import (
    BUILTIN,
    STATISTICS,
    AggregationSpec,
    NormalizationSpec,
    Param,
    finite_number,
)

__all__ = [
    "AGGREGATION_GROUP",
    "BUILTIN",
    "NORMALIZATION_GROUP",
    "STATISTICS",
    "AggregationSpec",
    "NormalizationSpec",
    "Param",
    "aggregation",
    "aggregations",
    "finite_number",
    "normalization",
    "normalizations",
    "register_aggregation",
    "register_normalization",
]

NORMALIZATION_GROUP = "readiness_model.normalizations"
AGGREGATION_GROUP = "readiness_model.aggregations"
INPUTS = ("value", "score")  # what a normalisation reads (see register_normalization)


_NORMALIZATIONS: dict[str, NormalizationSpec] = {}
_AGGREGATIONS: dict[str, AggregationSpec] = {}
_LOADED: set[str] = set()
_BROKEN: dict[str, list[str]] = {NORMALIZATION_GROUP: [], AGGREGATION_GROUP: []}
# built-ins are the first plug-in: their modules register them when imported
_BUILTIN_MODULES = {
    NORMALIZATION_GROUP: "readiness_model.engine.normalizations",
    AGGREGATION_GROUP: "readiness_model.engine.aggregations",
}
_PROVIDING: list[str] = []  # provider of the entry point being loaded


@contextlib.contextmanager
def _providing(provider: str) -> Iterator[None]:
    _PROVIDING.append(provider)
    try:
        yield
    finally:
        _PROVIDING.pop()


@functools.lru_cache(maxsize=1)
def _distributions() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _provider_of(func: Callable[..., Any]) -> str:
    if _PROVIDING:
        return _PROVIDING[-1]
    module = getattr(func, "__module__", None) or "?"
    top = module.partition(".")[0]
    if top == "readiness_model":
        return BUILTIN
    dists = _distributions().get(top, [])
    if dists:
        return f"{dists[0]} {importlib.metadata.version(dists[0])}"
    return f"{module} (not an installed distribution)"


def _entry_points(group: str) -> Sequence[importlib.metadata.EntryPoint]:
    return tuple(importlib.metadata.entry_points(group=group))


def _load(group: str) -> None:
    """Import the built-ins and every plug-in of ``group``, once."""
    if group in _LOADED:
        return
    _LOADED.add(group)
    importlib.import_module(_BUILTIN_MODULES[group])
    for ep in _entry_points(group):
        dist = ep.dist
        provider = f"{dist.name} {dist.version}" if dist is not None else ep.value
        try:
            with _providing(provider):
                obj = ep.load()
                if callable(obj):
                    obj()
        except Exception as err:  # a broken plug-in must not break the library
            _BROKEN[group].append(f"{ep.name} ({provider}) failed to load: {err!r:.200}")


def _register(registry: dict[str, Any], spec: Any, replace: bool) -> Any:
    require_text(spec.name, "name")
    if not ID_RE.match(spec.name):
        raise ValueError(f"a method name must be an identifier (got {spec.name!r})")
    require(spec.func, Callable, "func", "callable")  # type: ignore[arg-type]
    names = [p.name for p in spec.params]
    if len(set(names)) != len(names) or "method" in names:
        raise ValueError(f"parameters of {spec.name!r} must be unique and not 'method'")
    old = registry.get(spec.name)
    if old is not None and not replace and old.func is not spec.func:
        raise ValueError(
            f"a method {spec.name!r} is already registered by {old.provider}; "
            "pass replace=True to replace it"
        )
    registry[spec.name] = spec
    return spec


def register_normalization(
    name: str,
    func: Callable[..., object],
    *,
    population: bool,
    params: Sequence[Param] = (),
    input: str = "value",
    stats: Sequence[str] | None = None,
    doc: str = "",
    formula: str = "",
    replace: bool = False,
    provider: str | None = None,
) -> NormalizationSpec:
    """Register a normalisation: how an indicator's answers become scores in [0, 1].

    The engine calls ``func`` on one method's columns at a time, with ``x`` an
    ``agencies × columns`` float array (NaN: no value) and each parameter as an array of
    one value per column:

    * ``population=False``: ``func(x, **params)``, once for all rows;
    * ``population=True``: ``func(x, ref, **params)`` for each period, ``ref`` the
      :class:`~readiness_model.engine.stats.ColumnStats` of that period's population
      (computed from the answers, or frozen in a saved
      :class:`~readiness_model.Population`). ``ref`` offers only the statistics the
      method declares in ``stats``: reading another is an error, so a method scores the
      same whether its statistics come from the rows or from a saved round.

    It returns an array of the same shape (NaN: no score); scores of a plug-in are
    clipped to [0, 1].

    Args:
        name: The name rubrics use (``normalize: NAME`` or ``{method: NAME, ...}``).
        func: The function above.
        population: Whether scores depend on the other agencies' answers.
        params: Its parameters (YAML keys beside ``method``).
        input: ``"value"``: a numeric answer's own number (negated when lower is better),
            other scales' fixed score; ``"score"``: every scale's fixed score in [0, 1]
            (the indicator then needs one: numeric goalposts).
        stats: The statistics a population-relative method reads, among
            :data:`STATISTICS` (``count``, ``min``, ``max``, ``mean``, ``sd``,
            ``distinct``); ``count`` is always offered, and ``mean`` with ``sd`` (a
            saved population's parts merge their standard deviations through their
            means). Default: all of them (a saved
            population then keeps every distinct value of the method's columns). Not
            allowed for a method that is not population-relative.
        doc: One sentence for the docs and the schema.
        formula: One line for the methodology table.
        replace: Replace a method of the same name.
        provider: Who provides it (default: the installed distribution of ``func``'s
            module, ``"readiness-model"`` for the built-ins).

    Returns:
        The registered :class:`NormalizationSpec`.

    Raises:
        ValueError: a bad name, parameter list or statistic, or the name is taken
            (without ``replace``).

    Example:
        >>> import numpy as np
        >>> spec = register_normalization(
        ...     "capped", lambda x, cap: np.minimum(x / cap, 1.0), population=False,
        ...     params=[Param("cap", required=True, doc="Value scoring 1.")],
        ...     doc="Share of a cap.", formula="min(x / cap, 1)", provider="my-plugin 1.0")
        >>> spec.name, spec.builtin, normalization("capped") is spec
        ('capped', False, True)
        >>> del _NORMALIZATIONS["capped"]  # keep the example's registry clean
        >>> spec = register_normalization(
        ...     "above_mean", lambda x, ref: (x > ref.mean).astype(float), population=True,
        ...     stats=["mean"], doc="1 above the population mean.", provider="my-plugin 1.0")
        >>> spec.stats
        ('count', 'mean')
        >>> del _NORMALIZATIONS["above_mean"]

    .. versionadded:: 0.2.0
    """
    if input not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)} (got {input!r})")
    if stats is not None and not population:
        raise ValueError(f"{name!r} is not population-relative: it reads no statistics")
    wanted = set(STATISTICS if stats is None else stats)
    unknown = sorted(str(s) for s in wanted - set(STATISTICS))
    if unknown or isinstance(stats, str):
        raise ValueError(
            f"stats of {name!r} must be a list of {', '.join(STATISTICS)} (got {stats!r})"
        )
    spec = NormalizationSpec(
        name=name,
        func=func,
        params=tuple(params),
        doc=doc,
        formula=formula,
        provider=provider or _provider_of(func),
        population=bool(population),
        input=input,
        stats=tuple(s for s in STATISTICS if s in _kept(wanted)) if population else (),
    )
    out: NormalizationSpec = _register(_NORMALIZATIONS, spec, replace)
    return out


def _kept(wanted: set[str]) -> set[str]:
    """The statistics kept for a method that reads ``wanted``: ``count`` always, and
    the ``mean`` with the ``sd`` (:meth:`ColumnStatistics.merge` needs it).

    Example:
        >>> sorted(_kept({"sd"}))
        ['count', 'mean', 'sd']
    """
    return wanted | {"count"} | ({"mean"} if "sd" in wanted else set())


def register_aggregation(
    name: str,
    func: Callable[..., object],
    *,
    params: Sequence[Param] = (),
    doc: str = "",
    formula: str = "",
    explain: Callable[..., object] | None = None,
    replace: bool = False,
    provider: str | None = None,
) -> AggregationSpec:
    """Register an aggregation: how a node combines its children's scores.

    ``func(children, **params)`` receives a
    :class:`~readiness_model.engine.aggregations.Children` (values ``... × N × C``, NaN
    where a child is not included, weights ``... × C × G``: column ``g`` holds node
    ``g``'s child weights, 0 elsewhere) and returns the ``... × N × G`` node scores (NaN
    where a node has no included child); it must not change the values or weights it is
    given (they may be shared: with weight draws, a group's scores combined once are read
    by every block of draws, and are passed read-only). ``explain(x, w, score, seed=...,
    **params)``
    splits one node's ``score`` among its included children (values ``x``, weights ``w``
    > 0) and returns ``(contributions, label)``; without it, explanations use the exact
    (or sampled) Shapley values of ``func`` itself.

    Args:
        name: The name rubrics use (``aggregate: NAME``, ``{NAME: value}`` for a method
            with one parameter, or ``{method: NAME, ...}``).
        func: The function above.
        params: Its parameters.
        doc: One sentence for the docs and the schema.
        formula: One line for the methodology table.
        explain: The attribution rule above, or ``None`` for Shapley values.
        replace: Replace a method of the same name.
        provider: Who provides it (default: the installed distribution of ``func``'s
            module).

    Returns:
        The registered :class:`AggregationSpec`.

    Raises:
        ValueError: a bad name or parameter list, or the name is taken (without
            ``replace``).

    Example:
        >>> spec = register_aggregation("mean2", aggregation("arithmetic").func,
        ...                             doc="The weighted mean, again.")
        >>> spec.name, spec.explain is None
        ('mean2', True)
        >>> del _AGGREGATIONS["mean2"]

    .. versionadded:: 0.2.0
    """
    spec = AggregationSpec(
        name=name,
        func=func,
        params=tuple(params),
        doc=doc,
        formula=formula,
        provider=provider or _provider_of(func),
        explain=explain,
    )
    out: AggregationSpec = _register(_AGGREGATIONS, spec, replace)
    return out


def normalizations() -> tuple[NormalizationSpec, ...]:
    """Every registered normalisation (built-ins first, then plug-ins).

    Example:
        >>> [s.name for s in normalizations() if s.builtin]
        ['goalposts', 'minmax', 'zscore', 'rank', 'percentile', 'target']
    """
    _load(NORMALIZATION_GROUP)
    return tuple(_NORMALIZATIONS.values())


def aggregations() -> tuple[AggregationSpec, ...]:
    """Every registered aggregation (built-ins first, then plug-ins).

    Example:
        >>> [s.name for s in aggregations() if s.builtin]
        ['arithmetic', 'geometric', 'harmonic', 'power', 'minimum']
    """
    _load(AGGREGATION_GROUP)
    return tuple(_AGGREGATIONS.values())


def _lookup(registry: dict[str, Any], group: str, name: object, what: str, path: str) -> Any:
    if isinstance(name, str) and name in registry:
        return registry[name]
    _load(group)
    if isinstance(name, str) and name in registry:
        return registry[name]
    known = list(registry)
    hint = did_you_mean(str(name), known)
    hint += (
        f"; if {name!r} comes from a plug-in, install it (plug-ins register in the "
        f"entry-point group '{group}')"
    )
    if _BROKEN[group]:
        hint += "; " + "; ".join(_BROKEN[group])
    raise RubricError(
        [
            Problem(
                f"unknown {what} {name!r:.80}",
                path,
                expected="one of " + ", ".join(known),
                got=repr(name)[:80],
                hint=hint,
            )
        ]
    )


def normalization(name: str, path: str = "$.method") -> NormalizationSpec:
    """The registered normalisation ``name``.

    Raises:
        RubricError: no such method (located at ``path``), with a did-you-mean hint and
            the advice that a plug-in may be missing.

    Example:
        >>> normalization("percentile").population
        True
        >>> try:
        ...     normalization("zscroe")
        ... except RubricError as err:
        ...     print(err.problems[0].hint.split(";")[0])
        did you mean 'zscore'?
    """
    spec: NormalizationSpec = _lookup(
        _NORMALIZATIONS, NORMALIZATION_GROUP, name, "normalisation", path
    )
    return spec


def aggregation(name: str, path: str = "$.method") -> AggregationSpec:
    """The registered aggregation ``name``.

    Raises:
        RubricError: no such method (located at ``path``), with a did-you-mean hint and
            the advice that a plug-in may be missing.

    Example:
        >>> aggregation("minimum").name
        'minimum'
        >>> try:
        ...     aggregation("median")
        ... except RubricError as err:
        ...     print(err.problems[0].message)
        unknown aggregation 'median'
    """
    spec: AggregationSpec = _lookup(_AGGREGATIONS, AGGREGATION_GROUP, name, "aggregation", path)
    return spec
