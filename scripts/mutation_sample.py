"""A seeded random sample of mutmut's mutants, and the score of a sample once run.

Mutating the whole scoring core gives about 5,500 mutants: hours on two cores. A seeded
random sample estimates the mutation score in a fraction of that (docs/development.md)::

    mutmut run "nothing*"                                    # generate mutants, map tests
    mutmut results --all true > all.txt
    python scripts/mutation_sample.py pick all.txt 600 > sample.txt
    mutmut run $(cat sample.txt)
    mutmut results --all true > after.txt
    python scripts/mutation_sample.py score after.txt sample.txt

``pick`` draws the same share of every module's mutants (seed 0, so the sample is
reproducible); ``score`` prints, per module and in total, the killed, survived and
untested (no test reaches the function) mutants of the sample.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

LINE = re.compile(r"^\s*(?P<name>\S+?)__mutmut_\d+:\s*(?P<status>.+?)\s*$")


def parse(path: Path) -> dict[str, str]:
    """``mutant name -> status`` from ``mutmut results --all true`` output."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        if m:
            out[line.split(":")[0].strip()] = m.group("status")
    return out


def module(name: str) -> str:
    """The module of a mutant (``readiness_model.engine.classify.x_rank__mutmut_3``)."""
    return name.split(".x_")[0].split(".xǁ")[0]


def pick(results: Path, n: int, seed: int) -> list[str]:
    """``n`` mutants, drawn in proportion to each module's count."""
    names = sorted(parse(results))
    by_mod: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_mod[module(name)].append(name)
    rnd = random.Random(seed)
    share = min(1.0, n / max(len(names), 1))
    out = []
    for mod in sorted(by_mod):
        group = by_mod[mod]
        k = max(1, round(share * len(group)))
        out += rnd.sample(group, min(k, len(group)))
    return sorted(out)


def score(results: Path, sample: Path) -> str:
    """The table of killed / survived / untested mutants of ``sample``."""
    status = parse(results)
    wanted = [s.strip() for s in sample.read_text(encoding="utf-8").split() if s.strip()]
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for name in wanted:
        rows[module(name)][status.get(name, "missing")] += 1
    kinds = ["killed", "survived", "no tests", "timeout", "not checked", "missing"]
    lines = [f"{'module':<48}" + "".join(f"{k:>12}" for k in kinds)]
    total: Counter[str] = Counter()
    for mod in sorted(rows):
        total.update(rows[mod])
        lines.append(f"{mod:<48}" + "".join(f"{rows[mod][k]:>12}" for k in kinds))
    lines.append(f"{'total':<48}" + "".join(f"{total[k]:>12}" for k in kinds))
    tested = total["killed"] + total["survived"]
    if tested:
        lines.append(f"killed {total['killed']} of {tested} reached mutants: "
                     f"{100 * total['killed'] / tested:.1f}%")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pick", help="print a seeded sample of mutant names")
    p.add_argument("results", type=Path, help="output of `mutmut results --all true`")
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("score", help="score a sample after `mutmut run`")
    s.add_argument("results", type=Path)
    s.add_argument("sample", type=Path)
    args = ap.parse_args()
    if args.cmd == "pick":
        sys.stdout.write("\n".join(pick(args.results, args.n, args.seed)) + "\n")
    else:
        print(score(args.results, args.sample))


if __name__ == "__main__":
    main()
