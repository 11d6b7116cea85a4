"""``readiness-model report``: a self-contained HTML report of scored answers."""

from __future__ import annotations

import argparse
import sys
import time

from ..analysis.rollup import roll_up
from ..engine import score
from ..report import render_report
from ..report.html import CARD_LIMIT, TOP_BOTTOM
from . import Handler, add_inputs, command, load_inputs, write_text_atomic
from ._options import add_lang_option


@command(
    "report",
    help="Write a self-contained HTML report: overview, ranking, one radar card per agency.",
    examples="  readiness-model report thai-dg-readiness-2016 answers.csv -o report.html\n"
    "  readiness-model report thai-dg-readiness-2016 answers.csv --agency dbd rd -o two.html\n"
    "  readiness-model report thai-dg-readiness-2016 answers.csv --lang th -o report-th.html\n"
    "One HTML file with inline CSS and SVG (no scripts, nothing fetched): it opens offline\n"
    "and prints on A4. The overview covers every agency's latest period; each card shows a\n"
    "radar chart against the population median and the previous period, the weakest\n"
    "indicators with their remediation and the gap to the next band. '-o -' prints it.",
)
def _report(p: argparse.ArgumentParser) -> Handler:
    add_inputs(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default="report.html",
        help="where to write the HTML (default report.html; '-' prints it)",
    )
    p.add_argument(
        "--agency",
        nargs="+",
        action="extend",
        metavar="ID",
        help="only these agencies get a card (the overview still covers all)",
    )
    p.add_argument(
        "--all-cards",
        action="store_true",
        help=f"a card for every agency (past {CARD_LIMIT} agencies the report otherwise "
        f"draws the {TOP_BOTTOM} best and worst, and says so)",
    )
    add_lang_option(p)
    p.add_argument(
        "--roll-up",
        action="store_true",
        help="add parents' rows scored from their children (attribute 'parent')",
    )

    def run(ns: argparse.Namespace) -> int:
        rubric, responses = load_inputs(ns)
        results = score(rubric, responses)
        if ns.roll_up:
            results = roll_up(results)
        start = time.perf_counter()
        limit = None if ns.all_cards else CARD_LIMIT
        page = render_report(results, rubric, agencies=ns.agency, lang=ns.lang, card_limit=limit)
        took = time.perf_counter() - start
        if ns.output == "-":
            sys.stdout.write(page)
            return 0
        write_text_atomic(ns.output, page)
        cards = page.count('<section class="rm-card"')
        size = len(page.encode("utf-8"))
        print(
            f"wrote {ns.output}: {cards} agency cards of {len(set(results.agencies))} "
            f"agencies, {size / 1024:.0f} KB, rendered in {took:.1f} s"
        )
        return 0

    return run
