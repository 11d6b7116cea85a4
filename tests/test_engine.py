"""Hand-computed golden tests of the scoring engine (formulas: docs/methodology.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.engine.classify import round_half_away

B = rm.BinaryScale()


def design_rubric(missing: str = "zero") -> rm.Rubric:
    """The worked example of DESIGN.md."""
    return rm.Rubric(
        "design-example",
        defaults=rm.Defaults(missing=missing),
        dimensions=[
            rm.Dimension(
                "access",
                weight=1,
                indicators=[
                    rm.Indicator("portal", weight=1),
                    rm.Indicator("uptime", weight=1, scale=rm.NumericScale(goalposts=(90, 100))),
                ],
            ),
            rm.Dimension(
                "people",
                weight=3,
                indicators=[
                    rm.Indicator(
                        "training",
                        weight=2,
                        scale=rm.OrdinalScale(levels=["none", "some", "most", "all"]),
                    ),
                    rm.Indicator(
                        "skills",
                        weight=1,
                        scale=rm.ChecklistScale(items=["cloud", "data", "security", "design"]),
                    ),
                ],
            ),
        ],
    )


X = {
    "agency": "X",
    "period": 2016,
    "portal": "yes",
    "uptime": 97.5,
    "training": "most",
    "skills": "cloud|data",
}
Y = {
    "agency": "Y",
    "period": 2016,
    "portal": "yes",
    "uptime": "",
    "training": "n/a",
    "skills": ["cloud"],
}


@pytest.mark.parametrize(
    ("missing", "access", "people", "overall"),
    [
        ("reweight", 100.0, 25.0, 43.75),
        ("zero", 50.0, 25.0, 31.25),
    ],
)
def test_design_worked_example(missing: str, access: float, people: float, overall: float) -> None:
    """The table of DESIGN.md reproduces for both missing-answer policies."""
    r = design_rubric(missing)
    res = rm.score(r, rm.ResponseSet.from_records([X, Y], r))
    assert res.node("access")[0] == pytest.approx(87.5)
    assert res.node("people")[0] == pytest.approx((2 * 2 / 3 + 0.5) / 3 * 100)
    assert res.overall[0] == pytest.approx((87.5 + 3 * 61.111111111) / 4, abs=1e-6)
    assert res.node("access")[1] == pytest.approx(access)
    assert res.node("people")[1] == pytest.approx(people)
    assert res.overall[1] == pytest.approx(overall)
    assert res.node_coverage[1, 0] == pytest.approx(0.5)
    assert res.node_coverage[1, 1] == pytest.approx(1.0)


def test_missing_error_policy_names_agency_and_indicator() -> None:
    """`missing: error` refuses unanswered indicators and says which."""
    r = design_rubric("error")
    with pytest.raises(rm.ResponseError, match=r"'Y'.*'uptime'"):
        rm.score(r, rm.ResponseSet.from_records([X, Y], r))


def one_dim(*inds: rm.Indicator, **node: object) -> rm.Rubric:
    return rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=list(inds), **node)])


def scores(r: rm.Rubric, records: list[dict[str, object]]) -> np.ndarray:
    for i, rec in enumerate(records):
        rec.setdefault("agency", f"a{i}")
        rec.setdefault("period", 1)
    return rm.score(r, rm.ResponseSet.from_records(records, r)).indicator_scores[:, 0]


def num(method: str, **kw: object) -> rm.Indicator:
    target = kw.pop("target", None)
    return rm.Indicator(
        "x", scale=rm.NumericScale(), normalize=rm.Normalization(method, target=target), **kw
    )  # type: ignore[arg-type]


VALUES = [{"x": v} for v in (10.0, 20.0, 20.0, 50.0)]


def test_goalposts_clamp_and_direction() -> None:
    r = one_dim(rm.Indicator("x", scale=rm.NumericScale(goalposts=(0, 40))))
    assert scores(r, [{"x": v} for v in (-5, 10, 40, 90)]).tolist() == [0, 0.25, 1, 1]
    r = one_dim(
        rm.Indicator("x", scale=rm.NumericScale(goalposts=(0, 40)), direction="lower_is_better")
    )
    assert scores(r, [{"x": v} for v in (-5, 10, 40, 90)]).tolist() == [1, 0.75, 0, 0]


def test_minmax_and_zscore() -> None:
    expected = [0.0, 0.25, 0.25, 1.0]
    assert scores(one_dim(num("minmax")), [dict(v) for v in VALUES]).tolist() == expected
    got = scores(one_dim(num("zscore")), [dict(v) for v in VALUES])
    np.testing.assert_allclose(got, expected, atol=1e-15)
    low = scores(one_dim(num("minmax", direction="lower_is_better")), [dict(v) for v in VALUES])
    assert low.tolist() == [1.0, 0.75, 0.75, 0.0]


def test_rank_and_percentile() -> None:
    # ascending ranks with ties sharing the lowest: 1, 2, 2, 4 -> (r-1)/(n-1)
    got = scores(one_dim(num("rank")), [dict(v) for v in VALUES])
    np.testing.assert_allclose(got, [0, 1 / 3, 1 / 3, 1])
    # mid-rank percentile: (below + 0.5 * equal) / n
    got = scores(one_dim(num("percentile")), [dict(v) for v in VALUES])
    np.testing.assert_allclose(got, [0.125, 0.5, 0.5, 0.875])


def test_distance_to_target() -> None:
    got = scores(one_dim(num("target", target=30.0)), [dict(v) for v in VALUES])
    np.testing.assert_allclose(got, [0, 0.5, 0.5, 1])


def test_population_statistics_per_period_and_members_only() -> None:
    """Population-relative methods use each period's population; others are clamped."""
    r = rm.Rubric(
        "t", population={"member": True}, dimensions=[rm.Dimension("d", indicators=[num("minmax")])]
    )
    recs = [
        {"agency": "a", "period": 1, "x": 0, "member": "true"},
        {"agency": "b", "period": 1, "x": 10, "member": "true"},
        {"agency": "c", "period": 1, "x": 20, "member": "false"},
        {"agency": "a", "period": 2, "x": 100, "member": "true"},
        {"agency": "b", "period": 2, "x": 300, "member": "true"},
    ]
    res = rm.score(r, rm.ResponseSet.from_records(recs, r))
    assert res.indicator_scores[:, 0].tolist() == [0.0, 1.0, 1.0, 0.0, 1.0]
    assert res.rank.tolist() == [2, 1, 0, 2, 1]


def agg_rubric(method: str, p: float | None = None) -> rm.Rubric:
    return rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                aggregate=rm.Aggregation(method, p=p),
                indicators=[
                    rm.Indicator("a", weight=1, scale=rm.NumericScale(goalposts=(0, 1))),
                    rm.Indicator("b", weight=3, scale=rm.NumericScale(goalposts=(0, 1))),
                ],
            )
        ],
    )


@pytest.mark.parametrize(
    ("method", "p", "expected"),
    [
        ("arithmetic", None, (0.25 * 1 + 3 * 0.64) / 4),
        ("geometric", None, math.exp((math.log(0.25) + 3 * math.log(0.64)) / 4)),
        ("harmonic", None, 4 / (1 / 0.25 + 3 / 0.64)),
        ("power", 2.0, math.sqrt((0.25**2 + 3 * 0.64**2) / 4)),
        ("power", -1.0, 4 / (1 / 0.25 + 3 / 0.64)),
        ("power", 1.0, (0.25 + 3 * 0.64) / 4),
        ("minimum", None, 0.25),
    ],
)
def test_aggregations(method: str, p: float | None, expected: float) -> None:
    r = agg_rubric(method, p)
    res = rm.score(
        r, rm.ResponseSet.from_records([{"agency": "a", "period": 1, "a": 0.25, "b": 0.64}], r)
    )
    assert res.overall_exact[0] == pytest.approx(100 * expected, rel=1e-12)


@pytest.mark.parametrize("method", ["geometric", "harmonic"])
def test_zero_child_makes_geometric_and_harmonic_zero(method: str) -> None:
    r = agg_rubric(method)
    res = rm.score(
        r, rm.ResponseSet.from_records([{"agency": "a", "period": 1, "a": 0, "b": 0.64}], r)
    )
    assert res.overall[0] == 0.0


def test_min_coverage_reports_node_missing() -> None:
    r = rm.Rubric(
        "t",
        defaults=rm.Defaults(missing="reweight"),
        dimensions=[
            rm.Dimension(
                "d1", min_coverage=0.75, indicators=[rm.Indicator("a"), rm.Indicator("b")]
            ),
            rm.Dimension("d2", indicators=[rm.Indicator("c")]),
        ],
    )
    res = rm.score(
        r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes", "c": "no"}], r)
    )
    assert math.isnan(res.node("d1")[0])
    assert res.node_coverage[0, 0] == 0.5
    assert res.overall[0] == 0.0  # d1 dropped (reweight), d2 = 0
    assert res.coverage[0] == pytest.approx(0.75)


def test_not_applicable_everywhere_drops_the_node() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension("d1", indicators=[rm.Indicator("a")]),
            rm.Dimension("d2", indicators=[rm.Indicator("b")]),
        ],
    )
    res = rm.score(
        r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "n/a", "b": "yes"}], r)
    )
    assert res.overall[0] == 100.0
    assert math.isnan(res.node("d1")[0])


def test_rescale_minmax_after_aggregation() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                rescale="minmax",
                indicators=[rm.Indicator("a", scale=rm.NumericScale(goalposts=(0, 10)))],
            )
        ],
    )
    res = rm.score(
        r,
        rm.ResponseSet.from_records(
            [{"agency": k, "period": 1, "a": v} for k, v in (("x", 2), ("y", 4), ("z", 6))], r
        ),
    )
    np.testing.assert_allclose(res.overall, [0.0, 50.0, 100.0], atol=1e-12)


def band_rubric() -> rm.Rubric:
    return rm.Rubric(
        "t",
        rounding=2,
        dimensions=[
            rm.Dimension(
                "d1", indicators=[rm.Indicator("a", scale=rm.NumericScale(goalposts=(0, 100)))]
            ),
            rm.Dimension(
                "d2", indicators=[rm.Indicator("b", scale=rm.NumericScale(goalposts=(0, 100)))]
            ),
        ],
        bands=[
            rm.Band("top", range=rm.Range(min=80), all_dimensions=70),
            rm.Band("mid", range=rm.Range(min=50), dimensions={"d1": 60}),
            rm.Band("low"),
        ],
        trend=[rm.TrendClass("up", change=rm.Range(min=5)), rm.TrendClass("flat")],
        groups=[rm.Group("developed", bands=["top", "mid"], trend=["up"]), rm.Group("other")],
    )


def test_bands_gates_trend_groups_and_ranks() -> None:
    r = band_rubric()
    recs = [
        {"agency": "p", "period": 2015, "a": 90, "b": 60},  # 75 -> mid
        {"agency": "p", "period": 2016, "a": 95, "b": 75},  # 85, all dims >= 70 -> top
        {"agency": "q", "period": 2016, "a": 55, "b": 100},  # 77.5 but d1 < 60 -> low
        {"agency": "s", "period": 2016, "a": 100, "b": 70},  # 85 -> top, tie with p
    ]
    res = rm.score(r, rm.ResponseSet.from_records(recs, r))
    assert res.band == ("mid", "top", "low", "top")
    assert res.trend == (None, "up", None, None)
    assert res.group == ("other", "developed", "other", "other")
    assert res.rank.tolist() == [1, 1, 3, 1]
    assert res.change[1] == 10.0


def test_ranks_use_rounded_scores() -> None:
    """Scores equal after rounding share a rank ("1224")."""
    r = rm.Rubric(
        "t",
        scale=(0, 1),
        rounding=4,
        dimensions=[
            rm.Dimension(
                "d", indicators=[rm.Indicator("a", scale=rm.NumericScale(goalposts=(0, 1)))]
            )
        ],
    )
    vals = [0.91234, 0.91236, 0.9, 0.91226]
    res = rm.score(
        r,
        rm.ResponseSet.from_records(
            [{"agency": f"a{i}", "period": 1, "a": v} for i, v in enumerate(vals)], r
        ),
    )
    assert res.overall.tolist() == [0.9123, 0.9124, 0.9, 0.9123]
    assert res.rank.tolist() == [2, 1, 4, 2]


def test_round_half_away_from_zero_on_decimal_halves() -> None:
    got = round_half_away(np.array([0.12345, 0.5, 1.5, 2.675, -2.675, np.nan]), 2)
    np.testing.assert_array_equal(got[:5], [0.12, 0.5, 1.5, 2.68, -2.68])
    assert math.isnan(got[5])


def test_round_half_away_rounds_once_not_twice() -> None:
    """Issue 12 item 1: a value just below a half is not first rounded up to the half
    (docs §7: 12 significant digits, then half away from zero)."""
    assert round_half_away(np.array([74.124999]), 2).tolist() == [74.12]
    assert round_half_away(np.array([2.4999, -2.4999]), 0).tolist() == [2.0, -2.0]
    assert round_half_away(np.array([0.76604999, 1.2345499999]), 4).tolist() == [0.766, 1.2345]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**6), 10**6),
    st.integers(0, 4),
    st.sampled_from([0.0, 1e-3, -1e-3, 1e-4, -1e-4, 1e-6, -1e-6, 0.25, -0.25]),
)
def test_round_half_away_agrees_with_decimal_rounding(k: int, decimals: int, off: float) -> None:
    """The engine's rounding is the reference's (decimal) rounding of docs §7, also at
    and just beside a half of the last decimal."""
    from reference_scorer import round_reported

    x = (k + 0.5 + off) / 10.0**decimals
    got = round_half_away(np.array([x]), decimals).tolist()[0]
    assert got == round_reported(x, decimals)


def test_explicit_values_for_ordinal_choice_and_checklist() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator(
                        "o", scale=rm.OrdinalScale(levels=["a", "b", "c"], values=[0, 0.25, 1])
                    ),
                    rm.Indicator("c", scale=rm.ChoiceScale(options=["x", "y"], values=[0.7, 0.2])),
                    rm.Indicator(
                        "k",
                        scale=rm.ChecklistScale(items=["p", "q", "r"], values=[0.5, 0.75, 0.25]),
                    ),
                ],
            )
        ],
    )
    res = rm.score(
        r,
        rm.ResponseSet.from_records(
            [{"agency": "a", "period": 1, "o": "b", "c": "x", "k": "p|q"}], r
        ),
    )
    assert res.indicator_scores[0].tolist() == [0.25, 0.7, 1.0]


def test_results_records_and_json_round_trip() -> None:
    r = design_rubric("reweight")
    res = rm.score(r, rm.ResponseSet.from_records([X, Y], r))
    recs = res.to_records()
    assert recs[0]["agency"] == "X"
    assert recs[0]["rank"] == 1
    assert set(recs[0]) >= {
        "agency",
        "period",
        "overall",
        "band",
        "trend",
        "rank",
        "coverage",
        "access",
        "people",
    }
    back = rm.Results.from_json(res.to_json())
    assert back.equals(res)
    assert back.to_json() == res.to_json()
    assert res.provenance.rubric_sha256 == r.content_hash
    csv_back = rm.Results.from_csv(res.to_csv(), rubric=r)
    assert csv_back.equals(res)
    assert csv_back.to_csv() == res.to_csv()
    assert "<table" in res._repr_html_()


def test_agency_result() -> None:
    r = design_rubric("zero")
    res = rm.score(r, rm.ResponseSet.from_records([X, Y], r))
    a = res.agency("Y", period=2016)
    assert a.overall == 31.25
    assert a.answers["training"] == "n/a"
    assert a.answers["uptime"] is None
    assert a.dimensions["access"] == 50.0
    with pytest.raises(rm.ResponseError, match="no agency 'x2'"):
        res.agency("x2")


def test_responses_for_another_rubric_are_refused() -> None:
    r = design_rubric()
    other = one_dim(rm.Indicator("q"))
    rs = rm.ResponseSet.from_records([{"agency": "a", "period": 1, "q": "yes"}], other)
    with pytest.raises(rm.ResponseError, match="other indicators"):
        rm.score(r, rs)


def test_a_subnormal_score_does_not_poison_a_sibling_nodes_harmonic_mean() -> None:
    """1/s of a subnormal score overflows; the zero weight it has in a sibling node's
    column must not turn that sibling's harmonic (or p < 0 power) mean into NaN."""
    for agg in ("harmonic", "{power: -2}"):
        r = rm.Rubric.from_yaml(
            f"rubric: sub\ndefaults: {{aggregate: {agg}}}\ndimensions:\n"
            "  - id: d1\n    indicators:\n      - {id: a, scale: {type: binary}}\n"
            "  - id: d2\n    indicators:\n"
            "      - {id: c, scale: {type: choice, options: [none, tiny], values: [0, 5.0e-324]}}\n"
        )
        res = rm.score(
            r, rm.ResponseSet.from_records([{"agency": "x", "a": "yes", "c": "tiny"}], r, period=1)
        )
        assert res.node_exact[0].tolist()[0] == 100.0
        assert 0.0 <= res.node_exact[0, 1] < 1e-100  # ~0: the capped reciprocal


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 7),
    st.integers(1, 6),
    st.integers(1, 4),
    st.integers(1, 5),
    st.integers(0, 2**32 - 1),
)
def test_weigh_is_the_matrix_product_of_every_draw(
    n: int, c: int, g: int, d: int, seed: int
) -> None:
    """Draws laid side by side give each draw's own product (one BLAS call for all)."""
    from readiness_model.engine.children import weigh

    rng = np.random.default_rng(seed)
    x, w = rng.uniform(size=(n, c)), rng.uniform(size=(d, c, g))
    got = weigh(x, w)
    assert got.shape == (d, n, g)
    for k in range(d):
        np.testing.assert_allclose(got[k], x @ w[k], rtol=1e-13, atol=0)
    np.testing.assert_array_equal(weigh(x, w[0]), x @ w[0])


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 40),
    st.integers(1, 16),
    st.integers(1, 3),
    st.integers(1, 5),
    st.sampled_from(["rows", "draws", "none"]),
    st.integers(0, 6),
    st.integers(0, 2**32 - 1),
)
def test_weigh_few_children_sums_child_by_child_in_any_layout_or_block(
    n: int, c: int, g: int, d: int, layout: str, block: int, seed: int
) -> None:
    """With draws and at most FEW children the sum is taken child by child in their
    order, bit for bit, whatever the layout of the values (draws side by side, rows
    side by side, no draw axis), the block of rows summed at a time, and the number
    of draws (each draw alone gives the same bits)."""
    from readiness_model.engine import children

    rng = np.random.default_rng(seed)
    if layout == "none":
        x = rng.uniform(size=(n, c))
    elif layout == "draws":  # a row's draws side by side (a wide product's output)
        x = rng.uniform(size=(n, d, c)).transpose(1, 0, 2)
    else:
        x = rng.uniform(size=(d, n, c))
    w = rng.uniform(size=(d, c, g))
    want = x[..., :, :1] * w[..., :1, :]
    for j in range(1, c):
        want = want + x[..., :, j : j + 1] * w[..., j : j + 1, :]
    old = children._FEW_BLOCK_BYTES
    children._FEW_BLOCK_BYTES = 8 * c * d * g * block if block else old
    try:
        got = children.weigh(x, w)
        alone = [children.weigh(x if x.ndim == 2 else x[k : k + 1], w[k : k + 1]) for k in range(d)]
    finally:
        children._FEW_BLOCK_BYTES = old
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.concatenate(alone), want)


def test_weigh_few_children_keeps_the_dtype_of_the_products() -> None:
    """Review finding: the blocked sum allocated float64 whatever ``x * w`` holds (a
    plug-in aggregation may feed float32 or complex values)."""
    from readiness_model.engine.children import weigh

    x, w = np.ones((3, 4, 2), np.float32), np.ones((3, 2, 1), np.float32)
    assert weigh(x, w).dtype == np.float32
    assert weigh(x, np.ones((3, 2, 2), np.float32)).dtype == np.float32
    got = weigh(np.ones((3, 4, 2), complex), np.ones((3, 2, 1)))
    assert got.dtype == complex
    assert (got == 2).all()
