"""`readiness-model demo`, `score` and `show`."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path, effective_shares
from readiness_model.cli.table import text_width
from readiness_model.io.rubric_yaml import load_rubric

RUBRIC = "thai-dg-readiness-2016"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_prints_a_ranking_distributions_commerce_and_next_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo needs no files, exits 0 and every line fits 80 columns."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["demo"], capsys)
    assert code == 0, err
    assert "Top 10 agencies, 2016" in out
    assert "Agencies per band" in out
    assert "Agencies per group" in out
    assert "Ministry of Commerce (moc), 2016" in out
    assert "rolled up from 8 departments" in out
    for word in ("readiness-model score", "readiness-model show", "explain", "report", " docs\n"):
        assert word in out
    ranking = out.split("Top 10 agencies, 2016\n")[1].split("\n\n")[0].splitlines()
    assert len(ranking) == 12  # header, rule, 10 agencies
    assert [line.split()[0] for line in ranking[2:5]] == ["1", "2", "3"]
    long_lines = [line for line in out.splitlines() if text_width(line) > 80]
    assert all(str(demo_survey_path()) in line for line in long_lines)
    assert list(tmp_path.iterdir()) == []


def test_score_csv_round_trips_through_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """score --format csv -o: Results.from_csv reproduces the file and the results."""
    out = tmp_path / "x.csv"
    code, _, err = run(
        ["score", RUBRIC, str(demo_survey_path()), "--format", "csv", "-o", str(out)], capsys
    )
    assert code == 0, err
    back = rm.Results.from_csv(out)
    assert back.to_csv() == out.read_text(encoding="utf-8")
    rubric = load_rubric(RUBRIC)
    assert back.equals(rm.score(rubric, rm.load_responses(demo_survey_path(), rubric)))


def test_score_json_period_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--period keeps one period; the table lists the top N best first."""
    out = tmp_path / "r.json"
    code, _, _ = run(
        [
            "score",
            RUBRIC,
            str(demo_survey_path()),
            "--format",
            "json",
            "--period",
            "2015",
            "-o",
            str(out),
        ],
        capsys,
    )
    assert code == 0
    back = rm.Results.from_json(out)
    assert set(back.periods) == {2015}
    code, text, _ = run(["score", RUBRIC, str(demo_survey_path()), "--top", "3"], capsys)
    assert code == 0
    assert text.startswith("Thai Digital Government Readiness Survey 2016")
    assert len(text.splitlines()) == 6
    code, _, err = run(["score", RUBRIC, str(demo_survey_path()), "--period", "1999"], capsys)
    assert code == 1
    assert "no answers for period '1999'" in err


def test_score_roll_up_adds_rolled_up_rows(capsys: pytest.CaptureFixture[str]) -> None:
    """--roll-up lists ministries rolled up from their departments."""
    code, text, _ = run(["score", RUBRIC, str(demo_survey_path()), "--roll-up"], capsys)
    assert code == 0
    assert "moc (rolled up)" in text


def _bad_survey(path: Path) -> None:
    """The bundled survey's first rows, with a typo, a text answer and a duplicate row."""
    text = demo_survey_path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[:5]
    rows[0][rows[0].index("it_budget_share")] = "it_budjet_share"
    rows[2][rows[0].index("staff_trained")] = "about half"
    rows.append(list(rows[3]))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")


def test_bad_answers_exit_1_with_one_line_per_problem_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typo, text in a numeric column, duplicate row, BOM: 3 located lines, nothing written."""
    bad = tmp_path / "bad.csv"
    _bad_survey(bad)
    out = tmp_path / "out.csv"
    code, stdout, err = run(["score", RUBRIC, str(bad), "--format", "csv", "-o", str(out)], capsys)
    assert code == 1
    assert stdout == ""
    lines = err.splitlines()
    assert len(lines) == 3, err
    assert lines[0].startswith(f"{bad}:1:9: unknown column 'it_budjet_share'")
    assert "did you mean 'it_budget_share'?" in lines[0]
    assert lines[1].startswith(f"{bad}:3:23: bad answer 'about half' for indicator 'staff_trained'")
    assert lines[2].startswith(f"{bad}:6: agency ")
    assert "appears twice" in lines[2]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_show_lists_the_tree_with_shares_that_sum_to_100(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Top-level shares and indicator shares each sum to 100%."""
    code, out, _ = run(["show", RUBRIC], capsys)
    assert code == 0
    assert "public_services" in out
    assert "25.0" in out  # public_services: weight 3 of 12
    shares = effective_shares(load_rubric(RUBRIC))
    assert sum(s for d, _, s in shares if d == 0) == pytest.approx(1.0)
    assert sum(s for _, n, s in shares if isinstance(n, rm.Indicator)) == pytest.approx(1.0)
    dg_plan = next(s for _, n, s in shares if n.id == "dg_plan")
    assert dg_plan == pytest.approx(2 / 12 * 3 / 12)
    code, th, _ = run(["show", RUBRIC, "--lang", "th"], capsys)
    assert code == 0
    assert "นโยบายและแนวปฏิบัติ" in th
    assert all(text_width(line) <= 80 for line in th.splitlines()[3:])


@pytest.mark.parametrize("cmd", ["demo", "score", "show"])
def test_every_command_has_help_with_examples(cmd: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help exits 0 and shows examples."""
    with pytest.raises(SystemExit) as info:
        main([cmd, "--help"])
    assert info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_usage_errors_exit_2_and_bad_rubrics_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Missing arguments or a bad --format are usage errors; an unknown rubric is input."""
    with pytest.raises(SystemExit) as info:
        main(["score", RUBRIC])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["score", RUBRIC, "a.csv", "--format", "xlsx"])
    assert info.value.code == 2
    code, _, err = run(["score", "no-such-rubric", str(demo_survey_path())], capsys)
    assert code == 1
    assert err
    code, _, err = run(["score", RUBRIC, str(tmp_path / "missing.csv")], capsys)
    assert code == 1
    assert "cannot read" in err


def test_bundled_survey_is_reproducible_and_well_formed() -> None:
    """The shipped CSV has a BOM, Thai names, both periods, ~3% blanks and some n/a."""
    data = demo_survey_path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rubric = load_rubric(RUBRIC)
    rs = rm.load_responses(demo_survey_path(), rubric)
    assert set(rs.periods) == {2015, 2016}
    kinds = rs.attribute("kind")
    assert 18 <= kinds.count("ministry") / 2 <= 22
    assert 140 <= kinds.count("department") / 2 <= 160
    assert 0.02 < rs.missing.mean() < 0.04
    assert 0 < rs.na.mean() < 0.02
    assert any("กระทรวงพาณิชย์" in (n or "") for n in rs.attribute("name"))
    assert "synthetic" in (demo_survey_path().parent / "README.md").read_text().lower()
    assert json.loads(json.dumps(rs.to_records(rubric)[0], ensure_ascii=False))


def test_demo_survey_script_reproduces_the_shipped_file() -> None:
    """scripts/make_demo_survey.py (seed 2016) regenerates the shipped CSV byte for byte."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "make_demo_survey.py"
    if not script.is_file():  # pragma: no cover - tests run outside a checkout
        pytest.skip("not a source checkout")
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_top_must_be_a_positive_number() -> None:
    """--top 0 or --top x is a usage error (exit 2)."""
    for bad in ("0", "-3", "x"):
        with pytest.raises(SystemExit) as info:
            main(["score", RUBRIC, str(demo_survey_path()), "--top", bad])
        assert info.value.code == 2


def test_output_files_get_ordinary_permissions_and_bad_folders_are_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o` writes a file readable by others (umask applies), and a missing folder is
    a one-line error with exit code 1, not a traceback."""
    out = tmp_path / "r.csv"
    old = os.umask(0o022)
    try:
        args = ["score", "thai-dg-readiness-2016", str(demo_survey_path()), "--format", "csv"]
        assert main([*args, "-o", str(out)]) == 0
        assert out.stat().st_mode & 0o777 == 0o644
        assert main([*args, "-o", str(tmp_path / "no" / "r.csv")]) == 1
    finally:
        os.umask(old)
    assert "does not exist" in capsys.readouterr().err
