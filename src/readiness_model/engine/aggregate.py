"""Weighted aggregation of children into nodes, with missing answers and coverage.

For a node with children ``c`` (weights ``w_c``), the *included* children are those
with a value: answered, or missing under the ``zero`` policy (counted as 0).
Not-applicable children and missing ones under ``reweight`` drop out, and the
weights of the included children are renormalised. Coverage is the answered share
of the applicable weight. Formulas: docs/methodology.md.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np

from .plan import OVERALL, NodeGroup, Plan

__all__ = ["Tree", "aggregate", "combine"]

COVERAGE_EPS = 1e-12


@attrs.frozen(slots=True, eq=False)
class Tree:
    """Node scores on [0, 1] (NaN = missing or not applicable) and coverage."""

    nodes: np.ndarray  # N × K
    coverage: np.ndarray  # N × K (NaN where the node is not applicable)
    applicable: np.ndarray  # N × K bool
    overall: np.ndarray  # N
    overall_coverage: np.ndarray  # N


def combine(
    method: str, p: float, v: np.ndarray, w: np.ndarray, *, complete: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means of the columns of ``v`` (NaN = excluded) under each column of ``w``.

    ``complete=True`` promises that ``v`` has no NaN (skips the check).
    Returns ``(score, included_weight)``; the score is NaN where no weight is included.
    """
    if complete and method == "arithmetic":
        wsum = w.sum(axis=0)
        return (v @ w) / wsum, np.broadcast_to(wsum, (v.shape[0], w.shape[1]))
    inc = ~np.isnan(v)
    full = bool(inc.all())
    incw = (
        np.broadcast_to(w.sum(axis=0), (v.shape[0], w.shape[1])).copy()
        if full
        else inc.astype(np.float64) @ w
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "minimum":
            out = np.full((v.shape[0], w.shape[1]), np.nan)
            for g in range(w.shape[1]):
                kids = w[:, g] > 0
                if kids.any():
                    sub = v[:, kids]
                    ok = ~np.isnan(sub).all(axis=1)
                    out[ok, g] = np.nanmin(sub[ok], axis=1)
            return out, incw
        if method == "power" and p == 1.0:
            method = "arithmetic"
        if method == "arithmetic":
            num = (v if full else np.where(inc, v, 0.0)) @ w
            return num / incw, incw
        if method == "power" and p > 0:
            num = np.where(inc, v, 0.0) ** p @ w
            return (num / incw) ** (1.0 / p), incw
        # geometric, harmonic and power means with p <= 0: any included zero gives 0
        zero = (inc & (v == 0)).astype(np.float64) @ (w > 0).astype(np.float64) > 0
        safe = np.where(inc & (v > 0), v, 1.0)
        if method == "geometric" or (method == "power" and p == 0):
            out = np.exp((np.log(safe) * inc) @ w / incw)
        elif method == "harmonic":
            out = incw / ((1.0 / safe) * inc @ w)
        else:  # power, p < 0
            out = ((safe**p) * inc @ w / incw) ** (1.0 / p)
        out = np.where(zero, 0.0, out)
        return np.where(incw > 0, out, np.nan), incw


def aggregate(
    plan: Plan,
    z: np.ndarray,
    missing: np.ndarray,
    na: np.ndarray,
    rescale: Callable[[np.ndarray], np.ndarray],
) -> Tree:
    """Aggregate indicator scores ``z`` (N × M, NaN where no value) up the tree."""
    n = z.shape[0]
    k = len(plan.node_ids)
    gaps = bool(missing.any() or na.any())
    if gaps:
        zero_missing = missing & (plan.missing_policy == 0)[None, :]
        ind_val = np.where(zero_missing, 0.0, z)
        ind_app = ~na
        ind_cov = (~missing & ~na).astype(np.float64)
    else:
        ind_val, ind_app, ind_cov = z, None, None
    nodes = np.full((n, k), np.nan)
    cov = np.full((n, k), np.nan)
    app = np.zeros((n, k), bool)
    overall = np.full(n, np.nan)
    overall_cov = np.full(n, np.nan)
    for grp in plan.groups:
        v, a, c = _children(grp, ind_val, ind_app, ind_cov, nodes, app, cov)
        complete = grp.child_is_indicator and not gaps and plan.all_linear_fixed
        score, _ = combine(grp.method, grp.p, v, grp.weights, complete=complete)
        if a is None:
            g_app = np.ones(score.shape, bool)
            g_cov = np.ones(score.shape)
        else:
            assert c is not None
            appw = a.astype(np.float64) @ grp.weights
            with np.errstate(invalid="ignore", divide="ignore"):
                g_cov = (np.where(a, c, 0.0) @ grp.weights) / appw
            g_app = appw > 0
            g_cov = np.where(g_app, g_cov, np.nan)
            score = np.where(g_app, score, np.nan)
        if grp.nodes[0] == OVERALL:
            overall, overall_cov = score[:, 0], g_cov[:, 0]
            continue
        idx = grp.nodes
        low = g_cov < plan.min_coverage[idx] - COVERAGE_EPS
        score = np.where(low, np.nan, score)
        if plan.rescale[idx].any():
            cols = np.flatnonzero(plan.rescale[idx])
            score[:, cols] = rescale(score[:, cols])
        nodes[:, idx] = score
        cov[:, idx] = g_cov
        app[:, idx] = g_app
    return Tree(
        nodes=nodes, coverage=cov, applicable=app, overall=overall, overall_coverage=overall_cov
    )


def _children(
    grp: NodeGroup,
    ind_val: np.ndarray,
    ind_app: np.ndarray | None,
    ind_cov: np.ndarray | None,
    nodes: np.ndarray,
    app: np.ndarray,
    cov: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    kids = grp.children
    if grp.child_is_indicator:
        whole = kids.size == ind_val.shape[1] and bool((kids == np.arange(kids.size)).all())
        v = ind_val if whole else ind_val[:, kids]
        if ind_app is None:
            return v, None, None
        assert ind_cov is not None
        return v, (ind_app if whole else ind_app[:, kids]), (ind_cov if whole else ind_cov[:, kids])
    v = nodes[:, kids]
    a = app[:, kids]
    c = np.where(a, cov[:, kids], 0.0)
    zero = grp.zero_missing[grp.parent_col]
    v = np.where(a & np.isnan(v) & zero[None, :], 0.0, v)
    return v, a, c
