"""CI for rubric repositories: the pre-commit hooks (run with `pre-commit try-repo` on a
temporary rubric repository), `validate --format github|json` and `--only-rubrics`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from readiness_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"

GOOD = """\
rubric: ministry-2024
dimensions:
  - id: access
    indicators:
      - {id: portal, scale: {type: binary}}
      - {id: plan, scale: {type: ordinal, levels: [none, draft, approved]}}
bands:
  - {id: high, min: 50}
  - {id: low}
examples:
  - agency: full
    answers: {portal: yes, plan: approved}
    expect: {overall: 100, band: high}
"""
CHILD = """\
extends: ministry-2024.yaml
rubric: ministry-2025
dimensions:
  - id: access
    indicators:
      - {id: open_data, scale: {type: binary}}
examples:
  - agency: full
    answers: {portal: yes, plan: approved, open_data: yes}
    expect: {overall: 100, band: high}
"""
_OFFLINE = re.compile(
    r"No matching distribution|Could not find a version|Failed to establish a new connection|"
    r"Temporary failure in name resolution|Network is unreachable"
)
WORKFLOW = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: []\n"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _rubric_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "survey-office"
    (repo / "rubrics").mkdir(parents=True)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / "rubrics" / "ministry-2024.yaml").write_text(GOOD, encoding="utf-8")
    (repo / "rubrics" / "ministry-2025.yaml").write_text(CHILD, encoding="utf-8")
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    return repo


# -- the hooks file --------------------------------------------------------------------------
def test_the_hooks_file_declares_both_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS.read_text("utf-8"))}
    assert set(hooks) == {"readiness-model-validate", "readiness-model-check"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
        assert hook["entry"].startswith("readiness-model ")
        assert "--only-rubrics" in hook["entry"]


def _pre_commit() -> list[str] | None:
    exe = shutil.which("pre-commit")
    if exe is not None:
        return [exe]
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "pre_commit"]


def _hook_repo(tmp_path: Path) -> Path:
    """A git repository holding this working tree's package and its hooks, committed (a
    checkout may have uncommitted changes, or not be a git repository at all)."""
    repo = tmp_path / "readiness-model"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", HOOKS.name):
        shutil.copy(ROOT / name, repo / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")
    for folder in ("src", "rubrics", "docs"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=ignore)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "hooks", cwd=repo)
    return repo


@pytest.mark.slow
def test_pre_commit_try_repo_runs_both_hooks_on_a_rubric_repository(tmp_path: Path) -> None:
    """`pre-commit try-repo` installs the package from a clone of this tree and runs both
    hooks: a valid repository passes (the CI workflow YAML is skipped); a wrong label in a
    golden example fails both hooks, located."""
    command = _pre_commit()
    if command is None:
        pytest.skip("pre-commit is not installed (pip install pre-commit; CI installs it)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    hooks = _hook_repo(tmp_path)
    repo = _rubric_repo(tmp_path)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
    }

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "try-repo", str(hooks), "--all-files", "--verbose"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    done = run()
    log = done.stdout + done.stderr
    if done.returncode and "Installing environment" in log and _OFFLINE.search(log):
        pytest.skip("pre-commit could not install the hooks' environment (no package index)")
    assert done.returncode == 0, log
    assert "readiness-model validate" in done.stdout
    assert "readiness-model check" in done.stdout
    assert done.stdout.count("Passed") == 2
    assert "OK rubrics/ministry-2025.yaml: 1 dimension, 3 indicators, extends ministry-2024" in (
        done.stdout
    )
    assert "skip .github/workflows/ci.yml: not a rubric" in done.stdout

    bad = GOOD.replace("plan: approved}", "plan: aproved}")
    (repo / "rubrics" / "ministry-2024.yaml").write_text(bad, encoding="utf-8")
    _git("add", "-A", cwd=repo)
    done = run()
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("Failed") == 2
    assert (
        "rubrics/ministry-2024.yaml:12:34: example 'full': bad answer 'aproved' for indicator "
        "'plan'"
    ) in done.stdout
    assert "(did you mean 'approved'?)" in done.stdout


# -- validate --format -----------------------------------------------------------------------
def test_validate_format_github_prints_workflow_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("good.yaml").write_text(GOOD, encoding="utf-8")
    bad = GOOD.replace("{id: portal,", "{id: portal, weight: -1,")
    Path("bad.yaml").write_text(bad.replace("min: 50", "min: 50, wieght: 1"), encoding="utf-8")
    assert main(["validate", "good.yaml", "bad.yaml", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "OK good.yaml: 1 dimension, 2 indicators",
        "::error file=bad.yaml,line=5,col=30,title=readiness-model::'weight' must be a finite "
        "number >= 0 (got -1) (write a number of 0 or more, e.g. weight: 1) "
        "@ $.dimensions[0].indicators[0].weight",
        "::error file=bad.yaml,line=8,col=25,title=readiness-model::unknown key 'wieght' in a "
        "band (expected one of: 'above', 'all_dimensions', 'below', 'description', "
        "'dimensions', 'id', 'max', 'min', 'min_coverage', 'title') @ $.bands[0].wieght",
    ]


def test_a_syntax_error_annotation_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The excerpt (several lines) is left out of the annotation; newlines in a message
    would be escaped as %0A."""
    monkeypatch.chdir(tmp_path)
    Path("r.yaml").write_text("rubric: x\ntitle: a: b\n", encoding="utf-8")
    assert main(["validate", "r.yaml", "--format", "github"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("::error file=r.yaml,line=2,col=9,title=readiness-model::invalid YAML")


def test_validate_format_json_lists_every_file_and_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rubrics").mkdir()
    Path("rubrics/ministry-2024.yaml").write_text(GOOD, encoding="utf-8")
    Path("rubrics/ministry-2025.yaml").write_text(CHILD, encoding="utf-8")
    Path("bad.yaml").write_text("rubric: x\ntitle: a: b\n", encoding="utf-8")
    Path("ci.yml").write_text(WORKFLOW, encoding="utf-8")
    files = ["rubrics/ministry-2025.yaml", "bad.yaml", "ci.yml"]
    assert main(["validate", *files, "--format", "json", "--only-rubrics"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["problems"] == 1
    child, bad, other = doc["files"]
    assert child["ok"] is True
    assert (child["rubric"], child["indicators"], child["abstract"]) == ("ministry-2025", 3, False)
    assert [e["rubric"] for e in child["extends"]] == ["ministry-2024"]
    assert child["files"] == ["rubrics/ministry-2024.yaml", "rubrics/ministry-2025.yaml"]
    (p,) = bad["problems"]
    assert (p["file"], p["line"], p["column"]) == ("bad.yaml", 2, 9)
    assert p["excerpt"] == "  2 | title: a: b\n    |         ^"
    assert other == {"name": "ci.yml", "ok": True, "skipped": "not a rubric", "problems": []}


def test_only_rubrics_still_reports_a_broken_rubric_and_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("typo.yaml").write_text("rubirc: x\ndimensions: []\n", encoding="utf-8")
    assert main(["validate", "--only-rubrics", "typo.yaml", "nope.yaml"]) == 1
    out = capsys.readouterr().out
    assert "typo.yaml:1:1: unknown key 'rubirc'" in out
    assert "no such file: 'nope.yaml'" in out
    assert main(["check", "--only-rubrics", "typo.yaml"]) == 1


# -- the docs page -------------------------------------------------------------------------
def test_the_ci_page_shows_workflows_whose_commands_parse() -> None:
    """docs/rubric-ci.md: the pre-commit config names both hooks, the GitHub workflow and
    the GitLab job are YAML, and every readiness-model command in them is one the parser
    accepts."""
    import shlex

    from readiness_model.cli import build_parser

    page = (ROOT / "docs" / "rubric-ci.md").read_text("utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", page, re.S)]
    precommit, github, gitlab = blocks
    assert [h["id"] for h in precommit["repos"][0]["hooks"]] == [
        "readiness-model-validate",
        "readiness-model-check",
    ]
    steps = github["jobs"]["rubrics"]["steps"]
    lines = [s["run"] for s in steps if "run" in s] + gitlab["rubrics"]["script"]
    commands = [line for line in lines if line.startswith("readiness-model ")]
    assert len(commands) == 5
    parser = build_parser()
    for line in commands:
        argv = shlex.split(line.split(">")[0].split("||")[0])[1:]
        parser.parse_args(argv)
    assert any("--format github" in c for c in commands)
    json.loads(re.search(r"```json\n(.*?)```", page, re.S).group(1))  # type: ignore[union-attr]
