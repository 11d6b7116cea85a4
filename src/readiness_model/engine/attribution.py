"""How a node's score splits among its children: one rule per kind of aggregation.

Each rule takes the included children's values ``x`` and weights ``w`` (> 0) exactly as
the walk fed them to the node's aggregation, and the node's score, and returns
``(contributions, label)`` with contributions summing to the score. Aggregations name
their rule when they register; one without a rule is split by the Shapley values of its
own function (docs/analysis-explain.md).

>>> SHAPLEY_EXACT_MAX, SHAPLEY_SAMPLES
(12, 2000)

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from math import factorial
from typing import Any

import numpy as np

from .children import Children

__all__ = [
    "SHAPLEY_EXACT_MAX",
    "SHAPLEY_SAMPLES",
    "linear",
    "log_share",
    "lowest",
    "shapley",
    "shapley_split",
]

SHAPLEY_EXACT_MAX = 12
SHAPLEY_SAMPLES = 2000
Split = tuple[np.ndarray, str]


def linear(x: np.ndarray, w: np.ndarray, score: float, *, seed: int = 0) -> Split:
    """Weight share times value: ``w_c·x_c / W`` (arithmetic means; exact).

    Example:
        >>> linear(np.array([1.0, 0.5]), np.array([1.0, 3.0]), 0.625)[0].tolist()
        [0.25, 0.375]
    """
    return w * x / float(w.sum()), "linear"


def log_share(x: np.ndarray, w: np.ndarray, score: float, *, seed: int = 0) -> Split:
    """Shares of the log-score ``S·s_c ln x_c / Σ s_k ln x_k`` (geometric means); weight
    shares when every ``x`` is 1; nothing when the score is 0.

    Example:
        >>> log_share(np.array([0.5, 0.25]), np.ones(2), 0.3536)[0].round(4).tolist()
        [0.1179, 0.2357]
    """
    s = w / float(w.sum())
    if score == 0 or (x == 0).any():
        return np.zeros_like(x), "log-share"
    logs = s * np.log(x)
    total = float(logs.sum())
    if total == 0:
        return s * score, "log-share"
    return score * logs / total, "log-share"


def lowest(x: np.ndarray, w: np.ndarray, score: float, *, seed: int = 0) -> Split:
    """The whole score to the lowest child, split equally between ties (minimum).

    Example:
        >>> lowest(np.array([0.7, 0.2, 0.2]), np.ones(3), 0.2)[0].tolist()
        [0.0, 0.1, 0.1]
    """
    low = x == x.min()
    return np.where(low, score / low.sum(), 0.0), "minimum"


def _coalitions(
    member: np.ndarray, x: np.ndarray, w: np.ndarray, func: Callable[..., Any], params: Any
) -> np.ndarray:
    """The node's score over each row's member children (0 for the empty set), computed
    by the aggregation function itself."""
    v = func(Children(np.where(member, x, np.nan), w[:, None]), **params)[:, 0]
    out: np.ndarray = np.where(member.any(axis=1), v, 0.0)
    return out


def shapley(
    values: np.ndarray,
    weights: np.ndarray,
    func: Callable[..., Any],
    params: dict[str, Any] | None = None,
    *,
    seed: int = 0,
    samples: int = SHAPLEY_SAMPLES,
) -> tuple[np.ndarray, bool]:
    """Shapley values of children under ``v(T)`` = the aggregation over ``T`` alone.

    Exact for up to :data:`SHAPLEY_EXACT_MAX` children, else averaged over ``samples``
    seeded random permutations (still summing exactly to the score of all children).

    Returns:
        ``(phi, exact)``: one value per child; ``exact`` is False when sampled.

    Example:
        >>> from readiness_model.engine.aggregations import harmonic
        >>> phi, exact = shapley(np.array([1.0, 0.0]), np.array([1.0, 1.0]), harmonic)
        >>> [round(x, 6) for x in phi.tolist()], exact
        ([0.5, -0.5], True)
    """
    x = np.asarray(values, float)
    w = np.asarray(weights, float)
    kw = params or {}
    n = x.size
    if n <= SHAPLEY_EXACT_MAX:
        masks = np.arange(1 << n)
        member = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
        v = _coalitions(member, x, w, func, kw)
        size = member.sum(axis=1)
        coef = np.array([factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)])
        phi = np.zeros(n)
        for i in range(n):
            without = masks[~member[:, i]]
            phi[i] = math.fsum(
                (coef[size[without]] * (v[without | (1 << i)] - v[without])).tolist()
            )
        return phi, True
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((samples, n)), axis=1)
    phi = np.zeros(n)
    steps = np.tril(np.ones((n + 1, n), bool), k=-1)  # row k: the first k of a permutation
    for perm in perms:
        member = np.zeros((n + 1, n), bool)
        member[:, perm] = steps
        phi[perm] += np.diff(_coalitions(member, x, w, func, kw))
    return phi / samples, False


def shapley_split(func: Callable[..., Any]) -> Callable[..., Split]:
    """The attribution rule of an aggregation without its own: Shapley values of ``func``.

    Example:
        >>> from readiness_model.engine.aggregations import harmonic
        >>> phi, label = shapley_split(harmonic)(np.array([1.0, 0.5]), np.ones(2), 2 / 3)
        >>> round(float(phi.sum()), 12), label
        (0.666666666667, 'shapley-exact')
    """

    def split(x: np.ndarray, w: np.ndarray, score: float, *, seed: int = 0, **params: Any) -> Split:
        phi, exact = shapley(x, w, func, params, seed=seed)
        return phi, "shapley-exact" if exact else "shapley-sampled"

    return split
