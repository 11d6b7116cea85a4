"""``readiness-model validate`` and ``readiness-model schema``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import Problem, RubricError
from ..io.rubric_yaml import load_rubric
from ..io.schema import modeline_target, schema_text, with_modeline
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
