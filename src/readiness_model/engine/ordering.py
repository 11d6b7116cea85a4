"""The sorting order of a long float vector, by numpy's SIMD sort.

numpy sorts a float or integer vector with SIMD instructions (``np.sort``), but its
``argsort`` of floats does not use them and takes four to five times as long. The order
is what ranks need, so :func:`float_order` sorts 64-bit words instead: each value mapped
to an unsigned integer of the same order, its low bits replaced by the value's index.
Values that differ only in those low bits (about one pair in a million random scores)
come out in index order; they are found and put right by a sort of those few runs, and
the result is checked against the values themselves. The order is exactly
``np.argsort(x, kind="stable")``: equal values keep their index order.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["PACKED_MIN", "float_order", "sorted_order"]

PACKED_MIN = 1 << 14  # shorter vectors: numpy's argsort (the packing costs more)
_TOP = np.uint64(1 << 63)


def float_order(x: np.ndarray) -> np.ndarray:
    """Indices that sort the 1-D float64 vector ``x`` (NaN-free; ``-0.0`` and ``0.0``
    are equal), equal values in index order: ``np.argsort(x, kind="stable")``.

    Example:
        >>> float_order(np.array([2.5, -1.0, 2.5, 0.0, -0.0])).tolist()
        [1, 3, 4, 0, 2]
    """
    return sorted_order(x)[0]


def sorted_order(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`float_order` of ``x`` and ``x`` in that order (``-0.0`` read as ``0.0``)."""
    n = x.size
    if n < max(PACKED_MIN, 1) or x.ndim != 1 or x.dtype != np.float64:
        return _stable(x)
    k = x + 0.0  # (-0.0 becomes 0.0: equal values, equal words)
    bits = k.view(np.uint64)
    # the order-preserving map of a float's bits: negative values have every bit
    # flipped, the others their sign bit set
    word = (k.view(np.int64) >> 63).view(np.uint64)
    word |= _TOP
    word ^= bits
    shift = (n - 1).bit_length()
    low = np.uint64((1 << shift) - 1)
    word &= ~low
    word |= np.arange(n, dtype=np.uint64)
    word.sort()
    order = (word & low).view(np.int64)
    sk = k.take(order)
    if np.isnan(sk[0]) or np.isnan(sk[-1]):  # (NaNs go to either end)
        return _stable(x)
    bad = np.flatnonzero(sk[1:] < sk[:-1])
    if bad.size:
        at = _put_right(order, k, word >> np.uint64(shift), bad)
        sk[at] = k.take(order[at])
    return order, sk


def _stable(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(x, axis=-1, kind="stable")
    sk = np.take_along_axis(x, order, -1)
    return order, sk + 0.0 if sk.dtype.kind == "f" else sk  # (an integer key stays one)


def _put_right(order: np.ndarray, k: np.ndarray, high: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Sort by value (then index) the runs of equal ``high`` words that hold an
    out-of-order pair ``bad`` (positions ``p`` with ``k[order[p + 1]] < k[order[p]]``);
    returns the positions of ``order`` rewritten."""
    starts = np.flatnonzero(np.concatenate(([True], high[1:] != high[:-1])))
    ends = np.append(starts[1:], high.size)
    runs = np.unique(np.searchsorted(starts, bad, side="right") - 1)
    at = np.concatenate([np.arange(starts[r], ends[r]) for r in runs.tolist()])
    sub = order[at]
    order[at] = sub[np.lexsort((k[sub], high[at]))]  # (stable: ties stay in index order)
    return at
