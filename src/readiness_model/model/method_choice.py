"""A rubric's choice of method: a registered normalisation or aggregation with its
parameters, and its YAML form (read and written here, described by the registry).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import RubricError
from ._validators import fail
from .methods import (
    AggregationSpec,
    NormalizationSpec,
    aggregation,
    aggregations,
    normalization,
    normalizations,
)

__all__ = ["Aggregation", "Normalization"]

Params = tuple[tuple[str, Any], ...]


def _given(
    params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None, **extra: Any
) -> dict[str, Any]:
    if params is not None and not isinstance(params, Mapping | Iterable):
        raise fail(f"'params' must be a mapping (got {params!r:.80})", "$.params")
    try:
        given = dict(params or {})
    except (TypeError, ValueError):  # not name/value pairs
        raise fail(f"'params' must be a mapping (got {params!r:.80})", "$.params") from None
    if not all(isinstance(k, str) for k in given):
        raise fail(f"'params' must be named by text (got {params!r:.80})", "$.params")
    given.update({k: v for k, v in extra.items() if v is not None})
    return given


def _repath(err: RubricError, old: str, new: str) -> RubricError:
    """``err`` with paths starting ``old`` moved to ``new`` (YAML shapes differ from
    the Python arguments)."""
    return RubricError(
        [
            attrs.evolve(p, path=new + p.path[len(old) :]) if p.path.startswith(old) else p
            for p in err.problems
        ]
    )


def _method_data(
    method: str, params: Params, spec: NormalizationSpec | AggregationSpec, *, short: bool = False
) -> Any:
    """The name alone when every parameter has its default; ``{NAME: value}`` when
    ``short`` and the method has one parameter; else ``{method: NAME, PARAM: value}``."""
    defaults = {p.name: p.default for p in spec.params}
    shown = {k: v for k, v in params if v != defaults.get(k)}
    if not shown:
        return method
    if short and len(spec.params) == 1:
        return {method: next(iter(shown.values()))}
    return {"method": method, **shown}


@attrs.frozen(slots=True, init=False)
class Normalization:
    """How an indicator's answers become scores in [0, 1]: a registered method and its
    parameters.

    ``goalposts`` uses the scale's fixed mapping; ``minmax``, ``zscore``, ``rank``,
    ``percentile`` and ``target`` are relative to the rubric's population in each period
    (docs/methodology.md); plug-ins add others (:func:`register_normalization`).

    Args:
        method: A registered normalisation name.
        params: Its parameters by name (checked and converted by the registry).
        target: Shorthand for ``params={"target": ...}``.

    Raises:
        RubricError: an unknown method (did you mean...? a missing plug-in?) or a
            missing, unknown or invalid parameter, located below ``$``.

    Example:
        >>> Normalization("zscore").to_data()
        'zscore'
        >>> n = Normalization("target", target=95)
        >>> n.params, n.target, n.to_data()
        ((('target', 95.0),), 95.0, {'method': 'target', 'target': 95.0})

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 any registered method, with ``params``.
    """

    method: str
    params: Params

    def __init__(
        self,
        method: str = "goalposts",
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        *,
        target: float | None = None,
    ) -> None:
        spec = normalization(method)
        self.__attrs_init__(spec.name, spec.convert_params(_given(params, target=target)))

    @property
    def spec(self) -> NormalizationSpec:
        """The registered method.

        Example:
            >>> Normalization("rank").spec.doc
            'Share of the population strictly below the answer, capped at 1.'
        """
        return normalization(self.method)

    @property
    def target(self) -> float | None:
        """The ``target`` parameter, or ``None``.

        Example:
            >>> Normalization("target", target=80).target, Normalization().target
            (80.0, None)
        """
        value: float | None = dict(self.params).get("target")
        return value

    @property
    def population_relative(self) -> bool:
        """True when scores depend on the other agencies' answers.

        Example:
            >>> Normalization("rank").population_relative, Normalization().population_relative
            (True, False)
        """
        return self.spec.population

    def to_data(self) -> str | dict[str, Any]:
        """Plain data: the method name, or a mapping with its parameters.

        Example:
            >>> Normalization().to_data(), Normalization("target", target=80).to_data()
            ('goalposts', {'method': 'target', 'target': 80.0})
        """
        out: str | dict[str, Any] = _method_data(self.method, self.params, self.spec)
        return out

    @classmethod
    def from_data(cls, data: object) -> Normalization:
        """Read the YAML form: ``NAME`` or ``{method: NAME, PARAM: value, ...}``.

        Raises one :class:`RubricError` with every problem, paths relative to the value.

        Example:
            >>> Normalization.from_data({"method": "target", "target": 80}).target
            80.0
            >>> try:
            ...     Normalization.from_data({"method": "target", "traget": 80})
            ... except RubricError as err:
            ...     problems = err.problems
            >>> [(p.message, p.path) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
            [("unknown parameter 'traget' of 'target' (takes target)", '$.traget'),
             ("'target' needs the parameter 'target'", '$')]
        """
        if isinstance(data, str):
            try:
                return cls(data)
            except RubricError as err:
                raise _repath(err, "$.method", "$") from None
        if isinstance(data, Mapping):
            method = data.get("method")
            if not isinstance(method, str):
                raise fail(
                    f"'normalize' needs a 'method' name (got {method!r:.80})",
                    "$.method" if "method" in data else "$",
                    expected="a normalisation name",
                )
            return cls(method, {k: v for k, v in data.items() if k != "method"})
        raise fail(
            f"'normalize' must be a method name or a mapping with 'method' (got {data!r:.80})",
            "$",
            expected="a name or a mapping",
        )

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """The JSON-Schema fragment of the YAML form, from the registry.

        Example:
            >>> s = Normalization.schema()
            >>> s["oneOf"][0]["enum"][:3], s["oneOf"][-1]["required"]
            (['goalposts', 'minmax', 'zscore'], ['method', 'target'])
        """
        return _schema("How answers become scores in [0, 1].", normalizations(), shorthand=False)


@attrs.frozen(slots=True, init=False)
class Aggregation:
    """How a node combines its children's scores: a registered method and its parameters.

    ``arithmetic``, ``geometric``, ``harmonic`` and ``power`` (with exponent ``p``) are
    weighted means; ``minimum`` takes the lowest applicable child (weights only decide
    which children count: a zero weight drops a child); plug-ins add others
    (:func:`register_aggregation`).

    Args:
        method: A registered aggregation name.
        params: Its parameters by name.
        p: Shorthand for ``params={"p": ...}`` (the power mean's exponent).

    Raises:
        RubricError: an unknown method or a missing, unknown or invalid parameter.

    Example:
        >>> Aggregation("power", p=2.0).to_data()
        {'power': 2.0}
        >>> Aggregation("geometric").to_data()
        'geometric'

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 any registered method, with ``params``.
    """

    method: str
    params: Params

    def __init__(
        self,
        method: str = "arithmetic",
        params: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        *,
        p: float | None = None,
    ) -> None:
        spec = aggregation(method)
        self.__attrs_init__(spec.name, spec.convert_params(_given(params, p=p)))

    @property
    def spec(self) -> AggregationSpec:
        """The registered method.

        Example:
            >>> Aggregation("harmonic").spec.formula
            '`W / Σ (w_c / s_c)`'
        """
        return aggregation(self.method)

    @property
    def p(self) -> float | None:
        """The ``p`` parameter (power mean exponent), or ``None``.

        Example:
            >>> Aggregation("power", p=0.5).p, Aggregation().p
            (0.5, None)
        """
        value: float | None = dict(self.params).get("p")
        return value

    def to_data(self) -> str | dict[str, Any]:
        """Plain data: the method name; ``{NAME: value}`` for a method of one parameter
        (``{power: p}``); else ``{method: NAME, ...}``.

        Example:
            >>> Aggregation().to_data(), Aggregation("power", p=0.5).to_data()
            ('arithmetic', {'power': 0.5})
        """
        out: str | dict[str, Any] = _method_data(self.method, self.params, self.spec, short=True)
        return out

    @classmethod
    def from_data(cls, data: object) -> Aggregation:
        """Read the YAML form: ``NAME``, ``{NAME: value}`` (a method of one parameter,
        like ``{power: 2}``) or ``{method: NAME, PARAM: value, ...}``.

        Raises one :class:`RubricError` with every problem, paths relative to the value.

        Example:
            >>> Aggregation.from_data({"power": 2}).p
            2.0
            >>> try:
            ...     Aggregation.from_data({"power": "two"})
            ... except RubricError as err:
            ...     print(err.problems[0])
            'p' must be a finite number (got 'two') @ $.power
        """
        if isinstance(data, str):
            try:
                return cls(data)
            except RubricError as err:
                raise _repath(err, "$.method", "$") from None
        if isinstance(data, Mapping) and "method" in data:
            method = data["method"]
            if not isinstance(method, str):
                raise fail(
                    f"'aggregate' needs a 'method' name (got {method!r:.80})",
                    "$.method",
                    expected="an aggregation name",
                )
            return cls(method, {k: v for k, v in data.items() if k != "method"})
        if isinstance(data, Mapping) and len(data) == 1:
            ((key, value),) = data.items()
            spec = aggregation(str(key), path=f"$.{key}")
            if len(spec.params) != 1:
                raise fail(
                    f"{{{key}: ...}} is only for a method of one parameter; "
                    f"write {{method: {key}, ...}}",
                    f"$.{key}",
                )
            name = spec.params[0].name
            try:
                return cls(spec.name, {name: value})
            except RubricError as err:
                raise _repath(err, f"$.{name}", f"$.{key}") from None
        raise fail(
            f"'aggregate' must be a method name, {{NAME: value}} or a mapping with 'method' "
            f"(got {data!r:.80})",
            "$",
            expected="a name or a mapping",
        )

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """The JSON-Schema fragment of the YAML form, from the registry.

        Example:
            >>> s = Aggregation.schema()
            >>> s["oneOf"][0]["enum"], [b["required"] for b in s["oneOf"][4:6]]
            (['arithmetic', 'geometric', 'harmonic', 'minimum'], [['power'], ['method', 'p']])
        """
        return _schema("How a node combines its children.", aggregations(), shorthand=True)


def _schema(
    description: str,
    specs: Sequence[NormalizationSpec] | Sequence[AggregationSpec],
    *,
    shorthand: bool,
) -> dict[str, Any]:
    names = [s.name for s in specs if not any(p.required for p in s.params)]
    branches: list[dict[str, Any]] = [{"type": "string", "enum": names}]
    for s in specs:
        props = {
            p.name: {**p.schema, "description": p.doc} if p.doc else p.schema for p in s.params
        }
        required = [p.name for p in s.params if p.required]
        if shorthand and len(s.params) == 1:
            (p,) = s.params
            branches.append(
                {
                    "type": "object",
                    "description": s.doc,
                    "properties": {s.name: props[p.name]},
                    "required": [s.name],
                    "additionalProperties": False,
                }
            )
        branches.append(
            {
                "type": "object",
                "description": s.doc,
                "properties": {"method": {"const": s.name, "description": "The method."}, **props},
                "required": ["method", *required],
                "additionalProperties": False,
            }
        )
    return {"description": description, "oneOf": branches}
