"""Monte-Carlo sensitivity against a hand-vectorised numpy reference doing the same draws.

Run alone (``python benchmarks/bench_sensitivity.py [--quick] [--big]``) or from
``benchmarks/run.py``, which prints the lines :func:`run` returns.

The rubric is the engine table's (min-max over the population, 6 dimensions, three
bands); 1,000 multiplicative weight draws (each weight × U(0.75, 1.25), renormalised),
either of every weight (``vary="all"``) or of the dimension weights only
(``vary="dimensions"``). ``rm.sensitivity`` (with ``indices=False``, the same work as
the reference, and with its default first-order indices) is timed against
:func:`reference`: plain numpy that normalises once, draws the same kind of weights in
blocks sized to memory, scores every draw of a block with one matrix product, ranks each
draw (competition ranks) and counts bands, and ends with the 5th/50th/95th rank percentiles; it does
not compute first-order indices, which ``rm.sensitivity`` returns by default.
Sizes: 1,000 × 50 (``quick``), 10,000 × 100, and 100,000 × 200 with ``big``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import interleaved, make_rubric, make_values, rm, structure

DEFAULT = True  # run.py runs this module every time
DRAWS = 1_000
NOISE = 0.25
BLOCK_BYTES = 256_000_000


def competition_ranks(overall: np.ndarray) -> np.ndarray:
    """Ranks ("1224", best first) of each row of ``overall`` (draws × agencies)."""
    key = -overall
    order = np.argsort(key, axis=1)
    sk = np.take_along_axis(key, order, axis=1)
    new = np.ones(sk.shape, bool)
    new[:, 1:] = sk[:, 1:] != sk[:, :-1]
    first = np.maximum.accumulate(np.where(new, np.arange(sk.shape[1]), 0), axis=1) + 1
    out = np.empty_like(first)
    np.put_along_axis(out, order, first, axis=1)
    return out


def reference(
    rubric: rm.Rubric, values: np.ndarray, draws: int, vary: str, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Rank percentiles (agencies × 3) and band shares (agencies × 3) over ``draws``
    multiplicative weight draws, in plain numpy."""
    w, dim, dw = structure(rubric)
    n, m = values.shape
    k = dw.size
    onehot = np.eye(k)[dim]  # M × K
    share = w.sum(axis=1)  # each indicator's share within its dimension
    lo, hi = values.min(axis=0), values.max(axis=0)
    z = (values - lo) / (hi - lo)
    nominal = z @ w if vary == "dimensions" else None
    rng = np.random.default_rng(seed)
    ranks = np.empty((draws, n), np.int32)
    bands = np.zeros((n, 3))
    block = max(1, min(draws, BLOCK_BYTES // (8 * n * (k + 8))))
    for start in range(0, draws, block):
        b = min(block, draws - start)
        wd = dw * rng.uniform(1 - NOISE, 1 + NOISE, size=(b, k))
        wd /= wd.sum(axis=1, keepdims=True)
        if nominal is not None:
            overall = wd @ nominal.T
        else:
            wi = share * rng.uniform(1 - NOISE, 1 + NOISE, size=(b, m))
            wi /= (wi @ onehot)[:, dim]  # shares within each dimension again
            stacked = (wi[:, :, None] * onehot).transpose(1, 0, 2).reshape(m, b * k)
            dims = (z @ stacked).reshape(n, b, k)
            overall = np.einsum("nbk,bk->bn", dims, wd)
        overall *= 100.0
        ranks[start : start + b] = competition_ranks(overall)
        level = (overall >= 60).astype(np.int8) + (overall >= 40)
        for c in range(3):
            bands[:, c] += (level == 2 - c).sum(axis=0)
    ordered = np.sort(ranks, axis=0)
    pick = [max(0, int(np.ceil(q * draws)) - 1) for q in (0.05, 0.5, 0.95)]
    return ordered[pick].T.astype(np.float64), bands / draws


def bench(n: int, m: int, rounds: int) -> list[str]:
    """One size: rm.sensitivity and the reference, every weight and dimensions only."""
    rubric = make_rubric(m, normalize="minmax", bands=True)
    values = make_values(n, m)
    rs = rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], rubric, period=1)
    out = [
        f"sensitivity: {n:,} × {m}, {DRAWS:,} multiplicative draws (noise {NOISE}), "
        f"{rounds} interleaved rounds, seconds"
    ]
    for vary in ("all", "dimensions"):
        fns = {
            "no indices": lambda vary=vary: rm.sensitivity(
                rubric,
                rs,
                samples=DRAWS,
                weights="multiplicative",
                noise=NOISE,
                vary=vary,
                indices=False,
            ),
            "with indices": lambda vary=vary: rm.sensitivity(
                rubric, rs, samples=DRAWS, weights="multiplicative", noise=NOISE, vary=vary
            ),
            "numpy reference": lambda vary=vary: reference(rubric, values, DRAWS, vary),
        }
        times = interleaved(fns, rounds, warm=n * m < 10**7)  # type: ignore[arg-type]
        ref = min(times["numpy reference"])
        out.append(
            f"  vary={vary:<11} numpy reference {ref:7.2f} "
            f"(median {statistics.median(times['numpy reference']):7.2f})"
        )
        for name in ("no indices", "with indices"):
            eng = min(times[name])
            out.append(
                f"    rm.sensitivity {name:<12} {eng:8.2f} (median "
                f"{statistics.median(times[name]):7.2f})  ratio {eng / ref:5.2f}×"
            )
    return out


def run(quick: bool = False, big: bool = False) -> list[str]:
    """Time the benchmark; return the lines to print."""
    sizes = [(1_000, 50, 3)] if quick else [(1_000, 50, 3), (10_000, 100, 2)]
    if big:
        sizes.append((100_000, 200, 1))
    return [line for n, m, rounds in sizes for line in bench(n, m, rounds)]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--big", action="store_true", help="also 100,000 × 200 (minutes)")
    args = ap.parse_args()
    for line in run(quick=args.quick, big=args.big):
        print(line, flush=True)
