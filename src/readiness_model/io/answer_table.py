"""Answers as columns of raw cells, parsed once into the arrays of a ResponseSet.

Every reader (CSV wide or long, JSON, records, a DataFrame) hands :class:`AnswerParser`
one or more :class:`Chunk`\\ s: columns of cells keyed by column name, with a function
that says where a cell came from (``file:line:column`` and a path). The parser checks
agency ids, periods and attributes, converts each indicator column in bulk
(:func:`~readiness_model.io.answer_cells.convert_column`), and reports every problem
with its location, at most :data:`MAX_PROBLEMS` of them.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import bisect
import mmap
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..errors import Location
from .answer_cells import (
    RESERVED_COLUMNS,
    Column,
    Period,
    convert_column,
    distinct_values,
    is_blank,
    normalise_period,
)
from .answer_ids import attribute_text, convert_cells, id_text, plain_ids, short
from .csv_text import unescape
from .problems import Report

__all__ = [
    "AnswerParser",
    "Chunk",
    "Parsed",
    "duplicate_rows",
    "kept_attributes",
]

Locate = Callable[[str, int], tuple[Location | None, str]]


@attrs.frozen(slots=True)
class Chunk:
    """Some rows of answers as columns of raw cells.

    Attributes:
        n: Number of rows.
        columns: Column name -> ``n`` cells as written (absent columns are missing).
        text: Every cell is a ``str`` read from CSV (enables bulk conversion and the
            reading of neutralised formula cells, see :mod:`.csv_text`).
        locate: ``(column, row) -> (location, path)`` of a cell.
        row: ``row -> (location, label)`` of a whole row ("row 5", "record 3").
        converted: Indicator columns a reader already converted (fast readers).
        grouping: A number written ``1,200`` has a thousands separator (a
            comma-separated file; see :mod:`.grouped_numbers`).
        plain_agencies: The reader found every agency cell a plain id (not blank, no
            space around it, no leading apostrophe): the parser need not look again.
    """

    n: int
    columns: Mapping[str, Sequence[Any]]
    text: bool
    locate: Locate
    row: Callable[[int], tuple[Location | None, str]]
    converted: Mapping[str, Column] = attrs.field(factory=dict)
    grouping: bool = False
    plain_agencies: bool = False


@attrs.frozen(slots=True)
class Parsed:
    """What a ResponseSet is built from (arrays are writable, owned by the caller)."""

    agencies: tuple[str, ...]
    periods: tuple[Period, ...]
    values: np.ndarray
    missing: np.ndarray
    na: np.ndarray
    attributes: tuple[tuple[str, tuple[str | None, ...]], ...]
    unique: bool = False
    """No (agency, period) pair repeats (the parser checked: need not be checked again)."""


def duplicate_rows(agencies: Sequence[str], periods: Sequence[Period]) -> list[tuple[int, int]]:
    """``(first, again)`` row pairs of repeated (agency, period) keys.

    The common case (no repeat) costs one hash per key (cached by Python for text) and
    one sort of the hashes in numpy: equal keys have equal hashes, so distinct hashes
    prove distinct keys; only equal hashes (a repeat, or a rare collision) lead to the
    exact check.

    Example:
        >>> duplicate_rows(["a", "b", "a"], [1, 1, 1])
        [(0, 2)]
        >>> duplicate_rows(["a", "b", "a"], [1, 1, 2])
        []
    """
    n = len(agencies)
    if n < 2:
        return []
    one_period = len(distinct_values(periods)) <= 1
    keys = agencies if one_period else zip(agencies, periods, strict=True)
    hashes = np.fromiter(map(hash, keys), np.int64, count=n)
    hashes.sort()
    if not (hashes[1:] == hashes[:-1]).any():
        return []
    seen: dict[tuple[str, Period], int] = {}
    out = []
    for i, key in enumerate(zip(agencies, periods, strict=True)):
        if key in seen:
            out.append((seen[key], i))
        else:
            seen[key] = i
    return out


def kept_attributes(rubric: Any, attributes: Sequence[str]) -> list[str]:
    """Attribute columns kept besides ``name``, ``kind`` and ``parent``: those named,
    then the rubric's population keys.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> kept_attributes(r, ["region"])
        ['region']
    """
    return list(attributes) + [
        k for k, _ in rubric.population if k not in RESERVED_COLUMNS and k not in attributes
    ]


class AnswerParser:
    """Parse chunks of answers for one rubric; :meth:`finish` returns the arrays.

    Args:
        rubric: The rubric (its indicators are the columns, in order).
        keep: Attribute columns to keep besides ``name``, ``kind`` and ``parent``.
        period: The period of rows without one.
        rep: Where problems go.
        rows: The number of rows, when a reader knows it (the arrays are then allocated
            once and filled chunk by chunk).
    """

    def __init__(
        self,
        rubric: Any,
        keep: Sequence[str],
        period: Period | None,
        rep: Report,
        rows: int | None = None,
    ):
        self.inds = rubric.indicators
        extra = [k for k in keep if k not in RESERVED_COLUMNS]
        self.attr_names = [*RESERVED_COLUMNS[2:], *extra]
        self.period = period
        self.rep = rep
        self.agencies: list[str] = []
        self.periods: list[Period] = []
        self.attrs: dict[str, list[str | None]] = {a: [] for a in self.attr_names}
        self.valued: set[str] = set()  # attributes some chunk had a column for
        self.blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.starts: list[int] = []  # first output row of each chunk
        self.rows: list[Callable[[int], tuple[Location | None, str]]] = []
        self.locates: list[Locate] = []
        self.kept: list[np.ndarray] = []
        self.seen = 0  # rows fed, kept or not
        self.full: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.filled = 0
        if rows is not None:  # the number of rows is known: one allocation, no copy
            m = len(self.inds)
            self.full = (np.empty((rows, m)), np.empty((rows, m), bool), np.empty((rows, m), bool))

    def expect(self, rows: int) -> None:
        """Allocate the arrays for about ``rows`` rows before the first chunk (a reader's
        estimate: rows past it go to blocks joined at the end; rows short of it leave
        the arrays a little large)."""
        if self.full is None and not self.seen:
            m = len(self.inds)
            self.full = (np.empty((rows, m)), np.empty((rows, m), bool), np.empty((rows, m), bool))

    def prefault(self, rows: int) -> None:
        """Touch every page of the next ``rows`` rows of the preallocated arrays (one
        write per page, in order, inside those rows only): the chunks' block writes
        then find their memory mapped. A fresh page's first write costs a fault;
        faulted in file order they cost less than inside the column-by-column writes
        of :func:`_assemble`. A reader calls this before feeding each block's rows (not
        for the whole estimate at once: the estimate may be far too large, and the
        untouched rest then stays virtual)."""
        if self.full is None or self.blocks:  # (no more rows go to them)
            return
        lo = self.filled
        hi = min(len(self.full[0]), lo + max(rows, 0))
        for a in self.full:
            a[lo:hi].reshape(-1).view(np.uint8)[:: mmap.PAGESIZE] = 0

    def keep_also(self, names: Sequence[str]) -> None:
        """Keep these columns as attributes too (extra columns a reader was told to
        keep); call before the first chunk is fed."""
        for a in names:
            if a not in self.attrs:
                self.attr_names.append(a)
                self.attrs[a] = []

    # -- one chunk ---------------------------------------------------------------------
    def feed(self, chunk: Chunk) -> None:
        """Parse the rows of one chunk."""
        self.seen += chunk.n
        ok = np.ones(chunk.n, bool)
        agencies = self._agencies(chunk, ok)
        periods = self._periods(chunk, ok)
        for a in self.attr_names:  # (a column first seen now: earlier rows get None)
            if chunk.columns.get(a) is not None and a not in self.valued:
                self.valued.add(a)
                self.attrs[a].extend([None] * len(self.agencies))
        attrs_ = {a: self._attribute(chunk, a) for a in self.attr_names if a in self.valued}
        cols: list[Column | None] = []
        for x in self.inds:
            cells = chunk.columns.get(x.id)
            col = chunk.converted.get(x.id)
            if col is None and cells is not None:
                col = convert_column(x.scale, cells, text=chunk.text, grouping=chunk.grouping)
            cols.append(col)
            for i, expected in col.bad if col is not None else ():
                loc, path = chunk.locate(x.id, i)
                raw = cells[i] if cells is not None else "?"
                self.rep.add(
                    f"bad answer {short(raw)} for indicator {x.id!r} (agency "
                    f"{agencies[i]!r}, period {periods[i]!r}): expected {expected}",
                    path,
                    loc,
                    expected=expected,
                    got=short(raw),
                )
        idx = np.flatnonzero(ok)
        self.starts.append(len(self.agencies))
        self.rows.append(chunk.row)
        self.locates.append(chunk.locate)
        self.kept.append(idx)
        if len(idx) == chunk.n:  # (a chunk that lost rows has problems: nothing is built)
            _assemble(cols, self._block(chunk.n))
            self.agencies.extend(agencies)
            self.periods.extend(periods)
            for a, col_ in attrs_.items():
                self.attrs[a].extend(col_)
            return
        keep = idx.tolist()
        self.agencies.extend(agencies[i] for i in keep)
        self.periods.extend(periods[i] for i in keep)
        for a, col_ in attrs_.items():
            self.attrs[a].extend(col_[i] for i in keep)

    def _block(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Arrays for the next ``n`` rows: a slice of the preallocated ones, or new ones.
        Once a chunk did not fit, every later one gets new arrays too (the rows stay in
        file order: a smaller chunk must not go back into the preallocated rest)."""
        m = len(self.inds)
        if self.full is not None and not self.blocks and self.filled + n <= len(self.full[0]):
            start, self.filled = self.filled, self.filled + n
            return (
                self.full[0][start : self.filled],
                self.full[1][start : self.filled],
                self.full[2][start : self.filled],
            )
        block = (np.empty((n, m)), np.empty((n, m), bool), np.empty((n, m), bool))
        self.blocks.append(block)
        return block

    def _agencies(self, chunk: Chunk, ok: np.ndarray) -> list[str]:
        cells = chunk.columns.get("agency")
        if cells is None:
            ok[:] = False  # the reader reported the missing column
            return [""] * chunk.n
        if chunk.text and (chunk.plain_agencies or plain_ids(cells)):
            return list(cells)
        out: list[str] = []
        for i, raw in enumerate(cells):
            if chunk.text:
                raw = unescape(raw)
            if is_blank(raw) or isinstance(raw, bool) or not isinstance(raw, str | int):
                loc, path = chunk.locate("agency", i)
                label = chunk.row(i)[1]
                self.rep.add(
                    f"{label} has no agency id (got {short(raw)})",
                    path,
                    loc,
                    hint="every row needs an agency id",
                )
                ok[i] = False
                out.append("")
                continue
            try:
                out.append(id_text(raw, "the agency id"))
            except ValueError as err:
                loc, path = chunk.locate("agency", i)
                self.rep.add(str(err), path, loc, hint="write the id as plain text, no spaces")
                ok[i] = False
                out.append("")
        return out

    def _periods(self, chunk: Chunk, ok: np.ndarray) -> list[Period]:
        cells = chunk.columns.get("period")
        if cells is None:
            if self.period is None:
                ok[:] = False  # the reader reported the missing column
                return [0] * chunk.n
            return [self.period] * chunk.n
        default = self.period

        def convert(raw: Any) -> Period:
            return normalise_period(default if is_blank(raw) else raw)

        out, bad = convert_cells(cells, chunk.text, convert)
        for i, message in bad:
            loc, path = chunk.locate("period", i)
            self.rep.add(
                f"{chunk.row(i)[1]}: {message}",
                path,
                loc,
                hint="give the period as a year, e.g. 2016, or as a label",
            )
            ok[i] = False
        return out

    def _attribute(self, chunk: Chunk, name: str) -> list[str | None]:
        cells = chunk.columns.get(name)
        if cells is None:
            return [None] * chunk.n

        def convert(raw: Any) -> str | None:
            if is_blank(raw):
                return None
            if name == "parent":
                return id_text(raw, "the parent id")
            return attribute_text(raw)

        out, bad = convert_cells(cells, chunk.text, convert)
        for i, message in bad:
            loc, path = chunk.locate(name, i)
            self.rep.add(message, path, loc, hint="write it as plain text")
        return out

    # -- all chunks ----------------------------------------------------------------------
    def _where(self, k: int) -> tuple[Location | None, str]:
        """Location and label of output row ``k``."""
        c = bisect.bisect_right(self.starts, k) - 1
        return self.rows[c](int(self.kept[c][k - self.starts[c]]))

    def locate(self, k: int, key: str) -> tuple[Location | None, str]:
        """Location and path of column ``key``'s cell on output row ``k``."""
        c = bisect.bisect_right(self.starts, k) - 1
        return self.locates[c](key, int(self.kept[c][k - self.starts[c]]))

    def finish(self) -> Parsed:
        """The arrays of every row, after the duplicate check; raises every problem."""
        for first, again in duplicate_rows(self.agencies, self.periods):
            loc, label = self._where(again)
            self.rep.add(
                f"agency {self.agencies[again]!r} appears twice for period "
                f"{self.periods[again]!r} ({self._where(first)[1]} and {label})",
                label,
                loc,
                hint="keep one row per agency and period",
            )
        self.rep.check()
        m = len(self.inds)
        parts = list(self.blocks)
        if self.full is not None:
            parts.insert(
                0,
                (
                    self.full[0][: self.filled],
                    self.full[1][: self.filled],
                    self.full[2][: self.filled],
                ),
            )
        if len(parts) == 1:
            values, missing, na = parts[0]
        elif parts:
            values, missing, na = (np.concatenate([b[k] for b in parts]) for k in range(3))
        else:
            values, missing, na = np.zeros((0, m)), np.zeros((0, m), bool), np.zeros((0, m), bool)
        self.blocks = []
        return Parsed(
            tuple(self.agencies),
            tuple(self.periods),
            values,
            missing,
            na,
            tuple((a, tuple(col)) for a, col in self.attrs.items() if a in self.valued),
            unique=True,
        )


ASSEMBLE_ROWS = 2048  # (a block of output rows stays in the cache)


def _assemble(cols: list[Column | None], out: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """Write converted columns into row-major arrays, a block of rows at a time (column
    writes into a large row-major array would miss the cache at every cell)."""
    values, missing, na = out
    n = len(values)
    for r0 in range(0, n, ASSEMBLE_ROWS):
        r1 = min(n, r0 + ASSEMBLE_ROWS)
        v, mi, a = values[r0:r1], missing[r0:r1], na[r0:r1]
        for j, col in enumerate(cols):
            if col is None:  # an absent column: every answer missing
                v[:, j], mi[:, j], a[:, j] = np.nan, True, False
            else:
                v[:, j], mi[:, j], a[:, j] = (
                    col.values[r0:r1],
                    col.missing[r0:r1],
                    col.na[r0:r1],
                )
