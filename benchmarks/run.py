"""Benchmarks: the engine against a numpy floor and a naive Python loop.

Run:  python benchmarks/run.py [--quick]

For each size (agencies × indicators, 6 dimensions) it prints the median time of
``readiness_model.score`` and its ratio against

* the numpy floor on the same data: goalpost normalisation + one matrix product
  (indicators → dimensions) + the weighted mean of the dimensions;
* a naive loop: plain Python over agencies and indicators (timed on a sample of rows
  and scaled up, since the full loop at 100,000 × 200 takes minutes).

Then the Monte-Carlo sensitivity benchmark (benchmarks/bench_sensitivity.py) if present,
and with ``--io`` the files benchmark (benchmarks/bench_io.py: loading answers against
pandas.read_csv, Results.to_csv against pandas, from_array + score, peak memory; 20,000
rows, or 1,000,000 with ``--big``).
No assertions: numbers are for the reader (and the closing notes of the issues).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import readiness_model as rm


def make(
    n: int, m: int, dims: int = 6, seed: int = 0, *, bands: bool = False
) -> tuple[rm.Rubric, rm.ResponseSet]:
    """A rubric of ``m`` numeric goalpost indicators in ``dims`` dimensions (with three
    bands when ``bands``), and answers."""
    rng = np.random.default_rng(seed)
    per = np.array_split(np.arange(m), dims)
    weights = rng.integers(1, 5, size=m).astype(float)
    dimensions = [
        rm.Dimension(
            f"d{k}",
            weight=float(k + 1),
            indicators=[
                rm.Indicator(
                    f"i{j}", weight=weights[j], scale=rm.NumericScale(goalposts=(0.0, 100.0))
                )
                for j in idx
            ],
        )
        for k, idx in enumerate(per)
    ]
    cuts = [
        rm.Band("high", range=rm.Range(min=60)),
        rm.Band("mid", range=rm.Range(min=40)),
        rm.Band("low"),
    ]
    rubric = rm.Rubric("bench", dimensions=dimensions, bands=cuts if bands else ())
    values = rng.uniform(-10, 110, size=(n, m))
    responses = rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], rubric, period=1)
    return rubric, responses


def floor_fn(rubric: rm.Rubric, values: np.ndarray) -> Callable[[], np.ndarray]:
    """The numpy floor: goalposts + one matrix product + weighted mean of dimensions."""
    inds = rubric.indicators
    lo = np.array([i.scale.goalposts[0] for i in inds])  # type: ignore[union-attr]
    hi = np.array([i.scale.goalposts[1] for i in inds])  # type: ignore[union-attr]
    w = np.zeros((len(inds), len(rubric.dimensions)))
    j = 0
    for k, d in enumerate(rubric.dimensions):
        for ind in d.indicators:
            w[j, k] = ind.weight
            j += 1
    w /= w.sum(axis=0)
    dw = np.array([d.weight for d in rubric.dimensions])
    dw /= dw.sum()

    def run() -> np.ndarray:
        z = np.clip((values - lo) / (hi - lo), 0.0, 1.0)
        return (z @ w) @ dw

    return run


def naive_fn(rubric: rm.Rubric, values: np.ndarray) -> Callable[[], list[float]]:
    """Plain Python: loops over agencies, dimensions and indicators."""
    dims = [
        (d.weight, [(i.weight, i.scale.goalposts) for i in d.indicators]) for d in rubric.dimensions
    ]
    rows = values.tolist()

    def run() -> list[float]:
        out = []
        for row in rows:
            j = 0
            total = wsum = 0.0
            for dw, inds in dims:
                s = ws = 0.0
                for w, (lo, hi) in inds:  # type: ignore[misc]
                    x = min(1.0, max(0.0, (row[j] - lo) / (hi - lo)))
                    s += w * x
                    ws += w
                    j += 1
                total += dw * s / ws
                wsum += dw
            out.append(100.0 * total / wsum)
        return out

    return run


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(n: int, m: int, repeat: int) -> list[str]:
    rubric, responses = make(n, m)
    engine = median_time(lambda: rm.score(rubric, responses), repeat)
    floor = median_time(floor_fn(rubric, responses.values), repeat)
    sample = min(n, 2_000)
    naive_sample = median_time(naive_fn(rubric, responses.values[:sample]), max(1, repeat // 2))
    naive = naive_sample * n / sample
    # correctness check: the engine and the floor agree
    ref = floor_fn(rubric, responses.values)() * 100.0
    got = rm.score(rubric, responses).overall
    err = float(np.max(np.abs(ref - got)))
    return [
        f"{n:>7} x {m:<4} score {engine * 1e3:9.2f} ms | floor {floor * 1e3:9.2f} ms | "
        f"naive {naive * 1e3:11.1f} ms | score/floor {engine / floor:5.2f}x | "
        f"naive/score {naive / engine:7.1f}x | max |score-floor| {err:.1e}"
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--io", action="store_true", help="also answers/results files (minutes)")
    ap.add_argument("--big", action="store_true", help="with --io: 1,000,000 rows (slow)")
    args = ap.parse_args()
    sizes = [(1_000, 50, 21)] if args.quick else [(1_000, 50, 21), (100_000, 200, 7)]
    print("readiness-model", rm.__version__, "numpy", np.__version__)
    for n, m, repeat in sizes:
        for line in bench(n, m, repeat):
            print(line, flush=True)
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_sensitivity  # type: ignore[import-not-found]
    except ImportError:
        print("sensitivity: benchmarks/bench_sensitivity.py not present")
    else:
        for line in bench_sensitivity.run():
            print(line, flush=True)
    if args.io:
        import bench_io  # type: ignore[import-not-found]

        for line in bench_io.run(big=args.big, rows=None if args.big else 20_000):
            print(line, flush=True)


if __name__ == "__main__":
    main()
