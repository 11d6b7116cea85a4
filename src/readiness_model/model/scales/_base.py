"""What every answer scale is: the :class:`Scale` protocol and the engine's three forms."""

from __future__ import annotations

import abc
import math
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from .._format import object_schema, to_data, yaml_keys

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["BitSum", "EngineForm", "Linear", "Lookup", "Scale"]


@attrs.frozen(slots=True)
class Linear:
    """Engine form: score ``clamp((x - lo) / (hi - lo), 0, 1)`` of the stored value ``x``.

    Example:
        >>> Linear(0.0, 4.0)
        Linear(lo=0.0, hi=4.0)
    """

    lo: float
    hi: float


@attrs.frozen(slots=True)
class Lookup:
    """Engine form: score ``table[int(x)]`` of the stored index ``x``.

    Example:
        >>> Lookup((0.0, 0.5, 1.0)).table[1]
        0.5
    """

    table: tuple[float, ...]


@attrs.frozen(slots=True)
class BitSum:
    """Engine form: score ``min(1, sum of values[i] over the set bits i of x)``.

    Example:
        >>> BitSum((0.5, 0.5)).values
        (0.5, 0.5)
    """

    values: tuple[float, ...]


EngineForm = Linear | Lookup | BitSum

_PARTS = ("parse", "expected", "written", "valid", "engine_form", "stored_values", "answers")


class Scale(abc.ABC):
    """An answer scale: how a raw answer becomes a stored float, and that a score.

    A scale type is a frozen attrs class that subclasses ``Scale``, sets the class
    variables ``type`` (its name in YAML) and ``continuous`` (whether the stored value
    is a free number), gives every field YAML metadata (``metadata=key(...)``, see
    ``readiness_model.model._format``), implements the abstract methods below, and is
    registered with :func:`~readiness_model.model.scales.register_scale`. A class that
    misses a part fails when it is defined, not at a user's first run (a shared base of
    several scale types says so: ``class MyBase(Scale, abstract=True)``).

    Everything else is derived: :meth:`score` from :meth:`engine_form`, :meth:`render`
    from :meth:`written`, :meth:`to_data`, :meth:`schema` and :meth:`yaml_keys` from the
    fields, and :meth:`stored` from :meth:`answers`.

    Example:
        >>> from readiness_model.model.scales import BinaryScale
        >>> s = BinaryScale()
        >>> isinstance(s, Scale), s.parse("yes"), s.written(0.0), s.engine_form()
        (True, 1.0, 'no', Linear(lo=0.0, hi=1.0))

    .. versionadded:: 0.2.0
    """

    __slots__ = ()

    type: ClassVar[str]
    """The scale's name in YAML (``scale: {type: ...}``)."""
    continuous: ClassVar[bool]
    """True when the stored value is a free number (answers are not drawn from a set)."""

    def __init_subclass__(cls, *, abstract: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if abstract:
            cls._abstract_scale = True  # type: ignore[attr-defined]
        if cls.__dict__.get("_abstract_scale", False):
            return
        name = cls.__dict__.get("type", getattr(cls, "type", None))
        if not isinstance(name, str) or not name.isidentifier():
            raise TypeError(f"scale class {cls.__name__} must set 'type' to a name (got {name!r})")
        if not isinstance(getattr(cls, "continuous", None), bool):
            raise TypeError(f"scale class {cls.__name__} must set 'continuous' to True or False")
        missing = [p for p in _PARTS if getattr(getattr(cls, p), "__isabstractmethod__", False)]
        if missing:
            raise TypeError(f"scale class {cls.__name__} does not implement {', '.join(missing)}")

    # -- the parts every scale implements ----------------------------------------------
    @abc.abstractmethod
    def parse(self, raw: object) -> float:
        """The stored value of a raw answer; ``ValueError(expected())`` when it is not one.

        Example:
            >>> from readiness_model.model.scales import OrdinalScale
            >>> OrdinalScale(levels=("none", "all")).parse("all")
            1.0
        """

    @abc.abstractmethod
    def expected(self) -> str:
        """The accepted answers, in words (shown after "expected").

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> BinaryScale().expected()
            'yes/no (also true/false, 1/0)'
        """

    @abc.abstractmethod
    def written(self, stored: float) -> str | float:
        """The stored value as a person writes the answer (a number stays a float).

        Example:
            >>> from readiness_model.model.scales import ChecklistScale
            >>> ChecklistScale(items=("a", "b")).written(3.0)
            'a|b'
        """

    @abc.abstractmethod
    def valid(self, col: np.ndarray) -> np.ndarray:
        """Which stored values (a float array without NaN) the scale can hold.

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> BinaryScale().valid(np.array([1.0, 2.0])).tolist()
            [True, False]
        """

    @abc.abstractmethod
    def engine_form(self) -> EngineForm | None:
        """How the engine scores stored values; ``None``: only relative to a population.

        Example:
            >>> from readiness_model.model.scales import ChoiceScale
            >>> ChoiceScale(options=("a", "b"), values=(0, 1)).engine_form()
            Lookup(table=(0.0, 1.0))
        """

    @abc.abstractmethod
    def stored_values(self) -> list[float]:
        """The stored values worth proposing as answers (gap search).

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> BinaryScale().stored_values()
            [0.0, 1.0]
        """

    @abc.abstractmethod
    def answers(self) -> SearchStrategy[Any]:
        """A hypothesis strategy of valid answers as written (import hypothesis lazily).

        Example:
            >>> from readiness_model.model.scales import OrdinalScale
            >>> from hypothesis import find
            >>> find(OrdinalScale(levels=("none", "all")).answers(), lambda a: True)
            'none'
        """

    @classmethod
    def instances(cls, *, fixed: bool = False) -> SearchStrategy[Scale]:
        """A hypothesis strategy of valid scales of this type (``fixed``: each with an
        engine form). The default draws the scale built with no arguments.

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> from hypothesis import find
            >>> find(BinaryScale.instances(), lambda s: True)
            BinaryScale()
        """
        from hypothesis import strategies as st

        return st.builds(cls)

    # -- derived -----------------------------------------------------------------------
    def score(self, stored: float) -> float:
        """Score in [0, 1] of a stored value, by the engine form.

        Raises ``ValueError`` for a scale without a fixed score.

        Example:
            >>> from readiness_model.model.scales import OrdinalScale
            >>> OrdinalScale(levels=("none", "some", "most", "all")).score(2.0)
            0.6666666666666666
        """
        form = self.engine_form()
        if isinstance(form, Linear):
            return min(1.0, max(0.0, (stored - form.lo) / (form.hi - form.lo)))
        if isinstance(form, Lookup):
            return form.table[int(stored)]
        if isinstance(form, BitSum):
            m = int(stored)
            return min(1.0, math.fsum(v for i, v in enumerate(form.values) if m >> i & 1))
        raise ValueError(f"a {self.type} scale {self.to_data()} has no fixed score")

    def render(self, stored: float) -> str:
        """The written answer as text (a number as its exact ``repr``).

        Example:
            >>> from readiness_model.model.scales import NumericScale
            >>> NumericScale(goalposts=(0, 1)).render(0.1 + 0.2)
            '0.30000000000000004'
        """
        w = self.written(stored)
        return w if isinstance(w, str) else repr(float(w))

    def added_items(self, before: float | None, after: float) -> tuple[str, ...]:
        """The parts of an answer that going from ``before`` to ``after`` adds (checklist
        items); ``()`` for single-valued scales.

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> BinaryScale().added_items(0.0, 1.0)
            ()
        """
        return ()

    def candidates(self, current: float | None) -> list[float]:
        """Stored values a search may propose instead of ``current`` (``None``:
        unanswered); the caller keeps those that score better.

        Example:
            >>> from readiness_model.model.scales import OrdinalScale
            >>> OrdinalScale(levels=("none", "some", "all")).candidates(1.0)
            [0.0, 1.0, 2.0]
        """
        return self.stored_values()

    def stored(self) -> SearchStrategy[float]:
        """A hypothesis strategy of valid stored values (parsed :meth:`answers`).

        Example:
            >>> from readiness_model.model.scales import ChoiceScale
            >>> from hypothesis import find
            >>> find(ChoiceScale(options=("a", "b"), values=(0, 1)).stored(), lambda x: x > 0)
            1.0
        """
        return self.answers().map(self.parse)

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON: ``type``, then each field not at its default.

        Example:
            >>> from readiness_model.model.scales import NumericScale
            >>> NumericScale(goalposts=(90, 100), unit="%").to_data()
            {'type': 'numeric', 'goalposts': [90.0, 100.0], 'unit': '%'}
        """
        return {"type": self.type, **to_data(self)}

    @classmethod
    def yaml_keys(cls) -> tuple[str, ...]:
        """The keys a scale mapping of this type accepts.

        Example:
            >>> from readiness_model.model.scales import OrdinalScale
            >>> OrdinalScale.yaml_keys()
            ('type', 'levels', 'values')
        """
        return ("type", *yaml_keys(cls))

    @classmethod
    def schema(cls, defs: dict[str, Any] | None = None) -> dict[str, Any]:
        """JSON-Schema fragment of a scale mapping of this type.

        Example:
            >>> from readiness_model.model.scales import BinaryScale
            >>> BinaryScale.schema()["properties"]["type"]
            {'const': 'binary', 'description': 'The scale type.'}
        """
        extra = [("type", {"const": cls.type, "description": "The scale type."})]
        return object_schema(cls, {} if defs is None else defs, extra)
