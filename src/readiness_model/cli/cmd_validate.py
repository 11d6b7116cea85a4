"""``readiness-model validate`` and ``readiness-model schema``."""

from __future__ import annotations

import argparse
import json
import sys

from ..errors import RubricError
from ..io.rubric_yaml import load_rubric
from ..io.schema import rubric_schema
from . import Handler, command, write_text_atomic


@command(
    "validate",
    help="Check rubric files (or shipped rubrics by name); print every problem.",
    examples="  readiness-model validate rubrics/my-rubric.yaml\n"
    "  readiness-model validate thai-dg-readiness-2016 other.yaml\n"
    "Prints 'OK FILE: N dimensions, M indicators' per valid rubric, else one line per\n"
    "problem (FILE:LINE:COLUMN: message @ path). Exit code 1 when any rubric is invalid.",
)
def _validate(p: argparse.ArgumentParser) -> Handler:
    p.add_argument(
        "rubrics",
        nargs="+",
        metavar="FILE_OR_NAME",
        help="a rubric YAML file, or the name of a shipped rubric",
    )

    def run(ns: argparse.Namespace) -> int:
        code = 0
        for name in ns.rubrics:
            try:
                rubric = load_rubric(name)
            except RubricError as err:
                code = 1
                for line in err.lines():
                    print(line)
                continue
            n_dims = len(rubric.dimensions)
            n_inds = len(rubric.indicators)
            print(
                f"OK {name}: {n_dims} dimension{'s' * (n_dims != 1)}, "
                f"{n_inds} indicator{'s' * (n_inds != 1)}"
            )
        return code

    return run


@command(
    "schema",
    help="Print the JSON Schema of the rubric format (for editors and CI).",
    examples="  readiness-model schema > rubric.schema.json\n"
    "  readiness-model schema -o rubric.schema.json\n"
    "In VS Code (YAML extension): add '# yaml-language-server: $schema=rubric.schema.json'\n"
    "as the first line of a rubric file.",
)
def _schema(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE")

    def run(ns: argparse.Namespace) -> int:
        text = json.dumps(rubric_schema(), indent=2, ensure_ascii=False) + "\n"
        if ns.output:
            write_text_atomic(ns.output, text)
        else:
            sys.stdout.write(text)
        return 0

    return run
