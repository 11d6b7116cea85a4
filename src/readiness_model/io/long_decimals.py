"""Plain decimals of 9 to 24 bytes (``-12.345678901234567``, as ``repr`` and spreadsheet
exports write computed numbers) read exactly with whole-array numpy operations.

Cells of at most 8 bytes are read by :func:`~.word_cells.plain_decimals`; longer ones
went one by one through ``float`` (a few hundred nanoseconds each). Here a cell's three
words are classified and its digits combined inside them (SWAR), with the dot closed
up, into an integer ``w`` of at most 19 digits and a power of ten ``q`` (the value is
``w × 10**q``, ``-23 <= q <= 0``). ``w × 10**q`` is then rounded to the nearest double
as Python's ``float`` rounds it, by the Eisel-Lemire algorithm (Lemire, "Number parsing
at a gigabyte per second", 2021): ``w``, normalised, times a 128-bit approximation of
``5**q``, with a second 64-bit product where the first leaves the rounding open; with at
most 19 digits this always decides it (Mushtak and Lemire, "Fast number parsing without
fallback", 2023), ties going to even. The 64 × 64-bit products are made of 32-bit
halves.

A cell that is no such decimal (an exponent, a ``+`` sign, more than 19 digits, other
text) is left to the caller, which reads it as before.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

from .word_cells import MASK, byte_is, word_at

__all__ = ["LONG_BYTES", "long_decimals"]

LONG_BYTES = 24
"""The longest cell read here (three words)."""
_GROUP = 1 << 14  # cells converted at a time (their temporaries stay in the cache)
_HIGH = np.uint64(0x8080808080808080)
_ONES = np.uint64(0x0101010101010101)
_NIBBLES = np.uint64(0x0F0F0F0F0F0F0F0F)
_HIGHS = MASK & _HIGH  # the high bit of each of the first k bytes
_M32 = np.uint64(0xFFFFFFFF)
_P10 = np.array([10**k for k in range(20)], np.uint64)
_MIN_Q = -27  # the table's smallest power of ten


def _powers_of_five() -> tuple[np.ndarray, np.ndarray]:
    """``5**q`` for ``q`` in ``[-27, 0]`` as 128-bit numbers with the top bit set (high
    and low words): ``5**q`` itself shifted for ``q = 0``; for ``q < 0`` the truncated
    ``2**(z + 127) / 5**-q`` plus one, ``z`` the bit length of ``5**-q`` (the
    Eisel-Lemire table)."""
    hi, lo = [], []
    for q in range(_MIN_Q, 1):
        if q < 0:
            p5 = 5**-q
            c = (1 << (p5.bit_length() + 127)) // p5 + 1
        else:
            c = 1 << 127
        hi.append(c >> 64)
        lo.append(c & ((1 << 64) - 1))
    return np.array(hi, np.uint64), np.array(lo, np.uint64)


_FIVE_HI, _FIVE_LO = _powers_of_five()


def long_decimals(words: np.ndarray, s: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cells of ``n`` bytes at ``s`` (``words``: the text as little-endian words,
    readable past its end) that are plain decimals (``[-]digits[.digits]`` with at
    least one digit, at most 19 digits and :data:`LONG_BYTES` bytes), read exactly as
    ``float`` reads them, and which cells are.

    Example:
        >>> from readiness_model.io.word_cells import padded_text
        >>> raw = b"-12.345678901234567" + b"0.1000000000000000055511151231257827"
        >>> text = padded_text(np.frombuffer(raw, np.uint8))
        >>> values, ok = long_decimals(text.words, np.array([0, 19]), np.array([19, 36]))
        >>> float(values[0]) == float("-12.345678901234567"), ok.tolist()
        (True, [True, False])
    """
    values = np.full(len(n), np.nan)
    ok = np.zeros(len(n), bool)
    for a in range(0, len(n), _GROUP):
        values[a : a + _GROUP], ok[a : a + _GROUP] = _group(
            words, s[a : a + _GROUP], n[a : a + _GROUP]
        )
    return values, ok


def _digit_bytes(x: np.ndarray) -> np.ndarray:
    """The high bit of each byte of ``x`` that is an ASCII digit."""
    digit: np.ndarray = x + np.uint64(0x5050505050505050)  # high bit: byte >= "0"
    t = x + np.uint64(0x4646464646464646)  # high bit: byte >= ":"
    np.invert(t, out=t)
    digit &= t
    digit &= _HIGH
    return digit


def _group(words: np.ndarray, s: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    xs = [word_at(words, s, n, j) for j in range(3)]
    ok = (n > 0) & (n <= LONG_BYTES)
    minus = byte_is(xs[0], 0x2D) & np.uint64(0x80)  # a minus sign counts as the first byte only
    dots, digits = [], []
    for j, x in enumerate(xs):
        valid = np.take(_HIGHS, np.clip(n - 8 * j, 0, 8))
        dig = _digit_bytes(x)
        dot = byte_is(x, 0x2E)
        dot &= valid
        t = dig | dot
        if j == 0:
            t |= minus
        ok &= (t & valid) == valid  # every byte a digit, a dot or the leading minus
        ok &= (x & _HIGH) == 0  # (ASCII: no carry crossed a byte above)
        ok &= (dot & (dot - np.uint64(1))) == 0  # one dot in the word at most
        dots.append(dot)
        digits.append(dig & valid)
    has = [d != 0 for d in dots]
    ok &= has[0].astype(np.int8) + has[1] + has[2] <= 1  # one dot at most
    ok &= (digits[0] | digits[1] | digits[2]) != 0  # a digit at least
    # close the dot up: the bytes from it on move down a byte (the 24 bytes as one number)
    shifted = [
        (xs[0] >> np.uint64(8)) | (xs[1] << np.uint64(56)),
        (xs[1] >> np.uint64(8)) | (xs[2] << np.uint64(56)),
        xs[2] >> np.uint64(8),
    ]
    dot_at = np.zeros(len(n), np.int64)  # (the dot's byte; none: the cell's length)
    dot_at += n
    seen = np.zeros(len(n), bool)  # a dot in an earlier word
    closed = []
    for j in range(3):
        before = (dots[j] >> np.uint64(7)) - np.uint64(1)  # the bytes before this word's dot
        before &= seen.astype(np.uint64) - np.uint64(1)  # (none after a dot: all moved)
        closed.append((xs[j] & before) | (shifted[j] & ~before))
        at = ((before & _ONES) * _ONES) >> np.uint64(56)
        np.copyto(dot_at, 8 * j + at.astype(np.int64), where=has[j])
        seen |= has[j]
    count = n - seen  # digits, the minus sign a leading zero
    ok &= count <= 19  # (below 2**64)
    closed[0] &= ~((minus >> np.uint64(7)) * np.uint64(0xFF))  # (the sign is no digit)
    # each word's digits as an integer, then the three combined
    value = np.zeros(len(n), np.uint64)
    for j in range(3):
        c = np.clip(count - 8 * j, 0, 8)
        d = closed[j] & _NIBBLES
        d &= np.take(MASK, c)
        d <<= ((8 - c) * 8).astype(np.uint64)  # the last digit in byte 7 (none: 0 stays 0)
        d = (d & np.uint64(0x00FF00FF00FF00FF)) * np.uint64(10) + (
            (d >> np.uint64(8)) & np.uint64(0x00FF00FF00FF00FF)
        )
        d = (d & np.uint64(0x0000FFFF0000FFFF)) * np.uint64(100) + (
            (d >> np.uint64(16)) & np.uint64(0x0000FFFF0000FFFF)
        )
        d = (d & _M32) * np.uint64(10000) + (d >> np.uint64(32))
        value *= np.take(_P10, c)
        value += d
    q = np.where(seen, dot_at + 1 - n, 0)  # minus the digits after the dot
    out = _nearest(np.where(ok, value, np.uint64(0)), q)
    out |= (minus != 0).astype(np.uint64) << np.uint64(63)
    result: np.ndarray = out.view(np.float64)
    result[~ok] = np.nan
    return result, ok


def _mul(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 128-bit products ``a × b`` (high and low words), from 32-bit halves."""
    a0, a1 = a & _M32, a >> np.uint64(32)
    b0, b1 = b & _M32, b >> np.uint64(32)
    p00, p01, p10, p11 = a0 * b0, a0 * b1, a1 * b0, a1 * b1
    mid = (p00 >> np.uint64(32)) + (p01 & _M32) + (p10 & _M32)
    lo = (mid << np.uint64(32)) | (p00 & _M32)
    hi = p11 + (p01 >> np.uint64(32)) + (p10 >> np.uint64(32)) + (mid >> np.uint64(32))
    return hi, lo


def _nearest(w: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The bits of the doubles nearest ``w × 10**q`` (``w < 2**64``, ``-27 <= q <= 0``;
    ties to even), positive; ``w = 0`` gives ``+0.0``."""
    out = np.zeros(len(w), np.uint64)
    nz = np.flatnonzero(w)
    w, q = w[nz], q[nz]
    # the bit length of w: its double's exponent, one too many where w rounded up
    length = np.frexp(w.astype(np.float64))[1].astype(np.int64)
    length -= (w >> (length - 1).astype(np.uint64)) == 0
    zeros = 64 - length
    w = w << zeros.astype(np.uint64)
    at = q - _MIN_Q
    hi, lo = _mul(w, np.take(_FIVE_HI, at))
    open_ = np.flatnonzero((hi & np.uint64(0x1FF)) == np.uint64(0x1FF))  # rounding not decided
    if len(open_):
        more, _ = _mul(w[open_], np.take(_FIVE_LO, at[open_]))
        low = lo[open_] + more
        hi[open_] += (low < more).astype(np.uint64)  # the carry
        lo[open_] = low
    upper = (hi >> np.uint64(63)).astype(np.int64)
    shift = (upper + 9).astype(np.uint64)
    mantissa = hi >> shift  # 54 bits: the 53 kept and the rounding bit
    exponent = ((217706 * q) >> 16) + 63 + upper - zeros + 1023  # (floor(q log2(10)) + ...)
    # exactly halfway (only possible for q >= -4): round down to even
    tie = (lo <= np.uint64(1)) & (q >= -4) & ((mantissa & np.uint64(3)) == np.uint64(1))
    tie &= (mantissa << shift) == hi
    mantissa &= ~tie.astype(np.uint64)
    mantissa += mantissa & np.uint64(1)
    mantissa >>= np.uint64(1)
    carried = mantissa >= np.uint64(1 << 53)  # rounded up to the next power of two
    mantissa[carried] = np.uint64(1 << 52)
    exponent += carried
    mantissa &= np.uint64((1 << 52) - 1)
    out[nz] = (exponent.astype(np.uint64) << np.uint64(52)) | mantissa
    return out
