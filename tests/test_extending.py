"""docs/extending.md runs as written, and docs/methodology.md's method tables are the
registries' (issue 11: extension points documented and tested)."""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model.model import methods

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGE = (DOCS / "extending.md").read_text("utf-8")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(methods, "_NORMALIZATIONS", dict(methods._NORMALIZATIONS))
    monkeypatch.setattr(methods, "_AGGREGATIONS", dict(methods._AGGREGATIONS))
    yield
    rm.engine.compile_rubric.cache_clear()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", PAGE, re.S)


def test_the_python_examples_run_in_order_and_print_what_they_say(registry: None) -> None:
    namespace: dict[str, object] = {"__name__": "__main__"}
    for code in blocks("python"):
        shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<extending.md>", "exec"), namespace)
        assert out.getvalue().splitlines() == shown, code


def test_the_packaged_plug_in_installs_and_is_found_by_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, registry: None
) -> None:
    """The page's pyproject and module, installed as a distribution, provide "log"."""
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads(blocks("toml")[0])["project"]
    module = blocks("python")[-1]
    (tmp_path / "readiness_model_myministry").mkdir()
    (tmp_path / "readiness_model_myministry" / "__init__.py").write_text(module, "utf-8")
    name, version = project["name"], project["version"]
    info = tmp_path / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", "utf-8"
    )
    eps = "".join(
        f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in entries.items())
        for group, entries in project["entry-points"].items()
    )
    assert set(project["entry-points"]) == {methods.NORMALIZATION_GROUP}
    (info / "entry_points.txt").write_text(eps, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(methods, "_LOADED", set())
    monkeypatch.delitem(sys.modules, "readiness_model_myministry", raising=False)
    rubric = rm.rubric_from_yaml(
        "rubric: r\ndimensions: [{id: d, indicators: [{id: users, scale: {type: numeric},"
        " normalize: {method: log, cap: 999}}]}]"
    )
    res = rm.score(rubric, rm.ResponseSet.from_array([[99.0]], ["a"], rubric))
    assert res.provenance.methods == (("normalization", "log", "readiness-model-myministry 1.0.0"),)
    assert "('normalization', 'log', 'readiness-model-myministry 1.0.0')" in PAGE


def _params(spec: methods.NormalizationSpec | methods.AggregationSpec) -> str:
    if not spec.params:
        return "—"
    parts = []
    for p in spec.params:
        text = f"`{p.name}`"
        if p.doc:
            text += f": {p.doc[0].lower()}{p.doc[1:].rstrip('.')}"
        parts.append(text + (" (required)" if p.required else ""))
    return "; ".join(parts)


def method_table(kind: str) -> str:
    """The methodology table of the built-in methods, from the registry."""
    if kind == "normalize":
        rows = [
            "| `normalize` | population-relative | parameters | score | |",
            "|---|---|---|---|---|",
        ]
        rows += [
            f"| `{s.name}` | {'yes' if s.population else 'no'} | {_params(s)} | {s.formula} "
            f"| {s.doc} |"
            for s in rm.normalizations()
            if s.builtin
        ]
    else:
        rows = ["| `aggregate` | parameters | node score | |", "|---|---|---|---|"]
        rows += [
            f"| `{s.name}` | {_params(s)} | {s.formula} | {s.doc} |"
            for s in rm.aggregations()
            if s.builtin
        ]
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("kind", ["normalize", "aggregate"])
def test_methodology_tables_are_the_registry(kind: str) -> None:
    """Adding a built-in method without its row (or the reverse) fails here; the expected
    table is printed in the failure."""
    page = (DOCS / "methodology.md").read_text("utf-8")
    table = method_table(kind)
    assert table in page, table


def test_the_page_is_in_the_site_navigation() -> None:
    assert "extending.md" in (DOCS.parent / "mkdocs.yml").read_text("utf-8")
