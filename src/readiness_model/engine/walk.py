"""The one walk up the tree: indicator scores → node scores → the overall score.

For a node with children ``c`` (weights ``w_c``), the *included* children are those
with a value: answered, or missing under the ``zero`` policy (counted as 0).
Not-applicable children and missing ones under ``reweight`` drop out, and the node's
aggregation renormalises the weights over the included children. Coverage is the
answered share of the applicable weight. Formulas: docs/methodology.md §4-§6.

``score`` walks once; ``sensitivity`` walks with a leading axis of weight draws;
``explain`` walks one row with the node scores it explains pinned, and reads back what
each node's aggregation was fed (``trace``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from .._arrays import any_set
from .aggregations import arithmetic
from .children import FEW, Children, weigh
from .plan import OVERALL, NodeGroup, Plan

__all__ = ["COVERAGE_EPS", "Fed", "Tree", "unanswered", "walk"]

COVERAGE_EPS = 1e-12


@attrs.frozen(slots=True, eq=False)
class Fed:
    """What one group's aggregation was fed: values ``... × N × C`` (NaN: not included)
    and weights ``... × C × G``."""

    group: NodeGroup
    values: np.ndarray
    weights: np.ndarray


@attrs.frozen(slots=True, eq=False)
class Tree:
    """Node scores on [0, 1] (NaN: missing or not applicable), with coverage.

    ``coverage`` and ``applicable`` are ``None`` when every node is fully answered and
    applicable (then :meth:`node_coverage` and :meth:`node_applicable` give ones).
    """

    nodes: np.ndarray  # ... × N × K (× 0 from a walk with keep_nodes=False)
    coverage: np.ndarray | None  # ... × N × K (NaN where the node is not applicable)
    applicable: np.ndarray | None  # ... × N × K bool
    overall: np.ndarray  # ... × N
    overall_coverage: np.ndarray  # ... × N
    fed: tuple[Fed, ...] = ()

    def node_coverage(self) -> np.ndarray:
        """Coverage of every node."""
        return np.ones(self.nodes.shape) if self.coverage is None else self.coverage

    def node_applicable(self) -> np.ndarray:
        """Whether each node is applicable."""
        return np.ones(self.nodes.shape, bool) if self.applicable is None else self.applicable


def unanswered(coverage: np.ndarray, min_coverage: np.ndarray) -> np.ndarray:
    """Child nodes whose missing score is a missing answer (counted 0 under ``zero``).

    A node has no score when nothing in it was answered or its coverage fell below its
    ``min_coverage``: both are missing answers. A node that was answered but has no
    score for another reason (a population-relative score in a period without
    population) is not, and its parent drops it under every policy.
    """
    with np.errstate(invalid="ignore"):
        out: np.ndarray = (coverage <= 0) | (coverage < min_coverage - COVERAGE_EPS)
    return out


def _run(idx: np.ndarray) -> slice | np.ndarray:
    """``idx`` as a slice when it is one increasing run (basic indexing: a plain copy to
    write into), else itself."""
    run = idx.size > 0 and int(idx[0]) >= 0 and int(idx[-1]) - int(idx[0]) + 1 == idx.size
    if run and (idx.size == 1 or bool((np.diff(idx) == 1).all())):
        return slice(int(idx[0]), int(idx[-1]) + 1)
    return idx


def _key(idx: np.ndarray) -> bytes:
    return np.asarray(idx, np.int64).tobytes()


def _no_nan(a: np.ndarray) -> bool:
    """No NaN in ``a``: one pass without a temporary (the minimum of an array with a NaN
    is NaN)."""
    return a.size == 0 or not np.isnan(np.min(a))


def _mean_if_complete(grp: NodeGroup, v: np.ndarray, w: np.ndarray) -> np.ndarray | None:
    """The group's arithmetic means, computed as if no child lacked a score, when
    none does; ``None`` otherwise (or when the group is not an arithmetic mean).

    A child without a score (NaN) makes the weighted sum of its node NaN (``NaN × w``
    is NaN for every finite weight, 0 included), so a result without NaN shows that
    the children all have scores, without reading every score once more to find out
    (a pass over an ``N × M`` array, about 30 ms at 1,000,000 × 50)."""
    if grp.spec.func is not arithmetic or grp.params or not np.isfinite(w).all():
        return None
    score = arithmetic(Children(v, w, complete=True))
    return score if _no_nan(score) else None


def walk(
    plan: Plan,
    z: np.ndarray,
    missing: np.ndarray,
    na: np.ndarray,
    *,
    rescale: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    weights: Sequence[np.ndarray] | None = None,
    known: Tree | None = None,
    trace: bool = False,
    z_complete: bool | None = None,
    memo: dict[int, Any] | None = None,
    keep_nodes: bool = True,
) -> Tree:
    """Aggregate indicator scores ``z`` (N × M, NaN where no value) up the tree.

    Args:
        plan: The compiled rubric.
        z: Indicator scores. missing, na: the answers' masks (N × M).
        rescale: The node ``rescale: minmax`` step: ``rescale(scores, nodes)``, the
            scores ``... × N × k`` of the node indices ``nodes``, → rescaled.
        weights: One weight tensor per group of ``plan.groups`` (``D × C × G``, or
            ``C × G`` for a group whose weights are not drawn) to use instead of the
            rubric's: every result gets a leading axis of ``D`` draws.
        known: Node scores and coverage already computed (explaining stored results):
            they are fed to the parents instead of the walk's own.
        trace: Record what each group's aggregation was fed (``Tree.fed``).
        z_complete: Whether ``z`` has no NaN, when the caller knows (``None``: the walk
            looks, once).
        memo: A dict kept by the caller between walks of the same plan, ``z`` and
            masks with other weight draws: the groups of indicators whose weights are
            not drawn are combined once and reused from it.
        keep_nodes: Return every node's scores. ``False`` (with weight draws, when only
            the overall score is read): while every node is applicable and fully
            covered, each group's scores go straight to its parent and ``Tree.nodes``
            is ``... × N × 0``; the same overall scores, without writing and re-reading
            a ``D × N × K`` array.
    """
    n, m = z.shape
    k = len(plan.node_ids)
    # a group whose weights have no leading axis (not drawn) is combined once for all draws
    lead = () if weights is None else np.broadcast_shapes(*(w.shape[:-2] for w in weights))
    gaps = any_set(missing) or any_set(na)
    # dense: every child so far applicable and fully covered, so coverage is exactly 1
    # and every node applicable; the arrays are built when that ends
    dense = not gaps and known is None
    ind_val = np.where(missing & plan.counts_zero, 0.0, z) if gaps else z
    answered: list[np.ndarray] = []  # applicable and covered indicators, when needed
    # with draws, each dense group's (node indices, scores): a parent whose children are
    # exactly one group's nodes reads them as computed, not gathered back out of ``nodes``
    outs: dict[bytes, tuple[np.ndarray, np.ndarray]] = {}
    direct = dense and bool(lead)
    nodes: np.ndarray | None = None
    if keep_nodes or not direct:
        nodes = np.full((*lead, n, k), np.nan)

    def written() -> np.ndarray:  # ``nodes`` from the groups' scores so far
        out = np.full((*lead, n, k), np.nan)
        for ix, sc in outs.values():
            out[..., _run(ix)] = sc
        return out

    cov: np.ndarray | None = None if dense else np.full((*lead, n, k), np.nan)
    app: np.ndarray | None = None if dense else np.zeros((*lead, n, k), bool)
    overall = overall_cov = np.full((*lead, n), np.nan)
    fed: list[Fed] = []
    for i, grp in enumerate(plan.groups):
        w = grp.weights if weights is None else weights[i]
        kids = grp.children
        g_cov: np.ndarray | None
        g_app: np.ndarray | None
        cached = None if memo is None else memo.get(i)
        if cached is not None:
            idx, score, g_cov, g_app = cached
        else:
            a = c = None
            if grp.child_is_indicator:
                whole = kids.size == m and bool((kids == np.arange(m)).all())
                v = ind_val if whole else ind_val[:, kids]
                if not dense:
                    if not answered:
                        answered += [~na, (~missing & ~na).astype(np.float64)]
                    ind_app, ind_cov = answered
                    a = ind_app if whole else ind_app[:, kids]
                    c = ind_cov if whole else ind_cov[:, kids]
            elif direct and _key(kids) in outs:
                # the group's scores; without the draws axis when it was combined once
                # (memo): a small parent sums them child by child for every draw at once,
                # a wide one per draw (one product for all draws would round a draw's
                # sums differently with the number of draws in the block)
                v = outs[_key(kids)][1].view()
                v.flags.writeable = False  # shared: kept for the parent and across blocks
                if v.shape[:-2] != lead and kids.size > FEW:
                    v = np.broadcast_to(v, (*lead, *v.shape[-2:]))
            elif dense:
                if nodes is None:
                    nodes = written()
                # a copy laid out column by column (fancy indexing of the last axis), so
                # that matmul sums the children in their order: its path decides the bits
                # (a row-major array of the same values may differ in the last bit)
                v = nodes[..., kids]
            else:
                assert nodes is not None
                assert app is not None
                assert cov is not None
                a = app[..., kids]
                c = np.where(a, cov[..., kids], 0.0)
                v = nodes[..., kids]
                zero = grp.zero_missing[grp.parent_col] & unanswered(c, plan.min_coverage[kids])
                v = np.where(a & np.isnan(v) & zero, 0.0, v)
            score = None
            if grp.child_is_indicator:
                if z_complete is None and not gaps and not plan.all_linear_fixed:
                    score = _mean_if_complete(grp, v, w)
                if score is None:
                    if z_complete is None:  # looked up once, at the first group that needs it
                        z_complete = plan.all_linear_fixed or _no_nan(z)
                    complete = not gaps and z_complete
            else:  # dense: every node so far has a score
                complete = dense
            if score is None:
                score = grp.spec.func(Children(v, w, complete=complete), **grp.params)
            if trace:
                fed.append(Fed(grp, v, w))
            g_cov = g_app = None
            if a is not None:
                assert c is not None
                appw = weigh(a.astype(np.float64), w)
                with np.errstate(invalid="ignore", divide="ignore"):
                    g_cov = weigh(np.where(a, c, 0.0), w) / appw
                g_app = appw > 0
                g_cov = np.where(g_app, g_cov, np.nan)
                score = np.where(g_app, score, np.nan)
            if grp.nodes[0] == OVERALL:
                overall = score[..., 0]
                overall_cov = np.ones(overall.shape) if g_cov is None else g_cov[..., 0]
                if known is not None:
                    overall, overall_cov = known.overall, known.overall_coverage
                continue
            idx = grp.nodes
            if g_cov is not None:
                score = np.where(g_cov < plan.min_coverage[idx] - COVERAGE_EPS, np.nan, score)
            if known is not None:
                score, g_cov = known.nodes[..., idx], known.node_coverage()[..., idx]
            elif rescale is not None and plan.rescale[idx].any():
                cols = np.flatnonzero(plan.rescale[idx])
                if not score.flags.writeable:  # a kernel may return a broadcast view
                    score = score.copy()
                score[..., cols] = rescale(score[..., cols], idx[cols])
            if memo is not None and grp.child_is_indicator and w.ndim == 2 and known is None:
                memo[i] = (idx, score, g_cov, g_app)  # the same for every block of draws
        if direct:
            outs[_key(idx)] = (idx, score)
        if nodes is not None:
            nodes[..., _run(idx)] = score
        if dense and not _no_nan(score):
            dense = direct = False
            if nodes is None:
                nodes = written()
            cov, app = np.ones((*lead, n, k)), np.ones((*lead, n, k), bool)
        if not dense:
            assert cov is not None
            assert app is not None
            if g_cov is not None:
                cov[..., idx] = g_cov
            if g_app is not None:
                app[..., idx] = g_app
    return Tree(
        nodes=np.empty((*lead, n, 0)) if nodes is None else nodes,
        coverage=cov,
        applicable=app,
        overall=overall,
        overall_coverage=overall_cov,
        fed=tuple(fed),
    )
