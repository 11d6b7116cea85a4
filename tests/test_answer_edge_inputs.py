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
