"""The survey round of docs/survey-round.md, run as written: questionnaire -> filled
workbook (a percent cell, a Thai name, an n/a) -> score -> results workbook -> report."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main

openpyxl = pytest.importorskip("openpyxl")

PAGE = Path(__file__).parent.parent / "docs" / "survey-round.md"
BLOCK = re.compile(r'```(\w+)(?: title="([^"]+)")?\n(.*?)```', re.DOTALL)


def test_the_documented_round_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    ran = []
    for lang, title, body in BLOCK.findall(PAGE.read_text(encoding="utf-8")):
        if title:
            (tmp_path / title).write_text(body, encoding="utf-8")
        elif lang == "python":
            exec(compile(body, str(PAGE), "exec"), {})
            ran.append("python")
        elif lang == "console":
            for line in body.splitlines():
                args = shlex.split(line.removeprefix("$ "))
                if args[0] != "readiness-model":
                    continue  # pip install
                code = main(args[1:])
                _out, err = capsys.readouterr()
                assert code == 0, err
                assert "warning" not in err
                ran.append(args[1])
    assert ran == ["template", "python", "score", "score", "report"]

    rubric = rm.load_rubric("thai-dg-readiness-2016")
    answers = rm.load_responses(tmp_path / "survey.xlsx", rubric)
    assert answers.agencies == ("mof", "rd", "cgd")
    assert answers.periods == (2017, 2017, 2017)
    assert answers.attribute("name")[1] == "กรมสรรพากร (Revenue Department)"
    j = answers.indicator_ids.index("network_uptime")
    assert answers.values[0, j] == 99.5  # the cell showing 99.5%
    assert answers.na[0, answers.indicator_ids.index("e_signature")]

    results = rm.score(rubric, answers)
    wb = openpyxl.load_workbook(tmp_path / "results.xlsx")
    assert wb.sheetnames == ["Summary", "Explanation", "Rubric"]
    top = [c.value for c in wb["Summary"][2]]
    assert top[:3] == [1, "mof", "กระทรวงการคลัง"]
    assert top[5] == results.overall[0]
    assert wb["Rubric"]["B4"].value == rubric.content_hash

    csv_bytes = (tmp_path / "results.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert "กรมบัญชีกลาง" in csv_bytes.decode("utf-8-sig")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "กระทรวงการคลัง" in page
    assert "พ.ศ. 2560" in page  # 2017 in the Thai report's era
