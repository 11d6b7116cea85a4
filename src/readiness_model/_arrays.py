"""Read-only numpy arrays: the one helper every immutable class uses."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["readonly"]


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
