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
from typing import TYPE_CHECKING

import attrs

from ..errors import ResponseError

if TYPE_CHECKING:
    from ..model import Rubric
    from ..responses import ResponseSet

__all__ = [
    "ANSWER_OPTIONS",
    "add_answer_options",
    "add_lang_option",
    "answers_from_args",
    "language",
]

ANSWER_OPTIONS = ("--allow-missing-columns",)
"""The flags :func:`add_answer_options` adds (the parser-walk test checks them)."""

_AS_FLAGS = {"allow_missing_columns=True": "--allow-missing-columns"}
"""Library arguments named in the readers' hints, and the flag that sets each."""

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
    from ..io.responses_io import load_responses

    try:
        return load_responses(
            args.answers, rubric, allow_missing_columns=bool(args.allow_missing_columns)
        )
    except ResponseError as err:
        raise ResponseError([attrs.evolve(p, hint=_flags(p.hint)) for p in err.problems]) from None


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


def add_lang_option(parser: argparse.ArgumentParser) -> None:
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
        help="language of titles: en (default), th, or another language the rubric's "
        "titles are written in (falls back to English)",
    )
