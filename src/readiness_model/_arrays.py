"""Read-only numpy arrays: the one helper every immutable class uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["any_set", "readonly", "readonly_converter", "same_array"]


def readonly(a: npt.ArrayLike, dtype: Any = None, *, copy: bool = True) -> np.ndarray:
    """``a`` as a read-only array of ``dtype`` (a copy unless ``copy=False`` and no
    conversion is needed, in which case the caller promises not to write to ``a``).

    Example:
        >>> x = readonly([1, 2], np.float64)
        >>> x.dtype, x.flags.writeable
        (dtype('float64'), False)
    """
    arr = np.array(a, dtype=dtype, copy=True) if copy else np.asarray(a, dtype=dtype)
    if not copy and arr is a:
        arr = arr.view()
    arr.flags.writeable = False
    return arr


def readonly_converter(dtype: Any) -> Callable[[npt.ArrayLike], np.ndarray]:
    """An attrs converter to a read-only ``dtype`` array: an array that already is one
    is kept as it is (shared, no copy), anything else becomes a read-only copy.

    Example:
        >>> conv = readonly_converter(np.float64)
        >>> x = readonly([1.0, 2.0], np.float64)
        >>> conv(x) is x, conv([1, 2]).flags.writeable
        (True, False)
    """

    def convert(a: npt.ArrayLike) -> np.ndarray:
        if isinstance(a, np.ndarray) and a.dtype == dtype and not a.flags.writeable:
            return a
        return readonly(a, dtype)

    return convert


def any_set(a: np.ndarray) -> bool:
    """Whether any element of boolean array ``a`` is set; a broadcast of one value (a
    mask with no cell set takes no memory, see ``ResponseSet.from_array``) is that
    value, read once (``any()`` would visit every element of the view).

    Example:
        >>> any_set(np.broadcast_to(np.False_, (3, 2))), any_set(np.eye(2, dtype=bool))
        (False, True)
    """
    if a.size and not any(a.strides):
        return bool(a[(0,) * a.ndim])
    return bool(a.any())


def same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal shape, dtype kind and content, NaN equal to NaN (for ``attrs.cmp_using``).

    Example:
        >>> same_array(np.array([1.0, np.nan]), np.array([1.0, np.nan]))
        True
        >>> same_array(np.array([1, 2]), np.array([[1, 2]]))
        False
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or (a.dtype.kind == "b") != (b.dtype.kind == "b"):
        return False
    nan = a.dtype.kind in "fc" and b.dtype.kind in "fc"
    return bool(np.array_equal(a, b, equal_nan=nan))
