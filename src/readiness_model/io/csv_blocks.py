"""The rows of a plain wide CSV file, tokenised and converted with whole-array numpy
operations, a block of lines at a time.

Most answer files are plain: UTF-8, no quotes, one row per line (every line ending in
``\\n``, or every line in ``\\r\\n`` as Windows writes them), every row as wide as the
header. In a block of such lines every delimiter and newline
is a cell boundary: one pass finds them all, and a row is as wide as the header when
its last boundary is its newline. Each column's cells are then read as 64-bit words
(two aligned reads and a shift per word, zero past the cell's end), and

* a numeric column's plain decimals (``-12.5``: at most 8 bytes, no exponent) are
  classified and combined within their word (SWAR) and converted exactly: the digits
  as an integer below 2**53 divided by a power of ten is one correctly rounded IEEE
  operation, the same bits as Python's ``float`` (Clinger's fast path); longer numbers
  and exponents go through numpy's correctly rounded parser, in one call;
* a label column's distinct words are found in a few vectorised passes and each is
  parsed once by its scale;
* every other cell (``n/a``, a unit, an odd spelling, a formula cell, a bad answer) is
  decoded and goes through the common converter
  (:func:`~readiness_model.io.answer_cells.convert_column`) once per distinct text,
  which locates its error.

A block that is not plain (quotes, a ``\\r`` that does not end a line, NUL, a
byte-order mark, a blank or ragged row, bytes that are not UTF-8, a cell longer than
the csv module allows) ends the fast reading: the standard ``csv`` reader takes over at
that block's first line, so that every result and every error is the standard
reader's.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from .answer_cells import Column
from .answer_table import AnswerParser
from .block_chunks import Columns, chunks
from .byte_columns import label_column, numeric_column
from .word_cells import (
    MASK,
    PAD,
    SAMPLE,
    U64,
    Text,
    as_text,
    cell_bytes,
    distinct_codes,
    word_at,
)

__all__ = ["BLOCK_BYTES", "THREADS", "read_blocks"]

BLOCK_BYTES = 1 << 24
"""Bytes read, tokenised and converted at a time (rows are fed to the parser in chunks
of the csv reader's size)."""
# bytes that str.strip() may remove (spaces, controls) and any non-ASCII byte
_BLANKISH = np.zeros(256, bool)
_BLANKISH[[0, 9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_BLANKISH[128:] = True
_GROUP = 1 << 16  # cells whose first words are read at a time (cache-sized arrays)
THREADS = min(4, os.cpu_count() or 1)
"""Threads that convert a block's columns side by side (numpy releases the GIL in its
loops); each column is converted on its own, so the result does not depend on them.
With a plug-in scale among the rubric's, columns are converted one after another."""
_SERIAL_CELLS = 1 << 16  # smaller blocks are converted in the calling thread


class _Scratch:
    """Arrays reused from block to block (fresh memory for each block's large
    temporaries costs a page fault per page)."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        """An uninitialised array of this shape, in memory kept under ``name``."""
        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
        have = self.arrays.get(name)
        if have is None or have.nbytes < size:
            have = self.arrays[name] = np.empty(size + size // 8, np.uint8)
        out: np.ndarray = have[:size].view(dtype).reshape(shape)
        return out


class _Block(NamedTuple):
    """A plain block of lines: its bytes, where each cell ends (row by row), where each
    line starts, and per column (``width × rows``) each cell's first 8 bytes as a word
    (zero past the cell's end) and its length in bytes."""

    text: Text
    ends: np.ndarray
    first: np.ndarray
    heads: np.ndarray
    sizes: np.ndarray

    def starts(self, c: int, rows: np.ndarray) -> np.ndarray:
        """Where column ``c``'s cells on ``rows`` start."""
        width = len(self.heads)
        out: np.ndarray = np.take(self.ends, rows * width + c) - np.take(self.sizes[c], rows)
        return out


def read_blocks(
    path: str | Path,
    offset: int,
    line: int,
    delimiter: str,
    pos: dict[str, int],
    width: int,
    scales: dict[str, Any],
    parser: AnswerParser,
    where: str,
    grouping: bool,
    progress: Callable[[int], None],
    rows: int,
) -> tuple[int, int] | None:
    """Feed ``parser`` the rows from byte ``offset`` (line ``line``) on, in chunks of
    ``rows`` lines (the chunks of the ``csv`` reader, so that problems come in its
    order); returns ``None`` at the end of the file, or the ``(offset, line)`` where a
    block that is not plain starts (the caller reads on from there with the ``csv``
    module).

    About :data:`BLOCK_BYTES` are read at a time, into memory the words are read from
    (no copy); the lines past the last whole chunk of a block are read again with the
    next one."""
    limit = csv.field_size_limit()
    with (
        open(path, "rb") as fh,
        ThreadPoolExecutor(THREADS) as pool,
        ThreadPoolExecutor(1) as ahead,
    ):
        fh.seek(offset)
        buf = bytearray()
        scratch = _Scratch()

        def step(left: bytes) -> _Step | None:
            """Read, tokenise and convert the next block (``None``: not plain)."""
            nonlocal buf
            while True:
                size = len(left) + BLOCK_BYTES
                if len(buf) < size + PAD:  # (else the last block's memory is read into)
                    buf = bytearray(-(-(size + PAD) // 8) * 8)
                buf[: len(left)] = left
                got = fh.readinto(memoryview(buf)[len(left) : size])
                end = not got
                total = len(left) + got
                cut = total if end else buf.rfind(b"\n", 0, total) + 1
                if not cut:
                    if end:
                        return _Step(None, 0, 0, b"", True)
                    left = bytes(buf[:total])  # no whole line yet
                    continue
                blk = _tokens(buf, cut, delimiter, width, limit, pool, scratch)
                if blk is None:
                    return None
                lines = len(blk.first)
                used = lines if end else lines - lines % rows
                if not used and not end:
                    left = bytes(buf[:total])  # fewer lines than a chunk: read more
                    continue
                done = int(blk.first[used]) if used < lines else cut
                cols = _convert(blk, used, pos, scales, grouping, pool) if used else None
                return _Step(cols, used, done, bytes(buf[done:total]), end)

        # the next block is read and converted while this one's rows are fed
        pending = ahead.submit(step, b"")
        while True:
            got = pending.result()
            if got is None:
                return offset, line
            if not got.end:
                pending = ahead.submit(step, got.left)
            if got.columns is not None:
                parser.prefault(got.used)
                for chunk in chunks(got.columns, got.used, line, pos, where, grouping, rows):
                    parser.feed(chunk)
            offset += got.done
            line += got.used
            progress(offset)
            if got.end:
                return None


class _Step(NamedTuple):
    """A block read and converted: its columns (``None``: no rows), the rows used, the
    bytes they took, the bytes left for the next block, and whether the file ended."""

    columns: Columns | None
    used: int
    done: int
    left: bytes
    end: bool


def _tokens(
    buf: bytearray,
    cut: int,
    delimiter: str,
    width: int,
    limit: int,
    pool: Executor,
    scratch: _Scratch,
) -> _Block | None:
    """The cells of the lines in ``buf[:cut]``, or ``None`` when they are not plain."""
    if buf.find(b'"', 0, cut) >= 0 or buf.find(b"\x00", 0, cut) >= 0:
        return None
    # Windows line ends: each "\r" before a "\n" (find first: a fast scan for none)
    returns = buf.count(b"\r", 0, cut) if buf.find(b"\r", 0, cut) >= 0 else 0
    if returns and (width == 1 or buf.count(b"\r\n", 0, cut) != returns):
        return None
    view = memoryview(buf)[:cut]
    if not buf.isascii():  # (also looks past the cut: at worst a needless check)
        if buf.find(b"\xef\xbb\xbf", 0, cut) >= 0:
            return None
        try:
            str(view, "utf-8")
        except UnicodeDecodeError:
            return None
    if buf[0] == 10 or (width == 1 and buf.find(b"\n\n", 0, cut) >= 0):
        return None  # a blank line (wider rows: a ragged one, below)
    data = np.frombuffer(buf, np.uint8)[:cut]
    ends, newlines = _boundaries(data, ord(delimiter), pool, scratch)
    lines = len(newlines)
    open_end = buf[cut - 1] != 10
    if open_end:
        ends = np.append(ends, cut)
        lines += 1
    if len(ends) != lines * width or returns not in (0, lines - open_end):
        return None  # a ragged row, or a line that does not end as the others
    # every line's last cell ends at its newline: no line is wider or narrower
    if not np.array_equal(ends[width - 1 :: width][: lines - open_end], newlines):
        return None
    text = Text(data, np.frombuffer(buf, U64))
    rows = len(ends) // width
    heads = scratch.get("heads", (width, rows), U64)
    sizes = scratch.get("sizes", (width, rows), np.int64)
    _heads(text.words, ends, heads, sizes, pool)
    if lines and int(sizes.max()) > limit:
        return None  # a cell may be longer than the csv module accepts
    first = np.empty(lines, np.int64)
    first[:1] = 0
    first[1:] = ends[width - 1 :: width][:-1] + 1
    if returns:  # a line's last cell ends before its "\r"
        sizes[-1, : lines - open_end] -= 1
        heads[-1] &= np.take(MASK, np.minimum(sizes[-1], 8))
        ends[width - 1 :: width][: lines - open_end] -= 1
    # a row whose cells are all blank is dropped by the csv reader: leave it to it
    maybe = (sizes[0] == 0) | np.take(_BLANKISH, np.take(data, np.minimum(first, cut - 1)))
    for i in np.flatnonzero(maybe).tolist():
        row = bytes(view[first[i] : ends[i * width + width - 1]]).decode("utf-8")
        if not row.replace(delimiter, "").strip():
            return None
    return _Block(text, ends, first, heads, sizes)


def _boundaries(
    data: np.ndarray, delimiter: int, pool: Executor, scratch: _Scratch
) -> tuple[np.ndarray, np.ndarray]:
    """Where each delimiter and newline of ``data`` is, and where each newline is,
    found in a few pieces side by side."""
    size = len(data)
    sep = scratch.get("sep", (size,), bool)
    newline = scratch.get("newline", (size,), bool)
    parts = THREADS if size >= _SERIAL_CELLS * 16 else 1
    cuts = [size * k // parts for k in range(parts + 1)]

    def piece(k: int) -> tuple[np.ndarray, np.ndarray]:
        a, b = cuts[k], cuts[k + 1]
        s = np.equal(data[a:b], delimiter, out=sep[a:b])
        nl = np.equal(data[a:b], 10, out=newline[a:b])
        lines: np.ndarray = np.flatnonzero(nl)
        s |= nl
        out: np.ndarray = np.flatnonzero(s)
        out += a
        lines += a
        return out, lines

    found: list[tuple[np.ndarray, np.ndarray]] = _each(pool, piece, range(parts), size)
    if parts == 1:
        return found[0]
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def _heads(
    words: np.ndarray, ends: np.ndarray, heads: np.ndarray, sizes: np.ndarray, pool: Executor
) -> None:
    """Each cell's first word and length, per column (into ``heads`` and ``sizes``,
    ``width × rows``), read a group of rows at a time in file order (arrays that stay
    in the cache; the text is read in order)."""
    width, rows = heads.shape
    step = max(1, _GROUP // width)

    def group(r0: int) -> None:
        r1 = min(rows, r0 + step)
        e = ends[r0 * width : r1 * width]
        s = np.empty_like(e)
        s[0] = ends[r0 * width - 1] + 1 if r0 else 0
        np.add(e[:-1], 1, out=s[1:])
        n = e - s
        sizes[:, r0:r1] = n.reshape(-1, width).T
        heads[:, r0:r1] = word_at(words, s, n, 0).reshape(-1, width).T

    _each(pool, group, range(0, rows, step), len(ends))


def _each(
    pool: Executor, work: Callable[[Any], Any], items: Iterable[Any], cells: int
) -> list[Any]:
    """``work`` of each item, in order: on the pool's threads when there is enough."""
    if cells < _SERIAL_CELLS or THREADS == 1:
        return [work(x) for x in items]
    return list(pool.map(work, items))


def _text(blk: _Block, c: int) -> list[str]:
    """Column ``c``'s cells as text (a column of few distinct texts, such as the period:
    one string object for each, shared by its cells)."""
    n = blk.sizes[c]
    if not len(n) or int(n.max()) > 8:
        return as_text(cell_bytes(blk.text, blk.starts(c, np.arange(len(n))), n))
    x = blk.heads[c]
    if len(np.unique(x[:SAMPLE])) > _FEW:
        return as_text(x.view("S8"))
    first, codes = distinct_codes(x)
    distinct = as_text(np.take(x, first).view("S8"))
    return list(map(distinct.__getitem__, codes.tolist()))


def _plain_ids(blk: _Block, c: int) -> bool:
    """Every cell of column ``c`` is a plain id: not blank, its first and last bytes
    neither space (nor any byte ``str.strip`` might remove, nor past ASCII) and the
    first no apostrophe."""
    n = blk.sizes[c]
    if not len(n) or not n.all():
        return False
    width = len(blk.heads)
    e = np.take(blk.ends, np.arange(len(n)) * width + c)
    last = np.take(blk.text.data, e - 1)
    head = np.take(blk.text.data, e - n)
    return not (_BLANKISH[last].any() or _BLANKISH[head].any() or (head == 39).any())


def _convert(
    blk: _Block,
    used: int,
    pos: dict[str, int],
    scales: dict[str, Any],
    grouping: bool,
    pool: Executor,
) -> Columns:
    """The block's first ``used`` rows converted, column by column."""
    if used < len(blk.first):
        blk = blk._replace(heads=blk.heads[:, :used], sizes=blk.sizes[:, :used])

    def convert(item: tuple[str, int]) -> tuple[list[str] | None, Column | None]:
        h, c = item
        scale = scales.get(h)
        if scale is None:
            return _text(blk, c), None
        x, n = blk.heads[c], blk.sizes[c]

        def starts(rows: np.ndarray) -> np.ndarray:
            return blk.starts(c, rows)

        if scale.continuous:
            col = numeric_column(scale, blk.text, x, n, starts, grouping)
        else:
            col = label_column(scale, blk.text, x, n, starts)
        # the parser quotes the bad cells
        return (_text(blk, c) if col.bad else None), col

    texts: dict[str, list[str]] = {}
    converted: dict[str, Column] = {}
    plain = "agency" in pos and _plain_ids(blk, pos["agency"])
    # a plug-in scale's parser is called from one thread only (it need not be safe)
    ours = all(type(s).__module__.startswith("readiness_model.") for s in scales.values())
    done = _each(pool, convert, pos.items(), used * len(pos) if ours else 0)
    for h, (cells, col) in zip(pos, done, strict=True):
        if cells is not None:
            texts[h] = cells
        if col is not None:
            converted[h] = col
    return Columns(texts, converted, plain)


_FEW = 256  # a text column with at most this many texts in the sample shares them
