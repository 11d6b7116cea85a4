"""Public constructors and functions called with hostile arguments: a located
ReadinessError or the documented TypeError, nothing else (issue 12 item 9)."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

from _contract import attempt, fuzz
from hypothesis import given
from hypothesis import strategies as st

import readiness_model as rm

Q = rm.Indicator("q1", scale=rm.NumericScale(goalposts=(0, 10)))
L = rm.Indicator("q3", scale=rm.OrdinalScale(levels=("none", "some", "all")))
DIM = rm.Dimension("d", indicators=[Q, rm.Indicator("q2"), L])
RUBRIC = rm.Rubric(
    "r",
    dimensions=[DIM],
    bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")],
    trend=[rm.TrendClass("up", change=rm.Range(min=1)), rm.TrendClass("flat")],
)
RS = rm.ResponseSet.from_array(
    [[1.0, 1.0, 2.0], [2.0, 0.0, 0.0], [3.0, 1.0, 1.0]],
    ["a", "b", "a"],
    RUBRIC,
    period=[2016, 2016, 2017],
)
RES = rm.score(RUBRIC, RS)
ANSWERS = Path(tempfile.mkdtemp()) / "answers.csv"
ANSWERS.write_text(rm.write_responses(RS, RUBRIC), encoding="utf-8")

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, 1.7e308, -0.0, 5e-324]),
    st.text(max_size=6),
    st.sampled_from(["", " ", "\ud800", "yes", "2016", "overall", "a", "x" * 300]),
    st.binary(max_size=4),
    st.builds(object),
)
HOSTILE = st.recursive(
    SCALARS,
    lambda c: (
        st.lists(c, max_size=3)
        | st.tuples(c, c)
        | st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), c, max_size=3)
        | st.frozensets(st.integers(), max_size=2)
    ),
    max_leaves=5,
)

TARGETS: list[tuple[str, Any, dict[str, Any]]] = [
    ("NumericScale", rm.NumericScale, {"goalposts": (0, 10), "unit": "", "clamp": True}),
    ("OrdinalScale", rm.OrdinalScale, {"levels": ("a", "b")}),
    ("ChoiceScale", rm.ChoiceScale, {"options": ("a", "b"), "values": (0, 1)}),
    ("ChecklistScale", rm.ChecklistScale, {"items": ("a", "b")}),
    (
        "Indicator",
        rm.Indicator,
        {
            "id": "q",
            "scale": rm.BinaryScale(),
            "weight": 1.0,
            "effort": None,
            "direction": "higher_is_better",
            "normalize": rm.Normalization(),
            "missing": None,
            "title": None,
            "references": (),
        },
    ),
    (
        "Dimension",
        rm.Dimension,
        {
            "id": "d",
            "indicators": [Q],
            "aggregate": None,
            "min_coverage": 0,
            "weight": 1,
            "rescale": None,
            "dimensions": (),
        },
    ),
    (
        "Rubric",
        rm.Rubric,
        {
            "id": "r",
            "dimensions": [DIM],
            "version": "1",
            "scale": (0, 100),
            "rounding": None,
            "population": None,
            "bands": (),
            "trend": (),
            "groups": (),
            "examples": (),
            "source": "",
            "defaults": rm.Defaults(),
            "title": None,
        },
    ),
    (
        "Band",
        rm.Band,
        {
            "id": "b",
            "range": rm.Range(min=50),
            "dimensions": (),
            "all_dimensions": None,
            "min_coverage": None,
        },
    ),
    ("TrendClass", rm.TrendClass, {"id": "t", "change": rm.Range(min=1)}),
    ("Group", rm.Group, {"id": "g", "bands": ("b",), "trend": ("t",)}),
    (
        "Example",
        rm.Example,
        {"agency": "a", "answers": {"q1": 1}, "expect": {"overall": 10}, "tol": 1e-6},
    ),
    ("Normalization", rm.Normalization, {"method": "goalposts", "params": None, "target": None}),
    ("Aggregation", rm.Aggregation, {"method": "arithmetic", "params": None, "p": None}),
    ("Defaults", rm.Defaults, {"aggregate": rm.Aggregation(), "missing": "zero"}),
    ("Range", rm.Range, {"min": 1, "max": 2, "below": None}),
    (
        "from_array",
        rm.ResponseSet.from_array,
        {
            "values": [[1.0, 1.0, 0.0]],
            "agencies": ["a"],
            "rubric": RUBRIC,
            "period": 2016,
            "na": None,
            "attributes": None,
            "copy": True,
        },
    ),
    (
        "from_records",
        rm.ResponseSet.from_records,
        {
            "records": [{"agency": "a", "q1": 1, "q2": "yes", "q3": "some"}],
            "rubric": RUBRIC,
            "period": None,
            "attributes": (),
        },
    ),
    ("score", rm.score, {"rubric": RUBRIC, "responses": RS}),
    ("explain", rm.explain, {"results": RES, "agency": "a", "period": None}),
    ("gap", rm.gap, {"results": RES, "agency": "a", "period": None}),
    (
        "distance",
        rm.distance_to_target,
        {"results": RES, "agency": "a", "targets": 50, "period": None},
    ),
    ("roll_up", rm.roll_up, {"results": RES, "by": "parent", "weights": None}),
    (
        "sensitivity",
        rm.sensitivity,
        {
            "rubric": RUBRIC,
            "responses": RS,
            "samples": 4,
            "seed": 1,
            "noise": 0.25,
            "weights": "dirichlet",
            "concentration": 10.0,
            "vary": "all",
            "chunk": None,
            "max_samples": 100,
        },
    ),
    ("audit", rm.audit, {"rubric": RUBRIC, "responses": RS}),
    ("diff", rm.diff_rubrics, {"old": RUBRIC, "new": RUBRIC, "responses": None}),
    ("agency", RES.agency, {"agency": "a", "period": None}),
    ("row", RES.row, {"agency": "a", "period": None}),
    ("to_csv", RES.to_csv, {"safe": True, "columns": "all", "encoding": "utf-8"}),
    (
        "render_report",
        rm.render_report,
        {"results": RES, "rubric": None, "agencies": None, "lang": "en", "era": "auto"},
    ),
    ("radar_svg", rm.radar_svg, {"results": RES, "agency": "a", "lang": "en"}),
    ("check_examples", rm.check_examples, {"rubric": RUBRIC}),
    ("dump_rubric", rm.dump_rubric, {"rubric": RUBRIC}),
    ("rubric_from_yaml", rm.rubric_from_yaml, {"text": "rubric: x\n"}),
    ("load_rubric", rm.load_rubric, {"path_or_name": "un-egdi-2024"}),
    ("load_responses", rm.load_responses, {"path": ANSWERS, "rubric": RUBRIC}),
    (
        "write_responses",
        rm.write_responses,
        {"responses": RS, "rubric": RUBRIC, "path": None, "format": None, "safe": True},
    ),
]


def test_every_base_call_works() -> None:
    for name, call, base in TARGETS:
        try:
            call(**base)
        except rm.ReadinessError as err:  # rubric_from_yaml's base is a bad rubric
            assert name == "rubric_from_yaml", err  # noqa: PT017


@fuzz(400)
@given(st.data())
def test_hostile_arguments_raise_only_the_documented_errors(data: st.DataObject) -> None:
    _, call, base = data.draw(st.sampled_from(TARGETS), label="target")
    keys = data.draw(st.lists(st.sampled_from(sorted(base)), min_size=1, max_size=2))
    kwargs = {**base, **{k: data.draw(HOSTILE, label=k) for k in keys}}
    attempt(lambda: call(**kwargs), in_file=False)
