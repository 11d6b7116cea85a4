"""``readiness-model template``: the questionnaire of a rubric, to send out and read back."""

from __future__ import annotations

import argparse

from ..io.rubric_yaml import load_rubric
from ..responses.template import write_template
from . import Handler, command
from ._options import add_lang_option


@command(
    "template",
    help="Write the questionnaire of a rubric: an Excel workbook (or CSV) to fill in.",
    examples="  readiness-model template thai-dg-readiness-2016 -o survey.xlsx\n"
    "  readiness-model template thai-dg-readiness-2016 -o survey.xlsx --agencies agencies.csv"
    " \\\n      --period 2017 --lang th\n"
    "  readiness-model template rubric.yaml -o survey.csv --agencies last-round.csv\n"
    "The workbook has an Instructions sheet (rubric, version, content hash, how to answer,\n"
    "the question and evidence of every indicator) and an Answers sheet: one row per\n"
    "agency, one column per indicator with its question as a note and Excel's data\n"
    "validation from its scale. The filled-in file is read back as it is:\n"
    "  readiness-model score thai-dg-readiness-2016 survey.xlsx -o results.xlsx\n"
    "--agencies takes any answers-like file with an 'agency' column (and name, kind,\n"
    "parent): a list of agencies, or the previous round's answers. .xlsx needs\n"
    'pip install "readiness-model[excel]".',
)
def _template(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("rubric", metavar="RUBRIC", help="rubric YAML file or shipped rubric name")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="the questionnaire: FILE.xlsx (a workbook) or FILE.csv",
    )
    p.add_argument(
        "--agencies",
        metavar="FILE",
        help="agencies to prefill (CSV, JSON or .xlsx with an 'agency' column; optional "
        "name, kind, parent)",
    )
    p.add_argument("--period", metavar="P", help="period to prefill on every agency row")
    add_lang_option(p, "titles, questions and instructions")

    def run(ns: argparse.Namespace) -> int:
        rubric = load_rubric(ns.rubric)
        write_template(rubric, ns.output, agencies=ns.agencies, period=ns.period, lang=ns.lang)
        print(
            f"wrote {ns.output}: {len(rubric.indicators)} indicators of {rubric.id} "
            f"{rubric.version}"
        )
        return 0

    return run
