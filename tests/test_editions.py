"""Every UN EGDI edition 2003-2024 ships with its conventions, and one scoring code serves
them all: what differs between editions is in the rubrics, never in the Python source."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import readiness_model as rm

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "readiness_model"
EQUAL = (1, 1, 1)
UN = (0.34, 0.33, 0.33)
# edition: decimals, weights OSI/TII/HCI, tie rule, not assessed (indicator or None), groups
EDITIONS = {
    2003: (5, EQUAL, "shared", "osi", False),
    2004: (5, EQUAL, "shared", "osi", False),
    2005: (5, EQUAL, "shared", "osi", False),
    2008: (4, UN, "shared", "hci", False),
    2010: (5, UN, "shared", "hci", False),
    2012: (5, EQUAL, "shared", "osi", False),
    2014: (5, EQUAL, "shared", None, True),
    2016: (5, EQUAL, "shared", None, True),
    2018: (4, EQUAL, "shared", None, True),
    2020: (4, EQUAL, "unrounded", None, True),
    2022: (4, EQUAL, "shared", None, True),
    2024: (5, EQUAL, "shared", None, True),
}


def test_every_edition_from_2003_to_2024_is_shipped() -> None:
    shipped = {n for n in rm.shipped_rubrics() if re.fullmatch(r"un-egdi-\d{4}", n)}
    assert shipped == {f"un-egdi-{y}" for y in EDITIONS}


@pytest.mark.parametrize("year", sorted(EDITIONS))
def test_each_edition_states_its_conventions(year: int) -> None:
    """Weights, rounding, tie rule, not-assessed rule and groups, each written in the
    edition's own file (the tie rule too, even where it is the default)."""
    decimals, weights, ties, not_assessed, groups = EDITIONS[year]
    rubric = rm.load_rubric(f"un-egdi-{year}")
    assert [i for i, _, _ in rubric.lineage] == ["un-egdi"]
    assert rubric.rounding == decimals
    assert tuple(d.weight for d in rubric.dimensions) == weights
    assert rubric.ranking.ties == ties
    text = (ROOT / "rubrics" / f"un-egdi-{year}.yaml").read_text("utf-8")
    assert f"ranking: {{ties: {ties}}}" in text
    assert {r.indicator for r in rubric.not_assessed.when} == (
        {not_assessed} if not_assessed else set()
    )
    if groups:
        assert [b.id for b in rubric.bands] == ["very_high", "high", "middle", "low"]
    else:
        assert rubric.bands == ()


@pytest.mark.parametrize("year", sorted(EDITIONS))
def test_each_edition_cites_its_source_and_has_a_gallery_page(year: int) -> None:
    rubric = rm.load_rubric(f"un-egdi-{year}")
    assert str(year) in rubric.source
    assert "tests/data/reference" in rubric.source  # where its golden rows come from
    assert len(rubric.examples) >= 2
    page = ROOT / "docs" / "gallery" / f"un-egdi-{year}.md"
    assert f"(`un-egdi-{year}`)" in page.read_text("utf-8").splitlines()[0]
    index = (ROOT / "docs" / "gallery" / "index.md").read_text("utf-8")
    assert f"(un-egdi-{year}.md)" in index


def _branches_on_a_publication(tree: ast.AST) -> list[str]:
    """Comparisons (==, in, match) of anything against a rubric id of a published index or
    a year: the shape a per-edition special case would take."""
    found = []
    pattern = re.compile(r"(egdi|dgi|gtmi|samm|thai)", re.I)
    for node in ast.walk(tree):
        values: list[ast.expr] = []
        if isinstance(node, ast.Compare):
            values = [node.left, *node.comparators]
        elif isinstance(node, ast.match_case):
            values = [p.value for p in ast.walk(node.pattern) if isinstance(p, ast.MatchValue)]
        for v in values:
            for c in ast.walk(v):
                value = c.value if isinstance(c, ast.Constant) else None
                name = isinstance(value, str) and pattern.search(value)
                year = isinstance(value, int) and 2000 <= value <= 2030
                if name or year:
                    found.append(repr(value))
    return found


def test_no_per_edition_branches_in_the_python_source() -> None:
    """The same scoring code serves every edition (issue 15)."""
    bad = {}
    for path in sorted(SRC.rglob("*.py")):
        hits = _branches_on_a_publication(ast.parse(path.read_text("utf-8")))
        if hits:
            bad[str(path.relative_to(SRC))] = hits
    assert bad == {}


def test_the_branch_finder_sees_a_per_edition_branch() -> None:
    src = (
        "if rubric.id == 'un-egdi-2020':\n    pass\n"
        "if year in (2008, 2010):\n    pass\n"
        "match r.id:\n    case 'oecd-dgi-2019':\n        pass\n"
    )
    assert _branches_on_a_publication(ast.parse(src)) == [
        "'un-egdi-2020'",
        "2008",
        "2010",
        "'oecd-dgi-2019'",
    ]
