"""Benchmark of the HTML report: time per agency at growing sizes, and the gap plans.

Run:  python benchmarks/bench_report.py [--sizes 200 2000 20000] [--repeat 3]
(``benchmarks/run.py --only report`` calls :func:`run` and prints its lines.)

The survey is the bundled demo (``thai-dg-readiness-2016``, 170 agencies, 2015-2016)
tiled to the size asked: agency ``moc`` becomes ``moc``, ``moc~1``, ``moc~2``, ... with
the same answers, so every size has the same mix of bands, missing answers and changes.
For each size it prints the time of ``render_report`` (English, the default card choice:
every agency up to ``CARD_LIMIT``, past it the best and worst ``TOP_BOTTOM``) and that
time per agency (issue 18: flat within 1.5× from 200 to 20,000 agencies; the overview
without cards by its least CPU time over at least five interleaved rounds of the
sizes), then the time
of the card gap plans (``plans_for``) on the demo and on 2,000 agencies, and the demo
report with its plans (issue 16: under 3 s). Medians of ``--repeat`` runs; no
assertions: numbers are for the reader.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.report.view import latest_rows, plans_for


def demo() -> tuple[rm.Rubric, rm.ResponseSet]:
    """The shipped Thai rubric and the bundled demo survey."""
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    return rubric, rm.load_responses(demo_survey_path(), rubric)


def tiled(responses: rm.ResponseSet, agencies: int) -> rm.ResponseSet:
    """``responses`` repeated under new agency ids until there are ``agencies`` of them."""
    ids = list(dict.fromkeys(responses.agencies))
    pos = {a: k for k, a in enumerate(ids)}
    rows: list[int] = []
    names: list[str] = []
    for k in range(-(-agencies // len(ids))):
        for i, a in enumerate(responses.agencies):
            if k * len(ids) + pos[a] < agencies:
                rows.append(i)
                names.append(a if k == 0 else f"{a}~{k}")
    idx = np.array(rows, np.int64)
    return rm.ResponseSet(
        rubric_id=responses.rubric_id,
        indicator_ids=responses.indicator_ids,
        agencies=tuple(names),
        periods=tuple(responses.periods[i] for i in rows),
        values=responses.values[idx],
        missing=responses.missing[idx],
        na=responses.na[idx],
        attributes=tuple((k, tuple(v[i] for i in rows)) for k, v in responses.attributes),
    )


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``fn`` (CPU time: this process only, the
    fairer number on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def overview_cpu(results: Sequence[rm.Results], rounds: int) -> list[float]:
    """The least CPU seconds of the overview (the report without cards) of each of
    ``results``, measured in interleaved rounds (a slow spell of a shared machine then
    falls on every size alike), each round running a size for at least 0.1 s (the
    overview of 200 agencies takes a few milliseconds: one run of it is mostly noise)."""
    best = [float("inf")] * len(results)
    for _ in range(rounds):
        for k, res in enumerate(results):
            spent = 0.0
            while True:
                c = time.process_time()
                rm.render_report(res, agencies=[])
                took = time.process_time() - c
                best[k], spent = min(best[k], took), spent + took
                if spent >= 0.1:
                    break
    return best


def bench_report(sizes: Sequence[int] = (200, 2_000, 20_000), repeat: int = 3) -> list[str]:
    """The report and gap-plan measurements as printable lines."""
    rubric, responses = demo()
    rm.render_report(rm.score(rubric, responses))  # warm up: imports, Thai dictionary
    lines = [
        "report (default cards): agencies cards  wall s  cpu s  cpu ms/agency  "
        "overview cpu ms/agency (min)  cpu ms/card   MB"
    ]
    per: list[float] = []
    scored = [rm.score(rubric, tiled(responses, n)) for n in sizes]
    overview = overview_cpu(scored, max(repeat, 5))
    for results, bare in zip(scored, overview, strict=True):
        agencies = len(set(results.agencies))
        page = rm.render_report(results)
        cards = page.count('<section class="rm-card"')
        wall, cpu = median_time(lambda res=results: rm.render_report(res), repeat)
        per.append(bare / agencies)
        mb = len(page.encode("utf-8")) / 1e6
        lines.append(
            f"{agencies:32d} {cards:5d} {wall:7.2f} {cpu:6.2f} {1000 * cpu / agencies:14.3f} "
            f"{1000 * bare / agencies:29.3f} {1000 * (cpu - bare) / max(cards, 1):12.2f} {mb:5.1f}"
        )
    lines.append(f"overview cost per agency, spread (max/min): {max(per) / min(per):.2f}×")
    for n in (None, 2_000):
        results = rm.score(rubric, responses if n is None else tiled(responses, n))
        rows = latest_rows(results)[0].tolist()
        wall, cpu = median_time(lambda res=results, rows=rows: plans_for(res, rows), 1)
        label = f"demo ({len(rows)})" if n is None else f"{n:,}"
        lines.append(
            f"gap plans of every card, {label} agencies: {wall:.2f} s wall, {cpu:.2f} s cpu"
        )
    results = rm.score(rubric, responses)
    wall, cpu = median_time(lambda: rm.render_report(results), repeat)
    lines.append(
        f"demo report (170 agencies, two periods) with gap plans: {wall:.2f} s wall, "
        f"{cpu:.2f} s cpu"
    )
    return lines


def run(quick: bool = False, big: bool = False) -> list[str]:
    """The lines of :func:`bench_report` for ``benchmarks/run.py`` (``quick``: 200 and
    2,000 agencies only)."""
    return bench_report((200, 2_000) if quick else (200, 2_000, 20_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2_000, 20_000])
    parser.add_argument("--repeat", type=int, default=3)
    ns = parser.parse_args()
    for line in bench_report(ns.sizes, ns.repeat):
        print(line, flush=True)


if __name__ == "__main__":
    main()
