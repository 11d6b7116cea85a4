"""What the registries hold: a method's parameters (:class:`Param`) and its spec.

>>> BUILTIN
'readiness-model'

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import Problem, RubricError, did_you_mean
from ._validators import fail, is_number

__all__ = [
    "BUILTIN",
    "STATISTICS",
    "AggregationSpec",
    "NormalizationSpec",
    "Param",
    "finite_number",
]

BUILTIN = "readiness-model"  # the provider of the methods that ship with the library
STATISTICS = ("count", "min", "max", "mean", "sd", "distinct")
"""The column statistics a population-relative method may read (and a population keeps)."""


def finite_number(value: object) -> float:
    """The default parameter converter: a finite number, as a float.

    Raises ``ValueError`` with the expectation, which :meth:`Param.convert` turns into a
    located rubric error.

    Example:
        >>> finite_number(3), finite_number(2.5)
        (3.0, 2.5)
    """
    if not is_number(value):
        raise ValueError("a finite number")
    try:
        x = float(value)  # type: ignore[arg-type]
    except OverflowError:
        raise ValueError("a finite number") from None
    if not math.isfinite(x):
        raise ValueError("a finite number")
    return x


@attrs.frozen(slots=True)
class Param:
    """One parameter of a method: its name, whether it is required, and how it is read.

    Attributes:
        name: The YAML key (``target``), also the keyword the function receives.
        required: A rubric must give it; otherwise ``default`` is used (``None``: absent).
        default: Value when not given.
        doc: One line for the docs and the JSON Schema.
        schema: JSON-Schema fragment of its value (default: a number).
        converter: Turns the YAML value into the stored one; raises ``ValueError`` whose
            text is the expectation (default: :func:`finite_number`). The result must be
            hashable (a rubric is).
        answer_units: The value is on the answer's own scale (like ``target``): it is
            negated with the answer when the indicator's direction is lower-is-better.

    Example:
        >>> p = Param("base", default=10.0, doc="Logarithm base.")
        >>> p.convert(2), p.schema
        (2.0, {'type': 'number'})

    .. versionadded:: 0.2.0
    """

    name: str
    required: bool = False
    default: Any = None
    doc: str = ""
    schema: dict[str, Any] = attrs.field(factory=lambda: {"type": "number"}, hash=False)
    converter: Callable[[Any], Any] = finite_number
    answer_units: bool = False

    def convert(self, value: object) -> Any:
        """The stored value of ``value``; a located :class:`RubricError` when invalid.

        Example:
            >>> try:
            ...     Param("base").convert("ten")
            ... except RubricError as err:
            ...     print(err.problems[0])
            'base' must be a finite number (got 'ten') @ $.base
        """
        try:
            return self.converter(value)
        except (ValueError, TypeError, OverflowError) as err:
            expected = str(err) or "valid"
            raise fail(
                f"{self.name!r} must be {expected} (got {value!r:.80})",
                f"$.{self.name}",
                expected=expected,
                got=value,
            ) from None


@attrs.frozen(slots=True, eq=False)
class _Spec:
    name: str
    func: Callable[..., Any]
    params: tuple[Param, ...]
    doc: str
    formula: str
    provider: str

    @property
    def builtin(self) -> bool:
        """True for the methods that ship with the library.

        Example:
            >>> from readiness_model.model.methods import normalization
            >>> normalization("rank").builtin
            True
        """
        return self.provider == BUILTIN

    def convert_params(
        self, given: Mapping[str, Any], path: str = "$"
    ) -> tuple[tuple[str, Any], ...]:
        """Checked parameters in declaration order, defaults filled in.

        Raises one :class:`RubricError` holding every problem (unknown, missing or invalid
        parameters), with paths below ``path``.

        Example:
            >>> from readiness_model.model.methods import normalization
            >>> normalization("target").convert_params({"target": 80})
            (('target', 80.0),)
        """
        names = [p.name for p in self.params]
        problems: list[Problem] = []
        for key in given:
            if key not in names:
                where = "takes no parameters" if not names else f"takes {', '.join(names)}"
                problems.append(
                    Problem(
                        f"unknown parameter {key!r} of {self.name!r} ({where})",
                        f"{path}.{key}" if isinstance(key, str) else path,
                        hint=did_you_mean(str(key), names) if names else "remove it",
                    )
                )
        out: list[tuple[str, Any]] = []
        for p in self.params:
            if p.name in given:
                try:
                    out.append((p.name, p.convert(given[p.name])))
                except RubricError as err:
                    problems += [attrs.evolve(q, path=path + q.path[1:]) for q in err.problems]
            elif p.required:
                problems.append(
                    Problem(
                        f"{self.name!r} needs the parameter {p.name!r}",
                        path,
                        expected=p.doc or f"a {p.name!r} value",
                        hint=f"add '{p.name}: ...'",
                    )
                )
            elif p.default is not None:
                out.append((p.name, p.default))
        if problems:
            raise RubricError(problems)
        return tuple(out)


@attrs.frozen(slots=True, eq=False)
class NormalizationSpec(_Spec):
    """A registered normalisation (see :func:`register_normalization`).

    Example:
        >>> from readiness_model.model.methods import normalization
        >>> s = normalization("zscore")
        >>> s.name, s.population, s.input, s.provider
        ('zscore', True, 'value', 'readiness-model')
        >>> s.stats
        ('count', 'min', 'max', 'mean', 'sd')

    .. versionadded:: 0.2.0
    """

    population: bool = False
    input: str = "value"
    stats: tuple[str, ...] = ()


@attrs.frozen(slots=True, eq=False)
class AggregationSpec(_Spec):
    """A registered aggregation (see :func:`register_aggregation`).

    Example:
        >>> from readiness_model.model.methods import aggregation
        >>> s = aggregation("geometric")
        >>> s.name, s.params, s.explain is not None
        ('geometric', (), True)

    .. versionadded:: 0.2.0
    """

    explain: Callable[..., Any] | None = None
