"""The JSON Schema and `validate` agree: the same files, the same verdicts.

An editor reads a rubric as YAML 1.2 and checks it against the schema; `validate` reads it
(also as YAML 1.2) and checks it against the model. The corpus holds every shipped rubric
and hand-made files under ``tests/data/rubric-corpus/``:

- ``valid/``: both accept;
- ``invalid/``: both reject (shape, keys, types, enumerations, scalar forms, among them
  the values YAML 1.1 and YAML 1.2 read differently);
- ``semantic/``: rules across keys that JSON Schema cannot state (unique ids, reachable
  bands, one value per level...): the schema accepts, `validate` rejects. Each such file
  is listed here on purpose, so a shape error cannot hide among them.

A file that ``extends`` another is checked by the schema as the changes it makes
(``$defs/extending``: every key optional but ``rubric``; a restated dimension gives only the
keys it changes): the schema cannot see the parent, so a missing parent, a cycle, the
removal of an unknown id or an inherited band the change breaks are the loader's
(``semantic/extends-*``), while the shape of what the file itself writes is both's.

The editor side reads YAML with ruamel.yaml (a YAML 1.2 reader independent of ours). It
departs from the YAML 1.2 core schema in one place the corpus touches: it reads digits
with underscores (``1_000``) as a number, where the core schema (and the ``yaml`` library
of the editors' YAML language server) reads text. That file is listed in ``RUAMEL_READS``
with what the core schema reads, so the test still compares core-schema verdicts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.io.rubric_family import load_family
from readiness_model.io.schema import rubric_schema

ruamel = pytest.importorskip("ruamel.yaml", reason="the corpus test reads YAML 1.2 with ruamel")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "rubric-corpus"
SHIPPED = sorted((ROOT / "rubrics").glob("*.yaml"))
VALID = SHIPPED + sorted((CORPUS / "valid").glob("*.yaml"))
INVALID = sorted((CORPUS / "invalid").glob("*.yaml"))
SEMANTIC = sorted((CORPUS / "semantic").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(rubric_schema())
# file stem -> (path, value as the YAML 1.2 core schema reads it) where ruamel differs
RUAMEL_READS: dict[str, tuple[tuple[Any, ...], Any]] = {
    "weight-underscore": (("dimensions", 0, "weight"), "1_000"),
}


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def editor_verdict(path: Path) -> tuple[bool, str]:
    """Whether an editor (YAML 1.2 + the JSON Schema) accepts the file, and why not."""
    try:
        data = _plain(ruamel.YAML(typ="safe", pure=True).load(path.read_text("utf-8")))
    except Exception as err:  # a YAML error (duplicate key...) is a rejection too
        return False, f"YAML: {err}"
    if path.stem in RUAMEL_READS:
        where, core = RUAMEL_READS[path.stem]
        node = data
        for step in where[:-1]:
            node = node[step]
        assert node[where[-1]] != core, "ruamel now reads it as the core schema does"
        node[where[-1]] = core
    errors = sorted(VALIDATOR.iter_errors(data), key=str)
    return not errors, "; ".join(e.message for e in errors[:3])


def loader_verdict(path: Path) -> tuple[bool, str]:
    """Whether `readiness-model validate` accepts the file (an abstract base too), and
    why not."""
    try:
        load_family(path)
    except rm.RubricError as err:
        return False, "; ".join(err.lines()[:3])
    return True, ""


def _id(p: Path) -> str:
    return f"{p.parent.name}/{p.stem}"


def test_the_corpus_is_large_enough() -> None:
    """At least 40 files: every shipped rubric and hand-made valid and broken ones."""
    assert len(SHIPPED) >= 9
    assert len(VALID) + len(INVALID) + len(SEMANTIC) >= 40
    assert len(INVALID) >= 40


@pytest.mark.parametrize("path", VALID, ids=_id)
def test_valid_files_pass_both(path: Path) -> None:
    assert editor_verdict(path) == (True, "")
    assert loader_verdict(path) == (True, "")


@pytest.mark.parametrize("path", INVALID, ids=_id)
def test_invalid_files_fail_both(path: Path) -> None:
    editor, why_editor = editor_verdict(path)
    loader, why_loader = loader_verdict(path)
    assert (editor, loader) == (False, False), (why_editor, why_loader)


@pytest.mark.parametrize("path", SEMANTIC, ids=_id)
def test_rules_across_keys_are_the_loaders(path: Path) -> None:
    """The schema checks shape only: these pass it and fail `validate`."""
    assert editor_verdict(path) == (True, "")
    assert not loader_verdict(path)[0]


@pytest.mark.parametrize("path", SHIPPED, ids=_id)
def test_shipped_rubrics_read_the_same_in_yaml_1_1(path: Path) -> None:
    """A shipped rubric means the same to a YAML 1.1 reader (PyYAML's safe_load) as to a
    YAML 1.2 one, so no tool reads it differently."""
    text = path.read_text("utf-8")
    assert yaml.safe_load(text) == _plain(ruamel.YAML(typ="safe", pure=True).load(text))


@pytest.mark.parametrize("path", SHIPPED, ids=_id)
def test_shipped_modelines_point_at_a_schema_that_exists(path: Path) -> None:
    """Each shipped rubric's first line names the committed schema by a relative path
    (valid in the repository and in the installed package)."""
    first = path.read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../docs/rubric.schema.json"
    target = (path.parent / first.split("=", 1)[1]).resolve()
    assert json.loads(target.read_text("utf-8")) == rubric_schema()


@pytest.mark.parametrize("path", INVALID[:5], ids=_id)
def test_validate_prints_located_problems_for_the_invalid_files(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{path}:")
