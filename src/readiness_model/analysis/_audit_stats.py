"""The statistics of the audit: moments, correlations, Cronbach's alpha, effective weights
(numpy only; :mod:`readiness_model.analysis.audit` puts them together)."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["WEAK_R", "corr_flags", "cronbach_alpha", "effective_weights", "moments", "pearson"]

WEAK_R = 0.1  # |r| below this is a near-zero correlation


def corr_flags(r: float, parent: str) -> tuple[str, ...]:
    if math.isnan(r):
        return (f"correlation with {parent!r} undefined",)
    out = []
    if r < 0:
        out.append(f"negative correlation with {parent!r} (r = {r:.3f})")
    if abs(r) < WEAK_R:
        out.append(f"near-zero correlation with {parent!r} (|r| = {abs(r):.3f} < {WEAK_R})")
    return tuple(out)


def moments(x: np.ndarray) -> tuple[int, float, float, float, float, float, float, bool]:
    """n, min, max, mean, sd, skewness, excess kurtosis (population formulas) of the
    finite values, and whether they have no variance."""
    v = x[np.isfinite(x)]
    nan = math.nan
    if not v.size:
        return 0, nan, nan, nan, nan, nan, nan, False
    mean = float(v.mean())
    dev = v - mean
    m2 = float(np.mean(dev**2))
    flat = m2 <= (1e-12 * max(1.0, abs(mean))) ** 2
    m3, m4 = float(np.mean(dev**3)), float(np.mean(dev**4))
    return (
        int(v.size),
        float(v.min()),
        float(v.max()),
        mean,
        math.sqrt(m2),
        nan if flat else m3 / m2**1.5,
        nan if flat else m4 / m2**2 - 3.0,
        flat,
    )


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r on the rows where both are finite (NaN without variance).

    Example:
        >>> pearson(np.array([1.0, 2, 3, np.nan]), np.array([2.0, 4, 7, 1]))
        0.9933992677987828
    """
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 2:
        return math.nan
    a, b = x[ok] - x[ok].mean(), y[ok] - y[ok].mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / den if den > 0 else math.nan


def cronbach_alpha(items: np.ndarray) -> tuple[float, int]:
    """Cronbach's alpha of the columns of ``items`` on its complete rows, and their count.

    alpha = k / (k − 1) · (1 − Σ var(item) / var(Σ items)), sample variances (ddof = 1;
    the ratio does not depend on the choice). NaN with fewer than 2 items or 2 rows, or
    when the total has no variance.

    Example:
        >>> alpha, rows = cronbach_alpha(np.array([[1.0, 1.0], [0.0, 0.0], [1.0, 0.5],
        ...                                         [0.5, 0.5]]))
        >>> round(alpha, 4), rows
        (0.9143, 4)
    """
    ok = np.isfinite(items).all(axis=1)
    x = items[ok]
    k, n = x.shape[1], x.shape[0]
    if k < 2 or n < 2:
        return math.nan, n
    total = float(x.sum(axis=1).var(ddof=1))
    if total <= 0:
        return math.nan, n
    return k / (k - 1) * (1.0 - float(x.var(axis=0, ddof=1).sum()) / total), n


def effective_weights(children: np.ndarray, parent: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each child's share of its parent's variance: w_i · cov(x_i, P) / var(P).

    Computed on the rows where the parent and every child are finite. For an arithmetic
    parent with every child counted the shares sum to 1. NaN when P has no variance.

    Example:
        >>> kids = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 1.0], [0.0, 0.5]])
        >>> effective_weights(kids, kids @ [0.5, 0.5], np.array([0.5, 0.5])).round(4).tolist()
        [0.5714, 0.4286]
    """
    ok = np.isfinite(parent) & np.isfinite(children).all(axis=1)
    if ok.sum() < 2:
        return np.full(weights.shape, np.nan)
    p = parent[ok] - parent[ok].mean()
    var = float(p @ p)
    if var <= 0:
        return np.full(weights.shape, np.nan)
    c = children[ok] - children[ok].mean(axis=0)
    return np.asarray(weights * (c.T @ p) / var)
