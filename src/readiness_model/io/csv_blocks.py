"""The rows of a plain wide CSV file, tokenised by numpy's C reader and converted
in bulk, a block of lines at a time.

Most answer files are plain: UTF-8, no quotes, no carriage returns, one row per line,
every row as wide as the header. A block of such lines is split into cells by
``np.loadtxt`` as fixed-width byte strings (its C tokeniser; no quoting, no comments,
cells kept byte for byte), and then

* a numeric column's plain decimals (``-12.5``: at most 15 digits, no exponent) are
  converted in bulk, exactly: the digits as an integer below 2**53 divided by a power
  of ten up to 10**15 is one correctly rounded IEEE operation, the same bits as
  Python's ``float`` (Clinger's fast path);
* a label column's distinct byte strings are found in a few vectorised passes and each
  is parsed once by its scale;
* every other cell (``n/a``, a unit, 17 digits, an exponent, a formula cell, a bad
  answer) is decoded and goes through the common per-cell converter
  (:func:`~readiness_model.io.answer_cells.convert_column`), which locates its error.

A block that is not plain (quotes, ``\\r``, NUL, a byte-order mark, a blank or ragged
row, bytes that are not UTF-8, a cell longer than the csv module allows) ends the fast
reading: the standard ``csv`` reader takes over at that block's first line, so that
every result and every error is the standard reader's.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Location
from .answer_cells import Column, convert_coded, convert_column
from .answer_table import AnswerParser, Chunk

__all__ = ["BLOCK_BYTES", "body_offset", "convert_bytes", "estimate_rows", "read_blocks"]

BLOCK_BYTES = 1 << 20
"""Bytes read at a time (rows are converted in chunks of the csv reader's size)."""
_MAX_DIGITS = 15  # an integer of 15 digits is exact in a double (< 2**53)
_POW10 = np.array([10.0**k for k in range(_MAX_DIGITS + 1)])  # exact doubles
# bytes that str.strip() may remove (spaces, controls) and any non-ASCII byte
_BLANKISH = np.zeros(256, bool)
_BLANKISH[[0, 9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_BLANKISH[128:] = True
_DIGIT = np.zeros(256, bool)
_DIGIT[48:58] = True
_ODD = np.ones(256, bool)  # bytes no plain decimal holds (0: the padding)
_ODD[[0, 45, 46, *range(48, 58)]] = False
_NOT_NUMBER = _ODD.copy()  # bytes that float() reads in a number without spaces
_NOT_NUMBER[[43, 69, 101]] = False  # + E e


def body_offset(path: str | Path, hline: int) -> int | None:
    """Byte offset of the line after the header (line ``hline``), when the lines up to
    it are plain (no quote, no carriage return) and the file is UTF-8; else ``None``."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 22)
    at = 0
    for _ in range(hline):
        at = head.find(b"\n", at) + 1
        if at == 0:
            return None
    if b'"' in head[:at] or b"\r" in head[:at]:
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


Cells = Callable[[np.ndarray], list[str]]


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
    """Feed ``parser`` the rows from byte ``offset`` (line ``line``) on, ``rows`` lines
    at a time (the chunks of the ``csv`` reader, so that problems come in its order);
    returns ``None`` at the end of the file, or the ``(offset, line)`` where a block
    that is not plain starts (the caller reads on from there with the ``csv`` module)."""
    sizes = [8] * width  # bytes per cell, per column; grown when a cell fills its size
    limit = csv.field_size_limit()
    with open(path, "rb") as fh:
        fh.seek(offset)
        block = b""
        more = True
        while True:
            while more and block.count(b"\n") < rows:
                data = fh.read(max(BLOCK_BYTES, len(block)))
                more = bool(data)
                block += data
            if not block:
                return None
            ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 10)
            cut = int(ends[rows - 1]) + 1 if len(ends) >= rows else len(block)
            body, block = block[:cut], block[cut:]
            table = _table(body, delimiter, width, sizes, limit)
            if table is None:
                return offset, line
            parser.feed(_chunk(table, line, pos, scales, where, grouping))
            offset += len(body)
            line += len(table)
            progress(offset)


def _table(
    body: bytes, delimiter: str, width: int, sizes: list[int], limit: int
) -> np.ndarray | None:
    """The block's cells as a structured array of byte strings (one field per column),
    or ``None`` when the block is not plain."""
    if b'"' in body or b"\r" in body or b"\x00" in body or b"\xef\xbb\xbf" in body:
        return None
    if not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if body.startswith(b"\n") or b"\n\n" in body:
        return None  # a blank line
    lines = body.count(b"\n") + (not body.endswith(b"\n"))
    while True:
        dtype = np.dtype([(f"c{c}", f"S{k}") for c, k in enumerate(sizes)])
        try:
            table = np.loadtxt(
                io.BytesIO(body), dtype=dtype, delimiter=delimiter, comments=None,
                encoding="latin-1", ndmin=1, quotechar=None,
            )  # fmt: skip
        except ValueError:  # a ragged row
            return None
        if len(table) != lines:  # a blank line
            return None
        raw = table.view(np.uint8).reshape(len(table), dtype.itemsize)
        last = np.cumsum(sizes) - 1  # the last byte of each column's cells
        full = np.flatnonzero(raw[:, last].any(axis=0)).tolist()
        if not full:
            break
        for c in full:  # a cell may have been cut: read again with room to spare
            if sizes[c] > limit:
                return None
            sizes[c] *= 2
    if max(sizes, default=0) > limit:
        return None  # a cell may be longer than the csv module accepts
    # a row whose cells are all blank is dropped by the csv reader: leave it to it
    first = raw[:, 0]
    for i in np.flatnonzero(_BLANKISH[first]).tolist():
        if not "".join(_text(table[f"c{c}"][i : i + 1])[0] for c in range(width)).strip():
            return None
    return table


def _field(table: np.ndarray, c: int) -> np.ndarray:
    """Column ``c`` as a rows × size byte matrix (zero-padded; a view)."""
    fields = table.dtype.fields
    assert fields is not None
    size, start = table.dtype[c].itemsize, fields[f"c{c}"][1]
    out: np.ndarray = np.ndarray(
        (len(table), size), np.uint8, table, start, (table.dtype.itemsize, 1)
    )
    return out


def _text(cells: np.ndarray) -> list[str]:
    """Byte-string cells as text."""
    try:
        return list(cells.astype(f"U{max(cells.dtype.itemsize, 1)}").tolist())
    except UnicodeDecodeError:
        return [b.decode("utf-8") for b in cells.tolist()]


def _chunk(
    table: np.ndarray,
    line: int,
    pos: dict[str, int],
    scales: dict[str, Any],
    where: str,
    grouping: bool,
) -> Chunk:
    columns: dict[str, Sequence[str]] = {}
    converted: dict[str, Column] = {}
    for h, c in pos.items():
        cells = table[f"c{c}"]
        scale = scales.get(h)
        if scale is None:
            columns[h] = _text(cells)
            continue
        m = _field(table, c)
        col = _numeric(scale, m, cells, grouping) if scale.continuous else _labels(scale, m, cells)
        converted[h] = col
        if col.bad:  # the parser quotes the bad cells
            columns[h] = _text(cells)

    def locate(key: str, i: int) -> tuple[Location, str]:
        return Location(where, line + i, pos[key] + 1), f"row {line + i}, column {key!r}"

    return Chunk(
        n=len(table),
        columns=columns,
        text=True,
        locate=locate,
        row=lambda i: (Location(where, line + i), f"row {line + i}"),
        converted=converted,
        grouping=grouping,
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
    m = _matrix(data, starts, ends)
    if not m.shape[1]:
        m = np.zeros((len(m), 1), np.uint8)
    cells = m.view(f"S{m.shape[1]}").ravel()
    if scale.continuous:
        return _numeric(scale, m, cells, grouping)
    return _labels(scale, m, cells)


def _numeric(scale: Any, m: np.ndarray, cells: np.ndarray, grouping: bool) -> Column:
    """A continuous scale's column: plain decimals in bulk, other numbers in one numpy
    conversion, every other cell per cell."""
    n, size = m.shape
    t = np.ascontiguousarray(m.T)  # one row per byte position
    digit = (t - np.uint8(48)) < 10
    digits = digit.sum(axis=0)
    dot = t == 46
    dots = dot.sum(axis=0)
    odd = _ODD[t].any(axis=0) | (t[1:] == 45).any(axis=0)  # a minus sign only first
    value = t.astype(np.int64) - 48
    mant = np.zeros(n, np.int64)
    for k in range(size):  # Horner over the digits (other bytes skipped)
        mant = np.where(digit[k], mant * 10 + value[k], mant)
    # digits after the dot: a plain decimal is [-]digits[.digits] then zero padding
    length = (t != 0).sum(axis=0)
    frac = np.where(dots > 0, length - 1 - dot.argmax(axis=0), 0)
    blank = t[0] == 0 if size else np.ones(n, bool)
    ok = ~odd & ~blank & (digits >= 1) & (digits <= _MAX_DIGITS) & (dots <= 1)
    values = mant.astype(np.float64) / _POW10[np.clip(frac, 0, _MAX_DIGITS)]
    if size:
        values = np.where(t[0] == 45, -values, values)
    ok[ok] = np.isfinite(values[ok]) & np.asarray(scale.valid(values[ok]), bool)
    values[~ok] = np.nan
    missing = blank.copy()
    na = np.zeros(n, bool)
    other = np.flatnonzero(~ok & ~blank)
    if len(other):  # 16 digits and more, exponents: float()'s own parser
        cand = other[~_NOT_NUMBER[t[:, other]].any(axis=0)]
        got = _as_floats(cells[cand])
        if got is not None:
            good = np.isfinite(got)
            good[good] = np.asarray(scale.valid(got[good]), bool)
            values[cand[good]] = got[good]
            other = np.setdiff1d(other, cand[good], assume_unique=True)
    bad: tuple[tuple[int, str], ...] = ()
    if len(other):
        sub = convert_column(scale, _text(cells[other]), text=True, grouping=grouping)
        values[other] = sub.values
        missing[other] = sub.missing
        na[other] = sub.na
        bad = tuple((int(other[i]), exp) for i, exp in sub.bad)
    return Column(values, missing, na, bad)


def _as_floats(cells: np.ndarray) -> np.ndarray | None:
    """Byte-string cells of digits, signs, dots and exponents as Python's ``float`` reads
    them (numpy's conversion uses the same correctly rounded parser), or ``None`` when
    one of them is not a number (``1-2``, ``e5``): then each is read on its own."""
    if not len(cells):
        return None
    try:
        with np.errstate(all="ignore"):
            out: np.ndarray = cells.astype(np.float64)
    except (ValueError, OverflowError):
        return None
    return out


def _labels(scale: Any, m: np.ndarray, cells: np.ndarray) -> Column:
    """A label scale's column: each distinct byte string parsed once by the scale."""
    n, size = m.shape
    words = np.zeros((n, max(1, -(-size // 8)) * 8), np.uint8)
    words[:, :size] = m
    w = words.view(np.uint64)
    key = w[:, 0].copy()
    for j in range(1, w.shape[1]):  # a 64-bit mix of longer cells, checked below
        key = key * np.uint64(0x9E3779B97F4A7C15) ^ w[:, j]
    found = _distinct(key)
    if found is not None and not np.array_equal(w[found[0]][found[1]], w):
        found = None  # two texts mixed to one key
    if found is None:
        _, first, codes = np.unique(m, axis=0, return_index=True, return_inverse=True)
    else:
        first, codes = found
    return convert_coded(scale, _text(cells[first]), np.asarray(codes).ravel())


def _matrix(buf: np.ndarray, s: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The cells ``buf[s:e]`` as rows of a zero-padded byte matrix (as wide as the
    longest cell)."""
    s, e = s.astype(np.intp), e.astype(np.intp)
    lens = e - s
    width = int(lens.max()) if len(s) else 0
    idx = s[:, None] + np.arange(width, dtype=np.intp)
    np.minimum(idx, max(len(buf) - 1, 0), out=idx)
    m = np.asarray(buf[idx]) if len(buf) else np.zeros(idx.shape, np.uint8)
    m[np.arange(width) >= lens[:, None]] = 0
    return m


_MAX_DISTINCT = 64


def _distinct(key: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """First row of each distinct key and every row's index among them (in order of
    first appearance), or ``None`` past :data:`_MAX_DISTINCT` keys (a label column has
    few distinct answers: one pass per answer beats sorting)."""
    codes = np.full(len(key), -1, np.intp)
    first: list[int] = []
    todo = codes < 0
    while todo.any():
        if len(first) == _MAX_DISTINCT:
            return None
        j = int(todo.argmax())
        hit = key == key[j]
        codes[hit] = len(first)
        first.append(j)
        todo &= ~hit
    return np.array(first, np.intp), codes
