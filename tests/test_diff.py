"""Rubric diff: exactly the edits made, and how agencies move."""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import numpy as np
import pytest

import readiness_model as rm


def base() -> rm.Rubric:
    return rm.Rubric(
        "diff",
        version="1",
        dimensions=[
            rm.Dimension(
                "access",
                indicators=[
                    rm.Indicator("portal"),
                    rm.Indicator("uptime", scale=rm.NumericScale(goalposts=(90.0, 100.0))),
                ],
            ),
            rm.Dimension(
                "people",
                weight=3,
                indicators=[
                    rm.Indicator(
                        "training",
                        weight=2,
                        scale=rm.OrdinalScale(levels=("none", "some", "most", "all")),
                    ),
                    rm.Indicator("skills"),
                ],
            ),
        ],
        bands=[rm.Band("high", range=rm.Range(min=60)), rm.Band("low")],
    )


def set_weight(r: rm.Rubric, ident: str, w: float) -> rm.Rubric:
    def node(d: rm.Dimension) -> rm.Dimension:
        return attrs.evolve(
            d,
            weight=w if d.id == ident else d.weight,
            dimensions=[node(s) for s in d.dimensions],
            indicators=[attrs.evolve(x, weight=w) if x.id == ident else x for x in d.indicators],
        )

    return attrs.evolve(r, dimensions=[node(d) for d in r.dimensions])


def answers(r: rm.Rubric) -> rm.ResponseSet:
    recs = [
        {"agency": "a", "portal": "yes", "uptime": 90, "training": "some", "skills": "no"},
        {"agency": "e", "portal": "no", "uptime": 100, "training": "some", "skills": "no"},
        {"agency": "b", "portal": "no", "uptime": 91, "training": "all", "skills": "yes"},
        {"agency": "c", "portal": "yes", "uptime": 95, "training": "most", "skills": "no"},
        {"agency": "d", "portal": "no", "uptime": None, "training": "n/a", "skills": "yes"},
    ]
    return rm.ResponseSet.from_records(recs, r, period=2024)


def test_identical_rubrics_have_no_differences() -> None:
    d = rm.diff_rubrics(base(), base(), answers(base()))
    assert d.changes == ()
    assert d.weights == ()
    assert d.movements is not None
    assert all(m.delta == 0 for m in d.movements if not math.isnan(m.delta))


def test_one_weight_change_reports_exactly_that_change_and_the_rank_moves() -> None:
    old = base()
    new = set_weight(old, "portal", 5.0)
    rs = answers(new)
    d = rm.diff_rubrics(old, new, rs)
    assert d.lines() == ["~ indicator 'portal' weight: 1 -> 5"]
    assert [(c.kind, c.target, c.id, c.field, c.old, c.new) for c in d.changes] == [
        ("changed", "indicator", "portal", "weight", 1.0, 5.0)
    ]
    w = {x.id: x for x in d.weights}
    assert set(w) == {"portal", "uptime"}  # the sibling's share moves with it
    assert (w["portal"].old_nominal, w["portal"].new_nominal) == pytest.approx((0.5, 5 / 6))
    assert w["portal"].new_effective == pytest.approx(0.25 * 5 / 6)
    a, b = rm.score(old, rs), rm.score(new, rs)
    assert d.movements is not None
    for i, m in enumerate(d.movements):
        assert m.agency == rs.agencies[i]
        assert m.old_overall == a.overall[i]
        assert m.new_overall == b.overall[i]
        assert (m.old_rank, m.new_rank) == (int(a.rank[i]), int(b.rank[i]))
        assert (m.old_band, m.new_band) == (a.band[i], b.band[i])
    moved = {m.agency: (m.old_rank, m.new_rank) for m in d.movements}
    assert moved["a"][0] == moved["e"][0]  # tied before the edit
    assert moved["a"][1] < moved["e"][1]  # a's portal now counts more
    top = d.movers(1)[0]
    assert abs(top.delta) == max(abs(m.delta) for m in d.movements)


def test_added_removed_and_changed_methods_are_listed() -> None:
    old = base()
    access, people = old.dimensions
    new_access = attrs.evolve(
        access,
        aggregate=rm.Aggregation("geometric"),
        indicators=[
            access.indicators[0],
            attrs.evolve(access.indicators[1], direction="lower_is_better"),
            rm.Indicator("app"),
        ],
    )
    new_people = attrs.evolve(people, indicators=[people.indicators[0]])
    new = attrs.evolve(
        old,
        version="2",
        rounding=2,
        dimensions=[new_access, new_people],
        bands=[rm.Band("high", range=rm.Range(min=70)), rm.Band("low"), rm.Band("none")][:2],
    )
    lines = rm.diff_rubrics(old, new).lines()
    assert "+ indicator 'app' in 'access'" in lines
    assert "- indicator 'skills' from 'people'" in lines
    assert "~ dimension 'access' aggregate: none -> geometric" in lines
    assert "~ indicator 'uptime' direction: higher_is_better -> lower_is_better" in lines
    assert "~ rubric 'diff' version: 1 -> 2" in lines
    assert "~ rubric 'diff' rounding: none -> 2" in lines
    assert any(line.startswith("~ band 'high' definition") for line in lines)
    assert len(lines) == 7


def test_scale_change_rereads_answers_and_reports_unreadable_ones() -> None:
    old = base()
    access, people = old.dimensions
    levels = ("none", "some", "most", "all", "optimised")
    training = attrs.evolve(people.indicators[0], scale=rm.OrdinalScale(levels=levels))
    new = attrs.evolve(
        old, dimensions=[access, attrs.evolve(people, indicators=[training, people.indicators[1]])]
    )
    recs = [
        {"agency": "c", "period": 1, "training": "optimised"},
        {"agency": "b", "period": 1, "training": "all"},
    ]
    d = rm.diff_rubrics(old, new, rm.ResponseSet.from_records(recs, new))
    assert [c.field for c in d.changes] == ["scale"]
    assert d.unreadable == ("old: agency 'c' (1), 'training': 'optimised'",)
    assert d.movements is not None
    c, b = d.movements
    assert c.old_overall == 0  # unreadable: missing, counted 0
    assert c.new_overall == pytest.approx(75 * 2 / 3)
    assert b.new_overall < b.old_overall  # 'all' is 3/4 of the new scale


def test_indicators_missing_on_one_side_count_as_missing_there() -> None:
    old = base()
    access, people = old.dimensions
    new = attrs.evolve(
        old,
        dimensions=[
            attrs.evolve(access, indicators=[*access.indicators, rm.Indicator("app")]),
            people,
        ],
    )
    rs = rm.ResponseSet.from_records(
        [
            {
                "agency": "x",
                "period": 1,
                "portal": "yes",
                "uptime": 100,
                "training": "all",
                "skills": "yes",
                "app": "yes",
            }
        ],
        new,
    )
    d = rm.diff_rubrics(old, new, rs)
    assert d.movements is not None
    assert d.movements[0].old_overall == pytest.approx(100.0)
    assert d.movements[0].new_overall == pytest.approx(100.0)
    rs_old = rm.ResponseSet.from_records(
        [
            {
                "agency": "x",
                "period": 1,
                "portal": "yes",
                "uptime": 100,
                "training": "all",
                "skills": "yes",
            }
        ],
        old,
    )
    d2 = rm.diff_rubrics(old, new, rs_old)
    assert d2.movements is not None
    assert d2.movements[0].new_overall == pytest.approx(100 - 25 / 3)  # app missing: 0


def test_answers_for_another_rubric_are_refused() -> None:
    other = rm.Rubric("o", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rs = rm.ResponseSet.from_array(np.array([[1.0]]), ["x"], other)
    with pytest.raises(rm.ResponseError, match="match neither"):
        rm.diff_rubrics(base(), base(), rs)


def test_cli_lists_changes_and_largest_movers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    old = rm.load_rubric("thai-dg-readiness-2016")
    first = old.dimensions[0]
    ind = first.indicators[0]
    new = attrs.evolve(
        old,
        dimensions=[
            attrs.evolve(
                first, indicators=[attrs.evolve(ind, weight=ind.weight * 3), *first.indicators[1:]]
            ),
            *old.dimensions[1:],
        ],
    )
    (tmp_path / "old.yaml").write_text(rm.dump_rubric(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(rm.dump_rubric(new), encoding="utf-8")
    args = ["diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")]
    assert main([*args, "--answers", str(demo_survey_path()), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "1 change(s)" in out
    assert f"~ indicator '{ind.id}' weight: {ind.weight:g} -> {ind.weight * 3:g}" in out
    assert "Largest movers" in out
    movers = out.split("Largest movers")[1].strip().splitlines()
    assert len(movers) == 1 + 2 + 3
    assert main(args) == 0
    assert "Largest movers" not in capsys.readouterr().out
