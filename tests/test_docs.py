"""The documentation says what the code does: methodology numbers, runnable guides, hooks."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.cli import COMMANDS, build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"

DESIGN = """
rubric: design-example
scale: [0, 100]
rounding: {decimals: 2}
defaults: {aggregate: AGG, missing: MISS}
dimensions:
  - {id: access, weight: 1, MINCOV indicators: [
      {id: portal, weight: 1, scale: {type: binary}},
      {id: uptime, weight: 1, scale: {type: numeric, goalposts: [90, 100]}}]}
  - {id: people, weight: 3, RESCALE indicators: [
      {id: training, weight: 2, scale: {type: ordinal, levels: [none, some, most, all]}},
      {id: skills, weight: 1, scale: {type: checklist, items: [cloud, data, security, design]}}]}
bands:
  - {id: advanced, min: 80, all_dimensions: {min: 60}}
  - {id: developed, min: 60}
  - {id: developing, min: 40}
  - {id: initial}
trend:
  - {id: continuous, change: {min: 0.5}}
  - {id: stalled}
groups:
  - {id: developed, bands: [advanced, developed], trend: [continuous]}
  - {id: other}
"""
X = {
    "agency": "X",
    "period": 2024,
    "portal": "yes",
    "uptime": 97.5,
    "training": "most",
    "skills": ["cloud", "data"],
}
Y = {
    "agency": "Y",
    "period": 2024,
    "portal": "yes",
    "uptime": None,
    "training": "n/a",
    "skills": ["cloud"],
}


def design(
    agg: str = "arithmetic",
    miss: str = "reweight",
    mincov: str = "",
    rescale: str = "",
    records: tuple[dict[str, Any], ...] = (X, Y),
) -> list[dict[str, Any]]:
    text = (
        DESIGN.replace("AGG", agg)
        .replace("MISS", miss)
        .replace("MINCOV", mincov)
        .replace("RESCALE", rescale)
    )
    rubric = rm.rubric_from_yaml(text)
    res = rm.score(rubric, rm.ResponseSet.from_records(list(records), rubric))
    return res.to_records()


@pytest.mark.parametrize(
    ("miss", "access_y", "overall_y"), [("reweight", 100.0, 43.75), ("zero", 50.0, 31.25)]
)
def test_design_worked_example(miss: str, access_y: float, overall_y: float) -> None:
    """The table of DESIGN.md and methodology.md."""
    x, y = design(miss=miss)
    assert (x["access"], x["people"], x["overall"]) == (87.5, 61.11, 67.71)
    assert (y["access"], y["people"], y["overall"]) == (access_y, 25.0, overall_y)
    assert y["coverage"] == pytest.approx(0.875, abs=1e-12)
    assert (x["band"], y["band"]) == (
        "developed",
        "developing" if miss == "reweight" else "initial",
    )


@pytest.mark.parametrize(
    ("agg", "access", "people", "overall"),
    [
        ("arithmetic", 87.5, 61.11, 67.71),
        ("geometric", 86.6, 60.57, 66.23),
        ("harmonic", 85.71, 60.0, 64.86),
        ("{power: 2}", 88.39, 61.61, 69.28),
        ("{power: -1}", 85.71, 60.0, 64.86),
        ("{power: 0}", 86.6, 60.57, 66.23),
        ("minimum", 75.0, 50.0, 50.0),
    ],
)
def test_aggregation_table(agg: str, access: float, people: float, overall: float) -> None:
    x = design(agg=agg)[0]
    assert (x["access"], x["people"], x["overall"]) == (access, people, overall)


@pytest.mark.parametrize("agg", ["geometric", "harmonic", "{power: -1}", "minimum"])
def test_a_zero_child_zeroes_non_compensatory_means(agg: str) -> None:
    y = design(agg=agg, miss="zero")[1]
    assert (y["access"], y["overall"]) == (0.0, 0.0)


@pytest.mark.parametrize(("miss", "overall"), [("reweight", 25.0), ("zero", 18.75)])
def test_min_coverage_example(miss: str, overall: float) -> None:
    y = design(miss=miss, mincov="min_coverage: 0.6,")[1]
    assert y["access"] is None
    assert y["overall"] == overall


def test_rescale_trend_and_group_example() -> None:
    x2023 = {**X, "period": 2023, "uptime": 95}
    x23, x24, y = design(records=(x2023, X, Y))
    assert x23["overall"] == 64.58
    assert (x24["change"], x24["trend"], x24["group"]) == (3.13, "continuous", "developed")
    assert x23["trend"] is None
    assert (x23["rank"], x24["rank"], y["rank"]) == (1, 1, 2)  # ranks are per period
    x24r, yr = design(rescale="rescale: minmax,")
    assert (x24r["people"], yr["people"]) == (100.0, 0.0)


POPULATION = [("X", 97.5), ("Y", 92.0), ("Z", 99.0), ("W", 97.5)]


def population_scores(
    normalize: str, values: list[tuple[str, float]] = POPULATION, population: str = ""
) -> list[float]:
    rubric = rm.rubric_from_yaml(
        f"rubric: pop\nscale: [0, 1]\n{population}\ndimensions:\n"
        f"  - {{id: access, indicators: [{{id: uptime, scale: {{type: numeric}}, "
        f"normalize: {normalize}}}]}}\n"
    )
    recs = [
        {"agency": a, "period": 1, "uptime": v, "kind": k}
        for a, v, *rest in values
        for k in [rest[0] if rest else "department"]
    ]
    res = rm.score(rubric, rm.ResponseSet.from_records(recs, rubric))
    return [round(v, 4) for v in res.indicator_scores[:, 0].tolist()]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("minmax", [0.7857, 0.0, 1.0, 0.7857]),
        ("zscore", [0.7857, 0.0, 1.0, 0.7857]),
        ("rank", [0.3333, 0.0, 1.0, 0.3333]),
        ("percentile", [0.5, 0.125, 0.875, 0.5]),
        ("{method: target, target: 98}", [0.9167, 0.0, 1.0, 0.9167]),
    ],
)
def test_normalisation_worked_examples(method: str, expected: list[float]) -> None:
    assert population_scores(method) == expected


def test_non_members_are_clamped_to_the_population_range() -> None:
    values = [
        *((a, v, "department") for a, v in POPULATION),
        ("V", 100.0, "ministry"),
        ("U", 90.0, "ministry"),
    ]
    got = population_scores("minmax", values, "population: {kind: department}")  # type: ignore[arg-type]
    assert got == [0.7857, 0.0, 1.0, 0.7857, 1.0, 0.0]


@pytest.mark.parametrize(
    ("method", "expected"),
    [("minmax", [0.5, 0.5]), ("rank", [0.0, 0.0]), ("percentile", [0.5, 0.5])],
)
def test_degenerate_populations(method: str, expected: list[float]) -> None:
    assert population_scores(method, [("X", 95.0), ("Y", 95.0)]) == expected


def test_degenerate_zscore_scores_half() -> None:
    """A population without spread scores 0.5 under zscore, as under minmax."""
    assert population_scores("zscore", [("X", 95.0), ("Y", 95.0)]) == [0.5, 0.5]


def test_rounding_examples() -> None:
    from readiness_model.engine.classify import round_half_away

    got = round_half_away(np.array([67.708333333, 2.345, -0.125, 1.005]), 2).tolist()
    assert got == [67.71, 2.35, -0.13, 1.01]
    assert round_half_away(np.array([0.76605]), 4).tolist() == [0.7661]


# -- runnable guides -------------------------------------------------------------------


def run_block(code: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<docs>", "exec"), {})
    return out.getvalue()


def test_getting_started_python_blocks_run_and_print_what_they_say() -> None:
    page = (DOCS / "getting-started.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(blocks) == 2
    for code in blocks:
        shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert run_block(code).splitlines() == shown


def test_getting_started_rubric_example_holds() -> None:
    page = (DOCS / "getting-started.md").read_text("utf-8")
    text = re.search(r"```yaml\n(rubric: my-survey\n.*?)```", page, re.S)
    assert text is not None
    rubric = rm.rubric_from_yaml(text.group(1))
    ex = rubric.examples[0]
    rec = {"agency": ex.agency, "period": 1, **dict(ex.answers)}
    res = rm.score(rubric, rm.ResponseSet.from_records([rec], rubric))
    assert (res.overall[0], res.band[0]) == (ex.expected("overall"), ex.expected("band"))


# -- the site's build hooks ------------------------------------------------------------


def load_hook(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DOCS / "_hooks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cli_reference_documents_every_command() -> None:
    hook = load_hook("cli_reference")
    page = (DOCS / "cli.md").read_text("utf-8")
    assert hook.MARKER in page
    text = hook.on_page_markdown(page, page=None)
    build_parser()
    for name in COMMANDS:
        assert f"## `readiness-model {name}`" in text
        assert f"usage: readiness-model {name}" in text


class _Page:
    def __init__(self, uri: str) -> None:
        self.file = type("F", (), {"src_uri": uri})()


def test_rubric_links_point_at_gallery_pages() -> None:
    hook = load_hook("links")
    md = "see [it](../rubrics/un-egdi-2024.yaml) and [that](https://x/y.yaml)"
    assert hook.on_page_markdown(md, page=_Page("rubric-format.md")) == (
        "see [it](gallery/un-egdi-2024.md#the-rubric) and [that](https://x/y.yaml)"
    )
    assert "](../gallery/a.md#the-rubric)" in hook.on_page_markdown(
        "[a](../../rubrics/a.yaml)", page=_Page("gallery/x.md")
    )


def test_docstring_habits_become_markdown() -> None:
    pytest.importorskip("griffe")
    hook = load_hook("griffe_docstrings")
    text = (
        "Load :class:`~readiness_model.Rubric` as ``YAML``::\n\n    Example:\n"
        "        >>> 1\n\n    .. versionadded:: 0.1.0\n"
    )
    assert hook.rewrite(text) == (
        "Load `Rubric` as `YAML`:\n\n    Examples:\n        >>> 1\n\n    *New in version 0.1.0.*\n"
    )


@pytest.mark.parametrize(
    "page", ["getting-started.md", "methodology.md", "cli.md", "api.md", "gallery/index.md"]
)
def test_pages_in_the_nav_exist(page: str) -> None:
    assert (DOCS / page).is_file()
    assert page in (DOCS.parent / "mkdocs.yml").read_text("utf-8")
