"""Cells of UTF-8 text read as 64-bit words, with whole-array numpy operations: a cell's
bytes as little-endian words (zero past its end), the plain decimals among cells of at
most 8 bytes read exactly inside their word (SWAR), and the distinct words of a column
found through a small hash table. The pieces of the block reader
(:mod:`.csv_blocks`) and of the pyarrow reader's fallback (:mod:`.byte_columns`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "MASK", "MAX_WORDS", "PAD", "SAMPLE", "U64", "Text", "as_text", "byte_is", "byte_matrix",
    "cell_bytes", "distinct_codes", "padded_text", "plain_decimals", "word_at", "words_at",
]  # fmt: skip

_POW10 = np.array([10.0**k for k in range(9)])  # exact doubles
U64 = np.dtype("<u8")  # cells are read as little-endian words: byte i at bits 8i..8i+7
_HIGH = np.uint64(0x8080808080808080)
_ONES = np.uint64(0x0101010101010101)
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
MASK = np.array([(1 << 8 * k) - 1 for k in range(9)], np.uint64)  # the first k bytes
_HIGHS = MASK & _HIGH  # the high bit of each of the first k bytes
MAX_WORDS = 8  # cells up to 64 bytes are read as words; longer ones byte by byte
PAD = 8 * (MAX_WORDS + 2)  # zero bytes after a block (word reads past its end)


class Text(NamedTuple):
    """Text as bytes, and the same memory as little-endian words (readable at least
    :data:`PAD` bytes past the text's end)."""

    data: np.ndarray
    words: np.ndarray


def padded_text(data: np.ndarray) -> Text:
    """A copy of ``data`` with words over it (an Arrow buffer)."""
    buf = np.zeros(-(-(len(data) + PAD) // 8), U64)
    buf.view(np.uint8)[: len(data)] = data
    return Text(buf.view(np.uint8)[: len(data)], buf)


def word_at(words: np.ndarray, s: np.ndarray, n: np.ndarray, j: int) -> np.ndarray:
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
    lo &= np.take(MASK, np.clip(n - 8 * j, 0, 8) if j else np.minimum(n, 8))
    return lo


def words_at(words: np.ndarray, s: np.ndarray, n: np.ndarray, k: int) -> np.ndarray:
    """The first ``8 * k`` bytes of each cell as ``k`` words (``len(s) × k``)."""
    out = np.empty((len(s), k), U64)
    for j in range(k):
        out[:, j] = word_at(words, s, n, j)
    return out


def as_text(cells: np.ndarray) -> list[str]:
    """Byte-string cells as text."""
    try:
        return list(cells.astype(f"U{max(cells.dtype.itemsize, 1)}").tolist())
    except UnicodeDecodeError:
        return [b.decode("utf-8") for b in cells.tolist()]


def cell_bytes(text: Text, s: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The cells as zero-padded byte strings (``S`` dtype)."""
    if not len(s):
        return np.zeros(0, "S1")
    k = max(1, -(-int(n.max()) // 8))
    if k <= MAX_WORDS:
        return words_at(text.words, s, n, k).view(f"S{8 * k}").ravel()
    m = byte_matrix(text.data, s, s + n, multiple=8)  # (whole words: callers view them)
    return m.view(f"S{m.shape[1]}").ravel()


def byte_is(x: np.ndarray, byte: int) -> np.ndarray:
    """The high bit of each byte of ``x`` that equals ``byte`` (exact: no carry
    crosses bytes)."""
    y = x ^ np.uint64(byte * 0x0101010101010101)
    out: np.ndarray = y & _LOW7
    out += _LOW7
    out |= y
    np.invert(out, out=out)
    out &= _HIGH
    return out


def plain_decimals(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    dot = byte_is(x, 0x2E)
    minus = byte_is(x, 0x2D)
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


def byte_matrix(buf: np.ndarray, s: np.ndarray, e: np.ndarray, multiple: int = 1) -> np.ndarray:
    """The cells ``buf[s:e]`` as rows of a zero-padded byte matrix (as wide as the
    longest cell, at least one byte, rounded up to a ``multiple``)."""
    s, e = s.astype(np.intp), e.astype(np.intp)
    lens = e - s
    width = max(int(lens.max()) if len(s) else 0, 1)
    width = -(-width // multiple) * multiple
    idx = s[:, None] + np.arange(width, dtype=np.intp)
    np.minimum(idx, max(len(buf) - 1, 0), out=idx)
    m = np.asarray(buf[idx]) if len(buf) else np.zeros(idx.shape, np.uint8)
    m[np.arange(width) >= lens[:, None]] = 0
    return m


SAMPLE = 4096  # rows whose distinct keys are found first
_MAX_DISTINCT = 4096  # more distinct keys than this: sorted instead
# odd 64-bit multipliers for multiplicative hashing (one is found that spreads the keys)
_MULTIPLIERS = [
    0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
]  # fmt: skip


def distinct_codes(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A row holding each distinct key, and each row's index among them.

    A label column has few distinct answers: they are found in a sample of rows, then
    every row is looked up in a small hash table (a multiplier that sends the known
    keys to distinct slots; a row whose key is not the one in its slot adds its key
    and the rows are looked up again). Many distinct keys: sorted."""
    known, first = np.unique(key[:SAMPLE], return_index=True)
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
