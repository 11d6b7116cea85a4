"""A scale type from outside the package ("likert", 5 labelled levels) works everywhere a
built-in does: validate, schema, reading answers, scoring, hypothesis strategies, and
discovery through the entry-point group ``readiness_model.scales``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from plugin_likert import LEVELS, LikertScale
from readiness_model.cli import main
from readiness_model.model.scales import Scale, _registry
from readiness_model.testing import responses, rubrics

RUBRIC = """\
rubric: likert-demo
scale: [0, 100]
dimensions:
  - id: culture
    indicators:
      - {id: leaders_support, weight: 2, scale: {type: likert}}
      - id: staff_confident
        scale: {type: likert, labels: [never, rarely, sometimes, often, always]}
      - {id: portal, scale: {type: binary}}
examples:
  - agency: top
    answers: {leaders_support: strongly_agree, staff_confident: always, portal: true}
    expect: {overall: 100}
"""


@pytest.fixture
def registry() -> Iterator[None]:
    """The registry as it was, afterwards (registration is process-wide)."""
    saved = dict(_registry._TYPES), dict(_registry._PROVIDERS), _registry._plugins_loaded
    yield
    _registry._TYPES.clear()
    _registry._TYPES.update(saved[0])
    _registry._PROVIDERS.clear()
    _registry._PROVIDERS.update(saved[1])
    _registry._plugins_loaded = saved[2]


@pytest.fixture
def likert(registry: None) -> type[LikertScale]:
    return rm.register_scale(LikertScale)


@pytest.fixture
def rubric_file(likert: type[LikertScale], tmp_path: Path) -> Path:
    path = tmp_path / "likert.yaml"
    path.write_text(RUBRIC, encoding="utf-8")
    return path


def test_an_unregistered_type_is_a_located_error_naming_a_missing_plugin(
    registry: None, tmp_path: Path
) -> None:
    """Before registration the type is unknown; the hint says a plug-in may be missing."""
    with pytest.raises(rm.RubricError) as info:
        rm.rubric_from_yaml(RUBRIC, source="r.yaml")
    p = info.value.problems[0]
    assert p.path == "$.dimensions[0].indicators[0].scale.type"
    assert str(p.location) == "r.yaml:6:56"
    assert "plug-in that provides scale type 'likert'" in p.hint


def test_validate_accepts_it_and_checks_its_keys(
    rubric_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`validate` reads the plug-in's keys; an unknown key gets a did-you-mean hint."""
    assert main(["validate", str(rubric_file)]) == 0
    assert "OK" in capsys.readouterr().out
    rubric = rm.load_rubric(rubric_file)
    assert rubric.indicator("staff_confident").scale == LikertScale(
        labels=("never", "rarely", "sometimes", "often", "always")
    )
    bad = rubric_file.with_name("bad.yaml")
    bad.write_text(RUBRIC.replace("{type: likert}}", "{type: likert, lables: [a]}}"), "utf-8")
    assert main(["validate", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "unknown key 'lables' in a likert scale (did you mean 'labels'?)" in out
    bad.write_text(RUBRIC.replace("[never, rarely,", "[never,"), "utf-8")
    assert main(["validate", str(bad)]) == 1
    assert "'labels' is invalid: a Likert scale has 5 labels" in capsys.readouterr().out


def test_the_schema_knows_it(rubric_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """rubric_schema() and `readiness-model schema` describe the plug-in's keys; the rubric
    validates against it and a wrong key does not."""
    schema = rm.rubric_schema()
    likert = schema["$defs"]["scale_likert"]
    assert likert["properties"]["labels"]["maxItems"] == 5
    assert {"$ref": "#/$defs/scale_likert"} in schema["$defs"]["scale"]["oneOf"]
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema
    import yaml

    v = jsonschema.Draft202012Validator(schema)
    assert v.is_valid(yaml.safe_load(RUBRIC))
    assert not v.is_valid(yaml.safe_load(RUBRIC.replace("{type: likert}", "{type: likert, x: 1}")))


def test_answers_are_read_scored_and_written(rubric_file: Path, tmp_path: Path) -> None:
    """load_responses and from_records read labels and points; scores follow the engine
    form; the golden example holds."""
    rubric = rm.load_rubric(rubric_file)
    csv = tmp_path / "answers.csv"
    csv.write_text(
        "agency,period,leaders_support,staff_confident,portal\n"
        "a,2024,strongly_agree,always,yes\n"
        "b,2024,neutral,2,no\n"
        "c,2024,disagree,n/a,\n",
        encoding="utf-8",
    )
    from_file = rm.load_responses(csv, rubric)
    records = [
        {"agency": "a", "period": 2024, "leaders_support": 5, "staff_confident": "Always",
         "portal": True},
        {"agency": "b", "period": 2024, "leaders_support": "neutral",
         "staff_confident": "rarely", "portal": "no"},
        {"agency": "c", "period": 2024, "leaders_support": "disagree",
         "staff_confident": "n/a", "portal": None},
    ]  # fmt: skip
    assert rm.ResponseSet.from_records(records, rubric) == from_file
    res = rm.score(rubric, from_file)
    # a: all best; b: (2*0.5 + 0.25 + 0) / 4; c: staff n/a, portal missing (zero): 2*0.25 / 3
    assert res.overall.tolist() == pytest.approx([100.0, 31.25, 100 * 0.5 / 3])
    assert from_file.to_records(rubric)[1]["staff_confident"] == "rarely"
    assert all(r.passed for r in rm.check_examples(rubric))
    with pytest.raises(rm.ResponseError, match="expected one of never, rarely"):
        rm.ResponseSet.from_records([{**records[0], "staff_confident": "maybe"}], rubric)


def test_dump_round_trips(rubric_file: Path) -> None:
    rubric = rm.load_rubric(rubric_file)
    text = rm.dump_rubric(rubric)
    assert "type: likert" in text
    assert rm.rubric_from_yaml(text) == rubric


def test_hypothesis_strategies_draw_it(likert: type[LikertScale]) -> None:
    """testing.rubrics() draws registered plug-in types; responses() draws their answers."""

    @settings(max_examples=15, deadline=None, derandomize=True)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        rubric = data.draw(rubrics(scales=("likert", "binary"), max_indicators=4, examples=True))
        rs = data.draw(responses(rubric, max_agencies=3))
        res = rm.score(rubric, rs)
        assert res.overall.shape == (len(rs.agencies),)
        assert rm.rubric_from_yaml(rm.dump_rubric(rubric)) == rubric
        for ind in rubric.indicators:
            if isinstance(ind.scale, LikertScale):
                assert ind.scale.parse(data.draw(ind.scale.answers())) in range(5)

    check()
    assert "likert" in rm.scale_types()


def test_an_entry_point_registers_it_once_with_its_provider(
    registry: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plug-in package lists the class in the entry-point group; the first lookup that
    misses loads the group (once) and records the providing distribution."""
    ep = metadata.EntryPoint("likert", "plugin_likert:LikertScale", "readiness_model.scales")
    calls = []

    def entry_points(group: str) -> list[metadata.EntryPoint]:
        calls.append(group)
        return [ep]

    monkeypatch.setattr(_registry.metadata, "entry_points", entry_points)
    _registry._plugins_loaded = False
    assert rm.model.scale_type("likert") is LikertScale
    assert rm.scale_types()[-1] == "likert"
    assert calls == ["readiness_model.scales"]
    assert _registry.scale_provider("likert") == "plugin_likert:LikertScale"
    assert rm.rubric_from_yaml(RUBRIC).indicators[0].scale == LikertScale()


def test_a_broken_plugin_is_named(registry: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ep = metadata.EntryPoint("oops", "no_such_module:Thing", "readiness_model.scales")
    monkeypatch.setattr(_registry.metadata, "entry_points", lambda group: [ep])
    _registry._plugins_loaded = False
    with pytest.raises(rm.RubricError, match="cannot load scale plug-in 'oops'"):
        rm.scale_types()


def test_a_scale_missing_a_part_fails_when_defined() -> None:
    """No silent default: a class without engine_form (or type) is a TypeError at once."""
    with pytest.raises(TypeError, match=r"does not implement .*engine_form"):

        class Half(Scale):  # pragma: no cover - never built
            type = "half"
            continuous = False

            def parse(self, raw: object) -> float:
                return 0.0

    with pytest.raises(TypeError, match="must set 'type'"):

        class Nameless(LikertScale):  # pragma: no cover - never built
            type = ""


def test_registration_checks_the_class(registry: None) -> None:
    """Only complete attrs scale classes whose fields carry YAML metadata; a taken name
    needs replace=True."""
    import attrs

    with pytest.raises(TypeError, match="not a scale class"):
        rm.register_scale(int)  # type: ignore[type-var]

    @attrs.frozen
    class Bare(LikertScale):
        type = "bare"
        extra: int = 0

    with pytest.raises(TypeError, match="extra carry no YAML metadata"):
        rm.register_scale(Bare)

    @attrs.frozen
    class Other(LikertScale):
        type = "binary"

    with pytest.raises(TypeError, match="already registered"):
        rm.register_scale(Other)
    assert rm.register_scale(Other, replace=True) is Other
    assert LEVELS[0] == "strongly_disagree"


def test_the_extending_page_examples_run(registry: None) -> None:
    """docs/extending.md: every `>>>` example (the Scales section) shows what it says."""
    import doctest

    page = Path(__file__).resolve().parents[1] / "docs" / "extending.md"
    test = doctest.DocTestParser().get_doctest(
        page.read_text("utf-8"), {}, "extending.md", str(page), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.summarize(verbose=False).failed == 0, "".join(out)
    assert test.examples
