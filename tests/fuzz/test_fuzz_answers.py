"""Answers files (CSV and JSON) under hostile damage: a located ResponseError, or answers
that score, write and read back exactly; a number is read as written or refused."""

from __future__ import annotations

import json
import math
import random
import re
import tempfile
from pathlib import Path

import numpy as np
from _contract import attempt, fuzz, no_escape
from hypothesis import event, given
from hypothesis import strategies as st

import readiness_model as rm

RUBRIC = rm.rubric_from_yaml(
    """\
rubric: answers-fuzz
population: {kind: ministry}
dimensions:
  - id: d
    indicators:
      - {id: yn, scale: {type: binary}}
      - {id: num, scale: {type: numeric, goalposts: [0, 100], unit: "%"}}
      - {id: lvl, scale: {type: ordinal, levels: [none, some, all]}}
      - {id: chk, scale: {type: checklist, items: [cloud, data]}}
      - {id: pick, scale: {type: choice, options: [a, b], values: [0, 1]}}
bands: [{id: good, min: 50}, {id: weak}]
"""
)
CSV = (
    "agency,period,kind,yn,num,lvl,chk,pick\n"
    "moc,2016,ministry,yes,97.5,some,cloud|data,a\n"
    "mof,2016,ministry,no,12,none,,b\n"
    "moc,2017,ministry,yes,99,all,cloud,b\n"
    'x y,2017,"agency, other",n/a,0,some,data,a\n'
)
TOKENS = [
    ",",
    '"',
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "\x00",
    " ",
    "\t",
    "=",
    "+1",
    "-",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "1_0",
    "0x10",
    "1,5",
    "٣",
    "１",
    "2016.0",
    "2016.5",
    "-0",
    "n/a",
    "yes",
    "no",
    "true",
    "none",
    "|",
    "cloud||data",
    "1" * 5000,
    "y" * 65,  # longer than 8 words, not a multiple of 8 (review finding: crashed)
    "cloud|" * 11 + "data",
    "{",
    "[",
    "}",
    "]",
    ":",
    "null",
    "\\",
    "\\ud800",
    "\u200b",
    "ก",
    "'",
    "e",
    ".",
    "1.",
    ".5",
    "5.",
    "1e-400",
]
WORKDIR = Path(tempfile.mkdtemp(prefix="fuzz-answers-"))


def damage(text: str, rnd: random.Random, n: int) -> str:
    for _ in range(n):
        i = rnd.randrange(len(text) + 1)
        op = rnd.randrange(5)
        if op == 0:
            text = text[:i] + rnd.choice(TOKENS) + text[i:]
        elif op == 1:
            text = text[:i] + text[i + rnd.randrange(1, 6) :]
        elif op == 2:
            lines = text.split("\n")
            k = rnd.randrange(len(lines))
            lines.insert(rnd.randrange(len(lines) + 1), lines[k])
            text = "\n".join(lines)
        elif op == 3:
            text = text[:i]
        else:
            j = rnd.randrange(len(text) + 1)
            text = text[:i] + text[j:i] + text[i:]  # repeat a slice
    return text


def load(raw: bytes, suffix: str) -> rm.ResponseSet | None:
    path = WORKDIR / f"answers{suffix}"
    path.write_bytes(raw)
    return attempt(lambda: rm.load_responses(path, RUBRIC), in_file=True)


def check_accepted(rs: rm.ResponseSet) -> None:
    """Accepted answers score, every output works, and they read back bit-identically."""
    res = attempt(lambda: rm.score(RUBRIC, rs), in_file=False)
    for fmt in ("wide", "long", "json"):
        text = rm.write_responses(rs, RUBRIC, format=fmt)
        back = load(text.encode("utf-8"), ".json" if fmt == "json" else ".csv")
        assert back is not None, fmt
        assert back.agencies == rs.agencies
        assert back.periods == rs.periods
        assert np.array_equal(back.values, rs.values, equal_nan=True), fmt
        assert np.array_equal(back.missing, rs.missing)
        assert np.array_equal(back.na, rs.na)
        assert back.attributes == rs.attributes, fmt
    if res is not None:
        again = rm.Results.from_json(res.to_json())
        assert again.equals(res)
        no_escape(lambda: rm.Results.from_csv(res.to_csv(), rubric=RUBRIC))
        no_escape(lambda: rm.render_report(res))


def test_the_bases_are_valid() -> None:
    rs = load(CSV.encode(), ".csv")
    assert rs is not None
    check_accepted(rs)


@fuzz(120)
@given(st.randoms(use_true_random=False), st.integers(1, 3), st.sampled_from(["csv", "json"]))
def test_damaged_answers_fail_located_or_round_trip(rnd: random.Random, n: int, kind: str) -> None:
    if kind == "csv":
        text = CSV
    else:
        rs = load(CSV.encode(), ".csv")
        assert rs is not None
        text = rm.write_responses(rs, RUBRIC, format="json")
    raw = damage(text, rnd, n).encode("utf-8", "surrogatepass")
    if rnd.random() < 0.1:  # raw byte damage too
        b = bytearray(raw)
        if b:
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        raw = bytes(b)
    rs = load(raw, f".{kind}")
    event("accepted" if rs is not None else "refused")
    if rs is not None:
        check_accepted(rs)


NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
CELLS = st.one_of(
    st.sampled_from(TOKENS),
    st.from_regex(NUMBER, fullmatch=True).map(lambda s: s[:40]),
    st.floats(allow_nan=True).map(repr),
    st.integers().map(str),
    st.text(max_size=6),
)


@fuzz(150)
@given(CELLS, st.sampled_from(["", " ", " %", "%"]), st.sampled_from(["csv", "json"]))
def test_a_number_is_read_as_written_or_refused(cell: str, unit: str, kind: str) -> None:
    """A numeric answer loads only when it is a plain decimal number, and then as exactly
    that number."""
    written = cell + unit
    if kind == "csv":
        q = '"' + written.replace('"', '""') + '"'
        raw = f"agency,period,kind,yn,num,lvl,chk,pick\nmoc,2016,ministry,yes,{q},some,,a\n"
    else:
        rec = {
            "agency": "moc",
            "period": 2016,
            "kind": "ministry",
            "yn": "yes",
            "num": written,
            "lvl": "some",
            "chk": [],
            "pick": "a",
        }
        raw = json.dumps([rec], ensure_ascii=False)
    rs = load(raw.encode("utf-8", "surrogatepass"), f".{kind}")
    event("accepted" if rs is not None else "refused")
    if rs is None:
        return
    value = rs.values[0, 1]
    # the number as written: surrounding whitespace (str.strip) and the unit "%" dropped
    # (the long run found "5%" and "5\x1c" read as 5, rightly: the oracle compared the raw
    # cell)
    text = written.strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    if rs.missing[0, 1] or rs.na[0, 1]:  # an empty cell, "n/a" or the like
        assert not NUMBER.fullmatch(text), written
        return
    assert NUMBER.fullmatch(text), f"{written!r} read as {value}"
    assert math.isfinite(value), written
    assert value == float(text), (written, value)
