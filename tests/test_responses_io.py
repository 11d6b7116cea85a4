"""Reading and writing survey answers: CSV wide and long, JSON, located errors."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.responses import normalise_period
from readiness_model.responses.files import load_responses, write_responses
from readiness_model.testing import rubrics

LEVELS = rm.OrdinalScale(levels=["none", "some", "most", "all"])
SKILLS = rm.ChecklistScale(items=["cloud", "data", "security"])


def small_rubric() -> rm.Rubric:
    return rm.Rubric(
        "small",
        dimensions=[
            rm.Dimension(
                "access",
                indicators=[
                    rm.Indicator("portal"),
                    rm.Indicator("uptime", scale=rm.NumericScale(goalposts=(90, 100), unit="%")),
                    rm.Indicator("budget", scale=rm.NumericScale(goalposts=(0, 10), clamp=False)),
                ],
            ),
            rm.Dimension(
                "people",
                indicators=[
                    rm.Indicator("training", scale=LEVELS),
                    rm.Indicator("skills", scale=SKILLS),
                ],
            ),
        ],
    )


HEADER = "agency,period,name,kind,parent,portal,uptime,budget,training,skills\n"


def write(tmp_path: Path, text: str, name: str = "a.csv", bom: bool = False) -> Path:
    p = tmp_path / name
    p.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return p


def problems(path: Path, rubric: rm.Rubric, **kw: Any) -> list[str]:
    with pytest.raises(rm.ResponseError) as info:
        load_responses(path, rubric, **kw)
    return info.value.lines()


# -- reading ------------------------------------------------------------------------------
def test_wide_csv_with_bom_thai_names_checklists_na_and_blanks(tmp_path: Path) -> None:
    """A BOM, Thai names, 'a|b' checklists, n/a and blank cells all read as meant."""
    p = write(
        tmp_path,
        HEADER + "moc,2016,กระทรวงพาณิชย์,ministry,,Yes,97.5%,5,most,cloud|data\n"
        "dbd,2016,กรมพัฒนาธุรกิจการค้า,department,moc,no,,n/a,none,none\n",
        bom=True,
    )
    rs = load_responses(p, small_rubric())
    assert rs.agencies == ("moc", "dbd")
    assert rs.periods == (2016, 2016)
    assert rs.attribute("name") == ("กระทรวงพาณิชย์", "กรมพัฒนาธุรกิจการค้า")
    assert rs.attribute("parent") == (None, "moc")
    assert rs.values[0].tolist() == [1.0, 97.5, 5.0, 2.0, 3.0]
    assert rs.missing[1].tolist() == [False, True, False, False, False]
    assert rs.na[1].tolist() == [False, False, True, False, False]


def test_long_csv_is_recognised_by_its_header(tmp_path: Path) -> None:
    """agency,period,indicator,value rows make the same answers as the wide file."""
    p = write(
        tmp_path,
        "agency,period,indicator,value\nx,2016,portal,yes\nx,2016,skills,data|cloud\n"
        "x,2016,training,all\nx,2016,uptime,99\nx,2016,budget,\n",
    )
    rs = load_responses(p, small_rubric())
    assert rs.values[0, :2].tolist() == [1.0, 99.0]
    assert rs.values[0, 3:].tolist() == [3.0, 3.0]
    assert rs.missing[0].tolist() == [False, False, True, False, False]


@pytest.mark.parametrize("wrap", [False, True])
def test_json_records_or_responses_object(tmp_path: Path, wrap: bool) -> None:
    """JSON: a list of records, or {"responses": [...]}; checklists may be lists."""
    recs = [
        {
            "agency": "x",
            "period": 2016,
            "portal": True,
            "uptime": 95,
            "budget": None,
            "training": "some",
            "skills": ["security"],
        }
    ]
    p = write(tmp_path, json.dumps({"responses": recs} if wrap else recs), "a.json")
    rs = load_responses(p, small_rubric())
    assert rs.values[0].tolist()[:2] == [1.0, 95.0]
    assert rs.values[0, 4] == 4.0


def test_period_argument_fills_a_file_without_periods(tmp_path: Path) -> None:
    """Without a period column the period argument applies to every row."""
    p = write(tmp_path, "agency,portal,uptime,budget,training,skills\nx,yes,99,1,some,data\n")
    assert load_responses(p, small_rubric(), period=2016).periods == (2016,)
    assert any("no 'period' column" in line for line in problems(p, small_rubric()))


def test_allow_missing_columns_makes_them_missing(tmp_path: Path) -> None:
    """A rubric column the file lacks is an error unless explicitly allowed."""
    p = write(tmp_path, "agency,period,portal\nx,2016,yes\n")
    lines = problems(p, small_rubric())
    assert len(lines) == 1
    assert "no column for 4 indicator(s)" in lines[0]
    assert "allow_missing_columns" in lines[0]
    rs = load_responses(p, small_rubric(), allow_missing_columns=True)
    assert rs.missing[0].tolist() == [False, True, True, True, True]


def test_every_problem_is_reported_at_once_with_file_row_and_column(tmp_path: Path) -> None:
    """A typo, a text in a numeric column and a duplicate row give one line each."""
    p = write(
        tmp_path,
        "agency,period,portal,uptme,budget,training,skills\n"
        "x,2016,yes,99,lots,some,data\n"
        "y,2016,yes,99,1,some,data\n"
        "x,2016,no,98,2,none,none\n",
        bom=True,
    )
    lines = problems(p, small_rubric())
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{p}:1:4: unknown column 'uptme'")
    assert "did you mean 'uptime'?" in lines[0]
    assert lines[1].startswith(f"{p}:2:5: bad answer 'lots' for indicator 'budget'")
    assert "expected a number in [0, 10]" in lines[1]
    assert "row 2, column 'budget'" in lines[1]
    assert lines[2].startswith(f"{p}:4: agency 'x' appears twice for period 2016")


def test_values_outside_goalposts_are_errors_only_without_clamp(tmp_path: Path) -> None:
    """'budget' does not clamp: 11 is an error; 'uptime' clamps: 120 is fine."""
    p = write(tmp_path, HEADER + "x,2016,,,,yes,120,11,some,data\n")
    lines = problems(p, small_rubric())
    assert len(lines) == 1
    assert "'budget'" in lines[0]
    assert "does not clamp" in lines[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        (
            "period,portal,uptime,budget,training,skills\n2016,yes,1,1,some,data\n",
            "no 'agency' column",
        ),
        (HEADER + "x,2016,,,,yes\n", "row 2 has 6 cells but the header has 10"),
        (HEADER + "x,2016,,,,yes,99,1,some,data,extra\n", "11 cells"),
        ("agency,agency,period\nx,x,2016\n", "appears twice"),
        (HEADER + ",2016,,,,yes,99,1,some,data\n", "no agency id"),
        (HEADER + "x,,,,,yes,99,1,some,data\n", "period"),
        (HEADER + 'x,2016,"unclosed,,,yes,99,1,some,data\n', "malformed CSV"),
        ("agency,period,indicator,value\nx,2016,portl,yes\n", "did you mean 'portal'?"),
        ("agency,period,indicator,value\nx,2016,portal,yes\nx,2016,portal,no\n", "twice"),
        ("[1, 2]", "record 1 is not an object"),
        ('{"a": 1}', "must be a list of records"),
        ('[{"agency": "x",', "not valid JSON"),
        ('[{"agency": "x", "period": 2016, "portl": "yes"}]', "did you mean 'portal'?"),
        ('[{"agency": ["x"], "period": 2016}]', "no agency id"),
        ('[{"agency": "x", "period": 2016, "uptime": 1e999}]', "bad answer"),
        (
            '[{"agency": "x", "period": 2016, "training": 10000000000000000000000000000000'
            "0000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "00000000000000000000000000000000000000000000000000000000000000000}]",
            "bad answer",
        ),
    ],
)
def test_bad_files_raise_response_errors_naming_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    """Each kind of bad input is a ResponseError that says what is wrong."""
    p = write(tmp_path, text, "a.json" if text.startswith(("[", "{")) else "a.csv")
    lines = problems(p, small_rubric(), allow_missing_columns=True)
    assert any(message in line for line in lines), lines
    assert all(line.startswith(str(p)) for line in lines)


def test_non_utf8_and_binary_files_are_rejected_with_a_hint(tmp_path: Path) -> None:
    """cp874 (Thai Windows) text and binary data are ResponseErrors, not tracebacks."""
    p = tmp_path / "thai.csv"
    p.write_bytes((HEADER + "x,2016,กระทรวง,,,yes,99,1,some,data\n").encode("cp874"))
    (line,) = problems(p, small_rubric())
    assert "not UTF-8" in line
    assert ":2:" in line
    q = tmp_path / "bin.csv"
    q.write_bytes(b"PK\x03\x04\x00\x00garbage")
    assert "not a text file" in problems(q, small_rubric())[0]
    assert "cannot read" in problems(tmp_path / "nope.csv", small_rubric())[0]


def test_population_attributes_and_attributes_argument_are_kept(tmp_path: Path) -> None:
    """Extra attribute columns are accepted only when named; otherwise unknown columns."""
    p = write(tmp_path, HEADER.rstrip("\n") + ",region\nx,2016,,,,yes,99,1,some,data,north\n")
    assert "unknown column 'region'" in problems(p, small_rubric())[0]
    rs = load_responses(p, small_rubric(), attributes=["region"])
    assert rs.attribute("region") == ("north",)


# -- writing ------------------------------------------------------------------------------
def test_writer_refuses_other_rubrics_and_unknown_formats() -> None:
    """Writing checks the rubric and the format name."""
    r = small_rubric()
    rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "portal": "yes"}], r)
    with pytest.raises(rm.ResponseError, match="unknown answers format"):
        write_responses(rs, r, format="xlsx")  # type: ignore[arg-type]
    other = rm.Rubric("o", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    with pytest.raises(rm.ResponseError, match="not read with rubric 'o'"):
        write_responses(rs, other)


# -- properties ---------------------------------------------------------------------------
_safe_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=10
).filter(lambda s: s == s.strip() and bool(s))
_period = st.integers(-5000, 5000) | _safe_text.filter(lambda s: normalise_period(s) == s)


def _stored(draw: Any, scale: Any) -> float:
    if isinstance(scale, rm.BinaryScale):
        return float(draw(st.integers(0, 1)))
    if isinstance(scale, rm.OrdinalScale):
        return float(draw(st.integers(0, len(scale.levels) - 1)))
    if isinstance(scale, rm.ChoiceScale):
        return float(draw(st.integers(0, len(scale.options) - 1)))
    if isinstance(scale, rm.ChecklistScale):
        return float(draw(st.integers(0, 2 ** len(scale.items) - 1)))
    if scale.goalposts is not None and not scale.clamp:
        lo, hi = scale.goalposts
        return float(draw(st.floats(lo, hi)))
    return float(draw(st.floats(allow_nan=False, allow_infinity=False)))


def _answerable(rubric: rm.Rubric) -> bool:
    """Labels with surrounding spaces cannot be written as text (see the final report)."""
    for x in rubric.indicators:
        labels = (
            getattr(x.scale, "levels", ())
            or getattr(x.scale, "options", ())
            or getattr(x.scale, "items", ())
        )
        if any(lab != lab.strip() or not lab.strip() for lab in labels):
            return False
    return True


@st.composite
def responses(draw: Any, rubric: rm.Rubric, max_rows: int = 5) -> rm.ResponseSet:
    """Any ResponseSet for ``rubric``: values, blanks, n/a, Thai and odd text, attributes."""
    keys = draw(
        st.lists(
            st.tuples(_safe_text, _period), max_size=max_rows, unique_by=lambda k: (k[0], k[1])
        )
    )
    n, inds = len(keys), rubric.indicators
    values = np.full((n, len(inds)), np.nan)
    na = np.zeros((n, len(inds)), bool)
    for i in range(n):
        for j, x in enumerate(inds):
            kind = draw(st.sampled_from(["value", "value", "value", "missing", "na"]))
            if kind == "value":
                values[i, j] = _stored(draw, x.scale)
            na[i, j] = kind == "na"
    attributes: dict[str, tuple[str | None, ...]] = {}
    if n:
        for name in draw(st.sets(st.sampled_from(["name", "kind", "parent", "Region"]))):
            col = draw(st.lists(st.none() | _safe_text, min_size=n, max_size=n))
            if any(v is not None for v in col):
                attributes[name] = tuple(col)
    return rm.ResponseSet.from_array(
        values,
        [k[0] for k in keys],
        rubric,
        period=[k[1] for k in keys],
        na=na,
        attributes=attributes,
    )


@st.composite
def rubric_and_responses(draw: Any) -> tuple[rm.Rubric, rm.ResponseSet]:
    rubric = draw(rubrics(max_indicators=6, classes=False).filter(_answerable))
    return rubric, draw(responses(rubric))


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
@given(data=rubric_and_responses(), fmt=st.sampled_from(["wide", "long", "json"]))
def test_any_responses_round_trip_through_every_format(
    tmp_path: Path, data: tuple[rm.Rubric, rm.ResponseSet], fmt: str
) -> None:
    """write_responses then load_responses gives an equal ResponseSet (wide, long, JSON)."""
    rubric, rs = data
    p = tmp_path / ("r.json" if fmt == "json" else "r.csv")
    write_responses(rs, rubric, p, format=fmt)  # type: ignore[arg-type]
    back = load_responses(p, rubric, attributes=["Region"])
    assert back == rs


_csvish = st.lists(
    st.lists(
        st.sampled_from(
            [
                "agency",
                "period",
                "portal",
                "uptime",
                "budget",
                "training",
                "skills",
                "x",
                "2016",
                "yes",
                "n/a",
                "",
                '"',
                "a|b",
                "1e999",
                "-1",
                "ไทย",
                "indicator",
                "value",
                "\n",
                "\r",
            ]
        ),
        max_size=8,
    ).map(",".join),
    max_size=5,
).map("\n".join)
_jsonish = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["agency", "period", "portal", "skills", "uptime", "name", "responses", "zz"]
            ),
            c,
            max_size=4,
        )
    ),
    max_leaves=12,
).map(lambda v: json.dumps(v, allow_nan=True))


@settings(
    max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(
    blob=st.binary(max_size=200) | _csvish.map(str.encode) | _jsonish.map(str.encode),
    suffix=st.sampled_from([".csv", ".json"]),
    bom=st.booleans(),
)
def test_garbage_raises_only_response_errors(
    tmp_path: Path, blob: bytes, suffix: str, bom: bool
) -> None:
    """Whatever the bytes, loading either works or raises ResponseError, nothing else."""
    p = tmp_path / f"g{suffix}"
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + blob)
    try:
        rs = load_responses(p, small_rubric(), allow_missing_columns=bool(len(blob) % 2))
    except rm.ResponseError as err:
        problems_found = err.problems
    else:
        problems_found = ()
        assert all(not math.isinf(v) for v in rs.values.ravel().tolist())
    assert all(isinstance(x, rm.Problem) for x in problems_found)


def test_long_csv_attributes_must_agree_within_an_agency(tmp_path: Path) -> None:
    """In a long file an agency's name may repeat, but not change, from row to row."""
    p = write(
        tmp_path,
        "agency,period,name,indicator,value\nx,2016,กรม ก,portal,yes\nx,2016,,uptime,99\n"
        "x,2016,กรม ข,training,some\n",
    )
    (line,) = problems(p, small_rubric(), allow_missing_columns=True)
    assert line.startswith(f"{p}:4:3: agency 'x' (period 2016) has name 'กรม ก' on row 2")
    p.write_text(p.read_text(encoding="utf-8").replace("กรม ข", "กรม ก"), encoding="utf-8")
    rs = load_responses(p, small_rubric(), allow_missing_columns=True)
    assert rs.attribute("name") == ("กรม ก",)


class _Colliding(str):
    """Text whose hash is always 0: every key collides."""

    __slots__ = ()

    def __hash__(self) -> int:
        return 0


@given(
    st.lists(
        st.tuples(st.sampled_from("abcd"), st.sampled_from([2015, 2016, "x", -1, -2])), max_size=12
    ),
    st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_repeated_keys_are_found_exactly_whatever_their_hashes(
    keys: list[tuple[str, Any]], collide: bool
) -> None:
    """The hash-sort shortcut never hides a repeat nor reports one (colliding hashes
    take the exact path)."""
    from readiness_model.io.answer_table import duplicate_rows

    agencies = [_Colliding(a) if collide else a for a, _ in keys]
    periods = [p for _, p in keys]
    first: dict[tuple[str, Any], int] = {}
    expected = []
    for i, key in enumerate(zip(agencies, periods, strict=True)):
        if key in first:
            expected.append((first[key], i))
        first.setdefault(key, i)
    assert duplicate_rows(agencies, periods) == expected


@pytest.mark.parametrize("pair", [(-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0)])
def test_each_answer_keeps_its_own_sign_of_zero(pair: tuple[float, float]) -> None:
    """Round-trip hunt finding: the per-cell cache keyed 0.0 and -0.0 alike (they are
    equal), so a column's first zero gave its sign to the others; from_records then
    disagreed with from_array bit for bit, and so did a JSON round trip."""
    scale = rm.NumericScale(goalposts=(0, 10), clamp=False)
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("n", scale=scale)])])
    records = [{"agency": a, "period": 2016, "n": x} for a, x in zip("ab", pair, strict=True)]
    got = rm.ResponseSet.from_records(records, r).values.ravel()
    want = rm.ResponseSet.from_array([[x] for x in pair], ["a", "b"], r, period=2016).values
    assert got.view(np.int64).tolist() == want.ravel().view(np.int64).tolist()
    assert np.signbit(got).tolist() == [np.signbit(x) for x in pair]


def test_an_attribute_column_without_a_value_is_no_column(tmp_path: Path) -> None:
    """Round-trip hunt finding: select and from_array kept attribute columns of None
    that the readers and from_records drop, so such a set never equalled its own
    written and reloaded copy."""
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rs = rm.ResponseSet.from_records(
        [{"agency": "a", "period": 2016, "q": "yes", "name": "A"},
         {"agency": "b", "period": 2016, "q": "no"}], r
    )  # fmt: skip
    sub = rs.select([1])
    assert sub.attributes == ()
    assert sub == rm.ResponseSet.from_records([{"agency": "b", "period": 2016, "q": "no"}], r)
    for name in ("x.csv", "x.json"):
        rm.write_responses(sub, r, tmp_path / name)
        assert rm.load_responses(tmp_path / name, r) == sub
    assert json.loads((tmp_path / "x.json").read_text()) == [
        {"agency": "b", "period": 2016, "q": "no"}
    ]  # (the format follows a .json path)
    fa = rm.ResponseSet.from_array([[0.0]], ["b"], r, period=2016, attributes={"name": [None]})
    assert fa.attributes == ()
    assert rs.select([0]).attribute("name") == ("A",)


def test_numpy_scalar_answers_read_as_their_python_values() -> None:
    """Answers taken out of numpy arrays (``np.int64``, ``np.float32``, ``np.bool_``,
    ``np.str_``) read as the Python value they hold, exactly as ``from_array`` reads
    the array; a NaN is missing; a boolean is no number, and a date no answer."""
    r = small_rubric()
    row = {"agency": "moc", "period": 2016, "training": np.str_("some"), "skills": "cloud"}
    got = rm.ResponseSet.from_records(
        [
            {**row, "portal": np.bool_(True), "uptime": np.int64(97), "budget": np.float32(0.1)},
            {**row, "agency": "mof", "portal": np.int8(0), "uptime": np.float32("nan"),
             "budget": np.float64(2.5)},
        ],
        r,
    )  # fmt: skip
    assert got.values[0, :3].view(np.uint64).tolist() == (
        np.array([1.0, 97.0, np.float32(0.1)]).view(np.uint64).tolist()
    )
    assert got.values[1, [0, 2]].tolist() == [0.0, 2.5]
    assert got.missing[:, 1].tolist() == [False, True]
    for bad in (np.bool_(True), np.datetime64("2020-01-01")):
        with pytest.raises(rm.ResponseError, match="expected a"):
            rm.ResponseSet.from_records([{**row, "portal": "yes", "uptime": bad}], r)


def test_an_attribute_column_holds_a_value_by_identity_not_equality() -> None:
    from readiness_model.responses import _kept_attributes

    class Odd:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("compared")

        __hash__ = object.__hash__

    odd = Odd()
    columns = (
        ("name", [None, np.array([1, 2])]),
        ("kind", (None, odd)),
        ("parent", (None,) * 1000),
        ("region", ()),
    )
    kept = _kept_attributes(columns)
    assert [k for k, _ in kept] == ["name", "kind"]
