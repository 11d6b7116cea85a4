"""Rolling departments up to their ministries."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.analysis.rollup import ROLLED_UP
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.io.rubric_yaml import load_rubric

LEVELS = rm.OrdinalScale(levels=["none", "some", "most", "all"])


def rubric() -> rm.Rubric:
    return rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension("a", weight=1, indicators=[rm.Indicator("p"), rm.Indicator("q")]),
            rm.Dimension("b", weight=3, indicators=[rm.Indicator("t", scale=LEVELS)]),
        ],
        bands=[rm.Band("high", range=rm.Range(min=50)), rm.Band("low")],
    )


def scored(records: list[dict[str, Any]]) -> rm.Results:
    r = rubric()
    return rm.score(r, rm.ResponseSet.from_records(records, r, attributes=["staff"]))


def rec(
    agency: str, parent: str | None, p: str, q: str, t: str, period: int = 2016, **kw: Any
) -> dict[str, Any]:
    return {"agency": agency, "period": period, "parent": parent, "p": p, "q": q, "t": t, **kw}


def test_parent_row_is_the_mean_of_its_children_beside_its_own_row() -> None:
    """A ministry keeps its own row and gains a rolled-up one, averaged node by node."""
    res = scored(
        [
            rec("m", None, "yes", "yes", "all", name="Ministry", kind="ministry"),
            rec("d1", "m", "yes", "no", "some", kind="department"),
            rec("d2", "m", "no", "no", "none", kind="department"),
        ]
    )
    up = rm.roll_up(res)
    assert up.agencies == ("m", "d1", "d2", "m")
    assert up.origin == ("answers", "answers", "answers", ROLLED_UP)
    # d1: a = 50, b = 33.33, overall 37.5; d2: all 0
    assert up.node("a")[3] == pytest.approx(25.0)
    assert up.node("b")[3] == pytest.approx(100 / 6)
    assert up.overall[3] == pytest.approx((37.5 + 0) / 2)
    assert up.band[3] == "low"
    assert up.rank[3] == 0
    assert not up.in_population[3]
    assert up.attribute("name")[3] == "Ministry"
    assert up.attribute("kind")[3] == "ministry"
    assert up.agency("m").origin == "answers"  # lookups find the agency's own row first
    assert up.responses is not None
    assert len(up.responses.agencies) == len(up)
    assert up.responses.agencies[3] == "m#rolled_up"
    assert up.responses.missing[3].all()


def test_weights_come_from_a_numeric_attribute() -> None:
    """weights='staff' weights each child's scores by its staff number."""
    res = scored(
        [
            rec("m", None, "yes", "yes", "all"),
            rec("d1", "m", "yes", "yes", "all", staff="3"),
            rec("d2", "m", "no", "no", "none", staff="1"),
        ]
    )
    up = rm.roll_up(res, weights="staff")
    assert up.overall[-1] == pytest.approx(75.0)
    bad = scored(
        [rec("m", None, "yes", "yes", "all"), rec("d1", "m", "yes", "yes", "all", staff="many")]
    )
    with pytest.raises(rm.ResponseError, match="expected a finite number >= 0"):
        rm.roll_up(bad, weights="staff")
    with pytest.raises(rm.ResponseError, match="no agency has the weight attribute 'staf'"):
        rm.roll_up(res, weights="staf")


def test_unknown_parents_and_cycles_are_errors() -> None:
    """A parent that is not an agency, and parent cycles, raise ResponseError."""
    res = scored([rec("m", None, "yes", "yes", "all"), rec("d", "mm", "yes", "yes", "all")])
    with pytest.raises(rm.ResponseError, match=r"names parent 'mm'.*did you mean 'm'"):
        rm.roll_up(res)
    loop = scored([rec("a", "b", "yes", "yes", "all"), rec("b", "a", "no", "no", "none")])
    with pytest.raises(rm.ResponseError, match="cycle: a → b → a"):
        rm.roll_up(loop)
    self_loop = scored([rec("a", "a", "yes", "yes", "all")])
    with pytest.raises(rm.ResponseError, match="cycle: a → a"):
        rm.roll_up(self_loop)


def test_results_without_parents_are_returned_unchanged() -> None:
    """Nothing to roll up: the same object comes back."""
    res = scored([rec("m", None, "yes", "yes", "all")])
    assert rm.roll_up(res) is res


def test_rolled_up_trend_compares_rolled_up_rows() -> None:
    """The trend of a rolled-up row is its change since the parent's previous roll-up."""
    r = rm.Rubric(
        "r",
        dimensions=rubric().dimensions,
        trend=[rm.TrendClass("up", change=rm.Range(min=1)), rm.TrendClass("flat")],
    )
    recs = [rec("m", None, "yes", "yes", "all", period=y) for y in (2015, 2016)] + [
        rec("d", "m", "no", "no", "none", period=2015),
        rec("d", "m", "yes", "no", "none"),
    ]
    up = rm.roll_up(rm.score(r, rm.ResponseSet.from_records(recs, r)))
    rolled = [i for i in range(len(up)) if up.origin[i] == ROLLED_UP]
    assert [up.periods[i] for i in rolled] == [2015, 2016]
    assert up.change[rolled[1]] == pytest.approx(12.5)
    assert up.trend[rolled[1]] == "up"


def test_ministry_of_commerce_in_the_bundled_survey_has_both_scores() -> None:
    """moc answered itself and has departments: both rows exist in each period."""
    r = load_rubric("thai-dg-readiness-2016")
    res = rm.score(r, rm.load_responses(demo_survey_path(), r))
    up = rm.roll_up(res)
    parent = res.attribute("parent")
    for period in (2015, 2016):
        rows = [i for i in range(len(up)) if up.agencies[i] == "moc" and up.periods[i] == period]
        assert sorted(up.origin[i] for i in rows) == ["answers", ROLLED_UP]
        kids = [i for i in range(len(res)) if parent[i] == "moc" and res.periods[i] == period]
        assert len(kids) >= 5
        rolled = next(i for i in rows if up.origin[i] == ROLLED_UP)
        assert up.overall_exact[rolled] == pytest.approx(np.mean(res.overall_exact[kids]))


@st.composite
def family(draw: Any) -> list[dict[str, Any]]:
    """Parents p0..pk, children naming one of them, random answers over two periods."""
    n_parents = draw(st.integers(1, 3))
    out = []
    answer = st.sampled_from(["yes", "no", "", "n/a"])
    level = st.sampled_from(["none", "some", "most", "all", "", "n/a"])
    for period in (2015, 2016):
        for k in range(n_parents):
            out.append(rec(f"p{k}", None, draw(answer), draw(answer), draw(level), period))
        for c in range(draw(st.integers(0, 6))):
            out.append(
                rec(
                    f"c{c}",
                    f"p{draw(st.integers(0, n_parents - 1))}",
                    draw(answer),
                    draw(answer),
                    draw(level),
                    period,
                )
            )
    return out


@settings(max_examples=60, deadline=None)
@given(family(), st.sampled_from(["zero", "reweight"]))
def test_roll_up_of_a_parent_equals_the_mean_of_its_childrens_scores(
    records: list[dict[str, Any]], missing: str
) -> None:
    """Property: every rolled-up score is the (NaN-skipping) mean of the children's."""
    base = rubric()
    r = rm.Rubric(
        "r", dimensions=base.dimensions, bands=base.bands, defaults=rm.Defaults(missing=missing)
    )
    res = rm.score(r, rm.ResponseSet.from_records(records, r))
    up = rm.roll_up(res)
    parent = res.attribute("parent")
    n = len(res)
    for g in range(n, len(up)):
        kids = [
            i for i in range(n) if parent[i] == up.agencies[g] and res.periods[i] == up.periods[g]
        ]
        assert kids
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
            want_nodes = np.nanmean(res.node_exact[kids], axis=0)
            want = np.nanmean(res.overall_exact[kids])
            want_cov = np.nanmean(res.coverage[kids])
        assert np.allclose(up.node_exact[g], want_nodes, rtol=1e-12, atol=1e-12, equal_nan=True)
        assert np.isclose(up.overall_exact[g], want, rtol=1e-12, atol=1e-12, equal_nan=True)
        assert np.isclose(up.coverage[g], want_cov, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_rolled_up_results_round_trip_through_json_and_csv() -> None:
    """A parent that answered and was rolled up has two rows; both survive JSON and CSV."""
    rubric = load_rubric("thai-dg-readiness-2016")
    up = rm.roll_up(rm.score(rubric, rm.load_responses(demo_survey_path(), rubric)))
    assert up.origin.count(ROLLED_UP) > 0
    doubled = {
        (a, p) for a, p, o in zip(up.agencies, up.periods, up.origin, strict=True) if o == ROLLED_UP
    } & {
        (a, p) for a, p, o in zip(up.agencies, up.periods, up.origin, strict=True) if o != ROLLED_UP
    }
    assert doubled, "the demo survey has a ministry that answered and has departments"
    assert rm.Results.from_json(up.to_json()).equals(up)
    assert rm.Results.from_csv(up.to_csv()).equals(up)
