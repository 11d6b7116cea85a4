"""Benchmark of ``rm.audit``: 5,000 indicators × 1,000 agencies (issue 18: under 10 s).

Run:  python benchmarks/bench_audit.py [--quick]   (also discovered by run.py)

The rubric has 6 top-level dimensions of 5 sub-dimensions each, numeric goalpost
indicators (so about 2.1 million indicator pairs within the top-level dimensions are
checked for near-duplicates), answers with 5% blank cells; a second case has no blank
cell (the correlations then take the one-product path). ``--quick``: 1,000 indicators
× 300 agencies. The minimum of two runs is printed, with ``score`` alone beside it
(``audit`` scores first).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import readiness_model as rm


def make(n: int, m: int, blank: float, seed: int = 0) -> tuple[rm.Rubric, rm.ResponseSet]:
    """``m`` numeric indicators in 6 × 5 dimensions; ``n`` agencies answering with a
    shared factor per top-level dimension (so correlations are not all near zero)."""
    rng = np.random.default_rng(seed)
    tops = np.array_split(np.arange(m), 6)
    num = rm.NumericScale(goalposts=(0.0, 100.0))
    dims = [
        rm.Dimension(
            f"d{k}",
            dimensions=[
                rm.Dimension(
                    f"d{k}_{s}", indicators=[rm.Indicator(f"i{j}", scale=num) for j in sub]
                )
                for s, sub in enumerate(np.array_split(idx, 5))
            ],
        )
        for k, idx in enumerate(tops)
    ]
    rubric = rm.Rubric("bench-audit", dimensions=dims)
    factor = rng.normal(size=(n, 6))
    values = np.empty((n, m))
    for k, idx in enumerate(tops):
        values[:, idx] = 50 + 15 * factor[:, [k]] + 10 * rng.normal(size=(n, len(idx)))
    values[rng.random((n, m)) < blank] = np.nan
    rs = rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], rubric)
    return rubric, rs


def run(quick: bool = False, big: bool = False) -> list[str]:
    """The measurements as printable lines (``big`` is accepted for run.py; unused)."""
    n, m = (300, 1000) if quick else (1000, 5000)
    out = []
    for blank in (0.05, 0.0):
        rubric, rs = make(n, m, blank)
        t_audit, t_score = [], []
        for _ in range(2):  # interleaved rounds, minimum reported
            t = time.perf_counter()
            rm.score(rubric, rs)
            t_score.append(time.perf_counter() - t)
            t = time.perf_counter()
            a = rm.audit(rubric, rs)
            t_audit.append(time.perf_counter() - t)
        out.append(
            f"audit {m:,} indicators x {n:,} agencies, {blank:.0%} blank: "
            f"{min(t_audit):.2f} s (target < 10 s; score alone {min(t_score):.2f} s; "
            f"{len(a.duplicates)} near-duplicate pairs)"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1,000 indicators x 300 agencies")
    args = ap.parse_args()
    for line in run(args.quick):
        print(line, flush=True)


if __name__ == "__main__":
    main()
