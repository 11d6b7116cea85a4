"""Problems found in one source, each located in it, collected before one error is raised.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import NoReturn

from ..errors import Location, Problem, ReadinessWarning, ResponseError

__all__ = ["MAX_PROBLEMS", "Report"]

MAX_PROBLEMS = 200
"""At most this many problems are listed; the rest are counted."""


class Report:
    """Problems found in one source, each located in it (at most :data:`MAX_PROBLEMS`).

    Example:
        >>> rep = Report("a.csv")
        >>> rep.add("bad", "row 2", rep.at(2, 3))
        >>> str(rep.error())
        'a.csv:2:3: bad @ row 2'
    """

    def __init__(self, where: str) -> None:
        self.where = where
        self.sheet: str | None = None  # the worksheet being read, in a workbook
        self.problems: list[Problem] = []
        self.notes: list[ReadinessWarning] = []  # warnings, emitted by the caller
        self.more = 0

    def at(self, line: int | None = None, col: int | None = None) -> Location:
        """A location in this source (in the current sheet of a workbook)."""
        return Location(self.where, line, col, self.sheet)

    def note(self, warning: ReadinessWarning) -> None:
        """Record a warning (a note on how the source was read, or an odd answer)."""
        self.notes.append(warning)

    def add(self, msg: str, path: str, loc: Location | None, hint: str = "", **kw: str) -> None:
        """Record one problem."""
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.problems.append(Problem(msg, path, loc, hint=hint, **kw))

    def error(self) -> ResponseError:
        """Every problem recorded, as one error."""
        extra = []
        if self.more:
            extra.append(
                Problem(
                    f"... and {self.more} more problem(s) not shown",
                    "",
                    self.at(),
                    hint="fix the ones above first",
                )
            )
        return ResponseError([*self.problems, *extra])

    def check(self) -> None:
        """Raise when any problem was recorded."""
        if self.problems:
            raise self.error()

    def fail(self, msg: str, loc: Location, hint: str = "", path: str = "") -> NoReturn:
        """Record one more problem and raise them all."""
        self.add(msg, path, loc, hint)
        raise self.error()
