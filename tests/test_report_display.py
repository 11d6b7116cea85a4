"""What the report writes: years in the era of its language, targets rounded so they reach."""

from __future__ import annotations

import math
import re
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.report import radar_svg, render_report, summary_table
from readiness_model.report.cards import agency_html
from readiness_model.report.era import Years
from readiness_model.report.targets import answer_text, round_toward, threshold_text
from readiness_model.report.view import plans_for


@pytest.fixture(scope="module")
def demo() -> rm.Results:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    return rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))


def small(periods: list[object]) -> rm.Results:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rows = [{"agency": "x", "period": p, "q": "yes"} for p in periods]
    return rm.score(r, rm.ResponseSet.from_records(rows, r))


# -- years ---------------------------------------------------------------------------------
TH_NOTE = "ปีในรายงานนี้เป็นปีพุทธศักราช (พ.ศ. = ค.ศ. + 543)"
EN_NOTE = "Years are shown in the Common Era (CE = B.E. − 543)"


def test_thai_report_writes_gregorian_periods_in_the_buddhist_era(demo: rm.Results) -> None:
    """Issue 16: the Thai report showed "2016" under a title in the Buddhist era."""
    page = render_report(demo, agencies=["moc"], lang="th")
    header = page.split("</header>")[0]
    assert "รอบการสำรวจ: พ.ศ. 2559</p>" in header  # the latest periods
    assert page.count(TH_NOTE) == 1  # stated once, in the header
    assert TH_NOTE in header
    card = page.split('<section class="rm-card"')[1]
    assert "รอบการสำรวจ พ.ศ. 2559</small>" in card
    assert "รอบการสำรวจก่อนหน้า (พ.ศ. 2558)" in card  # the radar's legend
    assert "(2016)" not in card


def test_the_ranking_writes_periods_in_the_era_too() -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rows = [{"agency": "x", "period": 2015, "q": "yes"}, {"agency": "y", "period": 2016, "q": "no"}]
    res = rm.score(r, rm.ResponseSet.from_records(rows, r))
    ranking = render_report(res, lang="th").split("<table class='ranking'>")[1]
    assert "<td>พ.ศ. 2558</td>" in ranking
    assert "<td>พ.ศ. 2559</td>" in ranking


def test_english_report_keeps_gregorian_years_and_states_nothing(demo: rm.Results) -> None:
    page = render_report(demo, agencies=["moc"])
    assert "Periods: 2016</p></header>" in page
    assert EN_NOTE not in page
    assert TH_NOTE not in page


def test_buddhist_era_periods_are_written_in_the_common_era_in_english() -> None:
    res = small([2558, 2559])
    en = render_report(res)
    assert "Periods: 2016</p>" in en
    assert "Previous period (2015)" in en
    assert en.count(EN_NOTE) == 1
    th = render_report(res, lang="th")
    assert "รอบการสำรวจ: พ.ศ. 2559</p>" in th
    assert "(พ.ศ. 2558)" in th
    assert TH_NOTE not in th  # nothing converted, nothing to state


def test_periods_that_are_not_years_are_shown_as_they_are() -> None:
    for periods in (["2016-Q1", "2016-Q2"], [1, 2], [2016, 2559], [2350]):
        res = small(periods)
        page = render_report(res, lang="th")
        assert "พ.ศ." not in page.split("<h1>")[1].split("</header>")[0], periods
        assert TH_NOTE not in page


def test_the_call_can_say_what_the_periods_are(demo: rm.Results) -> None:
    assert "Period 2016" in render_report(demo, agencies=["moc"], lang="th", era="none").replace(
        "รอบการสำรวจ", "Period"
    )
    assert "พ.ศ. 2016" in render_report(small([2016]), lang="th", era="be")
    assert "(พ.ศ. 2559)" in radar_svg(demo, "moc", lang="th")
    assert "(2016)" in radar_svg(demo, "moc", lang="th", era="none")
    assert "พ.ศ. 2559" in agency_html(demo, "moc", lang="th")
    assert TH_NOTE in summary_table(demo, lang="th")
    with pytest.raises(rm.ResponseError, match="era must be one of auto, ce, be, none"):
        render_report(demo, agencies=["moc"], era="buddhist")


def test_years_rule_boundaries() -> None:
    assert Years.of([1900, 2199]).era == "ce"
    assert Years.of([2443, 2742]).era == "be"
    assert Years.of([1899]).era == "none"
    assert Years.of([2200]).era == "none"
    assert Years.of([]).era == "none"
    assert Years("ce", "th").text("2016-Q1") == "2016-Q1"


# -- targets -------------------------------------------------------------------------------
@given(
    value=st.floats(-1e6, 1e6, allow_nan=False),
    digits=st.integers(0, 6),
    up=st.booleans(),
)
def test_property_rounded_targets_still_reach(value: float, digits: int, up: bool) -> None:
    """Property: rounding up never gives less (down never more), by less than one step,
    and the result has at most ``digits`` decimals."""
    got = round_toward(value, digits, up)
    step = 10.0**-digits
    slack = 1e-9 * max(1.0, abs(value))
    if up:
        assert got >= value - slack
        assert got - value < step + slack
    else:
        assert got <= value + slack
        assert value - got < step + slack
    assert math.isclose(got * 10**digits, round(got * 10**digits), abs_tol=1e-6)


def test_answers_are_written_as_the_scale_accepts_them() -> None:
    """Issue 16: ``e_procurement → 80.39077`` becomes 80.4 (rubric rounding 2, toward
    reaching); labels for ordinal, binary, choice and checklist scales."""
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    digits = rubric.rounding or 2
    assert answer_text(rubric.indicator("e_procurement"), 80.39077, digits) == "80.4 %"
    assert answer_text(rubric.indicator("e_procurement"), 80.0, digits) == "80 %"
    assert answer_text(rubric.indicator("dg_plan"), 1.0) == "yes"
    monitoring = rubric.indicator("plan_monitoring")
    assert answer_text(monitoring, 3.0) == "executive_review"
    policies = rubric.indicator("governance_policies")
    assert answer_text(policies, policies.scale.parse("data_governance|website_policy")) == str(
        policies.scale.written(policies.scale.parse("data_governance|website_policy"))
    )
    down = rm.Indicator(
        "downtime",
        scale=rm.NumericScale(goalposts=(0, 72), unit="hours"),
        direction="lower_is_better",
    )
    assert answer_text(down, 12.3456, 1) == "12.3 hours"
    tight = rm.Indicator("t", scale=rm.NumericScale(goalposts=(0, 1), clamp=False))
    assert answer_text(tight, 0.99999, 2) == "1"


def test_card_thresholds_use_the_rubric_rounding_upward() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a"), rm.Indicator("b")])],
        bands=[rm.Band("good", range=rm.Range(min=66.666666)), rm.Band("weak")],
        rounding=2,
    )
    res = rm.score(r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "yes"}], r))
    page = render_report(res)
    assert "needs ≥ 66.67 (now 50.00, +16.67)" in page
    assert threshold_text(66.666666, 2) == "66.67"


# -- the gap plan on the card ------------------------------------------------------------------
def test_card_shows_the_fewest_changes_plan_with_targets_as_the_scale_accepts(
    demo: rm.Results,
) -> None:
    """Issue 16: the card showed the next band's thresholds and told a director to run
    ``readiness-model gap``; now it lists gap's own plan, targets written as answers."""
    rubric = demo.rubric
    digits = rubric.rounding or 2
    shown = 0
    for agency in ("daa", "moc", "opm-ops"):
        card = agency_html(demo, agency)
        assert "readiness-model gap" not in card
        plan = rm.gap(demo, agency)
        if not plan.changes:
            continue
        shown += 1
        assert "Fewest answer changes that reach it" in card
        for c in plan.changes:
            ind = rubric.indicator(c.indicator)
            assert f"({c.indicator})" in card
            target = (
                ", ".join(c.added_items) if c.added_items else answer_text(ind, c.stored, digits)
            )
            assert target.replace("&", "&amp;") in card
        assert "verified by rescoring" in card
    assert shown


def test_card_plans_searched_together_equal_gap_one_by_one(demo: rm.Results) -> None:
    """``plans_for`` (the report's batched search, best plan only) gives gap's changes."""
    rows = [demo.row(a) for a in demo.agencies[::17]]
    plans = plans_for(demo, rows)
    assert plans
    for row, plan in plans.items():
        alone = rm.gap(demo, demo.agencies[row], demo.periods[row])
        assert [(c.indicator, c.stored) for c in plan.changes] == [
            (c.indicator, c.stored) for c in alone.changes
        ]
        assert plan.band_after == alone.band_after
        assert plan.alternatives == ()


def test_card_without_answers_says_why_there_is_no_plan() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a"), rm.Indicator("b")])],
        bands=[rm.Band("good", range=rm.Range(min=60)), rm.Band("weak")],
    )
    res = rm.score(r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "no"}], r))
    assert "Fewest answer changes" in render_report(res)
    bare = render_report(attrs.evolve(res, responses=None))
    assert "score the answers to plan the changes" in bare or "No indicator answers" in bare


# -- large populations (issue 18, item 5) ------------------------------------------------------
def test_past_the_card_limit_only_the_best_and_worst_get_cards_and_the_report_says_so() -> None:
    from readiness_model.report.html import TOP_BOTTOM, rank_order

    r = rm.Rubric(
        "t",
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator(f"q{k}") for k in range(6)])],
    )
    n = 2 * TOP_BOTTOM + 11
    values = [[(i >> k) & 1 for k in range(6)] for i in range(n)]
    res = rm.score(r, rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], r))
    page = render_report(res, card_limit=n - 1)
    assert page.count('<section class="rm-card"') == 2 * TOP_BOTTOM
    assert f"Cards for the {TOP_BOTTOM} highest and the {TOP_BOTTOM} lowest" in page
    order = rank_order(res, np.arange(n))
    carded = re.findall(r'<section class="rm-card" id="[^"]*"><h3>([^ <]+)', page)
    want = [res.agencies[row] for row in [*order[:TOP_BOTTOM], *order[-TOP_BOTTOM:]]]
    assert carded == want
    assert page.count("<tr>") >= n  # the ranking still lists every agency
    everything = render_report(res, card_limit=None)
    assert everything.count('<section class="rm-card"') == n
    assert "Cards for the" not in everything
    chosen = render_report(res, agencies=["a3"], card_limit=1)
    assert chosen.count('<section class="rm-card"') == 1
    assert "Cards for the" not in chosen


def test_cli_report_prints_cards_size_and_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main

    out = tmp_path / "r.html"
    assert main(["report", "thai-dg-readiness-2016", str(demo_survey_path()), "-o", str(out)]) == 0
    said = capsys.readouterr().out
    assert "170 agency cards of 170 agencies" in said
    assert " KB, rendered in " in said


def test_a_dimension_of_weight_zero_is_not_a_radar_axis() -> None:
    """A weight-0 dimension (the Thai rubric's development-trend axis of the groups) does
    not count in the readiness score, so the radar draws only the dimensions that do."""
    import readiness_model as rm

    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension("alpha", indicators=[rm.Indicator("a")]),
            rm.Dimension("beta", indicators=[rm.Indicator("b")]),
            rm.Dimension("gamma", indicators=[rm.Indicator("c")]),
            rm.Dimension("trend_axis", weight=0, indicators=[rm.Indicator("d")]),
        ],
    )
    res = rm.score(r, rm.ResponseSet.from_array([[1, 0, 1, 1], [0, 1, 0, 0]], ["x", "y"], r))
    svg = rm.radar_svg(res, "x")
    assert "alpha" in svg
    assert "gamma" in svg
    assert "trend_axis" not in svg
