"""Progress callbacks: what the library reports, and the line the command line draws."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

import readiness_model as rm
from readiness_model._progress import ProgressLine, progress_line
from readiness_model.cli._options import ANSWER_OPTIONS, progress_from_args


def rubric() -> rm.Rubric:
    num = rm.NumericScale(goalposts=(0, 100))
    return rm.Rubric(
        "p",
        dimensions=[
            rm.Dimension("d", indicators=[rm.Indicator("a", scale=num), rm.Indicator("b")])
        ],
    )


def test_load_reports_bytes_read_up_to_the_file_size(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("agency,period,a,b\n" + "".join(f"x{i},2016,{i % 90},yes\n" for i in range(500)))
    seen: list[tuple[str, int, int]] = []
    rm.load_responses(p, rubric(), progress=lambda *a: seen.append(a))
    size = p.stat().st_size
    assert {s for s, _, _ in seen} == {"load"}
    assert all(t == size for _, _, t in seen)
    done = [d for _, d, _ in seen]
    assert done == sorted(done)
    assert done[0] == 0
    assert done[-1] == size


def test_audit_reports_its_steps_to_the_end() -> None:
    r = rubric()
    rs = rm.ResponseSet.from_array(np.array([[10.0, 1], [50, 0], [90, 1]]), list("xyz"), r)
    seen: list[tuple[str, int, int]] = []
    rm.audit(r, rs, progress=lambda *a: seen.append(a))
    assert seen[0] == ("audit", 0, seen[0][2])
    assert seen[-1] == ("audit", seen[0][2], seen[0][2])
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)


def test_progress_line_waits_redraws_and_erases_itself() -> None:
    out = io.StringIO()
    line = ProgressLine(out, delay=3600.0)
    line("load", 1, 10)
    assert out.getvalue() == ""  # nothing before the delay
    out = io.StringIO()
    line = ProgressLine(out, delay=0.0)
    line("audit", 5, 10)
    assert out.getvalue() == "\raudit:  50% (5 of 10)"
    line("audit", 10, 10)  # the stage is over: the line is blanked out
    assert out.getvalue().endswith("\r" + " " * len("audit:  50% (5 of 10)") + "\r")


def test_no_progress_line_when_quiet_or_not_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(progress_line(stream=Tty()), ProgressLine)
    assert progress_line(quiet=True, stream=Tty()) is None
    assert progress_line(stream=io.StringIO()) is None
    assert "--quiet" in ANSWER_OPTIONS


def test_quiet_is_an_answer_option_of_the_commands() -> None:
    import argparse

    from readiness_model.cli._options import add_answer_options

    p = argparse.ArgumentParser()
    add_answer_options(p)
    assert progress_from_args(p.parse_args(["-q"])) is None
    assert p.parse_args([]).quiet is False
