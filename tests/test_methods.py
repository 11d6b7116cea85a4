"""Normalisations and aggregations are registered parts (issue 11 item 3).

A plug-in adds a method from outside the package through the public registration API
(or an entry point), and a rubric that names it scores, explains and runs sensitivity
like any other; its provenance names the providing package.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.model import methods

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registrations made by a test are forgotten after it."""
    monkeypatch.setattr(methods, "_NORMALIZATIONS", dict(methods._NORMALIZATIONS))
    monkeypatch.setattr(methods, "_AGGREGATIONS", dict(methods._AGGREGATIONS))
    yield
    rm.engine.compile_rubric.cache_clear()


# -- a normalisation plug-in: "log", with a parameter ------------------------------------
def log_score(x: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """``log(1 + x) / log(1 + cap)``: the answer's own number on a log scale."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.log1p(np.maximum(x, 0.0)) / np.log1p(cap)
    return out


def register_log() -> rm.model.methods.NormalizationSpec:
    return rm.register_normalization(
        "log",
        log_score,
        population=False,
        params=[rm.Param("cap", required=True, doc="The answer that scores 1.")],
        doc="Logarithmic score up to a cap.",
        formula="clamp(log(1 + x) / log(1 + cap), 0, 1)",
    )


LOG_RUBRIC = """
rubric: plugin-demo
rounding: {decimals: 2}
dimensions:
  - id: reach
    weight: 2
    indicators:
      - {id: users, scale: {type: numeric}, normalize: {method: log, cap: 999}}
      - {id: outages, scale: {type: numeric}, direction: lower_is_better,
         normalize: {method: log, cap: 99}}
      - {id: portal}
  - id: people
    indicators:
      - {id: staff, scale: {type: numeric}, normalize: zscore}
      - {id: trained}
bands:
  - {id: good, min: 50}
  - {id: weak}
"""
LOG_ANSWERS = [
    {"agency": "a", "period": 1, "users": 999, "outages": 0, "portal": "yes", "staff": 40,
     "trained": "yes"},
    {"agency": "b", "period": 1, "users": 9, "outages": 9, "portal": "no", "staff": 10,
     "trained": "no"},
    {"agency": "c", "period": 1, "users": 99, "outages": 99, "portal": "yes", "staff": 25,
     "trained": "no"},
]  # fmt: skip


def test_a_normalisation_plug_in_scores_explains_and_runs_sensitivity(registry: None) -> None:
    """A "log" normalisation registered from outside the package scores a YAML rubric
    that uses it; explanations add up, sensitivity runs, provenance names it."""
    spec = register_log()
    assert not spec.builtin
    assert spec.provider == "test_methods (not an installed distribution)"
    rubric = rm.rubric_from_yaml(LOG_RUBRIC)
    assert rubric.indicator("users").normalize == rm.Normalization("log", {"cap": 999})
    res = rm.score(rubric, rm.ResponseSet.from_records(LOG_ANSWERS, rubric))
    z = res.indicator_scores
    np.testing.assert_allclose(z[:, 0], [1.0, 1 / 3, 2 / 3])  # log10(1 + x) / 3
    np.testing.assert_allclose(z[:, 1], [1.0, 0.5, 0.0])  # lower is better: 1 - s
    assert res.provenance.methods == (
        ("normalization", "log", "test_methods (not an installed distribution)"),
    )
    for agency in ("a", "b", "c"):
        ex = rm.explain(res, agency)
        assert math.isclose(ex.total(), ex.overall_exact, abs_tol=1e-9)
    s = rm.sensitivity(rubric, rm.ResponseSet.from_records(LOG_ANSWERS, rubric), samples=50)
    assert s.rank_interval.shape == (3, 3)
    assert s.nan_draws.tolist() == [0, 0, 0]
    # provenance survives the results' files
    assert rm.Results.from_json(res.to_json()).provenance == res.provenance
    text = res.to_csv()
    assert '""log"", ""test_methods (not an installed distribution)""' in text
    assert rm.Results.from_csv(text, rubric=rubric).provenance == res.provenance


def test_a_plug_in_method_round_trips_through_yaml_and_the_schema(registry: None) -> None:
    register_log()
    rubric = rm.rubric_from_yaml(LOG_RUBRIC)
    assert rm.rubric_from_yaml(rm.dump_rubric(rubric)) == rubric
    frag = rm.Normalization.schema()
    v = jsonschema.Draft202012Validator(frag)
    assert v.is_valid({"method": "log", "cap": 99})
    assert not v.is_valid({"method": "log"})  # cap is required
    assert not v.is_valid("log")
    assert not v.is_valid({"method": "log", "cap": 9, "bse": 2})


def test_plug_in_parameters_are_checked_where_they_are_written(registry: None) -> None:
    register_log()
    bad = LOG_RUBRIC.replace("{method: log, cap: 999}", "{method: log, cpa: 999}")
    with pytest.raises(rm.RubricError) as err:
        rm.rubric_from_yaml(bad)
    messages = {(p.message, p.path, p.hint) for p in err.value.problems}
    assert (
        "unknown parameter 'cpa' of 'log' (takes cap)",
        "$.dimensions[0].indicators[0].normalize.cpa",
        "did you mean 'cap'?",
    ) in messages
    assert any(p.message == "'log' needs the parameter 'cap'" for p in err.value.problems)
    with pytest.raises(rm.RubricError, match="'cap' must be a finite number"):
        rm.Normalization("log", {"cap": "lots"})


def test_an_unknown_method_names_the_possibly_missing_plug_in() -> None:
    """Never a silent default: an unknown normalisation is a located error."""
    with pytest.raises(rm.RubricError) as err:
        rm.rubric_from_yaml(LOG_RUBRIC)  # "log" is not registered here
    (p, *_) = (p for p in err.value.problems if p.message == "unknown normalisation 'log'")
    assert p.path == "$.dimensions[0].indicators[0].normalize.method"
    assert p.location is not None
    assert p.location.line == 8
    assert "readiness_model.normalizations" in p.hint
    assert "plug-in" in p.hint
    with pytest.raises(rm.RubricError) as err:
        rm.rubric_from_yaml(
            "rubric: r\ndimensions: [{id: d, aggregate: medain, indicators: [{id: q}]}]"
        )
    p = err.value.problems[0]
    assert (p.message, p.path) == ("unknown aggregation 'medain'", "$.dimensions[0].aggregate")
    assert p.hint.startswith("expected one of")
    assert "readiness_model.aggregations" in p.hint


def test_a_name_is_registered_once_unless_replaced(registry: None) -> None:
    register_log()
    with pytest.raises(ValueError, match="already registered"):
        rm.register_normalization("log", lambda x: x, population=False)
    rm.register_normalization("log", lambda x: x, population=False, replace=True)
    with pytest.raises(ValueError, match="identifier"):
        rm.register_aggregation("no spaces", lambda ch: ch.values)
    with pytest.raises(ValueError, match="input must be"):
        rm.register_normalization("raw", lambda x: x, population=False, input="raw")


def test_a_plug_in_returning_the_wrong_shape_is_named(registry: None) -> None:
    rm.register_normalization("broken", lambda x: x[:, :0], population=False)
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        rm.Indicator("q", normalize=rm.Normalization("broken"))])])  # fmt: skip
    with pytest.raises(ValueError, match="normalisation 'broken' returned an array of shape"):
        rm.score(r, rm.ResponseSet.from_array([[1.0]], ["x"], r))


# -- an aggregation plug-in: the Lehmer mean -----------------------------------------------
def lehmer(ch: rm.Children, q: float) -> np.ndarray:
    """``Σ w·s^q / Σ w·s^(q−1)`` over the included children (0 when all are 0)."""
    s = ch.filled(0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        num = s**q @ ch.weights
        den = np.where(ch.included, s ** (q - 1), 0.0) @ ch.weights
        out = np.where(den > 0, num / den, 0.0)
    result: np.ndarray = np.where(ch.included_weight > 0, out, np.nan)
    return result


def test_an_aggregation_plug_in_scores_and_is_explained_by_shapley_values(registry: None) -> None:
    rm.register_aggregation(
        "lehmer",
        lehmer,
        params=[rm.Param("q", default=2.0, doc="The Lehmer exponent.")],
        doc="Lehmer mean: leans towards the best children.",
        formula="Σ w_c·s_c^q / Σ w_c·s_c^(q−1)",
    )
    rubric = rm.rubric_from_yaml(
        "rubric: lehmer-demo\ndefaults: {aggregate: {lehmer: 3}}\n"
        "dimensions:\n  - id: d\n    aggregate: lehmer\n"
        "    indicators: [{id: a}, {id: b, weight: 3}, {id: c, scale: {type: ordinal, "
        "levels: [l, m, h]}}]\n  - {id: e, indicators: [{id: f}]}\n"
    )
    d = rubric.dimension("d")
    assert d.aggregate == rm.Aggregation("lehmer", {"q": 2.0})
    assert rubric.defaults.aggregate.to_data() == {"lehmer": 3.0}
    rs = rm.ResponseSet.from_records(
        [
            {"agency": "x", "period": 1, "a": "yes", "b": "no", "c": "m", "f": "yes"},
            {"agency": "y", "period": 1, "a": "no", "b": "yes", "c": "h", "f": "n/a"},
        ],
        rubric,
    )
    res = rm.score(rubric, rs)
    x = np.array([1.0, 0.0, 0.5])
    w = np.array([1.0, 3.0, 1.0])
    want = (w * x**2).sum() / (w * x).sum()
    assert math.isclose(res.node_exact[0, 0], 100 * want)
    ex = rm.explain(res, "x")
    assert ex.methods["d"] == "shapley-exact"
    assert math.isclose(ex.total(), ex.overall_exact, abs_tol=1e-9)
    in_d = [c.by_node["d"] for c in ex.contributions if "d" in c.by_node]
    assert math.isclose(sum(in_d), ex.node_exact["d"], abs_tol=1e-9)
    s = rm.sensitivity(rubric, rs, samples=20, alternatives={"aggregate": ["arithmetic", "lehmer"]})
    assert s.alternatives == (("aggregate", ("arithmetic", "lehmer(2)")),)
    assert ("aggregation", "lehmer", "test_methods (not an installed distribution)") in (
        res.provenance.methods
    )


# -- discovery through entry points ------------------------------------------------------
PLUGIN = """
import numpy as np
from readiness_model import register_normalization


def halve(x):
    return x / 2.0


def register():
    register_normalization("halved", halve, population=False, input="score",
                           doc="Half the fixed score.", formula="s / 2")
"""


def _install(tmp: Path, name: str, version: str, module: str, code: str, target: str) -> None:
    (tmp / f"{module}.py").write_text(textwrap.dedent(code), encoding="utf-8")
    info = tmp / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[readiness_model.normalizations]\n{name} = {target}\n", encoding="utf-8"
    )


def test_plug_ins_are_discovered_through_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: None
) -> None:
    """An installed distribution declaring the entry point is loaded (once) the first time
    a rubric names a method that is not registered; provenance names it and its version."""
    _install(tmp_path, "rm-plugin-demo", "1.2", "rm_plugin_demo", PLUGIN, "rm_plugin_demo:register")
    _install(tmp_path, "rm-plugin-broken", "0.1", "rm_plugin_broken", "raise ImportError('no')\n",
             "rm_plugin_broken")  # fmt: skip
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(methods, "_LOADED", set())
    monkeypatch.setitem(methods._BROKEN, methods.NORMALIZATION_GROUP, [])
    r = rm.rubric_from_yaml(
        "rubric: r\ndimensions: [{id: d, indicators: [{id: q, normalize: halved}]}]"
    )
    spec = methods.normalization("halved")
    assert spec.provider == "rm-plugin-demo 1.2"
    res = rm.score(r, rm.ResponseSet.from_array([[1.0], [0.0]], ["x", "y"], r))
    assert res.overall.tolist() == [50.0, 0.0]
    assert res.provenance.methods == (("normalization", "halved", "rm-plugin-demo 1.2"),)
    # the broken plug-in did not break the library; an unknown name reports it
    with pytest.raises(rm.RubricError) as err:
        rm.Normalization("halfed")
    hint = err.value.problems[0].hint
    assert hint.startswith("did you mean 'halved'?")
    assert "rm-plugin-broken (rm-plugin-broken 0.1) failed to load" in hint


# -- the built-ins, described by the registry ---------------------------------------------
def test_builtins_are_registered_like_plug_ins() -> None:
    assert [s.name for s in rm.normalizations()][:6] == [
        "goalposts", "minmax", "zscore", "rank", "percentile", "target",
    ]  # fmt: skip
    assert [s.name for s in rm.aggregations()][:5] == [
        "arithmetic", "geometric", "harmonic", "power", "minimum",
    ]  # fmt: skip
    for s in (*rm.normalizations(), *rm.aggregations()):
        if s.builtin:
            assert s.provider == "readiness-model"
            assert s.doc
            assert s.formula
            assert s.func.__module__.startswith("readiness_model.engine.")
    assert {s.name for s in rm.normalizations() if s.population} == {
        "minmax", "zscore", "rank", "percentile", "target",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (rm.Normalization, "zscore"),
        (rm.Normalization, {"method": "target", "target": 80.0}),
        (rm.Aggregation, "geometric"),
        (rm.Aggregation, {"power": 2.0}),
    ],
)
def test_todays_yaml_forms_read_and_write_unchanged(cls: type, data: object) -> None:
    obj = cls.from_data(data)
    assert obj.to_data() == data
    jsonschema.validate(data, cls.schema(), cls=jsonschema.Draft202012Validator)


def test_the_general_mapping_form_reads_any_method() -> None:
    assert rm.Aggregation.from_data({"method": "power", "p": 2}) == rm.Aggregation("power", p=2.0)
    assert rm.Normalization.from_data({"method": "rank"}) == rm.Normalization("rank")
    for bad, path in [
        ({"power": 2, "p": 2}, "$"),
        ({"minimum": 1}, "$.minimum"),
        ([1], "$"),
        ({"method": ["x"]}, "$.method"),
        ({"power": 10**400}, "$.power"),
    ]:
        with pytest.raises(rm.RubricError) as err:
            rm.Aggregation.from_data(bad)
        assert err.value.problems[0].path == path


def test_every_method_in_the_shipped_rubrics_validates_against_the_schema_fragments() -> None:
    norm = jsonschema.Draft202012Validator(rm.Normalization.schema())
    agg = jsonschema.Draft202012Validator(rm.Aggregation.schema())
    seen = 0

    def walk(node: object) -> None:
        nonlocal seen
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "normalize":
                    assert norm.is_valid(value), value
                    seen += 1
                elif key == "aggregate":
                    assert agg.is_valid(value), value
                    seen += 1
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in SHIPPED.glob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert seen > 5
    assert json.dumps(rm.Normalization.schema())  # plain JSON data


# -- laws ---------------------------------------------------------------------------------
_params = st.floats(-1e6, 1e6, allow_nan=False)


@st.composite
def method_choices(draw: st.DrawFn) -> rm.Normalization | rm.Aggregation:
    if draw(st.booleans()):
        spec = draw(st.sampled_from([s for s in rm.normalizations() if s.builtin]))
        given = {p.name: draw(_params) for p in spec.params}
        return rm.Normalization(spec.name, given)
    spec = draw(st.sampled_from([s for s in rm.aggregations() if s.builtin]))
    return rm.Aggregation(spec.name, {p.name: draw(_params) for p in spec.params})


@settings(max_examples=200, deadline=None)
@given(method_choices())
def test_every_method_choice_reads_back_from_its_yaml_form(
    m: rm.Normalization | rm.Aggregation,
) -> None:
    """from_data(to_data(m)) == m, and the form satisfies the schema fragment."""
    data = m.to_data()
    assert type(m).from_data(data) == m
    assert type(m).from_data(yaml.safe_load(yaml.safe_dump(data))) == m
    jsonschema.validate(data, type(m).schema(), cls=jsonschema.Draft202012Validator)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from([0.0, 1e-300, 1e-13, 1e-12, 0.5, 1.0, 7.0, 1e12, 1e300]),
        min_size=1,
        max_size=4,
    )
)
def test_siblings_are_valid_exactly_when_no_ratio_exceeds_1e12(weights: list[float]) -> None:
    """A dimension (or the top level) is refused iff a nonzero sibling weight is more
    than 1e12 times smaller than the largest; each such sibling is named where it is."""
    top = max(weights)
    bad = [i for i, w in enumerate(weights) if w > 0 and top / w > 1e12]
    kids = [rm.Indicator(f"q{i}", weight=w) for i, w in enumerate(weights)]
    if top == 0:
        return  # all-zero siblings are their own error
    if not bad:
        rm.Dimension("d", indicators=kids)
        rm.Rubric(
            "r",
            dimensions=[
                rm.Dimension(f"d{i}", weight=w, indicators=[rm.Indicator(f"x{i}")])
                for i, w in enumerate(weights)
            ],
        )
        return
    with pytest.raises(rm.RubricError) as err:
        rm.Dimension("d", indicators=kids)
    paths = [p.path for p in err.value.problems]
    assert paths == [f"$.indicators[{i}].weight" for i in bad]
    with pytest.raises(rm.RubricError) as err:
        rm.Rubric(
            "r",
            dimensions=[
                rm.Dimension(f"d{i}", weight=w, indicators=[rm.Indicator(f"x{i}")])
                for i, w in enumerate(weights)
            ],
        )
    assert [p.path for p in err.value.problems] == [f"$.dimensions[{i}].weight" for i in bad]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([np.nan, 0.0, 1.5, -2.0, 7.0, 1e-300]), min_size=3, max_size=3),
        min_size=0,
        max_size=8,
    )
)
def test_column_statistics_are_those_of_the_answered_values(rows: list[list[float]]) -> None:
    """Per column: count, extremes, mean, sd and distinct values of its non-NaN values; a
    method fed the same statistics as given (a frozen round) scores the same."""
    from collections import Counter

    a = np.array(rows, float).reshape(len(rows), 3)
    stats = rm.ColumnStats(a)
    for c in range(3):
        col = [v for v in a[:, c].tolist() if not math.isnan(v)]
        assert stats.count[c] == len(col)
        if col:
            assert (stats.min[c], stats.max[c]) == (min(col), max(col))
            assert math.isclose(stats.mean[c], math.fsum(col) / len(col), abs_tol=1e-12)
        else:
            assert math.isnan(stats.min[c])
            assert math.isnan(stats.mean[c])
        values, counts = stats.distinct[c]
        assert dict(zip(values.tolist(), counts.tolist(), strict=True)) == Counter(col)
    frozen = rm.ColumnStats.given(
        count=stats.count,
        min=stats.min,
        max=stats.max,
        mean=stats.mean,
        sd=stats.sd,
        distinct=stats.distinct,
    )
    x = np.array([[0.0, 1.5, np.nan], [9.0, -3.0, 1e-300]])
    for spec in rm.normalizations():
        if spec.population and not spec.params:
            np.testing.assert_array_equal(spec.func(x, stats), spec.func(x, frozen))
    with pytest.raises(ValueError, match="was not given"):
        _ = rm.ColumnStats.given(min=stats.min).max
