"""Results.summary: per period and node, count/mean/median/min/max over the statistics
population, overall and by an attribute; CSV, JSON, DataFrame and `score --summary`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli import main

RUBRIC = rm.rubric_from_yaml(
    """
rubric: s
scale: [0, 1]
rounding: {decimals: 3}
population: {member: true}
ranking: {among: all}
not_assessed: {when: [{indicator: a, equals: 0}], rank: tied_last, score: 0}
dimensions:
  - {id: da, indicators: [{id: a, scale: {type: numeric, goalposts: [0, 1]}}]}
  - {id: db, indicators: [{id: b, scale: {type: numeric, goalposts: [0, 1]}}]}
"""
)
RECORDS = [
    {"agency": "p", "period": 2019, "member": "true", "region": "north", "a": 0.8, "b": 0.6},
    {"agency": "q", "period": 2019, "member": "true", "region": "south", "a": 0.4, "b": 0.2},
    {"agency": "r", "period": 2019, "member": "true", "region": "south", "a": 0.2, "b": 0.1},
    {"agency": "s", "period": 2019, "member": "false", "region": "north", "a": 1.0, "b": 1.0},
    {"agency": "t", "period": 2019, "member": "true", "region": "north", "a": 0, "b": 0.9},
    {"agency": "p", "period": 2020, "member": "true", "region": "north", "a": 0.9, "b": 0.7},
]


def results() -> rm.Results:
    rs = rm.ResponseSet.from_records(RECORDS, RUBRIC, attributes=["member", "region"])
    return rm.score(RUBRIC, rs)


def test_two_populations_rank_everyone_and_average_the_members() -> None:
    """Non-member s is ranked (first) but left out of the averages; not-assessed t is
    ranked last and left out of both statistics."""
    res = results()
    assert res.rank.tolist() == [2, 3, 4, 1, 5, 1]
    assert res.in_population.tolist() == [True, True, True, False, False, True]
    rec = res.summary().to_records()
    assert [r["node"] for r in rec] == ["overall", "da", "db"] * 2
    first = rec[0]
    assert first["period"] == 2019
    assert first["count"] == 3
    assert first["mean"] == pytest.approx((0.7 + 0.3 + 0.15) / 3, abs=1e-15)
    assert (first["median"], first["min"], first["max"]) == (0.3, 0.15, 0.7)
    assert rec[1]["mean"] == pytest.approx((0.8 + 0.4 + 0.2) / 3, abs=1e-15)
    assert (rec[3]["period"], rec[3]["count"], rec[3]["mean"]) == (2020, 1, 0.8)


def test_summary_by_an_attribute() -> None:
    rec = results().summary(by="region").to_records()
    got = [(r["period"], r["region"], r["node"], r["count"]) for r in rec if r["node"] == "overall"]
    assert got == [(2019, "north", "overall", 1), (2019, "south", "overall", 2),
                   (2020, "north", "overall", 1)]  # fmt: skip
    south = next(r for r in rec if r["region"] == "south" and r["node"] == "overall")
    assert south["mean"] == pytest.approx(0.225, abs=1e-15)


def test_summary_by_an_unknown_attribute_is_an_error() -> None:
    with pytest.raises(rm.ResponseError, match="no attribute 'regoin'") as e:
        results().summary(by="regoin")
    assert "region" in e.value.problems[0].hint


def test_empty_statistics_are_nan_and_none() -> None:
    r = rm.Rubric(
        "t",
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])],
        population={"member": True},
    )
    rs = rm.ResponseSet.from_array([[1]], ["x"], r, attributes={"member": ["false"]})
    s = rm.score(r, rs).summary()
    assert len(s) == 0
    assert s.to_csv() == "period,node,count,mean,median,min,max\n"


def test_a_rolled_up_row_is_not_counted() -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rs = rm.ResponseSet.from_records(
        [
            {"agency": "m", "period": 1, "q": "no"},
            {"agency": "d1", "period": 1, "parent": "m", "q": "yes"},
        ],
        r,
    )
    up = rm.roll_up(rm.score(r, rs))
    assert up.summary().to_records()[0]["count"] == 2


def test_summary_files() -> None:
    s = results().summary(by="region")
    lines = s.to_csv().splitlines()
    assert lines[0] == "period,region,node,count,mean,median,min,max"
    assert lines[1].startswith("2019,north,overall,1,0.7,0.7,0.7,0.7")
    doc = json.loads(s.to_json())
    assert (doc["rubric"], doc["by"]) == ("s", "region")
    assert doc["statistics"] == s.to_records()
    assert repr(s) == "<Summary s 1 by region: 9 rows>"


def test_summary_dataframe() -> None:
    pytest.importorskip("pandas")
    df = results().summary().to_dataframe()
    assert list(df.columns) == ["period", "node", "count", "mean", "median", "min", "max"]
    assert df["count"].tolist() == [3, 3, 3, 1, 1, 1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.booleans(), st.sampled_from(["n", "s"])),
        min_size=1,
        max_size=15,
    )
)
def test_summary_statistics_are_those_of_the_population_rows(
    rows: list[tuple[float, bool, str]],
) -> None:
    """Every statistic equals numpy's over the reported scores of the member rows."""
    r = rm.Rubric(
        "t",
        scale=(0, 1),
        rounding=4,
        population={"member": True},
        dimensions=[
            rm.Dimension(
                "d", indicators=[rm.Indicator("x", scale=rm.NumericScale(goalposts=(0, 1)))]
            )
        ],
    )
    rs = rm.ResponseSet.from_array(
        [[x] for x, _, _ in rows],
        [f"a{i}" for i in range(len(rows))],
        r,
        attributes={
            "member": ["true" if m else "false" for _, m, _ in rows],
            "region": [g for _, _, g in rows],
        },
    )
    res = rm.score(r, rs)
    for rec in res.summary(by="region").to_records():
        sel = res.in_population & np.array([g == rec["region"] for _, _, g in rows])
        vals = res.overall[sel]
        assert rec["count"] == vals.size
        assert math.isclose(rec["mean"], float(np.mean(vals)), abs_tol=1e-12)
        assert rec["median"] == float(np.median(vals))
        assert (rec["min"], rec["max"]) == (float(vals.min()), float(vals.max()))
    members = sum(m for _, m, _ in rows)
    assert sum(x["count"] for x in res.summary().to_records() if x["node"] == "overall") == members


def test_cli_score_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(rm.dump_rubric(RUBRIC), encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text(
        "agency,period,member,region,a,b\n"
        + "".join(
            f"{r['agency']},{r['period']},{r['member']},{r['region']},{r['a']},{r['b']}\n"
            for r in RECORDS
        ),
        encoding="utf-8",
    )
    args = ["score", str(path), str(answers), "--extra-columns", "keep", "--summary"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "period" in out
    assert "overall" in out
    assert "0.383" in out
    assert main([*args, "--by", "region"]) == 0
    assert "south" in capsys.readouterr().out
    target = tmp_path / "summary.csv"
    assert main([*args, "-o", str(target)]) == 0
    assert target.read_text("utf-8") == results().summary().to_csv()
    assert main([*args, "-o", str(tmp_path / "summary.json")]) == 0
    assert json.loads((tmp_path / "summary.json").read_text("utf-8"))["by"] is None
