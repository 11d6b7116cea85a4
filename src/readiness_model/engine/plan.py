"""Compile a rubric once into the arrays the engine works on."""

from __future__ import annotations

import functools
from collections import defaultdict

import attrs
import numpy as np

from ..model import Dimension, Rubric
from ..model.nodes import Aggregation
from ..model.scales import BitSum, Linear, Lookup

__all__ = ["NodeGroup", "Plan", "compile_rubric"]

OVERALL = -1  # parent index of top-level nodes: the virtual root


@attrs.frozen(slots=True, eq=False)
class NodeGroup:
    """Nodes of the same height, child kind and aggregation, computed together.

    ``weights`` is a (children × nodes) matrix: column g holds node g's child weights,
    scaled by :func:`~readiness_model.engine.aggregate.unit_weights` (exact; no
    underflow).
    """

    nodes: np.ndarray  # node indices (into Plan.node_ids); -1 = the overall root
    child_is_indicator: bool
    children: np.ndarray  # child column indices used by this group
    weights: np.ndarray  # len(children) × len(nodes)
    method: str
    p: float
    zero_missing: np.ndarray  # per node: a missing child node counts as 0 (else dropped)
    parent_col: np.ndarray  # per child: its parent's column in this group


@attrs.frozen(slots=True, eq=False)
class Plan:
    """A rubric as arrays. Built by :func:`compile_rubric`; never mutated."""

    m: int
    node_ids: tuple[str, ...]
    node_depth: np.ndarray
    top: np.ndarray  # indices of top-level nodes
    # indicator scoring
    linear: np.ndarray  # indicators scored (x - lo) / (hi - lo), clamped
    lo: np.ndarray
    span: np.ndarray
    hi: np.ndarray  # exactly the upper goalpost, so lower_is_better scores exactly 0 there
    lookup: np.ndarray  # indicators scored by a table of level/option values
    table: np.ndarray  # len(lookup) × max levels
    checklist: np.ndarray
    item_values: np.ndarray  # len(checklist) × max items
    flip: np.ndarray  # bool per indicator: lower_is_better
    population: dict[str, np.ndarray]  # method -> indicator indices
    raw_numeric: np.ndarray  # bool per indicator: population stats on the raw number
    target: np.ndarray  # per indicator (NaN unless method target)
    missing_policy: np.ndarray  # per indicator: 0 zero, 1 reweight, 2 error
    groups: tuple[NodeGroup, ...]
    min_coverage: np.ndarray  # per node
    rescale: np.ndarray  # bool per node
    all_linear_fixed: bool  # fast path: every indicator linear, no population methods


_POLICY = {"zero": 0, "reweight": 1, "error": 2}


@functools.lru_cache(maxsize=64)
def compile_rubric(rubric: Rubric) -> Plan:
    """Compile (and cache) the arrays for ``rubric``."""
    inds = rubric.indicators
    m = len(inds)
    col = {x.id: j for j, x in enumerate(inds)}
    nodes = rubric.all_dimensions
    nidx = {d.id: k for k, d in enumerate(nodes)}

    lo = np.zeros(m)
    span = np.ones(m)
    hi = np.ones(m)
    linear, lookup, checklist = [], [], []
    tables: list[tuple[float, ...]] = []
    items: list[tuple[float, ...]] = []
    pop: dict[str, list[int]] = defaultdict(list)
    raw_numeric = np.zeros(m, bool)
    target = np.full(m, np.nan)
    flip = np.array([x.direction == "lower_is_better" for x in inds], bool)
    for j, x in enumerate(inds):
        s = x.scale
        method = x.normalize.method
        if method != "goalposts":
            pop[method].append(j)
            if method == "target":
                target[j] = x.normalize.target
        if s.continuous and method != "goalposts":
            raw_numeric[j] = True
            continue
        form = s.engine_form()  # the engine's whole vocabulary for fixed scales
        if isinstance(form, Linear):
            lo[j], hi[j] = form.lo, form.hi
            span[j] = hi[j] - lo[j]
            linear.append(j)
        elif isinstance(form, Lookup):
            lookup.append(j)
            tables.append(form.table)
        elif isinstance(form, BitSum):
            checklist.append(j)
            items.append(form.values)
        else:
            raise TypeError(f"indicator {x.id!r}: a {s.type} scale without a fixed score")

    def pad(rows: list[tuple[float, ...]]) -> np.ndarray:
        width = max((len(r) for r in rows), default=0)
        out = np.zeros((len(rows), width))
        for i, r in enumerate(rows):
            out[i, : len(r)] = r
        return out

    # effective missing policy: indicator, then nearest ancestor, then rubric default
    policy = np.zeros(m, np.int8)
    node_policy: dict[str, str] = {}

    def walk(d: Dimension, inherited: str) -> None:
        own = d.missing or inherited
        node_policy[d.id] = own
        for sub in d.dimensions:
            walk(sub, own)
        for x in d.indicators:
            policy[col[x.id]] = _POLICY[x.missing or own]

    for d in rubric.dimensions:
        walk(d, rubric.defaults.missing)

    height: dict[str, int] = {}

    def h(d: Dimension) -> int:
        if d.id not in height:
            height[d.id] = 1 if d.indicators else 1 + max(h(s) for s in d.dimensions)
        return height[d.id]

    depth = np.zeros(len(nodes), np.int64)
    for d in rubric.dimensions:
        stack = [(d, 0)]
        while stack:
            cur, dep = stack.pop()
            depth[nidx[cur.id]] = dep
            stack += [(s, dep + 1) for s in cur.dimensions]

    buckets: dict[tuple[int, bool, str, float], list[Dimension]] = defaultdict(list)
    for d in nodes:
        agg = d.aggregate or rubric.defaults.aggregate
        buckets[(h(d), bool(d.indicators), agg.method, agg.p or 0.0)].append(d)
    groups = [
        _group(
            ds, col, nidx, node_policy, Aggregation(key[2], key[3] if key[2] == "power" else None)
        )
        for key, ds in sorted(buckets.items(), key=lambda kv: (kv[0][0], not kv[0][1]))
    ]
    root = rubric.defaults.aggregate
    groups.append(_root_group(rubric, nidx, root))

    return Plan(
        m=m,
        node_ids=tuple(d.id for d in nodes),
        node_depth=depth,
        top=np.array([nidx[d.id] for d in rubric.dimensions], np.int64),
        linear=np.array(linear, np.int64),
        lo=lo,
        span=span,
        hi=hi,
        lookup=np.array(lookup, np.int64),
        table=pad(tables),
        checklist=np.array(checklist, np.int64),
        item_values=pad(items),
        flip=flip,
        population={k: np.array(v, np.int64) for k, v in pop.items()},
        raw_numeric=raw_numeric,
        target=target,
        missing_policy=policy,
        groups=tuple(groups),
        min_coverage=np.array([d.min_coverage for d in nodes]),
        rescale=np.array([d.rescale == "minmax" for d in nodes], bool),
        all_linear_fixed=len(linear) == m and not pop,
    )


def _weights(
    ds: list[Dimension], child_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kids = sorted({child_index[c.id] for d in ds for c in d.children})
    pos = {c: i for i, c in enumerate(kids)}
    w = np.zeros((len(kids), len(ds)))
    parent = np.zeros(len(kids), np.int64)
    for g, d in enumerate(ds):
        for c in d.children:
            w[pos[child_index[c.id]], g] = c.weight
            parent[pos[child_index[c.id]]] = g
    return np.array(kids, np.int64), _unit(w), parent


def _unit(w: np.ndarray) -> np.ndarray:
    """Each column's weights scaled exactly (by a power of two) so none underflows."""
    from .aggregate import unit_weights  # aggregate imports this module

    return unit_weights(w)


def _group(
    ds: list[Dimension],
    col: dict[str, int],
    nidx: dict[str, int],
    node_policy: dict[str, str],
    agg: Aggregation,
) -> NodeGroup:
    is_ind = bool(ds[0].indicators)
    kids, w, parent = _weights(ds, col if is_ind else nidx)
    return NodeGroup(
        nodes=np.array([nidx[d.id] for d in ds], np.int64),
        child_is_indicator=is_ind,
        children=kids,
        weights=w,
        method=agg.method,
        p=agg.p or 0.0,
        zero_missing=np.array([node_policy[d.id] == "zero" for d in ds], bool),
        parent_col=parent,
    )


def _root_group(rubric: Rubric, nidx: dict[str, int], agg: Aggregation) -> NodeGroup:
    kids = np.array([nidx[d.id] for d in rubric.dimensions], np.int64)
    w = _unit(np.array([[d.weight] for d in rubric.dimensions], float))
    return NodeGroup(
        nodes=np.array([OVERALL], np.int64),
        child_is_indicator=False,
        children=kids,
        weights=w,
        method=agg.method,
        p=agg.p or 0.0,
        zero_missing=np.array([rubric.defaults.missing == "zero"], bool),
        parent_col=np.zeros(len(kids), np.int64),
    )
