"""The command-line options several commands share, defined once.

Every command that reads answers takes the same input options
(:func:`add_answer_options`, read back by :func:`answers_from_args`); every command that
prints titles takes ``--lang`` (:func:`add_lang_option`). A test walks every subcommand's
parser and checks that each has the options that apply to it, so a new input option
added here reaches every command at once.
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs

from .._progress import ProgressCallback, progress_line
from ..errors import AnswerWarning, Location, Problem, ReadinessWarning, ResponseError

if TYPE_CHECKING:
    from ..model import Rubric
    from ..responses import ResponseSet

__all__ = [
    "ANSWER_OPTIONS",
    "add_answer_options",
    "add_lang_option",
    "answers_from_args",
    "language",
    "no_answers_for_period",
    "print_warnings",
    "progress_from_args",
]

ANSWER_OPTIONS = (
    "--allow-missing-columns",
    "--encoding",
    "--delimiter",
    "--extra-columns",
    "--sheet",
    "--strict",
    "--quiet",
)
"""The flags :func:`add_answer_options` adds (the parser-walk test checks them)."""

_AS_FLAGS = {"allow_missing_columns=True": "--allow-missing-columns"}
"""Library arguments named in the readers' hints, and the flag that sets each."""

_DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}


def _delimiter(text: str) -> str:
    if text not in _DELIMITERS:
        raise argparse.ArgumentTypeError(f"expected ',', ';' or tab (got {text!r})")
    return _DELIMITERS[text]


_LANG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def add_answer_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that say how to read an answers file (not the file itself: a
    command names it as it likes, ``ANSWERS`` or ``--answers FILE``).

    Example:
        >>> p = argparse.ArgumentParser()
        >>> add_answer_options(p)
        >>> p.parse_args(["--allow-missing-columns"]).allow_missing_columns
        True
    """
    group = parser.add_argument_group("reading the answers")
    group.add_argument(
        "--allow-missing-columns",
        action="store_true",
        help="accept answers without some indicator columns (they count as missing)",
    )
    group.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of a CSV/JSON answers file, e.g. cp874 or tis-620 (Thai Windows), "
        "utf-16 (default: UTF-8, or UTF-16 when the file starts with its byte-order mark)",
    )
    group.add_argument(
        "--delimiter",
        type=_delimiter,
        metavar="D",
        help="CSV delimiter: ',', ';' or tab (default: sniffed from the header row; a "
        "choice other than ',' is noted on stderr)",
    )
    group.add_argument(
        "--extra-columns",
        choices=("error", "keep", "ignore"),
        default="error",
        help="columns that are no indicator of the rubric: error (default, each listed "
        "once), keep (as agency attributes, e.g. a remarks column) or ignore",
    )
    group.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        help="workbook sheet to read (repeat for several; default: every visible sheet "
        "with a header row)",
    )
    group.add_argument(
        "--strict",
        action="store_true",
        help="answers that look wrong (far outside the goalposts, percentages written as "
        "fractions) are errors (exit 1) instead of warnings",
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress line on stderr (it appears for work past about two seconds, "
        "only when stderr is a terminal)",
    )


def progress_from_args(args: argparse.Namespace) -> ProgressCallback | None:
    """The progress callback of a command: a line on stderr unless ``--quiet`` or
    stderr is no terminal (see :mod:`readiness_model._progress`).

    Example:
        >>> progress_from_args(argparse.Namespace(quiet=True)) is None
        True
    """
    return progress_line(quiet=bool(getattr(args, "quiet", False)))


def answers_from_args(args: argparse.Namespace, rubric: Rubric) -> ResponseSet:
    """The answers file ``args.answers`` read for ``rubric`` with the options of
    :func:`add_answer_options`.

    Raises:
        ResponseError: The file cannot be read or does not fit the rubric.

    Example:
        >>> import pathlib, tempfile, readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("q"), rm.Indicator("s")])])
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = f.write_text("agency,period,q\\nx,2016,yes\\n", encoding="utf-8")
        >>> ns = argparse.Namespace(answers=str(f), allow_missing_columns=True)
        >>> answers_from_args(ns, r).values.tolist()
        [[1.0, nan]]
    """
    from ..responses.files import load_responses

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ReadinessWarning)
        try:
            responses = load_responses(
                args.answers,
                rubric,
                allow_missing_columns=bool(getattr(args, "allow_missing_columns", False)),
                encoding=getattr(args, "encoding", None),
                delimiter=getattr(args, "delimiter", None),
                extra_columns=getattr(args, "extra_columns", "error"),
                sheets=getattr(args, "sheet", None),
                strict=bool(getattr(args, "strict", False)),
                progress=progress_from_args(args),
            )
            if not len(responses.agencies):  # (a header, or a sheet, without rows)
                raise ResponseError(
                    [
                        Problem(
                            "the answers file has no rows: there is nothing to score",
                            "answers",
                            Location(str(args.answers)),
                            hint="add one row per agency and period under the header "
                            "('readiness-model template RUBRIC' writes a form to fill in)",
                        )
                    ]
                )
            return responses
        except ResponseError as err:
            raise ResponseError(
                [attrs.evolve(p, hint=_flags(p.hint)) for p in err.problems]
            ) from None
        finally:
            print_warnings(caught)


def print_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print the library's warnings one line each on stderr (``warning:`` for answers
    that look wrong, ``note:`` for notes of the reading); re-issue any other.

    Example:
        >>> print_warnings([])
    """
    for w in caught:
        if isinstance(w.message, ReadinessWarning):
            kind = "warning" if isinstance(w.message, AnswerWarning) else "note"
            print(f"{kind}: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _flags(hint: str) -> str:
    """A reader's hint with each library argument replaced by its command-line flag."""
    for argument, flag in _AS_FLAGS.items():
        hint = hint.replace(argument, flag)
    return hint


def language(text: str) -> str:
    """argparse type of ``--lang``: a language code (``en``, ``th``, ``pt-BR``).

    Example:
        >>> language("th")
        'th'
    """
    if not _LANG.match(text):
        raise argparse.ArgumentTypeError(
            f"expected a language code such as en or th (got {text!r})"
        )
    return text


def add_lang_option(parser: argparse.ArgumentParser, what: str = "titles") -> None:
    """Add ``--lang``: the language of the titles a command prints (default ``en``).

    Titles fall back to English, then to the first language the rubric gives.

    Example:
        >>> p = argparse.ArgumentParser()
        >>> add_lang_option(p)
        >>> p.parse_args(["--lang", "th"]).lang, p.parse_args([]).lang
        ('th', 'en')
    """
    parser.add_argument(
        "--lang",
        type=language,
        default="en",
        metavar="LANG",
        help=f"language of {what}: en (default), th, or another language the rubric's "
        "titles are written in (falls back to English)",
    )


def no_answers_for_period(command: str, asked: str, periods: Iterable[object]) -> int:
    """Say on stderr that the answers hold no row of the period asked (naming the periods
    they hold); the exit status 1.

    Example:
        >>> import contextlib, io
        >>> err = io.StringIO()
        >>> with contextlib.redirect_stderr(err):
        ...     status = no_answers_for_period("score", "2017", [2016, 2015, 2016])
        >>> status, err.getvalue().strip()
        (1, "readiness-model score: no answers for period '2017' (the file has 2015, 2016)")
    """
    have = ", ".join(sorted({str(x) for x in periods}))
    print(
        f"readiness-model {command}: no answers for period {asked!r} (the file has {have})",
        file=sys.stderr,
    )
    return 1
