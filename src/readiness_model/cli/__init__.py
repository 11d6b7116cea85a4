"""The ``readiness-model`` command line: argparse wiring only; the work is in the library.

Each command lives in its own module of this package and registers itself in
:data:`COMMANDS` through :func:`command`. Exit codes: 0 ok, 1 invalid input, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import ReadinessError

if TYPE_CHECKING:
    from ..model import Rubric
    from ..responses import ResponseSet

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]
# name -> (help, description/epilog with examples, add_arguments, handler)
COMMANDS: dict[str, tuple[str, str, Callable[[argparse.ArgumentParser], None], Handler]] = {}


def command(
    name: str, help: str, examples: str
) -> Callable[
    [Callable[[argparse.ArgumentParser], Handler]], Callable[[argparse.ArgumentParser], Handler]
]:
    """Register a command: the decorated function adds arguments and returns the handler."""

    def deco(
        setup: Callable[[argparse.ArgumentParser], Handler],
    ) -> Callable[[argparse.ArgumentParser], Handler]:
        holder: dict[str, Handler] = {}

        def add(p: argparse.ArgumentParser) -> None:
            holder["h"] = setup(p)

        def run(ns: argparse.Namespace) -> int:
            return holder["h"](ns)

        COMMANDS[name] = (help, examples, add, run)
        return setup

    return deco


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1 (shared by the commands)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1 (got {text!r})")
    return n


def period_arg(text: str) -> str:
    """argparse type of ``--period``: text an answers file could hold as a period (a year
    such as ``2016`` or a label such as ``2024-Q1``), returned as given; anything else
    (``""``, spaces around a label) is a usage error naming the expectation.

    Example:
        >>> period_arg("2016"), period_arg("2024-Q1")
        ('2016', '2024-Q1')
    """
    from ..responses import normalise_period

    try:
        normalise_period(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically (see :mod:`readiness_model.io.atomic`):
    a failure or an interruption leaves the old file (or none) and no temporary file.

    Raises:
        ResponseError: The folder does not exist or the file cannot be written.
    """
    from ..io.atomic import write_atomic

    write_atomic(path, text, what="--output")


def add_inputs(p: argparse.ArgumentParser) -> None:
    """Add the RUBRIC and ANSWERS arguments and the shared answer options
    (:func:`~readiness_model.cli._options.add_answer_options`)."""
    from ._options import add_answer_options

    p.add_argument("rubric", metavar="RUBRIC", help="rubric YAML file or shipped rubric name")
    p.add_argument(
        "answers",
        metavar="ANSWERS",
        help="answers file (CSV wide or long, JSON records, or an Excel workbook .xlsx)",
    )
    add_answer_options(p)


def load_inputs(ns: argparse.Namespace) -> tuple[Rubric, ResponseSet]:
    """The rubric and answers named by :func:`add_inputs`' arguments.

    Raises:
        RubricError: The rubric cannot be loaded.
        ResponseError: The answers cannot be read or do not fit the rubric.
    """
    from ..io.rubric_yaml import load_rubric
    from ._options import answers_from_args

    rubric = load_rubric(ns.rubric)
    return rubric, answers_from_args(ns, rubric)


def _load_commands() -> None:
    # Import for the side effect of registering; each module is one command family.
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("cmd_"):
            importlib.import_module(f"{__name__}.{info.name}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (used by ``main`` and by the docs)."""
    _load_commands()
    parser = _Parser(
        prog="readiness-model",
        description="Score digital-government readiness from YAML rubrics.",
        epilog="Start with:  readiness-model demo\n"
        "Run 'readiness-model COMMAND --help' for examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in sorted(COMMANDS):
        help_, examples, add, run = COMMANDS[name]
        p = sub.add_parser(
            name,
            help=help_,
            description=help_,
            epilog="examples:\n" + examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add(p)
        p.set_defaults(_run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``readiness-model``; returns the exit code."""
    parser = build_parser()
    ns = parser.parse_args(argv)
    if not getattr(ns, "_run", None):
        parser.print_help()
        return 2
    try:
        code: int = ns._run(ns)
        sys.stdout.flush()  # a full disk behind stdout fails here, not at exit
    except ReadinessError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - `| head`
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except OSError as err:  # writing the output (stdout on a full disk, a device)
        _quiet_stdout()
        name = getattr(err, "filename", None) or "the output"
        print(
            f"readiness-model {ns.command}: cannot write {name}: {err.strerror or err}"
            " (check free space and permissions)",
            file=sys.stderr,
        )
        return 1
    except MemoryError:
        print(
            f"readiness-model {ns.command}: not enough memory for this run "
            "(fewer agencies, periods or --samples need less)",
            file=sys.stderr,
        )
        return 1
    return code


def _quiet_stdout() -> None:
    """Point stdout at devnull so the interpreter's final flush of what could not be
    written raises nothing more at exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass
