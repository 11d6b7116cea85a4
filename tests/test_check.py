"""Golden examples: `check_examples` and `readiness-model check`."""

from __future__ import annotations

from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.analysis.examples import check_examples
from readiness_model.cli import main
from readiness_model.io.rubric_yaml import load_rubric

RUBRIC = """\
rubric: golden
scale: [0, 100]
rounding: {decimals: 2}
dimensions:
  - id: access
    indicators:
      - {id: portal, scale: {type: binary}}
      - {id: uptime, scale: {type: numeric, goalposts: [90, 100]}}
  - id: people
    weight: 3
    indicators:
      - {id: training, weight: 2, scale: {type: ordinal, levels: [none, some, most, all]}}
      - {id: skills, scale: {type: checklist, items: [cloud, data, security, design]}}
bands:
  - {id: high, min: 60}
  - {id: low}
examples:
  - agency: x
    answers: {portal: yes, uptime: 97.5, training: most, skills: [cloud, data]}
    expect: {overall: 67.71, band: high, dimensions: {access: 87.5, people: 61.11},
             coverage: 1}
    tol: 0.005
"""


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "golden.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_worked_example_from_design_passes(tmp_path: Path) -> None:
    (res,) = check_examples(load_rubric(_write(tmp_path, RUBRIC)))
    assert res.passed
    assert res.error is None
    assert [c.key for c in res.checks] == [
        "overall",
        "band",
        "dimensions.access",
        "dimensions.people",
        "coverage",
    ]
    assert res.checks[0].actual == pytest.approx(67.71)


def test_failure_reports_expected_and_actual(tmp_path: Path) -> None:
    bad = RUBRIC.replace("overall: 67.71, band: high", "overall: 70, band: low")
    (res,) = check_examples(load_rubric(_write(tmp_path, bad)))
    assert not res.passed
    assert [c.key for c in res.failures] == ["overall", "band"]
    assert res.failures[0].describe() == "overall 67.71 (expected 70 ± 0.005)"
    assert res.failures[1].describe() == "band high (expected low)"


def test_tolerance_is_absolute_on_reported_scores(tmp_path: Path) -> None:
    near = RUBRIC.replace("overall: 67.71", "overall: 67.714")
    assert check_examples(load_rubric(_write(tmp_path, near)))[0].passed
    far = RUBRIC.replace("overall: 67.71", "overall: 67.716")
    assert not check_examples(load_rubric(_write(tmp_path, far)))[0].passed


def test_invalid_answers_fail_without_raising(tmp_path: Path) -> None:
    bad = RUBRIC.replace("training: most", "training: loads")
    (res,) = check_examples(load_rubric(_write(tmp_path, bad)))
    assert not res.passed
    assert res.error is not None
    assert "training" in res.error


def test_rubric_without_examples_gives_nothing() -> None:
    r = rm.Rubric("n", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
    assert check_examples(r) == []


def test_cli_check_passes_with_one_line_per_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", _write(tmp_path, RUBRIC)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("PASS ")
    assert "overall 67.71" in lines[0]
    assert lines[-1].endswith("1 of 1 examples passed")


def test_cli_check_fails_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = RUBRIC.replace("people: 61.11", "people: 50")
    assert main(["check", _write(tmp_path, bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "people 61.11 (expected 50 ± 0.005)" in out


def test_cli_check_without_examples_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = RUBRIC[: RUBRIC.index("examples:")]
    path = _write(tmp_path, text)
    assert main(["check", path]) == 0
    assert capsys.readouterr().out.strip() == f"{path}: no examples"


def test_cli_check_invalid_rubric_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, RUBRIC.replace("weight: 3", "wieght: 3"))
    assert main(["check", path]) == 1
    assert "wieght" in capsys.readouterr().out


def test_shipped_thai_rubric_examples_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "thai-dg-readiness-2016"]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS ") == len(load_rubric("thai-dg-readiness-2016").examples) >= 1


def test_check_prints_scores_at_the_rubrics_rounding(capsys: pytest.CaptureFixture[str]) -> None:
    """A 0-1 index rounded to 4 decimals is printed with 4, not 2 (0.7660, not 0.77)."""
    assert main(["check", "un-egdi-2022"]) == 0
    out = capsys.readouterr().out
    assert "Thailand 2022: overall 0.7660" in out


# -- located examples (issue 14 item 3) ------------------------------------------------------
def _thai(tmp_path: Path, name: str = "old.yaml") -> Path:
    from readiness_model.io.shipped import shipped_rubric_path

    shipped = shipped_rubric_path("thai-dg-readiness-2016")
    assert shipped is not None
    path = tmp_path / name
    path.write_text(shipped.read_text("utf-8"), encoding="utf-8")
    return path


def test_validate_reads_the_examples_answers_and_locates_a_wrong_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`plan_monitoring: exec_review` is a validate error at its file:line:column, with the
    label it probably meant; `check` reports the same answer at the same place."""
    monkeypatch.chdir(tmp_path)
    path = _thai(tmp_path, "bad.yaml")
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("plan_monitoring: executive_review", "plan_monitoring: exec_review")
    )
    line = text[: text.index("plan_monitoring: executive_review")].count("\n") + 1
    assert main(["validate", "bad.yaml"]) == 1
    expected = (
        "one of 'not_monitored', 'annual_report', 'kpi_tracked', 'executive_review' "
        "(or its 0-based index)"
    )
    assert capsys.readouterr().out == (
        f"bad.yaml:{line}:24: example 'example-top': bad answer 'exec_review' for indicator "
        f"'plan_monitoring': expected {expected} (did you mean 'executive_review'?) "
        "@ $.examples[0].answers.plan_monitoring\n"
    )
    assert main(["check", "bad.yaml"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first == (
        f"FAIL bad.yaml:{line}:24 example-top: bad answer 'exec_review' for indicator "
        f"'plan_monitoring': expected {expected} (did you mean 'executive_review'?)"
    )


def test_check_says_which_indicators_a_failing_example_leaves_unanswered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an indicator is added, the failing example is shown at its file:line with every
    dimension's expected and actual score, and the new indicator it leaves unanswered."""
    monkeypatch.chdir(tmp_path)
    old = _thai(tmp_path).read_text("utf-8").splitlines()
    line = 1 + next(i for i, text in enumerate(old) if "- agency: example-top" in text)
    (tmp_path / "new.yaml").write_text(
        "extends: old.yaml\nrubric: thai-dg-readiness-2017\ndimensions:\n"
        "  - id: policy\n    indicators:\n      - {id: open_data_plan}\n",
        encoding="utf-8",
    )
    assert main(["check", "new.yaml"]) == 1
    out = capsys.readouterr().out
    first_example = out.split("PASS")[0]
    assert first_example == (
        f"FAIL old.yaml:{line}:5 example-top: overall 98.72 (expected 100 ± 0.01); "
        "policy 92.31 (expected 100 ± 0.01)\n"
        "    dimension        expected  actual  result\n"
        "    ---------------  --------  ------  -------\n"
        "    policy             100.00   92.31  differs\n"
        "    infrastructure     100.00  100.00  ok\n"
        "    back_office        100.00  100.00  ok\n"
        "    e_officer          100.00  100.00  ok\n"
        "    public_services    100.00  100.00  ok\n"
        "    smart_tech         100.00  100.00  ok\n"
        "    development        100.00  100.00  ok\n"
        "    the example leaves 1 indicator unanswered (counted as missing): open_data_plan\n"
    )
    assert out.endswith("new.yaml: 1 of 3 examples passed\n")


def test_check_results_carry_the_location_and_the_unanswered_indicators(tmp_path: Path) -> None:
    from readiness_model.io.rubric_family import load_family

    loaded = load_family(_write(tmp_path, RUBRIC.replace("skills: [cloud, data]}", "}")))
    (res,) = check_examples(loaded.rubric, loaded.document)
    assert res.unanswered == ("skills",)
    assert res.location is not None
    assert (Path(res.location.file).name, res.location.line) == ("golden.yaml", 18)
    assert dict(res.scores)["access"] == pytest.approx(87.5)
