"""The development axis of the groups: within the round (trend_on a dimension) or the
change since the previous period (trend_on: change), and the shipped Thai rubric."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path

ROOT = Path(__file__).resolve().parents[1]
THAI = "thai-dg-readiness-2016"

TWO_AXES = """
rubric: t
scale: [0, 100]
rounding: {decimals: 1}
TREND_ON
dimensions:
  - {id: ready, weight: 1, indicators: [{id: r, scale: {type: numeric, goalposts: [0, 1]}}]}
  - {id: dev, weight: 0, indicators: [{id: d, scale: {type: numeric, goalposts: [0, 1]}}]}
bands: [{id: high, min: 60}, {id: low}]
TREND
groups:
  - {id: developed, bands: [high], trend: [continuous]}
  - {id: established, bands: [high]}
  - {id: emerging, bands: [low], trend: [continuous]}
  - {id: lagging, bands: [low]}
"""
ON_DEV = (
    "trend_on: dev",
    "trend: [{id: continuous, score: {min: 50}}, {id: limited}]",
)
ON_CHANGE = (
    "",
    "trend: [{id: continuous, change: {min: 2}}, {id: limited}]",
)


def two_axes(mode: tuple[str, str]) -> rm.Rubric:
    return rm.rubric_from_yaml(TWO_AXES.replace("TREND_ON", mode[0]).replace("TREND", mode[1]))


def scored(r: rm.Rubric, rows: list[dict[str, Any]]) -> rm.Results:
    return rm.score(r, rm.ResponseSet.from_records(rows, r))


ROUND = [
    {"agency": "a", "period": 2016, "r": 0.9, "d": 0.8},  # high, developing: developed
    {"agency": "b", "period": 2016, "r": 0.9, "d": 0.1},  # high, limited: established
    {"agency": "c", "period": 2016, "r": 0.2, "d": 0.5},  # low, exactly 50: emerging
    {"agency": "e", "period": 2016, "r": 0.2, "d": 0.49},  # low, limited: lagging
]


def test_one_round_gives_every_group_on_a_dimension_score() -> None:
    """With trend_on a dimension, a single period classifies every agency."""
    res = scored(two_axes(ON_DEV), ROUND)
    assert list(res.trend) == ["continuous", "limited", "continuous", "limited"]
    assert list(res.group) == ["developed", "established", "emerging", "lagging"]


def test_the_change_axis_needs_a_previous_period() -> None:
    """The default trend_on: change leaves a first period without a trend."""
    res = scored(two_axes(ON_CHANGE), ROUND)
    assert list(res.trend) == [None] * 4
    assert list(res.group) == ["established", "established", "lagging", "lagging"]


def test_the_change_axis_reads_the_change_of_the_overall_score() -> None:
    later = [{**row, "period": 2017, "r": row["r"] + 0.05} for row in ROUND]
    res = scored(two_axes(ON_CHANGE), ROUND + later)
    assert list(res.trend[4:]) == ["continuous"] * 4  # +5 points each
    assert list(res.change[4:]) == [5.0] * 4


def test_a_weight_zero_dimension_does_not_count_in_the_overall_score() -> None:
    res = scored(two_axes(ON_DEV), ROUND)
    assert list(res.overall) == [90.0, 90.0, 20.0, 20.0]
    assert res.node_scores[:, res.node_ids.index("dev")].tolist() == [80.0, 10.0, 50.0, 49.0]


def test_the_change_is_still_reported_with_a_dimension_axis() -> None:
    later = [{**row, "period": 2017, "r": row["r"] - 0.1} for row in ROUND]
    res = scored(two_axes(ON_DEV), ROUND + later)
    assert list(res.change[4:]) == [-10.0] * 4
    assert list(res.trend[4:]) == list(res.trend[:4])  # the axis ignores the change


def test_without_a_development_score_there_is_no_trend() -> None:
    """An agency whose development answers are all not applicable has no trend class."""
    res = scored(two_axes(ON_DEV), [{"agency": "x", "period": 1, "r": 0.9, "d": "n/a"}])
    assert (res.band[0], res.trend[0]) == ("high", None)
    assert res.group[0] == "established"  # the group without a trend list takes it


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.integers(0, 100), st.sampled_from([2015, 2016])),
        min_size=1,
        max_size=8,
    )
)
def test_a_dimension_axis_reads_only_the_row_itself(rows: list[tuple[int, int, int]]) -> None:
    """trend_on a dimension: each row's trend is its own development score's class, the
    same whatever other rows and periods are scored with it."""
    r = two_axes(ON_DEV)
    recs = [
        {"agency": f"a{k}", "period": p, "r": x / 100, "d": d / 100}
        for k, (x, d, p) in enumerate(rows)
    ]
    together = scored(r, recs)
    for k, rec in enumerate(recs):
        alone = scored(r, [rec])
        want = "continuous" if rows[k][1] >= 50 else "limited"
        assert together.trend[k] == alone.trend[0] == want
        assert together.group[k] == alone.group[0]


# -- the shipped Thai rubric ------------------------------------------------------------------
def demo_round(period: int, tmp_path: Path) -> Path:
    """The demo survey's rows of one period, as a CSV file."""
    with demo_survey_path().open(encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["period"] == str(period)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / f"round-{period}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_the_2016_round_alone_produces_the_four_groups(tmp_path: Path) -> None:
    """Issue 15: the survey's 'Developed' group comes out of one round."""
    r = rm.load_rubric(THAI)
    res = rm.score(r, rm.load_responses(demo_round(2016, tmp_path), r))
    counts = Counter(res.group)
    assert set(counts) == {"developed", "established", "emerging", "lagging"}
    assert all(g is not None for g in res.group)
    developed = [i for i in range(len(res)) if res.group[i] == "developed"]
    assert {res.band[i] for i in developed} <= {"advanced", "ready"}
    assert {res.trend[i] for i in developed} == {"continuous"}


def test_one_round_and_two_rounds_group_2016_alike(tmp_path: Path) -> None:
    r = rm.load_rubric(THAI)
    alone = rm.score(r, rm.load_responses(demo_round(2016, tmp_path), r)).to_records()
    both = rm.score(r, rm.load_responses(demo_survey_path(), r)).to_records()
    group = {x["agency"]: x["group"] for x in both if x["period"] == 2016}
    assert {x["agency"]: x["group"] for x in alone} == group


def test_no_band_shares_a_name_with_a_group_or_a_trend_class() -> None:
    r = rm.load_rubric(THAI)
    bands, trend, groups = ({x.id for x in xs} for xs in (r.bands, r.trend, r.groups))
    assert bands & groups == set()
    assert bands & trend == set()
    assert trend & groups == set()
    assert "developed" in groups
    assert r.trend_on == "development"


def test_the_development_dimension_does_not_count() -> None:
    r = rm.load_rubric(THAI)
    dev = next(d for d in r.dimensions if d.id == "development")
    assert dev.weight == 0


def test_every_name_not_from_the_survey_is_marked_illustrative() -> None:
    r = rm.load_rubric(THAI)
    made_up = [*r.bands, *r.trend, *(g for g in r.groups if g.id != "developed")]
    assert [x.id for x in made_up if "illustrative" not in str(x.description).lower()] == []
    page = (ROOT / "docs" / "gallery" / f"{THAI}.md").read_text(encoding="utf-8")
    for name in ("| group names", "| bands `advanced`", "| trend classes", "| indicators"):
        row = next(line for line in page.splitlines() if line.startswith(name))
        assert row.endswith("| **illustrative** |")


def test_the_change_variant_of_the_gallery_page_scores_the_demo() -> None:
    """The page's 'change since the previous period' variant: baseline, then four groups."""
    page = (ROOT / "docs" / "gallery" / f"{THAI}.md").read_text(encoding="utf-8")
    text = next(b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if "extends:" in b)
    r = rm.rubric_from_yaml(text)
    assert r.trend_on == "change"
    rs = rm.load_responses(demo_survey_path(), r, extra_columns="ignore")
    res = rm.score(r, rs)
    first = {res.group[i] for i in range(len(res)) if res.periods[i] == 2015}
    second = Counter(res.group[i] for i in range(len(res)) if res.periods[i] == 2016)
    assert first == {"baseline"}
    assert {"developed", "established", "emerging", "lagging"} <= set(second)
    assert np.isnan(res.change[[i for i in range(len(res)) if res.periods[i] == 2015]]).all()
