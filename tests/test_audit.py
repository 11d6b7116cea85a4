"""The statistical audit agrees with numpy and hand-written formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.analysis.audit import cronbach_alpha, effective_weights, pearson


def fixture(n: int = 60, seed: int = 0) -> tuple[rm.Rubric, rm.ResponseSet, np.ndarray]:
    rng = np.random.default_rng(seed)
    num = rm.NumericScale(goalposts=(0.0, 10.0))
    r = rm.Rubric(
        "aud",
        dimensions=[
            rm.Dimension(
                "access",
                weight=1,
                indicators=[
                    rm.Indicator("portal", scale=num, weight=2),
                    rm.Indicator("portal_copy", scale=num),
                    rm.Indicator("uptime", scale=num),
                ],
            ),
            rm.Dimension(
                "people",
                weight=2,
                indicators=[
                    rm.Indicator("training", scale=num),
                    rm.Indicator("skills", scale=num, direction="lower_is_better"),
                    rm.Indicator("flat", scale=num),
                ],
            ),
        ],
    )
    base = rng.uniform(0, 10, size=n)
    values = np.column_stack(
        [
            base,
            np.clip(base + rng.normal(scale=0.3, size=n), 0, 10),  # near-duplicate
            rng.uniform(0, 10, size=n),
            rng.uniform(0, 10, size=n),
            rng.uniform(0, 10, size=n),
            np.full(n, 5.0),  # zero variance
        ]
    )
    return r, rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], r), values / 10


def hand_alpha(x: np.ndarray) -> float:
    """Cronbach's alpha written out: k/(k-1) * (1 - sum of item variances / total variance)."""
    k = x.shape[1]
    item_var = sum(np.var(x[:, i], ddof=1) for i in range(k))
    return k / (k - 1) * (1 - item_var / np.var(x.sum(axis=1), ddof=1))


def test_distribution_statistics_match_numpy_population_formulas() -> None:
    r, rs, z = fixture()
    a = rm.audit(r, rs)
    x = a.indicators[2]
    v = z[:, 2]
    assert x.id == "uptime"
    assert x.n == 60
    assert x.mean == pytest.approx(v.mean())
    assert x.sd == pytest.approx(v.std())
    assert (x.min, x.max) == (pytest.approx(v.min()), pytest.approx(v.max()))
    d = v - v.mean()
    assert x.skewness == pytest.approx(np.mean(d**3) / np.mean(d**2) ** 1.5)
    assert x.kurtosis == pytest.approx(np.mean(d**4) / np.mean(d**2) ** 2 - 3)
    flat = a.indicators[5]
    assert flat.zero_variance
    assert math.isnan(flat.skewness)
    assert "zero variance" in flat.flags


def test_correlations_match_np_corrcoef() -> None:
    r, rs, z = fixture()
    a = rm.audit(r, rs)
    res = rm.score(r, rs)
    for j, x in enumerate(a.indicators[:5]):
        want = np.corrcoef(z[:, j] if j != 4 else 1 - z[:, j], res.node(x.parent))[0, 1]
        assert x.r_parent == pytest.approx(want, abs=1e-12)
    for d in a.nodes:
        want = np.corrcoef(res.node(d.id), res.overall)[0, 1]
        assert d.parent == "overall"
        assert d.r_parent == pytest.approx(want, abs=1e-12)


def test_flags_near_duplicates_and_weak_or_undefined_correlations() -> None:
    r, rs, _ = fixture()
    a = rm.audit(r, rs)
    assert [(p.dimension, p.a, p.b) for p in a.duplicates] == [("access", "portal", "portal_copy")]
    assert a.duplicates[0].r > 0.92
    lines = a.flags()
    assert "indicator 'flat': zero variance" in lines
    assert any("near-duplicates" in line for line in lines)
    assert any(line.startswith("indicator 'flat': correlation with") for line in lines)


def test_negative_correlation_is_flagged() -> None:
    r = rm.Rubric(
        "neg",
        dimensions=[
            rm.Dimension("d", indicators=[rm.Indicator("a", weight=5), rm.Indicator("b", weight=1)])
        ],
    )
    rs = rm.ResponseSet.from_array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 1]], list("vwxyz"), r)
    a = rm.audit(r, rs)
    b = a.indicators[1]
    assert b.r_parent < 0
    assert any(f.startswith("negative correlation") for f in b.flags)


def test_cronbach_alpha_matches_the_hand_formula_on_complete_rows() -> None:
    r, rs, z = fixture()
    vals = np.array(rs.values, copy=True)
    vals[3, 0] = np.nan  # one missing answer: that row drops out of access's alpha
    rs = rm.ResponseSet.from_array(vals, rs.agencies, r)
    a = rm.audit(r, rs)
    access = next(d for d in a.nodes if d.id == "access")
    keep = np.ones(60, bool)
    keep[3] = False
    assert access.alpha_rows == 59
    assert access.items == 3
    assert access.alpha == pytest.approx(hand_alpha(z[keep][:, :3]), abs=1e-12)
    people = next(d for d in a.nodes if d.id == "people")
    zp = z[:, 3:6].copy()
    zp[:, 1] = 1 - zp[:, 1]
    assert people.alpha == pytest.approx(hand_alpha(zp), abs=1e-12)
    alpha, rows = cronbach_alpha(np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]]))
    assert rows == 3
    assert alpha == pytest.approx(hand_alpha(np.array([[1.0, 2], [2, 3], [3, 5]])))


def test_effective_weights_sum_to_one_for_arithmetic_parents() -> None:
    r, rs, z = fixture()
    a = rm.audit(r, rs)
    by_parent: dict[str, list[rm.analysis.audit.EffectiveWeight]] = {}
    for e in a.effective_weights:
        by_parent.setdefault(e.parent, []).append(e)
    assert set(by_parent) == {"access", "people", "overall"}
    for rows in by_parent.values():
        assert sum(e.nominal for e in rows) == pytest.approx(1.0)
        assert sum(e.effective for e in rows) == pytest.approx(1.0)
    access = {e.child: e for e in by_parent["access"]}
    assert access["portal"].nominal == pytest.approx(0.5)
    p = z[:, :3] @ [0.5, 0.25, 0.25]
    want = 0.5 * np.cov(z[:, 0], p, ddof=0)[0, 1] / np.var(p)
    assert access["portal"].effective == pytest.approx(want)
    people = {e.child: e for e in by_parent["people"]}
    assert people["flat"].effective == pytest.approx(0.0, abs=1e-12)


def test_helpers_on_degenerate_input() -> None:
    assert math.isnan(pearson(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0])))
    assert math.isnan(pearson(np.array([1.0, np.nan]), np.array([1.0, 2.0])))
    assert math.isnan(cronbach_alpha(np.array([[1.0], [2.0]]))[0])
    w = effective_weights(np.ones((3, 2)), np.ones(3), np.array([0.5, 0.5]))
    assert np.isnan(w).all()


def test_cli_prints_flags_and_tables(capsys: pytest.CaptureFixture[str]) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    assert main(["audit", "thai-dg-readiness-2016", str(demo_survey_path())]) == 0
    out = capsys.readouterr().out
    for title in ("Flags", "Indicators", "Nodes", "Effective weights", "alpha"):
        assert title in out
