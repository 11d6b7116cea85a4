"""The JSON Schema of the rubric format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from readiness_model.io.schema import rubric_schema

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics" / "thai-dg-readiness-2016.yaml"


def _objects(node: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            out.append(node)
        for v in node.values():
            out += _objects(v)
    elif isinstance(node, list):
        for v in node:
            out += _objects(v)
    return out


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    """rubric_schema() is itself valid under its metaschema."""
    schema = rubric_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_object_with_properties_forbids_unknown_keys_and_describes_them() -> None:
    """additionalProperties is false wherever keys are fixed; every key has a description."""
    for obj in _objects(rubric_schema()):
        if "properties" in obj:
            assert obj["additionalProperties"] is False, obj
            for key, prop in obj["properties"].items():
                assert "description" in prop, key


def test_schema_defs_cover_the_format_and_nodes_are_recursive() -> None:
    """$defs name text, scale, node, indicator, band...; nodes nest through $ref."""
    defs = rubric_schema()["$defs"]
    for name in ("text", "scale", "node", "indicator", "band", "trend", "group", "example"):
        assert name in defs
    assert defs["node"]["properties"]["dimensions"]["items"] == {"$ref": "#/$defs/node"}


def test_schema_is_a_fresh_copy() -> None:
    """Changing the returned dict does not change the next one."""
    rubric_schema()["$defs"].clear()
    assert rubric_schema()["$defs"]


@pytest.mark.skipif(
    not SHIPPED.is_file(),
    reason="rubrics/thai-dg-readiness-2016.yaml is "
    "not in the tree yet (written by another engineer)",
)
def test_shipped_rubric_validates_against_the_schema() -> None:
    """The shipped Thai rubric satisfies the schema."""
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.validate(data, rubric_schema(), cls=jsonschema.Draft202012Validator)


def test_schema_rejects_unknown_keys_and_bad_methods() -> None:
    """Typos and unknown methods fail validation."""
    v = jsonschema.Draft202012Validator(rubric_schema())
    good = {"rubric": "demo", "dimensions": [{"id": "d", "indicators": [{"id": "q"}]}]}
    assert v.is_valid(good)
    assert not v.is_valid({**good, "wieght": 1})
    bad = {
        "rubric": "demo",
        "dimensions": [{"id": "d", "aggregate": "median", "indicators": [{"id": "q"}]}],
    }
    assert not v.is_valid(bad)


# -- one description of the format ---------------------------------------------------------
ROOT = Path(__file__).resolve().parents[1]


def test_the_committed_schema_is_the_generated_one() -> None:
    """docs/rubric.schema.json equals rubric_schema() (regenerate with
    `readiness-model schema -o docs/rubric.schema.json`)."""
    from readiness_model.io.schema import schema_text

    assert (ROOT / "docs" / "rubric.schema.json").read_text("utf-8") == schema_text()


def test_the_installed_schema_is_found_beside_the_rubrics() -> None:
    from readiness_model.io.schema import schema_path

    path = schema_path()
    assert path is not None
    assert json.loads(path.read_text("utf-8")) == rubric_schema()


def _classes() -> list[type]:
    import readiness_model as rm
    from readiness_model.model.scales import scale_type, scale_types

    return [
        rm.Rubric,
        rm.Defaults,
        rm.Dimension,
        rm.Indicator,
        rm.Band,
        rm.TrendClass,
        rm.Group,
        rm.Example,
        *(scale_type(t) for t in scale_types()),
    ]


@pytest.mark.parametrize("cls", _classes(), ids=lambda c: c.__name__)
def test_loader_dump_and_schema_accept_the_same_keys(cls: type) -> None:
    """For every class of the format, the keys the loader accepts, the keys the schema
    lists and the keys the dump may write are one set, from the fields' metadata."""
    from readiness_model.model._format import keys, yaml_keys
    from readiness_model.model.scales import Scale

    schema = rubric_schema()
    defs = schema["$defs"]
    name = {"Rubric": None, "Defaults": None, "Dimension": "node", "TrendClass": "trend"}.get(
        cls.__name__, cls.__name__.lower()
    )
    if issubclass(cls, Scale):
        props = defs[f"scale_{cls.type}"]["properties"]
        loader = set(cls.yaml_keys())
    else:
        if cls.__name__ == "Rubric":
            props = defs["rubric"]["properties"]
        elif cls.__name__ == "Defaults":
            props = defs["rubric"]["properties"]["defaults"]["properties"]
        else:
            props = defs[name]["properties"]
        loader = set(yaml_keys(cls))
    if cls.__name__ == "Rubric":  # and the file-level key of a family's base
        loader.add("abstract")
        assert set(defs["extending"]["properties"]) == loader | {"extends", "remove"}
    assert set(props) == loader
    from readiness_model.model._forms import Inline

    dumped = {k.name or a.name for a, k in keys(cls) if not isinstance(k.form, Inline)}
    assert dumped <= loader


def test_a_field_added_to_a_model_class_shows_up_everywhere() -> None:
    """A new attrs field with YAML metadata is accepted by the loader, written by the
    dump and described by the schema, with no other change."""
    import attrs

    from readiness_model.io.rubric_build import Builder
    from readiness_model.io.yaml_nodes import read_document
    from readiness_model.model._format import object_schema, to_data
    from readiness_model.model._forms import Number, key

    @attrs.frozen
    class Thing:
        """A thing."""

        id: str = attrs.field(metadata=key("Its id."))
        size: float = attrs.field(default=1.0, metadata=key("How big.", Number(minimum=0)))

    doc = read_document("{id: a, size: 2.5}", "t.yaml")
    b = Builder(doc)
    thing = b.obj(Thing, doc.data, "$", "a thing")
    assert thing == Thing("a", 2.5)
    assert to_data(thing) == {"id": "a", "size": 2.5}
    assert to_data(Thing("a")) == {"id": "a"}
    assert object_schema(Thing, {})["properties"]["size"]["description"] == "How big."
    bad = read_document("{id: a, sise: 2}", "t.yaml")
    b = Builder(bad)
    b.obj(Thing, bad.data, "$", "a thing")
    assert [(p.message, p.hint) for p in b.problems] == [
        ("unknown key 'sise' in a thing", "did you mean 'size'?")
    ]


# -- the modeline ----------------------------------------------------------------------------
def test_write_modeline_points_a_rubric_at_the_installed_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`schema --write-modeline` adds (or fixes) the first-line modeline; the path it
    writes, relative to the rubric, exists."""
    from readiness_model.cli import main

    f = tmp_path / "r.yaml"
    f.write_text("# my rubric\nrubric: r\ndimensions: [{id: d, indicators: [{id: q}]}]\n")
    assert main(["schema", "--write-modeline", str(f)]) == 0
    first, second = f.read_text("utf-8").splitlines()[:2]
    assert first.startswith("# yaml-language-server: $schema=")
    assert second == "# my rubric"
    target = (tmp_path / first.split("=", 1)[1]).resolve()
    assert json.loads(target.read_text("utf-8")) == rubric_schema()
    assert capsys.readouterr().out.startswith(f"{f}: $schema=")
    url = "https://example.org/rubric.schema.json"
    assert main(["schema", "--write-modeline", str(f), "--schema-url", url]) == 0
    lines = f.read_text("utf-8").splitlines()
    assert lines[:2] == [f"# yaml-language-server: $schema={url}", "# my rubric"]
    (tmp_path / "s.json").write_text("{}")
    assert (
        main(["schema", "--write-modeline", str(f), "--schema-url", str(tmp_path / "s.json")]) == 0
    )
    assert f.read_text("utf-8").splitlines()[0].endswith("$schema=s.json")
    import readiness_model as rm

    assert rm.load_rubric(f).id == "r"


def test_write_modeline_refuses_a_schema_file_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main

    f = tmp_path / "r.yaml"
    f.write_text("rubric: r\n")
    assert main(["schema", "--write-modeline", str(f), "--schema-url", "nope.json"]) == 1
    assert "no schema file 'nope.json'" in capsys.readouterr().err
    assert f.read_text() == "rubric: r\n"
