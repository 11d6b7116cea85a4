"""Tests that kill the mutants mutation testing found alive in the scoring core (issue 12
item 15; docs/development.md says how to run mutmut)."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

import readiness_model as rm
from readiness_model.engine.classify import round_half_away


def one_dim(inds: list[rm.Indicator], agg: rm.Aggregation | None = None, **kw: object) -> rm.Rubric:
    return rm.Rubric("r", dimensions=[rm.Dimension("d", indicators=inds, aggregate=agg)], **kw)  # type: ignore[arg-type]


BINARY4 = [rm.Indicator(f"q{i}") for i in range(4)]  # scores 0, 25, 50, 75, 100 exactly


def answers(rubric: rm.Rubric, yes: list[int], periods: list[int]) -> rm.ResponseSet:
    values = [[1.0 if j < k else 0.0 for j in range(4)] for k in yes]
    agencies = [f"a{i}" for i in range(len(yes) // len(set(periods)))] * len(set(periods))
    return rm.ResponseSet.from_array(values, agencies, rubric, period=periods)


def test_band_upper_bounds_max_is_inclusive_and_below_exclusive() -> None:
    r = one_dim(
        BINARY4,
        bands=[
            rm.Band("top", range=rm.Range(min=100)),
            rm.Band("mid", range=rm.Range(above=25, max=75)),
            rm.Band("low", range=rm.Range(below=25)),
            rm.Band("other"),
        ],
    )
    res = rm.score(r, answers(r, [0, 1, 2, 3, 4], [1] * 5))
    assert list(res.band) == ["low", "other", "mid", "mid", "top"]


def test_trend_upper_bounds_max_is_inclusive_and_below_exclusive() -> None:
    r = one_dim(
        BINARY4,
        trend=[
            rm.TrendClass("small", change=rm.Range(min=0, below=25)),
            rm.TrendClass("big", change=rm.Range(min=25, max=50)),
            rm.TrendClass("other"),
        ],
    )
    res = rm.score(r, answers(r, [0, 0, 0, 0, 0, 1, 2, 3], [1] * 4 + [2] * 4))
    assert res.change.tolist()[4:] == [0.0, 25.0, 50.0, 75.0]
    assert list(res.trend)[4:] == ["small", "big", "big", "other"]


def test_the_error_policy_of_one_indicator_among_several() -> None:
    r = one_dim([rm.Indicator("a"), rm.Indicator("b", missing="error"), rm.Indicator("c")])
    ok = rm.score(r, rm.ResponseSet.from_array([[1, 1, np.nan]], ["y"], r, period=1))
    assert ok.overall.tolist() == [pytest.approx(200 / 3)]  # c's policy is the default (zero)
    with pytest.raises(rm.ResponseError) as info:
        rm.score(r, rm.ResponseSet.from_array([[1, np.nan, 1], [1, 1, np.nan]], ["x", "y"], r))
    (p,) = info.value.problems
    assert "'x'" in p.message
    assert "'b'" in p.message


def test_three_periods_change_from_the_previous_one_not_the_first() -> None:
    r = one_dim(BINARY4, trend=[rm.TrendClass("up", change=rm.Range(min=1)), rm.TrendClass("flat")])
    rs = rm.ResponseSet.from_array(
        [[1, 0, 0, 0], [1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 0, 0]],
        ["x", "x", "x", "y"],
        r,
        period=[2016, 2018, 2017, 2018],
    )
    res = rm.score(r, rs)
    assert res.change.tolist()[1:3] == [25.0, 25.0]
    assert math.isnan(res.change[0])
    assert math.isnan(res.change[3])
    assert list(res.trend) == [None, "up", "up", None]


def test_target_normalisation_at_and_below_the_population_minimum() -> None:
    r = one_dim(
        [rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("target", target=5))]
    )

    def scores(vals: list[float]) -> list[float]:
        rs = rm.ResponseSet.from_array([[v] for v in vals], ["x", "y"][: len(vals)], r, period=1)
        return rm.score(r, rs).indicator_scores.ravel().tolist()

    assert scores([3, 4]) == [0.0, 0.5]  # minimum below the target: the distance
    assert scores([5, 20]) == [1.0, 1.0]  # minimum at the target
    assert scores([10, 20]) == [1.0, 1.0]  # minimum above it
    assert scores([4, 4]) == [0.0, 0.0]  # no spread, below the target


def test_rank_in_a_population_of_one() -> None:
    r = one_dim([rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("rank"))])
    res = rm.score(r, rm.ResponseSet.from_array([[10.0]], ["x"], r, period=1))
    assert res.rank.tolist() == [1]
    assert res.indicator_scores.tolist() == [[0.5]]


@pytest.mark.parametrize(
    ("raw", "index"), [("2", 2.0), ("2.0", 2.0), (" 1 ", 1.0), (0, 0.0), ("All", 2.0)]
)
def test_an_ordinal_index_given_as_text(raw: object, index: float) -> None:
    assert rm.OrdinalScale(levels=("none", "some", "all")).parse(raw) == index


@pytest.mark.parametrize("raw", ["3", "-1", "1.5", "1_0", True, math.nan, "nan", ""])
def test_an_ordinal_index_out_of_range_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="0-based index"):
        rm.OrdinalScale(levels=("none", "some", "all")).parse(raw)


def test_a_one_level_ordinal_is_refused_at_its_levels() -> None:
    with pytest.raises(rm.RubricError, match="at least 2 levels") as info:
        rm.OrdinalScale(levels=("only",))
    assert info.value.problems[0].path == "$.levels"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("y", 1.0), ("Y", 1.0), ("t", 1.0), ("TRUE", 1.0), ("1", 1.0), ("1.0", 1.0),
     (" yes ", 1.0), ("n", 0.0), ("f", 0.0), ("False", 0.0), ("0", 0.0), ("0.0", 0.0),
     (1, 1.0), (0.0, 0.0), (True, 1.0)],
)  # fmt: skip
def test_the_yes_and_no_aliases(raw: object, stored: float) -> None:
    assert rm.BinaryScale().parse(raw) == stored


@pytest.mark.parametrize("raw", ["ja", "2", 2, 0.5, "", None, "yes no"])
def test_other_binary_answers_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="yes/no"):
        rm.BinaryScale().parse(raw)


def test_explain_a_power_mean_of_p_1_is_linear() -> None:
    r = one_dim([rm.Indicator("a"), rm.Indicator("b")], rm.Aggregation("power", p=1))
    e = rm.explain(rm.score(r, rm.ResponseSet.from_array([[1, 0]], ["x"], r, period=1)), "x")
    assert e.methods == {"d": "linear", "overall": "linear"}
    assert [c.contribution for c in e.contributions] == [50.0, 0.0]


def test_explain_shapley_with_a_zero_child() -> None:
    r = one_dim([rm.Indicator(i) for i in "abc"], rm.Aggregation("harmonic"))
    e = rm.explain(rm.score(r, rm.ResponseSet.from_array([[1, 0, 1]], ["x"], r, period=1)), "x")
    assert e.methods["d"] == "shapley-exact"
    by = [c.by_node["d"] for c in e.contributions]
    assert by == pytest.approx([100 / 3, -200 / 3, 100 / 3], abs=1e-9)
    assert math.fsum(by) == pytest.approx(0.0, abs=1e-9)


def test_explain_a_geometric_node_whose_children_are_all_full() -> None:
    r = rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension(
                "g",
                indicators=[rm.Indicator("a", weight=3), rm.Indicator("b")],
                aggregate=rm.Aggregation("geometric"),
            ),
            rm.Dimension("h", indicators=[rm.Indicator("c")]),
        ],
    )
    e = rm.explain(rm.score(r, rm.ResponseSet.from_array([[1, 1, 0]], ["x"], r, period=1)), "x")
    assert e.methods["g"] == "log-share"
    assert [c.by_node.get("g") for c in e.contributions] == [75.0, 25.0, None]
    assert [c.contribution for c in e.contributions] == [37.5, 12.5, 0.0]


@pytest.mark.parametrize(
    ("x", "decimals", "want"),
    [(74.124999, 2, 74.12), (2.4999, 0, 2.0), (2.5, 0, 3.0), (-2.5, 0, -3.0),
     (0.125, 2, 0.13), (1.005, 2, 1.01), (0.76605, 2, 0.77), (99.995, 2, 100.0),
     (12.3456789015, 9, 12.345678902), (0.0000123455, 9, 0.000012346),
     (123456.789015, 5, 123456.78902), (49.9999999994, 9, 49.999999999),
     (0.123456789049, 10, 0.123456789), (51.2345678949, 9, 51.234567895),
     (-0.0, 2, 0.0), (1e-320, 2, 0.0)],
)  # fmt: skip
def test_round_half_away_precision(x: float, decimals: int, want: float) -> None:
    got = round_half_away(np.array([x]), decimals)[0]
    assert got == want
    assert math.copysign(1.0, got) == math.copysign(1.0, want)


def test_the_all_dimensions_gate_skips_only_dimensions_that_do_not_apply() -> None:
    r = rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension("a", indicators=[rm.Indicator("qa")]),
            rm.Dimension("b", indicators=[rm.Indicator("qb"), rm.Indicator("qc")]),
        ],
        bands=[rm.Band("top", range=rm.Range(min=40), all_dimensions=60), rm.Band("rest")],
    )
    rows = [
        {"agency": "x", "period": 1, "qa": "yes", "qb": "n/a", "qc": "n/a"},  # b does not apply
        {"agency": "y", "period": 1, "qa": "yes", "qb": "yes", "qc": "no"},  # b = 50 < 60
        {"agency": "z", "period": 1, "qa": "yes", "qb": "yes", "qc": "yes"},
    ]
    res = rm.score(r, rm.ResponseSet.from_records(rows, r))
    assert list(res.band) == ["top", "rest", "top"]


def test_competition_ranks_each_draw_alone_within_groups_and_nan_is_unranked() -> None:
    from readiness_model.engine.classify import competition_rank

    score = np.array([[3.0, 5.0, 5.0, np.nan, 1.0], [1.0, 2.0, 3.0, 4.0, 0.0]])
    eligible = np.array([True, True, True, True, False])
    got = competition_rank(score, eligible, [np.arange(5)])
    assert got.tolist() == [[3, 1, 1, 0, 0], [4, 3, 2, 1, 0]]
    got = competition_rank(score, eligible, [np.array([0, 1]), np.array([2, 3, 4])])
    assert got.tolist() == [[2, 1, 1, 0, 0], [2, 1, 2, 1, 0]]


def test_band_gates_are_all_required() -> None:
    r = rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension("a", indicators=[rm.Indicator(f"a{i}") for i in range(4)]),
            rm.Dimension("b", indicators=[rm.Indicator(f"b{i}") for i in range(4)], weight=1),
        ],
        bands=[
            rm.Band("top", range=rm.Range(min=80), all_dimensions=60),
            rm.Band("covered", range=rm.Range(min=30), min_coverage=0.5),
            rm.Band("rest"),
        ],
    )

    res = rm.score(
        r,
        rm.ResponseSet.from_array(
            [
                [1, 1, 1, 0, 1, 1, 1, 0],  # 75, both dims 75: the minimum 80 fails
                [1, 1, 1, 1, 1, 1, 1, 0],  # 87.5 with b 75: top
                [1, 1, 1, 1, 1, 0, 0, 0],  # 62.5, b 25 < 60: not top; covered
                [1, 1, 1, 1, np.nan, np.nan, np.nan, np.nan],  # coverage 0.5 exactly
                [1, 1, 1, np.nan, np.nan, np.nan, np.nan, np.nan],  # 37.5, coverage 3/8
                [0, 0, 0, 0, 0, 0, 0, 1],  # 12.5: coverage full, score low
            ],
            list("uvwxyz"),
            r,
            period=1,
        ),
    )
    assert res.coverage.tolist()[3:5] == [0.5, 0.375]
    assert list(res.band) == ["covered", "top", "covered", "covered", "rest", "rest"]


def test_reported_scores_use_the_rubric_scale() -> None:
    r = rm.Rubric("r", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])], scale=(1, 7))
    res = rm.score(r, rm.ResponseSet.from_array([[1.0], [0.0]], ["x", "y"], r, period=1))
    assert res.overall.tolist() == [7.0, 1.0]


def test_round_half_away_keeps_large_numbers_whole() -> None:
    got = round_half_away(np.array([1234567890123456.0, -98765432109876.0]), 0)
    assert got.tolist() == [1234567890123456.0, -98765432109876.0]


def test_the_all_dimensions_gate_holds_back_a_high_overall() -> None:
    r = rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension("a", indicators=[rm.Indicator("a0")], weight=3),
            rm.Dimension("b", indicators=[rm.Indicator(f"b{i}") for i in range(4)]),
        ],
        bands=[rm.Band("top", range=rm.Range(min=80), all_dimensions=60), rm.Band("rest")],
    )
    rs = rm.ResponseSet.from_array(
        [[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], ["half-b", "three-quarter-b"], r, period=1
    )
    res = rm.score(r, rs)
    assert res.overall.tolist() == [87.5, 93.75]
    assert list(res.band) == ["rest", "top"]


def test_a_group_without_eligible_rows_does_not_stop_the_ranking() -> None:
    from readiness_model.engine.classify import competition_rank

    score = np.array([5.0, 7.0, 6.0])
    eligible = np.array([False, True, True])
    got = competition_rank(score, eligible, [np.array([0]), np.array([1, 2])])
    assert got.tolist() == [0, 1, 2]


def test_a_group_needs_both_its_band_and_its_trend() -> None:
    r = one_dim(
        BINARY4,
        bands=[rm.Band("high", range=rm.Range(min=50)), rm.Band("low")],
        trend=[rm.TrendClass("up", change=rm.Range(min=1)), rm.TrendClass("flat")],
        groups=[rm.Group("leaders", bands=("high",), trend=("up",))],
    )
    res = rm.score(r, answers(r, [0, 0, 2, 2, 3, 1, 3, 2], [1] * 4 + [2] * 4))
    assert list(res.band)[4:] == ["high", "low", "high", "high"]
    assert list(res.trend)[4:] == ["up", "up", "up", "flat"]
    assert list(res.group)[4:] == ["leaders", None, "leaders", None]


def test_round_half_away_of_mixed_magnitudes_and_a_negative_zero() -> None:
    got = round_half_away(np.array([0.76605, 74.124999, -0.001, 1234.56785, np.nan]), 2)
    assert got[:4].tolist() == [0.77, 74.12, 0.0, 1234.57]
    assert math.copysign(1.0, got[2]) == 1.0  # not -0.0
    assert math.isnan(got[4])


# -- survivors of the round-two mutation run (engine, scales, explain) ----------------------


def test_an_ordinal_index_written_with_an_underscore_is_not_a_number() -> None:
    from readiness_model.model.scales._common import as_index

    assert as_index("1_0", 12) is None  # float("1_0") would be 10
    assert as_index(" 10 ", 12) == 10
    assert as_index([1], 12) is None
    assert as_index(True, 12) is None
    assert as_index(12, 12) is None
    assert as_index(11.0, 12) == 11


def test_given_statistics_refuse_an_unknown_name_and_read_only_what_was_given() -> None:
    from readiness_model.engine.stats import ColumnStats

    with pytest.raises(ValueError, match="not a column statistic: median, mode"):
        ColumnStats.given(min=np.array([1.0]), mode=1, median=2)
    st = ColumnStats.given(min=np.array([1.0]), max=np.array([3.0]))
    assert st.offers == ("min", "max")
    assert st.max.tolist() == [3.0]


def test_weakest_lists_three_by_default_and_counts_a_missing_answer_as_zero() -> None:
    inds = [rm.Indicator(f"q{i}", weight=w) for i, w in enumerate([1, 2, 3, 4, 5])]
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=inds)])
    res = rm.score(
        r,
        rm.ResponseSet.from_records(
            [{"agency": "x", "period": 1, "q0": "no", "q1": "yes", "q2": "no", "q3": "yes"}],
            r,
        ),
    )
    weak = rm.explain(res, "x").weakest()
    assert len(weak) == 3
    # q4 unanswered (room = its whole weight 5/15), then q2 (3/15), then q0 (1/15)
    assert [c.indicator for c in weak] == ["q4", "q2", "q0"]


def test_tied_last_counts_ranked_rows_per_draw() -> None:
    from readiness_model.engine.classify import tied_last

    rank = np.array([[2, 1, 0, 0], [1, 0, 0, 0]])  # two draws
    rows = np.array([False, False, True, True])
    out = tied_last(rank, rows, [np.arange(4)])
    assert out.tolist() == [[2, 1, 3, 3], [1, 0, 2, 2]]


def test_each_scale_says_what_it_accepts_in_words() -> None:
    assert rm.BinaryScale().expected() == "yes/no (also true/false, 1/0)"
    assert rm.NumericScale().expected() == "a finite number"
    assert rm.NumericScale(unit="km").expected() == "a finite number (km)"
    assert rm.NumericScale(goalposts=(0, 10), unit="%").expected() == "a finite number (%)"
    assert (
        rm.NumericScale(goalposts=(0, 10), clamp=False, unit="%").expected()
        == "a number in [0, 10] (%)"
    )
    assert rm.NumericScale(goalposts=(2, 7.5), clamp=False).expected() == "a number in [2, 7.5]"
    assert (
        rm.OrdinalScale(levels=["none", "some"]).expected()
        == "one of 'none', 'some' (or its 0-based index)"
    )


def test_power_mean_attribution_by_exponent() -> None:
    from readiness_model.engine.aggregations import _power_split

    x, w = np.array([0.5, 0.25]), np.ones(2)
    linear, how = _power_split(x, w, 0.375, seed=0, p=1.0)
    assert linear.tolist() == [0.25, 0.125]
    assert how != "log-share"
    _, how0 = _power_split(x, w, 0.3536, seed=0, p=0.0)
    assert how0 == "log-share"


def test_log_share_of_a_zero_child_and_of_all_ones() -> None:
    from readiness_model.engine.attribution import log_share

    zero, _ = log_share(np.array([0.0, 0.5]), np.ones(2), 0.4)
    assert zero.tolist() == [0.0, 0.0]
    ones, _ = log_share(np.array([1.0, 1.0]), np.array([1.0, 3.0]), 0.8)
    np.testing.assert_allclose(ones, [0.2, 0.6])
    assert ones.sum() == pytest.approx(0.8)


def test_shapley_uses_the_exponent_seed_and_samples_it_is_given() -> None:
    from readiness_model.analysis.explain import shapley

    v, s = np.array([1.0, 0.2, 0.6]), np.array([1.0, 2.0, 1.0])
    p1, exact = shapley(v, s, "power")
    assert exact
    np.testing.assert_allclose(p1, shapley(v, s, "arithmetic")[0])  # p = 1: arithmetic
    assert p1.sum() == pytest.approx(float(v @ s / s.sum()))
    p3, _ = shapley(v, s, "power", p=3.0)
    mean3 = float((s / s.sum()) @ v**3) ** (1 / 3)
    assert p3.sum() == pytest.approx(mean3)
    assert not np.allclose(p3, p1)
    many, w = np.linspace(0.05, 1.0, 14), np.ones(14)  # above the exact limit: sampled
    a, exact = shapley(many, w, "harmonic")
    assert not exact
    np.testing.assert_array_equal(a, shapley(many, w, "harmonic", seed=0)[0])
    assert not np.array_equal(a, shapley(many, w, "harmonic", seed=5)[0])
    assert not np.array_equal(a, shapley(many, w, "harmonic", samples=7)[0])


def test_a_scale_class_states_its_contract_when_it_is_defined() -> None:
    from readiness_model.model.scales._base import Scale

    class Base(Scale, abstract=True):  # a shared base: no type, nothing checked
        pass

    assert Base.__dict__["_abstract_scale"] is True
    with pytest.raises(TypeError, match="must set 'type' to a name"):

        class NoType(Base):
            continuous = False

    with pytest.raises(TypeError, match=r"must set 'type' to a name \(got '1x'\)"):

        class BadType(Base):
            type = "1x"

    with pytest.raises(TypeError, match="must set 'continuous' to True or False"):

        class NoContinuous(Base):
            type = "halfway"

    with pytest.raises(
        TypeError, match="scale class Lazy does not implement parse, expected, written"
    ):

        class Lazy(Base):
            type = "lazy"
            continuous = True

    class Concrete(Base):  # not abstract itself: its subclasses are checked too
        type = "concrete"
        continuous = True
        parse = expected = written = valid = engine_form = stored_values = answers = (
            lambda self, *a: None
        )

    assert "_abstract_scale" not in Concrete.__dict__
    with pytest.raises(TypeError, match="must set 'continuous'"):

        class Child(Concrete):
            continuous = None  # type: ignore[assignment]


def test_a_checklist_stores_the_bit_masks_of_its_first_k_items() -> None:
    assert rm.ChecklistScale(items=["a", "b", "c"]).stored_values() == [0.0, 1.0, 3.0, 7.0]


def test_significant_keeps_twelve_digits_and_rounds_big_values_to_whole_numbers() -> None:
    from readiness_model.engine.classify import significant

    assert significant(np.array([123456.78901234]))[0] == 123456.789012
    assert significant(np.array([1234567890123.4]))[0] == 1234567890123.0
    assert significant(np.array([0.1 + 0.2]))[0] == 0.3


def test_the_maximum_alone_is_computed_when_only_it_is_offered() -> None:
    from readiness_model.engine.stats import ColumnStats

    st = ColumnStats(np.array([[1.0, np.nan], [3.0, 2.0]]), offers=("max",))
    assert st.max.tolist() == [3.0, 2.0]


def test_a_not_assessed_agency_explains_each_answer_with_its_status_and_advice() -> None:
    inds = [
        rm.Indicator("a", remediation="Publish the plan"),
        rm.Indicator("b"),
        rm.Indicator("c"),
    ]
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=inds)])
    rs = rm.ResponseSet.from_records(
        [{"agency": "x", "period": 1, "a": "yes", "b": "n/a", "assessed": "no"}], r
    )
    ex = rm.explain(rm.score(r, rs), "x")
    got = {c.indicator: (c.status, c.remediation) for c in ex.contributions}
    assert got == {
        "a": ("answered", "Publish the plan"),
        "b": ("not_applicable", ""),
        "c": ("missing", ""),
    }


def _coverage_rubric() -> rm.Rubric:
    return rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension("d", indicators=[rm.Indicator("a"), rm.Indicator("b")], min_coverage=0.9),
            rm.Dimension("e", indicators=[rm.Indicator("c")]),
        ],
        defaults=rm.Defaults(missing="reweight"),
    )


def test_a_node_without_a_score_gives_its_answered_children_no_contribution() -> None:
    r = _coverage_rubric()
    rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes", "c": "yes"}], r)
    ex = rm.explain(rm.score(r, rs), "x")
    got = {c.indicator: c.contribution for c in ex.contributions}
    assert got == {"a": 0.0, "b": 0.0, "c": 100.0}


def test_results_read_back_without_answers_explain_the_same_contributions() -> None:
    r = _coverage_rubric()
    rs = rm.ResponseSet.from_records(
        [{"agency": "x", "period": 1, "a": "yes", "b": "no", "c": "yes"}], r
    )
    res = rm.score(r, rs)
    back = attrs.evolve(res, responses=None)  # as from a results file without answers
    a, b = rm.explain(res, "x"), rm.explain(back, "x")
    assert [c.contribution for c in a.contributions] == [c.contribution for c in b.contributions]
    assert [c.status for c in b.contributions] == ["answered", "answered", "answered"]


def test_explain_names_a_wrong_argument() -> None:
    with pytest.raises(TypeError, match="'results'"):
        rm.explain("not results", "x")  # type: ignore[arg-type]


def test_a_population_of_another_rubric_is_refused_naming_both_hashes() -> None:
    r = _coverage_rubric()
    other = attrs.evolve(r, version="2")
    rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes", "c": "yes"}], r)
    pop = rm.population(r, rs)
    with pytest.raises(rm.ReadinessError) as info:
        rm.score(other, rs, population=pop)
    (p,) = info.value.problems
    assert p.message == (
        f"the population was computed with rubric t 1 (sha256 {r.content_hash[:12]}…), "
        f"not with t 2 (sha256 {other.content_hash[:12]}…)"
    )
    assert p.hint == "compute the population with this rubric: rm.population(rubric, round_answers)"


def test_explain_names_a_wrong_agency_argument() -> None:
    r = _coverage_rubric()
    rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes", "c": "yes"}], r)
    with pytest.raises(TypeError, match="'agency'"):
        rm.explain(rm.score(r, rs), 5)  # type: ignore[arg-type]
