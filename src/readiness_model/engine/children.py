"""What one combine step of the walk sees: the children's values and the nodes' weights.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

__all__ = ["FEW", "Children", "weigh"]

FEW = 16  # with draws, groups of at most this many children are summed without BLAS
_FEW_BLOCK_BYTES = 1 << 20  # children's values summed at a time (in the cache)


def weigh(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` for ``x`` ``... × N × C`` and weights ``w`` ``... × C × G``.

    When only the weights carry draws (``x`` is ``N × C``, ``w`` is ``D × C × G``) the
    draws are laid side by side and scored with one matrix product ``N × C`` by
    ``C × (D·G)``, instead of ``D`` thin products of ``G`` columns each (what
    :func:`numpy.matmul` broadcasting does): the same sums, a far better fit for BLAS.
    With draws and at most :data:`FEW` children, the weighted sum is taken child by
    child in their order (one multiply-add pass each): cheaper than a thin product per
    draw, and a draw's values then do not depend on how many draws are scored together.
    A wider product may round a dot product differently with its width (BLAS kernels
    and threads split the work by shape): equal to the last bit or two, not bit for bit.

    Example:
        >>> x = np.array([[1.0, 2.0]])
        >>> w = np.array([[[1.0], [0.0]], [[0.5], [0.5]]])  # two draws, one node
        >>> weigh(x, w).tolist(), (x @ w).tolist()
        ([[[1.0]], [[1.5]]], [[[1.0]], [[1.5]]])
    """
    c = x.shape[-1]
    if (x.ndim > 2 or w.ndim > 2) and 0 < c <= FEW:
        # with draws and few children: the sum over children in their order, one
        # multiply-add pass per child over the result, the same bits whatever the number
        # of draws; a BLAS call per draw (N × C by C × G) would cost far more
        return _few(x, w)
    if x.ndim == 2 and w.ndim == 3 and w.shape[0] > 1:
        d, c, g = w.shape
        side = np.ascontiguousarray(w.transpose(1, 0, 2)).reshape(c, d * g)
        out: np.ndarray = (x @ side).reshape(x.shape[0], d, g).transpose(1, 0, 2)
        return out
    result: np.ndarray = x @ w
    return result


def _few(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``x @ w`` as the sum over children in their order (see :func:`weigh`), a block
    of rows at a time so that the passes over the children stay in the cache. One
    parent node: each block's products in one pass, laid out as ``x`` is, then summed
    child by child (the same products, added in the same order)."""
    c = x.shape[-1]
    shape = np.broadcast_shapes(x[..., :, :1].shape, w[..., :1, :].shape)
    dtype = np.result_type(x, w)  # (what x * w would hold)
    n, g = shape[-2:]
    per_row = 8 * c * max(1, int(np.prod(shape[:-2], dtype=np.int64)) * g)
    rows = max(1, _FEW_BLOCK_BYTES // per_row)
    if g == 1:
        if len(shape) == 3 and x.ndim == 3 and x.strides[0] < x.strides[1]:
            # x holds the draws of a row side by side: so does the result
            total: np.ndarray = np.empty((n, shape[0], 1), dtype).transpose(1, 0, 2)
        else:
            total = np.empty(shape, dtype)
        wv = w[..., 0][..., None, :]  # ... × 1 × C
        for r0 in range(0, n, rows):
            prod = np.multiply(x[..., r0 : r0 + rows, :], wv)
            ob = total[..., r0 : r0 + rows, 0]
            np.copyto(ob, prod[..., 0])
            for j in range(1, c):
                ob += prod[..., j]
        return total
    total = np.empty(shape, dtype)
    step = np.empty_like(total[..., :rows, :])
    for r0 in range(0, n, rows):
        xb, ob = x[..., r0 : r0 + rows, :], total[..., r0 : r0 + rows, :]
        sb = step[..., : ob.shape[-2], :]
        np.multiply(xb[..., :1], w[..., :1, :], out=ob)
        for j in range(1, c):
            np.multiply(xb[..., j : j + 1], w[..., j : j + 1, :], out=sb)
            ob += sb
    return total


class Children:
    """What one combine step sees: children's values and the nodes' weights.

    Attributes:
        values: ``... × N × C`` child scores in [0, 1]; NaN where a child is not
            included (not applicable, missing under ``reweight``, or without a score).
        weights: ``... × C × G``: column ``g`` holds node ``g``'s child weights (0 for
            the other nodes' children).

    Example:
        >>> ch = Children(np.array([[1.0, np.nan, 0.5]]), np.array([[1.0], [2.0], [3.0]]))
        >>> ch.included.tolist(), ch.included_weight.tolist(), ch.filled(0.0).tolist()
        ([[True, False, True]], [[4.0]], [[1.0, 0.0, 0.5]])

    .. versionadded:: 0.2.0
    """

    __slots__ = ("_complete", "_included", "_included_weight", "values", "weights")

    def __init__(self, values: np.ndarray, weights: np.ndarray, *, complete: bool = False) -> None:
        self.values = values
        self.weights = weights
        self._complete: bool | None = complete or None  # True: the caller promises no NaN
        self._included: np.ndarray | None = None
        self._included_weight: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of the result: ``... × N × G``.

        Example:
            >>> Children(np.zeros((5, 3)), np.ones((4, 3, 2))).shape
            (4, 5, 2)
        """
        v, w = self.values, self.weights
        return (*np.broadcast_shapes(v.shape[:-2], w.shape[:-2]), v.shape[-2], w.shape[-1])

    @property
    def included(self) -> np.ndarray:
        """Boolean ``... × N × C``: the child is included.

        Example:
            >>> Children(np.array([[np.nan, 0.0]]), np.ones((2, 1))).included.tolist()
            [[False, True]]
        """
        if self._included is None:
            self._included = ~np.isnan(self.values)
        return self._included

    @property
    def complete(self) -> bool:
        """Every child is included (no NaN value).

        Example:
            >>> Children(np.array([[np.nan, 0.0]]), np.ones((2, 1))).complete
            False
        """
        if self._complete is None:
            self._complete = bool(self.included.all())
        return self._complete

    @property
    def included_weight(self) -> np.ndarray:
        """``... × N × G``: each node's total weight of included children.

        Example:
            >>> Children(np.array([[np.nan, 0.0]]), np.ones((2, 1))).included_weight.tolist()
            [[1.0]]
        """
        if self._included_weight is None:
            w = self.weights
            if self.complete:
                self._included_weight = np.broadcast_to(w.sum(axis=-2)[..., None, :], self.shape)
            else:
                self._included_weight = weigh(self.included.astype(np.float64), w)
        return self._included_weight

    def dot(self, x: np.ndarray) -> np.ndarray:
        """``x @ weights`` (``x`` shaped like the values): each node's weighted sum of
        ``x`` over its children (see :func:`weigh`).

        Example:
            >>> Children(np.array([[1.0, 0.5]]), np.array([[1.0], [3.0]])).dot(
            ...     np.array([[2.0, 1.0]])).tolist()
            [[5.0]]
        """
        return weigh(x, self.weights)

    def filled(self, fill: float) -> np.ndarray:
        """The values with ``fill`` where a child is not included.

        Example:
            >>> Children(np.array([[np.nan, 0.5]]), np.ones((2, 1))).filled(1.0).tolist()
            [[1.0, 0.5]]
        """
        if self.complete:
            return self.values
        out: np.ndarray = np.where(self.included, self.values, fill)
        return out
