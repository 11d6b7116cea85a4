"""``readiness-model explain``, ``gap`` and ``check``: why a score, what to change, golden
examples."""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from .._numbers import digits_for
from .._numbers import score_text as _fmt
from ..analysis.examples import ExampleResult, check_examples, example_problems
from ..analysis.explain import Explanation, explain
from ..analysis.gap import Change, gap
from ..engine import score
from ..errors import RubricError
from ..io.rubric_family import load_family
from ..model import Dimension, Rubric
from ..responses import normalise_period
from ..results import Results
from . import Handler, add_inputs, command, load_inputs
from ._options import add_lang_option
from ._problems import add_only_rubrics, is_rubric_file
from .table import render_table, truncate


def _answer(a: Any) -> str:
    if a is None:
        return "(missing)"
    if isinstance(a, float):
        return f"{a:g}"
    return str(a)


def _scored(ns: argparse.Namespace) -> tuple[Rubric, Results, Any]:
    rubric, responses = load_inputs(ns)
    results = score(rubric, responses)
    period = None if ns.period is None else normalise_period(ns.period)
    return rubric, results, period


def _common(p: argparse.ArgumentParser) -> None:
    add_inputs(p)
    p.add_argument("--agency", required=True, metavar="ID", help="the agency id")
    p.add_argument("--period", metavar="P", help="its period (default: its latest)")
    add_lang_option(p)


def _leaf_groups(rubric: Rubric, lang: str) -> list[tuple[Dimension, str]]:
    """Every dimension holding indicators, with its path label (``Top › Sub``)."""
    out: list[tuple[Dimension, str]] = []

    def rec(d: Dimension, path: list[str]) -> None:
        here = [*path, d.label(lang)]
        if d.indicators:
            out.append((d, " › ".join(here)))
        for sub in d.dimensions:
            rec(sub, here)

    for d in rubric.dimensions:
        rec(d, [])
    return out


def render_explanation(rubric: Rubric, ex: Explanation, lang: str = "en") -> str:
    """The text printed by ``readiness-model explain``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3, remediation="Do a"), rm.Indicator("b")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "no", "b": "yes"}], r))
        >>> print(render_explanation(r, explain(res, "x")).splitlines()[0])
        x (period 1): overall 25.00, no band, coverage 100%
    """
    lo, hi = rubric.scale
    digits = digits_for(rubric)
    band = ex.band or "no band"
    out = [
        f"{ex.agency} (period {ex.period}): overall {_fmt(ex.overall, digits)}, {band}, "
        f"coverage {_fmt(100 * ex.coverage, 0)}%",
        f"{rubric.label(lang)} ({rubric.id} {rubric.version}), scores on [{lo:g}, {hi:g}]",
        "",
    ]
    by_id = {c.indicator: c for c in ex.contributions}
    for node, label in _leaf_groups(rubric, lang):
        out.append(f"{label}: {_fmt(ex.node_exact[node.id], digits)}")
        rows = []
        for ind in node.indicators:
            c = by_id[ind.id]
            rows.append(
                [
                    ind.label(lang),
                    _answer(c.answer),
                    _fmt(c.normalised),
                    f"{100 * c.effective_weight:.1f}%",
                    _fmt(c.contribution, digits),
                ]
            )
        out.append(
            render_table(
                ["indicator", "answer", "score", "weight", "contribution"],
                rows,
                align="<<>>>",
                flex=1,
                max_width=100,
            )
        )
    total = math.fsum(c.contribution for c in ex.contributions)
    out.append(
        f"Contributions add up to {ex.baseline + total:.6g} "
        f"(overall, unrounded: {ex.overall_exact:.6g})."
    )
    out.append("")
    out.append("Weakest indicators (most room to improve):")
    for k, c in enumerate(ex.weakest(3), 1):
        ind = rubric.indicator(c.indicator)
        fix = ind.remediation.get(lang) or "(no remediation text in the rubric)"
        out.append(
            f"  {k}. {ind.label(lang)} — answer {_answer(c.answer)}, score "
            f"{_fmt(c.normalised)}, weight {100 * c.effective_weight:.1f}%"
        )
        out.append(f"     {fix}")
    out.append("")
    out.append("Method: " + "; ".join(ex.notes))
    return "\n".join(out) + "\n"


@command(
    "explain",
    help="Why an agency scored what it did: each indicator's contribution.",
    examples="  readiness-model explain thai-dg-readiness-2016 answers.csv --agency dbd\n"
    "  readiness-model explain rubric.yaml answers.csv --agency dbd --period 2016 --lang th\n"
    "Prints, per dimension, each indicator's answer, normalised score (0-1), effective\n"
    "weight (share of the overall score) and contribution to the overall score; the\n"
    "contributions add up to the overall. Ends with the remediation of the three weakest.",
)
def _explain(p: argparse.ArgumentParser) -> Handler:
    _common(p)

    def run(ns: argparse.Namespace) -> int:
        rubric, results, period = _scored(ns)
        ex = explain(results, ns.agency, period)
        sys.stdout.write(render_explanation(rubric, ex, ns.lang))
        return 0

    return run


def _change_row(c: Change, digits: int = 2, title: str | None = None) -> list[str]:
    proposed = _answer(c.proposed)
    if c.added_items:
        proposed = "add " + ", ".join(c.added_items)
    effort = "–" if c.effort is None else f"{c.effort:g}"
    return [
        truncate(c.title if title is None else title, 34),
        truncate(_answer(c.current), 20),
        proposed,
        effort,
        f"{c.gain:+.{digits}f}",
    ]


@command(
    "gap",
    help="The fewest answer changes that move an agency into the next band.",
    examples="  readiness-model gap thai-dg-readiness-2016 answers.csv --agency dbd\n"
    "  readiness-model gap rubric.yaml answers.csv --agency dbd --band advanced\n"
    "Every proposal is rescored with the rubric; 'gain' is the overall gain of that change\n"
    "alone. Exact search for small cases, greedy (said so) for large ones.",
)
def _gap(p: argparse.ArgumentParser) -> Handler:
    _common(p)
    p.add_argument("--band", metavar="B", help="band to reach (default: the next one up)")

    def run(ns: argparse.Namespace) -> int:
        rubric, results, period = _scored(ns)
        digits = digits_for(rubric)
        g = gap(results, ns.agency, period, target_band=ns.band)
        out = sys.stdout
        out.write(
            f"{g.agency} (period {g.period}): {g.band_before or 'no band'}, overall "
            f"{_fmt(g.overall_before, digits)}; target band {g.target_band}\n"
        )
        if g.method == "none-needed":
            out.write("Already there: no change needed.\n")
            return 0
        if g.method == "unreachable":
            out.write(
                f"Not reachable by changing answers: with every answer at its best the "
                f"agency is {g.band_after or 'in no band'} ({_fmt(g.overall_after, digits)}).\n"
            )
            return 0
        how = (
            "exact search: no smaller set exists"
            if g.optimal and g.method == "exact"
            else "greedy search, proven minimal in number"
            if g.optimal
            else "greedy search: a smaller set may exist"
        )
        out.write(f"\n{len(g.changes)} change{'s' * (len(g.changes) != 1)} ({how}):\n")
        head = ["indicator", "now", "change to", "effort", "gain alone"]

        def row(c: Change) -> list[str]:
            return _change_row(c, digits, rubric.indicator(c.indicator).label(ns.lang))

        out.write(
            render_table(
                head,
                [row(c) for c in g.changes],
                align="<<<>>",
                flex=2,
                max_width=100,
                min_flex=30,
            )
        )
        verdict = "reached" if g.reached else "NOT reached"
        out.write(
            f"After these changes: {g.band_after or 'no band'}, overall "
            f"{_fmt(g.overall_after, digits)} ({verdict}, verified by rescoring)\n"
        )
        for k, o in enumerate(g.alternatives, 1):
            names = ", ".join(f"{c.indicator} → {_answer(c.proposed)}" for c in o.changes)
            out.write(f"  alternative {k} (effort {o.effort:g}): {names}\n")
        if g.options:
            out.write("\nSingle changes, best gain per effort first:\n")
            out.write(
                render_table(
                    head,
                    [row(c) for c in g.options[:10]],
                    align="<<<>>",
                    flex=2,
                    min_flex=30,
                    max_width=100,
                )
            )
        return 0

    return run


@command(
    "check",
    help="Run a rubric's golden examples; exit 1 if any fails.",
    examples="  readiness-model check thai-dg-readiness-2016\n"
    "  readiness-model check rubrics/*.yaml\n"
    "One line per example: PASS, or FAIL at the example's FILE:LINE:COLUMN with the\n"
    "expected and actual values; under a failing example, every dimension's score (and\n"
    "the expected one where the example states it) and the indicators it leaves\n"
    "unanswered (they count as missing: an indicator added since the example was written).",
)
def _check(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("rubrics", nargs="+", metavar="RUBRIC", help="rubric files or shipped names")
    add_only_rubrics(p)

    def run(ns: argparse.Namespace) -> int:
        code = 0
        for name in ns.rubrics:
            if ns.only_rubrics and not is_rubric_file(name):
                print(f"skip {name}: not a rubric")
                continue
            try:
                loaded = load_family(name)
            except RubricError as err:
                for line in err.lines():
                    print(line)
                code = 1
                continue
            rubric = loaded.rubric
            results = check_examples(rubric, loaded.document)
            if not results:
                print(f"{name}: no examples")
                continue
            digits = digits_for(rubric)
            bad = example_problems(rubric, loaded.document)
            for i, r in enumerate(results):
                where = str(r.location) if r.location is not None else name
                mine = [p for p in bad if p.path.startswith(f"$.examples[{i}].")]
                if r.error is not None and mine:
                    for p in mine:
                        what = p.message.split(": ", 1)[1]
                        hint = f" ({p.hint})" if p.hint else ""
                        print(f"FAIL {p.location} {r.agency}: {what}{hint}")
                elif r.error is not None:
                    print(f"FAIL {where} {r.agency}: invalid answers: {r.error}")
                elif r.passed:
                    print(
                        f"PASS {name} {r.agency}: "
                        + ", ".join(_brief(c, digits) for c in r.checks if "." not in c.key)
                    )
                else:
                    print(
                        f"FAIL {where} {r.agency}: " + "; ".join(c.describe() for c in r.failures)
                    )
                    sys.stdout.write(_failure_details(rubric, r, digits))
            failed = sum(not r.passed for r in results)
            code = 1 if failed else code
            print(f"{name}: {len(results) - failed} of {len(results)} examples passed")
        return code

    return run


def _failure_details(rubric: Rubric, r: ExampleResult, digits: int) -> str:
    """Under a failing example: each dimension's expected (where stated) and actual score,
    and the indicators the example leaves unanswered."""
    expected = {c.key.split(".", 1)[1]: c for c in r.checks if c.key.startswith("dimensions.")}
    depth = {d.id: 0 for d in rubric.dimensions}
    for d in rubric.all_dimensions:
        for sub in d.dimensions:
            depth[sub.id] = depth[d.id] + 1
    rows = []
    for nid, actual in r.scores:
        c = expected.get(nid)
        if depth.get(nid, 0) and c is None:
            continue  # nested nodes only when the example states them
        rows.append(
            [
                "  " * depth.get(nid, 0) + nid,
                "–"
                if c is None or isinstance(c.expected, str)
                else _fmt(float(c.expected or 0), digits),
                _fmt(actual, digits),
                "" if c is None else "ok" if c.passed else "differs",
            ]
        )
    head = ["dimension", "expected", "actual", "result"]
    table = render_table(head, rows, align="<>><", flex=0)
    out = "".join(f"  {line}\n" for line in table.splitlines())
    if r.unanswered:
        shown = ", ".join(r.unanswered[:10]) + (", ..." if len(r.unanswered) > 10 else "")
        n = len(r.unanswered)
        out += (
            f"    the example leaves {n} indicator{'s' * (n != 1)} unanswered (counted as "
            f"missing): {shown}\n"
        )
    return out


def _brief(c: Any, digits: int) -> str:
    if c.key == "band":
        return f"band {c.actual}"
    return f"{c.key} {_fmt(c.actual, digits)}"


__all__ = ["render_explanation"]
