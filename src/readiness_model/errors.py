"""Errors a user can cause, each carrying where it happened and what to do.

Every failure that bad input can cause is a :class:`ReadinessError`. A loader
collects every problem it finds and raises one error holding them all
(:attr:`ReadinessError.problems`), rendered one line each::

    rubrics/x.yaml:42:9: unknown key 'wieght' (did you mean 'weight'?) @ $.dimensions[0]

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

import attrs

__all__ = [
    "AnswerWarning",
    "Location",
    "MissingExtraError",
    "Problem",
    "ReadinessError",
    "ReadinessWarning",
    "ReadingNote",
    "ResponseError",
    "RubricError",
    "column_letter",
    "did_you_mean",
]


@attrs.frozen(slots=True)
class Location:
    """Where a problem sits in a file.

    Attributes:
        file: The file name (or ``"<string>"`` for text without a file).
        line: 1-based line number (the row of a spreadsheet), or ``None`` when unknown.
        column: 1-based column number, or ``None`` when unknown.
        sheet: The worksheet of a workbook, or ``None`` for a text file. A location in a
            sheet is written the way a spreadsheet names a cell: ``FILE!SHEET!B7``.

    Example:
        >>> str(Location("r.yaml", 3, 7)), str(Location("a.xlsx", 7, 2, sheet="Answers"))
        ('r.yaml:3:7', 'a.xlsx!Answers!B7')

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``sheet``.
    """

    file: str = "<string>"
    line: int | None = None
    column: int | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            if self.line is None:
                return f"{self.file}!{self.sheet}"
            if self.column is None:
                return f"{self.file}!{self.sheet}!{self.line}:{self.line}"
            return f"{self.file}!{self.sheet}!{column_letter(self.column)}{self.line}"
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def column_letter(column: int) -> str:
    """A spreadsheet's name of a 1-based column number.

    Example:
        >>> column_letter(1), column_letter(26), column_letter(27), column_letter(703)
        ('A', 'Z', 'AA', 'AAA')
    """
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


@attrs.frozen(slots=True)
class Problem:
    """One problem found in the input.

    Attributes:
        message: What is wrong, naming the field, the expectation and what was got.
        path: Where in the document, as a JSONPath-like string (``$.dimensions[0].weight``)
            or a row/column description for tabular input.
        location: File, line and column, when known.
        hint: What to do about it (``"did you mean 'weight'?"``), or ``""``.
        expected: The expectation in a few words, or ``""``.
        got: A short rendering of the offending value, or ``""``.
        excerpt: The offending line of the file with a caret under the spot (YAML syntax
            errors), shown under the problem's line, or ``""``.

    Example:
        >>> p = Problem("'weight' must be >= 0 (got -1)", "$.dimensions[0].weight",
        ...             Location("r.yaml", 4, 13))
        >>> str(p)
        "r.yaml:4:13: 'weight' must be >= 0 (got -1) @ $.dimensions[0].weight"

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``excerpt``.
    """

    message: str
    path: str = "$"
    location: Location | None = None
    hint: str = ""
    expected: str = ""
    got: str = ""
    excerpt: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        hint = f" ({self.hint})" if self.hint else ""
        path = f" @ {self.path}" if self.path else ""
        below = f"\n{self.excerpt}" if self.excerpt else ""
        return f"{where}{self.message}{hint}{path}{below}"


class ReadinessError(Exception):
    """Base of every error that bad input can cause.

    Attributes:
        problems: Every problem found, in document order. Never empty.

    Example:
        >>> err = ReadinessError([Problem("bad thing", "$.x")])
        >>> str(err)
        'bad thing @ $.x'
        >>> len(err.problems)
        1

    .. versionadded:: 0.1.0
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, path="")]
        self.problems = tuple(problems)
        if not self.problems:
            self.problems = (Problem("unspecified error", path=""),)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ReadinessError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))

    def lines(self) -> list[str]:
        """One rendered line per problem, for printing.

        Example:
            >>> ReadinessError([Problem("bad weight", "$.w"), Problem("bad id", "$.id")]).lines()
            ['bad weight @ $.w', 'bad id @ $.id']
        """
        return [str(p) for p in self.problems]


class RubricError(ReadinessError):
    """A rubric (YAML or objects built in Python) is invalid.

    Example:
        >>> from readiness_model import Rubric
        >>> text = "{rubric: r, dimensions: [{id: d, wieght: 2, indicators: [{id: q}]}]}"
        >>> try:
        ...     Rubric.from_yaml(text)
        ... except RubricError as err:
        ...     problem = err.problems[0]
        >>> problem.message, problem.hint
        ("unknown key 'wieght' in a dimension", "did you mean 'weight'?")
        >>> problem.path, str(problem.location)
        ('$.dimensions[0].wieght', '<string>:1:34')

    .. versionadded:: 0.1.0
    """


class ResponseError(ReadinessError):
    """Survey answers are invalid for the rubric they are scored against.

    Example:
        >>> from readiness_model import ResponseSet, Rubric
        >>> text = "{rubric: r, dimensions: [{id: d, indicators: [{id: portal}]}]}"
        >>> rubric = Rubric.from_yaml(text)
        >>> answers = [{"agency": "A", "period": 2024, "portal": "maybe"}]
        >>> try:
        ...     ResponseSet.from_records(answers, rubric)
        ... except ResponseError as err:
        ...     problem = err.problems[0]
        >>> problem.message.split(":")[0], problem.got
        ("bad answer 'maybe' for indicator 'portal' (agency 'A', period 2024)", "'maybe'")

    .. versionadded:: 0.1.0
    """


class UnknownAgencyError(ResponseError, KeyError):
    """An agency that is not in the results: both a :class:`ResponseError` (with the
    closest id as a hint) and a :class:`KeyError`, as a lookup that misses is in Python.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(r, rm.ResponseSet.from_array([[1]], ["moc"], r))
        >>> try:
        ...     res.agency("mocc")
        ... except KeyError as err:
        ...     isinstance(err, rm.ResponseError), str(err)
        (True, "no agency 'mocc' in these results (did you mean 'moc'?) @ agency")

    .. versionadded:: 0.2.0
    """

    def __str__(self) -> str:  # the message, not KeyError's quoted repr of it
        return "\n".join(str(p) for p in self.problems)


class RubricNotFoundError(RubricError, FileNotFoundError):
    """No rubric file (or shipped rubric) by that name: both a :class:`RubricError` and a
    :class:`FileNotFoundError`.

    Example:
        >>> import readiness_model as rm
        >>> try:
        ...     rm.load_rubric("missing/rubric.yaml")
        ... except FileNotFoundError as err:
        ...     isinstance(err, rm.RubricError), err.problems[0].hint
        (True, 'check the path')

    .. versionadded:: 0.2.0
    """


class AnswersNotFoundError(ResponseError, FileNotFoundError):
    """No answers (or results) file at that path: both a :class:`ResponseError` and a
    :class:`FileNotFoundError`.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> try:
        ...     rm.load_responses("missing/answers.csv", r)
        ... except FileNotFoundError as err:
        ...     isinstance(err, rm.ResponseError), err.problems[0].message
        (True, 'cannot read answers file: No such file or directory')

    .. versionadded:: 0.2.0
    """


class MissingExtraError(ReadinessError, ImportError):
    """An optional dependency is not installed; the hint names the pip extra.

    It is both a :class:`ReadinessError` (the CLI prints it as one line) and an
    :class:`ImportError`.

    Example:
        >>> err = MissingExtraError([Problem("pandas is not installed", "pandas", hint="pip")])
        >>> isinstance(err, ImportError), isinstance(err, ReadinessError)
        (True, True)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 Defined in :mod:`readiness_model.errors` (still importable
       from :mod:`readiness_model.interop`).
    """


class ReadinessWarning(UserWarning):
    """Base of the library's warnings: something worth a look that is not an error.

    Attributes:
        problem: What and where, as a located :class:`Problem` (the warning's text is
            its one-line rendering).

    Example:
        >>> w = ReadinessWarning(Problem("looks odd", "row 2", Location("a.csv", 2, 3)))
        >>> str(w), w.problem.location.line
        ('a.csv:2:3: looks odd @ row 2', 2)

    .. versionadded:: 0.2.0
    """

    problem: Problem

    def __init__(self, problem: Problem | str) -> None:
        self.problem = problem if isinstance(problem, Problem) else Problem(problem, "")
        super().__init__(str(self.problem))


class AnswerWarning(ReadinessWarning):
    """Answers that look wrong: far outside an indicator's goalposts, or a percentage
    indicator whose every answer lies in [0, 1] (written as fractions?).

    ``load_responses(..., strict=True)`` (``--strict``) makes them errors.

    Example:
        >>> issubclass(AnswerWarning, ReadinessWarning)
        True

    .. versionadded:: 0.2.0
    """


class ReadingNote(ReadinessWarning):
    """A choice a reader made for you, reported so that it is never silent (a sniffed
    delimiter, a period taken from a sheet's name). Naming the choice silences it.

    Example:
        >>> issubclass(ReadingNote, UserWarning)
        True

    .. versionadded:: 0.2.0
    """


def did_you_mean(word: str, choices: Sequence[str] | Iterable[str]) -> str:
    """A hint naming the closest of ``choices`` to ``word``, or a list of choices.

    Example:
        >>> did_you_mean("wieght", ["weight", "title"])
        "did you mean 'weight'?"
        >>> did_you_mean("zzz", ["a", "b"])
        "expected one of: 'a', 'b'"
        >>> did_you_mean(0, ["a"])
        "expected one of: 'a'"
    """
    options = sorted(set(choices))
    # a key that is not text (``{0: 60}`` given as targets) has no close match
    close = (
        difflib.get_close_matches(word, options, n=1, cutoff=0.6) if isinstance(word, str) else []
    )
    if close:
        return f"did you mean {close[0]!r}?"
    if not options:
        return ""
    shown = ", ".join(repr(o) for o in options[:12])
    more = ", ..." if len(options) > 12 else ""
    return f"expected one of: {shown}{more}"
