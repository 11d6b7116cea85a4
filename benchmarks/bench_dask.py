"""Benchmark: scoring past one machine on a Dask LocalCluster (not a test).

Run:  python benchmarks/bench_dask.py            # the sizes of issue 17 (hours, ~8 GB disk)
      python benchmarks/bench_dask.py --small    # 1,000,000 × 50; sensitivity 20,000 × 200,
                                                 # 200 draws

1. Scoring: ``--rows`` × ``--indicators`` answers written to Parquet, one file of
   ``--partition-rows`` rows per partition (generated file by file, so this script never
   holds the data set either), scored by ``score_dask`` on a LocalCluster of
   ``--workers`` worker processes and written back to Parquet. Reports the time, the rows
   per second, and each worker's peak resident memory (``VmHWM``), which stays
   bounded by the partition size, not by the data set.
2. Sensitivity: ``--draws`` Monte-Carlo draws over ``--sens-rows`` × ``--sens-indicators``
   with ``sensitivity_dask`` on one worker, then on two (same seed: same result).

Needs ``pip install "readiness-model[dask]"``. No assertions beyond the equality of the
two sensitivity runs: numbers are for the reader.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import readiness_model as rm
from readiness_model.dask import score_dask, sensitivity_dask

METHODS = ("goalposts", "minmax", "zscore", "percentile", "goalposts")


def rubric(m: int, dims: int) -> rm.Rubric:
    """``m`` numeric indicators in ``dims`` dimensions, population-relative methods on
    three in five, scores rounded to 4 decimals (as published indices are)."""
    per = np.array_split(np.arange(m), dims)
    return rm.Rubric(
        "bench",
        dimensions=[
            rm.Dimension(
                f"d{k}",
                weight=1 + k % 3,
                indicators=[
                    rm.Indicator(
                        f"i{j:03d}",
                        weight=1 + j % 4,
                        scale=rm.NumericScale(goalposts=(0.0, 100.0)),
                        normalize=rm.Normalization(METHODS[j % len(METHODS)]),
                    )
                    for j in idx.tolist()
                ],
            )
            for k, idx in enumerate(per)
        ],
        rounding=4,
        bands=[rm.Band("high", range=rm.Range(min=60)), rm.Band("low")],
    )


def answers(rows: int, m: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0, 100, (rows, m)), 1)
    values[rng.random((rows, m)) < 0.03] = np.nan
    return values


def write_parquet(folder: Path, r: rm.Rubric, rows: int, part: int) -> int:
    ids = [x.id for x in r.indicators]
    files = 0
    for k, start in enumerate(range(0, rows, part)):
        n = min(part, rows - start)
        df = pd.DataFrame(answers(n, len(ids), seed=k), columns=ids)
        df.insert(0, "period", 2024)
        df.insert(0, "agency", [f"a{i:09d}" for i in range(start, start + n)])
        df.to_parquet(folder / f"answers-{k:05d}.parquet", index=False)
        files += 1
    return files


def peak_rss_mb() -> float:
    """This process's peak resident memory, in MB: ``VmHWM``, which starts afresh when a
    worker process starts (``ru_maxrss``, used where there is no /proc, keeps the peak of
    the process it was forked from)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_score(args: argparse.Namespace, tmp: Path) -> None:
    r = rubric(args.indicators, 5)
    src, out = tmp / "answers", tmp / "scores"
    src.mkdir()
    t = time.perf_counter()
    files = write_parquet(src, r, args.rows, args.partition_rows)
    size = sum(f.stat().st_size for f in src.iterdir()) / 1e6
    print(
        f"answers: {args.rows:,} rows × {args.indicators} indicators, {files} Parquet files "
        f"({size:,.0f} MB), written in {time.perf_counter() - t:.1f} s"
    )
    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        start = client.run(peak_rss_mb)
        t = time.perf_counter()
        score_dask(r, dd.read_parquet(str(src / "*.parquet"))).to_parquet(str(out))
        took = time.perf_counter() - t
        peaks = client.run(peak_rss_mb)
    print(
        f"score_dask + to_parquet on {args.workers} workers: {took:.1f} s "
        f"({args.rows / took:,.0f} rows/s)"
    )
    for w, mb in sorted(peaks.items()):
        print(f"  worker {w}: peak RSS {mb:,.0f} MB (at start {start[w]:,.0f} MB)")
    rows = sum(len(pd.read_parquet(f, columns=["rank"])) for f in out.glob("*.parquet"))
    print(f"  scores written: {rows:,} rows; one partition of answers is "
          f"~{args.partition_rows * args.indicators * 8 / 1e6:,.0f} MB")  # fmt: skip


def bench_sensitivity(args: argparse.Namespace) -> None:
    r = rubric(args.sens_indicators, 10)
    n = args.sens_rows
    rs = rm.ResponseSet.from_array(
        answers(n, args.sens_indicators, seed=1), [f"a{i}" for i in range(n)], r, period=2024
    )
    print(
        f"sensitivity: {args.draws} draws over {n:,} × {args.sens_indicators}, "
        f"blocks of {args.block}"
    )
    results = []
    for workers in (1, 2):
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            Client(cluster) as client,
        ):
            t = time.perf_counter()
            s = sensitivity_dask(r, rs, client, samples=args.draws, seed=0, block=args.block)
            took = time.perf_counter() - t
            peaks = client.run(peak_rss_mb)
        results.append(s)
        print(
            f"  {workers} worker(s): {took:.1f} s; peak RSS per worker "
            + ", ".join(f"{mb:,.0f} MB" for mb in peaks.values())
        )
    same = np.array_equal(results[0].rank_interval, results[1].rank_interval, equal_nan=True)
    print(f"  same rank intervals on 1 and 2 workers: {same}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--small", action="store_true", help="sizes for a shared 2-core machine")
    p.add_argument("--rows", type=int, default=20_000_000)
    p.add_argument("--indicators", type=int, default=50)
    p.add_argument("--partition-rows", type=int, default=250_000)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--sens-rows", type=int, default=100_000)
    p.add_argument("--sens-indicators", type=int, default=200)
    p.add_argument("--draws", type=int, default=1000)
    p.add_argument("--block", type=int, default=100)
    p.add_argument("--skip-score", action="store_true")
    p.add_argument("--skip-sensitivity", action="store_true")
    args = p.parse_args()
    if args.small:
        args.rows, args.partition_rows = 1_000_000, 125_000
        args.sens_rows, args.draws, args.block = 20_000, 200, 50
    tmp = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        if not args.skip_score:
            bench_score(args, tmp)
        if not args.skip_sensitivity:
            bench_sensitivity(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
