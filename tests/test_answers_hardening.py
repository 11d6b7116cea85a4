"""Answers files under hostile input (issue 12 items 3, 6, 10, 13): nothing passes
silently, every problem is located, limits are checked before the work."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.io.csv_text import escape, unescape
from readiness_model.responses.files import load_responses, write_responses

SCALE = rm.OrdinalScale(levels=["none", "some", "all"])


def rubric(population: dict[str, object] | None = None) -> rm.Rubric:
    return rm.Rubric(
        "h",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("portal"),
                    rm.Indicator("uptime", scale=rm.NumericScale(goalposts=(0, 100))),
                    rm.Indicator("level", scale=SCALE),
                ],
            )
        ],
        population=population,
    )


def lines_of(path: Path, r: rm.Rubric | None = None, **kw: object) -> list[str]:
    with pytest.raises(rm.ResponseError) as info:
        load_responses(path, r or rubric(), **kw)  # type: ignore[arg-type]
    return info.value.lines()


def put(tmp_path: Path, text: str | bytes, name: str = "a.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return p


# -- item 3: answers that passed silently ---------------------------------------------------
def test_json_nan_is_an_error_at_its_line_not_a_missing_answer(tmp_path: Path) -> None:
    """JSON NaN is not null: the cell is an error with line, column and path."""
    p = put(tmp_path, '[\n {"agency": "x", "period": 2016,\n  "uptime": NaN}]', "a.json")
    (line,) = lines_of(p, allow_missing_columns=True)
    assert line.startswith(f"{p}:3:3: bad answer NaN for indicator 'uptime'")
    assert "null means missing" in line
    assert line.endswith("@ $[0].uptime")


def test_a_repeated_json_key_is_an_error_not_the_last_value(tmp_path: Path) -> None:
    """{"portal": "yes", "portal": "no"} would silently keep "no"."""
    text = '[{"agency": "x", "period": 2016, "portal": "yes", "portal": "no"}]'
    p = put(tmp_path, text, "a.json")
    (line,) = lines_of(p, allow_missing_columns=True)
    assert "has the key 'portal' more than once" in line
    assert line.startswith(f"{p}:1:34:")


def test_period_2016_0_is_the_year_2016_so_the_duplicate_is_found(tmp_path: Path) -> None:
    """'2016.0' and '2016' are one period: the second row is a duplicate."""
    p = put(tmp_path, "agency,period,portal,uptime,level\nx,2016,yes,1,none\nx,2016.0,no,2,some\n")
    (line,) = lines_of(p)
    assert line.startswith(f"{p}:3: agency 'x' appears twice for period 2016")
    assert rm.ResponseSet.from_records([{"agency": "x", "period": "2016.0"}], rubric()).periods == (
        2016,
    )


@pytest.mark.parametrize("cell", ["1_0", "5_0.5"])
def test_digit_separators_are_not_numbers(tmp_path: Path, cell: str) -> None:
    """float('1_0') is 10 in Python; in an answer it is an error (numeric and index)."""
    p = put(tmp_path, f"agency,period,portal,uptime,level\nx,2016,yes,{cell},0_1\n")
    lines = lines_of(p)
    assert any(f"bad answer '{cell}' for indicator 'uptime'" in x for x in lines)
    assert any("bad answer '0_1' for indicator 'level'" in x for x in lines)
    assert rm.ResponseSet.from_records([{"agency": "x", "period": "1_0"}], rubric()).periods == (
        "1_0",
    )


def test_a_byte_order_mark_inside_the_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Two files joined: the second BOM would become part of an agency id."""
    p = put(
        tmp_path,
        "\ufeffagency,period,portal,uptime,level\nx,2016,yes,1,none\n\ufeffy,2016,no,2,some\n",
    )
    (line,) = lines_of(p)
    assert line.startswith(f"{p}:3:1: a byte-order mark (U+FEFF) in the middle of the file")


def test_ids_with_surrounding_spaces_are_errors_and_attributes_are_kept_exactly(
    tmp_path: Path,
) -> None:
    """' x' would be another agency than 'x'; a name keeps its spaces (exact round trip)."""
    p = put(tmp_path, "agency,period,name,portal,uptime,level\n x ,2016,a,yes,1,none\n")
    (line,) = lines_of(p)
    assert line.startswith(f"{p}:2:1: the agency id ' x ' has spaces around it")
    q = put(tmp_path, "agency,period,name,kind,portal,uptime,level\nx,2016, Thai  , dept ,yes,1,\n")
    rs = load_responses(q, rubric())
    assert rs.attribute("name") == (" Thai  ",)
    assert rs.attribute("kind") == (" dept ",)
    back = tmp_path / "back.csv"
    write_responses(rs, rubric(), back)
    assert load_responses(back, rubric()) == rs


def test_a_population_value_with_spaces_matches(tmp_path: Path) -> None:
    """The rubric's population value is compared with the attribute exactly as written."""
    r = rubric({"kind": ["central ministry "]})
    p = put(
        tmp_path,
        "agency,period,kind,portal,uptime,level\nx,2016,central ministry ,yes,1,none\n"
        "y,2016,central ministry,no,1,none\n",
    )
    res = rm.score(r, load_responses(p, r))
    assert res.in_population.tolist() == [True, False]


# -- item 6: lone surrogates ---------------------------------------------------------------
@pytest.mark.parametrize("key", ["agency", "name", "level"])
def test_a_lone_surrogate_is_rejected_at_load_with_its_location(tmp_path: Path, key: str) -> None:
    """'\\ud800' in JSON loads as a str that no output can encode: an error at load."""
    rec = {"agency": "x", "period": 2016, "name": "n", "portal": "yes", "uptime": 1}
    rec["level"] = "none"
    text = json.dumps([rec]).replace(f'"{rec[key]}"', '"\\ud800"')
    p = put(tmp_path, text, "a.json")
    lines = lines_of(p)
    assert any("U+D800" in x or "bad answer" in x for x in lines), lines
    assert all(x.startswith(f"{p}:1:") for x in lines)


# -- item 10: problems located ------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "start", "message"),
    [
        ("", "a.csv", ":1:1:", "empty"),
        ("\n\n  \n", "a.csv", ":1:1:", "empty"),
        (",,\n,,\n" + " " * 5000, "a.csv", ":1:1:", "no header row"),
        ('{"agency": "x"}', "a.json", ":1:1:", "must be a list of records"),
        ('\n  "text"', "a.json", ":2:3:", "must be a list of records"),
        ("[" * 100_000 + "]" * 100_000, "a.json", ":1:201:", "nested more than 200"),
        ('[{"agency": "x",\n "uptime": ' + "9" * 5000 + "}]", "a.json", ":2:2:", "5,000 digits"),
    ],
)
def test_whole_file_problems_have_a_line_and_column(
    tmp_path: Path, text: str, name: str, start: str, message: str
) -> None:
    """Empty files, no header, JSON that is not a list, too deep, overlong integers."""
    p = put(tmp_path, text, name)
    lines = lines_of(p, allow_missing_columns=True)
    assert any(x.startswith(f"{p}{start}") and message in x for x in lines), lines


# -- item 13: limits before work -----------------------------------------------------------
def test_the_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A file over the limit is refused from its size alone."""
    body = "".join(f"a{i},2016,yes,1,none\n" for i in range(100))
    p = put(tmp_path, "agency,period,portal,uptime,level\n" + body)
    (line,) = lines_of(p, max_bytes=1000)
    assert "at most 1,000 are read" in line
    assert len(load_responses(p, rubric(), max_bytes=10_000).agencies) == 100


def test_a_million_column_header_is_rejected_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's width is checked before any column is looked at (was 24-57 s): the
    per-column check is never reached (no timing: a loaded machine must not fail it)."""
    import readiness_model.io.answers_csv as answers_csv

    def looked_at_columns(*args: object, **kwargs: object) -> None:
        raise AssertionError("the columns were checked one by one")

    monkeypatch.setattr(answers_csv, "check_header", looked_at_columns)
    p = put(tmp_path, "agency,period," + ",".join(f"c{i}" for i in range(1_000_000)) + "\n")
    (line,) = lines_of(p)
    assert "the header has 1,000,002 columns" in line


def test_unknown_columns_are_reported_briefly(tmp_path: Path) -> None:
    """Past 20 unknown columns, one line counts the rest."""
    p = put(tmp_path, "agency,period,portal,uptime,level," + ",".join(f"z{i}" for i in range(50)))
    lines = lines_of(p)
    assert sum("unknown column 'z" in x for x in lines) == 20
    assert any("30 more unknown column(s)" in x for x in lines)


def test_at_most_200_problems_are_listed(tmp_path: Path) -> None:
    """A file of bad answers gives 200 problems and a count of the rest."""
    p = put(
        tmp_path,
        "agency,period,portal,uptime,level\n"
        + "".join(f"a{i},2016,maybe,1,none\n" for i in range(500)),
    )
    lines = lines_of(p)
    assert len(lines) == 201
    assert "300 more problem(s)" in lines[-1]


# -- item 12 (answers part): formula cells ------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=8), st.booleans())
def test_escaping_a_cell_is_undone_exactly(text: str, safe: bool) -> None:
    """unescape(escape(t)) == t for any text, neutralised or not."""
    assert unescape(escape(text, safe)) == text
    if safe and escape(text, safe) != text:
        assert escape(text, safe).startswith("'")


def test_answers_csv_neutralises_formulas_and_reads_them_back(tmp_path: Path) -> None:
    """write_responses prefixes '=...' with an apostrophe; load_responses removes it."""
    r = rubric()
    rs = rm.ResponseSet.from_records(
        [
            {"agency": '=HYPERLINK("http://x","y")', "period": 2016, "name": "+cmd|' /C calc'!A0"},
            {"agency": "'=x", "period": 2016, "name": "-1.5", "uptime": -3},
        ],
        r,
    )
    p = tmp_path / "a.csv"
    text = write_responses(rs, r, p)
    assert "\n\"'=HYPERLINK" in text
    assert ",'+cmd" in text
    assert "\n''=x" in text
    assert ",-1.5," in text
    assert ",-3.0," in text
    assert load_responses(p, r, allow_missing_columns=True) == rs
    raw = write_responses(rs, r, p, safe=False)
    assert '\n"=HYPERLINK' in raw
    assert load_responses(p, r, allow_missing_columns=True) == rs


# -- from_array ---------------------------------------------------------------------------
def test_from_array_copy_false_shares_the_input_read_only() -> None:
    """copy=False keeps the caller's array (a read-only view); the default copies."""
    r = rubric()
    values = np.array([[1.0, 50.0, 2.0], [0.0, np.nan, 1.0]])
    shared = rm.ResponseSet.from_array(values, ["a", "b"], r, copy=False)
    assert np.shares_memory(shared.values, values)
    assert not shared.values.flags.writeable
    assert values.flags.writeable
    assert not np.shares_memory(rm.ResponseSet.from_array(values, ["a", "b"], r).values, values)
    na = np.array([[False, True, False], [False, False, False]])
    with_na = rm.ResponseSet.from_array(values, ["a", "b"], r, na=na, copy=False)
    assert values[0, 1] == 50.0
    assert np.isnan(with_na.values[0, 1])


def test_from_array_reports_duplicates_and_invalid_values_per_scale() -> None:
    """Every invalid stored value is named; repeated (agency, period) pairs too."""
    r = rubric()
    with pytest.raises(rm.ResponseError) as info:
        rm.ResponseSet.from_array([[2, 50, 7], [1, 1, 0]], ["a", "b"], r)
    msgs = [p.message for p in info.value.problems]
    assert msgs == [
        "agency 'a', indicator 'portal': 2.0 is not a valid stored value",
        "agency 'a', indicator 'level': 7.0 is not a valid stored value",
    ]
    with pytest.raises(rm.ResponseError, match="appears twice for period 0"):
        rm.ResponseSet.from_array([[1, 1, 0], [1, 1, 0]], ["a", "a"], r)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.0, np.nan]),
            st.sampled_from([0.0, 50.0, 100.0, np.nan]),
            st.sampled_from([0.0, 1.0, 2.0, np.nan]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 4),
    st.lists(
        st.tuples(
            st.integers(0, 11),
            st.sampled_from([(0, 2.0), (1, -5.0), (1, np.inf), (2, 0.5), (2, 3.0)]),
        ),
        max_size=2,
    ),
)
def test_from_array_copies_checks_and_masks_alike_in_one_pass_or_two(
    rows: list[tuple[float, float, float]], block: int, bad: list[tuple[int, tuple[int, float]]]
) -> None:
    """A float64 array is copied, checked and masked a block of rows at a time (blocks of
    one to four rows here); a list goes the general way: the same ResponseSet, or the
    same problems in the same order (row by row, whatever the blocks). With no NaN the
    masks take no memory."""
    from readiness_model.io import stored_values

    r = rubric()
    values = np.array(rows, dtype=np.float64)
    for i, (j, x) in bad:  # a few invalid cells
        values[i % len(rows), j] = x
    agencies = [f"a{i}" for i in range(len(rows))]
    old = stored_values.STORED_BLOCK
    got = []
    try:
        for given_, size in ((values, 3 * block), (values.tolist(), 3 * block), (values, old)):
            stored_values.STORED_BLOCK = size
            try:
                got.append(rm.ResponseSet.from_array(given_, agencies, r))
            except rm.ResponseError as err:
                got.append([(p.message, p.path) for p in err.problems])
    finally:
        stored_values.STORED_BLOCK = old
    assert got[0] == got[1] == got[2]  # (problems row by row, whatever the blocks)
    if isinstance(got[0], rm.ResponseSet):
        rs = got[0]
        assert not np.shares_memory(rs.values, values)
        assert np.array_equal(rs.missing, np.isnan(values))
        assert not rs.na.any()
        if not np.isnan(values).any():
            assert rs.missing.strides == (0, 0)
            assert rs.na.strides == (0, 0)
        assert rs == rm.ResponseSet.from_records(rs.to_records(r), r)


def test_periods_given_as_an_array_or_any_iterable_are_read_as_before() -> None:
    """Review finding: the one-period shortcut assumed a list or tuple (``count``); an
    array of periods (or a generator) made ``period_order`` and a ResponseSet fail."""
    from readiness_model.io.answer_cells import distinct_values, period_order
    from readiness_model.io.answer_table import duplicate_rows

    assert period_order(np.array([2016, 2015])) == {2015: 0, 2016: 1}
    assert period_order(p for p in [2016, 2015, 2016]) == {2015: 0, 2016: 1}
    assert distinct_values(np.array([7, 7, 7])) == [7]
    assert distinct_values([]) == []
    assert duplicate_rows(("a", "a"), np.array([1, 1])) == [(0, 1)]
    rs = rm.ResponseSet(
        rubric_id="t", indicator_ids=("q",), agencies=("a", "b"), periods=np.array([2016, 2016]),
        values=np.zeros((2, 1)), missing=np.zeros((2, 1), bool), na=np.zeros((2, 1), bool),
    )  # fmt: skip
    assert rs.period_values == [2016]


def test_any_set_reads_a_broadcast_of_one_value_once_and_other_arrays_whole() -> None:
    """The masks without a cell set are broadcasts of one False: ``any_set`` reads that
    one value; an array broadcast along some axes only is read whole."""
    from readiness_model._arrays import any_set

    assert not any_set(np.broadcast_to(np.False_, (4, 3)))
    assert any_set(np.broadcast_to(np.True_, (4, 3)))
    assert any_set(np.broadcast_to(np.array([False, True]), (3, 2)))  # rows broadcast only
    assert not any_set(np.zeros((0, 3), bool))
    assert any_set(np.eye(3, dtype=bool)[::-1])


def test_numpy_periods_are_read_as_python_ones() -> None:
    """Round-trip hunt finding: a numpy integer period (a pandas column's year) was
    refused with a leaked message ("'numpy.int64' object is not iterable"), and a numpy
    text period was kept as ``np.str_``; both are now the plain period."""
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    one = rm.ResponseSet.from_array([[1.0], [0.0]], ["a", "b"], r, period=np.int64(2016))
    assert one.periods == (2016, 2016)
    assert type(one.periods[0]) is int
    many = rm.ResponseSet.from_array(
        [[1.0], [0.0]], ["a", "b"], r, period=[np.int64(2015), np.str_("2016Q1")]
    )
    assert [type(p) for p in many.periods] == [int, str]
    assert many == rm.ResponseSet.from_array([[1.0], [0.0]], ["a", "b"], r, period=[2015, "2016Q1"])
    with pytest.raises(rm.ResponseError, match="not true/false"):
        rm.ResponseSet.from_array([[1.0]], ["a"], r, period=np.bool_(True))
