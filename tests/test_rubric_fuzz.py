"""Properties of the YAML format: dumps load back equal; no input escapes as anything
but a located RubricError."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz._contract import get_at as _get  # the fuzz suite's document walker
from fuzz._contract import paths as _paths
from readiness_model import Rubric, RubricError
from readiness_model.io.rubric_yaml import dump_rubric, rubric_from_yaml
from readiness_model.io.schema import rubric_schema
from readiness_model.testing import rubrics

SHIPPED = Path(__file__).resolve().parents[1] / "rubrics" / "thai-dg-readiness-2016.yaml"
VALIDATOR = jsonschema.Draft202012Validator(rubric_schema())


def assert_located(err: RubricError) -> None:
    assert err.problems
    for p in err.problems:
        assert p.path.startswith("$"), p
        assert p.location is not None, p
        assert p.location.line is not None, p
        assert p.location.column is not None, p


@given(rubrics())
def test_dump_then_load_gives_an_equal_rubric(rubric: Rubric) -> None:
    """Every valid rubric survives dump_rubric → rubric_from_yaml unchanged."""
    text = dump_rubric(rubric)
    assert rubric_from_yaml(text) == rubric


@given(rubrics(examples=True))
def test_dumps_validate_against_the_json_schema(rubric: Rubric) -> None:
    """What dump_rubric writes is valid under rubric_schema()."""
    data = yaml.safe_load(dump_rubric(rubric))
    errors = sorted(VALIDATOR.iter_errors(data), key=str)
    assert not errors, errors[0]
    assert rubric_from_yaml(dump_rubric(rubric)) == rubric


@given(
    rubrics(
        aggregations=("arithmetic",), normalizations=("goalposts",), max_depth=2, max_indicators=5
    )
)
def test_restricted_strategy_obeys_its_restrictions(rubric: Rubric) -> None:
    """rubrics(...) keyword arguments restrict methods, depth and size."""
    assert len(rubric.indicators) <= 5
    for ind in rubric.indicators:
        assert ind.normalize.method == "goalposts"
    for node in rubric.all_dimensions:
        assert node.aggregate is None or node.aggregate.method == "arithmetic"
        assert node.rescale is None
        for sub in node.dimensions:
            assert not sub.dimensions
    assert rubric.defaults.aggregate.method == "arithmetic"


# -- mutation fuzz -----------------------------------------------------------------------
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["no", "on", "1e3", ".nan", "~"]),
)
_JUNK = st.recursive(
    _SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=6,
)


def _base_texts() -> list[str]:
    if SHIPPED.is_file():
        return [SHIPPED.read_text(encoding="utf-8")]
    return []


_FALLBACK = """\
rubric: demo
version: "1"
title: {en: Demo, th: ทดสอบ}
defaults: {aggregate: {power: 2}, missing: reweight}
dimensions:
  - id: access
    weight: 1
    indicators:
      - {id: portal, weight: 1, scale: &yn {type: binary}}
      - {id: uptime, weight: 1, scale: {type: numeric, goalposts: [90, 100]}}
      - {id: other, scale: *yn, normalize: {method: target, target: 3}}
  - id: people
    weight: 3
    dimensions:
      - id: skills_node
        indicators:
          - {id: training, scale: {type: ordinal, levels: [none, some, most, all]}}
          - {id: skills, scale: {type: checklist, items: [cloud, data]}}
          - {id: host, scale: {type: choice, options: [a, b], values: [0, 1]}}
bands:
  - {id: advanced, min: 80, all_dimensions: {min: 60}, dimensions: {access: 50}}
  - {id: developed, min: 60}
  - {id: initial}
trend:
  - {id: up, change: {min: 0.5}}
  - {id: flat}
groups:
  - {id: g1, bands: [advanced], trend: [up]}
examples:
  - {agency: x, answers: {portal: yes, skills: [cloud]}, expect: {overall: 61.5, band: developed}}
"""


def _mutate(data: Any, rnd: random.Random, junk: list[Any]) -> None:
    paths = [p for p in _paths(data) if p]
    if not paths:
        return
    path = rnd.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    op = rnd.randrange(6)
    if op == 0:  # delete
        del parent[key]
    elif op == 1 and isinstance(parent, dict):  # rename
        parent[str(key)[::-1] or "x"] = parent.pop(key)
    elif op == 2:  # wrong-typed value
        parent[key] = junk[0]
    elif op == 3 and isinstance(parent[key], list | dict):  # empty a list or mapping
        parent[key] = type(parent[key])()
    elif op == 4 and isinstance(parent, list):  # insert
        parent.insert(rnd.randrange(len(parent) + 1), junk[1])
    elif isinstance(parent, dict):  # new key
        parent[rnd.choice(["wieght", "id", "min", "levels", "type", "x"])] = junk[1]


def _load(text: str | bytes) -> None:
    try:
        rubric_from_yaml(text, source="fuzz.yaml")
    except RubricError as err:
        assert_located(err)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.randoms(use_true_random=False), st.integers(1, 4))
def test_mutated_rubrics_fail_only_with_located_rubric_errors(
    data: st.DataObject, rnd: random.Random, n: int
) -> None:
    """Structural mutations of a valid rubric raise RubricError, every problem located."""
    base = rnd.choice(_base_texts() or [_FALLBACK])
    doc = yaml.safe_load(base)
    for _ in range(n):
        _mutate(doc, rnd, [data.draw(_JUNK), data.draw(_JUNK)])
    _load(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


@given(st.randoms(use_true_random=False), st.integers(1, 8))
def test_byte_flips_and_truncation_fail_only_with_located_rubric_errors(
    rnd: random.Random, n: int
) -> None:
    """Raw byte damage (flips, truncation) never escapes as anything but RubricError."""
    raw = bytearray((rnd.choice(_base_texts() or [_FALLBACK])).encode("utf-8"))
    for _ in range(n):
        i = rnd.randrange(len(raw))
        if rnd.random() < 0.2:
            del raw[i:]
            if not raw:
                break
        else:
            raw[i] = rnd.randrange(256)
    _load(bytes(raw))


def test_fallback_base_is_valid() -> None:
    """The fuzz base used when the shipped rubric is absent is itself valid."""
    rubric_from_yaml(_FALLBACK)


@pytest.mark.skipif(
    not SHIPPED.is_file(),
    reason="rubrics/thai-dg-readiness-2016.yaml "
    "is not in the tree yet (written by another engineer)",
)
def test_shipped_rubric_round_trips() -> None:
    """The shipped rubric dumps and loads back equal."""
    r = rubric_from_yaml(SHIPPED.read_bytes(), source=str(SHIPPED))
    assert rubric_from_yaml(dump_rubric(r)) == r
