"""Monte-Carlo sensitivity benchmark: 1,000 agencies × 50 indicators, 6 dimensions.

Run alone (``python benchmarks/bench_sensitivity.py``) or from ``benchmarks/run.py``,
which prints the lines :func:`run` returns. The target: 1,000 Dirichlet weight draws at
every node in under a second. The ratio is against the straightforward loop (one
``rm.score`` per drawn rubric), timed on a sample of draws and scaled up.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import readiness_model as rm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import make as bench_rubric
from run import median_time


def make(n: int = 1000, m: int = 50) -> tuple[rm.Rubric, rm.ResponseSet]:
    """The engine benchmark's rubric and answers (benchmarks/run.py), with bands."""
    return bench_rubric(n, m, bands=True)


def _median(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up (compile the rubric, fault in memory)
    return median_time(fn, repeat)


def _loop_per_draw(rubric: rm.Rubric, responses: rm.ResponseSet, draws: int) -> float:
    s = rm.sensitivity(rubric, responses, samples=draws, keep_draws=True)

    def one(d: int) -> None:
        w = s.weights_of(d)
        dims = [
            attrs.evolve(
                dim,
                weight=w["overall"][dim.id],
                indicators=[attrs.evolve(x, weight=w[dim.id][x.id]) for x in dim.indicators],
            )
            for dim in rubric.dimensions
        ]
        rm.score(attrs.evolve(rubric, dimensions=dims), responses)

    t = time.perf_counter()
    for d in range(draws):
        one(d)
    return (time.perf_counter() - t) / draws


def run(repeat: int = 3) -> list[str]:
    """Time the benchmark; return the lines to print."""
    rubric, responses = make()
    n, m = responses.shape
    out = [
        f"sensitivity: {n:,} agencies × {m} indicators, 6 dimensions, 1,000 draws "
        f"(median of {repeat})"
    ]
    for label, kw in (
        ("dirichlet", {}),
        ("multiplicative", {"weights": "multiplicative", "noise": 0.25}),
    ):
        sec = _median(lambda kw=kw: rm.sensitivity(rubric, responses, samples=1000, **kw), repeat)  # type: ignore[misc]
        out.append(f"  {label:<15} {sec:7.3f} s  {'OK' if sec < 1 else 'SLOW'} (target < 1 s)")
        if label == "dirichlet":
            base = sec
    per = _loop_per_draw(rubric, responses, 20)
    out.append(
        f"  loop of rm.score per drawn rubric: {per * 1000:.2f} ms/draw -> "
        f"{per * 1000:.2f} s for 1,000 draws ({per * 1000 / base:.1f}× the vectorised "
        "run, which also computes ranks, bands and indices)"
    )
    return out


if __name__ == "__main__":
    for line in run():
        print(line, flush=True)
