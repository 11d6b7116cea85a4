"""Rubric families: `extends` with overrides by id, `remove`, abstract bases, the chain in
the provenance, and every problem in the file that caused it."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.io.rubric_family import load_family, read_family
from readiness_model.io.shipped import shipped_rubric_path
from readiness_model.testing import responses, rubrics

ROOT = Path(__file__).resolve().parents[1]
FLATTENED = ROOT / "tests" / "data" / "flattened"
EDITIONS = ["un-egdi-2016", "un-egdi-2018", "un-egdi-2022", "un-egdi-2024"]

BASE = """\
rubric: base
version: "1"
scale: [0, 100]
dimensions:
  - id: access
    weight: 1
    indicators:
      - {id: portal, weight: 1, scale: {type: binary}}
      - {id: uptime, weight: 1, scale: {type: numeric, goalposts: [90, 100]}}
  - id: people
    weight: 3
    indicators:
      - {id: training, weight: 2, scale: {type: ordinal, levels: [none, some, most, all]}}
      - {id: skills, scale: {type: checklist, items: [cloud, data, security, design]}}
bands:
  - {id: high, min: 60, dimensions: {people: 50}}
  - {id: low}
examples:
  - agency: x
    answers: {portal: yes, uptime: 97.5, training: most, skills: [cloud, data]}
    expect: {overall: 67.71, band: high}
    tol: 0.005
"""


def family(tmp_path: Path, child: str, base: str = BASE) -> Path:
    (tmp_path / "base.yaml").write_text(base, encoding="utf-8")
    path = tmp_path / "child.yaml"
    path.write_text(child, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[rm.Problem]:
    with pytest.raises(rm.RubricError) as info:
        rm.load_rubric(path)
    return list(info.value.problems)


def where(p: rm.Problem) -> tuple[str, int | None]:
    assert p.location is not None
    return Path(p.location.file).name, p.location.line


# -- override, addition, removal ------------------------------------------------------------
def test_an_override_changes_only_the_keys_it_gives(tmp_path: Path) -> None:
    child = family(
        tmp_path,
        "extends: base.yaml\nrubric: child\ndimensions:\n  - id: people\n    weight: 1\n"
        "    indicators:\n      - {id: training, title: Training}\n",
    )
    r = rm.load_rubric(child)
    base = rm.load_rubric(tmp_path / "base.yaml")
    assert (r.id, r.version) == ("child", "1")
    assert r.dimension("people").weight == 1
    assert r.indicator("training").title.get() == "Training"
    assert r.indicator("training").weight == 2  # inherited
    assert r.indicator("training").scale == base.indicator("training").scale
    assert [i.id for i in r.indicators] == [i.id for i in base.indicators]
    assert (r.bands, r.examples) == (base.bands, base.examples)


def test_lists_other_than_the_tree_are_replaced_whole(tmp_path: Path) -> None:
    text = "extends: base.yaml\nrubric: child\nbands:\n  - {id: all}\n"
    (p,) = problems_of(family(tmp_path, text))  # the inherited example expects 'high'
    assert p.message == "example 'x' expects unknown band 'high'"
    assert where(p) == ("child.yaml", 1)
    r = rm.load_rubric(family(tmp_path, text + "examples: []\n"))
    assert [b.id for b in r.bands] == ["all"]
    assert r.examples == ()


def test_an_addition_goes_after_the_inherited_nodes(tmp_path: Path) -> None:
    child = family(
        tmp_path,
        "extends: base.yaml\nrubric: child\ndimensions:\n"
        "  - id: access\n    indicators:\n      - {id: open_data, weight: 2}\n"
        "  - id: data\n    indicators: [{id: catalogue}]\n",
    )
    r = rm.load_rubric(child)
    assert [i.id for i in r.dimension("access").indicators] == ["portal", "uptime", "open_data"]
    assert [d.id for d in r.dimensions] == ["access", "people", "data"]
    assert r.indicator("open_data").weight == 2


def test_a_removal_drops_an_indicator_or_a_whole_dimension(tmp_path: Path) -> None:
    child = family(
        tmp_path,
        "extends: base.yaml\nrubric: child\nremove: [uptime, people]\n"
        "bands: [{id: all}]\nexamples: []\n",
    )
    r = rm.load_rubric(child)
    assert [i.id for i in r.indicators] == ["portal"]
    assert [d.id for d in r.dimensions] == ["access"]


def test_remove_and_restate_moves_a_node(tmp_path: Path) -> None:
    text = "extends: base.yaml\nrubric: child\nREMOVEdimensions:\n  - id: access\n"
    text += "    indicators:\n      - {id: skills, scale: {type: binary}}\n"
    (p,) = problems_of(family(tmp_path, text.replace("REMOVE", "")))
    assert where(p) == ("child.yaml", 6)
    assert p.message == (
        f"'skills' is an indicator of dimension 'people' in the rubric this one extends "
        f"({tmp_path / 'base.yaml'}:14:9)"
    )
    assert "'remove'" in p.hint
    r = rm.load_rubric(family(tmp_path, text.replace("REMOVE", "remove: [skills]\n")))
    assert [i.id for i in r.dimension("access").indicators] == ["portal", "uptime", "skills"]
    assert [i.id for i in r.dimension("people").indicators] == ["training"]


# -- problems, located in the file that caused them ------------------------------------------
def test_a_bad_override_is_located_in_the_child(tmp_path: Path) -> None:
    child = family(
        tmp_path, "extends: base.yaml\nrubric: child\ndimensions:\n  - {id: access, weight: -1}\n"
    )
    (p,) = problems_of(child)
    assert where(p) == ("child.yaml", 4)
    assert p.path == "$.dimensions[0].weight"
    assert "'weight' must be" in p.message


def test_an_unknown_key_in_an_override_is_located_in_the_child(tmp_path: Path) -> None:
    child = family(
        tmp_path, "extends: base.yaml\nrubric: child\ndimensions:\n  - {id: access, wieght: 2}\n"
    )
    (p,) = problems_of(child)
    assert where(p) == ("child.yaml", 4)
    assert p.hint == "did you mean 'weight'?"


def test_a_problem_in_the_parent_is_located_in_the_parent(tmp_path: Path) -> None:
    child = family(
        tmp_path, "extends: base.yaml\nrubric: child\n", BASE.replace("min: 60", "min: x")
    )
    ps = problems_of(child)
    assert [where(p) for p in ps] == [("base.yaml", 16), ("child.yaml", 1)]
    assert (
        ps[1].message
        == "the rubric this one extends (base.yaml) is invalid: 1 problem(s), listed above"
    )


def test_an_inherited_part_the_child_breaks_is_reported_at_the_childs_extends(
    tmp_path: Path,
) -> None:
    """The child's scale makes the inherited band unreachable: the problem is the child's;
    the hint names the inherited spot."""
    (p,) = problems_of(family(tmp_path, "extends: base.yaml\nrubric: child\nscale: [0, 10]\n"))
    assert where(p) == ("child.yaml", 1)
    assert "band 'high' can never match" in p.message
    assert p.hint == (
        "set 'min'/'max' (or 'above'/'below') within the rubric scale [0, 10]; "
        f"in a part inherited from {tmp_path / 'base.yaml'}:16:5: restate that part in this file"
    )


def test_removing_an_unknown_id_suggests_the_closest(tmp_path: Path) -> None:
    (p,) = problems_of(family(tmp_path, "extends: base.yaml\nrubric: child\nremove: [uptme]\n"))
    assert where(p) == ("child.yaml", 3)
    assert p.path == "$.remove[0]"
    assert p.hint == "did you mean 'uptime'?"


def test_removing_what_an_inherited_band_or_example_names_is_located_at_the_removal(
    tmp_path: Path,
) -> None:
    ps = problems_of(family(tmp_path, "extends: base.yaml\nrubric: child\nremove: [people]\n"))
    assert [(where(p), p.path) for p in ps] == [
        (("child.yaml", 3), "$.remove[0]"),
        (("child.yaml", 3), "$.remove[0]"),
    ]
    assert ps[0].message.startswith("removing 'people': the inherited band 'high' gates on it")
    assert ps[1].message.startswith(
        "removing 'people': the inherited example 'x' names 'training', which goes with it"
    )


def test_removing_every_indicator_of_a_dimension_is_located_at_the_removal(
    tmp_path: Path,
) -> None:
    child = family(
        tmp_path,
        "extends: base.yaml\nrubric: child\nremove: [portal, uptime]\nexamples: []\n",
    )
    (p,) = problems_of(child)
    assert where(p) == ("child.yaml", 3)
    assert p.message == "removing 'portal' leaves dimension 'access' with nothing in it"


def test_a_cycle_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nrubric: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# b\nextends: ./a.yaml\nrubric: b\n", encoding="utf-8")
    p, pointer = problems_of(tmp_path / "a.yaml")
    assert where(p) == ("b.yaml", 2)
    assert where(pointer) == ("a.yaml", 1)
    assert p.path == "$.extends"
    assert p.message.startswith("'extends' makes a cycle: ")
    assert p.message.endswith(f"a.yaml -> {tmp_path / 'b.yaml'} -> {tmp_path / 'a.yaml'}")
    (tmp_path / "self.yaml").write_text("rubric: s\nextends: self.yaml\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "self.yaml")
    assert where(p) == ("self.yaml", 2)
    assert p.message.endswith(f"{tmp_path / 'self.yaml'} -> {tmp_path / 'self.yaml'}")


def test_a_missing_parent_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("rubric: c\nextends: un-egdi-2023\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "c.yaml")
    assert where(p) == ("c.yaml", 2)
    assert p.message == "'extends' names no shipped rubric 'un-egdi-2023'"
    assert p.hint.startswith("did you mean 'un-egdi-202")
    (tmp_path / "d.yaml").write_text("rubric: d\nextends: bases/x.yaml\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "d.yaml")
    assert where(p) == ("d.yaml", 2)
    assert p.message.startswith("'extends' names a file that does not exist: 'bases/x.yaml'")
    assert p.hint == "the path is relative to the folder of this file"


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("/etc/base.yaml", "not an absolute path"),
        ("https://example.org/base.yaml", "not a URL"),
        ("5", "names no shipped rubric '5'"),
    ],
)
def test_extends_takes_only_a_shipped_name_or_a_relative_path(
    tmp_path: Path, ref: str, words: str
) -> None:
    (tmp_path / "c.yaml").write_text(f"rubric: c\nextends: '{ref}'\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "c.yaml")
    assert words in p.message
    assert where(p) == ("c.yaml", 2)


def test_text_without_a_file_extends_only_shipped_rubrics() -> None:
    with pytest.raises(rm.RubricError, match="given as text"):
        rm.Rubric.from_yaml("rubric: c\nextends: base.yaml\n")
    assert rm.Rubric.from_yaml("rubric: c\nextends: un-egdi-2022\n").indicators


def test_an_extending_file_names_itself(tmp_path: Path) -> None:
    (p,) = problems_of(family(tmp_path, "extends: base.yaml\nversion: '2'\n"))
    assert where(p) == ("child.yaml", 1)
    assert "no 'rubric' key" in p.message


def test_remove_without_extends_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(BASE + "remove: [portal]\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "r.yaml")
    assert "'remove' takes ids out of the rubric this one extends" in p.message


# -- abstract bases ---------------------------------------------------------------------------
def test_an_abstract_base_is_validated_but_not_scored(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(rm.RubricError) as info:
        rm.load_rubric("un-egdi")
    (p,) = info.value.problems
    assert "is an abstract rubric (abstract: true)" in p.message
    assert p.hint.startswith("use one that extends it: ")
    assert set(EDITIONS) <= set(p.hint.split(": ", 1)[1].split(", "))
    assert "un-egdi" not in rm.shipped_rubrics()
    assert "un-egdi" in rm.shipped_rubrics(include_abstract=True)
    assert main(["validate", "un-egdi"]) == 0
    assert "(abstract: a base for other rubrics)" in capsys.readouterr().out
    assert main(["score", "un-egdi", str(demo_survey_path())]) == 1
    assert "abstract" in capsys.readouterr().err


def test_abstract_must_be_true_or_false(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(BASE + "abstract: yes\n", encoding="utf-8")
    (p,) = problems_of(tmp_path / "r.yaml")
    assert p.message == "'abstract' must be true or false (got 'yes')"
    assert "YAML 1.1 reads yes as true" in p.hint


# -- flatten ≡ resolve ---------------------------------------------------------------------
@pytest.mark.parametrize("name", EDITIONS)
def test_each_egdi_edition_scores_bit_identically_to_its_flattened_file(name: str) -> None:
    """The family member and the file it replaced (tests/data/flattened/, the edition as it
    was before the family) are one rubric: equal, the same content hash, the same scores."""
    member, flat = rm.load_rubric(name), rm.load_rubric(FLATTENED / f"{name}.yaml")
    assert member == flat
    assert member.content_hash == flat.content_hash
    assert [i for i, _, _ in member.lineage] == ["un-egdi"]
    assert flat.lineage == ()
    rng = np.random.default_rng(7)
    values = np.round(rng.random((50, 3)), 5)
    agencies = [f"c{i}" for i in range(50)]
    a = rm.score(member, rm.ResponseSet.from_array(values, agencies, member, period=1))
    b = rm.score(flat, rm.ResponseSet.from_array(values, agencies, flat, period=1))
    for field in ("overall", "overall_exact", "node_scores", "rank", "coverage"):
        assert np.array_equal(getattr(a, field), getattr(b, field), equal_nan=True), field
    assert a.band == b.band


@pytest.mark.parametrize("name", EDITIONS)
def test_show_resolved_prints_the_flattened_rubric(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", name, "--resolved"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"# {name} ")
    assert "#   extends un-egdi base sha256 " in text
    assert rm.rubric_from_yaml(text) == rm.load_rubric(FLATTENED / f"{name}.yaml")


def _within_ratio(siblings: list[dict[str, Any]], node: dict[str, Any], weight: float) -> bool:
    """Whether ``node`` may weigh ``weight`` under the sibling-weight ratio rule (1e12)."""
    ws = [weight if s is node else float(s.get("weight", 1.0)) for s in siblings]
    pos = [w for w in ws if w > 0]
    return max(pos) <= 1e12 * min(pos)


def _split(data: dict[str, Any], draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rubric data cut into a base and a child that extends it: the child adds a tail of
    some nodes' indicators, restores some weights the base changed, removes indicators the
    base added, and restates the identity, the bands and the examples."""
    base = json.loads(json.dumps(data))
    child: dict[str, Any] = {"extends": "base.yaml", "rubric": data["rubric"]}
    for key in ("version", "bands", "trend", "groups", "examples", "title"):
        if key in base:
            child[key] = base.pop(key)
    base["version"] = "base"
    removed: list[str] = []
    extra = iter(range(1000))

    def cut(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The restatements of ``nodes`` (empty when nothing changes under them)."""
        out = []
        for node in nodes:
            mine: dict[str, Any] = {"id": node["id"]}
            if draw(st.booleans()) and _within_ratio(
                nodes, node, float(node.get("weight", 1)) + 1.5
            ):
                mine["weight"] = node.get("weight", 1.0)
                node["weight"] = float(node.get("weight", 1.0)) + 1.5
            if "dimensions" in node:
                sub = cut(node["dimensions"])
                if sub:
                    mine["dimensions"] = sub
            else:
                inds = node["indicators"]
                k = draw(st.integers(0, len(inds) - 1))
                if k and not any(float(i.get("weight", 1.0)) > 0 for i in inds[:-k]):
                    k = 0  # the base's node keeps a weight > 0
                if k:
                    mine["indicators"], node["indicators"] = inds[-k:], inds[:-k]
                if draw(st.booleans()):
                    nid = f"zz_extra_{next(extra)}"
                    # as heavy as its heaviest sibling: within the sibling-weight ratio rule
                    top = max((float(i.get("weight", 1.0)) for i in node["indicators"]), default=1)
                    node["indicators"].append(
                        {"id": nid, "scale": {"type": "binary"}, "weight": top or 1.0}
                    )
                    removed.append(nid)
            if len(mine) > 1:
                out.append(mine)
        return out

    tree = cut(base["dimensions"])
    if tree:
        child["dimensions"] = tree
    if removed:
        child["remove"] = removed
    return base, child


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_rubric_split_into_a_base_and_a_child_resolves_to_itself(data: Any) -> None:
    """flatten ≡ resolve: a rubric cut into a base and a child with overrides, additions
    and removals resolves to the same rubric (equal, same content hash), whose chain names
    the base."""
    rubric = data.draw(rubrics(max_indicators=8, prose=False, examples=True))
    base, child = _split(rubric.to_data(), data.draw)
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / "base.yaml").write_text(json.dumps(base), encoding="utf-8")
        (folder / "child.yaml").write_text(json.dumps(child), encoding="utf-8")
        resolved = rm.load_rubric(folder / "child.yaml")
        parent = rm.load_rubric(folder / "base.yaml")
    finally:
        shutil.rmtree(folder)
    assert resolved == rubric
    assert resolved.content_hash == rubric.content_hash
    assert resolved.lineage == ((parent.id, "base", parent.content_hash),)
    rs = data.draw(responses(rubric, max_agencies=4))
    a = rm.score(resolved, rs)
    b = rm.score(rubric, rs)
    assert np.array_equal(a.overall_exact, b.overall_exact, equal_nan=True)


# -- provenance ----------------------------------------------------------------------------
def test_the_chain_is_in_the_provenance_and_round_trips_through_results_files(
    tmp_path: Path,
) -> None:
    rubric = rm.load_rubric("un-egdi-2022")
    base = load_family("un-egdi").rubric
    rs = rm.ResponseSet.from_array([[0.5, 0.6, 0.7]], ["x"], rubric, period=2022)
    res = rm.score(rubric, rs)
    assert res.provenance.rubric_chain == (("un-egdi", "base", base.content_hash),)
    res.to_json(tmp_path / "r.json")
    res.to_csv(tmp_path / "r.csv")
    for back in (
        rm.Results.from_json(tmp_path / "r.json"),
        rm.Results.from_csv(tmp_path / "r.csv"),
    ):
        assert back.provenance == res.provenance
    assert json.loads((tmp_path / "r.json").read_text())["provenance"]["rubric_chain"] == [
        ["un-egdi", "base", base.content_hash]
    ]
    header = (tmp_path / "r.csv").read_text().splitlines()[0].split(",")
    assert header[-2:] == ["rubric_chain", "methods"]


def test_a_chain_of_three_names_every_ancestor_base_first(tmp_path: Path) -> None:
    (tmp_path / "mid.yaml").write_text("extends: un-egdi-2022\nrubric: mid\n", encoding="utf-8")
    loaded = read_family("extends: mid.yaml\nrubric: leaf\n", str(tmp_path / "leaf.yaml"))
    assert [(i, v) for i, v, _ in loaded.rubric.lineage] == [
        ("un-egdi", "base"),
        ("un-egdi-2022", "2022"),
        ("mid", "2022"),
    ]
    assert [Path(f).name for f in loaded.files] == [
        "un-egdi.yaml",
        "un-egdi-2022.yaml",
        "mid.yaml",
        "leaf.yaml",
    ]


# -- the command line ----------------------------------------------------------------------
def test_diff_of_a_child_that_adds_an_indicator_reads_the_old_survey(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Acceptance: `diff old.yaml new.yaml --answers demo.csv` where new.yaml extends
    old.yaml with one more indicator."""
    shipped = shipped_rubric_path("thai-dg-readiness-2016")
    assert shipped is not None
    shutil.copy(shipped, tmp_path / "old.yaml")
    (tmp_path / "new.yaml").write_text(
        "extends: old.yaml\nrubric: thai-dg-readiness-2017\nversion: '2017.1'\n"
        "dimensions:\n  - id: policy\n    indicators:\n"
        "      - {id: open_data_plan, title: Open data plan, weight: 2}\n",
        encoding="utf-8",
    )
    shutil.copy(demo_survey_path(), tmp_path / "demo.csv")
    code = main(
        [
            "diff",
            str(tmp_path / "old.yaml"),
            str(tmp_path / "new.yaml"),
            "--answers",
            str(tmp_path / "demo.csv"),
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "+ indicator 'open_data_plan' in 'policy'" in out
    assert "Largest movers" in out


def test_the_example_of_the_rubric_format_page_loads_and_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """docs/rubric-format.md, "Rubric families": the example file is valid, changes what it
    says and its golden example holds."""
    import re

    page = (ROOT / "docs" / "rubric-format.md").read_text("utf-8")
    block = re.search(r"```yaml\n(# yaml-language-server[^\n]*\nextends: .*?)```", page, re.S)
    assert block is not None
    path = tmp_path / "ministry.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    r = rm.load_rubric(path)
    base = rm.load_rubric("thai-dg-readiness-2016")
    assert r.id == "ministry-dg-2017"
    assert r.dimension("policy").weight == 3
    assert r.indicator("dg_plan").weight == 4
    assert [i.id for i in r.dimension("policy").indicators][-1] == "open_data_plan"
    assert [d.id for d in r.dimensions][-1] == "cybersecurity"
    assert "smart_tech" not in [d.id for d in r.dimensions]
    assert (
        len(r.indicators)
        == len(base.indicators) - 1 - len(base.dimension("smart_tech").indicators) + 2
    )
    assert main(["check", str(path)]) == 0, capsys.readouterr().out


def test_validate_reports_an_inherited_example_the_childs_scale_breaks_in_the_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    family(
        tmp_path,
        "extends: base.yaml\nrubric: child\ndimensions:\n  - id: people\n    indicators:\n"
        "      - {id: training, scale: {type: ordinal, levels: [none, part, full]}}\n",
    )
    assert main(["validate", "child.yaml"]) == 1
    assert capsys.readouterr().out == (
        "child.yaml:1:10: example 'x': bad answer 'most' for indicator 'training': expected "
        "one of 'none', 'part', 'full' (or its 0-based index) (in a part inherited from "
        "base.yaml:20:52: restate that part in this file) @ $.examples[0].answers.training\n"
    )
