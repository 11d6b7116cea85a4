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

import bisect
import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ..errors import Location
from .answer_cells import Column, convert_coded, convert_column
from .answer_table import AnswerParser, Chunk

__all__ = ["BLOCK_BYTES", "THREADS", "body_offset", "convert_bytes", "estimate_rows", "read_blocks"]

BLOCK_BYTES = 1 << 24
"""Bytes read, tokenised and converted at a time (rows are fed to the parser in chunks
of the csv reader's size)."""
_POW10 = np.array([10.0**k for k in range(9)])  # exact doubles
# bytes that str.strip() may remove (spaces, controls) and any non-ASCII byte
_BLANKISH = np.zeros(256, bool)
_BLANKISH[[0, 9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_BLANKISH[128:] = True
_NOT_NUMBER = np.ones(256, bool)  # bytes that float() reads in a number without spaces
_NOT_NUMBER[[0, 43, 45, 46, 69, 101, *range(48, 58)]] = False  # (0: the padding)


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


_U64 = np.dtype("<u8")  # cells are read as little-endian words: byte i at bits 8i..8i+7
_HIGH = np.uint64(0x8080808080808080)
_ONES = np.uint64(0x0101010101010101)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_MASK = np.array([(1 << 8 * k) - 1 for k in range(9)], np.uint64)  # the first k bytes
_HIGHS = _MASK & _HIGH  # the high bit of each of the first k bytes
_MAX_WORDS = 8  # cells up to 64 bytes are read as words; longer ones byte by byte
_PAD = 8 * (_MAX_WORDS + 2)  # zero bytes after a block (word reads past its end)
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


class _Bytes(NamedTuple):
    """Text as bytes, and the same memory as little-endian words (readable at least
    :data:`_PAD` bytes past the text's end)."""

    data: np.ndarray
    words: np.ndarray


class _Block(NamedTuple):
    """A plain block of lines: its bytes, where each cell ends (row by row), where each
    line starts, and per column (``width × rows``) each cell's first 8 bytes as a word
    (zero past the cell's end) and its length in bytes."""

    text: _Bytes
    ends: np.ndarray
    first: np.ndarray
    heads: np.ndarray
    sizes: np.ndarray

    def starts(self, c: int, rows: np.ndarray) -> np.ndarray:
        """Where column ``c``'s cells on ``rows`` start."""
        width = len(self.heads)
        out: np.ndarray = np.take(self.ends, rows * width + c) - np.take(self.sizes[c], rows)
        return out


def _as_bytes(data: np.ndarray) -> _Bytes:
    """A copy of ``data`` with words over it (an Arrow buffer)."""
    buf = np.zeros(-(-(len(data) + _PAD) // 8), _U64)
    buf.view(np.uint8)[: len(data)] = data
    return _Bytes(buf.view(np.uint8)[: len(data)], buf)


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
                if len(buf) < size + _PAD:  # (else the last block's memory is read into)
                    buf = bytearray(-(-(size + _PAD) // 8) * 8)
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
                for chunk in _chunks(got.columns, got.used, line, pos, where, grouping, rows):
                    parser.feed(chunk)
            offset += got.done
            line += got.used
            progress(offset)
            if got.end:
                return None


class _Step(NamedTuple):
    """A block read and converted: its columns (``None``: no rows), the rows used, the
    bytes they took, the bytes left for the next block, and whether the file ended."""

    columns: _Columns | None
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
    scratch: _Scratch | None = None,
) -> _Block | None:
    """The cells of the lines in ``buf[:cut]``, or ``None`` when they are not plain."""
    if buf.find(b'"', 0, cut) >= 0 or buf.find(b"\x00", 0, cut) >= 0:
        return None
    returns = buf.count(b"\r", 0, cut)  # Windows line ends: each "\r" before a "\n"
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
    scratch = scratch or _Scratch()
    newline = np.equal(data, 10, out=scratch.get("newline", (cut,), bool))
    lines = int(np.count_nonzero(newline))
    sep = np.equal(data, ord(delimiter), out=scratch.get("sep", (cut,), bool))
    sep |= newline
    ends: np.ndarray = np.flatnonzero(sep)
    open_end = buf[cut - 1] != 10
    if open_end:
        ends = np.append(ends, cut)
        lines += 1
    if len(ends) != lines * width or returns not in (0, lines - open_end):
        return None  # a ragged row, or a line that does not end as the others
    # every line's last cell ends at its newline: no line is wider or narrower
    if not newline[ends[width - 1 :: width][: lines - open_end]].all():
        return None
    text = _Bytes(data, np.frombuffer(buf, _U64))
    rows = len(ends) // width
    heads = scratch.get("heads", (width, rows), _U64)
    sizes = scratch.get("sizes", (width, rows), np.int64)
    _heads(text.words, ends, heads, sizes, pool)
    if lines and int(sizes.max()) > limit:
        return None  # a cell may be longer than the csv module accepts
    first = np.empty(lines, np.int64)
    first[:1] = 0
    first[1:] = ends[width - 1 :: width][:-1] + 1
    if returns:  # a line's last cell ends before its "\r"
        sizes[-1, : lines - open_end] -= 1
        heads[-1] &= np.take(_MASK, np.minimum(sizes[-1], 8))
        ends[width - 1 :: width][: lines - open_end] -= 1
    # a row whose cells are all blank is dropped by the csv reader: leave it to it
    maybe = (sizes[0] == 0) | np.take(_BLANKISH, np.take(data, np.minimum(first, cut - 1)))
    for i in np.flatnonzero(maybe).tolist():
        row = bytes(view[first[i] : ends[i * width + width - 1]]).decode("utf-8")
        if not row.replace(delimiter, "").strip():
            return None
    return _Block(text, ends, first, heads, sizes)


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
        heads[:, r0:r1] = _word(words, s, n, 0).reshape(-1, width).T

    _each(pool, group, range(0, rows, step), len(ends))


def _each(
    pool: Executor, work: Callable[[Any], Any], items: Iterable[Any], cells: int
) -> list[Any]:
    """``work`` of each item, in order: on the pool's threads when there is enough."""
    if cells < _SERIAL_CELLS or THREADS == 1:
        return [work(x) for x in items]
    return list(pool.map(work, items))


def _word(words: np.ndarray, s: np.ndarray, n: np.ndarray, j: int) -> np.ndarray:
    """Bytes ``8j`` to ``8j + 7`` of each cell (``n`` bytes at ``s``) as a little-endian
    word, zero past the cell's end: two aligned reads and shifts.

    (``np.take`` rather than fancy indexing: several times faster. The next word is
    shifted in two steps: a cell at a word boundary shifts it by 64 bits, which C and
    numpy leave undefined or platform-dependent in one step.)"""
    q = s >> 3
    if j:
        q += j
    r = ((s << 3) & 63).view(np.uint64)
    lo = np.take(words, q)
    lo >>= r
    q += 1
    hi = np.take(words, q)
    np.subtract(np.uint64(63), r, out=r)
    hi <<= r
    hi <<= np.uint64(1)
    lo |= hi
    lo &= np.take(_MASK, np.clip(n - 8 * j, 0, 8) if j else np.minimum(n, 8))
    return lo


def _words(words: np.ndarray, s: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    """The first ``8 * k`` bytes of each cell as ``k`` words (``len(s) × k``)."""
    out = np.empty((len(s), k), _U64)
    for j in range(k):
        out[:, j] = _word(words, s, n, j)
    return out


def _as_text(cells: np.ndarray) -> list[str]:
    """Byte-string cells as text."""
    try:
        return list(cells.astype(f"U{max(cells.dtype.itemsize, 1)}").tolist())
    except UnicodeDecodeError:
        return [b.decode("utf-8") for b in cells.tolist()]


def _text(blk: _Block, c: int) -> list[str]:
    """Column ``c``'s cells as text (a column of few distinct texts, such as the period:
    one string object for each, shared by its cells)."""
    n = blk.sizes[c]
    if not len(n) or int(n.max()) > 8:
        return _as_text(_cells(blk.text, blk.starts(c, np.arange(len(n))), n))
    x = blk.heads[c]
    if len(np.unique(x[:_SAMPLE])) > _FEW:
        return _as_text(x.view("S8"))
    first, codes = _codes(x)
    distinct = _as_text(np.take(x, first).view("S8"))
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


def _cells(text: _Bytes, s: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The cells as zero-padded byte strings (``S`` dtype)."""
    if not len(s):
        return np.zeros(0, "S1")
    k = max(1, -(-int(n.max()) // 8))
    if k <= _MAX_WORDS:
        return _words(text.words, s, n, k).view(f"S{8 * k}").ravel()
    m = _matrix(text.data, s, s + n)
    return m.view(f"S{m.shape[1]}").ravel()


class _Columns(NamedTuple):
    """A block's columns: text cells by name, converted indicator columns by name, and
    whether every agency cell is a plain id."""

    texts: dict[str, list[str]]
    converted: dict[str, Column]
    plain: bool


def _convert(
    blk: _Block,
    used: int,
    pos: dict[str, int],
    scales: dict[str, Any],
    grouping: bool,
    pool: Executor,
) -> _Columns:
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
            col = _numeric(scale, blk.text, x, n, starts, grouping)
        else:
            col = _labels(scale, blk.text, x, n, starts)
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
    return _Columns(texts, converted, plain)


def _chunks(
    cols: _Columns,
    used: int,
    line: int,
    pos: dict[str, int],
    where: str,
    grouping: bool,
    rows: int,
) -> Iterator[Chunk]:
    """Converted columns of ``used`` rows in chunks of ``rows`` rows."""
    for a in range(0, used, rows):
        b = min(used, a + rows)
        yield _chunk(
            b - a,
            {h: t[a:b] for h, t in cols.texts.items()},
            {h: _rows(col, a, b) for h, col in cols.converted.items()},
            line + a,
            pos,
            where,
            grouping,
            cols.plain,
        )


def _rows(col: Column, a: int, b: int) -> Column:
    """Rows ``a:b`` of a converted column."""
    bad = col.bad
    if bad:
        at = [i for i, _ in bad]
        lo, hi = bisect.bisect_left(at, a), bisect.bisect_left(at, b)
        bad = tuple((i - a, e) for i, e in bad[lo:hi])
    return Column(col.values[a:b], col.missing[a:b], col.na[a:b], bad)


def _chunk(
    n: int,
    columns: dict[str, Sequence[str]],
    converted: dict[str, Column],
    line: int,
    pos: dict[str, int],
    where: str,
    grouping: bool,
    plain: bool,
) -> Chunk:
    def locate(key: str, i: int) -> tuple[Location, str]:
        return Location(where, line + i, pos[key] + 1), f"row {line + i}, column {key!r}"

    return Chunk(
        n=n,
        columns=columns,
        text=True,
        locate=locate,
        row=lambda i: (Location(where, line + i), f"row {line + i}"),
        converted=converted,
        grouping=grouping,
        plain_agencies=plain,
    )


def convert_bytes(
    scale: Any, data: np.ndarray, starts: np.ndarray, ends: np.ndarray, grouping: bool = False
) -> Column:
    """One indicator's cells, given as UTF-8 bytes ``data[starts[i]:ends[i]]`` (an Arrow
    string column's buffers), converted as the block reader converts a column.

    Example:
        >>> import readiness_model as rm
        >>> data = np.frombuffer(b"5n/a-0.25", np.uint8)
        >>> col = convert_bytes(rm.NumericScale(goalposts=(-1, 10)), data,
        ...                     np.array([0, 1, 4]), np.array([1, 4, 9]))
        >>> col.values.tolist(), col.na.tolist()
        ([5.0, nan, -0.25], [False, True, False])
    """
    s = starts.astype(np.int64)
    n = ends.astype(np.int64) - s
    text = _as_bytes(data)
    x = _word(text.words, s, n, 0)

    def at(rows: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.take(s, rows)
        return out

    if scale.continuous:
        return _numeric(scale, text, x, n, at, grouping)
    return _labels(scale, text, x, n, at)


def _eq(x: np.ndarray, byte: int) -> np.ndarray:
    """The high bit of each byte of ``x`` that equals ``byte`` (exact: no carry
    crosses bytes)."""
    y = x ^ np.uint64(byte * 0x0101010101010101)
    out: np.ndarray = y & _LOW7
    out += _LOW7
    out |= y
    np.invert(out, out=out)
    out &= _HIGH
    return out


def _decimals(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cells of at most 8 bytes held in words ``x`` that are plain decimals
    (``[-]digits[.digits]``, at least one digit), read exactly, and which cells are.

    Eight bytes hold at most 8 digits: the digits as an integer (below 2**53) divided
    by a power of ten up to 10**7 is one correctly rounded IEEE operation, the same
    bits as Python's ``float`` (Clinger's fast path). Bytes are classified and the
    digits combined within each word (SWAR), a few whole-array operations in all."""
    digit = x + np.uint64(0x5050505050505050)  # high bit: byte >= "0" (an ASCII byte)
    t = x + np.uint64(0x4646464646464646)  # high bit: byte >= ":"
    np.invert(t, out=t)
    digit &= t
    digit &= _HIGH
    dot = _eq(x, 0x2E)
    minus = _eq(x, 0x2D)
    m = np.minimum(n, 8)
    valid = np.take(_HIGHS, m)
    np.bitwise_or(digit, dot, out=t)
    t |= minus
    t &= valid  # (bytes past the cell are zero)
    ok = t == valid  # every byte a digit, a dot or a minus sign
    np.bitwise_and(x, _HIGH, out=t)
    ok &= t == 0  # (ASCII: no carry crossed a byte above)
    ok &= n <= 8
    ok &= digit != 0
    np.bitwise_and(minus, ~np.uint64(0x80), out=t)
    ok &= t == 0  # a minus sign only first
    np.subtract(dot, np.uint64(1), out=t)
    t &= dot
    ok &= t == 0  # one dot at most
    one = digit
    one >>= np.uint64(7)
    d = one * np.uint64(0xFF)
    d &= x
    one *= np.uint64(0x30)
    d -= one  # digit values, else 0
    has_dot = dot != 0
    before = dot
    before >>= np.uint64(7)
    before -= has_dot  # the bytes before the dot (none without one)
    np.bitwise_and(d, before, out=t)
    t <<= np.uint64(8)
    np.invert(before, out=one)
    d &= one
    d |= t  # the dot's byte closed up: the digits end at the cell's last byte
    np.maximum(m, 1, out=m)
    np.subtract(8, m, out=m)
    m <<= 3
    d <<= m.view(np.uint64)  # the last digit in byte 7
    np.right_shift(d, np.uint64(8), out=t)
    d *= np.uint64(10)
    d += t
    low = np.uint64(0x000000FF000000FF)
    np.right_shift(d, np.uint64(16), out=t)
    t &= low
    t *= np.uint64(0x0000271000000001)
    d &= low
    d *= np.uint64(0x000F424000000064)
    d += t
    d >>= np.uint64(32)  # the digits as an integer
    before &= _ONES
    before *= _ONES
    before >>= np.uint64(56)  # bytes before the dot
    frac = n - 1
    frac -= before.view(np.int64)
    frac *= has_dot
    np.clip(frac, 0, 8, out=frac)
    values = d.astype(np.float64)
    values /= np.take(_POW10, frac)
    np.negative(values, out=values, where=minus != 0)
    return values, ok


def _numeric(
    scale: Any,
    text: _Bytes,
    x: np.ndarray,
    n: np.ndarray,
    starts: Callable[[np.ndarray], np.ndarray],
    grouping: bool,
) -> Column:
    """A continuous scale's column (first words ``x``, lengths ``n``): plain decimals in
    bulk, other numbers in one numpy conversion, every other cell once per distinct
    text."""
    values, ok = _decimals(x, n)  # (finite numbers)
    blank = n == 0
    valid = np.asarray(scale.valid(values[ok]), bool)
    if not valid.all():
        ok[ok] = valid
    np.copyto(values, np.nan, where=~ok)
    missing = blank
    na = np.zeros(len(x), bool)
    other = np.flatnonzero(~ok & ~blank)
    if not len(other):
        return Column(values, missing, na, ())
    cells = _cells(text, starts(other), np.take(n, other))
    m = cells.view(np.uint8).reshape(len(cells), -1)
    cand = np.flatnonzero(~np.take(_NOT_NUMBER, m).any(axis=1))  # digits, signs, dots, e
    got = _as_floats(cells[cand])  # 9 digits and more, exponents: float()'s own parser
    rest = np.ones(len(other), bool)
    if got is not None:
        good = np.isfinite(got)
        good[good] = np.asarray(scale.valid(got[good]), bool)
        values[other[cand[good]]] = got[good]
        rest[cand[good]] = False
    bad: tuple[tuple[int, str], ...] = ()
    if rest.any():
        idx = other[rest]
        sub = _per_text(scale, cells[rest], np.take(x, idx), np.take(n, idx), grouping)
        values[idx] = sub.values
        missing[idx] = sub.missing
        na[idx] = sub.na
        bad = tuple((int(idx[i]), exp) for i, exp in sub.bad)
    return Column(values, missing, na, bad)


def _per_text(
    scale: Any, cells: np.ndarray, x: np.ndarray, n: np.ndarray, grouping: bool
) -> Column:
    """Cells (byte strings; first words ``x``, lengths ``n``) through the common
    converter, each distinct text once."""
    if len(n) and int(n.max()) <= 8:
        first, codes = _codes(x)
        distinct = _as_text(np.take(x, first).view("S8"))
    else:
        texts = _as_text(cells)
        table = dict.fromkeys(texts)
        for k, t in enumerate(table):
            table[t] = k
        codes = np.fromiter(map(table.__getitem__, texts), np.intp, count=len(texts))
        distinct = list(table)
    sub = convert_column(scale, distinct, text=True, grouping=grouping)
    expected = dict(sub.bad)
    bad: tuple[tuple[int, str], ...] = ()
    if expected:
        is_bad = np.zeros(len(distinct), bool)
        is_bad[list(expected)] = True
        rows = np.flatnonzero(np.take(is_bad, codes)).tolist()
        bad = tuple((i, expected[int(codes[i])]) for i in rows)
    return Column(
        np.take(sub.values, codes), np.take(sub.missing, codes), np.take(sub.na, codes), bad
    )


def _as_floats(cells: np.ndarray) -> np.ndarray | None:
    """Byte-string cells of digits, signs, dots and exponents as Python's ``float`` reads
    them (``float`` itself, on the bytes: several times faster than numpy's conversion
    of byte strings), or ``None`` when one of them is not a number (``1-2``, ``e5``):
    then each is read on its own."""
    if not len(cells):
        return None
    try:
        return np.fromiter(map(float, cells.tolist()), np.float64, count=len(cells))
    except ValueError:
        return None


def _labels(
    scale: Any,
    text: _Bytes,
    x: np.ndarray,
    n: np.ndarray,
    starts: Callable[[np.ndarray], np.ndarray],
) -> Column:
    """A label scale's column (first words ``x``, lengths ``n``): each distinct byte
    string parsed once by the scale."""
    if not len(x):
        return convert_coded(scale, [], np.zeros(0, np.intp))
    if int(n.max()) <= 8:
        first, codes = _codes(x)
        return convert_coded(scale, _as_text(np.take(x, first).view("S8")), codes)
    # the cells longer than a word: their words mixed into their key, checked below
    long = np.flatnonzero(n > 8)
    w = _cells(text, starts(long), np.take(n, long)).view(_U64).reshape(len(long), -1)
    key = x.copy()
    mix = w[:, 0].copy()
    for j in range(1, w.shape[1]):
        mix *= _MIX
        mix ^= w[:, j]
    key[long] = mix
    first, codes = _codes(key)
    cells = _cells(text, starts(first), np.take(n, first))
    rep = cells.view(_U64).reshape(len(first), -1)
    same = np.array_equal(np.take(n, np.take(first, codes)), n)  # same lengths,
    same = same and np.array_equal(np.take(rep[:, 0], codes), x)  # first words
    same = same and np.array_equal(rep[np.take(codes, long), : w.shape[1]], w)  # and rest
    if not same:  # two texts mixed to one key
        every = _cells(text, starts(np.arange(len(x))), n)
        _, first, codes = np.unique(every, return_index=True, return_inverse=True)
        codes = np.asarray(codes).ravel()
        cells = every[first]
    return convert_coded(scale, _as_text(cells), codes)


def _matrix(buf: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The cells ``buf[s:e]`` as rows of a zero-padded byte matrix (as wide as the
    longest cell, at least one byte)."""
    s, e = s.astype(np.intp), e.astype(np.intp)
    lens = e - s
    width = max(int(lens.max()) if len(s) else 0, 1)
    idx = s[:, None] + np.arange(width, dtype=np.intp)
    np.minimum(idx, max(len(buf) - 1, 0), out=idx)
    m = np.asarray(buf[idx]) if len(buf) else np.zeros(idx.shape, np.uint8)
    m[np.arange(width) >= lens[:, None]] = 0
    return m


_MIX = np.uint64(0x9E3779B97F4A7C15)  # mixes a long label's words into one key
_SAMPLE = 4096  # rows whose distinct keys are found first
_FEW = 256  # a text column with at most this many texts in the sample shares them
_MAX_DISTINCT = 4096  # more distinct keys than this: sorted instead
# odd 64-bit multipliers for multiplicative hashing (one is found that spreads the keys)
_MULTIPLIERS = [
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
]  # fmt: skip


def _codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A row holding each distinct key, and each row's index among them.

    A label column has few distinct answers: they are found in a sample of rows, then
    every row is looked up in a small hash table (a multiplier that sends the known
    keys to distinct slots; a row whose key is not the one in its slot adds its key
    and the rows are looked up again). Many distinct keys: sorted."""
    known, first = np.unique(key[:_SAMPLE], return_index=True)
    while len(known) <= _MAX_DISTINCT:
        bits = max(4, (4 * len(known)).bit_length())
        shift = np.uint64(64 - bits)
        for mult in _MULTIPLIERS:
            slot = (known * np.uint64(mult)) >> shift
            if len(np.unique(slot)) == len(known):
                break
        else:
            break
        table = np.zeros(1 << bits, np.intp)
        table[slot] = np.arange(len(known))
        h = key * np.uint64(mult)
        h >>= shift
        codes = np.take(table, h.view(np.int64))
        miss = np.flatnonzero(np.take(known, codes) != key)
        if not len(miss):
            return first, codes
        more, at = np.unique(key[miss], return_index=True)
        known = np.concatenate([known, more])
        first = np.concatenate([first, miss[at]])
    _, first, codes = np.unique(key, return_index=True, return_inverse=True)
    return first, np.asarray(codes).ravel()
