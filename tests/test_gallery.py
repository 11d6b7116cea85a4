"""The gallery rubrics: shipped, documented, well-formed, and their golden examples hold."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]
GALLERY = ROOT / "docs" / "gallery"
EGDI_DECIMALS = {2016: 5, 2018: 4, 2022: 4, 2024: 5}
OLDER_EDITIONS = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2020)
NAMES = [
    *(f"un-egdi-{y}" for y in sorted([*EGDI_DECIMALS, *OLDER_EDITIONS])),
    "oecd-dgi-2019",
    "oecd-dgi-2023",
    "wb-gtmi-2022",
    "owasp-samm-2",
]


def answer(v: Any) -> Any:
    return list(v) if isinstance(v, tuple) else v


def failures(rubric: rm.Rubric) -> list[str]:
    """Every expectation of the rubric's golden examples that does not hold."""
    bad = []
    for ex in rubric.examples:
        rec = {"agency": ex.agency, "period": 0, **{k: answer(v) for k, v in ex.answers}}
        res = rm.score(rubric, rm.ResponseSet.from_records([rec], rubric))
        for key, want in ex.expect:
            if key in ("band", "status"):
                got = [(key, (res.band if key == "band" else res.status)[0], want)]
            elif key == "dimensions":
                got = [(d, res.node_scores[0, res.node_ids.index(d)], w) for d, w in want]
            else:
                got = [(key, (res.overall if key == "overall" else res.coverage)[0], want)]
            for name, value, w in got:
                ok = value == w if key in ("band", "status") else abs(value - w) <= ex.tol
                if not ok:
                    bad.append(f"{ex.agency}: {name} = {value!r}, expected {w!r}")
    return bad


@pytest.mark.parametrize("name", NAMES)
def test_gallery_rubric_is_shipped_cited_and_examples_hold(name: str) -> None:
    """Each gallery rubric loads by name, cites its source and passes its examples."""
    assert name in rm.shipped_rubrics()
    rubric = rm.load_rubric(name)
    assert rubric.id == name
    assert rubric.source.strip()
    assert rubric.description
    assert len(rubric.examples) >= 2
    assert failures(rubric) == []


@pytest.mark.parametrize("name", NAMES)
def test_gallery_rubric_round_trips_through_yaml(name: str) -> None:
    rubric = rm.load_rubric(name)
    assert rm.rubric_from_yaml(rm.dump_rubric(rubric)) == rubric


def test_example_checker_sees_a_wrong_expectation() -> None:
    """The checker used above fails when an expected value is off."""
    rubric = rm.load_rubric("wb-gtmi-2022")
    ex = rubric.examples[0]
    wrong = rm.Example(ex.agency, answers=dict(ex.answers), expect={"overall": 0.5, "band": "D"})
    bad = failures(
        rm.Rubric(
            rubric.id,
            dimensions=rubric.dimensions,
            scale=rubric.scale,
            bands=rubric.bands,
            examples=[wrong],
        )
    )
    assert len(bad) == 2


@pytest.mark.parametrize("name", [*NAMES, "thai-dg-readiness-2016"])
def test_cli_check_passes_for_every_shipped_rubric(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`readiness-model check <name>` exits 0 (skipped until the command exists)."""
    build_parser()
    if "check" not in COMMANDS:
        pytest.skip("the 'check' command is not registered yet")
    assert main(["check", name]) == 0, capsys.readouterr()


@pytest.mark.parametrize("name", [*NAMES, "thai-dg-readiness-2016"])
def test_every_shipped_rubric_has_a_gallery_page_in_the_nav(name: str) -> None:
    assert (GALLERY / f"{name}.md").is_file()
    assert f"gallery/{name}.md" in (ROOT / "mkdocs.yml").read_text("utf-8")


@pytest.mark.parametrize(("year", "decimals"), sorted(EGDI_DECIMALS.items()))
def test_egdi_editions_round_as_published(year: int, decimals: int) -> None:
    rubric = rm.load_rubric(f"un-egdi-{year}")
    assert rubric.rounding == decimals
    assert rubric.scale == (0.0, 1.0)
    assert [i.id for i in rubric.indicators] == ["osi", "tii", "hci"]
    bands = {b.id: b.range for b in rubric.bands}
    assert bands["very_high"].lower() == (0.75, True)  # strictly above 0.75
    assert bands["high"].lower() == (0.5, False)
    assert bands["middle"].lower() == (0.25, False)


@pytest.mark.parametrize(
    ("score", "band"),
    [(0.75, "high"), (0.75001, "very_high"), (0.5, "high"), (0.25, "middle"), (0.24999, "low")],
)
def test_egdi_group_boundaries(score: float, band: str) -> None:
    """Very high is strictly above 0.75; the other groups include their lower bound."""
    rubric = rm.load_rubric("un-egdi-2024")
    rec = {"agency": "x", "period": 2024, "osi": score, "tii": score, "hci": score}
    assert rm.score(rubric, rm.ResponseSet.from_records([rec], rubric)).band[0] == band


def test_dgi_population_ranks_members_only() -> None:
    rubric = rm.load_rubric("oecd-dgi-2023")
    assert rubric.population == (("member", ("true",)),)
    assert [d.id for d in rubric.dimensions] == [
        "digital_by_design",
        "data_driven",
        "government_as_platform",
        "open_by_default",
        "user_driven",
        "proactiveness",
    ]
    assert rubric.defaults.missing == "zero"


def test_gtmi_groups_are_bands_on_the_composite() -> None:
    rubric = rm.load_rubric("wb-gtmi-2022")
    assert [(b.id, b.range.min) for b in rubric.bands] == [
        ("A", 0.75),
        ("B", 0.5),
        ("C", 0.25),
        ("D", None),
    ]
    assert rubric.rounding is None


def test_samm_structure() -> None:
    """5 functions × 3 practices × (2 streams × 3 levels) questions worth 0/0.25/0.5/1."""
    rubric = rm.load_rubric("owasp-samm-2")
    assert rubric.scale == (0.0, 3.0)
    assert [f.id for f in rubric.dimensions] == [
        "governance",
        "design",
        "implementation",
        "verification",
        "operations",
    ]
    titles = [str(p.title) for f in rubric.dimensions for p in f.dimensions]
    assert len(titles) == 15
    assert "Requirements-driven Testing" in titles
    assert "Strategy & Metrics" in titles
    assert len(rubric.indicators) == 90
    for f in rubric.dimensions:
        for p in f.dimensions:
            assert [i.id for i in p.indicators] == [
                f"{f.id}_{p.id}_{s}{lvl}" for s in "ab" for lvl in (1, 2, 3)
            ]
    assert {i.scale.table() for i in rubric.indicators} == {(0.0, 0.25, 0.5, 1.0)}


def test_samm_unanswered_assessment_scores_zero() -> None:
    rubric = rm.load_rubric("owasp-samm-2")
    res = rm.score(rubric, rm.ResponseSet.from_records([{"agency": "x", "period": 1}], rubric))
    assert res.overall[0] == 0.0
    assert res.coverage[0] == 0.0
    assert np.all(res.node_scores[0] == 0.0)


def test_dgi_item_coding_worked_example_in_the_docs() -> None:
    """The YAML and the numbers of the worked example on the oecd-dgi-2023 page."""
    page = (GALLERY / "oecd-dgi-2023.md").read_text("utf-8")
    block = re.search(r"```yaml\n(rubric: dgi-item-coding-example\n.*?)```", page, re.S)
    assert block is not None
    rubric = rm.rubric_from_yaml(block.group(1))
    rec = {
        "agency": "x",
        "period": 2023,
        "open_data_strategy": "yes",
        "open_data_formats": ["csv", "json"],
        "open_data_reuse_support": ["catalogue", "api_access"],
        "open_data_publication": "periodically",
    }
    res = rm.score(rubric, rm.ResponseSet.from_records([rec], rubric))
    assert res.indicator_scores[0, :4] == pytest.approx([1, 2 / 3, 1, 0.75], abs=1e-15)
    assert res.overall[0] == pytest.approx((1 + 2 / 3 + 1 + 0.75 + 0) / 5, abs=1e-15)
    assert f"{res.overall[0]:.4f}" == "0.6833"
    assert "**0.6833**" in page
    assert res.coverage[0] == pytest.approx(0.8, abs=1e-15)


def test_gtmi_indicator_worked_example_in_the_docs() -> None:
    """The YAML and the numbers of the worked example on the wb-gtmi-2022 page."""
    page = (GALLERY / "wb-gtmi-2022.md").read_text("utf-8")
    block = re.search(r"```yaml\n(rubric: gtmi-indicator-example\n.*?)```", page, re.S)
    assert block is not None
    rubric = rm.rubric_from_yaml(block.group(1))
    rec = {
        "agency": "x",
        "period": 2022,
        "open_data_portal": "yes",
        "participation_platform": "planned",
        "feedback_channels": ["web_form"],
    }
    res = rm.score(rubric, rm.ResponseSet.from_records([rec], rubric))
    assert res.indicator_scores[0, :3] == pytest.approx([1, 0.5, 1 / 3], abs=1e-15)
    assert res.overall[0] == pytest.approx((1 + 0.5 + 1 / 3 + 0) / 4, abs=1e-15)
    assert f"{res.overall[0]:.4f}" == "0.4583"
    assert "**0.4583**" in page
    assert res.coverage[0] == pytest.approx(0.75, abs=1e-15)
