"""A rubric's choice of method: a registered normalisation or aggregation with its
parameters, and its YAML form (read and written here, described by the registry).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, TypeVar

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


_C = TypeVar("_C", bound="_MethodChoice")


class _MethodChoice:
    """What :class:`Normalization` and :class:`Aggregation` share: a registered method
    with its parameters, read from and written to YAML by the registry's description."""

    __slots__ = ()
    _KEY: ClassVar[str]  # the rubric key: 'normalize' or 'aggregate'
    _KIND: ClassVar[str]  # 'normalisation' or 'aggregation'
    _SHORTHAND: ClassVar[bool]  # whether {NAME: value} names a method of one parameter
    _DESCRIPTION: ClassVar[str]
    method: str
    params: Params

    @classmethod
    def _spec_of(cls, name: str, path: str = "$.method") -> Any:
        raise NotImplementedError

    @classmethod
    def _specs(cls) -> Sequence[Any]:
        raise NotImplementedError

    @property
    def spec(self) -> Any:
        """The registered method (:class:`NormalizationSpec` or :class:`AggregationSpec`).

        Example:
            >>> Normalization("rank").spec.doc
            'Share of the population strictly below the answer, capped at 1.'
            >>> Aggregation("harmonic").spec.formula
            '`W / Σ (w_c / s_c)`'
        """
        return self._spec_of(self.method)

    def to_data(self) -> str | dict[str, Any]:
        """Plain data: the method name when every parameter has its default; for an
        aggregation of one parameter ``{NAME: value}`` (``{power: p}``); else
        ``{method: NAME, PARAM: value, ...}``.

        Example:
            >>> Normalization().to_data(), Normalization("target", target=80).to_data()
            ('goalposts', {'method': 'target', 'target': 80.0})
            >>> Aggregation().to_data(), Aggregation("power", p=0.5).to_data()
            ('arithmetic', {'power': 0.5})
        """
        out: str | dict[str, Any] = _method_data(
            self.method, self.params, self.spec, short=self._SHORTHAND
        )
        return out

    @classmethod
    def from_data(cls: type[_C], data: object) -> _C:
        """Read the YAML form: ``NAME``, ``{method: NAME, PARAM: value, ...}``, and for an
        aggregation of one parameter ``{NAME: value}`` (``{power: 2}``).

        Raises one :class:`RubricError` with every problem, paths relative to the value.

        Example:
            >>> Normalization.from_data({"method": "target", "target": 80}).target
            80.0
            >>> Aggregation.from_data({"power": 2}).p
            2.0
            >>> try:
            ...     Normalization.from_data({"method": "target", "traget": 80})
            ... except RubricError as err:
            ...     problems = err.problems
            >>> [(p.message, p.path) for p in problems]  # doctest: +NORMALIZE_WHITESPACE
            [("unknown parameter 'traget' of 'target' (takes target)", '$.traget'),
             ("'target' needs the parameter 'target'", '$')]
            >>> try:
            ...     Aggregation.from_data({"power": "two"})
            ... except RubricError as err:
            ...     print(err.problems[0])
            'p' must be a finite number (got 'two') @ $.power
        """
        if isinstance(data, str):
            try:
                return cls._make(data, None)
            except RubricError as err:
                raise _repath(err, "$.method", "$") from None
        if isinstance(data, Mapping) and ("method" in data or not cls._SHORTHAND):
            method = data.get("method")
            if not isinstance(method, str):
                raise fail(
                    f"{cls._KEY!r} needs a 'method' name (got {method!r:.80})",
                    "$.method" if "method" in data else "$",
                    expected=f"a{'n' if cls._KIND[0] in 'aeiou' else ''} {cls._KIND} name",
                )
            return cls._make(method, {k: v for k, v in data.items() if k != "method"})
        if isinstance(data, Mapping) and len(data) == 1:
            ((key, value),) = data.items()
            spec = cls._spec_of(str(key), path=f"$.{key}")
            if len(spec.params) != 1:
                raise fail(
                    f"{{{key}: ...}} is only for a method of one parameter; "
                    f"write {{method: {key}, ...}}",
                    f"$.{key}",
                )
            name = spec.params[0].name
            try:
                return cls._make(spec.name, {name: value})
            except RubricError as err:
                raise _repath(err, f"$.{name}", f"$.{key}") from None
        shapes = "a method name, {NAME: value}" if cls._SHORTHAND else "a method name"
        raise fail(
            f"{cls._KEY!r} must be {shapes} or a mapping with 'method' (got {data!r:.80})",
            "$",
            expected="a name or a mapping",
        )

    @classmethod
    def _make(cls: type[_C], method: str, params: Mapping[str, Any] | None) -> _C:
        out = cls.__new__(cls)
        spec = cls._spec_of(method)
        out.__attrs_init__(spec.name, spec.convert_params(_given(params)))  # type: ignore[attr-defined]
        return out

    @classmethod
    def schema(cls) -> dict[str, Any]:
        """The JSON-Schema fragment of the YAML form, from the registry.

        Example:
            >>> s = Normalization.schema()
            >>> s["oneOf"][0]["enum"][:3], s["oneOf"][-1]["required"]
            (['goalposts', 'minmax', 'zscore'], ['method', 'target'])
            >>> s = Aggregation.schema()
            >>> s["oneOf"][0]["enum"], [b["required"] for b in s["oneOf"][4:6]]
            (['arithmetic', 'geometric', 'harmonic', 'minimum'], [['power'], ['method', 'p']])
        """
        return _schema(cls._DESCRIPTION, cls._specs(), shorthand=cls._SHORTHAND)


@attrs.frozen(slots=True, init=False)
class Normalization(_MethodChoice):
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

    _KEY: ClassVar[str] = "normalize"
    _KIND: ClassVar[str] = "normalisation"
    _SHORTHAND: ClassVar[bool] = False
    _DESCRIPTION: ClassVar[str] = "How answers become scores in [0, 1]."

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

    @classmethod
    def _spec_of(cls, name: str, path: str = "$.method") -> NormalizationSpec:
        return normalization(name, path=path)

    @classmethod
    def _specs(cls) -> Sequence[NormalizationSpec]:
        return normalizations()

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
        return bool(self.spec.population)


@attrs.frozen(slots=True, init=False)
class Aggregation(_MethodChoice):
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

    _KEY: ClassVar[str] = "aggregate"
    _KIND: ClassVar[str] = "aggregation"
    _SHORTHAND: ClassVar[bool] = True
    _DESCRIPTION: ClassVar[str] = "How a node combines its children."

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

    @classmethod
    def _spec_of(cls, name: str, path: str = "$.method") -> AggregationSpec:
        return aggregation(name, path=path)

    @classmethod
    def _specs(cls) -> Sequence[AggregationSpec]:
        return aggregations()

    @property
    def p(self) -> float | None:
        """The ``p`` parameter (power mean exponent), or ``None``.

        Example:
            >>> Aggregation("power", p=0.5).p, Aggregation().p
            (0.5, None)
        """
        value: float | None = dict(self.params).get("p")
        return value


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
