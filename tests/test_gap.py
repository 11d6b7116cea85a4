"""Gap to the next band: the fewest answer changes, verified by rescoring."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.analysis.gap import Gap, distance_to_target, gap
from readiness_model.cli import main
from readiness_model.testing import responses, rubrics


def _rubric(**extra: object) -> rm.Rubric:
    return rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "policy",
                indicators=[
                    rm.Indicator("plan", weight=2, effort="medium"),
                    rm.Indicator("cio", weight=1, effort="low"),
                    rm.Indicator(
                        "budget",
                        weight=1,
                        effort="high",
                        scale=rm.NumericScale(goalposts=(0, 10), unit="%"),
                    ),
                ],
            ),
            rm.Dimension(
                "services",
                indicators=[
                    rm.Indicator(
                        "level",
                        weight=2,
                        effort="high",
                        scale=rm.OrdinalScale(levels=("none", "info", "transact", "full")),
                    ),
                    rm.Indicator(
                        "channels",
                        weight=1,
                        effort="low",
                        scale=rm.ChecklistScale(items=("web", "app", "phone", "kiosk")),
                    ),
                ],
            ),
        ],
        bands=[
            rm.Band("advanced", range=rm.Range(min=80), all_dimensions=60),
            rm.Band("developed", range=rm.Range(min=60), dimensions={"policy": 50}),
            rm.Band("developing", range=rm.Range(min=40)),
            rm.Band("initial"),
        ],
        **extra,
    )


def _results(r: rm.Rubric, *rows: dict[str, object]) -> rm.Results:
    recs = [{"agency": f"ag{i}", "period": 2016, **row} for i, row in enumerate(rows)]
    return rm.score(r, rm.ResponseSet.from_records(recs, r))


def _apply(res: rm.Results, g: Gap, skip: str | None = None) -> int:
    """Band index after applying the proposal (without ``skip``) inside all responses."""
    rs = res.responses
    assert rs is not None
    i = res.row(g.agency, g.period)
    values, missing = rs.values.copy(), rs.missing.copy()
    col = {x.id: j for j, x in enumerate(res.rubric.indicators)}
    for c in g.changes:
        if c.indicator != skip:
            values[i, col[c.indicator]] = c.stored
            missing[i, col[c.indicator]] = False
    new = rm.score(
        res.rubric,
        rm.ResponseSet(
            rubric_id=rs.rubric_id,
            indicator_ids=rs.indicator_ids,
            agencies=rs.agencies,
            periods=rs.periods,
            values=values,
            missing=missing,
            na=rs.na,
            attributes=rs.attributes,
        ),
    )
    band = new.band[i]
    return -1 if band is None else [b.id for b in res.rubric.bands].index(band)


def test_one_change_reaches_the_next_band_with_the_least_effort() -> None:
    """cio (low effort) and plan both lift policy; the lower effort wins, as 'yes'."""
    res = _results(
        _rubric(),
        {
            "plan": "no",
            "cio": "no",
            "budget": 10,
            "level": "full",
            "channels": "web|app|phone|kiosk",
        },
    )
    g = gap(res, "ag0")
    assert (g.band_before, g.target_band) == ("developing", "developed")
    assert [(c.indicator, c.proposed) for c in g.changes] == [("cio", "yes")]
    assert g.reached
    assert g.method == "exact"
    assert g.optimal
    assert g.minimal
    assert [[c.indicator for c in o.changes] for o in g.alternatives] == [["plan"]]


def test_numeric_answer_is_the_smallest_number_with_fewest_decimals() -> None:
    """Advanced needs policy >= 60: cio 'yes' (low effort), or budget (2 + b/10)/4 >= 0.6."""
    res = _results(
        _rubric(),
        {
            "plan": "yes",
            "cio": "no",
            "budget": 0,
            "level": "full",
            "channels": "web|app|phone|kiosk",
        },
    )
    g = gap(res, "ag0")
    assert (g.band_before, g.target_band) == ("developed", "advanced")
    assert [(c.indicator, c.proposed) for c in g.changes] == [("cio", "yes")]
    (alt,) = g.alternatives
    (budget,) = alt.changes
    assert budget.indicator == "budget"
    assert budget.proposed == pytest.approx(4.0, abs=1e-6)
    assert alt.band_after == "advanced"
    assert alt.effort == 3.0


def test_checklist_change_lists_the_items_to_add() -> None:
    res = _results(
        _rubric(),
        {"plan": "yes", "cio": "yes", "budget": 10, "level": "transact", "channels": "none"},
    )
    g = gap(res, "ag0", target_band="advanced")
    assert g.reached
    ch = {c.indicator: c for c in g.changes}["channels"]
    assert ch.current == "none"
    assert set(ch.added_items) <= {"web", "app", "phone", "kiosk"}
    assert rm.ChecklistScale(items=("web", "app", "phone", "kiosk")).parse(ch.proposed) == (
        ch.stored
    )


def test_top_band_needs_nothing() -> None:
    res = _results(
        _rubric(),
        {
            "plan": "yes",
            "cio": "yes",
            "budget": 10,
            "level": "full",
            "channels": "web|app|phone|kiosk",
        },
    )
    g = gap(res, "ag0")
    assert g.method == "none-needed"
    assert g.changes == ()


def test_unreachable_band_is_reported_not_claimed() -> None:
    """A gate on a dimension whose every indicator is n/a can never be met."""
    r = rm.Rubric(
        "u",
        dimensions=[
            rm.Dimension("policy", indicators=[rm.Indicator("plan")]),
            rm.Dimension("services", indicators=[rm.Indicator("portal")]),
        ],
        bands=[rm.Band("good", dimensions={"policy": 50}), rm.Band("rest")],
    )
    g = gap(_results(r, {"plan": "n/a", "portal": "no"}), "ag0")
    assert g.method == "unreachable"
    assert not g.reached
    assert g.band_after == "rest"


def test_population_relative_rubric_rescored_inside_the_population() -> None:
    r = rm.Rubric(
        "p",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator(
                        "staff", scale=rm.NumericScale(), normalize=rm.Normalization("minmax")
                    ),
                    rm.Indicator("plan"),
                ],
            )
        ],
        bands=[rm.Band("top", range=rm.Range(min=90)), rm.Band("rest")],
    )
    res = _results(
        r, {"staff": 10, "plan": "yes"}, {"staff": 50, "plan": "no"}, {"staff": 30, "plan": "yes"}
    )
    g = gap(res, "ag2")
    assert g.reached
    assert [c.indicator for c in g.changes] == ["staff"]
    assert _apply(res, g) == 0


def test_unknown_band_and_bandless_rubric_are_errors() -> None:
    res = _results(_rubric(), {"plan": "yes"})
    with pytest.raises(rm.RubricError, match="no band 'advnced'"):
        gap(res, "ag0", target_band="advnced")
    plain = rm.Rubric("n", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
    with pytest.raises(rm.RubricError, match="has no bands"):
        gap(_results(plain, {"a": "no"}), "ag0")


def test_distance_to_target_per_dimension_and_overall() -> None:
    res = _results(
        _rubric(), {"plan": "yes", "cio": "no", "budget": 5, "level": "none", "channels": "web"}
    )
    d = distance_to_target(res, "ag0", {"policy": 80, "overall": 50})
    got = {s.node: s for s in d.items}
    assert got["policy"].shortfall == pytest.approx(80 - 62.5)
    assert got["overall"].shortfall == pytest.approx(50 - (62.5 + 100 / 12) / 2)
    assert d.total == pytest.approx(got["policy"].shortfall + got["overall"].shortfall)
    with pytest.raises(rm.ResponseError, match="no node 'polcy'"):
        distance_to_target(res, "ag0", {"polcy": 1})


def _check_gap(res: rm.Results, *, strict: bool = True) -> None:
    """Proposals reach their band; when ``minimal`` is claimed (always, if ``strict``),
    undoing any one change loses the band."""
    ids = [b.id for b in res.rubric.bands]
    for ag, per in zip(res.agencies, res.periods, strict=True):
        g = gap(res, ag, per)
        if not g.reached:
            assert g.method == "unreachable"
            continue
        t = ids.index(g.target_band)
        if g.method == "none-needed":
            continue
        assert 0 <= _apply(res, g) <= t, "applying the changes reaches the band"
        assert g.minimal or not strict
        for c in g.changes:
            band = _apply(res, g, skip=c.indicator)
            assert not (g.minimal and 0 <= band <= t), f"{c.indicator} could be dropped"
            ind = res.rubric.indicator(c.indicator)
            if isinstance(ind.scale, rm.NumericScale):
                assert c.proposed == c.stored
            else:
                assert c.proposed == ind.scale.render(c.stored)
            # labels with surrounding spaces cannot be typed back (the parser strips)
            if all(p == p.strip() for p in str(c.proposed).split("|")):
                assert ind.scale.parse(c.proposed) == c.stored, "written as a person answers"


@settings(max_examples=40)
@given(st.data())
def test_proposals_reach_the_band_and_are_minimal(data: st.DataObject) -> None:
    """Property: applying the changes reaches the band; no single change can be dropped."""
    r = data.draw(
        rubrics(aggregations=("arithmetic",), normalizations=("goalposts",), max_indicators=8)
    )
    if not r.bands:
        return
    _check_gap(rm.score(r, data.draw(responses(r, max_agencies=3, periods=(2016,)))))


@settings(max_examples=15)
@given(st.data())
def test_proposals_hold_for_every_method(data: st.DataObject) -> None:
    """Property, any aggregation or normalisation: proposals are verified by rescoring."""
    r = data.draw(rubrics(max_indicators=6))
    if not r.bands:
        return
    _check_gap(rm.score(r, data.draw(responses(r, max_agencies=3, periods=(2016,)))), strict=False)


def test_gap_never_mutates_results() -> None:
    res = _results(_rubric(), {"plan": "no", "cio": "no"})
    before = np.array(res.responses.values, copy=True)  # type: ignore[union-attr]
    gap(res, "ag0")
    assert np.array_equal(res.responses.values, before, equal_nan=True)  # type: ignore[union-attr]


DEMO = str(
    Path(__file__).parents[1] / "src" / "readiness_model" / "data" / "demo-survey-2015-2016.csv"
)


def test_cli_gap_lists_the_changes_and_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gap", "thai-dg-readiness-2016", DEMO, "--agency", "opm-ops"]) == 0
    out = capsys.readouterr().out
    assert "target band ready" in out
    assert "verified by rescoring" in out
    assert "Single changes, best gain per effort first:" in out


def test_cli_gap_unknown_band_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["gap", "thai-dg-readiness-2016", DEMO, "--agency", "opm-ops", "--band", "advnced"]
    assert main(argv) == 1
    assert "did you mean 'advanced'" in capsys.readouterr().err


def _best_value(ind: rm.Indicator) -> float:
    """The stored value with the highest score (independent of the library's search)."""
    s = ind.scale
    if isinstance(s, rm.NumericScale):
        assert s.goalposts is not None
        lo, hi = s.goalposts
        return hi if ind.direction == "higher_is_better" else lo
    if isinstance(s, rm.ChecklistScale):
        full = float(2 ** len(s.items) - 1)
        return full if ind.direction == "higher_is_better" else 0.0
    values = s.stored_values()
    key = (lambda v: s.score(v)) if ind.direction == "higher_is_better" else (lambda v: -s.score(v))
    return max(values, key=key)


@settings(max_examples=30)
@given(st.data())
def test_optimal_size_matches_brute_force(data: st.DataObject) -> None:
    """Property: when `optimal`, no smaller set of changes reaches the band (brute force)."""
    import itertools

    r = data.draw(
        rubrics(aggregations=("arithmetic",), normalizations=("goalposts",), max_indicators=5)
    )
    if not r.bands:
        return
    res = rm.score(r, data.draw(responses(r, max_agencies=2, periods=(2016,))))
    rs = res.responses
    assert rs is not None
    ids = [b.id for b in r.bands]
    for i, (ag, per) in enumerate(zip(res.agencies, res.periods, strict=True)):
        g = gap(res, ag, per)
        if g.method in ("none-needed", "unreachable") or not g.optimal:
            continue
        t = ids.index(g.target_band)
        free = [j for j in range(len(r.indicators)) if not rs.na[i, j]]
        for k in range(len(g.changes)):
            for js in itertools.combinations(free, k):
                values, missing = rs.values.copy(), rs.missing.copy()
                for j in js:
                    values[i, j] = _best_value(r.indicators[j])
                    missing[i, j] = False
                new = rm.score(
                    r,
                    rm.ResponseSet(
                        rubric_id=rs.rubric_id,
                        indicator_ids=rs.indicator_ids,
                        agencies=rs.agencies,
                        periods=rs.periods,
                        values=values,
                        missing=missing,
                        na=rs.na,
                    ),
                )
                band = new.band[i]
                assert band is None or ids.index(band) > t, f"{k} changes suffice: {js}"


def test_alternatives_report_each_changes_gain_alone() -> None:
    """Alternatives carry the rescored gain of each change, as the best solution does."""
    r = rm.Rubric.from_yaml(
        "rubric: g\nscale: [0, 100]\ndimensions:\n  - id: d\n    indicators:\n"
        "      - {id: a, scale: {type: binary}}\n      - {id: b, scale: {type: binary}}\n"
        "bands:\n  - {id: high, min: 50}\n  - {id: low}\n"
    )
    res = rm.score(
        r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "no", "b": "no"}], r)
    )
    g = rm.gap(res, "x")
    assert [c.gain for c in g.changes] == [50.0]
    assert [[c.gain for c in o.changes] for o in g.alternatives] == [[50.0]]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_candidates_scored_together_equal_each_scored_alone(data: st.DataObject) -> None:
    """A population-relative gap search scores its candidates as copies of the period in
    one engine pass; each equals the period rescored alone up to BLAS rounding (a row's
    dot product may round differently inside a larger matrix product: 1 ulp was seen),
    with the same band whenever the reported scores agree."""
    import attrs

    from readiness_model.analysis._gap_rescore import Scorer

    r = data.draw(rubrics(normalizations=("minmax", "zscore", "rank", "goalposts")))
    rs = data.draw(responses(r, min_agencies=2, max_agencies=6, periods=(2016,)))
    try:
        res = rm.score(r, rs)
    except rm.ReadinessError:
        return
    row = data.draw(st.integers(0, len(res) - 1))
    other = data.draw(responses(r, min_agencies=1, max_agencies=5, periods=(2016,)))
    sc = Scorer(res, row)
    cand = np.where(sc.na, np.nan, other.values)  # an n/a answer stays n/a
    ok = ~(np.isnan(cand) & ~sc.na & compile_required(r)).any(axis=1)
    cand = cand[ok]
    if not len(cand):
        return
    got = sc.in_period(cand)
    ids = {b.id: k for k, b in enumerate(r.bands)}
    for k, v in enumerate(cand):
        values = rs.values.copy()
        values[row] = v
        missing = rs.missing.copy()
        missing[row] = np.isnan(v) & ~sc.na
        alone = rm.score(r, attrs.evolve(rs, values=values, missing=missing))
        band = alone.band[row]
        close = {"rtol": 1e-12, "atol": 1e-12, "equal_nan": True}
        np.testing.assert_allclose(got.overall_exact[k], alone.overall_exact[row], **close)
        np.testing.assert_allclose(got.node_exact[k], alone.node_exact[row], **close)
        np.testing.assert_allclose(got.coverage[k], alone.coverage[row], **close)
        same_reported = np.array_equal(got.overall[k], alone.overall[row], equal_nan=True)
        same_reported &= np.array_equal(got.node_scores[k], alone.node_scores[row], equal_nan=True)
        if same_reported:
            assert got.band[k] == (-1 if band is None else ids[band])


def compile_required(r: rm.Rubric) -> np.ndarray:
    from readiness_model.engine.plan import compile_rubric

    return np.asarray(compile_rubric(r).required)


def test_a_total_shortfall_past_the_largest_float_is_infinite_not_an_error() -> None:
    res = _results(_rubric(), {"plan": "yes"})
    d = distance_to_target(res, "ag0", 1e308)
    assert d.total == float("inf")
    assert all(s.shortfall > 1e307 for s in d.items)


def test_a_target_key_that_is_not_text_is_a_located_error() -> None:
    # found by the long fuzz run: {0: 0} reached difflib, which raised TypeError
    res = _results(_rubric(), {"plan": "yes"})
    with pytest.raises(rm.ResponseError) as info:
        distance_to_target(res, "ag0", {0: 0})  # type: ignore[dict-item]
    (p,) = info.value.problems
    assert p.message.startswith("no node 0 in rubric")
    assert p.path == "targets"
