"""What the draws say: rank percentiles and first-order sensitivity indices (formulas and
the reasons behind them: docs/analysis-robustness.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["first_order", "rank_percentiles"]


def rank_percentiles(ranks: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Percentiles (inverted CDF: the smallest rank r with P(rank <= r) >= q) of each
    column of ``ranks`` (draws × rows, 0 = unranked and ignored): rows × len(q), NaN for
    rows never ranked."""
    s = np.sort(ranks, axis=0)
    d = s.shape[0]
    zeros = (s == 0).sum(axis=0)
    valid = d - zeros
    out = np.full((s.shape[1], len(q)), np.nan)
    cols = np.arange(s.shape[1])
    for j, p in enumerate(q):
        k = np.maximum(np.ceil(p / 100.0 * valid - 1e-9).astype(np.int64) - 1, 0)
        pick = s[np.minimum(zeros + k, d - 1), cols].astype(np.float64)
        out[:, j] = np.where(valid > 0, pick, np.nan)
    return out


BLOCK_BYTES = 4_000_000  # one block of rows' draws (draws × rows × 8 bytes): cache-sized


def first_order(
    y: np.ndarray, factors: Sequence[tuple[np.ndarray, bool]], bins: int | None = None
) -> np.ndarray:
    """First-order indices S = Var(E[Y|X]) / Var(Y): rows of ``y`` × factors.

    ``y`` is draws × rows; each factor is (draws × k values, categorical). A weight group
    is first projected on its least-squares direction for each row (Ŷ = [1 X] β̂), then
    E[Y | X] is estimated by the means of Y in equal-width bins of Ŷ (the categories
    themselves when categorical); the correlation ratio η² is bias-corrected like an
    adjusted R²: 1 − (1 − η²)(D − 1)/(D − B), B the bins used. NaN for a row with a NaN
    or infinite draw, or no variance.

    Rows are independent: they are processed in blocks small enough that every
    temporary of a block (draws × block) stays in cache, each factor's projection basis
    computed once for all blocks.
    """
    d, n = y.shape
    b = bins or int(np.clip(d // 25, 2, 32))
    prepared: list[tuple[str, np.ndarray | None, int]] = []
    for x, categorical in factors:
        if categorical:
            prepared.append(("codes", x[:, :1].astype(np.intp), int(x[:, :1].max()) + 1))
            continue
        var = x.std(axis=0) > 0
        if not var.any():
            prepared.append(("constant", None, 0))
            continue
        q, _ = np.linalg.qr(x[:, var] - x[:, var].mean(axis=0))
        prepared.append(("fit", q, b))
    out = np.full((n, len(factors)), np.nan)
    step = max(1, BLOCK_BYTES // (8 * max(d, 1)))
    for s in range(0, n, step):
        out[s : s + step] = _block(y[:, s : s + step], prepared)
    return out


def _block(y: np.ndarray, prepared: Sequence[tuple[str, np.ndarray | None, int]]) -> np.ndarray:
    """:func:`first_order` of one block of rows."""
    d, n = y.shape
    ok = np.isfinite(y).all(axis=0)  # (a NaN or infinite draw: no index)
    y0 = y if ok.all() else np.where(ok, y, 0.0)
    dev = y0 - y0.mean(axis=0)
    total = np.einsum("ij,ij->j", dev, dev)
    valid = ok & (total > 0)
    offset = np.arange(n)[None, :]
    out = np.full((n, len(prepared)), np.nan)
    for f, (kind, a, width) in enumerate(prepared):
        if kind == "constant":
            out[:, f] = np.where(valid, 0.0, np.nan)
            continue
        if kind == "codes":
            assert a is not None
            codes = np.broadcast_to(a, (d, n))
        else:
            assert a is not None
            # Ŷ − mean: projection of the centred Y on the centred group draws
            fit = a @ (a.T @ dev)
            lo = fit.min(axis=0)
            scale = fit.max(axis=0) - lo
            # (a column whose total underflows to 0 has no index, and its spread may be
            # subnormal: width / spread would overflow, and inf × 0 give NaN codes)
            with np.errstate(over="ignore"):  # (the overflowing ones are not kept)
                scale = np.where(
                    (scale > 1e-12 * np.sqrt(total / d)) & valid,
                    width / np.where(scale > 0, scale, 1.0),
                    0.0,
                )
            fit -= lo
            fit *= scale
            codes = fit.astype(np.intp)
            np.minimum(codes, width - 1, out=codes)
        flat = (codes + width * offset).ravel()
        count = np.bincount(flat, minlength=width * n).reshape(n, width)
        sums = np.bincount(flat, weights=dev.ravel(), minlength=width * n).reshape(n, width)
        with np.errstate(invalid="ignore", divide="ignore"):
            between = (sums**2 / np.maximum(count, 1)).sum(axis=1)
            used = (count > 0).sum(axis=1)
            adj = 1.0 - (1.0 - between / total) * (d - 1) / np.maximum(d - used, 1)
        out[:, f] = np.where(valid, np.clip(adj, 0.0, 1.0), np.nan)
    return out
