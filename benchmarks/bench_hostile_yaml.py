"""Hostile rubric YAML: CPU time to reject (or load) about 1 MB of text.

Run:  python benchmarks/bench_hostile_yaml.py

The promise (issue 12): any rubric text of 1 MB is rejected or loaded in under 1 s of CPU
(``time.process_time``), and a file over the size limit is refused without being read.
Each shape is written twice: at about 1 MB, and at the largest size the limits let through
to the full reading (just under ``MAX_EVENTS`` parser events or ``MAX_EXPANDED`` nodes),
which is the slowest case. No assertions: numbers are for the reader.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import readiness_model as rm
from readiness_model.io.rubric_yaml import rubric_from_yaml
from readiness_model.io.yaml_nodes import MAX_EVENTS, MAX_EXPANDED

MB = 1_000_000
HEAD = 'rubric: x\nversion: "1"\n'


def keys(n: int) -> str:
    """``n`` unknown top-level keys (two events each)."""
    return HEAD + "".join(f"k{i}: 0\n" for i in range(n))


def nested_keys(n: int) -> str:
    """``n`` unknown keys in one indicator (a did-you-mean hint for each)."""
    head = HEAD + "dimensions:\n- id: d\n  indicators:\n  - id: q\n"
    return head + "".join(f"    wieght{i}: 0\n" for i in range(n))


def flow_list(n: int) -> str:
    """A flow list of ``n`` numbers."""
    return HEAD + "scale: [" + ",".join("0" for _ in range(n)) + "]\n"


def indicators(n: int) -> str:
    """A valid rubric of ``n`` indicators (four events each): loaded, not rejected."""
    body = "".join(f"  - {{id: q{i:07d}}}\n" for i in range(n))
    return HEAD + "dimensions:\n- id: d\n  indicators:\n" + body


def bad_weights(n: int) -> str:
    """``n`` indicators each with a bad weight (a located problem each)."""
    body = "".join(f"  - {{id: q{i}, weight: x}}\n" for i in range(n))
    return HEAD + "dimensions:\n- id: d\n  indicators:\n" + body


def aliases(n: int) -> str:
    """``n`` aliases of a ten-item list (eleven nodes each once expanded)."""
    return HEAD + "a: &a [1,2,3,4,5,6,7,8,9,10]\n" + "".join(f"b{i}: *a\n" for i in range(n))


def long_text(n: int) -> str:
    """One title of ``n`` characters."""
    return HEAD + "title: '" + "x" * n + "'\n"


# shape -> (size for about 1 MB, largest size within the limits)
SHAPES: dict[Callable[[int], str], tuple[int, int]] = {
    keys: (99_000, MAX_EVENTS // 2 - 20),
    nested_keys: (70_000, MAX_EVENTS // 2 - 40),
    flow_list: (MB // 2, MAX_EVENTS - 40),
    indicators: (45_000, MAX_EVENTS // 4 - 40),
    bad_weights: (40_000, MAX_EVENTS // 6 - 40),
    aliases: (90_000, min(MAX_EVENTS // 2, MAX_EXPANDED // 12) - 20),
    long_text: (MB - 40, MB - 40),
}


def run(text: str) -> tuple[float, str]:
    t0 = time.process_time()
    try:
        rubric_from_yaml(text)
        what = "loaded"
    except rm.RubricError as err:
        what = f"rejected ({len(err.problems)} problems): {err.problems[0].message[:50]}"
    return time.process_time() - t0, what


def huge_file() -> tuple[float, str]:
    """A sparse 2 GB file: refused from its size, nothing read."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "huge.yaml")
        with open(path, "wb") as fh:
            fh.truncate(2 * 1024**3)
        t0 = time.process_time()
        try:
            rm.load_rubric(path)
            what = "loaded?!"
        except rm.RubricError as err:
            what = err.problems[0].message[:60]
        return time.process_time() - t0, what


def main() -> None:
    print(f"{'shape':12} {'MB':>5} {'CPU s':>6}  outcome")
    for shape, sizes in SHAPES.items():
        for n in dict.fromkeys(sizes):
            text = shape(n)
            secs, what = run(text)
            print(f"{shape.__name__:12} {len(text.encode()) / MB:5.2f} {secs:6.2f}  {what}")
    secs, what = huge_file()
    print(f"{'2 GB file':12} {2147.48:5.0f} {secs:6.2f}  {what}")


if __name__ == "__main__":
    main()
