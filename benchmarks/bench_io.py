"""Benchmarks of answers and results files: load_responses against pandas.read_csv,
Results.to_csv against pandas.DataFrame.to_csv, from_array + score, and peak memory.

Run:  python benchmarks/bench_io.py [--rows N] [--quick] [--big] [--only load|to_csv|from_array]
(also discovered by run.py, which calls ``run(quick, big)``)

The answers file is a survey-like CSV: 20 numeric indicators (two decimals), 15 yes/no,
10 ordinal levels and 5 checklists, with 5% blank and 2% "n/a" cells, plus a
``--floats`` variant whose numbers are full 17-digit floats (the worst case for any text
parser). Every measurement of time and memory runs in a fresh Python process, so that
the peak resident memory (``VmHWM``) is the measurement's own; memory is given as a
multiple of the final answers matrix (values + missing + n/a masks, 10 bytes a cell).
Default size 100,000 × 50 (a few minutes); ``--quick`` 20,000 rows; ``--big`` measures
1,000,000 × 50. Two rounds, interleaved (pandas, standard library, pyarrow, then again);
the minimum time and the minimum peak memory of each are printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
KINDS = ["numeric"] * 20 + ["binary"] * 15 + ["ordinal"] * 10 + ["checklist"] * 5
LEVELS = ["none", "planned", "piloted", "deployed", "optimised"]
ITEMS = ["a", "b", "c", "d"]

RUBRIC = textwrap.dedent(
    """
    import readiness_model as rm
    KINDS = {kinds!r}
    def scale(k):
        if k == "numeric":
            return rm.NumericScale(goalposts=(0, 100))
        if k == "ordinal":
            return rm.OrdinalScale(levels={levels!r})
        if k == "checklist":
            return rm.ChecklistScale(items={items!r})
        return rm.BinaryScale()
    ind = [rm.Indicator(f"i{{j}}", scale=scale(k)) for j, k in enumerate(KINDS)]
    cuts = [0, 9, 17, 25, 33, 41, 50]  # six dimensions, indicators in file order
    rubric = rm.Rubric("bench", dimensions=[
        rm.Dimension(f"d{{k}}", indicators=ind[cuts[k]:cuts[k + 1]]) for k in range(6)])
    """
).format(kinds=KINDS, levels=LEVELS, items=ITEMS)


def write_answers(path: Path, n: int, floats: bool, seed: int = 0) -> None:
    """The survey-like answers file (see the module docstring)."""
    rng = np.random.default_rng(seed)
    checks = [
        "|".join(it for b, it in enumerate(ITEMS) if mk >> b & 1) or "none" for mk in range(16)
    ]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("agency,period," + ",".join(f"i{j}" for j in range(len(KINDS))) + "\n")
        step = 20_000
        for s in range(0, n, step):
            e = min(n, s + step)
            cols = []
            for k in KINDS:
                if k == "numeric":
                    v = rng.uniform(-10, 110, e - s)
                    txt = list(map(repr, v.tolist())) if floats else [f"{x:.2f}" for x in v]
                elif k == "binary":
                    txt = np.where(rng.random(e - s) < 0.5, "yes", "no").tolist()
                elif k == "ordinal":
                    txt = np.array(LEVELS)[rng.integers(0, 5, e - s)].tolist()
                else:
                    txt = np.array(checks)[rng.integers(0, 16, e - s)].tolist()
                r = rng.random(e - s)
                txt = [
                    "" if q < 0.05 else "n/a" if q < 0.07 else t
                    for t, q in zip(txt, r, strict=True)
                ]
                cols.append(txt)
            agencies = [f"a{i}" for i in range(s, e)]
            rows = zip(agencies, ["2016"] * (e - s), *cols, strict=True)
            f.write("".join(",".join(row) + "\n" for row in rows))


# The child's own peak: the high-water mark of its address space (``VmHWM``), which
# starts afresh at ``exec``. ``ru_maxrss`` does not: a child of a large parent (run.py
# after the engine table) reports the parent's peak. ``ru_maxrss`` where there is no /proc.
PEAK_RSS = textwrap.dedent(
    """
    def peak_rss():
        try:
            with open("/proc/self/status", encoding="ascii") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    """
)


def child(code: str) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter; it prints a JSON dict (seconds...); the peak
    resident memory in bytes is added as ``rss``."""
    prog = (
        "import json, resource, sys, time\n"
        + PEAK_RSS
        + f"sys.path.insert(0, {str(ROOT / 'src')!r})\n"
        + code
        + "\nout['rss'] = peak_rss()\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _baseline() -> float:
    return child("import numpy, readiness_model\nout = {}")["rss"]


def load_lines(path: Path, n: int, label: str, rounds: int = 2) -> list[str]:
    m = len(KINDS)
    matrix = n * m * 10
    base = _baseline()
    pandas_code = (
        f"import pandas as pd\nt = time.perf_counter(); df = pd.read_csv({str(path)!r})\n"
        "out = {'s': time.perf_counter() - t}"
    )
    got: dict[str, list[dict[str, float]]] = {"pandas": [], "python": [], "pyarrow": []}
    skipped: dict[str, str] = {}
    for _ in range(rounds):  # interleaved: the machine's load shifts between rounds
        got["pandas"].append(child(pandas_code))
        for engine in ("python", "pyarrow"):
            if engine in skipped:
                continue
            try:
                got[engine].append(
                    child(
                        RUBRIC
                        + f"\nt = time.perf_counter()\nrs = rm.load_responses({str(path)!r}, "
                        f"rubric, engine={engine!r})\nout = {{'s': time.perf_counter() - t}}"
                    )
                )
            except RuntimeError as err:  # pyarrow not installed
                skipped[engine] = str(err)[:80]
    pandas = min(r["s"] for r in got["pandas"])
    out = [f"load {label} {n:,} x {m}: pandas.read_csv {pandas:.2f} s (min of {rounds})"]
    for engine in ("python", "pyarrow"):
        if engine in skipped:
            out.append(f"    {engine:8s} skipped ({skipped[engine]})")
            continue
        s = min(r["s"] for r in got[engine])
        rss = min(r["rss"] for r in got[engine]) - base
        out.append(
            f"    {engine:8s} {s:7.2f} s  = {s / pandas:5.2f}x pandas | "
            f"peak memory {rss / matrix:4.2f}x the answers matrix "
            f"({rss / 2**20:,.0f} MiB over the interpreter)"
        )
    return out


def to_csv_lines(n: int) -> list[str]:
    code = RUBRIC + textwrap.dedent(
        f"""
        import numpy as np, pandas as pd
        rng = np.random.default_rng(0)
        values = rng.uniform(-10, 110, ({n}, len(KINDS)))
        for j, k in enumerate(KINDS):
            if k != "numeric":
                top = 2 if k == "binary" else 5 if k == "ordinal" else 16
                values[:, j] = rng.integers(0, top, {n})
        rs = rm.ResponseSet.from_array(values, [f"a{{i}}" for i in range({n})], rubric, period=1)
        res = rm.score(rubric, rs)
        import io
        ours = theirs = float("inf")
        for _ in range(2):  # interleaved rounds, minima
            t = time.perf_counter(); text = res.to_csv(); ours = min(ours, time.perf_counter() - t)
            if theirs == float("inf"):
                df = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
            t = time.perf_counter(); df.to_csv(index=False)
            theirs = min(theirs, time.perf_counter() - t)
        read = 0.0
        if {n} <= 100_000:
            t = time.perf_counter()
            back = rm.Results.from_csv(text, rubric=rubric)
            read = time.perf_counter() - t
            assert back == res
        out = {{'ours': ours, 'pandas': theirs, 'read': read, 'cols': len(df.columns)}}
        """
    )
    got = child(code)
    return [
        f"to_csv {n:,} rows x {int(got['cols'])} columns: Results.to_csv {got['ours']:.2f} s, "
        f"pandas.DataFrame.to_csv of the same table {got['pandas']:.2f} s = "
        f"{got['ours'] / got['pandas']:.2f}x"
        + (f"; from_csv {got['read']:.2f} s, bit-exact round trip" if got["read"] else "")
    ]


def from_array_lines(n: int, m: int) -> list[str]:
    code = textwrap.dedent(
        f"""
        import numpy as np, readiness_model as rm
        sys.path.insert(0, {str(ROOT / "benchmarks")!r})
        from run import make, floor_fn
        rubric, rs = make({n}, {m})
        values = np.array(rs.values)
        agencies = list(rs.agencies)
        floor = floor_fn(rubric, values)
        def best(f, k=3):
            ts = []
            for _ in range(k):
                t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
            return min(ts)
        def build(copy):
            return rm.ResponseSet.from_array(values, agencies, rubric, period=1, copy=copy)
        t_floor = best(floor)
        t_copy = best(lambda: rm.score(rubric, build(True)))
        t_share = best(lambda: rm.score(rubric, build(False)))
        t_from = best(lambda: build(True))
        out = {{'floor': t_floor, 'copy': t_copy, 'share': t_share, 'from': t_from}}
        """
    )
    got = child(code)
    return [
        f"from_array + score {n:,} x {m}: {got['copy']:.3f} s = {got['copy'] / got['floor']:.2f}x "
        f"the numpy floor; copy=False {got['share'] / got['floor']:.2f}x; from_array alone "
        f"{got['from']:.3f} s"
    ]


PARTS = ("load", "to_csv", "from_array")


def run(
    quick: bool = False,
    big: bool = False,
    rows: int | None = None,
    parts: tuple[str, ...] = PARTS,
) -> list[str]:
    """Every measurement, as printable lines (``quick``: 20,000 rows; ``big``: 1,000,000)."""
    n = rows or (1_000_000 if big else 20_000 if quick else 100_000)
    out = []
    if "load" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            for floats in (False, True):
                path = Path(tmp) / f"answers-{floats}.csv"
                write_answers(path, n, floats)
                out += load_lines(path, n, "17-digit floats" if floats else "survey-like")
                path.unlink()
    if "to_csv" in parts:
        out += to_csv_lines(n)
    if "from_array" in parts:
        out += from_array_lines(n, 50)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", action="store_true", help="1,000,000 rows (slow)")
    ap.add_argument("--quick", action="store_true", help="20,000 rows")
    ap.add_argument("--rows", type=int, help="rows of the files (default 100,000)")
    ap.add_argument("--only", choices=PARTS, action="append", help="only these measurements")
    args = ap.parse_args()
    for line in run(args.quick, args.big, args.rows, tuple(args.only or PARTS)):
        print(line, flush=True)


if __name__ == "__main__":
    main()
