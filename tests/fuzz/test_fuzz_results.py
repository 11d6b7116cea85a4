"""Results files (JSON and CSV) under hostile edits: a ResponseError naming the path (and
line) of each problem, or results every consumer can use, whose numbers are the numbers
in the file (issue 12 item 8)."""

from __future__ import annotations

import csv
import io
import json
import math
import random
from typing import Any

from _contract import attempt, fuzz, no_escape
from _contract import get_at as _get
from _contract import paths as _paths
from hypothesis import event, given
from hypothesis import strategies as st

import readiness_model as rm

RUBRIC = rm.rubric_from_yaml(
    """\
rubric: results-fuzz
population: {kind: ministry}
dimensions:
  - id: d
    indicators:
      - {id: yn, scale: {type: binary}}
      - {id: num, scale: {type: numeric, goalposts: [0, 100]}}
  - id: e
    weight: 2
    aggregate: geometric
    indicators:
      - {id: lvl, scale: {type: ordinal, levels: [none, some, all]}}
bands: [{id: good, min: 50}, {id: weak}]
trend: [{id: up, change: {min: 1}}, {id: flat}]
groups: [{id: g, bands: [good], trend: [up]}]
"""
)
RECORDS = [
    {"agency": "moc", "period": 2016, "kind": "ministry", "yn": "yes", "num": 97.5, "lvl": "some"},
    {"agency": "mof", "period": 2016, "kind": "ministry", "yn": "no", "num": 12, "lvl": "none"},
    {"agency": "moc", "period": 2017, "kind": "ministry", "yn": "yes", "num": 99, "lvl": "all"},
    {"agency": "=x", "period": 2017, "kind": "other", "yn": "n/a", "num": None, "lvl": "some"},
]
RES = rm.score(RUBRIC, rm.ResponseSet.from_records(RECORDS, RUBRIC, attributes=["kind"]))
JSON = RES.to_json()
CSV = RES.to_csv()
NUMERIC_KEYS = (
    "overall",
    "overall_exact",
    "coverage",
    "rank",
    "change",
    "node_scores",
    "node_exact",
    "node_coverage",
    "indicator_scores",
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(10**18, 10**400),
    st.floats(),
    st.text(max_size=5),
    st.sampled_from(
        [
            "no",
            "good",
            "up",
            "g",
            "moc",
            "d",
            "answers",
            "rolled_up",
            "\ud800",
            2016,
            "2016",
            0.5,
            1e308,
            -0.0,
        ]
    ),
)
JUNK = st.recursive(
    SCALARS,
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=6,
)


def mutate(doc: Any, rnd: random.Random, junk: Any) -> None:
    paths = [p for p in _paths(doc) if p]
    path = rnd.choice(paths)
    parent, key = _get(doc, path[:-1]), path[-1]
    value = parent[key]
    if rnd.random() < 0.6:  # a plausible edit, of the same type
        if isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int | float):
            parent[key] = rnd.choice([value + 1, -value, 0, 0.1, 1e-300, 2**53 + 1, 99.995])
        elif isinstance(value, str):
            parent[key] = rnd.choice(["good", "weak", "up", "g", "moc", "mof", "", " moc"])
        elif value is None:
            parent[key] = rnd.choice([0.0, 50.0, "good", 1])
        return
    op = rnd.randrange(5)
    if op == 0:
        del parent[key]
    elif op == 1 and isinstance(parent, list):
        parent.insert(rnd.randrange(len(parent) + 1), junk)
    elif op == 2 and isinstance(parent[key], list) and parent[key]:
        parent[key] = parent[key][::-1]  # swapped rows
    elif op == 3 and isinstance(parent[key], int | float) and not isinstance(parent[key], bool):
        v = parent[key]
        huge = v * 1e300 if abs(v) < 1e300 else float("inf")  # a big int overflows a float
        parent[key] = rnd.choice([v + 1, -v, huge, 2**64])
    else:
        parent[key] = junk


def use(res: rm.Results) -> None:
    """Every consumer of accepted results works (or refuses with a located error)."""
    res.to_records()
    text = res.to_json()
    assert rm.Results.from_json(text).equals(res)
    no_escape(lambda: rm.Results.from_csv(res.to_csv(), rubric=res.rubric))
    for i in {0, len(res) - 1}:
        agency, period = res.agencies[i], res.periods[i]
        no_escape(lambda a=agency, p=period: res.agency(a, p).explain())
        no_escape(lambda a=agency, p=period: rm.gap(res, a, p))
        no_escape(lambda a=agency, p=period: rm.radar_svg(res, a, p))
    no_escape(lambda: rm.render_report(res))
    no_escape(lambda: rm.roll_up(res, by="kind"))


def _same(written: Any, read: Any) -> bool:
    if isinstance(written, list) and isinstance(read, list):
        return len(written) == len(read) and all(map(_same, written, read))
    if written is None or read is None:
        both = written is None and read is None
        return both or (isinstance(written, float) and math.isnan(written))
    return bool(written == read)


def test_the_bases_are_valid() -> None:
    use(rm.Results.from_json(JSON))
    use(rm.Results.from_csv(CSV, rubric=RUBRIC))


@fuzz(200)
@given(st.randoms(use_true_random=False), st.integers(1, 3), st.data())
def test_edited_results_json_fails_at_a_path_or_is_used_as_written(
    rnd: random.Random, n: int, data: st.DataObject
) -> None:
    doc = json.loads(JSON)
    for _ in range(n):
        mutate(doc, rnd, data.draw(JUNK))
    text = json.dumps(doc, ensure_ascii=rnd.random() < 0.5)
    res = attempt(lambda: rm.Results.from_json(text), in_file=False)
    event("accepted" if res is not None else "refused")
    if res is None:
        return
    use(res)
    back = json.loads(res.to_json())
    for key in NUMERIC_KEYS:  # never a silent change of a number
        if key in doc:
            assert _same(doc[key], back[key]), (key, doc[key], back[key])


@fuzz(200)
@given(st.randoms(use_true_random=False), st.integers(1, 3), st.data())
def test_edited_results_csv_fails_located_or_is_used_as_written(
    rnd: random.Random, n: int, data: st.DataObject
) -> None:
    rows = list(csv.reader(io.StringIO(CSV)))
    for _ in range(n):
        r = rnd.randrange(len(rows))
        op = rnd.randrange(4)
        if op == 0 and rows[r]:
            c = rnd.randrange(len(rows[r]))
            rows[r][c] = str(data.draw(SCALARS))
        elif op == 1:
            rows.insert(rnd.randrange(len(rows) + 1), list(rows[r]))
        elif op == 2 and rows[r]:
            del rows[r][rnd.randrange(len(rows[r]))]
        else:
            del rows[r]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    text = out.getvalue()
    with_rubric = rnd.random() < 0.8
    res = attempt(
        lambda: rm.Results.from_csv(text, rubric=RUBRIC if with_rubric else None), in_file=False
    )
    event("accepted" if res is not None else "refused")
    if res is None:
        return
    use(res)
    header = rows[0]
    if "overall.exact" in header:  # never a silent change of a number
        col = header.index("overall.exact")
        for i, row in enumerate(rows[1:]):
            got = res.overall_exact[i]
            assert (row[col] == "" and math.isnan(got)) or float(row[col]) == got, (row, got)


@fuzz(60)
@given(st.binary(max_size=200), st.sampled_from(["json", "csv"]))
def test_garbage_results_fail_located(raw: bytes, kind: str) -> None:
    text = raw.decode("utf-8", "replace")
    if kind == "json":
        res = attempt(lambda: rm.Results.from_json(text), in_file=False)
    else:
        res = attempt(lambda: rm.Results.from_csv(text, rubric=RUBRIC), in_file=False)
    assert res is None
