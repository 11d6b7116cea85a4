"""Explain: contributions of each indicator to every ancestor node and the overall."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.analysis.explain import SHAPLEY_EXACT_MAX, explain, shapley
from readiness_model.cli import main
from readiness_model.testing import responses, rubrics


def _rubric(aggregate: str = "arithmetic", p: float | None = None, **dim: object) -> rm.Rubric:
    agg = rm.Aggregation(aggregate, p=p)
    return rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "access",
                weight=1,
                aggregate=agg,
                indicators=[
                    rm.Indicator("portal", weight=1),
                    rm.Indicator(
                        "uptime",
                        weight=2,
                        scale=rm.NumericScale(goalposts=(90, 100)),
                        remediation="Monitor uptime",
                    ),
                    rm.Indicator("app", weight=1, scale=rm.OrdinalScale(levels=("a", "b", "c"))),
                ],
                **dim,
            ),
            rm.Dimension("people", weight=3, indicators=[rm.Indicator("training")]),
        ],
    )


def _score(r: rm.Rubric, *rows: dict[str, object]) -> rm.Results:
    recs = [{"agency": f"ag{i}", "period": 2016, **row} for i, row in enumerate(rows)]
    return rm.score(r, rm.ResponseSet.from_records(recs, r))


def _check_sums(res: rm.Results, agency: str, period: object) -> None:
    ex = explain(res, agency, period)
    span = res.rubric.scale[1] - res.rubric.scale[0]
    tol = 1e-9 * max(1.0, abs(span), abs(res.rubric.scale[0]))
    if math.isnan(ex.overall_exact):
        return
    assert ex.total() == pytest.approx(ex.overall_exact, abs=tol)
    for nid, exact in ex.node_exact.items():
        parts = [c.by_node[nid] for c in ex.contributions if nid in c.by_node]
        if math.isnan(exact):
            continue
        assert ex.baseline + math.fsum(parts) == pytest.approx(exact, abs=tol), nid


def test_worked_example_from_design() -> None:
    """Arithmetic: contribution = effective weight × score, on the rubric scale."""
    res = _score(_rubric(), {"portal": "yes", "uptime": 95, "app": "c", "training": "no"})
    ex = explain(res, "ag0")
    got = {c.indicator: c for c in ex.contributions}
    assert got["portal"].effective_weight == pytest.approx(1 / 16)
    assert got["uptime"].contribution == pytest.approx(100 * 2 / 16 * 0.5)
    assert got["uptime"].by_node == {"access": pytest.approx(25.0)}
    assert got["uptime"].remediation == "Monitor uptime"
    assert got["training"].contribution == 0.0
    assert ex.total() == pytest.approx(ex.overall_exact, abs=1e-12)
    assert ex.methods == {"access": "linear", "people": "linear", "overall": "linear"}


def test_not_applicable_and_missing_under_reweight_drop_out() -> None:
    """Effective weight is renormalised over the children that count for this agency."""
    r = _rubric(missing="reweight")
    res = _score(r, {"portal": "yes", "uptime": None, "app": "n/a", "training": "yes"})
    got = {c.indicator: c for c in explain(res, "ag0").contributions}
    assert got["uptime"].status == "missing"
    assert got["uptime"].effective_weight == 0
    assert got["app"].status == "not_applicable"
    assert got["app"].answer == "n/a"
    assert got["portal"].effective_weight == pytest.approx(0.25)
    assert got["portal"].contribution == pytest.approx(25.0)


def test_geometric_decomposition_matches_log_share_formula() -> None:
    """Geometric: C_c = S · s_c ln x_c / Σ s ln x."""
    res = _score(
        _rubric("geometric"), {"portal": "yes", "uptime": 95, "app": "b", "training": "yes"}
    )
    ex = explain(res, "ag0")
    x = np.array([1.0, 0.5, 0.5])
    s = np.array([1, 2, 1]) / 4
    node = math.prod(x**s)
    want = node * s * np.log(x) / (s * np.log(x)).sum()
    got = [ex.contributions[j].by_node["access"] / 100 for j in range(3)]
    assert got == pytest.approx(want.tolist(), abs=1e-12)
    assert ex.methods["access"] == "log-share"
    assert ex.node_exact["access"] == pytest.approx(100 * node)


def test_geometric_with_a_zero_child_attributes_nothing() -> None:
    res = _score(
        _rubric("geometric"), {"portal": "no", "uptime": 95, "app": "b", "training": "yes"}
    )
    ex = explain(res, "ag0")
    assert [c.by_node["access"] for c in ex.contributions[:3]] == [0.0, 0.0, 0.0]


def test_minimum_gives_everything_to_the_lowest_child() -> None:
    res = _score(_rubric("minimum"), {"portal": "yes", "uptime": 95, "app": "c", "training": "yes"})
    ex = explain(res, "ag0")
    assert [c.by_node["access"] for c in ex.contributions[:3]] == [0.0, 50.0, 0.0]
    assert ex.methods["access"] == "minimum"


@pytest.mark.parametrize(("agg", "p"), [("harmonic", None), ("power", 2.0), ("power", -0.5)])
def test_shapley_nodes_sum_to_the_node_score(agg: str, p: float | None) -> None:
    res = _score(_rubric(agg, p), {"portal": "yes", "uptime": 93, "app": "b", "training": "yes"})
    ex = explain(res, "ag0")
    assert ex.methods["access"] == "shapley-exact"
    assert math.fsum(c.by_node["access"] for c in ex.contributions[:3]) == pytest.approx(
        ex.node_exact["access"], abs=1e-9
    )


def test_shapley_of_arithmetic_subset_means_for_two_children() -> None:
    """Hand-computed: v({1}) = x1, v({2}) = x2, v(N) = (x1 + x2)/2 with equal weights."""
    phi, exact = shapley(np.array([0.2, 0.6]), np.array([1.0, 1.0]), "arithmetic")
    # phi_1 = ½(x1 - 0) + ½(mean - x2) = ½·0.2 + ½·(0.4 - 0.6)
    assert exact
    assert phi.tolist() == pytest.approx([0.0, 0.4])


def test_sampled_shapley_still_sums_exactly_and_is_reproducible() -> None:
    n = SHAPLEY_EXACT_MAX + 2
    x = np.linspace(0.05, 1.0, n)
    w = np.arange(1.0, n + 1)
    phi, exact = shapley(x, w, "harmonic", samples=200, seed=3)
    again, _ = shapley(x, w, "harmonic", samples=200, seed=3)
    assert not exact
    assert phi.tolist() == again.tolist()
    assert phi.sum() == pytest.approx(w.sum() / (w / x).sum(), abs=1e-12)


def test_rescaled_node_contributions_sum_to_the_rescaled_score() -> None:
    r = _rubric(rescale="minmax")
    res = _score(
        r,
        {"portal": "yes", "uptime": 95, "app": "b", "training": "yes"},
        {"portal": "no", "uptime": 90, "app": "a", "training": "no"},
        {"portal": "yes", "uptime": 100, "app": "c", "training": "no"},
    )
    for ag in ("ag0", "ag1", "ag2"):
        _check_sums(res, ag, 2016)
    assert explain(res, "ag0").methods["access"] == "linear+rescale-proportional"


def test_results_agency_explain_is_the_same() -> None:
    res = _score(_rubric(), {"portal": "yes", "uptime": 95, "app": "c", "training": "no"})
    assert res.agency("ag0").explain() == explain(res, "ag0")


def test_weakest_lists_most_room_first() -> None:
    res = _score(_rubric(), {"portal": "yes", "uptime": 95, "app": "c", "training": "no"})
    assert [c.indicator for c in explain(res, "ag0").weakest(2)] == ["training", "uptime"]


def test_unknown_agency_is_a_response_error() -> None:
    res = _score(_rubric(), {"portal": "yes"})
    with pytest.raises(rm.ResponseError, match="no agency 'nope'"):
        explain(res, "nope")


@settings(max_examples=60)
@given(st.data())
def test_arithmetic_contributions_sum_to_every_score(data: st.DataObject) -> None:
    """Property: for every arithmetic rubric and answers, contributions add up exactly."""
    r = data.draw(rubrics(aggregations=("arithmetic",), classes=False))
    rs = data.draw(responses(r, max_agencies=4, periods=(2016,)))
    res = rm.score(r, rs)
    for ag, per in zip(res.agencies, res.periods, strict=True):
        _check_sums(res, ag, per)
        ex = explain(res, ag, per)
        assert set(ex.methods.values()) <= {"linear", "linear+rescale-proportional"}


@settings(max_examples=40)
@given(st.data())
def test_every_aggregation_sums_to_every_score(data: st.DataObject) -> None:
    """Property: every documented decomposition is exact (geometric, minimum, Shapley...)."""
    r = data.draw(rubrics(classes=False, max_indicators=8))
    rs = data.draw(responses(r, max_agencies=4, periods=(2016,)))
    res = rm.score(r, rs)
    for ag, per in zip(res.agencies, res.periods, strict=True):
        _check_sums(res, ag, per)


DEMO = str(
    Path(__file__).parents[1] / "src" / "readiness_model" / "data" / "demo-survey-2015-2016.csv"
)


def test_cli_explain_prints_contributions_and_remediation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "thai-dg-readiness-2016", DEMO, "--agency", "opm-ops"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("opm-ops (period 2016): overall ")
    assert "Policies and Practices: " in out
    assert "contribution" in out
    assert "Weakest indicators" in out
    total = out.split("Contributions add up to ")[1].split(" (overall, unrounded: ")
    assert total[0] == total[1].split(")")[0]


def test_cli_explain_in_thai_and_unknown_agency(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "explain",
                "thai-dg-readiness-2016",
                DEMO,
                "--agency",
                "opm-ops",
                "--period",
                "2015",
                "--lang",
                "th",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "(period 2015)" in out
    assert "นโยบายและแนวปฏิบัติ" in out
    assert main(["explain", "thai-dg-readiness-2016", DEMO, "--agency", "nope"]) == 1
    assert "no agency 'nope'" in capsys.readouterr().err


def test_a_subnormal_sibling_weight_is_refused_where_it_is_written() -> None:
    """The rubric hypothesis once found (a rescaled node whose raw score was subnormal
    because a sibling weighed 2.2e-308 beside 4) is now a located error: such a weight
    changes no score (issue 11 item 8)."""
    with pytest.raises(rm.RubricError) as err:
        rm.load_rubric(str(Path(__file__).parent / "data" / "explain-subnormal-rescale.yaml"))
    (p,) = err.value.problems
    assert p.path == "$.dimensions[1].dimensions[0].dimensions[1].weight"
    assert p.location is not None
    assert p.location.line == 45
    assert "'no_10' is more than 1e308 times smaller than the weight 4 of its sibling" in p.message
