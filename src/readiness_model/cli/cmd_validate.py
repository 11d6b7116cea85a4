"""``readiness-model validate`` and ``readiness-model schema``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..analysis.examples import example_problems
from ..errors import Problem, RubricError
from ..io.rubric_family import inherited, load_family
from ..io.schema import modeline_target, schema_text, with_modeline
from . import Handler, command, write_text_atomic
from ._problems import FORMATS, FileReport, add_only_rubrics, is_rubric_file, render


@command(
    "validate",
    help="Check rubric files (or shipped rubrics by name); print every problem.",
    examples="  readiness-model validate rubrics/my-rubric.yaml\n"
    "  readiness-model validate thai-dg-readiness-2016 other.yaml\n"
    "  readiness-model validate rubrics/*.yaml --format github   # in GitHub Actions\n"
    "  readiness-model validate rubrics/*.yaml --format json\n"
    "Prints 'OK FILE: N dimensions, M indicators' per valid rubric, else one line per\n"
    "problem (FILE:LINE:COLUMN: message (hint) @ path; a YAML syntax error shows the line\n"
    "and a caret). The golden examples' answers are read as 'check' reads them. A rubric\n"
    "that extends another is checked resolved. Exit code 1 when any rubric is invalid.",
)
def _validate(p: argparse.ArgumentParser) -> Handler:
    p.add_argument(
        "rubrics",
        nargs="+",
        metavar="FILE_OR_NAME",
        help="a rubric YAML file, or the name of a shipped rubric",
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), github (workflow annotations: ::error file=...,line=...::) "
        "or json (one document listing every file and problem)",
    )
    add_only_rubrics(p)

    def run(ns: argparse.Namespace) -> int:
        reports = []
        for name in ns.rubrics:
            if ns.only_rubrics and not is_rubric_file(name):
                reports.append(FileReport(name, skipped=True))
                continue
            try:
                loaded = load_family(name)
            except RubricError as err:
                reports.append(FileReport(name, problems=err.problems))
                continue
            doc = loaded.document
            problems = [inherited(p, doc) for p in example_problems(loaded.rubric, doc)]
            reports.append(FileReport(name, loaded=loaded, problems=tuple(problems)))
        sys.stdout.write(render(reports, ns.format))
        return 1 if any(r.problems for r in reports) else 0

    return run


@command(
    "schema",
    help="Print the JSON Schema of the rubric format (for editors and CI).",
    examples="  readiness-model schema > rubric.schema.json\n"
    "  readiness-model schema -o rubric.schema.json\n"
    "  readiness-model schema --write-modeline rubrics/my-rubric.yaml\n"
    "  readiness-model schema --write-modeline my.yaml --schema-url docs/rubric.schema.json\n"
    "--write-modeline sets the first-line comment '# yaml-language-server: $schema=...'\n"
    "of each rubric file (for editors with a YAML language server, such as VS Code's YAML\n"
    "extension) to the installed schema, or to the file or URL given by --schema-url.",
)
def _schema(p: argparse.ArgumentParser) -> Handler:
    p.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE")
    p.add_argument(
        "--write-modeline",
        nargs="+",
        metavar="RUBRIC",
        help="set the schema modeline of these rubric files (instead of printing the schema)",
    )
    p.add_argument(
        "--schema-url",
        metavar="URL_OR_FILE",
        help="what the modeline names (default: the schema installed with the package)",
    )

    def run(ns: argparse.Namespace) -> int:
        if ns.write_modeline:
            return _write_modelines(ns.write_modeline, ns.schema_url)
        text = schema_text()
        if ns.output:
            write_text_atomic(ns.output, text)
        else:
            sys.stdout.write(text)
        return 0

    return run


def _write_modelines(files: list[str], schema: str | None) -> int:
    problems = []
    for name in files:
        path = Path(name)
        try:
            target = modeline_target(path, schema)
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(
                Problem(
                    f"cannot set the modeline of {name}: {err}",
                    "",
                    hint="--schema-url takes an existing schema file or a URL",
                )
            )
            continue
        write_text_atomic(path, with_modeline(text, target))
        print(f"{name}: $schema={target}")
    if problems:
        raise RubricError(problems)
    return 0
