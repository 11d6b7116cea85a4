"""The JSON Schema of the rubric format."""

from __future__ import annotations

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
