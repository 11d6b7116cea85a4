"""The audit's statistics for every column at once (no Python loop over indicators or
indicator pairs): moments of each column, Pearson's r of each column with a partner
column, and the matrix of pairwise-complete correlations from matrix products.

Missing values (NaN) are left out pairwise, as :func:`~.audit.pearson` does for one pair.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["column_moments", "correlation_matrix", "paired_r"]


def column_moments(x: np.ndarray) -> dict[str, np.ndarray]:
    """Per column of ``x`` (rows × columns): ``n`` (finite values), ``min``, ``max``,
    ``mean``, ``sd``, ``skewness``, ``kurtosis`` (excess; population formulas, NaN
    without values or variance) and ``flat`` (no variance).

    Example:
        >>> m = column_moments(np.array([[1.0, 2.0], [3.0, 2.0], [np.nan, 2.0]]))
        >>> m["n"].tolist(), m["mean"].tolist(), m["sd"].tolist(), m["flat"].tolist()
        ([2, 3], [2.0, 2.0], [1.0, 0.0], [False, True])
    """
    t = np.ascontiguousarray(np.asarray(x, np.float64).T)  # one row per column: contiguous
    ok = np.isfinite(t)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, t, 0.0).sum(axis=1) / n
        dev = np.where(ok, t - mean[:, None], 0.0)
        sq = dev * dev
        m2 = sq.sum(axis=1) / n
        m3 = (sq * dev).sum(axis=1) / n
        m4 = (sq * sq).sum(axis=1) / n
        flat = (n > 0) & (m2 <= (1e-12 * np.maximum(1.0, np.abs(mean))) ** 2)
        skew = np.where(flat, np.nan, m3 / m2**1.5)
        kurt = np.where(flat, np.nan, m4 / m2**2 - 3.0)
        lo = np.where(ok, t, np.inf).min(axis=1, initial=np.inf)
        hi = np.where(ok, t, -np.inf).max(axis=1, initial=-np.inf)
    none = n == 0
    nan = np.nan
    return {
        "n": n,
        "min": np.where(none, nan, lo),
        "max": np.where(none, nan, hi),
        "mean": np.where(none, nan, mean),
        "sd": np.where(none, nan, np.sqrt(m2)),
        "skewness": np.where(none, nan, skew),
        "kurtosis": np.where(none, nan, kurt),
        "flat": flat,
    }


def paired_r(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson's r of each column of ``x`` with the same column of ``y`` (both rows ×
    columns), on the rows where both are finite; NaN with fewer than two such rows or
    without variance (a mean square deviation below ``(1e-12 · max(1, |mean|))²``, the
    audit's zero-variance test, so that rounding noise is no correlation).

    Example:
        >>> x = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, np.nan], [np.nan, 3.0]])
        >>> y = np.array([[2.0, 1.0], [4.0, 1.0], [7.0, 5.0], [1.0, 1.0]])
        >>> paired_r(x, y).round(4).tolist()
        [0.9934, nan]
    """
    a = np.ascontiguousarray(np.asarray(x, np.float64).T)
    b = np.ascontiguousarray(np.asarray(y, np.float64).T)
    ok = np.isfinite(a) & np.isfinite(b)
    n = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ma = np.where(ok, a, 0.0).sum(axis=1) / n
        mb = np.where(ok, b, 0.0).sum(axis=1) / n
        a = np.where(ok, a - ma[:, None], 0.0)
        b = np.where(ok, b - mb[:, None], 0.0)
        va, vb = (a * a).sum(axis=1), (b * b).sum(axis=1)
        r = (a * b).sum(axis=1) / np.sqrt(va * vb)
    # no variance: as the audit's zero-variance test, relative to the values' size
    good = (n >= 2) & (va > n * _flat(ma)) & (vb > n * _flat(mb))
    return np.where(good, r, np.nan)


def _flat(mean: np.ndarray) -> np.ndarray:
    """The largest mean square deviation that counts as no variance."""
    return np.asarray((1e-12 * np.maximum(1.0, np.abs(mean))) ** 2)


def correlation_matrix(x: np.ndarray) -> np.ndarray:
    """Pearson's r of every pair of columns of ``x`` on the rows where both are finite
    (pairwise deletion), from matrix products; NaN where a pair has fewer than two such
    rows or (nearly) no variance on them. The diagonal is that of any other pair.

    With missing values the sums of each pair's rows come from products with the
    finite-value mask, taken about each column's own mean so that little cancels.

    Example:
        >>> x = np.array([[1.0, 2.0, 0.0], [2.0, 4.1, 1.0], [3.0, 6.0, np.nan], [4.0, 8.0, 0.0]])
        >>> correlation_matrix(x).round(3).tolist()
        [[1.0, 1.0, -0.189], [1.0, 1.0, -0.171], [-0.189, -0.171, 1.0]]
    """
    x = np.asarray(x, np.float64)
    ok = np.isfinite(x)
    n1 = ok.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(ok, x, 0.0).sum(axis=0) / np.maximum(n1, 1)
        c = np.where(ok, x - centre, 0.0)
        if ok.all():
            cov = c.T @ c
            n = np.full(cov.shape, float(len(x)))
            va = np.broadcast_to(np.diag(cov)[:, None], cov.shape)
        else:
            f = ok.astype(np.float64)
            if len(x) < 1 << 24:  # counts of rows: exact in float32, twice as fast
                f32 = ok.astype(np.float32)
                n = (f32.T @ f32).astype(np.float64)
            else:
                n = f.T @ f
            sa = c.T @ f  # sa[a, b]: sum of a's deviations on the rows of pair (a, b)
            cov = c.T @ c - sa * sa.T / n
            saa = (c * c).T @ f
            va = saa - sa * sa / n
        vb = va.T
        # no variance: as the audit's zero-variance test, relative to the values' size
        # (and to what the subtraction above cancelled)
        tiny = n * _flat(centre)[:, None]
        if not ok.all():
            tiny = np.maximum(tiny, 1e-13 * saa)
        good = (n >= 2) & (va > tiny) & (vb > tiny.T)
        r = np.where(good, cov / np.sqrt(np.where(good, va * vb, 1.0)), np.nan)
    return np.asarray(r)
