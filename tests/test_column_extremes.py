"""``nan_min_max`` (blocks of rows, lanes of narrow rows) equals numpy's own
``nanmin``/``nanmax`` bit for bit, signed zeros and NaN included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_model.engine import stats

_cells = st.sampled_from([0.0, -0.0, np.nan, 1.0, -1.0, 2.5, np.inf, -np.inf, 1e-300, -7.0])


@settings(max_examples=150, deadline=None)
@given(
    rows=st.integers(1, 700),
    cols=st.integers(1, 40),
    block=st.sampled_from([64, 200, 1024, 1 << 20]),
    width=st.sampled_from([8, 64, 512]),
    data=st.data(),
)
def test_blocked_lane_extremes_are_numpys(
    rows: int, cols: int, block: int, width: int, data: st.DataObject
) -> None:
    kind = data.draw(st.sampled_from(["few", "random", "positive"]))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    if kind == "few":  # (ties, signed zeros and NaN everywhere)
        pool = np.array([0.0, -0.0, np.nan, 1.0, -1.0, 2.5, np.inf, -np.inf])
        a = pool[rng.integers(0, len(pool), (rows, cols))]
    else:
        a = rng.normal(size=(rows, cols)) * 100
        if kind == "positive":
            a = np.abs(a) + 1.0
        hole = rng.random((rows, cols)) < 0.02
        a[hole] = data.draw(_cells)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(stats, "BLOCK_BYTES", block)
        mp.setattr(stats, "LANES_WIDTH", width)
        got = stats.nan_min_max(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (an all-NaN column)
        want = {"min": np.nanmin(a, axis=0), "max": np.nanmax(a, axis=0)}
    for k in ("min", "max"):
        assert got[k].view(np.uint64).tolist() == want[k].view(np.uint64).tolist(), k


@pytest.mark.parametrize("rows", [16, 17, 23, 100, 1000, 1001])
@pytest.mark.parametrize("cols", [2, 3, 5])
def test_an_extreme_in_any_row_is_found(rows: int, cols: int) -> None:
    base = np.ones((rows, cols))
    for at in (0, rows // 2, rows - 1, rows - 2):
        a = base.copy()
        a[at] = [-5.0] * cols
        a[(at + 1) % rows] = [9.0] * cols
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(stats, "BLOCK_BYTES", 8 * cols * 40)  # (blocks of 40 rows)
            mp.setattr(stats, "LANES_WIDTH", 8 * cols)  # (8 lanes: a rest of rows)
            got = stats.nan_min_max(a)
        assert got["min"].tolist() == [-5.0] * cols
        assert got["max"].tolist() == [9.0] * cols
