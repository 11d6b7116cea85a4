"""Answers from CSV with the standard library: streamed in chunks of rows, each chunk
turned into columns (see :mod:`.answer_table`).

* **Wide**: one row per agency and period; a header ``agency,period,...,<indicator>...``.
* **Long**: ``agency,period,indicator,value`` (plus attribute columns), one row per
  answer; recognised by its header.

Lines are checked as they are read: a NUL byte (a binary file), a line that starts
with a byte-order mark (two files joined) and bytes that are not UTF-8 are errors at
their line.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import codecs
import csv
import gc
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import Location, did_you_mean
from .answer_cells import RESERVED_COLUMNS, is_blank
from .answer_table import AnswerParser, Chunk
from .problems import Report

__all__ = ["LONG_COLUMNS", "MAX_COLUMNS", "read_csv"]

LONG_COLUMNS = ("agency", "period", "indicator", "value")
CHUNK_ROWS = 8192
MAX_COLUMNS = 10_000
"""A header wider than this (or than twice the columns the rubric allows) is rejected
before any row is read."""
_SHOWN_UNKNOWN = 20  # unknown header names reported one by one (with a hint)


def _utf8_error(path: str | Path) -> tuple[int, int, int]:
    """Line, byte value and offset of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as e:
                # the decoder may hold up to 3 bytes of a sequence from the previous block
                held = len(e.object) - len(block)
                at = offset - held + e.start
                with open(path, "rb") as again:
                    before = again.read(at + 1)
                return before.count(b"\n") + 1, before[at], at
            offset += len(block)
            lines += block.count(b"\n")
    return lines + 1, 0, offset  # pragma: no cover - called only after an error


def _lines(fh: IO[str], rep: Report, path: str | Path) -> Iterator[str]:
    """Physical lines of ``fh``, each checked before the csv module sees it."""
    n = 0
    try:
        for line in fh:
            n += 1
            if "\x00" in line:
                rep.fail(
                    "this is not a text file (it holds NUL bytes)",
                    rep.at(n),
                    hint="export the survey as CSV (UTF-8) or JSON",
                )
            if line.startswith("\ufeff"):  # inside text it is a character like any other
                rep.fail(
                    "a byte-order mark (U+FEFF) in the middle of the file: were two files joined?",
                    rep.at(n, 1),
                    hint="remove the mark (and a second header row, if any)",
                )
            yield line
    except UnicodeDecodeError:
        where, byte, at = _utf8_error(path)
        rep.fail(
            f"the file is not UTF-8 (byte {byte:#04x} at offset {at})",
            rep.at(where),
            hint="save it as 'CSV UTF-8' (Excel) or re-encode it",
        )


def _spans(row: list[str]) -> int:
    """Physical lines a parsed row took (quoted cells may hold line breaks)."""
    return 1 + sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in row)


class _Rows:
    """Non-blank rows of a CSV file in chunks, each row with the line it starts on."""

    def __init__(self, fh: IO[str], rep: Report, path: str | Path) -> None:
        self.rep = rep
        self.reader = csv.reader(_lines(fh, rep, path), strict=True)
        self.done = False

    def chunk(self, size: int) -> tuple[list[list[str]], list[int]]:
        """Up to ``size`` rows and their first lines (blank rows dropped)."""
        if self.done:
            return [], []
        base = self.reader.line_num
        try:
            rows = list(itertools.islice(self.reader, size))
        except csv.Error as e:
            self.rep.add(
                f"malformed CSV: {e}",
                "",
                self.rep.at(self.reader.line_num),
                hint='check quotes: a field with commas needs "..."',
            )
            self.done = True
            return [], []
        if len(rows) < size:
            self.done = True
        if self.reader.line_num - base == len(rows):
            lines = list(range(base + 1, base + 1 + len(rows)))
        else:
            lines, at = [], base + 1
            for row in rows:
                lines.append(at)
                at += _spans(row)
        if not all(rows) or any(not "".join(r).strip() for r in rows if not r[0].strip()):
            kept = [(r, ln) for r, ln in zip(rows, lines, strict=True) if "".join(r).strip()]
            rows, lines = [r for r, _ in kept], [ln for _, ln in kept]
        return rows, lines

    def header(self) -> tuple[list[str], int] | None:
        while True:
            rows, lines = self.chunk(1)
            if rows:
                return rows[0], lines[0]
            if self.done:
                return None


def read_csv(
    path: str | Path,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
) -> set[str]:
    """Feed every row of the CSV file to ``parser``; returns the columns present."""
    # Millions of short-lived row lists: the cyclic garbage collector finds nothing to
    # free among them and only costs time (about an eighth of a large load); paused.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return _read(_Rows(fh, rep, path), rubric, keep, parser, rep)
    except OSError as e:
        rep.fail(f"cannot read answers file: {e.strerror or e}", rep.at())
    finally:
        if collecting:
            gc.enable()


def _read(
    rows: _Rows, rubric: Any, keep: Sequence[str], parser: AnswerParser, rep: Report
) -> set[str]:
    first = rows.header()
    if first is None:
        rep.fail(
            "the answers file has no header row",
            rep.at(1, 1),
            hint="expected a header row: agency,period,<indicator>...",
        )
    header, hline = first
    ids = {x.id for x in rubric.indicators}
    allowed = ids | set(RESERVED_COLUMNS) | set(keep)
    limit = max(MAX_COLUMNS, 2 * len(allowed))
    if len(header) > limit:
        rep.fail(
            f"the header has {len(header):,} columns; rubric {rubric.id!r} allows "
            f"{len(allowed):,} (at most {limit:,} are read)",
            rep.at(hline),
            hint="is this the right file and rubric?",
        )
    if {"indicator", "value"} <= set(header) and not ids & set(header):
        return _read_long(rows, header, hline, rubric, keep, parser, rep)
    pos = _check_header(header, hline, allowed, rubric, rep)
    width = len(header)
    while True:
        chunk, lines = rows.chunk(CHUNK_ROWS)
        if any(len(r) != width for r in chunk):
            kept = []
            for r, ln in zip(chunk, lines, strict=True):
                if not _ragged(rep, ln, r, width):
                    kept.append((r, ln))
            chunk, lines = [r for r, _ in kept], [ln for _, ln in kept]
        if chunk:
            parser.feed(_wide_chunk(chunk, lines, pos, rep))
        if rows.done:
            return set(header)


def _check_header(
    header: list[str], hline: int, allowed: set[str], rubric: Any, rep: Report
) -> dict[str, int]:
    """Problems of the header; returns the position of each usable column."""
    pos: dict[str, int] = {}
    unknown = 0
    ids = sorted(x.id for x in rubric.indicators)
    for c, h in enumerate(header):
        loc, path = rep.at(hline, c + 1), f"row {hline}, column {h or c + 1!r}"
        if not h:
            rep.add(f"column {c + 1} has no name", path, loc, hint="name it or delete it")
        elif h in pos:
            rep.add(f"column {h!r} appears twice (columns {pos[h] + 1} and {c + 1})", path, loc)
        elif h not in allowed:
            unknown += 1
            if unknown <= _SHOWN_UNKNOWN:
                rep.add(
                    f"unknown column {h!r}: rubric {rubric.id!r} has no such indicator",
                    path,
                    loc,
                    hint=did_you_mean(h, [*ids, *RESERVED_COLUMNS]),
                )
        if h and h not in pos:
            pos[h] = c
    if unknown > _SHOWN_UNKNOWN:
        rep.add(
            f"{unknown - _SHOWN_UNKNOWN} more unknown column(s)",
            f"row {hline}",
            rep.at(hline),
            hint="is this the right rubric?",
        )
    if "agency" not in pos:
        rep.add(
            "there is no 'agency' column",
            f"row {hline}",
            rep.at(hline),
            hint="the header must start with agency,period,...",
        )
    return {h: c for h, c in pos.items() if h in allowed}


def _ragged(rep: Report, line: int, cells: list[str], width: int) -> bool:
    if len(cells) == width:
        return False
    rep.add(
        f"row {line} has {len(cells)} cells but the header has {width} columns",
        f"row {line}",
        rep.at(line),
        hint="every row needs one cell per column (check for stray commas)",
    )
    return True


def _wide_chunk(rows: list[list[str]], lines: list[int], pos: dict[str, int], rep: Report) -> Chunk:
    cols = list(zip(*rows, strict=True))
    where = rep.where

    def locate(key: str, i: int) -> tuple[Location, str]:
        return Location(where, lines[i], pos[key] + 1), f"row {lines[i]}, column {key!r}"

    return Chunk(
        n=len(rows),
        columns={h: cols[c] for h, c in pos.items()},
        text=True,
        locate=locate,
        row=lambda i: (Location(where, lines[i]), f"row {lines[i]}"),
    )


def _read_long(
    rows: _Rows,
    header: list[str],
    hline: int,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
) -> set[str]:
    """A long file: rows grouped by (agency, period) into one chunk."""
    ids = [x.id for x in rubric.indicators]
    allowed = set(LONG_COLUMNS) | set(RESERVED_COLUMNS) | set(keep)
    for c, h in enumerate(header):
        if h not in allowed or header.index(h) != c:
            rep.add(
                f"unexpected column {h!r} in a long answers file",
                f"row {hline}, column {h!r}",
                rep.at(hline, c + 1),
                hint=did_you_mean(h, sorted(allowed)),
            )
    if "agency" not in header:
        rep.add("there is no 'agency' column", f"row {hline}", rep.at(hline))
    pos = {h: c for c, h in reversed(list(enumerate(header))) if h in allowed}
    attrs_ = [h for h in pos if h not in ("indicator", "value")]
    groups: dict[tuple[str, str], int] = {}
    cells: dict[str, list[Any]] = {h: [] for h in [*attrs_, *ids]}
    places: dict[str, list[tuple[int, int]]] = {h: [] for h in cells}
    first_line: list[int] = []
    present: set[str] = set(header) - {"indicator", "value"}
    done: dict[tuple[str, str, str], int] = {}
    width = len(header)
    while not rows.done:
        chunk, lines = rows.chunk(CHUNK_ROWS)
        for row, line in zip(chunk, lines, strict=True):
            if _ragged(rep, line, row, width):
                continue
            ag, per = (row[pos[k]] if k in pos else "" for k in ("agency", "period"))
            g = groups.setdefault((ag, per), len(groups))
            if g == len(first_line):
                first_line.append(line)
                for h in cells:
                    cells[h].append(None)
                    places[h].append((line, 0))
            for h in attrs_:
                _long_attribute(rep, cells, places, h, g, row[pos[h]], line, pos[h], ag, per)
            ind = row[pos["indicator"]] if "indicator" in pos else ""
            loc = rep.at(line, pos.get("indicator", 0) + 1)
            path = f"row {line}, column 'indicator'"
            if ind not in places or ind in attrs_:
                rep.add(f"unknown indicator {ind!r}", path, loc, hint=did_you_mean(ind, ids))
            elif (ag, per, ind) in done:
                rep.add(
                    f"agency {ag!r} answers {ind!r} twice for period {per or '?'} (rows "
                    f"{done[(ag, per, ind)]} and {line})",
                    path,
                    loc,
                    hint="keep one row per agency, period and indicator",
                )
            else:
                done[(ag, per, ind)] = line
                present.add(ind)
                cells[ind][g] = row[pos["value"]] if "value" in pos else ""
                places[ind][g] = (line, pos.get("value", 0) + 1)
    for h in ids:
        if h not in present:
            del cells[h]
    where = rep.where

    def locate(key: str, i: int) -> tuple[Location, str]:
        line, col = places[key][i]
        if key in ids:
            return Location(where, line, col), f"row {line}, column 'value' (indicator {key!r})"
        return Location(where, line, col), f"row {line}, column {key!r}"

    parser.feed(
        Chunk(
            n=len(first_line),
            columns={h: [("" if v is None else v) for v in col] for h, col in cells.items()},
            text=True,
            locate=locate,
            row=lambda i: (Location(where, first_line[i]), f"row {first_line[i]}"),
        )
    )
    return present


def _long_attribute(
    rep: Report,
    cells: dict[str, list[Any]],
    places: dict[str, list[tuple[int, int]]],
    h: str,
    g: int,
    v: str,
    line: int,
    c: int,
    ag: str,
    per: str,
) -> None:
    """An attribute repeated on every row of a long file must not change."""
    old = cells[h][g]
    if old is None or (is_blank(old) and not is_blank(v)):
        cells[h][g] = v
        places[h][g] = (line, c + 1)
    elif old != v and not is_blank(v):
        rep.add(
            f"agency {ag!r} (period {per or '?'}) has {h} {old!r} on row {places[h][g][0]} "
            f"but {v!r} here",
            f"row {line}, column {h!r}",
            rep.at(line, c + 1),
            hint="give one value per agency and period",
        )
