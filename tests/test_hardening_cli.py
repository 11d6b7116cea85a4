"""The command line under faults and odd arguments (issue 12 item 7): a message and an exit
code, never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path

RUBRIC = "thai-dg-readiness-2016"
ANSWERS = str(demo_survey_path())
FULL = Path("/dev/full")
HAS_FULL = FULL.exists() and stat.S_ISCHR(os.stat(FULL).st_mode)


def run(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readiness_model", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


def test_output_to_a_folder_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o SOMEDIR was an IsADirectoryError traceback (already a message on main)."""
    assert main(["score", RUBRIC, ANSWERS, "-o", str(tmp_path)]) == 1
    assert "it is a folder (give a file name) @ --output" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["score", RUBRIC, ANSWERS],
        ["explain", RUBRIC, ANSWERS, "--agency", "opm"],
        ["gap", RUBRIC, ANSWERS, "--agency", "opm"],
        ["sensitivity", RUBRIC, ANSWERS, "--samples", "5"],
    ],
    ids=lambda a: a[0],
)
@pytest.mark.parametrize("period", ["", " ", " Q1"])
def test_a_period_that_is_no_period_is_a_usage_error(
    args: list[str], period: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--period "" was a ValueError traceback in score/explain/gap/sensitivity."""
    with pytest.raises(SystemExit) as info:
        main([*args, "--period", period])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error: argument --period: " in err
    assert "Traceback" not in err


def test_a_good_period_still_selects_it(capsys: pytest.CaptureFixture[str]) -> None:
    """The check does not change what a valid --period does."""
    assert main(["score", RUBRIC, ANSWERS, "--period", "2015", "--top", "1"]) == 0
    assert "2015" in capsys.readouterr().out


def test_a_trillion_samples_is_refused_with_the_bound(capsys: pytest.CaptureFixture[str]) -> None:
    """sensitivity --samples 1000000000000 was a MemoryError; now a message naming the
    bound and how to raise it."""
    assert main(["sensitivity", RUBRIC, ANSWERS, "--samples", "1000000000000"]) == 1
    err = capsys.readouterr().err
    assert "'samples' is 1,000,000,000,000, more than the 100,000 weight draws allowed" in err
    assert "--max-samples" in err


def test_the_samples_bound_is_configurable(capsys: pytest.CaptureFixture[str]) -> None:
    """--max-samples lowers (or raises) the bound."""
    assert main(["sensitivity", RUBRIC, ANSWERS, "--samples", "20", "--max-samples", "10"]) == 1
    assert "more than the 10 weight draws allowed" in capsys.readouterr().err


def test_the_samples_bound_in_the_python_api() -> None:
    """rm.sensitivity refuses too many draws up front, and max_samples moves the bound."""
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
    rs = rm.ResponseSet.from_array([[1], [0]], ["x", "y"], r)
    with pytest.raises(rm.ReadinessError, match="more than the 100,000") as info:
        rm.sensitivity(r, rs, samples=10**12)
    assert info.value.problems[0].path == "samples"
    with pytest.raises(rm.ReadinessError, match="more than the 3 weight"):
        rm.sensitivity(r, rs, samples=4, max_samples=3)
    assert rm.sensitivity(r, rs, samples=4, max_samples=4).samples == 4
    with pytest.raises(rm.ReadinessError, match="'max_samples' must be"):
        rm.sensitivity(r, rs, samples=4, max_samples=0)


@pytest.mark.skipif(not HAS_FULL, reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [["score", RUBRIC, ANSWERS], ["schema"], ["show", RUBRIC]],
    ids=lambda a: a[0],
)
def test_a_full_disk_behind_stdout_is_a_message(args: list[str]) -> None:
    """Printing to a full disk was an OSError traceback."""
    with FULL.open("w") as full:
        out = run(*args, stdout=full.fileno())
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert "No space left on device" in out.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_output_to_a_pipe_writes_into_it_and_the_pipe_stays(tmp_path: Path) -> None:
    """-o to a device or named pipe (/dev/stdout, /dev/full) writes into it: renaming a
    temporary file over it replaced the device by a plain file (as root, /dev/full)."""
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, whatever the writer
    cmd = ["score", RUBRIC, ANSWERS, "-o", str(fifo), "--format", "csv"]
    proc = subprocess.Popen([sys.executable, "-m", "readiness_model", *cmd])
    chunks: list[bytes] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(reader, 1 << 16)
        except BlockingIOError:
            chunk = None
        if chunk:
            chunks.append(chunk)
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.01)
    os.close(reader)
    assert proc.wait(timeout=5) == 0
    first = b"".join(chunks).decode("utf-8").split("\n", 1)[0]
    assert first.startswith("agency,period,")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_output_through_a_symbolic_link_keeps_the_link(tmp_path: Path) -> None:
    """The file a link names is replaced; the link stays a link."""
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    link.symlink_to(real)
    assert main(["score", RUBRIC, ANSWERS, "-o", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("{")
