"""Answers files at the edges: a header without rows, a named encoding the file is not
in (or that is no text encoding), kept columns named like results columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main

RUBRIC = "thai-dg-readiness-2016"


def _rubric() -> rm.Rubric:
    return rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("q"),
                    rm.Indicator("u", scale=rm.NumericScale(goalposts=(0, 100))),
                ],
            )
        ],
    )


def _yaml(tmp_path: Path) -> str:
    p = tmp_path / "r.yaml"
    p.write_text(rm.dump_rubric(_rubric()), encoding="utf-8")
    return str(p)


@pytest.mark.parametrize("command", [["score"], ["score", "--roll-up"], ["sensitivity"]])
def test_a_header_without_rows_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """It was a ``max() arg is an empty sequence`` traceback."""
    answers = tmp_path / "h.csv"
    answers.write_text("agency,period,q,u\n", encoding="utf-8")
    assert main([*command, _yaml(tmp_path), str(answers)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "h.csv: the answers file has no rows" in err
    assert "template" in err  # the hint


def test_a_header_without_rows_still_loads_in_python(tmp_path: Path) -> None:
    """The library reads it as no answers (a caller may add rows); only the commands,
    which have nothing to show, refuse it."""
    answers = tmp_path / "h.csv"
    answers.write_text("agency,period,q,u\n", encoding="utf-8")
    assert rm.load_responses(answers, _rubric()).agencies == ()


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16", "cannot be read as utf-16: UTF-16 stream does not start with BOM"),
        ("utf-32", "cannot be read as utf-32"),
        ("idna", "cannot be read as idna"),
        ("punycode", "cannot be read as punycode"),
        ("cp874", "cannot be read as cp874"),
        ("base64", "'base64' is not an encoding of text"),
        ("rot13", "'rot13' is not an encoding of text"),
        ("zlib", "'zlib' is not an encoding of text"),
        ("no-such-codec", "unknown encoding 'no-such-codec'"),
    ],
)
def test_an_encoding_the_file_is_not_in_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str, message: str
) -> None:
    """A UTF-8 file (with Thai text) read with another encoding named: each was a
    UnicodeError, LookupError or "the answers file is empty"."""
    answers = tmp_path / "a.csv"
    answers.write_text(
        "agency,period,name,q,u\nกรม-1,2016,กรมทดลอง,yes,50\n" * 1 + "x,2016,x,no,20\n",
        encoding="utf-8",
    )
    with pytest.raises(rm.ResponseError, match=message) as err:
        rm.load_responses(answers, _rubric(), encoding=encoding)
    assert all(p.hint for p in err.value.problems)
    assert main(["score", _yaml(tmp_path), str(answers), "--encoding", encoding]) == 1
    out = capsys.readouterr().err
    assert "Traceback" not in out
    assert message in out


def test_a_named_encoding_the_file_is_in_still_reads(tmp_path: Path) -> None:
    answers = tmp_path / "a.csv"
    text = "agency,period,name,q,u\na,2016,กรมทดลอง,yes,50\n"
    for encoding in ("utf-16", "utf-16-le", "cp874", "utf-8"):
        answers.write_bytes(text.encode(encoding))
        rs = rm.load_responses(answers, _rubric(), encoding=encoding)
        assert dict(rs.attributes)["name"] == ("กรมทดลอง",)


@pytest.mark.parametrize("column", ["rank", "overall", "score.q", "origin", "rubric", "d"])
def test_a_kept_column_named_like_a_results_column_is_refused_in_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str
) -> None:
    """The results CSV had two such columns and read back the results' one (a kept
    ``rank`` of 7 came back as 1); JSON keeps both apart."""
    answers = tmp_path / "a.csv"
    answers.write_text(f"agency,period,q,u,{column}\na,2016,yes,50,7\n", encoding="utf-8")
    rs = rm.load_responses(answers, _rubric(), extra_columns="keep")
    res = rm.score(_rubric(), rs)
    with pytest.raises(rm.ResponseError, match=f"attribute '{column}' has the name of a results"):
        res.to_csv()
    back = rm.Results.from_json(res.to_json())
    assert dict(back.attributes)[column] == ("7",)
    out = tmp_path / "o.csv"
    args = ["score", _yaml(tmp_path), str(answers), "--extra-columns", "keep", "-o", str(out)]
    assert main(args) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert not out.exists()
    assert main([*args[:-1], str(tmp_path / "o.json")]) == 0
    got = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert "7" in json.dumps(got)


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_a_character_cut_off_at_the_end_is_located(tmp_path: Path, engine: str) -> None:
    """The last bytes begin a character the file does not finish: reported at its
    first byte (it was "byte 0x00 at offset 30", one past the end, with a Thai hint)."""
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    answers = tmp_path / "a.csv"
    answers.write_bytes(b"agency,period,q,u\nx,2016,yes,5\xc3")
    with pytest.raises(rm.ResponseError, match=r"a\.csv:2: .*byte 0xc3 at offset 30") as err:
        rm.load_responses(answers, _rubric(), engine=engine)  # type: ignore[arg-type]
    assert "Thai" not in err.value.problems[0].hint


def test_a_header_without_rows_is_checked_like_any_header(tmp_path: Path) -> None:
    """A missing indicator column is reported with rows or without (it was not checked
    without rows); a long file's header names no indicators."""
    answers = tmp_path / "h.csv"
    answers.write_text("agency,period,q\n", encoding="utf-8")
    with pytest.raises(rm.ResponseError, match=r"no column for 1 indicator.*'u'"):
        rm.load_responses(answers, _rubric())
    assert rm.load_responses(answers, _rubric(), allow_missing_columns=True).agencies == ()
    answers.write_text("agency,period,indicator,value\n", encoding="utf-8")
    assert rm.load_responses(answers, _rubric()).agencies == ()


def test_the_period_argument_is_checked_even_without_a_period_column(tmp_path: Path) -> None:
    """``period=`` fills the period of every row of a file without the column: it was
    stored as given (``2016.0``, ``True``, NaN, ``[2016]``, ``" Q1"``)."""
    answers = tmp_path / "a.csv"
    answers.write_text("agency,q,u\na,yes,5\n", encoding="utf-8")
    assert rm.load_responses(answers, _rubric(), period=2016).periods == (2016,)
    assert rm.load_responses(answers, _rubric(), period="2024-Q1").periods == ("2024-Q1",)
    for bad in (2016.0, True, float("nan"), [2016]):
        with pytest.raises(TypeError, match="'period' must be a year or a label"):
            rm.load_responses(answers, _rubric(), period=bad)  # type: ignore[arg-type]
    with pytest.raises(rm.ResponseError, match="spaces around it"):
        rm.load_responses(answers, _rubric(), period=" Q1")


@pytest.mark.parametrize("path", [True, 1, [1], b"a.csv", None])
def test_a_path_that_is_no_path_is_a_type_error(path: object) -> None:
    """``True`` or ``1`` were taken for file descriptor 1 (the terminal) and read."""
    with pytest.raises(TypeError, match="'path' must be a file path"):
        rm.load_responses(path, _rubric())  # type: ignore[arg-type]
