"""`readiness-model docs` and the demo's closing lines: things an installed user has."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readiness_model.cli import cmd_docs, main

ROOT = Path(__file__).resolve().parents[1]


def test_demo_ends_with_what_an_installed_user_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16: the demo pointed at docs/index.md, which a pip install does not have."""
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    tail = capsys.readouterr().out.split("Next steps\n")[1]
    assert "docs/index.md" not in tail
    assert "  readiness-model --help\n" in tail
    assert "  python -m readiness_model docs\n" in tail
    assert tail.rstrip().endswith("methodology)")


def test_docs_lists_the_installed_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    folder = cmd_docs.docs_folder()
    assert folder is not None
    assert f"  {folder}\n" in out
    for page, title in [
        ("index.md", "readiness-model"),
        ("tutorial.md", "Tutorial: from a rubric to a report"),
        ("rubric-format.md", "The rubric format"),
        ("gallery/un-egdi-2024.md", "UN E-Government"),
    ]:
        assert page in out
        assert title in out
        assert (folder / page).is_file()
    assert "readiness-model COMMAND --help" in out


def test_docs_path_prints_only_the_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "--path"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert (Path(out.strip()) / "index.md").is_file()


def test_python_dash_m_runs_the_docs_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "readiness_model", "docs", "--path"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (Path(done.stdout.strip()) / "tutorial.md").is_file()


def test_docs_missing_is_a_one_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cmd_docs, "docs_folder", lambda: None)
    assert main(["docs"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "readiness-model --help" in err


def test_every_docs_page_ships_in_the_wheel() -> None:
    """pyproject.toml force-includes every page of docs/ (a new page must be added there)."""
    tomllib = pytest.importorskip("tomllib")
    if not (ROOT / "pyproject.toml").is_file():  # pragma: no cover - outside a checkout
        pytest.skip("not a source checkout")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shipped = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    targets = set(shipped.values())
    assert shipped["CHANGELOG.md"] == "readiness_model/docs/changelog.md"
    for page in sorted((ROOT / "docs").rglob("*")):
        rel = page.relative_to(ROOT).as_posix()
        if page.is_dir() or rel.startswith("docs/_hooks") or rel == "docs/changelog.md":
            continue
        inside = any(rel == src or rel.startswith(src + "/") for src in shipped)
        assert inside, (
            f"{rel} is not shipped: add it to [tool.hatch.build.targets.wheel.force-include]"
        )
    for src, dest in shipped.items():
        assert (ROOT / src).exists(), src
        if src.startswith("docs/"):
            assert dest == "readiness_model/" + src
    assert "readiness_model/docs/index.md" in targets
