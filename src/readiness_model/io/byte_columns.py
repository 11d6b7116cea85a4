"""One indicator's cells given as UTF-8 bytes (a block of a CSV file, or an Arrow string
column's buffers) converted as the standard reader converts them: plain decimals in bulk
inside their words, longer numbers by ``float``, labels once per distinct answer, every
other cell once per distinct text through the common converter, which locates its error.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .answer_cells import Column, convert_coded, convert_column, text_codes
from .long_decimals import LONG_BYTES, long_decimals
from .word_cells import (
    U64,
    Text,
    as_text,
    cell_bytes,
    distinct_codes,
    padded_text,
    plain_decimals,
    word_at,
)

__all__ = ["convert_bytes", "label_column", "numeric_column"]

_NOT_NUMBER = np.ones(256, bool)  # bytes that float() reads in a number without spaces
_NOT_NUMBER[[0, 43, 45, 46, 69, 101, *range(48, 58)]] = False  # (0: the padding)


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
    text = padded_text(data)
    x = word_at(text.words, s, n, 0)

    def at(rows: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.take(s, rows)
        return out

    if scale.continuous:
        return numeric_column(scale, text, x, n, at, grouping)
    return label_column(scale, text, x, n, at)


def numeric_column(
    scale: Any,
    text: Text,
    x: np.ndarray,
    n: np.ndarray,
    starts: Callable[[np.ndarray], np.ndarray],
    grouping: bool,
) -> Column:
    """A continuous scale's column (first words ``x``, lengths ``n``): plain decimals in
    bulk, other numbers in one numpy conversion, every other cell once per distinct
    text."""
    values, ok = plain_decimals(x, n)  # (finite numbers)
    blank = n == 0
    valid = np.asarray(scale.valid(values[ok]), bool)
    if not valid.all():
        ok[ok] = valid
    np.copyto(values, np.nan, where=~ok)
    missing = blank
    na = np.zeros(len(x), bool)
    other = np.flatnonzero(~ok & ~blank)
    longer = np.take(n, other)
    longer = (longer > 8) & (longer <= LONG_BYTES)
    if longer.any():  # longer plain decimals, also read in bulk
        at = other[longer]
        read, fine = long_decimals(text.words, starts(at), np.take(n, at))
        fine[fine] = np.asarray(scale.valid(read[fine]), bool)
        values[at[fine]] = read[fine]
        longer[longer] = fine
        other = other[~longer]
    if not len(other):
        return Column(values, missing, na, ())
    cells = cell_bytes(text, starts(other), np.take(n, other))
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
        first, codes = distinct_codes(x)
        distinct = as_text(np.take(x, first).view("S8"))
    else:
        distinct, codes = text_codes(as_text(cells))
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


def label_column(
    scale: Any,
    text: Text,
    x: np.ndarray,
    n: np.ndarray,
    starts: Callable[[np.ndarray], np.ndarray],
) -> Column:
    """A label scale's column (first words ``x``, lengths ``n``): each distinct byte
    string parsed once by the scale."""
    if not len(x):
        return convert_coded(scale, [], np.zeros(0, np.intp))
    if int(n.max()) <= 8:
        first, codes = distinct_codes(x)
        return convert_coded(scale, as_text(np.take(x, first).view("S8")), codes)
    # the cells longer than a word: their words mixed into their key, checked below
    long = np.flatnonzero(n > 8)
    w = cell_bytes(text, starts(long), np.take(n, long)).view(U64).reshape(len(long), -1)
    key = x.copy()
    mix = w[:, 0].copy()
    for j in range(1, w.shape[1]):
        mix *= _MIX
        mix ^= w[:, j]
    key[long] = mix
    first, codes = distinct_codes(key)
    cells = cell_bytes(text, starts(first), np.take(n, first))
    rep = cells.view(U64).reshape(len(first), -1)
    same = np.array_equal(np.take(n, np.take(first, codes)), n)  # same lengths,
    same = same and np.array_equal(np.take(rep[:, 0], codes), x)  # first words
    same = same and np.array_equal(rep[np.take(codes, long), : w.shape[1]], w)  # and rest
    if not same:  # two texts mixed to one key
        every = cell_bytes(text, starts(np.arange(len(x))), n)
        _, first, codes = np.unique(every, return_index=True, return_inverse=True)
        codes = np.asarray(codes).ravel()
        cells = every[first]
    return convert_coded(scale, as_text(cells), codes)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # mixes a long label's words into one key
