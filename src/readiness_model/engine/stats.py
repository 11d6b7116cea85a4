"""Population statistics of each column: what population-relative methods may read.

A population-relative normalisation never sees the reference rows themselves, only a
:class:`ColumnStats` of them (one period's population, one entry per column), so that
the same method can be given statistics saved from a frozen survey round
(:meth:`ColumnStats.given`, fed from a :class:`~readiness_model.Population`). A
``ColumnStats`` offers only the statistics its method declares
(``register_normalization(..., stats=...)``): reading another is an error whether the
statistics are computed or frozen, so a method that works on the rows works on a saved
round too.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..model.method_specs import STATISTICS

__all__ = ["BLOCK_BYTES", "LANES_WIDTH", "ColumnStats", "nan_min_max", "row_blocks"]


BLOCK_BYTES = 1 << 20  # a row block of about 1 MiB stays in cache between passes


def row_blocks(rows: int, row_bytes: int) -> list[slice]:
    """Slices of ``rows`` rows in blocks of about :data:`BLOCK_BYTES` (at least one row).

    Example:
        >>> row_blocks(5, BLOCK_BYTES // 2)
        [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    step = max(1, BLOCK_BYTES // max(row_bytes, 1))
    return [slice(r, min(r + step, rows)) for r in range(0, rows, step)]


# Means and standard deviations are computed in double precision as numpy does; where
# that leaves the double range the column is recomputed scaled (ColumnStats._rescaled).
# A sum of values near the largest double overflows (a mean of inf or NaN), and so does a
# square of a deviation beyond 2**512 (an sd of inf). A square below 2**-1022 loses bits,
# and below 2**-1075 it is 0: an sd under _SD_TINY may come from such squares. It cannot
# when the mean m has |m| >= 2**-400 (_MEAN_EXACT leaves a margin for the mean's rounding):
# a value x != m then differs from m by at least 2**-453 (both are multiples of the ulp at
# 2**-401, or x is below |m|/2), so the sum of squares is at least 2**-906, and divided by
# fewer than 2**63 values and rooted, the sd is at least 2**-485. So an sd of 0 with such
# a mean is exact (every value is the mean); any other sd under _SD_TINY is recomputed.
_LARGEST = float(np.finfo(np.float64).max)
_SD_TINY = 2.0**-490
_MEAN_EXACT = 2.0**-399

LANES_WIDTH = 512  # values per row of the lane view a block of narrow rows is reduced as


def nan_min_max(a: np.ndarray, which: tuple[str, ...] = ("min", "max")) -> dict[str, np.ndarray]:
    """Smallest and largest non-NaN value along the rows axis (-2) (NaN: none), in one
    pass over ``a`` without copying it.

    A ``rows × columns`` array is read in row blocks that stay in cache, each block
    reduced for both statistics; the running results keep the first of equal values,
    as one reduction over all rows does, so the results are those of ``np.nanmin`` and
    ``np.nanmax``, bit for bit (for a C-ordered array: the zero numpy picks among
    ``0.0`` and ``-0.0`` of a Fortran-ordered one depends on its blocks).

    A block of narrow rows is reduced as ``k`` rows at a time (a view of ``k × columns``
    values per row, see :func:`_block_extreme`): numpy's reduction along the rows costs
    a loop call per row, which dominates when a row holds a few dozen values.

    Example:
        >>> mm = nan_min_max(np.array([[1.0, np.nan], [np.nan, np.nan], [-2.0, np.nan]]))
        >>> mm["min"].tolist(), mm["max"].tolist()
        ([-2.0, nan], [1.0, nan])
    """
    ufuncs = {"min": np.fmin, "max": np.fmax}
    if not a.shape[-2]:
        return {k: np.full(a.shape[:-2] + a.shape[-1:], np.nan) for k in which}
    if a.ndim != 2:
        return {k: ufuncs[k].reduce(a, axis=-2) for k in which}
    blocks = row_blocks(a.shape[0], a.shape[1] * a.itemsize)
    lanes = dict.fromkeys(which, True)  # (off once a block's extreme was a zero or NaN)
    out: dict[str, np.ndarray] = {}
    for b in blocks:
        part = a[b]
        for k in which:
            got, lanes[k] = _block_extreme(ufuncs[k], part, lanes[k])
            if k in out:
                ufuncs[k](out[k], got, out=out[k])
            else:
                out[k] = got
    return out


def _block_extreme(f: np.ufunc, part: np.ndarray, lanes: bool) -> tuple[np.ndarray, bool]:
    """``f.reduce(part, axis=0)`` (``f``: ``fmin`` or ``fmax``), bit for bit, and
    whether lanes served (see below) and may serve the next block.

    With ``lanes`` and ``k = LANES_WIDTH // columns > 1``, the first ``k·⌊rows/k⌋``
    rows are reduced as a C-contiguous ``(rows/k) × (k·columns)`` view (``k`` lanes of
    rows, one loop call per ``k`` rows), then the lanes and the rest of the rows. Equal
    values other than zeros have the same bits, so the order in which they meet cannot
    show. When a column's extreme is a zero (``0.0`` and ``-0.0`` are equal: numpy's
    own reduction decides which one it returns) or NaN, the block is reduced the plain
    way, and so are the later blocks (such data would pay twice).
    """
    rows, m = part.shape
    k = LANES_WIDTH // m if m > 1 else 1
    if not lanes or k < 2 or rows < 2 * k or not part.flags.c_contiguous:
        return f.reduce(part, axis=0), lanes
    r = rows - rows % k
    got: np.ndarray = f.reduce(f.reduce(part[:r].reshape(-1, k * m), axis=0).reshape(k, m), axis=0)
    if r < rows:
        f(got, f.reduce(part[r:], axis=0), out=got)
    if not (got != 0).all():  # (a zero or NaN)
        return f.reduce(part, axis=0), False
    return got, True


class ColumnStats:
    """Statistics of the values of each column (NaN: no value), computed when first read.

    ``values`` is ``rows × columns`` (or ``... × rows × columns``: then every statistic
    has the leading axes too, except :attr:`distinct`). Each statistic has one entry per
    column; NaN (or 0 for ``count``) where a column has no value.

    Example:
        >>> st = ColumnStats(np.array([[92.0, 1.0], [97.5, np.nan], [97.5, 3.0], [99.0, 3.0]]))
        >>> st.count.tolist(), st.min.tolist(), st.max.tolist(), st.mean.tolist()
        ([4, 3], [92.0, 1.0], [99.0, 3.0], [96.5, 2.3333333333333335])
        >>> [(v.tolist(), c.tolist()) for v, c in st.distinct]
        [([92.0, 97.5, 99.0], [1, 2, 1]), ([1.0, 3.0], [1, 2])]

    .. versionadded:: 0.2.0
    """

    __slots__ = ("_cache", "_offers", "_values")

    def __init__(self, values: np.ndarray, offers: tuple[str, ...] = STATISTICS) -> None:
        self._values: np.ndarray | None = np.asarray(values, np.float64)
        self._cache: dict[str, Any] = {}
        self._offers = tuple(offers)

    @classmethod
    def given(cls, **stats: Any) -> ColumnStats:
        """Statistics known beforehand (say, saved from a published survey round) instead
        of computed from rows; reading one that was not given is an error.

        Example:
            >>> st = ColumnStats.given(min=np.array([92.0]), max=np.array([99.0]))
            >>> st.max.tolist(), st.offers
            ([99.0], ('min', 'max'))
        """
        unknown = set(stats) - set(STATISTICS)
        if unknown:
            raise ValueError(f"not a column statistic: {', '.join(sorted(unknown))}")
        out = cls(np.empty((0, 0)), tuple(k for k in STATISTICS if k in stats))
        out._values = None
        out._cache.update(stats)
        return out

    @property
    def offers(self) -> tuple[str, ...]:
        """The statistics that may be read (a method's declared ``stats``).

        Example:
            >>> ColumnStats(np.array([[1.0]]), offers=("count", "min")).offers
            ('count', 'min')
        """
        return self._offers

    def _get(self, key: str) -> Any:
        if key not in self._offers:
            how = "was not given" if self._values is None else "is not offered here"
            raise ValueError(
                f"the statistic {key!r} {how} (offered: {', '.join(self._offers) or 'none'}):"
                " a normalisation reads only the statistics it declares,"
                " register_normalization(..., stats=[...])"
            )
        if key not in self._cache:
            assert self._values is not None  # given statistics are all cached
            self._cache[key] = getattr(self, f"_compute_{key}")()
        return self._cache[key]

    @property
    def count(self) -> np.ndarray:
        """Number of values of each column.

        Example:
            >>> ColumnStats(np.array([[1.0], [np.nan]])).count.tolist()
            [1]
        """
        out: np.ndarray = self._get("count")
        return out

    @property
    def min(self) -> np.ndarray:
        """Smallest value of each column.

        Example:
            >>> ColumnStats(np.array([[1.0], [np.nan], [-2.0]])).min.tolist()
            [-2.0]
        """
        out: np.ndarray = self._get("min")
        return out

    @property
    def max(self) -> np.ndarray:
        """Largest value of each column.

        Example:
            >>> ColumnStats(np.array([[1.0], [np.nan], [-2.0]])).max.tolist()
            [1.0]
        """
        out: np.ndarray = self._get("max")
        return out

    @property
    def mean(self) -> np.ndarray:
        """Mean of each column.

        Example:
            >>> ColumnStats(np.array([[1.0], [np.nan], [2.0]])).mean.tolist()
            [1.5]
        """
        out: np.ndarray = self._get("mean")
        return out

    @property
    def sd(self) -> np.ndarray:
        """Population standard deviation (divided by the count) of each column.

        Example:
            >>> ColumnStats(np.array([[1.0], [np.nan], [3.0]])).sd.tolist()
            [1.0]
        """
        out: np.ndarray = self._get("sd")
        return out

    @property
    def distinct(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        """Per column: its distinct values in increasing order, and how often each occurs.

        Example:
            >>> v, c = ColumnStats(np.array([[2.0], [1.0], [2.0]])).distinct[0]
            >>> v.tolist(), c.tolist()
            ([1.0, 2.0], [1, 2])
        """
        out: tuple[tuple[np.ndarray, np.ndarray], ...] = self._get("distinct")
        return out

    def _rows(self) -> np.ndarray:
        assert self._values is not None
        return self._values

    def _compute_count(self) -> np.ndarray:
        out: np.ndarray = (~np.isnan(self._rows())).sum(axis=-2)
        return out

    def _extremes(self, key: str) -> np.ndarray:
        """``min`` or ``max``, with the other one in the same pass when it is offered."""
        which = tuple(k for k in ("min", "max") if k == key or k in self._offers)
        found = nan_min_max(self._rows(), which)
        self._cache.update(found)
        return found[key]

    def _compute_min(self) -> np.ndarray:
        return self._extremes("min")

    def _compute_max(self) -> np.ndarray:
        return self._extremes("max")

    def _moments(self, f: Any, a: np.ndarray | None = None) -> np.ndarray:
        a = self._rows() if a is None else a
        if not a.shape[-2]:
            return np.full(a.shape[:-2] + a.shape[-1:], np.nan)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # a column nobody answered
            out: np.ndarray = f(a, axis=-2)
        return out

    def _rescaled(self, f: Any, out: np.ndarray, bad: np.ndarray) -> np.ndarray:
        """``out`` (``f`` of the rows) with its ``bad`` entries recomputed from the
        columns scaled by a power of two: their largest magnitude into [½, 1).

        Used where a sum or a square left the double range (:meth:`_compute_mean`,
        :meth:`_compute_sd`). Scaling by a power of two is exact, and so commutes with
        every rounding of the mean and the sd (a square scales by the square of the
        power, a square root by the power itself): the result is what the same formula
        gives with an unbounded exponent, bit for bit, except for values below ``2**-1022``
        times the column's largest, whose scaled copy is subnormal and loses low bits
        (they add less than that to the sums). A result beyond the largest double
        (a mean rounded up past it) is capped there.
        """
        a = self._rows()
        m = a.shape[-1]
        if not a.shape[-2]:  # no rows: no value, nothing to recompute
            return out
        cols = np.flatnonzero(bad.reshape(-1, m).any(axis=0))
        sub = a[..., cols]
        with warnings.catch_warnings(), np.errstate(invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # a column without values
            big = np.nanmax(np.abs(sub), axis=-2)
        _, e = np.frexp(np.where(big > 0, big, 1.0))  # (NaN: no value; 0: all zeros)
        res = self._moments(f, np.ldexp(sub, -e[..., None, :]))
        res = np.clip(np.ldexp(res, e), -_LARGEST, _LARGEST)
        fixed: np.ndarray = out.copy()
        fixed[..., cols] = np.where(bad[..., cols], res, out[..., cols])
        return fixed

    def _compute_mean(self) -> np.ndarray:
        out = self._moments(np.nanmean)
        bad = ~np.isfinite(out)  # a sum overflowed (or no value: recomputed as NaN)
        return self._rescaled(np.nanmean, out, bad) if bad.any() else out

    def _compute_sd(self) -> np.ndarray:
        out = self._moments(np.nanstd)
        with np.errstate(invalid="ignore"):
            # a square overflowed (inf), or perhaps underflowed (tiny, 0 included)
            bad = ~(np.isfinite(out) & (out >= _SD_TINY))
        if not bad.any():
            return out
        mean = self._cache.get("mean")
        if mean is None:
            cols = np.flatnonzero(bad.reshape(-1, out.shape[-1]).any(axis=0))
            mean = np.full(out.shape, np.nan)
            mean[..., cols] = self._moments(np.nanmean, self._rows()[..., cols])
        with np.errstate(invalid="ignore"):
            # an sd of 0 with a mean of at least _MEAN_EXACT is exact: see _SD_TINY
            bad &= ~((out == 0) & (np.abs(mean) >= _MEAN_EXACT))
        return self._rescaled(np.nanstd, out, bad) if bad.any() else out

    def _compute_distinct(self) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
        a = self._rows()
        if a.ndim != 2:
            raise ValueError("distinct values are kept for rows × columns statistics only")
        out = []
        for c in range(a.shape[1]):
            col = a[:, c]
            values, counts = np.unique(col[~np.isnan(col)], return_counts=True)
            out.append((values, counts))
        return tuple(out)
