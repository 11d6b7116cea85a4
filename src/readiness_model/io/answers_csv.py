"""Answers from CSV with the standard library: streamed in chunks of rows, each chunk
turned into columns (see :mod:`.answer_table`).

* **Wide**: one row per agency and period; a header ``agency,period,...,<indicator>...``.
* **Long**: ``agency,period,indicator,value`` (plus attribute columns), one row per
  answer; recognised by its header.

Lines are checked as they are read: a NUL byte (a binary file), a line that starts
with a byte-order mark (two files joined) and bytes that are not in the file's encoding
are errors at their line. The delimiter (``,``, ``;`` or tab) is the one given, or
sniffed from the header row (see :func:`.csv_dialect.sniff_delimiter`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import difflib
import gc
import io
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Literal

from ..errors import AnswersNotFoundError, Location, Problem, ReadingNote
from .answer_cells import RESERVED_COLUMNS
from .answer_table import AnswerParser, Chunk
from .answers_long import LONG_COLUMNS, read_long
from .csv_blocks import read_blocks
from .csv_dialect import DELIMITERS, first_line, sniff_delimiter
from .csv_rows import CHUNK_ROWS, Rows, ragged
from .problems import Report

__all__ = ["LONG_COLUMNS", "MAX_COLUMNS", "ExtraColumns", "check_header", "extra_hint", "read_csv"]

ExtraColumns = Literal["error", "keep", "ignore"]
MAX_COLUMNS = 10_000
"""A header wider than this (or than twice the columns the rubric allows) is rejected
before any row is read."""
_SHOWN_UNKNOWN = 20  # unknown header names reported one by one (with a hint)


def read_csv(
    path: str | Path,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str | None = None,
    extra_columns: ExtraColumns = "error",
    progress: Callable[[int], None] | None = None,
) -> set[str]:
    """Feed every row of the CSV file to ``parser``; returns the columns present.

    The rows of a plain UTF-8 wide file are tokenised and converted with numpy
    (:mod:`.csv_blocks`) up to the first block that is not plain; the ``csv`` module
    reads the rest (and any other file), so that results and errors are its own.

    Args:
        encoding: The file's encoding (``utf-8-sig`` reads UTF-8 with or without a mark).
        delimiter: ``,``, ``;`` or tab; ``None`` sniffs it from the header row (a choice
            other than ``,`` is noted in ``rep.notes``).
        extra_columns: Columns that are no indicator, reserved column or kept attribute:
            ``"error"``, ``"keep"`` (as attributes) or ``"ignore"``.
        progress: Called with the bytes read so far (by the numpy reader).
    """
    if delimiter is None:
        known = {x.id for x in rubric.indicators} | set(RESERVED_COLUMNS) | set(keep)
        delimiter = sniff_delimiter(first_line(path, encoding), known | set(LONG_COLUMNS))
        if delimiter != ",":
            name = DELIMITERS[delimiter]
            shown = "\\t" if delimiter == "\t" else delimiter
            rep.note(
                ReadingNote(
                    Problem(
                        f"read as {name}-separated: the header row splits into the rubric's "
                        f"columns at {name}s",
                        "header",
                        rep.at(1),
                        hint=f"pass delimiter='{shown}' (--delimiter '{shown}') to say so",
                    )
                )
            )
    # Millions of short-lived row lists: the cyclic garbage collector finds nothing to
    # free among them and only costs time (about an eighth of a large load); paused.
    collecting = gc.isenabled()
    gc.disable()
    with ExitStack() as stack:

        def plain(hline: int, pos: dict[str, int], width: int) -> Rows | None:
            """Read the body with numpy; ``None`` when done, else the rows of the rest."""
            if encoding != "utf-8-sig":
                return rows
            offset = body_offset(path, hline)
            if offset is None:
                return rows
            scales = {x.id: x.scale for x in rubric.indicators}
            parser.expect(estimate_rows(path, offset))
            more = read_blocks(
                path, offset, hline + 1, delimiter, pos, width, scales, parser, rep.where,
                delimiter == ",", progress or (lambda at: None), CHUNK_ROWS,
            )  # fmt: skip
            if more is None:
                return None
            raw = stack.enter_context(open(path, "rb"))
            raw.seek(more[0])
            fh = stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            return Rows(fh, rep, path, encoding, delimiter, start=more[1] - 1)

        try:
            fh = stack.enter_context(open(path, encoding=encoding, newline=""))
            rows = Rows(fh, rep, path, encoding, delimiter)
            return _read(rows, rubric, keep, parser, rep, delimiter == ",", extra_columns, plain)
        except OSError as e:
            rep.add(f"cannot read answers file: {e.strerror or e}", "", rep.at())
            if isinstance(e, FileNotFoundError):
                raise AnswersNotFoundError(rep.error().problems) from e
            raise rep.error() from e
        finally:
            if collecting:
                gc.enable()
    raise AssertionError("unreachable")  # pragma: no cover


def _read(
    rows: Rows,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
    grouping: bool,
    extra_columns: ExtraColumns,
    plain: Callable[[int, dict[str, int], int], Rows | None] | None = None,
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
        return read_long(rows, header, hline, rubric, keep, parser, rep, grouping, extra_columns)
    pos = check_header(header, hline, allowed, rubric, rep, extra_columns, parser)
    width = len(header)
    if plain is not None:
        rest = plain(hline, pos, width)
        if rest is None:
            return set(header)
        rows = rest
    while True:
        chunk, lines = rows.chunk(CHUNK_ROWS)
        if any(len(r) != width for r in chunk):
            kept = []
            for r, ln in zip(chunk, lines, strict=True):
                if not ragged(rep, ln, r, width):
                    kept.append((r, ln))
            chunk, lines = [r for r, _ in kept], [ln for _, ln in kept]
        if chunk:
            parser.feed(_wide_chunk(chunk, lines, pos, rep, grouping))
        if rows.done:
            return set(header)


def body_offset(path: str | Path, hline: int) -> int | None:
    """Byte offset of the line after the header (line ``hline``), when the lines up to
    it are plain (no quote, a carriage return only before a newline) and the file is
    UTF-8; else ``None``."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 22)
    at = 0
    for _ in range(hline):
        at = head.find(b"\n", at) + 1
        if at == 0:
            return None
    if b'"' in head[:at] or head.count(b"\r", 0, at) != head.count(b"\r\n", 0, at):
        return None
    return at


def estimate_rows(path: str | Path, offset: int) -> int:
    """About how many lines follow byte ``offset`` (from the lines of the first 64 KiB,
    plus 2%), so that the answer arrays are allocated once."""
    with open(path, "rb") as fh:
        fh.seek(offset)
        sample = fh.read(1 << 16)
        rest = fh.seek(0, io.SEEK_END) - offset
    lines = sample.count(b"\n")
    if not lines or len(sample) == rest:
        return lines + 1
    return int(rest / (len(sample) / lines) * 1.02) + 1


def extra_hint(rubric: Any) -> str:
    """The hint of an unknown column (or key) that is no misspelt indicator id.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> extra_hint(r).split(":")[0]
        "rubric 't' has no such indicator"
    """
    return (
        f"rubric {rubric.id!r} has no such indicator: keep it as an attribute with "
        "--extra-columns keep (extra_columns='keep'), or drop it with 'ignore'"
    )


def check_header(
    header: Sequence[str],
    hline: int,
    allowed: set[str],
    rubric: Any,
    rep: Report,
    extra_columns: ExtraColumns = "error",
    parser: AnswerParser | None = None,
    skip: set[int] | frozenset[int] = frozenset(),
) -> dict[str, int]:
    """Problems of a wide header; returns the position of each usable column.

    Positions in ``skip`` are left out (empty columns of a worksheet).

    Columns that are no indicator, reserved column or kept attribute are reported
    (once each) unless ``extra_columns`` keeps them (they become attributes of
    ``parser``) or ignores them; a column that looks like a misspelt indicator id of
    the rubric (one the header lacks) is reported whatever the choice.
    """
    pos: dict[str, int] = {}
    unknown = 0
    ids = sorted(x.id for x in rubric.indicators)
    absent = sorted(set(ids) - set(header))
    extras: list[str] = []
    for c, h in enumerate(header):
        if c in skip:
            continue
        loc, path = rep.at(hline, c + 1), f"row {hline}, column {h or c + 1!r}"
        if not h:
            rep.add(f"column {c + 1} has no name", path, loc, hint="name it or delete it")
        elif h in pos:
            rep.add(f"column {h!r} appears twice (columns {pos[h] + 1} and {c + 1})", path, loc)
        elif h not in allowed:
            typo = difflib.get_close_matches(h, absent, 1, 0.6)
            if extra_columns != "error" and not typo and h.strip() not in RESERVED_COLUMNS:
                extras.append(h)
                pos[h] = c
                continue
            unknown += 1
            if unknown <= _SHOWN_UNKNOWN:
                close = difflib.get_close_matches(h, [*ids, *RESERVED_COLUMNS], 1, 0.6)
                rep.add(
                    f"unknown column {h!r}: rubric {rubric.id!r} has no such indicator",
                    path,
                    loc,
                    hint=f"did you mean {close[0]!r}?" if close else extra_hint(rubric),
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
    if extra_columns == "keep" and extras and parser is not None:
        parser.keep_also(extras)
        allowed = allowed | set(extras)
    return {h: c for h, c in pos.items() if h in allowed}


def _wide_chunk(
    rows: list[list[str]], lines: list[int], pos: dict[str, int], rep: Report, grouping: bool
) -> Chunk:
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
        grouping=grouping,
    )
