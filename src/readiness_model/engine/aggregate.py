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

__all__ = ["Tree", "aggregate", "combine", "unit_weights"]

COVERAGE_EPS = 1e-12


@attrs.frozen(slots=True, eq=False)
class Tree:
    """Node scores on [0, 1] (NaN = missing or not applicable) and coverage."""

    nodes: np.ndarray  # N × K
    coverage: np.ndarray  # N × K (NaN where the node is not applicable)
    applicable: np.ndarray  # N × K bool
    overall: np.ndarray  # N
    overall_coverage: np.ndarray  # N


def unit_weights(w: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sibling weights scaled by a power of two so the largest of each group lies in [1, 2).

    Weights are relative, so this changes no score: scaling by a power of two is exact,
    and every weighted sum and ratio of the engine comes out bit for bit the same,
    except that tiny weights such as ``5e-324`` no longer underflow in ``v·w``. A
    positive weight too small to survive next to its largest sibling (a ratio below
    about ``1e-308``) stays at the smallest positive double, so it still counts.

    Args:
        w: Non-negative weights; each group of siblings runs along ``axis``.
        axis: The axis holding one group's siblings (0: one group per column).

    Returns:
        A new array of the same shape; all-zero groups stay zero.

    Example:
        >>> unit_weights(np.array([[5e-324, 1.0], [1e-323, 3.0]])).tolist()
        [[0.5, 0.5], [1.0, 1.5]]

    .. versionadded:: 0.1.0
    """
    w = np.asarray(w, np.float64)
    top = w.max(axis=axis, keepdims=True, initial=0.0)
    _, exp = np.frexp(np.where(top > 0, top, 1.0))
    out = np.ldexp(w, 1 - exp)
    return np.where((w > 0) & (out == 0), _SMALLEST, out)


_SMALLEST = float(np.nextafter(0.0, 1.0))


def combine(
    method: str, p: float, v: np.ndarray, w: np.ndarray, *, complete: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted means of the rows of ``v`` (NaN = excluded) under each column of ``w``.

    The one aggregation kernel: the engine calls it per node group, explanations per
    node and sensitivity analysis per stack of weight draws, so they agree bit for bit.

    Args:
        method: ``arithmetic``, ``geometric``, ``harmonic``, ``power`` or ``minimum``.
        p: Exponent of the power mean (ignored otherwise).
        v: Child scores, ``... × N × C`` (NaN = not included).
        w: Child weights, ``... × C × G`` (column g: node g's children; as scaled by
            :func:`unit_weights`). ``minimum`` takes a single ``C × G`` matrix.
        complete: Promise that ``v`` has no NaN (skips the check).

    Returns:
        ``(score, included_weight)``, each ``... × N × G``; the score is NaN where no
        weight is included.

    Example:
        >>> s, _ = combine("arithmetic", 0.0, np.array([[1.0, 0.5]]), np.array([[1.0], [3.0]]))
        >>> s.tolist()
        [[0.625]]

    .. versionadded:: 0.1.0
    """
    shape = (*np.broadcast_shapes(v.shape[:-2], w.shape[:-2]), v.shape[-2], w.shape[-1])
    if complete and method == "arithmetic":
        wsum = w.sum(axis=-2)[..., None, :]
        return (v @ w) / wsum, np.broadcast_to(wsum, shape)
    inc = ~np.isnan(v)
    full = bool(inc.all())
    incw = (
        np.broadcast_to(w.sum(axis=-2)[..., None, :], shape).copy()
        if full
        else inc.astype(np.float64) @ w
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "minimum":
            out = np.full(shape, np.nan)
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
        # 1/s and s**p of a subnormal s overflow to inf, and inf times the 0 weight it
        # has in a sibling node's column would poison that column with NaN: cap at the
        # largest float (the node that does weigh it still comes out ~0, as it should)
        elif method == "harmonic":
            out = incw / (np.minimum(1.0 / safe, _BIG) * inc @ w)
        else:  # power, p < 0
            out = (np.minimum(safe**p, _BIG) * inc @ w / incw) ** (1.0 / p)
        out = np.where(zero, 0.0, out)
        return np.where(incw > 0, out, np.nan), incw


_BIG = np.finfo(np.float64).max


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
        v, a, c = _children(grp, ind_val, ind_app, ind_cov, nodes, app, cov, plan.min_coverage)
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
    min_coverage: np.ndarray,
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
    v = np.where(a & np.isnan(v) & zero[None, :] & unanswered(c, min_coverage[kids]), 0.0, v)
    return v, a, c


def unanswered(coverage: np.ndarray, min_coverage: np.ndarray) -> np.ndarray:
    """Child nodes whose missing score is a missing answer (counted 0 under ``zero``).

    A node has no score when nothing in it was answered or its coverage fell below its
    ``min_coverage``: both are missing answers. A node that was answered but has no
    score for another reason (a population-relative score in a period without
    population) is not, and its parent drops it under every policy.
    """
    with np.errstate(invalid="ignore"):
        out: np.ndarray = (coverage <= 0) | (coverage < min_coverage[None, :] - COVERAGE_EPS)
    return out
