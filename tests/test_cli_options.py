"""One command line: the shared input options and ``--lang`` wherever they apply."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from readiness_model.cli import build_parser, main
from readiness_model.cli._options import ANSWER_OPTIONS
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.io.shipped import shipped_rubric_path

READ_ANSWERS = {"audit", "diff", "explain", "gap", "population", "report", "score", "sensitivity"}
"""Commands that read an answers file (checked against the parsers below)."""
PRINT_TITLES = {"demo", "explain", "gap", "report", "score", "show"}
"""Commands that print rubric titles."""


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _flags(p: argparse.ArgumentParser) -> set[str]:
    return {s for a in p._actions for s in a.option_strings}


def _reads_answers(p: argparse.ArgumentParser) -> bool:
    return any(a.dest == "answers" for a in p._actions)


def test_every_command_that_reads_answers_takes_the_shared_input_options() -> None:
    """Walk every subcommand: one that has an answers argument has every shared input
    option, and the commands reading answers are exactly the expected ones."""
    commands = _subcommands()
    readers = {name for name, p in commands.items() if _reads_answers(p)}
    assert readers == READ_ANSWERS
    for name in sorted(readers):
        missing = set(ANSWER_OPTIONS) - _flags(commands[name])
        assert not missing, f"{name} lacks {sorted(missing)}"
    for name in sorted(set(commands) - readers):
        assert not set(ANSWER_OPTIONS) & _flags(commands[name]), name


def test_every_command_that_prints_titles_takes_lang() -> None:
    commands = _subcommands()
    for name in sorted(PRINT_TITLES):
        assert "--lang" in _flags(commands[name]), name
        lang = next(a for a in commands[name]._actions if "--lang" in a.option_strings)
        assert lang.default == "en"


def test_lang_takes_any_language_code_and_rejects_other_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A language the rubric lacks falls back to English; junk is a usage error."""
    assert main(["show", "thai-dg-readiness-2016", "--lang", "fr"]) == 0
    assert "Thai Digital Government Readiness Survey 2016" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["show", "thai-dg-readiness-2016", "--lang", "th; rm"])
    assert info.value.code == 2
    assert "expected a language code" in capsys.readouterr().err


def test_gap_prints_titles_in_the_chosen_language(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["gap", "thai-dg-readiness-2016", str(demo_survey_path()), "--agency", "dbd"]
    assert main(args) == 0
    en = capsys.readouterr().out
    assert main([*args, "--lang", "th"]) == 0
    th = capsys.readouterr().out
    assert en != th
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in th)


def test_missing_columns_hint_names_the_flag_not_the_python_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.csv"
    answers.write_text("agency,period,dg_plan\nx,2016,yes\n", encoding="utf-8")
    assert main(["score", "thai-dg-readiness-2016", str(answers)]) == 1
    err = capsys.readouterr().err
    assert "pass --allow-missing-columns" in err
    assert "allow_missing_columns" not in err
    assert main(["score", "thai-dg-readiness-2016", str(answers), "--allow-missing-columns"]) == 0


def _with_new_indicator(text: str) -> str:
    """The Thai rubric with one more indicator in its first dimension."""
    anchor = "    indicators:\n      - id: dg_plan\n"
    assert anchor in text
    return text.replace(
        anchor,
        "    indicators:\n      - id: open_data_plan\n        weight: 2\n" + anchor[16:],
        1,
    )


def test_diff_reads_the_answers_with_whichever_rubric_has_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance: `diff old.yaml new.yaml --answers demo.csv` works when new.yaml adds an
    indicator the answers lack (the answers are read with the old rubric; the new
    indicator is missing under the new one)."""
    shipped = shipped_rubric_path("thai-dg-readiness-2016")
    assert shipped is not None
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    shutil.copy(shipped, old)
    new.write_text(_with_new_indicator(old.read_text("utf-8")), encoding="utf-8")
    demo = tmp_path / "demo.csv"
    shutil.copy(demo_survey_path(), demo)
    code = main(["diff", str(old), str(new), "--answers", str(demo), "--top", "3"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "+ indicator 'open_data_plan' in 'policy'" in out
    assert "Largest movers (of 337 agency-periods)" in out
    # and the other way round: answers of the new rubric read for the old one's diff
    assert main(["diff", str(new), str(old), "--answers", str(demo), "--top", "3"]) == 0


def test_diff_reports_the_new_rubrics_problems_when_neither_reads_the_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "a.csv"
    answers.write_text("agency,period,dg_plan\nx,2016,yes\n", encoding="utf-8")
    code = main(["diff", "un-egdi-2022", "thai-dg-readiness-2016", "--answers", str(answers)])
    err = capsys.readouterr().err
    assert code == 1
    assert "rubric 'thai-dg-readiness-2016'" in err
    assert "--allow-missing-columns" in err
