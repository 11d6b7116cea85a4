"""The command-line options every command that reads answers shares, in one place.

:func:`add_answer_options` adds them to a command's parser; :func:`answers_from_args`
reads the answers file with them, printing the warnings and notes of the reading to
standard error (one line each, ``warning:`` or ``note:`` first). :func:`add_lang_option`
adds ``--lang``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from typing import TYPE_CHECKING

from ..errors import AnswerWarning, ReadinessWarning

if TYPE_CHECKING:
    from ..model import Rubric
    from ..responses import ResponseSet

__all__ = ["add_answer_options", "add_lang_option", "answers_from_args", "print_warnings"]

_DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}


def _delimiter(text: str) -> str:
    if text not in _DELIMITERS:
        raise argparse.ArgumentTypeError(f"expected ',', ';' or tab (got {text!r})")
    return _DELIMITERS[text]


def add_answer_options(parser: argparse.ArgumentParser) -> None:
    """Add the options of how an answers file is read (shared by every command that
    reads one): ``--encoding``, ``--delimiter``, ``--extra-columns``, ``--sheet``,
    ``--strict``."""
    g = parser.add_argument_group("reading the answers")
    g.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of a CSV/JSON answers file, e.g. cp874 or tis-620 (Thai Windows), "
        "utf-16 (default: UTF-8, or UTF-16 when the file starts with its byte-order mark)",
    )
    g.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar="D",
        help="CSV delimiter: ',', ';' or tab (default: sniffed from the header row; a "
        "choice other than ',' is noted on stderr)",
    )
    g.add_argument(
        "--extra-columns",
        choices=("error", "keep", "ignore"),
        default="error",
        help="columns that are no indicator of the rubric: error (default, each listed "
        "once), keep (as agency attributes, e.g. a remarks column) or ignore",
    )
    g.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        help="workbook sheet to read (repeat for several; default: every visible sheet "
        "with a header row)",
    )
    g.add_argument(
        "--strict",
        action="store_true",
        help="answers that look wrong (far outside the goalposts, percentages written as "
        "fractions) are errors (exit 1) instead of warnings",
    )


def add_lang_option(parser: argparse.ArgumentParser, what: str = "titles") -> None:
    """Add ``--lang en|th``: the language of the rubric's texts in the output."""
    parser.add_argument(
        "--lang",
        choices=("en", "th"),
        default="en",
        help=f"language of {what} (the rubric's language mapping)",
    )


def print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print the library's warnings one line each on stderr; re-issue any other."""
    for w in caught:
        if isinstance(w.message, ReadinessWarning):
            kind = "warning" if isinstance(w.message, AnswerWarning) else "note"
            print(f"{kind}: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def answers_from_args(args: argparse.Namespace, rubric: Rubric) -> ResponseSet:
    """Read ``args.answers`` for ``rubric`` with the options of
    :func:`add_answer_options` (and ``--allow-missing-columns`` when the command has it).

    Raises:
        ResponseError: The answers cannot be read, do not fit the rubric, or (with
            ``--strict``) look wrong.
    """
    from ..io.responses_io import load_responses

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadinessWarning)
        try:
            return load_responses(
                args.answers,
                rubric,
                allow_missing_columns=getattr(args, "allow_missing_columns", False),
                encoding=getattr(args, "encoding", None),
                delimiter=getattr(args, "delimiter", None),
                extra_columns=getattr(args, "extra_columns", "error"),
                sheets=getattr(args, "sheet", None),
                strict=getattr(args, "strict", False),
            )
        finally:
            print_warnings(caught)
