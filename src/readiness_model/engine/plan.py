"""Compile a rubric once into the arrays the engine works on.

The plan knows scales only through their engine form (``Linear``, ``Lookup``,
``BitSum`` or ``None``) and methods only through the registries: it never branches on
a scale class or a method name.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

import attrs
import numpy as np

from ..model import Aggregation, Dimension, Rubric
from ..model.methods import AggregationSpec, NormalizationSpec
from ..model.scales import BitSum, Linear, Lookup
from .normalizations import goalposts

__all__ = ["OVERALL", "NodeGroup", "NormGroup", "Plan", "compile_rubric", "scaled_weights"]

OVERALL = -1  # node index of the virtual root: the overall score


@attrs.frozen(slots=True, eq=False)
class NormGroup:
    """The indicators one normalisation method scores, with their parameters.

    ``raw`` columns read the answer's own number (a continuous scale under a method of
    the ``value``); the others read the scale's fixed score. A population method reads
    ``sign · x`` (``-1`` for raw lower-is-better columns, so the lowest answer ranks
    highest, parameters in answer units negated alike); any other method's score of a
    raw lower-is-better column becomes ``1 − s`` (``flip_after``).
    """

    spec: NormalizationSpec
    cols: np.ndarray
    raw: np.ndarray
    sign: np.ndarray
    flip_after: np.ndarray
    params: dict[str, np.ndarray]  # one value per column


@attrs.frozen(slots=True, eq=False)
class NodeGroup:
    """Nodes of the same height, child kind and aggregation (with its parameters),
    combined together.

    ``weights`` is a (children × nodes) matrix: column g holds node g's child weights,
    scaled exactly by a power of two so that the largest lies in [1, 2).
    """

    nodes: np.ndarray  # node indices (into Plan.node_ids); OVERALL = the root
    child_is_indicator: bool
    children: np.ndarray  # child column indices used by this group
    weights: np.ndarray  # len(children) × len(nodes)
    spec: AggregationSpec
    params: dict[str, Any]
    zero_missing: np.ndarray  # per node: a missing child node counts as 0 (else dropped)
    parent_col: np.ndarray  # per child: its parent's column in this group


@attrs.frozen(slots=True, eq=False)
class Plan:
    """A rubric as arrays. Built by :func:`compile_rubric`; never mutated."""

    m: int
    node_ids: tuple[str, ...]
    top: np.ndarray  # indices of top-level nodes
    # fixed scores from the scales' engine forms
    linear: np.ndarray  # indicators scored (x - lo) / (hi - lo), clamped
    lo: np.ndarray
    span: np.ndarray
    hi: np.ndarray  # exactly the upper goalpost, so lower_is_better scores exactly 0 there
    lookup: np.ndarray  # indicators scored by a table of level/option values
    table: np.ndarray  # len(lookup) × max levels
    checklist: np.ndarray
    item_values: np.ndarray  # len(checklist) × max items
    flip: np.ndarray  # bool per indicator: lower_is_better
    normalizers: tuple[NormGroup, ...]  # methods other than the fixed score
    # missing answers, per indicator (the effective policy: own, nearest ancestor, default)
    counts_zero: np.ndarray  # bool: a missing answer counts 0 (policy ``zero``)
    required: np.ndarray  # bool: a missing answer is an error (policy ``error``)
    groups: tuple[NodeGroup, ...]
    min_coverage: np.ndarray  # per node
    rescale: np.ndarray  # bool per node
    all_linear_fixed: bool  # fast path: every indicator linear, its fixed score only
    plugins: tuple[tuple[str, str, str], ...]  # (kind, name, provider), not built in

    @property
    def rows_independent(self) -> bool:
        """No agency's scores depend on another's (no population method, no rescale)."""
        return not any(g.spec.population for g in self.normalizers) and not self.rescale.any()


def _pad(rows: list[tuple[float, ...]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width))
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


@functools.lru_cache(maxsize=64)
def compile_rubric(rubric: Rubric) -> Plan:
    """Compile (and cache) the arrays for ``rubric``."""
    inds = rubric.indicators
    m = len(inds)
    nodes = rubric.all_dimensions
    nidx = {d.id: k for k, d in enumerate(nodes)}

    lo, span, hi = np.zeros(m), np.ones(m), np.ones(m)
    linear, lookup, checklist = [], [], []
    tables: list[tuple[float, ...]] = []
    items: list[tuple[float, ...]] = []
    by_method: dict[str, list[int]] = defaultdict(list)
    raw = np.zeros(m, bool)
    flip = np.array([x.direction == "lower_is_better" for x in inds], bool)
    for j, x in enumerate(inds):
        spec = x.normalize.spec
        if spec.func is not goalposts:
            by_method[spec.name].append(j)
        if spec.input == "value" and x.scale.continuous:
            raw[j] = True
            continue
        form = x.scale.engine_form()
        if isinstance(form, Linear):
            lo[j], hi[j] = form.lo, form.hi
            span[j] = form.hi - form.lo
            linear.append(j)
        elif isinstance(form, Lookup):
            lookup.append(j)
            tables.append(form.table)
        elif isinstance(form, BitSum):
            checklist.append(j)
            items.append(form.values)
        else:
            raise ValueError(f"indicator {x.id!r}: its scale has no fixed score")

    normalizers = tuple(_norm_group(rubric, cols, raw, flip) for cols in by_method.values())
    counts_zero, required, node_policy = _policies(rubric)
    groups = _node_groups(rubric, nodes, nidx, node_policy)
    return Plan(
        m=m,
        node_ids=tuple(d.id for d in nodes),
        top=np.array([nidx[d.id] for d in rubric.dimensions], np.int64),
        linear=np.array(linear, np.int64),
        lo=lo,
        span=span,
        hi=hi,
        lookup=np.array(lookup, np.int64),
        table=_pad(tables),
        checklist=np.array(checklist, np.int64),
        item_values=_pad(items),
        flip=flip,
        normalizers=normalizers,
        counts_zero=counts_zero,
        required=required,
        groups=groups,
        min_coverage=np.array([d.min_coverage for d in nodes]),
        rescale=np.array([d.rescale == "minmax" for d in nodes], bool),
        all_linear_fixed=len(linear) == m and not normalizers,
        plugins=_plugins(rubric),
    )


def _norm_group(rubric: Rubric, cols: list[int], raw: np.ndarray, flip: np.ndarray) -> NormGroup:
    inds = [rubric.indicators[j] for j in cols]
    spec = inds[0].normalize.spec
    idx = np.array(cols, np.int64)
    turned = raw[idx] & flip[idx]
    sign = np.where(turned, -1.0, 1.0) if spec.population else np.ones(idx.size)
    params: dict[str, np.ndarray] = {}
    for p in spec.params:
        values = [dict(x.normalize.params).get(p.name) for x in inds]
        arr = np.array(values, dtype=float if all(isinstance(v, float) for v in values) else object)
        params[p.name] = arr * sign if p.answer_units else arr
    return NormGroup(
        spec=spec,
        cols=idx,
        raw=raw[idx],
        sign=sign,
        flip_after=turned & (not spec.population),
        params=params,
    )


def _policies(rubric: Rubric) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Per indicator, its effective missing policy as two named masks (indicator, then
    nearest ancestor, then the rubric default); and each node's own policy."""
    col = {x.id: j for j, x in enumerate(rubric.indicators)}
    policy = [""] * len(col)
    node_policy: dict[str, str] = {}

    def walk(d: Dimension, inherited: str) -> None:
        own = d.missing or inherited
        node_policy[d.id] = own
        for sub in d.dimensions:
            walk(sub, own)
        for x in d.indicators:
            policy[col[x.id]] = x.missing or own

    for d in rubric.dimensions:
        walk(d, rubric.defaults.missing)
    zero = np.array([p == "zero" for p in policy], bool)
    required = np.array([p == "error" for p in policy], bool)
    return zero, required, node_policy


def scaled_weights(w: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sibling weights (siblings along ``axis``) scaled exactly by a power of two so the
    largest lies in [1, 2).

    Weights are relative, so this changes no score (scaling by a power of two is exact),
    but neither tiny nor huge siblings (all at 1e-300, or at 1e300) can then underflow or
    overflow in the engine's sums. The plan and the weight draws of ``sensitivity`` both
    pass through it.

    Example:
        >>> scaled_weights(np.array([[1.0, 3.0], [2.0, 1.0]])).tolist()
        [[0.5, 1.5], [1.0, 0.5]]
        >>> scaled_weights(np.array([[2e-300, 1e-300]]), axis=1).round(3).tolist()
        [[1.339, 0.67]]
    """
    top = w.max(axis=axis, keepdims=True, initial=0.0)
    _, exp = np.frexp(np.where(top > 0, top, 1.0))
    out: np.ndarray = np.ldexp(w, 1 - exp)
    return out


def _group(
    kids_of: list[tuple[Any, ...]],
    child_index: dict[str, int],
    nodes: list[int],
    zero: list[bool],
    agg: Aggregation,
) -> NodeGroup:
    """One group: ``kids_of[g]`` are the children of node ``nodes[g]``."""
    kids = sorted({child_index[c.id] for cs in kids_of for c in cs})
    pos = {c: i for i, c in enumerate(kids)}
    w = np.zeros((len(kids), len(nodes)))
    parent = np.zeros(len(kids), np.int64)
    for g, cs in enumerate(kids_of):
        for c in cs:
            w[pos[child_index[c.id]], g] = c.weight
            parent[pos[child_index[c.id]]] = g
    return NodeGroup(
        nodes=np.array(nodes, np.int64),
        child_is_indicator=not isinstance(kids_of[0][0], Dimension),
        children=np.array(kids, np.int64),
        weights=scaled_weights(w),
        spec=agg.spec,
        params=dict(agg.params),
        zero_missing=np.array(zero, bool),
        parent_col=parent,
    )


def _node_groups(
    rubric: Rubric, nodes: tuple[Dimension, ...], nidx: dict[str, int], policy: dict[str, str]
) -> tuple[NodeGroup, ...]:
    """Nodes bucketed by height, child kind and aggregation, lowest first; then the root."""
    col = {x.id: j for j, x in enumerate(rubric.indicators)}
    height: dict[str, int] = {}

    def h(d: Dimension) -> int:
        if d.id not in height:
            height[d.id] = 1 if d.indicators else 1 + max(h(s) for s in d.dimensions)
        return height[d.id]

    buckets: dict[tuple[int, bool, Aggregation], list[Dimension]] = defaultdict(list)
    for d in nodes:
        buckets[(h(d), bool(d.indicators), d.aggregate or rubric.defaults.aggregate)].append(d)
    out = [
        _group(
            [d.children for d in ds],
            col if is_ind else nidx,
            [nidx[d.id] for d in ds],
            [policy[d.id] == "zero" for d in ds],
            agg,
        )
        for (_, is_ind, agg), ds in sorted(buckets.items(), key=lambda kv: (kv[0][0], not kv[0][1]))
    ]
    root = [
        _group(
            [rubric.dimensions],
            nidx,
            [OVERALL],
            [rubric.defaults.missing == "zero"],
            rubric.defaults.aggregate,
        )
    ]
    return tuple(out + root)


def _plugins(rubric: Rubric) -> tuple[tuple[str, str, str], ...]:
    """(kind, name, provider) of every method the rubric uses that is not built in."""
    used: set[tuple[str, NormalizationSpec | AggregationSpec]] = {
        ("normalization", x.normalize.spec) for x in rubric.indicators
    }
    aggs = [rubric.defaults.aggregate, *(d.aggregate for d in rubric.all_dimensions)]
    used |= {("aggregation", a.spec) for a in aggs if a is not None}
    return tuple(sorted({(k, s.name, s.provider) for k, s in used if not s.builtin}))
