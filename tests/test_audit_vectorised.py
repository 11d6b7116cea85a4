"""The audit's column-at-once statistics agree with the one-column and one-pair formulas
they replaced (moments, r with the parent, near-duplicate pairs)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import readiness_model as rm
from readiness_model.analysis._correlations import column_moments, correlation_matrix, paired_r
from readiness_model.analysis.audit import DUPLICATE_R, pearson


def one_column(x: np.ndarray) -> tuple[float, ...]:
    """The per-column moments as the audit computed them before (one column at a time)."""
    v = x[np.isfinite(x)]
    if not v.size:
        return (0, *[math.nan] * 6, False)
    mean = float(v.mean())
    dev = v - mean
    m2 = float(np.mean(dev**2))
    flat = m2 <= (1e-12 * max(1.0, abs(mean))) ** 2
    m3, m4 = float(np.mean(dev**3)), float(np.mean(dev**4))
    skew = math.nan if flat else m3 / m2**1.5
    kurt = math.nan if flat else m4 / m2**2 - 3.0
    return (v.size, float(v.min()), float(v.max()), mean, math.sqrt(m2), skew, kurt, flat)


# answers on a grid of levels (ties, constant columns) with blanks
cells = st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.1, 0.9, math.nan])
matrices = hnp.arrays(np.float64, st.tuples(st.integers(0, 12), st.integers(1, 6)), elements=cells)


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=tol, rel=tol)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_column_moments_equal_the_one_column_formulas(x: np.ndarray) -> None:
    got = column_moments(x)
    keys = ["n", "min", "max", "mean", "sd", "skewness", "kurtosis", "flat"]
    for j in range(x.shape[1]):
        want = one_column(x[:, j])
        for k, w in zip(keys, want, strict=True):
            g = got[k][j]
            if k in ("skewness", "kurtosis") and not want[-1] and want[4] < 1e-6:
                continue  # a sliver of variance: ratios of rounding noise
            assert close(float(g), float(w)), (k, j, g, w)


@settings(max_examples=300, deadline=None)
@given(matrices)
def test_paired_r_and_correlation_matrix_equal_pearson(x: np.ndarray) -> None:
    y = x[:, ::-1]
    r = paired_r(x, y)
    m = correlation_matrix(x)

    def flat(p: np.ndarray, q: np.ndarray) -> bool:
        ok = np.isfinite(p) & np.isfinite(q)
        return len(set(p[ok])) <= 1 or len(set(q[ok])) <= 1

    for j in range(x.shape[1]):  # without variance: NaN (pearson may see rounding noise)
        want = math.nan if flat(x[:, j], y[:, j]) else pearson(x[:, j], y[:, j])
        assert close(float(r[j]), want)
    for a, b in itertools.product(range(x.shape[1]), repeat=2):
        want = math.nan if flat(x[:, a], x[:, b]) else pearson(x[:, a], x[:, b])
        assert close(float(m[a, b]), want, 1e-7), (a, b)


def test_near_duplicates_are_those_of_every_pair() -> None:
    """The matrix only picks candidates: the pairs listed are exactly those whose exact r
    exceeds DUPLICATE_R, with that r."""
    rng = np.random.default_rng(3)
    m, n = 40, 50
    num = rm.NumericScale(goalposts=(0.0, 1.0))
    r = rm.Rubric(
        "dups",
        dimensions=[
            rm.Dimension(
                f"d{k}", indicators=[rm.Indicator(f"i{k}_{j}", scale=num) for j in range(m // 2)]
            )
            for k in range(2)
        ],
    )
    base = rng.random((n, 4))
    values = base[:, rng.integers(0, 4, m)] + rng.normal(scale=0.08, size=(n, m))
    values[rng.random((n, m)) < 0.1] = np.nan
    rs = rm.ResponseSet.from_array(np.clip(values, 0, 1), [f"a{i}" for i in range(n)], r)
    a = rm.audit(r, rs)
    z = np.asarray(rm.score(r, rs).indicator_scores)
    want = []
    for k in range(2):
        cols = range(k * m // 2, (k + 1) * m // 2)
        for p, q in itertools.combinations(cols, 2):
            rho = pearson(z[:, p], z[:, q])
            if rho > DUPLICATE_R:
                want.append((f"d{k}", r.indicators[p].id, r.indicators[q].id, rho))
    assert want
    assert sorted((d.dimension, d.a, d.b, d.r) for d in a.duplicates) == sorted(want)
