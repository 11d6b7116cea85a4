"""``readiness-model sensitivity``, ``audit`` and ``diff``: how robust is a rubric?"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

from ..analysis.audit import audit
from ..analysis.diff import diff_rubrics
from ..analysis.sensitivity import MAX_SAMPLES, Sensitivity, sensitivity
from ..errors import ResponseError
from ..io.answer_cells import period_order
from ..io.rubric_yaml import load_rubric
from ..model import Rubric
from ..responses import ResponseSet, normalise_period
from . import Handler, add_inputs, command, load_inputs, period_arg, positive_int
from ._options import (
    add_answer_options,
    answers_from_args,
    no_answers_for_period,
    progress_from_args,
)
from .table import render_table

__all__: list[str] = []


_positive = positive_int


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number (got {text!r})") from None


def _f(x: float, digits: int = 2) -> str:
    return "–" if x is None or math.isnan(x) else f"{x:.{digits}f}"


def _rank(x: float) -> str:
    return "–" if math.isnan(x) else f"{x:g}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    return render_table(headers, rows, align=align, max_width=100, flex=0)


def sensitivity_report(s: Sensitivity, period: object | None = None, top: int | None = None) -> str:
    """The rank-interval table of one period (default: the latest) and the indices.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r, period=2024)
        >>> print(sensitivity_report(rm.sensitivity(r, rs, samples=50)).splitlines()[3])
          y          1    75.00   1    1    1  –            1.00
    """
    order = period_order(s.periods)
    shown = max(order, key=lambda p: order[p]) if period is None else period
    rows = [i for i, p in enumerate(s.periods) if p == shown]
    rows.sort(key=lambda i: (s.nominal_rank[i] == 0, s.nominal_rank[i], s.agencies[i]))
    likely = s.most_likely_band()
    body = [
        [
            s.agencies[i],
            str(int(s.nominal_rank[i]) or "–"),
            _f(s.nominal_overall[i]),
            *(_rank(x) for x in s.rank_interval[i]),
            str(likely[i][0] or "–"),
            _f(likely[i][1]),
        ]
        for i in rows[:top]
    ]
    noise = (
        f"Dirichlet, concentration {s.concentration:g}"
        if s.weights == "dirichlet"
        else f"multiplicative, ±{s.noise:g}"
    )
    head = (
        f"{s.rubric_id}, period {shown}: {s.samples} weight draws ({noise}) at every "
        f"node, seed {s.seed}\n"
    )
    out = head + _table(
        ["agency", "rank", "overall", "p5", "p50", "p95", "likely band", "prob"], body, "<>>>>><>"
    )
    nan = int(s.nan_draws[rows].sum()) if rows else 0
    if nan:
        out += f"{nan} (agency, draw) pairs gave no overall score (NaN): see nan_draws\n"
    fo = s.first_order
    if not len(fo):  # an uncertainty analysis only (--no-indices)
        return out
    idx = sorted(range(len(fo)), key=lambda k: -(0.0 if math.isnan(fo[k]) else fo[k]))
    out += "\nFirst-order sensitivity of the overall score to each weight group\n"
    out += _table(["weights of", "S"], [[s.index_groups[k], _f(fo[k], 3)] for k in idx], "<>")
    return out


@command(
    "sensitivity",
    help="Monte-Carlo weight uncertainty: rank intervals and band probabilities.",
    examples="  readiness-model sensitivity thai-dg-readiness-2016 answers.csv\n"
    "  readiness-model sensitivity rubric.yaml answers.csv --samples 5000 --seed 1 --top 20\n"
    "  readiness-model sensitivity rubric.yaml answers.csv --weights multiplicative "
    "--noise 0.25\n"
    "Every node's child weights are drawn around the nominal ones (Dirichlet by default,\n"
    "or each weight x U(1-noise, 1+noise)); each draw rescores every agency. The table\n"
    "shows the nominal rank, the 5th/50th/95th percentile rank over the draws, and the\n"
    "band an agency lands in most often with its probability.",
)
def _sensitivity(p: argparse.ArgumentParser) -> Handler:
    add_inputs(p)
    p.add_argument(
        "--samples", type=_positive, default=1000, metavar="N", help="weight draws (1000)"
    )
    p.add_argument(
        "--max-samples",
        type=_positive,
        default=MAX_SAMPLES,
        metavar="N",
        help=f"refuse more --samples than this ({MAX_SAMPLES:,}): each draw keeps a score, "
        "rank and band per agency row in memory",
    )
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (0)")
    p.add_argument(
        "--weights",
        choices=("dirichlet", "multiplicative"),
        default="dirichlet",
        help="how weights are drawn (dirichlet)",
    )
    p.add_argument(
        "--concentration",
        type=_number,
        default=100.0,
        metavar="C",
        help="Dirichlet concentration: larger = less noise (100)",
    )
    p.add_argument(
        "--noise",
        type=_number,
        default=0.25,
        metavar="X",
        help="multiplicative half-width in [0, 1) (0.25)",
    )
    p.add_argument(
        "--vary",
        default="all",
        metavar="LEVEL",
        help="weights to draw: all, dimensions (top level), indicators, or node ids "
        "separated by commas (all)",
    )
    p.add_argument(
        "--period", type=period_arg, metavar="P", help="period to show (default: the latest)"
    )
    p.add_argument("--top", type=_positive, metavar="N", help="only the N best ranked")
    p.add_argument(
        "--no-indices",
        action="store_true",
        help="skip the first-order indices (rank intervals and band probabilities only; "
        "about a third faster on large runs)",
    )

    def run(ns: argparse.Namespace) -> int:
        rubric, responses = load_inputs(ns)
        s = sensitivity(
            rubric,
            responses,
            samples=ns.samples,
            seed=ns.seed,
            weights=ns.weights,
            concentration=ns.concentration,
            noise=ns.noise,
            vary=[v.strip() for v in ns.vary.split(",")] if "," in ns.vary else ns.vary,
            max_samples=ns.max_samples,
            progress=progress_from_args(ns),
            indices=not ns.no_indices,
        )
        period = None if ns.period is None else normalise_period(ns.period)
        if period is not None and period not in set(s.periods):
            return no_answers_for_period("sensitivity", ns.period, s.periods)
        sys.stdout.write(sensitivity_report(s, period, ns.top))
        return 0

    return run


@command(
    "audit",
    help="Statistical audit: distributions, correlations, Cronbach's alpha, effective weights.",
    examples="  readiness-model audit thai-dg-readiness-2016 answers.csv\n"
    "Flags zero-variance indicators, negative or near-zero correlations with the parent,\n"
    "near-duplicate indicators (r > 0.92 within a dimension), then prints the tables.",
)
def _audit(p: argparse.ArgumentParser) -> Handler:
    add_inputs(p)

    def run(ns: argparse.Namespace) -> int:
        a = audit(*load_inputs(ns), progress=progress_from_args(ns))
        out = sys.stdout
        out.write(f"{a.rubric_id}: audit of {a.rows} agency-periods\n")
        flags = a.flags()
        out.write(f"\nFlags ({len(flags)})\n")
        out.write("".join(f"  {f}\n" for f in flags) or "  none\n")
        out.write("\nIndicators (normalised scores on [0, 1])\n")
        out.write(
            _table(
                [
                    "indicator",
                    "missing",
                    "n/a",
                    "min",
                    "max",
                    "mean",
                    "sd",
                    "skew",
                    "kurt",
                    "r parent",
                ],
                [
                    [
                        x.id,
                        f"{x.missing_share:.0%}",
                        f"{x.na_share:.0%}",
                        _f(x.min),
                        _f(x.max),
                        _f(x.mean),
                        _f(x.sd),
                        _f(x.skewness),
                        _f(x.kurtosis),
                        _f(x.r_parent),
                    ]
                    for x in a.indicators
                ],
                "<>>>>>>>>>",
            )
        )
        out.write("\nNodes\n")
        out.write(
            _table(
                ["node", "parent", "r parent", "items", "alpha", "rows"],
                [
                    [d.id, d.parent, _f(d.r_parent), str(d.items), _f(d.alpha), str(d.alpha_rows)]
                    for d in a.nodes
                ],
                "<<>>>>",
            )
        )
        out.write("\nEffective weights (share of the parent's variance)\n")
        out.write(
            _table(
                ["parent", "child", "nominal", "effective"],
                [
                    [e.parent, e.child, _f(e.nominal, 3), _f(e.effective, 3)]
                    for e in a.effective_weights
                ],
                "<<>>",
            )
        )
        return 0

    return run


def _either(ns: argparse.Namespace, old: Rubric, new: Rubric) -> ResponseSet:
    """The answers read for the new rubric, or else for the old one; when neither reads
    them, the new rubric's problems (the file is meant for the edit)."""
    try:
        return answers_from_args(ns, new)
    except ResponseError as first:
        try:
            return answers_from_args(ns, old)
        except ResponseError:
            raise first from None


@command(
    "diff",
    help="What did my edit do? Changes between two rubrics and how agencies move.",
    examples="  readiness-model diff old.yaml new.yaml\n"
    "  readiness-model diff old.yaml new.yaml --answers answers.csv --top 20\n"
    "ANSWERS are read with whichever rubric has their columns (NEW first, then OLD): a\n"
    "survey of the old rubric shows what a new indicator does. Each rubric scores them\n"
    "with its own indicators (one it lacks is ignored, one the other lacks counts as\n"
    "missing).",
)
def _diff(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("old", metavar="OLD", help="rubric before the edit (file or shipped name)")
    p.add_argument("new", metavar="NEW", help="rubric after the edit (file or shipped name)")
    p.add_argument("--answers", metavar="FILE", help="answers to score with both rubrics")
    add_answer_options(p)
    p.add_argument(
        "--top", type=_positive, default=10, metavar="N", help="largest movers to list (10)"
    )

    def run(ns: argparse.Namespace) -> int:
        old, new = load_rubric(ns.old), load_rubric(ns.new)
        responses = None if ns.answers is None else _either(ns, old, new)
        d = diff_rubrics(old, new, responses)
        out = sys.stdout
        out.write(f"{old.id} {old.version} -> {new.id} {new.version}: {len(d.changes)} change(s)\n")
        out.write("".join(f"  {line}\n" for line in d.lines()) or "  no changes\n")
        if d.weights:
            out.write("\nWeights (share among siblings; effective = share of the overall)\n")
            out.write(
                _table(
                    ["id", "nominal old", "new", "effective old", "new"],
                    [
                        [
                            w.id,
                            _f(w.old_nominal, 3),
                            _f(w.new_nominal, 3),
                            _f(w.old_effective, 3),
                            _f(w.new_effective, 3),
                        ]
                        for w in d.weights
                    ],
                    "<>>>>",
                )
            )
        if d.movements is not None:
            out.write(f"\nLargest movers (of {len(d.movements)} agency-periods)\n")
            out.write(
                _table(
                    ["agency", "period", "old", "new", "delta", "rank", "band"],
                    [
                        [
                            m.agency,
                            str(m.period),
                            _f(m.old_overall),
                            _f(m.new_overall),
                            f"{m.delta:+.2f}" if not math.isnan(m.delta) else "–",
                            f"{m.old_rank or '–'} -> {m.new_rank or '–'}",
                            f"{m.old_band or '–'} -> {m.new_band or '–'}",
                        ]
                        for m in d.movers(ns.top)
                    ],
                    "<<>>>><",
                )
            )
            for line in d.unreadable:
                out.write(f"  unreadable answer, counted missing: {line}\n")
        return 0

    return run
