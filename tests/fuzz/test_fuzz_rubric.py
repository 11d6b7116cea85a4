"""Rubric YAML under hostile edits: a RubricError located at a line, or a rubric that
dumps back equal, checks its examples and scores answers without escaping."""

from __future__ import annotations

import random
import zlib
from typing import Any

import numpy as np
import yaml
from _contract import attempt, cases, fuzz, no_escape
from _contract import get_at as _get
from _contract import paths as _paths
from hypothesis import event, given
from hypothesis import strategies as st

import readiness_model as rm

BASE = """\
rubric: demo
version: "1"
title: {en: Demo, th: ทดสอบ}
rounding: {decimals: 2}
defaults: {aggregate: {power: 2}, missing: reweight}
population: {kind: ministry}
dimensions:
  - id: access
    weight: 1
    indicators:
      - {id: portal, weight: 1, scale: {type: binary}}
      - {id: uptime, weight: 1, scale: {type: numeric, goalposts: [90, 100]}}
      - {id: other, scale: {type: binary}, normalize: {method: target, target: 3}}
  - id: people
    weight: 3
    aggregate: geometric
    min_coverage: 0.5
    dimensions:
      - id: skills_node
        indicators:
          - {id: training, scale: {type: ordinal, levels: [none, some, most, all]}}
          - {id: skills, scale: {type: checklist, items: [cloud, data]}, missing: error}
          - {id: host, scale: {type: choice, options: [a, b], values: [0, 1]}}
          - {id: pop, scale: {type: numeric}, normalize: zscore}
bands:
  - {id: advanced, min: 80, all_dimensions: {min: 60}, dimensions: {access: 50}}
  - {id: developed, min: 60, max: 90}
  - {id: initial}
trend:
  - {id: up, change: {min: 0.5, below: 50}}
  - {id: flat}
groups:
  - {id: g1, bands: [advanced], trend: [up]}
examples:
  - agency: x
    answers: {portal: true, uptime: 95, other: true, training: some, skills: [cloud],
              host: a, pop: 3}
    expect: {overall: 49.65, band: initial}
    tol: 0.01
"""
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.integers(10**300, 10**400),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["no", "on", "1e3", ".nan", "~", "", "overall", "exact.d", "x" * 90]),
)
JUNK = st.recursive(
    SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
    max_leaves=6,
)
KEYS = [
    "weight",
    "id",
    "min",
    "max",
    "below",
    "levels",
    "type",
    "goalposts",
    "target",
    "aggregate",
    "normalize",
    "missing",
    "min_coverage",
    "rescale",
    "tol",
    "x",
]


def mutate(doc: Any, rnd: random.Random, junk: Any) -> None:
    path = rnd.choice([p for p in _paths(doc) if p])
    parent, key = _get(doc, path[:-1]), path[-1]
    value = parent[key]
    if rnd.random() < 0.5:  # a plausible edit, of the same type
        if isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int | float):
            parent[key] = rnd.choice([0, -value, value * 10, 1e-9, 1e308, 0.5, 100, 101])
        elif isinstance(value, str):
            parent[key] = rnd.choice(
                [
                    "access",
                    "people",
                    "up",
                    "initial",
                    "a",
                    "zscore",
                    "minimum",
                    "harmonic",
                    "error",
                    "zero",
                    "binary",
                ]
            )
        elif isinstance(value, list) and value:
            parent[key] = value[:-1] if rnd.random() < 0.5 else [*value, value[0]]
        return
    op = rnd.randrange(6)
    if op == 1:
        del parent[key]
    elif op == 2 and isinstance(parent, dict):
        parent[rnd.choice(KEYS)] = junk
    elif op == 3 and isinstance(parent, list):
        parent.insert(rnd.randrange(len(parent) + 1), junk)
    else:
        parent[key] = junk


def use(rubric: rm.Rubric, *, report: bool = True) -> None:
    """An accepted rubric dumps back equal, and scores answers without escaping (and,
    when ``report``, renders a report with gap plans)."""
    assert rm.rubric_from_yaml(rm.dump_rubric(rubric)) == rubric
    no_escape(lambda: rm.check_examples(rubric))
    n = len(rubric.indicators)
    rng = np.random.default_rng(0)
    values = [
        [float(rng.choice(x.scale.stored_values() or [0.0, 1.0])) for x in rubric.indicators]
        for _ in range(3)
    ]
    rs = attempt(
        lambda: rm.ResponseSet.from_array(
            values,
            ["a", "b", "c"],
            rubric,
            period=2016,
            attributes={k: ["ministry"] * 3 for k, _ in rubric.population},
        ),
        in_file=False,
    )
    if rs is not None and n:
        res = attempt(lambda: rm.score(rubric, rs), in_file=False)
        if res is not None:
            no_escape(lambda: rm.explain(res, "a"))
            if report:
                no_escape(lambda: rm.render_report(res))
            assert rm.Results.from_json(res.to_json()).equals(res)


def test_the_base_is_valid() -> None:
    rubric = rm.rubric_from_yaml(BASE)
    assert all(r.passed for r in rm.check_examples(rubric))
    use(rubric)


# 40 cases by default, each accepted rubric rendering a report whose cards search gap
# plans (about half a second a rubric). The long mode runs 100,000 cases and renders the
# report of one accepted rubric in REPORT_EVERY (chosen by a hash of its text, so a
# failing case reproduces): the rest of each case takes tens of milliseconds.
REPORT_EVERY = 20


@fuzz(40)
@given(st.randoms(use_true_random=False), st.integers(1, 3), st.data())
def test_edited_rubrics_fail_at_a_line_or_work(
    rnd: random.Random, n: int, data: st.DataObject
) -> None:
    doc = yaml.safe_load(BASE)
    for _ in range(n):
        mutate(doc, rnd, data.draw(JUNK))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    rubric = attempt(lambda: rm.rubric_from_yaml(text, source="fuzz.yaml"), in_file=True)
    event("accepted" if rubric is not None else "refused")
    if rubric is not None:
        due = cases(40) == 40 or zlib.crc32(text.encode("utf-8")) % REPORT_EVERY == 0
        event("report" if due else "no report")
        use(rubric, report=due)


@fuzz(150)
@given(st.randoms(use_true_random=False), st.integers(1, 8))
def test_damaged_rubric_bytes_fail_at_a_line_or_work(rnd: random.Random, n: int) -> None:
    raw = bytearray(BASE.encode("utf-8"))
    for _ in range(n):
        i = rnd.randrange(len(raw))
        op = rnd.random()
        if op < 0.1:
            del raw[i:]
            if not raw:
                break
        elif op < 0.5:
            raw[i:i] = rnd.choice(
                [
                    b"&a ",
                    b"*a",
                    b"!!python/object ",
                    b"{",
                    b"- ",
                    b"\t",
                    b"\xef\xbb\xbf",
                    b"\xff",
                    b"1e999",
                    b"<<: ",
                    b"? ",
                ]
            )
        else:
            raw[i] = rnd.randrange(256)
    rubric = attempt(lambda: rm.rubric_from_yaml(bytes(raw), source="fuzz.yaml"), in_file=True)
    event("accepted" if rubric is not None else "refused")
    if rubric is not None:
        use(rubric)
