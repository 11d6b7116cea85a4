"""`readiness-model validate` and `readiness-model schema`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.io.schema import rubric_schema

GOOD = "rubric: demo\ndimensions:\n  - {id: d, indicators: [{id: q}, {id: r}]}\n"


def test_validate_prints_ok_for_a_valid_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A valid file prints one OK line with counts and exits 0."""
    f = tmp_path / "good.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(f)]) == 0
    assert capsys.readouterr().out == f"OK {f}: 1 dimension, 2 indicators\n"


def test_validate_prints_every_problem_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An invalid file prints one line per problem (file:line:col) and exits 1."""
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("{id: q}", "{id: q, wieght: 1}").replace("{id: r}", "{id: q}"))
    assert main(["validate", str(good), str(bad)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("OK ")
    assert len(lines) >= 3
    assert any(line.startswith(f"{bad}:3:") and "wieght" in line for line in lines)


def test_validate_missing_file_is_one_line_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that does not exist prints one clear line and exits 1."""
    assert main(["validate", str(tmp_path / "nope.yaml")]) == 1
    out = capsys.readouterr()
    assert out.out.count("\n") == 1
    assert "no such file" in out.out
    assert "Traceback" not in out.out + out.err


def test_validate_without_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """No file given: exit 2."""
    with pytest.raises(SystemExit) as info:
        main(["validate"])
    assert info.value.code == 2


def test_validate_accepts_shipped_names(capsys: pytest.CaptureFixture[str]) -> None:
    """A shipped rubric name validates."""
    if "thai-dg-readiness-2016" not in rm.shipped_rubrics():
        pytest.skip("the shipped Thai rubric is not in the tree yet")
    assert main(["validate", "thai-dg-readiness-2016"]) == 0
    assert capsys.readouterr().out.startswith("OK thai-dg-readiness-2016: ")


def test_schema_prints_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`schema` prints indented JSON; `-o FILE` writes the same schema."""
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == rubric_schema()
    assert printed.startswith("{\n  ")
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(printed)


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --help` shows usage examples."""
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "readiness-model validate rubrics/" in capsys.readouterr().out
