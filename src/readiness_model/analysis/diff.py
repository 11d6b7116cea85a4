"""What did my edit do? Differences between two rubrics, and how every agency moves.

Nodes and indicators are matched by id. Structural and method changes are listed one per
field; weights are compared as nominal shares (a child's weight over its siblings') and
effective weights (its share of the overall score: the product of the nominal shares on
the path from the root). With answers, both rubrics score them and every agency-period's
score, rank and band are compared.
"""

from __future__ import annotations

import math
from typing import Any

import attrs

from .._args import require
from .._tabular import Record, Tabular
from ..engine import score
from ..model import Dimension, Indicator, Rubric
from ..responses import Period, ResponseSet
from ._diff_parts import restrict as _restrict
from ._diff_parts import settings as _settings
from ._diff_parts import source as _source
from ._tables import diff_headline, diff_records

__all__ = ["Change", "Movement", "RubricChange", "RubricDiff", "WeightChange", "diff_rubrics"]


@attrs.frozen(slots=True)
class RubricChange:
    """One difference: ``kind`` added / removed / changed, of ``target`` (indicator,
    dimension, rubric, band, trend, group, examples) ``id``; ``field``, ``old`` and ``new``
    for a change.

    Example:
        >>> import readiness_model as rm
        >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
        >>> new = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> c = rm.diff_rubrics(old, new).changes[0]
        >>> isinstance(c, rm.RubricChange), c.kind, c.target, c.id, c.new
        (True, 'added', 'indicator', 'b', 'd')

    .. versionadded:: 0.1.0
    """

    kind: str
    target: str
    id: str
    field: str = ""
    old: object = None
    new: object = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.target} {self.id!r}" + (f" in {self.new!r}" if self.new else "")
        if self.kind == "removed":
            return f"- {self.target} {self.id!r}" + (f" from {self.old!r}" if self.old else "")
        return f"~ {self.target} {self.id!r} {self.field}: {_show(self.old)} -> {_show(self.new)}"


@attrs.frozen(slots=True)
class WeightChange:
    """Nominal share among siblings and effective share of the overall score, old and new
    (NaN where the node does not exist).

    Example:
        >>> import attrs, readiness_model as rm
        >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> new = attrs.evolve(old, dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> w = rm.diff_rubrics(old, new).weights[0]
        >>> isinstance(w, rm.WeightChange), w.id, w.old_effective, w.new_effective
        (True, 'a', 0.5, 0.75)

    .. versionadded:: 0.1.0
    """

    id: str
    target: str
    old_nominal: float
    new_nominal: float
    old_effective: float
    new_effective: float


@attrs.frozen(slots=True)
class Movement:
    """How one agency-period moves (``None`` rank: not ranked; NaN score: no score).

    Example:
        >>> import attrs, readiness_model as rm
        >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> new = attrs.evolve(old, dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 0]], ["x"], old)
        >>> m = rm.diff_rubrics(old, new, rs).movements[0]
        >>> isinstance(m, rm.Movement), m.agency, m.old_overall, m.new_overall, m.delta
        (True, 'x', 50.0, 75.0, 25.0)

    .. versionadded:: 0.1.0
    """

    agency: str
    period: Period
    old_overall: float
    new_overall: float
    delta: float
    old_rank: int | None
    new_rank: int | None
    old_band: str | None
    new_band: str | None


#: The former name of :class:`RubricChange`.
Change = RubricChange


@attrs.frozen(slots=True, repr=False)
class RubricDiff(Tabular):
    """The differences between two rubrics (and, with answers, their effect).

    Attributes:
        changes: Every structural change (:class:`RubricChange`), rubric fields first.
        weights: Nominal and effective shares of every node whose share changed.
        movements: One :class:`Movement` per agency-period, when answers were given.
        unreadable: Answers a changed scale could not read (they became missing).

    Example:
        >>> import attrs, readiness_model as rm
        >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> new = attrs.evolve(old, dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> d = rm.diff_rubrics(old, new)
        >>> [(w.id, w.old_nominal, w.new_nominal) for w in d.weights]
        [('a', 0.5, 0.75), ('b', 0.5, 0.25)]

    .. versionadded:: 0.1.0
    """

    old_id: str
    new_id: str
    changes: tuple[RubricChange, ...]
    weights: tuple[WeightChange, ...]
    movements: tuple[Movement, ...] | None = None
    unreadable: tuple[str, ...] = ()

    def movers(self, n: int = 10) -> list[Movement]:
        """The ``n`` agency-periods whose overall score moved most (then by rank change).

        Empty when the diff was made without answers.

        Example:
            >>> import attrs, readiness_model as rm
            >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b")])])
            >>> new = attrs.evolve(old, dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1], [1, 1]], ["x", "y", "z"], old)
            >>> diff = rm.diff_rubrics(old, new, rs)
            >>> [(m.agency, m.delta, m.old_rank, m.new_rank) for m in diff.movers()]
            [('y', -25.0, 2, 3), ('x', 25.0, 2, 2), ('z', 0.0, 1, 1)]
        """
        if not self.movements:
            return []

        def key(m: Movement) -> tuple[float, float]:
            d = 0.0 if math.isnan(m.delta) else abs(m.delta)
            r = abs((m.old_rank or 0) - (m.new_rank or 0))
            return (-d, -r)

        return sorted(self.movements, key=key)[:n]

    def lines(self) -> list[str]:
        """Every change as one readable line (``~ indicator 'x' weight: 1 -> 2``).

        Example:
            >>> import readiness_model as rm
            >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
            >>> new = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b")])], version="2")
            >>> rm.diff_rubrics(old, new).lines()
            ["~ rubric 't' version: 1 -> 2", "+ indicator 'b' in 'd'"]
        """
        return [str(c) for c in self.changes]

    def to_records(self) -> list[Record]:
        """Tidy long form: one row per difference, ``section`` ``change`` (structure),
        ``weight`` (nominal and effective shares) or ``movement`` (overall, rank, band).

        Example:
            >>> import readiness_model as rm
            >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
            >>> new = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])],
            ...     version="2")
            >>> [(x["section"], x["field"], x["old"], x["new"]) for x in
            ...     rm.diff_rubrics(old, new).to_records()]
            [('change', 'version', '1', '2')]
        """
        return diff_records(self)

    def _headline(self) -> str:
        return diff_headline(self)


def diff_rubrics(old: Rubric, new: Rubric, responses: ResponseSet | None = None) -> RubricDiff:
    """Compare two rubrics; with ``responses``, score both and compare every row.

    ``responses`` may be read for either rubric. Each rubric gets the answers restricted
    to its own indicators (an indicator it has and the other lacks is missing); answers
    are re-read by each rubric's own scales, and an answer a changed scale cannot read
    becomes missing and is listed in ``unreadable``.

    Args:
        old: The rubric before the edit.
        new: The rubric after it.
        responses: Optional answers, read for ``old`` or ``new``.

    Returns:
        A :class:`RubricDiff`.

    Raises:
        ResponseError: ``responses`` were read for neither rubric.

    Example:
        >>> import attrs, readiness_model as rm
        >>> old = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> new = attrs.evolve(old, dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> rm.diff_rubrics(old, new).lines()
        ["~ indicator 'a' weight: 1 -> 3"]

    .. versionadded:: 0.1.0
    """
    require(old, Rubric, "old")
    require(new, Rubric, "new")
    if responses is not None:
        require(responses, ResponseSet, "responses")
    changes = _rubric_changes(old, new) + _tree_changes(old, new)
    changes += _named_changes("band", old.bands, new.bands)
    changes += _named_changes("trend", old.trend, new.trend)
    changes += _named_changes("group", old.groups, new.groups)
    if old.examples != new.examples:
        changes.append(
            RubricChange(
                "changed", "examples", "examples", "count", len(old.examples), len(new.examples)
            )
        )
    weights = _weight_changes(old, new)
    if responses is None:
        return RubricDiff(old.id, new.id, tuple(changes), weights)
    source = _source(old, new, responses)
    rs_old, bad_old = _restrict(old, source, responses)
    rs_new, bad_new = _restrict(new, source, responses)
    a, b = score(old, rs_old), score(new, rs_new)
    moves = tuple(
        Movement(
            rs_new.agencies[i],
            rs_new.periods[i],
            float(a.overall[i]),
            float(b.overall[i]),
            float(b.overall[i] - a.overall[i]),
            int(a.rank[i]) or None,
            int(b.rank[i]) or None,
            a.band[i],
            b.band[i],
        )
        for i in range(len(rs_new.agencies))
    )
    return RubricDiff(
        old.id,
        new.id,
        tuple(changes),
        weights,
        moves,
        tuple(f"old: {x}" for x in bad_old) + tuple(f"new: {x}" for x in bad_new),
    )


def _show(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if v is None:
        return "none"
    return str(v)


def _data(v: Any) -> Any:
    """A readable, comparable rendering (``to_data`` when the object has one)."""
    if hasattr(v, "to_data"):
        return v.to_data()
    if isinstance(v, tuple):
        return [_data(x) for x in v]
    return v


def _rubric_changes(old: Rubric, new: Rubric) -> list[RubricChange]:
    out = []
    if old.id != new.id:
        out.append(RubricChange("changed", "rubric", new.id, "id", old.id, new.id))
    for f in _settings(Rubric):
        a, b = getattr(old, f), getattr(new, f)
        if a != b:
            out.append(RubricChange("changed", "rubric", new.id, f, _data(a), _data(b)))
    return out


def _parents(r: Rubric) -> dict[str, tuple[str, Dimension | Indicator]]:
    """Every node and indicator by id, with its parent's id (``""`` for top level)."""
    out: dict[str, tuple[str, Dimension | Indicator]] = {}

    def walk(d: Dimension, parent: str) -> None:
        out[d.id] = (parent, d)
        for c in d.dimensions:
            walk(c, d.id)
        for x in d.indicators:
            out[x.id] = (d.id, x)

    for d in r.dimensions:
        walk(d, "")
    return out


def _tree_changes(old: Rubric, new: Rubric) -> list[RubricChange]:
    a, b = _parents(old), _parents(new)
    out: list[RubricChange] = []
    for ident, (parent, node) in b.items():
        if ident not in a:
            out.append(RubricChange("added", _kind(node), ident, new=parent))
    for ident, (parent, node) in a.items():
        if ident not in b:
            out.append(RubricChange("removed", _kind(node), ident, old=parent))
    for ident, (p_new, n_new) in b.items():
        if ident not in a:
            continue
        p_old, n_old = a[ident]
        kind = _kind(n_new)
        if _kind(n_old) != kind:
            out.append(RubricChange("changed", kind, ident, "kind", _kind(n_old), kind))
            continue
        if p_old != p_new:
            out.append(RubricChange("changed", kind, ident, "parent", p_old or None, p_new or None))
        for name in _settings(type(n_new)):
            x, y = getattr(n_old, name), getattr(n_new, name)
            if x != y:
                out.append(RubricChange("changed", kind, ident, name, _data(x), _data(y)))
    return out


def _kind(node: Dimension | Indicator) -> str:
    return "indicator" if isinstance(node, Indicator) else "dimension"


def _named_changes(target: str, old: tuple[Any, ...], new: tuple[Any, ...]) -> list[RubricChange]:
    a, b = {x.id: x for x in old}, {x.id: x for x in new}
    out = [RubricChange("added", target, i) for i in b if i not in a]
    out += [RubricChange("removed", target, i) for i in a if i not in b]
    out += [
        RubricChange("changed", target, i, "definition", _data(a[i]), _data(b[i]))
        for i in b
        if i in a and a[i] != b[i]
    ]
    if [x for x in a if x in b] != [x for x in b if x in a]:
        out.append(
            RubricChange(
                "changed", target, "*", "order", [x for x in a if x in b], [x for x in b if x in a]
            )
        )
    return out


def shares(r: Rubric) -> dict[str, tuple[str, float, float]]:
    """Per node and indicator: (kind, nominal share among siblings, effective share of
    the overall score)."""
    out: dict[str, tuple[str, float, float]] = {}

    def walk(children: tuple[Dimension, ...] | tuple[Indicator, ...], above: float) -> None:
        total = sum(c.weight for c in children)
        for c in children:
            nominal = c.weight / total
            out[c.id] = (_kind(c), nominal, above * nominal)
            if isinstance(c, Dimension):
                walk(c.children, above * nominal)

    walk(r.dimensions, 1.0)
    return out


def _weight_changes(old: Rubric, new: Rubric) -> tuple[WeightChange, ...]:
    a, b = shares(old), shares(new)
    nan = (None, math.nan, math.nan)
    out = []
    for ident in list(b) + [i for i in a if i not in b]:
        ka, na, ea = a.get(ident, nan)
        kb, nb, eb = b.get(ident, nan)
        same = math.isclose(na, nb, rel_tol=0, abs_tol=1e-12) and math.isclose(
            ea, eb, rel_tol=0, abs_tol=1e-12
        )
        if not same:
            out.append(WeightChange(ident, str(kb or ka), na, nb, ea, eb))
    return tuple(out)
