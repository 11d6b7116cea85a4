"""Publication conventions: tie rules, agencies not assessed, two populations, trend_on.

Hand-made cases first (each rule on scores built to tie), then hypothesis properties.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.engine.classify import competition_rank, significant

TWO = """
rubric: t
scale: [0, 1]
ROUNDING
RANKING
NOT_ASSESSED
dimensions:
  - {id: d, indicators: [
      {id: osi, scale: {type: numeric, goalposts: [0, 1]}},
      {id: hci, scale: {type: numeric, goalposts: [0, 1]}}]}
bands: [{id: high, min: 0.5}, {id: low}]
groups: [{id: everyone}]
"""


def rubric(rounding: str = "", ranking: str = "", not_assessed: str = "") -> rm.Rubric:
    text = (
        TWO.replace("ROUNDING", rounding)
        .replace("RANKING", ranking)
        .replace("NOT_ASSESSED", not_assessed)
    )
    return rm.rubric_from_yaml(text)


def scored(r: rm.Rubric, rows: list[dict[str, Any]]) -> rm.Results:
    recs = [{"period": 2020, **row} for row in rows]
    return rm.score(r, rm.ResponseSet.from_records(recs, r))


def ranks(res: rm.Results) -> dict[str, int | None]:
    return {x["agency"]: x["rank"] for x in res.to_records()}


PAIR = [
    {"agency": "a", "osi": 0.7, "hci": 0.301},  # 0.5005 -> 0.50 (rounded, 2 dp)
    {"agency": "b", "osi": 0.7, "hci": 0.3},  # 0.5 exactly
    {"agency": "c", "osi": 0.7, "hci": 0.3},  # 0.5 exactly (an exact tie with b)
    {"agency": "d", "osi": 0.2, "hci": 0.1},  # 0.15
]


# -- ties -----------------------------------------------------------------------------------
def test_shared_ties_share_a_place_on_the_rounded_score() -> None:
    """shared (the default): a, b, c all show 0.50 and share 1st; d is 4th ("1114")."""
    res = scored(rubric("rounding: {decimals: 2}"), PAIR)
    assert ranks(res) == {"a": 1, "b": 1, "c": 1, "d": 4}
    assert res.rubric.ranking.ties == "shared"


def test_unrounded_ties_order_by_the_unrounded_score() -> None:
    """unrounded (UN 2020): a (0.5005) is ahead of b and c (0.5); b and c tie exactly
    and share 2nd; d is 4th."""
    res = scored(rubric("rounding: {decimals: 2}", "ranking: {ties: unrounded}"), PAIR)
    assert ranks(res) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert res.overall.tolist()[:3] == [0.5, 0.5, 0.5]  # the shown scores still tie


def test_ordinal_ties_never_share_a_place() -> None:
    """ordinal: exact ties take consecutive places in row order."""
    r = rubric("rounding: {decimals: 2}", "ranking: {ties: ordinal}")
    assert ranks(scored(r, PAIR)) == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert ranks(scored(r, [PAIR[0], PAIR[2], PAIR[1], PAIR[3]])) == {
        "a": 1,
        "c": 2,
        "b": 3,
        "d": 4,
    }


def test_unrounded_ties_ignore_binary_noise() -> None:
    """(0.2 + 0.4) / 2 and 0.6 / 2 differ in the last bit but are the same number to 12
    significant digits: unrounded shares the place (shared, on the raw floats, does not)."""
    rows = [{"agency": "x", "osi": 0.2, "hci": 0.4}, {"agency": "y", "osi": 0.6, "hci": 0.0}]
    res = scored(rubric("", "ranking: {ties: unrounded}"), rows)
    exact = res.overall_exact.tolist()
    assert exact[0] != exact[1]
    assert ranks(res) == {"x": 1, "y": 1}
    assert ranks(scored(rubric(), rows)) == {"x": 1, "y": 2}
    assert significant(np.array([0.1 + 0.2]))[0] == 0.3


def test_without_rounding_shared_and_unrounded_agree_on_distinct_scores() -> None:
    rows = [{"agency": f"a{i}", "osi": i / 10, "hci": 0.5} for i in range(6)]
    shared = ranks(scored(rubric(), rows))
    assert ranks(scored(rubric("", "ranking: {ties: unrounded}"), rows)) == shared


def ties_rubric(ties: str) -> rm.Rubric:
    return rm.Rubric(
        "t",
        scale=(0, 1),
        rounding=1,
        ranking=rm.Ranking(ties=ties),
        dimensions=[
            rm.Dimension(
                "d", indicators=[rm.Indicator("x", scale=rm.NumericScale(goalposts=(0, 1)))]
            )
        ],
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=60))
def test_unrounded_and_ordinal_refine_the_shared_ranks(values: list[int]) -> None:
    """Within every block of rows sharing a rank under ``shared``, the other rules only
    break ties: shared <= unrounded <= ordinal < shared + block size; ordinal ranks are a
    permutation of 1..n that keeps equal scores in row order; unrounded shares a place
    only between equal unrounded scores."""
    xs = [v / 40 for v in values]
    rs = {}
    for ties in ("shared", "unrounded", "ordinal"):
        r = ties_rubric(ties)
        res = rm.score(
            r, rm.ResponseSet.from_array([[x] for x in xs], [f"a{i}" for i, _ in enumerate(xs)], r)
        )
        rs[ties] = res.rank.tolist()
        exact = res.overall_exact
    block = {k: rs["shared"].count(k) for k in rs["shared"]}
    for i, s in enumerate(rs["shared"]):
        assert s <= rs["unrounded"][i] <= rs["ordinal"][i] < s + block[s]
    assert sorted(rs["ordinal"]) == list(range(1, len(xs) + 1))
    for i in range(len(xs)):
        for j in range(len(xs)):
            if rs["unrounded"][i] == rs["unrounded"][j]:
                assert exact[i] == exact[j]
            if i < j and exact[i] == exact[j]:
                assert rs["ordinal"][i] < rs["ordinal"][j]


def test_ordinal_ties_keep_row_order_past_sixteen_rows() -> None:
    """An unstable sort placed equal scores out of row order once a population had more
    than 16 rows (numpy's quicksort switches from insertion sort)."""
    got = competition_rank(
        np.array([5.0, 3.0] * 30), np.ones(60, bool), [np.arange(60)], shared=False
    )
    assert got.tolist() == [x for k in range(1, 31) for x in (k, 30 + k)]


def test_competition_rank_without_sharing_keeps_row_order() -> None:
    got = competition_rank(
        np.array([[1.0, 1.0, 2.0], [2.0, 1.0, 1.0]]),
        np.ones(3, bool),
        [np.arange(3)],
        shared=False,
    )
    assert got.tolist() == [[2, 3, 1], [1, 2, 3]]


# -- not assessed ------------------------------------------------------------------------------
UN = "not_assessed: {when: [{indicator: osi, equals: 0}], rank: tied_last, score: 0}"
ROWS = [
    {"agency": "kor", "osi": 1.0, "hci": 0.9},
    {"agency": "iraq", "osi": 0, "hci": 0.93},  # OSI 0: not assessed (UN 2003)
    {"agency": "palau", "osi": 0.0262, "hci": 0.0},
    {"agency": "tuvalu", "osi": 0, "hci": 1.0},
    {"agency": "x", "osi": 0.5, "hci": 0.5, "assessed": "no"},  # the reserved column
]


def test_tied_last_with_a_shown_score_reproduces_the_un_tables() -> None:
    """Not assessed: overall shown as 0, no band or group, every such agency at the
    place after the last assessed one; the others ranked as if they were absent."""
    res = scored(rubric("rounding: {decimals: 5}", "", UN), ROWS)
    rec = {x["agency"]: x for x in res.to_records()}
    assert ranks(res) == {"kor": 1, "iraq": 3, "palau": 2, "tuvalu": 3, "x": 3}
    for a in ("iraq", "tuvalu", "x"):
        assert rec[a]["status"] == "not_assessed"
        assert rec[a]["overall"] == 0.0
        assert (rec[a]["band"], rec[a]["group"], rec[a]["coverage"], rec[a]["d"]) == (
            None,
            None,
            None,
            None,
        )
    assert rec["palau"]["status"] == "assessed"
    assert rec["palau"]["group"] == "everyone"
    assert res.in_population.tolist() == [True, False, True, False, False]
    assert np.isnan(res.overall_exact[[1, 3, 4]]).all()
    assert np.isnan(res.indicator_scores[[1, 3, 4]]).all()


def test_unranked_is_the_default_and_shows_no_score() -> None:
    r = rubric("", "", "not_assessed: {when: [{indicator: osi, equals: 0}]}")
    res = scored(r, ROWS)
    assert ranks(res) == {"kor": 1, "iraq": None, "palau": 2, "tuvalu": None, "x": None}
    assert np.isnan(res.overall[[1, 3, 4]]).all()
    assert res.status == ("assessed", "not_assessed", "assessed", "not_assessed", "not_assessed")
    assert r.not_assessed.rank == "unranked"


def test_the_reserved_column_works_without_any_rule() -> None:
    res = scored(rubric(), ROWS)
    assert res.status[4] == "not_assessed"
    assert res.status[1] == "assessed"
    assert ranks(res)["x"] is None


def test_a_missing_rule_marks_blank_answers() -> None:
    r = rubric("", "", "not_assessed: {when: [{indicator: hci, missing: true}]}")
    res = scored(r, [{"agency": "a", "osi": 1, "hci": 1}, {"agency": "b", "osi": 1}])
    assert res.status == ("assessed", "not_assessed")


def test_a_bad_assessed_cell_is_a_located_error() -> None:
    with pytest.raises(
        rm.ResponseError, match=r"'assessed' must be yes or no \(got 'maybe'\)"
    ) as e:
        scored(rubric(), [{"agency": "a", "osi": 1, "hci": 1, "assessed": "maybe"}])
    assert e.value.problems[0].path == "row 1, column 'assessed'"
    assert "write no" in e.value.problems[0].hint


def test_an_agency_not_assessed_may_lack_required_answers() -> None:
    r = rm.Rubric(
        "t",
        defaults=rm.Defaults(missing="error"),
        not_assessed=rm.NotAssessed(when=[rm.AnswerRule("q", missing=True)]),
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])],
    )
    res = rm.score(
        r,
        rm.ResponseSet.from_records(
            [{"agency": "a", "period": 1}, {"agency": "b", "period": 1, "q": 1}], r
        ),
    )
    assert res.status == ("not_assessed", "assessed")


def test_not_assessed_rows_do_not_feed_population_statistics() -> None:
    """A z-scored indicator: the not-assessed row's answer does not move anyone."""
    r = rm.rubric_from_yaml(
        """
rubric: z
dimensions: [{id: d, indicators: [{id: q, scale: {type: numeric}, normalize: zscore}]}]
"""
    )
    base = [{"agency": a, "period": 1, "q": q} for a, q in (("a", 1), ("b", 2), ("c", 4))]
    one = rm.score(r, rm.ResponseSet.from_records(base, r))
    two = rm.score(
        r,
        rm.ResponseSet.from_records(
            [*base, {"agency": "z", "period": 1, "q": 100, "assessed": "no"}], r
        ),
    )
    assert two.overall[:3].tolist() == one.overall.tolist()
    assert two.rank[:3].tolist() == one.rank.tolist()


def test_a_change_needs_an_assessed_previous_period() -> None:
    r = rm.rubric_from_yaml(
        """
rubric: tr
not_assessed: {score: 0}
dimensions: [{id: d, indicators: [{id: q}]}]
trend: [{id: up, change: {min: 1}}, {id: flat}]
"""
    )
    rs = rm.ResponseSet.from_records(
        [
            {"agency": "a", "period": 1, "q": "no", "assessed": "no"},
            {"agency": "a", "period": 2, "q": "yes"},
        ],
        r,
    )
    res = rm.score(r, rs)
    assert res.overall.tolist() == [0.0, 100.0]
    assert math.isnan(res.change[1])
    assert res.trend == (None, None)


UNRANKED = "not_assessed: {when: [{indicator: osi, equals: 0}]}"


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("rule", [UN, UNRANKED], ids=["tied_last", "unranked"])
def test_status_survives_results_files(fmt: str, rule: str) -> None:
    """Both rank conventions: status, the shown score (or none) and the ranks (shared last
    place, or none) come back from a results file as they were written."""
    r = rubric("rounding: {decimals: 5}", "", rule)
    res = scored(r, ROWS)
    back = (
        rm.Results.from_csv(res.to_csv(), rubric=r)
        if fmt == "csv"
        else rm.Results.from_json(res.to_json())
    )
    assert back.equals(res)
    assert back.status == res.status
    assert back.rank.tolist() == res.rank.tolist()
    assert ranks(back) == ranks(res)
    na = [i for i, s in enumerate(back.status) if s == "not_assessed"]
    assert na == [1, 3, 4]
    if rule == UN:
        assert back.overall[na].tolist() == [0.0, 0.0, 0.0]
        assert back.rank[na].tolist() == [3, 3, 3]
    else:
        assert np.isnan(back.overall[na]).all()
        assert back.rank[na].tolist() == [0, 0, 0]


def test_a_results_file_with_an_unknown_status_is_refused() -> None:
    r = rubric("", "", UN)
    text = scored(r, ROWS).to_csv().replace(",not_assessed,", ",skipped,", 1)
    with pytest.raises(rm.ResponseError, match="status 'skipped' is not one of"):
        rm.Results.from_csv(text, rubric=r)


def test_explain_and_gap_of_an_agency_not_assessed() -> None:
    r = rubric("", "", UN)
    res = scored(r, ROWS)
    ex = rm.explain(res, "iraq")
    assert ex.status == "not_assessed"
    assert ex.weakest() == []
    assert ex.methods == {}
    assert [(c.indicator, c.answer) for c in ex.contributions] == [("osi", 0.0), ("hci", 0.93)]
    assert res.agency("iraq").status == "not_assessed"
    with pytest.raises(rm.ResponseError, match="was not assessed"):
        rm.gap(res, "iraq")


def test_the_report_and_the_cli_say_not_assessed(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main

    r = rubric("rounding: {decimals: 5}", "", UN)
    res = scored(r, ROWS)
    page = rm.render_report(res, r, agencies=["iraq"])
    assert "not assessed" in page
    path = tmp_path / "r.yaml"
    path.write_text(rm.dump_rubric(r), encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text(
        "agency,period,assessed,osi,hci\nkor,2020,,1,0.9\niraq,2020,,0,0.93\nx,2020,no,0.5,0.5\n",
        encoding="utf-8",
    )
    assert main(["score", str(path), str(answers)]) == 0
    out = capsys.readouterr().out
    assert "not assessed" in out
    assert main(["explain", str(path), str(answers), "--agency", "iraq"]) == 0
    assert "iraq (period 2020): not assessed, no score to explain (shown as 0.00000)" in (
        capsys.readouterr().out
    )


def test_roll_up_leaves_not_assessed_children_out() -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rs = rm.ResponseSet.from_records(
        [
            {"agency": "m", "period": 1, "q": "yes"},
            {"agency": "d1", "period": 1, "parent": "m", "q": "yes"},
            {"agency": "d2", "period": 1, "parent": "m", "q": "no", "assessed": "no"},
            {"agency": "n", "period": 1, "q": "yes"},
            {"agency": "e1", "period": 1, "parent": "n", "q": "yes", "assessed": "no"},
        ],
        r,
    )
    up = rm.roll_up(rm.score(r, rs))
    rolled = {a: i for i, a in enumerate(up.agencies) if up.origin[i] == "rolled_up"}
    assert up.overall[rolled["m"]] == 100.0
    assert up.status[rolled["m"]] == "assessed"
    assert up.status[rolled["n"]] == "not_assessed"
    assert up.group[rolled["n"]] is None


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=12),
    st.tuples(st.floats(0, 1), st.floats(0, 1)),
    st.sampled_from(["unranked", "tied_last"]),
)
def test_an_agency_not_assessed_changes_nobody_else(
    rows: list[tuple[float, float]], extra: tuple[float, float], convention: str
) -> None:
    """Adding a not-assessed agency (any answers) leaves every other row's scores, bands
    and ranks as they were; it is ranked last (tied_last) or not at all."""
    r = rm.rubric_from_yaml(
        TWO.replace("ROUNDING", "rounding: {decimals: 3}")
        .replace("RANKING", "")
        .replace("NOT_ASSESSED", f"not_assessed: {{rank: {convention}}}")
        .replace("goalposts: [0, 1]}", "goalposts: [0, 1]}, normalize: minmax")
    )
    recs = [{"agency": f"a{i}", "period": 1, "osi": o, "hci": h} for i, (o, h) in enumerate(rows)]
    one = rm.score(r, rm.ResponseSet.from_records(recs, r))
    new = {"agency": "z", "period": 1, "osi": extra[0], "hci": extra[1], "assessed": "no"}
    two = rm.score(r, rm.ResponseSet.from_records([*recs, new], r))
    n = len(rows)
    assert np.array_equal(two.overall[:n], one.overall, equal_nan=True)
    assert two.band[:n] == one.band
    assert two.rank[:n].tolist() == one.rank.tolist()
    want = 0 if convention == "unranked" else int((one.rank > 0).sum()) + 1
    assert int(two.rank[n]) == want


# -- the model ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("ranking: {ties: unround}", r"'ties' must be one of shared, unrounded, ordinal"),
        ("ranking: {among: everyone}", r"'among' must be 'all' or an agency-attribute filter"),
        (
            "not_assessed: {when: [{indicator: os, equals: 0}]}",
            r"unknown indicator 'os' \(did you mean 'osi'\?\)",
        ),
        (
            "not_assessed: {when: [{indicator: osi, equals: high}]}",
            r"'high' is not an answer of 'osi': expected a finite number",
        ),
        ("not_assessed: {when: [{indicator: osi}]}", r"needs exactly one of 'equals' and"),
        ("not_assessed: {rank: last}", r"'rank' must be one of unranked, tied_last"),
        ("not_assessed: {score: 2}", r"not_assessed.score 2 lies outside the rubric scale"),
        ("trend_on: dd", r"trend_on must be 'change' or a dimension id"),
    ],
)
def test_convention_mistakes_are_located(yaml: str, message: str) -> None:
    with pytest.raises(rm.RubricError, match=message) as e:
        rubric(yaml)
    assert e.value.problems[0].location is not None


def test_conventions_round_trip_through_yaml() -> None:
    r = rubric("rounding: {decimals: 4}", "ranking: {ties: ordinal, among: {member: true}}", UN)
    assert rm.rubric_from_yaml(rm.dump_rubric(r)) == r
    assert r.ranking.among == (("member", ("true",)),)
    assert rm.rubric_from_yaml(rm.dump_rubric(rubric())) == rubric()
    assert "ranking" not in rm.dump_rubric(rubric())
    assert "not_assessed" not in rm.dump_rubric(rubric())


def test_default_conventions_leave_the_content_hash_alone() -> None:
    """A rubric that states the defaults is the rubric that does not: same hash."""
    stated = rubric("", "ranking: {ties: shared}", "not_assessed: {rank: unranked}")
    assert stated.content_hash == rubric().content_hash


@pytest.mark.parametrize("name", ["status", "assessed"])
def test_status_and_assessed_are_reserved_ids(name: str) -> None:
    with pytest.raises(rm.RubricError, match="is reserved"):
        rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator(name)])])
