"""`score -o FILE`: the file's name picks the format; Excel-ready CSV and workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path

RUBRIC = "thai-dg-readiness-2016"


@pytest.fixture(scope="module")
def results() -> rm.Results:
    rubric = rm.load_rubric(RUBRIC)
    return rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))


def score(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["score", RUBRIC, str(demo_survey_path()), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dash_o_results_csv_writes_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], results: rm.Results
) -> None:
    """The command of getting-started.md: a .csv name gives CSV, not the text table."""
    out = tmp_path / "results.csv"
    code, stdout, err = score(tmp_path, capsys, "-o", str(out))
    assert (code, stdout, err) == (0, "", "")
    assert out.read_text(encoding="utf-8").startswith(
        "agency,period,name,kind,parent,status,overall"
    )
    assert rm.Results.from_csv(out).equals(results)


def test_dash_o_results_json_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], results: rm.Results
) -> None:
    out = tmp_path / "results.json"
    assert score(tmp_path, capsys, "-o", str(out))[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["provenance"]["rubric_id"] == RUBRIC
    assert rm.Results.from_json(out).equals(results)


def test_dash_o_results_xlsx_writes_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], results: rm.Results
) -> None:
    """Summary (latest period, ranked), one sheet per period, explanations, provenance."""
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "results.xlsx"
    assert score(tmp_path, capsys, "-o", str(out), "--lang", "th") == (0, "", "")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Summary", "2015", "2016", "Explanation", "Rubric"]
    ws = wb["Summary"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["อันดับ", "หน่วยงาน", "ชื่อ", "ระดับ", "กลุ่ม", "คะแนนรวม"]
    assert head[-2:] == ["ความครบถ้วนของคำตอบ", "การเปลี่ยนแปลง"]
    assert "นโยบายและแนวปฏิบัติ" in head
    first = [c.value for c in ws[2]]
    best = min(
        (i for i, p in enumerate(results.periods) if p == 2016), key=lambda i: results.rank[i]
    )
    assert first[0] == 1
    assert first[1] == results.agencies[best]
    assert first[5] == results.overall[best]
    assert ws.max_row == 1 + sum(p == 2016 for p in results.periods)
    ex = wb["Explanation"]
    assert [c.value for c in ex[1]][:4] == ["agency", "period", "indicator", "title"]
    assert ex.max_row == 1 + len(results) * len(results.rubric.indicators)
    rubric_sheet = {r[0].value: r[1].value for r in wb["Rubric"].iter_rows()}
    assert rubric_sheet["rubric_sha256"] == results.provenance.rubric_sha256
    contributions = {}
    for row in ex.iter_rows(min_row=2, values_only=True):
        if row[0] == results.agencies[best] and row[1] == 2016:
            contributions[row[2]] = row[9]
    assert sum(contributions.values()) == pytest.approx(results.overall_exact[best])


def test_dash_o_report_html_writes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    assert score(tmp_path, capsys, "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (
            ["--format", "table", "-o", "x.csv"],
            "--format table contradicts the output file name 'x.csv' (a .csv file is csv)",
        ),
        (["--format", "json", "-o", "x.xlsx"], "--format json contradicts"),
        (["--format", "xlsx"], "--format xlsx writes a workbook: give -o FILE.xlsx"),
        (["-o", "x.json", "--excel-csv"], "--excel-csv is for CSV output, not json"),
        (["--columns", "human"], "--columns is for CSV output, not table"),
    ],
)
def test_contradicting_options_are_a_one_line_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", RUBRIC, str(demo_survey_path()), *args])
    assert info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"readiness-model score: error: {reason}")
    assert not (tmp_path / "x.csv").exists()


def test_format_agrees_or_chooses_for_other_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.txt"
    assert score(tmp_path, capsys, "-o", str(out))[0] == 0
    assert "Thai Digital Government Readiness Survey 2016" in out.read_text(encoding="utf-8")
    assert score(tmp_path, capsys, "--format", "csv", "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("agency,period,")
    assert score(tmp_path, capsys, "--format", "csv", "-o", str(tmp_path / "r.csv"))[0] == 0


def test_excel_csv_has_a_mark_and_human_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], results: rm.Results
) -> None:
    """--excel-csv: a byte-order mark, so Excel shows Thai names; --columns human: the
    columns a director reads (the file still reads back as answers-free results)."""
    out = tmp_path / "results.csv"
    assert score(tmp_path, capsys, "-o", str(out), "--excel-csv")[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "สำนักนายกรัฐมนตรี" in data.decode("utf-8-sig")
    assert rm.Results.from_csv(out).equals(results)
    assert score(tmp_path, capsys, "-o", str(out), "--excel-csv", "--columns", "human")[0] == 0
    head = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert head[:9] == [
        "rank",
        "agency",
        "period",
        "name",
        "kind",
        "parent",
        "band",
        "group",
        "trend",
    ]
    assert head[-4:] == ["coverage", "change", "rubric", "rubric_version"]
    assert len(head) < 30


def test_python_to_csv_with_utf8_sig_and_human_columns(tmp_path: Path, results: rm.Results) -> None:
    p = tmp_path / "r.csv"
    text = results.to_csv(p, encoding="utf-8-sig", columns="human")
    assert p.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")
    with pytest.raises(rm.ResponseError, match="columns must be 'all' or 'human'"):
        results.to_csv(columns="some")  # type: ignore[arg-type]
