"""Messy CSV as spreadsheets export it: encodings, delimiters, thousands separators and
extra columns, each with the message or result a user sees."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import readiness_model as rm
from readiness_model.cli import main

RUBRIC = rm.Rubric(
    "small",
    dimensions=[
        rm.Dimension(
            "access",
            indicators=[
                rm.Indicator("portal"),
                rm.Indicator("staff", scale=rm.NumericScale(goalposts=(0, 5000))),
            ],
        )
    ],
)
HEADER = ["agency", "period", "name", "portal", "staff"]


def write(tmp_path: Path, rows: list[list[str]], sep: str = ",", enc: str = "utf-8") -> Path:
    p = tmp_path / "answers.csv"
    text = "".join(sep.join(r) + "\r\n" for r in rows)
    p.write_bytes(text.encode(enc))
    return p


def load(path: Path, **kw: Any) -> tuple[rm.ResponseSet, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rs = rm.load_responses(path, RUBRIC, **kw)
    return rs, [str(w.message) for w in caught]


def problems(path: Path, **kw: Any) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(rm.ResponseError) as info:
            rm.load_responses(path, RUBRIC, **kw)
    return info.value.lines()


THAI = [HEADER, ["moc", "2016", "กระทรวงพาณิชย์", "yes", "1200"]]


# -- encodings ----------------------------------------------------------------------------
def test_cp874_file_is_refused_with_a_hint_naming_the_encoding(tmp_path: Path) -> None:
    """Thai Windows text is not guessed: the error says which encoding to name."""
    p = write(tmp_path, THAI, enc="cp874")
    (line,) = problems(p)
    assert line.startswith(f"{p}:2: the file is not UTF-8 (byte 0xa1 at offset ")
    assert "looks like Thai Windows text (cp874/TIS-620): pass --encoding cp874" in line


@pytest.mark.parametrize("name", ["cp874", "tis-620", "TIS_620"])
def test_cp874_and_tis620_read_when_named(tmp_path: Path, name: str) -> None:
    """Named, the encoding reads the Thai name exactly."""
    rs, notes = load(write(tmp_path, THAI, enc="cp874"), encoding=name)
    assert rs.attribute("name") == ("กระทรวงพาณิชย์",)
    assert notes == []


def test_unknown_encoding_is_an_error_with_examples(tmp_path: Path) -> None:
    (line,) = problems(write(tmp_path, THAI), encoding="thai-windows")
    assert line.startswith("unknown encoding 'thai-windows' (for example utf-8, utf-16, cp874")


def test_utf16_unicode_text_is_detected_by_its_mark_and_tabs_sniffed(tmp_path: Path) -> None:
    """Excel's "Unicode Text" (UTF-16 with a mark, tab-separated) reads as it is; the
    sniffed tab is reported as a note."""
    p = tmp_path / "unicode.txt"
    text = "".join("\t".join(r) + "\r\n" for r in THAI)
    p.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    rs, notes = load(p)
    assert rs.values.tolist() == [[1.0, 1200.0]]
    assert rs.attribute("name") == ("กระทรวงพาณิชย์",)
    assert notes == [
        f"{p}:1: read as tab-separated: the header row splits into the rubric's columns at "
        "tabs (pass delimiter='\\t' (--delimiter '\\t') to say so) @ header"
    ]
    rs2, notes2 = load(p, delimiter="\t")
    assert rs2 == rs
    assert notes2 == []


def test_utf16_without_a_mark_gets_a_hint(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes("".join(",".join(r) + "\n" for r in THAI).encode("utf-16-le"))
    (line,) = problems(p)
    assert "not a text file (it holds NUL bytes)" in line
    assert "UTF-16 text without a byte-order mark: pass --encoding utf-16-le" in line
    rs, _ = load(p, encoding="utf-16-le")
    assert rs.values.tolist() == [[1.0, 1200.0]]


# -- delimiters ---------------------------------------------------------------------------
def test_semicolon_file_is_sniffed_and_the_choice_reported(tmp_path: Path) -> None:
    """A semicolon-separated export reads as such, with one note (not four lines each
    repeating the header as one unknown column)."""
    p = write(tmp_path, [HEADER, ["moc", "2016", "Commerce, Ministry of", "yes", "800"]], ";")
    rs, notes = load(p)
    assert rs.attribute("name") == ("Commerce, Ministry of",)
    assert rs.values.tolist() == [[1.0, 800.0]]
    assert len(notes) == 1
    assert notes[0].startswith(f"{p}:1: read as semicolon-separated")
    assert "pass delimiter=';' (--delimiter ';')" in notes[0]


def test_a_wrong_delimiter_given_is_not_second_guessed(tmp_path: Path) -> None:
    p = write(tmp_path, THAI, ";")
    lines = problems(p, delimiter=",")
    assert "unknown column 'agency;period;name;portal;staff'" in lines[0]


def test_a_bad_delimiter_option_is_an_error() -> None:
    with pytest.raises(rm.ResponseError, match=r"delimiter '\|' is not one of"):
        rm.load_responses("x.csv", RUBRIC, delimiter="|")


# -- thousands separators -----------------------------------------------------------------
def test_thousands_separators_in_a_comma_file_are_read(tmp_path: Path) -> None:
    """In a comma-separated file ("1,200" had to be quoted) a comma groups thousands."""
    p = write(
        tmp_path, [HEADER, ["a", "2016", "", "yes", '"1,200"'], ["b", "2016", "", "no", "950"]]
    )
    rs, notes = load(p)
    assert rs.values[:, 1].tolist() == [1200.0, 950.0]
    assert notes == []


def test_ambiguous_thousands_in_a_semicolon_file_are_rejected_with_a_hint(tmp_path: Path) -> None:
    """Where a comma may be a decimal comma, 1,200 is refused saying why; 1,234,567 and
    1,234.5 are unambiguous and read."""
    rows = [HEADER, ["a", "2016", "", "yes", "1,200"], ["b", "2016", "", "no", "1,234.5"]]
    p = write(tmp_path, rows, ";")
    (line,) = problems(p)
    assert line.startswith(f"{p}:2:5: bad answer '1,200' for indicator 'staff'")
    assert (
        "expected a finite number ('1,200' is ambiguous here: 1200 with a thousands "
        "separator, or 1.2 with a decimal comma; write 1200 or 1.2)"
    ) in line
    rows[1][4] = "1,234,567"
    rs, _ = load(write(tmp_path, rows, ";"))
    assert rs.values[:, 1].tolist() == [1234567.0, 1234.5]


def test_a_decimal_comma_is_named_in_the_hint(tmp_path: Path) -> None:
    p = write(tmp_path, [HEADER, ["a", "2016", "", "yes", '"12,5"']])
    (line,) = problems(p)
    assert "the comma in '12,5' does not group thousands (a decimal comma?); write 12.5" in line


# -- extra columns ------------------------------------------------------------------------
REMARKS = [
    [*HEADER, "หมายเหตุ"],
    ["a", "2016", "", "yes", "10", "ตรวจแล้ว"],
    ["b", "2016", "", "no", "20", ""],
]


def test_extra_column_is_an_error_once_with_the_option_named(tmp_path: Path) -> None:
    """A remarks column fails the file once (not per row), and the hint names the option."""
    (line,) = problems(write(tmp_path, REMARKS))
    assert line.startswith(f"{tmp_path / 'answers.csv'}:1:6: unknown column 'หมายเหตุ'")
    assert "--extra-columns keep (extra_columns='keep')" in line


def test_extra_column_kept_as_an_attribute_or_ignored(tmp_path: Path) -> None:
    p = write(tmp_path, REMARKS)
    rs, _ = load(p, extra_columns="keep")
    assert rs.attribute("หมายเหตุ") == ("ตรวจแล้ว", None)
    rs2, _ = load(p, extra_columns="ignore")
    assert [k for k, _ in rs2.attributes] == []
    assert rs2.values.tolist() == rs.values.tolist()


def test_a_misspelt_indicator_is_an_error_even_when_keeping_extras(tmp_path: Path) -> None:
    rows = [["agency", "period", "portal", "stafff"], ["a", "2016", "yes", "1"]]
    (line,) = problems(write(tmp_path, rows), extra_columns="keep")
    assert "unknown column 'stafff'" in line
    assert "did you mean 'staff'?" in line


def test_long_file_keeps_extra_columns_too(tmp_path: Path) -> None:
    rows = [
        ["agency", "period", "indicator", "value", "note"],
        ["a", "2016", "portal", "yes", "x"],
        ["a", "2016", "staff", "3", "x"],
    ]
    rs, _ = load(write(tmp_path, rows), extra_columns="keep")
    assert rs.attribute("note") == ("x",)


def test_records_and_dataframes_list_an_extra_column_once() -> None:
    """from_records/from_dataframe: one problem per unknown key, not one per row."""
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "agency": ["a", "b", "c"],
            "period": [2016] * 3,
            "portal": ["yes", "no", "yes"],
            "staff": [1, 2, 3],
            "remarks": ["x", None, "y"],
        }
    )
    with pytest.raises(rm.ResponseError) as info:
        rm.ResponseSet.from_dataframe(df, RUBRIC)
    (line,) = info.value.lines()
    assert line.startswith("unknown key 'remarks' (in 3 records, from record 1)")
    assert "extra_columns='keep'" in line
    rs = rm.ResponseSet.from_dataframe(df, RUBRIC, extra_columns="keep")
    assert rs.attribute("remarks") == ("x", None, "y")
    recs = df.drop(columns="remarks").to_dict(orient="records")
    assert rm.ResponseSet.from_dataframe(df, RUBRIC, extra_columns="ignore") == (
        rm.ResponseSet.from_records(recs, RUBRIC)
    )


def test_json_file_keeps_extra_keys(tmp_path: Path) -> None:
    p = tmp_path / "a.json"
    p.write_text('[{"agency": "a", "period": 2016, "portal": "yes", "staff": 1, "note": "x"}]')
    (line,) = problems(p)
    assert line.startswith(f"{p}:1:63: unknown key 'note' in record 1")
    rs, _ = load(p, extra_columns="keep")
    assert rs.attribute("note") == ("x",)


# -- the command line ---------------------------------------------------------------------
def test_cli_reads_messy_csv_with_the_shared_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """score: --encoding, --extra-columns; the sniffed delimiter is a note on stderr."""
    rubric = tmp_path / "r.yaml"
    rubric.write_text(rm.dump_rubric(RUBRIC), encoding="utf-8")
    rows = [[*HEADER, "หมายเหตุ"], ["moc", "2016", "กระทรวงพาณิชย์", "yes", "1,200", "ok"]]
    p = write(tmp_path, rows, ";", "cp874")
    options = ["--encoding", "cp874", "--extra-columns", "keep"]
    code = main(["score", str(rubric), str(p), *options])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.startswith(f"note: {p}:1: read as semicolon-separated")
    assert "'1,200' is ambiguous here" in err
    rows[1][4] = "1200"
    p = write(tmp_path, rows, ";", "cp874")
    code = main(["score", str(rubric), str(p), *options, "--delimiter", ";"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    assert "กระทรวงพาณิชย์" in out
