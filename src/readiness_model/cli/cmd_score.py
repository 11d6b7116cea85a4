"""``readiness-model demo``, ``score`` and ``show``: survey answers in, results out."""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

import attrs
import numpy as np

from .._numbers import digits_for
from .._numbers import score_text as _fmt
from ..analysis.rollup import roll_up
from ..engine import score
from ..io.answer_cells import period_order
from ..io.rubric_family import load_family
from ..io.rubric_yaml import load_rubric, resolved_yaml
from ..model import Dimension, Indicator, Rubric
from ..responses import normalise_period
from ..responses.files import load_responses
from ..results import ROLLED_UP, ROW_ARRAYS, Results
from . import Handler, add_inputs, command, load_inputs, positive_int
from ._options import add_lang_option
from ._output import UsageError, add_output_options, output_format, write_results
from .table import render_table

DEMO_RUBRIC = "thai-dg-readiness-2016"
T = TypeVar("T")
DEMO_FILE = "demo-survey-2015-2016.csv"


def demo_survey_path() -> Path:
    """Path of the bundled synthetic survey (inside the installed package).

    Example:
        >>> demo_survey_path().name
        'demo-survey-2015-2016.csv'
    """
    return Path(str(resources.files("readiness_model") / "data" / DEMO_FILE))


# -- helpers -------------------------------------------------------------------------------
_positive = positive_int


def _latest(results: Results) -> object:
    order = period_order(results.periods)
    return max(order, key=lambda p: order[p])


def _rows_of(results: Results, period: object) -> list[int]:
    return [i for i, p in enumerate(results.periods) if p == period]


def _select(results: Results, rows: Sequence[int]) -> Results:
    """The results restricted to ``rows`` (in that order)."""
    idx = np.asarray(rows, dtype=np.int64)

    def pick(t: tuple[T, ...]) -> tuple[T, ...]:
        return tuple(t[i] for i in idx)

    return attrs.evolve(
        results,
        responses=None if results.responses is None else results.responses.select(idx),
        agencies=pick(results.agencies),
        periods=pick(results.periods),
        attributes=tuple((k, pick(v)) for k, v in results.attributes),
        band=pick(results.band),
        trend=pick(results.trend),
        group=pick(results.group),
        origin=pick(results.origin),
        **{a: getattr(results, a)[idx] for a in ROW_ARRAYS},
    )


def _ranking(results: Results, rows: Sequence[int], top: int | None, digits: int = 2) -> str:
    """Rows sorted best first as a table: rank, agency, name, overall, band (, trend)."""
    order = sorted(
        rows, key=lambda i: (-np.nan_to_num(results.overall[i], nan=-np.inf), results.agencies[i])
    )
    if top is not None:
        order = order[:top]
    names = results.attribute("name")
    has_trend = any(results.trend[i] for i in order)
    head = ["rank", "agency", "name", "overall", "band"] + (["trend"] if has_trend else [])
    body = []
    for i in order:
        rank = str(int(results.rank[i]) or "–")
        agency = results.agencies[i] + (" (rolled up)" if results.origin[i] == ROLLED_UP else "")
        cells = [
            rank,
            agency,
            names[i] or "",
            _fmt(results.overall[i], digits),
            results.band[i] or "–",
        ]
        if has_trend:
            cells.append(results.trend[i] or "–")
        body.append(cells)
    return render_table(head, body, align=">" + "<<><" + "<" * has_trend, flex=2)


def _distribution(
    results: Results, column: tuple[str | None, ...], ids: list[str], title: str
) -> str:
    periods = sorted(period_order(results.periods), key=lambda p: period_order(results.periods)[p])
    own = [i for i in range(len(results)) if results.origin[i] != ROLLED_UP]
    counts = {p: Counter(column[i] for i in own if results.periods[i] == p) for p in periods}
    body = [
        [k, *(str(counts[p].get(k, 0)) for p in periods)]
        for k in ids
        if any(counts[p].get(k, 0) for p in periods)
    ]
    if any(counts[p].get(None, 0) for p in periods):
        body.append(["(none)", *(str(counts[p].get(None, 0)) for p in periods)])
    return render_table([title, *(str(p) for p in periods)], body, align="<" + ">" * len(periods))


# -- demo ----------------------------------------------------------------------------------
@command(
    "demo",
    help="Score the bundled synthetic Thai survey and show what the library does.",
    examples="  readiness-model demo\n"
    "Scores a synthetic survey of 20 ministries and 150 departments (2015 and 2016) with the\n"
    "shipped rubric thai-dg-readiness-2016 and prints the top agencies, the band and group\n"
    "distributions, a ministry rolled up from its departments, and where to go next.\n"
    "Needs no files: run it in an empty directory right after 'pip install'.",
)
def _demo(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("--top", type=_positive, default=10, metavar="N", help="agencies to list (10)")
    add_lang_option(p)

    def run(ns: argparse.Namespace) -> int:
        rubric = load_rubric(DEMO_RUBRIC)
        path = demo_survey_path()
        results = roll_up(score(rubric, load_responses(path, rubric)))
        own = [i for i in range(len(results)) if results.origin[i] != ROLLED_UP]
        latest = _latest(results)
        n_agencies = len({results.agencies[i] for i in own})
        periods = sorted(set(results.periods), key=str)
        out = sys.stdout
        out.write(f"{rubric.label(ns.lang)} — demo\n")
        out.write(
            f"Synthetic answers (made up for this demo) from {n_agencies} agencies, "
            f"periods {', '.join(map(str, periods))};\n"
            f"scored with the shipped rubric {rubric.id} (version {rubric.version}).\n\n"
        )
        rows = [i for i in _rows_of(results, latest) if results.origin[i] != ROLLED_UP]
        out.write(f"Top {ns.top} agencies, {latest}\n")
        out.write(_ranking(results, rows, ns.top, digits_for(rubric)) + "\n")
        out.write("Agencies per band\n")
        out.write(_distribution(results, results.band, [b.id for b in rubric.bands], "band") + "\n")
        if rubric.groups:
            out.write("Agencies per group (band × trend since the previous period)\n")
            out.write(
                _distribution(results, results.group, [g.id for g in rubric.groups], "group") + "\n"
            )
        out.write(_commerce(results, latest))
        hints = [
            (
                f"readiness-model score {DEMO_RUBRIC} answers.csv",
                "score your own survey (add -o results.csv or -o results.xlsx to keep it)",
            ),
            (
                f"readiness-model show {DEMO_RUBRIC}",
                "the rubric as a tree: weights and shares of the overall score",
            ),
            ("readiness-model explain --help", "why an agency scored what it did"),
            ("readiness-model report --help", "a self-contained HTML report"),
        ]
        out.write("Next steps\n")
        for cmd, what in hints:
            out.write(f"  {cmd}\n      {what}\n")
        out.write(
            f"  The demo answers are in\n      {path}\n"
            "  readiness-model --help\n      every command ('readiness-model COMMAND --help'"
            " shows examples)\n"
            "  python -m readiness_model docs\n"
            "      where the guides installed with the package are (tutorial, rubric format,\n"
            "      methodology)\n"
        )
        return 0

    return run


def _commerce(results: Results, period: object) -> str:
    rows = [i for i in _rows_of(results, period) if results.agencies[i] == "moc"]
    own = [i for i in rows if results.origin[i] != ROLLED_UP]
    up = [i for i in rows if results.origin[i] == ROLLED_UP]
    if not own or not up:
        return ""
    parent = results.attribute("parent")
    kids = sum(
        1
        for i in _rows_of(results, period)
        if parent[i] == "moc" and results.origin[i] != ROLLED_UP
    )
    body = [
        ["own answers", _fmt(results.overall[own[0]]), results.band[own[0]] or "–"],
        [
            f"rolled up from {kids} departments",
            _fmt(results.overall[up[0]]),
            results.band[up[0]] or "–",
        ],
    ]
    return (
        f"Ministry of Commerce (moc), {period}: its own answers and its departments\n"
        + render_table(["score", "overall", "band"], body, align="<><")
        + "\n"
    )


# -- score ---------------------------------------------------------------------------------
@command(
    "score",
    help="Score survey answers (CSV, JSON or Excel) with a rubric; print or write the results.",
    examples="  readiness-model score thai-dg-readiness-2016 answers.csv\n"
    "  readiness-model score rubric.yaml answers.csv --period 2016 --top 20\n"
    "  readiness-model score thai-dg-readiness-2016 answers.csv -o results.csv\n"
    "  readiness-model score thai-dg-readiness-2016 survey.xlsx -o results.xlsx\n"
    "  readiness-model score thai-dg-readiness-2016 answers.csv -o results.csv --excel-csv"
    " --columns human\n"
    "  readiness-model score thai-dg-readiness-2016 answers.json -o results.json\n"
    "  readiness-model score thai-dg-readiness-2016 answers.csv --roll-up\n"
    "RUBRIC is a YAML file or the name of a shipped rubric. ANSWERS is CSV (one row per\n"
    "agency and period: agency,period,name,kind,parent,<indicator ids>...; or long:\n"
    "agency,period,indicator,value), JSON records or an Excel workbook (.xlsx). The output\n"
    "file's name picks the format: .csv, .json, .xlsx (summary, one sheet per period,\n"
    "explanations, provenance), .html (the report); any other name gets the table.\n"
    "Every problem in the answers is printed as FILE:ROW:COLUMN: message (FILE!SHEET!B7\n"
    "in a workbook), exit code 1, and no output file is written; answers that look wrong\n"
    "are printed as warnings (errors with --strict).",
)
def _score(p: argparse.ArgumentParser) -> Handler:
    add_inputs(p)
    add_output_options(p)
    p.add_argument("--period", metavar="P", help="only this period (table: default latest)")
    p.add_argument("--top", type=_positive, metavar="N", help="table: only the N best")
    p.add_argument(
        "--roll-up",
        action="store_true",
        help="add parents' rows scored from their children (attribute 'parent')",
    )

    def run(ns: argparse.Namespace) -> int:
        try:  # a contradiction in the options is found before any file is read
            output_format(ns)
        except UsageError as err:  # exit 2 like argparse's usage errors, in one line
            print(f"readiness-model score: error: {err}", file=sys.stderr)
            raise SystemExit(2) from None
        rubric, responses = load_inputs(ns)
        results = score(rubric, responses)
        if ns.roll_up:
            results = roll_up(results)
        period = None if ns.period is None else normalise_period(ns.period)
        if period is not None:
            rows = _rows_of(results, period)
            if not rows:
                have = ", ".join(sorted({str(x) for x in results.periods}))
                print(
                    f"readiness-model score: no answers for period {ns.period!r} "
                    f"(the file has {have})",
                    file=sys.stderr,
                )
                return 1
            results = _select(results, rows)

        def table() -> str:
            shown = period if period is not None else _latest(results)
            return f"{rubric.label(ns.lang)} ({rubric.id} {rubric.version}), {shown}\n" + (
                _ranking(results, _rows_of(results, shown), ns.top, digits_for(rubric))
            )

        return write_results(ns, rubric, results, table)

    return run


# -- show ----------------------------------------------------------------------------------
def effective_shares(rubric: Rubric) -> list[tuple[int, Dimension | Indicator, float]]:
    """Every node and indicator, depth first, with its depth and its share of the overall
    score: sibling weights normalised, multiplied down the tree.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[
        ...     rm.Dimension("a", weight=1, indicators=[rm.Indicator("p"), rm.Indicator("q")]),
        ...     rm.Dimension("b", weight=3, indicators=[rm.Indicator("s")])])
        >>> [(n.id, s) for _, n, s in effective_shares(r)]
        [('a', 0.25), ('p', 0.125), ('q', 0.125), ('b', 0.75), ('s', 0.75)]
    """
    out: list[tuple[int, Dimension | Indicator, float]] = []

    def walk(children: Sequence[Dimension | Indicator], share: float, depth: int) -> None:
        total = math.fsum(c.weight for c in children)
        for c in children:
            s = share * c.weight / total if total > 0 else 0.0
            out.append((depth, c, s))
            if isinstance(c, Dimension):
                walk(c.children, s, depth + 1)

    walk(rubric.dimensions, 1.0, 0)
    return out


@command(
    "show",
    help="Show a rubric as a tree with weights and each part's share of the overall score.",
    examples="  readiness-model show thai-dg-readiness-2016\n"
    "  readiness-model show thai-dg-readiness-2016 --lang th\n"
    "  readiness-model show rubrics/my-rubric.yaml\n"
    "  readiness-model show un-egdi-2022 --resolved > flat.yaml\n"
    "'share' is the part of the overall score a node or indicator carries when every\n"
    "answer is given: its weight over its siblings' total, times its parent's share.\n"
    "--resolved prints the rubric as YAML with everything it extends merged in (what it\n"
    "scores with), headed by the chain of rubrics and their content hashes.",
)
def _show(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("rubric", metavar="RUBRIC", help="rubric YAML file or shipped rubric name")
    add_lang_option(p)
    p.add_argument(
        "--resolved",
        action="store_true",
        help="print the resolved rubric as YAML (a rubric that extends another, merged)",
    )

    def run(ns: argparse.Namespace) -> int:
        loaded = load_family(ns.rubric)
        rubric = loaded.rubric
        if ns.resolved:
            sys.stdout.write(resolved_yaml(loaded))
            return 0
        lo, hi = rubric.scale
        sys.stdout.write(
            f"{rubric.label(ns.lang)}\n{rubric.id} {rubric.version}, scores on "
            f"[{lo:g}, {hi:g}], {len(rubric.indicators)} indicators\n\n"
        )
        body = []
        for depth, node, share in effective_shares(rubric):
            kind = "" if isinstance(node, Dimension) else getattr(node.scale, "type", "")
            body.append(
                [
                    "  " * depth + node.id,
                    node.label(ns.lang),
                    kind,
                    f"{node.weight:g}",
                    f"{100 * share:.1f}",
                ]
            )
        sys.stdout.write(
            render_table(
                ["node", "title", "scale", "weight", "share %"], body, align="<<<>>", flex=1
            )
        )
        return 0

    return run
