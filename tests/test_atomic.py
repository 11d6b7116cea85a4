"""One atomic writer for every file the library and the CLI write (issue 12 item 14)."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.io import atomic
from readiness_model.io.atomic import write_atomic


def _results() -> rm.Results:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    return rm.score(r, rm.ResponseSet.from_array([[1.0], [0.0]], ["a", "b"], r))


def _writers(tmp_path: Path) -> dict[str, object]:
    res = _results()
    rs = res.responses
    assert rs is not None
    return {
        "to_csv": lambda p: res.to_csv(p),
        "to_json": lambda p: res.to_json(p),
        "write_responses": lambda p: rm.write_responses(rs, res.rubric, p),
    }


@pytest.mark.parametrize("name", ["to_csv", "to_json", "write_responses"])
def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk during fsync: ResponseError, the old file intact, no temporary file."""
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(rm.ResponseError, match="No space left on device"):
        _writers(tmp_path)[name](target)  # type: ignore[operator]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


@pytest.mark.parametrize("name", ["to_csv", "to_json", "write_responses"])
def test_every_api_writer_writes_whole_files_with_ordinary_permissions(
    tmp_path: Path, name: str
) -> None:
    """The API writers go through write_atomic: same text as returned, mode 0666 - umask."""
    target = tmp_path / "out.txt"
    text = _writers(tmp_path)[name](target)  # type: ignore[operator]
    assert target.read_text(encoding="utf-8") == text
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_bad_targets_are_one_line_errors(tmp_path: Path) -> None:
    """A folder, or a missing folder, is a ResponseError (was IsADirectoryError)."""
    with pytest.raises(rm.ResponseError, match="it is a folder"):
        write_atomic(tmp_path, "x")
    with pytest.raises(rm.ResponseError, match="does not exist"):
        write_atomic(tmp_path / "no" / "x.csv", "x")
    assert main(["schema", "-o", str(tmp_path)]) == 1


_CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from readiness_model.io import atomic

    # as when run from a terminal: a job started in the background (nohup, `cmd &` in a
    # script) inherits SIGINT and SIGHUP ignored, which the writer rightly respects
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for name in ("SIGTERM", "SIGHUP"):
        signal.signal(getattr(signal, name), signal.SIG_DFL)

    real = os.fsync
    def slow(fd):
        print("writing", flush=True)
        time.sleep(30)
        real(fd)
    atomic.os.fsync = slow
    atomic.write_atomic(sys.argv[1], "new" * 1_000_000)
    """
)


def _child(target: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(target)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "writing\n"  # the temporary file is being written
    return proc


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_sigterm_or_ctrl_c_mid_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """The handler removes the temporary file; the process still ends by the signal."""
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    proc = _child(target)
    proc.send_signal(sig)
    code = proc.wait(timeout=20)
    assert code != 0
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_kill_9_mid_write_never_truncates_the_target(tmp_path: Path) -> None:
    """SIGKILL runs no code: a temporary file may stay (documented), the target is whole."""
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")
    proc = _child(target)
    proc.kill()
    proc.wait(timeout=20)
    assert target.read_text(encoding="utf-8") == "old"
    left = [p.name for p in tmp_path.iterdir() if p.name != "out.csv"]
    assert all(n.startswith(".out.csv.") and n.endswith(".tmp") for n in left)


def test_the_cli_output_is_written_atomically(tmp_path: Path) -> None:
    """score -o replaces the file whole and leaves no temporary file."""
    rubric = tmp_path / "r.yaml"
    rubric.write_text(rm.dump_rubric(_results().rubric), encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text("agency,period,q\na,2016,yes\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["score", str(rubric), str(answers), "--format", "json", "-o", str(out)]) == 0
    assert rm.Results.from_json(out).overall.tolist() == [100.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "out.json", "r.yaml"]
    assert np.isfinite(rm.Results.from_json(out).overall).all()
