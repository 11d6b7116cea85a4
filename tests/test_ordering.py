"""The SIMD sorting order (engine.ordering) is numpy's stable argsort, exactly."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_model.engine import ordering
from readiness_model.engine.classify import competition_rank

_values = st.floats(allow_nan=False, width=64) | st.sampled_from([0.0, -0.0, 1.0, 50.0, 99.99])


@st.composite
def _vectors(draw: st.DrawFn) -> np.ndarray:
    """Values with neighbours one or a few ulps away (they differ in the low bits the
    packing replaces), repeats, signed zeros and infinities, shuffled."""
    base = np.array(draw(st.lists(_values, min_size=1, max_size=40)))
    ulps = draw(st.lists(st.integers(-20, 20), min_size=len(base), max_size=len(base)))
    near = []
    with np.errstate(over="ignore"):  # (the largest float's neighbour is inf)
        for b, u in zip(base.tolist(), ulps, strict=True):
            for _ in range(abs(u)):
                b = np.nextafter(b, np.inf if u > 0 else -np.inf)
            near.append(b)
    x = np.concatenate([base, near, base[: draw(st.integers(0, len(base)))]])
    perm = draw(st.permutations(range(len(x))))
    return x[list(perm)]


@settings(max_examples=300, deadline=None)
@given(_vectors())
def test_the_packed_order_is_the_stable_argsort(x: np.ndarray) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ordering, "PACKED_MIN", 0)  # (short vectors take the packed path too)
        order, sk = ordering.sorted_order(x)
    ref = np.argsort(x, kind="stable")
    assert order.tolist() == ref.tolist()
    assert sk.tolist() == (x[ref] + 0.0).tolist()


def test_a_long_vector_and_nan_fall_back_or_pack_to_the_same_order() -> None:
    rng = np.random.default_rng(7)
    base = rng.random(20_000) * 100
    x = np.concatenate([base, np.nextafter(base, np.inf), np.round(base, 1), -base])
    rng.shuffle(x)
    assert x.size >= ordering.PACKED_MIN
    assert ordering.float_order(x).tolist() == np.argsort(x, kind="stable").tolist()
    x[5] = np.nan
    assert ordering.float_order(x).tolist() == np.argsort(x, kind="stable").tolist()


def test_ranks_of_a_large_population_match_the_argsort_ranks() -> None:
    rng = np.random.default_rng(3)
    n = 3 * ordering.PACKED_MIN
    score = np.round(rng.random(n) * 100, 2)
    score[rng.random(n) < 0.01] = np.nan
    eligible = rng.random(n) < 0.95
    groups = [np.arange(0, n, 2), np.arange(1, n, 2)]
    for shared in (True, False):
        got = competition_rank(score, eligible, groups, shared=shared)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(ordering, "PACKED_MIN", n * 10)
            ref = competition_rank(score, eligible, groups, shared=shared)
        assert got.tolist() == ref.tolist()


def test_integer_keys_keep_their_type_and_distinct_places() -> None:
    from readiness_model.engine.classify import _places

    key = np.array([2**53 + 1, 2**53, 5], np.int64)
    assert _places(key, True, np.int64).tolist() == [3, 2, 1]
    order, sk = ordering.sorted_order(key)
    assert order.tolist() == [2, 1, 0]
    assert sk.dtype == np.int64
    assert sk.tolist() == [5, 2**53, 2**53 + 1]
