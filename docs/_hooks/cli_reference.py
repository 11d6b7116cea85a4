"""MkDocs hook: fill docs/cli.md with the ``--help`` of every ``readiness-model`` command.

The CLI reference is generated from the argument parser at build time, so it can never
drift from the code. The page keeps the marker ``<!-- cli-reference -->`` where the
generated text goes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

MARKER = "<!-- cli-reference -->"
SRC = Path(__file__).resolve().parents[2] / "src"


def _help(argv: list[str]) -> str:
    from readiness_model.cli import build_parser

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser().parse_args([*argv, "--help"])
    return out.getvalue().rstrip()


def cli_reference() -> str:
    """Markdown with the top-level help and one section per command."""
    if str(SRC) not in sys.path:
        sys.path.insert(0, str(SRC))
    os.environ["COLUMNS"] = "80"  # argparse wraps to the terminal width: keep it stable
    from readiness_model.cli import COMMANDS, build_parser

    build_parser()
    parts = ["## `readiness-model`", "", "```text", _help([]), "```", ""]
    for name in sorted(COMMANDS):
        parts += [f"## `readiness-model {name}`", "", "```text", _help([name]), "```", ""]
    return "\n".join(parts)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Replace the marker on the CLI page with the generated reference."""
    if MARKER in markdown:
        return markdown.replace(MARKER, cli_reference())
    return markdown
