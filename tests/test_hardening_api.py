"""Public constructors and functions under hostile arguments (issue 12 item 9): a bad value
is a located ReadinessError, a wrong Python type a TypeError in one documented form;
nothing else escapes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import readiness_model as rm
from readiness_model import testing
from readiness_model._args import TYPE_MESSAGE

Q = rm.Indicator("q1", scale=rm.NumericScale(goalposts=(0, 10)))
DIM = rm.Dimension("d", indicators=[Q, rm.Indicator("q2")])
RUBRIC = rm.Rubric(
    "r", dimensions=[DIM], bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")]
)
RS = rm.ResponseSet.from_array([[1.0, 1.0], [2.0, 0.0]], ["a", "b"], RUBRIC, period=2016)
RES = rm.score(RUBRIC, RS)

HOSTILE: list[Any] = [
    None,
    "",
    "x",
    10**400,
    math.nan,
    math.inf,
    -1,
    0,
    1.5,
    True,
    [],
    {},
    (),
    object(),
    b"x",
    "\ud800",
    [None],
    {"a": 1},
    ("a",),
    [1, 2],
    -(10**30),
]

CONSTRUCTORS: dict[Any, dict[str, Any]] = {
    rm.NumericScale: {"goalposts": (0, 10), "unit": "", "clamp": True},
    rm.OrdinalScale: {"levels": ("a", "b")},
    rm.ChoiceScale: {"options": ("a", "b"), "values": (0, 1)},
    rm.ChecklistScale: {"items": ("a", "b")},
    rm.Indicator: {"id": "q", "scale": rm.BinaryScale(), "weight": 1.0, "missing": None},
    rm.Dimension: {"id": "d", "indicators": [Q], "aggregate": None, "min_coverage": 0},
    rm.Rubric: {"id": "r", "dimensions": [DIM], "version": "1", "scale": (0, 100)},
    rm.Band: {"id": "b", "range": rm.Range(min=50)},
    rm.TrendClass: {"id": "t", "change": rm.Range(min=1)},
    rm.Group: {"id": "g", "bands": ("b",), "trend": ("t",)},
    rm.Example: {"agency": "a", "answers": {"q1": 1}, "expect": {"overall": 10}},
    rm.Normalization: {"method": "goalposts", "params": None},
    rm.Aggregation: {"method": "arithmetic", "params": None},
    rm.Defaults: {"aggregate": rm.Aggregation(), "missing": "zero"},
    rm.Range: {"min": 1, "max": 2},
}

CALLS: dict[str, tuple[Any, dict[str, Any]]] = {
    "from_array": (
        rm.ResponseSet.from_array,
        {"values": [[1.0, 1.0]], "agencies": ["a"], "rubric": RUBRIC, "period": 2016},
    ),
    "from_array attributes": (
        rm.ResponseSet.from_array,
        {"values": [[1.0, 1.0]], "agencies": ["a"], "rubric": RUBRIC, "attributes": None},
    ),
    "from_array na": (
        rm.ResponseSet.from_array,
        {"values": [[1.0, 1.0]], "agencies": ["a"], "rubric": RUBRIC, "na": None},
    ),
    "from_records": (
        rm.ResponseSet.from_records,
        {"records": [{"agency": "a", "q1": 1, "q2": "yes"}], "rubric": RUBRIC},
    ),
    "score": (rm.score, {"rubric": RUBRIC, "responses": RS}),
    "explain": (rm.explain, {"results": RES, "agency": "a", "period": None}),
    "gap": (rm.gap, {"results": RES, "agency": "a", "period": None}),
    "distance": (rm.distance_to_target, {"results": RES, "agency": "a", "targets": 50}),
    "roll_up": (rm.roll_up, {"results": RES, "weights": None}),
    "sensitivity": (
        rm.sensitivity,
        {"rubric": RUBRIC, "responses": RS, "samples": 8, "seed": 1, "noise": 0.25},
    ),
    "audit": (rm.audit, {"rubric": RUBRIC, "responses": RS}),
    "diff": (rm.diff_rubrics, {"old": RUBRIC, "new": RUBRIC, "responses": None}),
    "agency": (RES.agency, {"agency": "a", "period": None}),
    "render_report": (rm.render_report, {"results": RES, "lang": "en", "era": "auto"}),
    "check_examples": (rm.check_examples, {"rubric": RUBRIC}),
    "dump_rubric": (rm.dump_rubric, {"rubric": RUBRIC}),
}


def outcome(call: Any, **kwargs: Any) -> str | None:
    """None when the call ends well (a result, a located ReadinessError or a TypeError
    in the documented form); else what escaped."""
    try:
        call(**kwargs)
    except rm.ReadinessError as err:
        unlocated = [p for p in err.problems if not p.path and p.location is None]
        return f"unlocated {unlocated}" if unlocated else None
    except TypeError as err:
        return None if TYPE_MESSAGE.match(str(err)) else f"TypeError {err}"
    except Exception as err:
        return f"{type(err).__name__} {err}"
    return None


@pytest.mark.parametrize("cls", list(CONSTRUCTORS), ids=lambda c: c.__name__)
def test_constructors_raise_only_located_errors_or_type_errors(cls: Any) -> None:
    base = CONSTRUCTORS[cls]
    cls(**base)
    escaped = []
    for field in base:
        for value in HOSTILE:
            got = outcome(cls, **{**base, field: value})
            if got:
                escaped.append((field, repr(value)[:20], got[:120]))
    assert escaped == []


@pytest.mark.parametrize("name", list(CALLS))
def test_functions_raise_only_located_errors_or_type_errors(name: str) -> None:
    call, base = CALLS[name]
    call(**base)
    escaped = []
    for field in base:
        for value in HOSTILE:
            got = outcome(call, **{**base, field: value})
            if got:
                escaped.append((field, repr(value)[:20], got[:120]))
    assert escaped == []


def test_the_issue_examples() -> None:
    with pytest.raises(rm.RubricError, match="'clamp' must be true or false") as info:
        rm.NumericScale(clamp=None)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "$.clamp"
    with pytest.raises(rm.RubricError, match="'dimensions' must be a list") as info:
        rm.Rubric("r", dimensions=None)  # type: ignore[arg-type]
    assert info.value.problems[0].path == "$.dimensions"
    with pytest.raises(rm.ResponseError) as rinfo:
        rm.ResponseSet.from_array([[1.0, 1.0]], ["a"], RUBRIC, period="")
    assert rinfo.value.problems[0].path == "period"


@pytest.mark.parametrize("params", [[1, 2], ("a",), {1: 2}])
def test_method_params_that_are_no_mapping_are_rubric_errors(params: Any) -> None:
    for cls in (rm.Normalization, rm.Aggregation):
        with pytest.raises(rm.RubricError) as info:
            cls(params=params)
        assert info.value.problems[0].path == "$.params"


def test_a_path_of_the_wrong_type_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"^'path' must be a file path \(got int\)$"):
        RES.to_csv(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'path' must be a file path \(got list\)$"):
        RES.to_json([])  # type: ignore[arg-type]


def test_render_report_names_a_wrong_argument() -> None:
    with pytest.raises(TypeError, match=r"^'results' must be a Results \(got str\)$"):
        rm.render_report("scores.json")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'lang' must be text \(got list\)$"):
        rm.render_report(RES, lang=["en"])  # type: ignore[arg-type]


@pytest.mark.parametrize("goalposts", [(0, 1.7e308), (-1.7e308, 1.7e308)])
def test_generated_answers_stay_finite_near_the_float_limit(goalposts: tuple[float, float]) -> None:
    r = rm.Rubric(
        "r",
        dimensions=[
            rm.Dimension(
                "d", indicators=[rm.Indicator("q", scale=rm.NumericScale(goalposts=goalposts))]
            )
        ],
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(testing.responses(r))
    def check(rs: rm.ResponseSet) -> None:
        assert not np.isinf(np.asarray(rs.values)).any()

    check()


def test_from_records_and_reports_name_a_wrong_argument() -> None:
    rec = [{"agency": "a", "q1": 1, "q2": "yes"}]
    with pytest.raises(TypeError, match=r"^'attributes' must be a list of text \(got NoneType\)$"):
        rm.ResponseSet.from_records(rec, RUBRIC, attributes=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'period' must be a year or a label \(got list\)$"):
        rm.ResponseSet.from_records(rec, RUBRIC, period=[])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'rubric' must be a Rubric \(got list\)$"):
        rm.render_report(RES, rubric=[])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'agencies' must be a list of text \(got bool\)$"):
        rm.render_report(RES, agencies=False)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^'results' must be a Results \(got NoneType\)$"):
        rm.radar_svg(None, "a")  # type: ignore[arg-type]
    with pytest.raises(rm.ResponseError, match="'size' must be 100 to 4000") as info:
        rm.radar_svg(RES, "a", size=10**400)
    assert info.value.problems[0].path == "size"


def test_a_results_json_whole_number_beyond_2_53_is_refused_not_rounded() -> None:
    import json

    doc = json.loads(RES.to_json())
    doc["node_scores"][0][0] = 2**53 + 1
    with pytest.raises(rm.ResponseError, match="beyond 2\\*\\*53") as info:
        rm.Results.from_json(json.dumps(doc))
    assert info.value.problems[0].path == "$.node_scores[0][0]"


def test_a_results_json_mask_that_is_null_is_located() -> None:
    import json

    doc = json.loads(RES.to_json())
    doc["responses"]["na"] = None
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_json(json.dumps(doc))
    assert info.value.problems[0].path == "$.responses.na"


def test_a_results_source_with_a_nul_is_a_located_error() -> None:
    for read in (rm.Results.from_csv, rm.Results.from_json):
        with pytest.raises(rm.ResponseError, match="cannot read results file") as info:
            read("a\x00b")
        assert info.value.problems[0].location is not None


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"agencies": ["a", "\ud800"]}, "agencies[1]"),
        ({"agencies": ["a", "b"], "attributes": {"k": ["x", "\udc00"]}}, "attributes.k[1]"),
        ({"agencies": ["a", "b"], "period": ["\ud800", "x"]}, "period"),
    ],
)
def test_from_array_refuses_a_lone_surrogate_where_it_is(kwargs: Any, path: str) -> None:
    """Item 6 through the array constructor: every output would fail to encode it."""
    r = rm.Rubric("r", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    with pytest.raises(rm.ResponseError, match="lone surrogate") as info:
        rm.ResponseSet.from_array([[1.0], [0.0]], rubric=r, **kwargs)
    assert info.value.problems[0].path == path
