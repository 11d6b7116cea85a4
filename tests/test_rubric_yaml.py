"""Loading and dumping the YAML rubric format: located problems, hostile input, round trips."""

from __future__ import annotations

import gc
from pathlib import Path

import attrs
import pytest

import readiness_model as rm
from readiness_model import Dimension, Indicator, Rubric, RubricError
from readiness_model.io.rubric_yaml import dump_rubric, load_rubric, rubric_from_yaml

GOOD = """\
rubric: demo
version: 2016.10
title: {en: Demo, th: การสำรวจ}
dimensions:
  - id: access
    weight: 1
    indicators:
      - {id: portal, weight: 1, scale: &yn {type: binary}}
      - {id: uptime, weight: 1, scale: {type: numeric, goalposts: [90, 100]}}
      - {id: app, scale: *yn}
bands:
  - {id: high, min: 60}
  - {id: low}
"""


def problems(text: str | bytes) -> list[rm.Problem]:
    with pytest.raises(RubricError) as info:
        rubric_from_yaml(text, source="r.yaml")
    for p in info.value.problems:
        assert p.location is not None
        assert p.location.line is not None
        assert p.path.startswith("$")
    return list(info.value.problems)


def one(text: str, match: str) -> rm.Problem:
    found = [p for p in problems(text) if match in str(p)]
    assert found, f"no problem matching {match!r}"
    return found[0]


def test_valid_rubric_loads_with_shared_alias_and_version_text_kept() -> None:
    """Aliases used normally work; `version: 2016.10` keeps its text."""
    r = rubric_from_yaml(GOOD)
    assert [i.id for i in r.indicators] == ["portal", "uptime", "app"]
    assert r.version == "2016.10"
    assert r.title.get("th") == "การสำรวจ"


def test_rubric_from_yaml_accepts_bytes_with_bom() -> None:
    """Bytes are UTF-8; a BOM is allowed."""
    assert rubric_from_yaml(b"\xef\xbb\xbf" + GOOD.encode()) == rubric_from_yaml(GOOD)


def test_rubric_from_yaml_is_what_rubric_from_yaml_classmethod_calls() -> None:
    """Rubric.from_yaml delegates to rubric_from_yaml."""
    assert Rubric.from_yaml(GOOD) == rubric_from_yaml(GOOD)


def test_unknown_key_is_located_at_the_key_with_a_did_you_mean_hint() -> None:
    """An unknown key points at the key itself and suggests the closest known key."""
    text = GOOD.replace("    weight: 1\n    indicators", "    wieght: 1\n    indicators")
    p = one(text, "unknown key 'wieght'")
    assert p.hint == "did you mean 'weight'?"
    assert p.path == "$.dimensions[0].wieght"
    assert (p.location.line, p.location.column) == (6, 5)  # type: ignore[union-attr]
    assert p.location.file == "r.yaml"  # type: ignore[union-attr]


def test_every_problem_is_reported_not_only_the_first() -> None:
    """Bad siblings are all reported, and rubric-level checks still run."""
    text = (
        GOOD.replace("{id: portal, weight: 1,", "{id: portal, weight: -1,")
        .replace("{id: uptime, weight: 1,", "{id: uptime, weight: .nan,")
        .replace("{id: app,", "{id: portal,")
        .replace("{id: low}", "{id: low, foo: 1}")
    )
    ps = problems(text)
    paths = {p.path for p in ps}
    assert "$.dimensions[0].indicators[0].weight" in paths
    assert "$.dimensions[0].indicators[1].weight" in paths
    assert "$.dimensions[0].indicators[2].id" in paths  # duplicate id (rubric level)
    assert "$.bands[1].foo" in paths
    weight = next(p for p in ps if p.path.endswith("indicators[0].weight"))
    assert "'weight' must be a finite number >= 0 (got -1" in weight.message
    assert (weight.location.line, weight.location.column) == (8, 30)  # type: ignore[union-attr]


def test_yaml_boolean_id_gets_a_hint_to_quote_it() -> None:
    """`id: false` is a boolean: the hint says to quote it."""
    p = one(GOOD.replace("{id: app,", "{id: false,"), "got False")
    assert p.path == "$.dimensions[0].indicators[2].id"
    assert "quote it: 'false'" in p.hint


def test_plain_scalars_are_read_as_yaml_1_2_reads_them() -> None:
    """As editors do: `no` and `on` are text, `1e6` is a number, `017` is seventeen."""
    text = GOOD.replace("{id: app,", "{id: no, weight: 1e6,").replace(
        "  - id: access", "  - id: on"
    )
    r = rubric_from_yaml(text)
    assert [i.id for i in r.indicators][-1] == "no"
    assert r.indicators[-1].weight == 1e6
    assert r.dimensions[0].id == "on"
    assert (
        rubric_from_yaml(GOOD.replace("weight: 1\n    ind", "weight: 017\n    ind"))
        .dimensions[0]
        .weight
        == 17
    )


@pytest.mark.parametrize(
    ("old", "new", "hint"),
    [
        ("weight: 1\n    ind", "weight: 1_000\n    ind", "YAML 1.1 reads 1_000 as 1000"),
        ("weight: 1\n    ind", "weight: 1:30\n    ind", "YAML 1.1 reads 1:30 as 90"),
        ("goalposts: [90, 100]}", "goalposts: [90, 100], clamp: no}", "YAML 1.1 reads no as false"),
    ],
)
def test_values_yaml_1_1_reads_otherwise_name_the_trap_and_the_fix(
    old: str, new: str, hint: str
) -> None:
    """A plain value that YAML 1.1 reads as a number or boolean but YAML 1.2 as text gets
    a hint naming both readings and what to write."""
    assert old in GOOD
    ps = problems(GOOD.replace(old, new, 1))
    assert len(ps) == 1
    assert hint in ps[0].hint
    assert "YAML 1.2" in ps[0].hint
    assert "write " in ps[0].hint


@pytest.mark.parametrize(
    ("old", "new", "match", "path"),
    [
        (
            "weight: 1\n    indicators",
            "weight: heavy\n    indicators",
            "finite number",
            "$.dimensions[0].weight",
        ),
        (
            "weight: 1\n    indicators",
            "weight: .inf\n    indicators",
            "finite number",
            "$.dimensions[0].weight",
        ),
        (
            "{type: numeric, goalposts: [90, 100]}",
            "{type: numeric, goalpost: [90, 100]}",
            "unknown key 'goalpost'",
            "$.dimensions[0].indicators[1].scale.goalpost",
        ),
        (
            "{type: numeric, goalposts: [90, 100]}",
            "{type: numerik}",
            "must be one of",
            "$.dimensions[0].indicators[1].scale.type",
        ),
        (
            "{id: high, min: 60}",
            "{id: high, min: 60, dimensions: {nowhere: 5}}",
            "unknown dimension 'nowhere'",
            "$.bands[0].dimensions.nowhere",
        ),
        ("{id: high, min: 60}", "{id: high}", "can never match", "$.bands[1]"),
        (
            "    weight: 1\n",
            "    weight: 1\n    weight: 2\n",
            "duplicate key 'weight'",
            "$.dimensions[0].weight",
        ),
        ("rubric: demo\n", "", "missing the required key 'rubric'", "$"),
        (
            "  - id: access\n",
            "  - title: access\n",
            "missing the required key 'id'",
            "$.dimensions[0]",
        ),
        (
            "title: {en: Demo, th: การสำรวจ}",
            "title: !!python/object:os.system {}",
            "not allowed",
            "$.title",
        ),
    ],
)
def test_mistakes_are_reported_with_path_and_line(
    old: str, new: str, match: str, path: str
) -> None:
    """Each kind of mistake names the field and sits at the right path."""
    assert old in GOOD
    p = one(GOOD.replace(old, new, 1), match)
    assert p.path == path


def test_missing_dimensions_is_one_clear_problem() -> None:
    """A rubric without `dimensions` says which key is missing."""
    ps = problems("rubric: demo\n")
    assert [p.message for p in ps] == ["the rubric is missing the required key 'dimensions'"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "empty"),
        ("# only a comment\n", "empty"),
        ("~\n", "empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("rubric: a\n---\nrubric: b\n", "more than one YAML document"),
        ("rubric: [unclosed\n", "invalid YAML"),
        ("rubric: a\x00\n", "control character"),
        ("a: &a [*a]\n", "contains it"),
    ],
)
def test_unreadable_documents_raise_located_rubric_errors(text: str, match: str) -> None:
    """Empty, non-mapping, multi-document, broken or recursive text: one located problem."""
    ps = problems(text)
    assert any(match in p.message for p in ps), ps


def test_non_utf8_bytes_report_line_and_column_of_the_bad_byte() -> None:
    """Invalid UTF-8 names the line and column of the offending byte."""
    (p,) = problems(b"rubric: demo\ntitle: caf\xe9\n")
    assert "not valid UTF-8" in p.message
    assert (p.location.line, p.location.column) == (2, 11)  # type: ignore[union-attr]


def test_billion_laughs_is_rejected_fast() -> None:
    """An alias bomb of a few hundred bytes is rejected, not expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    bomb = "\n".join(lines) + "\nrubric: demo\n"
    assert len(bomb) < 1000
    (p,) = problems(bomb)
    assert "expand" in p.message


def test_deep_nesting_is_rejected_without_recursion_error() -> None:
    """Thousands of nested lists fail with RubricError, not RecursionError."""
    # Our own depth check, or (newer PyYAML) the parser's own nesting limit: either way
    # a RubricError with a location, never a RecursionError.
    for text in ("x: " + "[" * 5000 + "]" * 5000 + "\n", "x: " + "[" * 100_000):
        msg = problems(text)[0].message
        assert "deeper" in msg or "nesting depth" in msg


def test_too_many_values_and_too_large_text_are_rejected() -> None:
    """Huge documents stop early with a clear problem."""
    assert "too large" in problems("x: [" + "1," * 250_000 + "]\n")[0].message
    assert "too large" in problems(b"#" * 5_000_001)[0].message


def test_dump_quotes_strings_that_look_like_other_types() -> None:
    """Ids such as no/on and labels such as 1e3 are written quoted and load back equal."""
    from readiness_model import OrdinalScale

    r = Rubric(
        "demo",
        dimensions=[
            Dimension(
                "on",
                indicators=[
                    Indicator("no", scale=OrdinalScale(levels=("1e3", "yes", "0o17", "~"))),
                    Indicator("null", weight=1e-9),
                    Indicator("x", weight=0.1 + 0.2),
                ],
            )
        ],
        version="2016.10",
        title={"en": "Survey", "th": "การสำรวจ"},
    )
    text = dump_rubric(r)
    for s in ("'no'", "'on'", "'1e3'", "'yes'", "'0o17'", "'~'", "'null'", "'2016.10'"):
        assert s in text
    assert "การสำรวจ" in text
    assert rubric_from_yaml(text) == r


def test_load_rubric_reads_files_and_shipped_names(tmp_path: Path) -> None:
    """A path loads the file (errors name it); a bare name loads a shipped rubric."""
    f = tmp_path / "r.yaml"
    f.write_text(GOOD, encoding="utf-8")
    assert load_rubric(f) == rubric_from_yaml(GOOD)
    f.write_text(GOOD.replace("weight: 1\n    ind", "weight: x\n    ind"), encoding="utf-8")
    with pytest.raises(RubricError) as info:
        load_rubric(str(f))
    assert info.value.problems[0].location.file == str(f)  # type: ignore[union-attr]
    if "thai-dg-readiness-2016" in rm.shipped_rubrics():
        assert load_rubric("thai-dg-readiness-2016").id == "thai-dg-readiness-2016"


def test_unknown_rubric_name_lists_shipped_names_with_a_hint() -> None:
    """An unknown name lists the shipped rubrics and suggests the closest."""
    names = rm.shipped_rubrics()
    if not names:
        pytest.skip("no shipped rubrics in this tree yet")
    with pytest.raises(RubricError, match="shipped") as info:
        load_rubric(names[0][:-1] + "x")
    assert "did you mean" in info.value.problems[0].hint


def test_missing_file_is_a_rubric_error(tmp_path: Path) -> None:
    """A path that does not exist raises RubricError naming it."""
    with pytest.raises(RubricError, match="no such file"):
        load_rubric(tmp_path / "nope.yaml")


def test_a_dump_is_kept_for_its_rubric_and_equals_a_fresh_one() -> None:
    from readiness_model.io import rubric_yaml

    r = rm.load_rubric("thai-dg-readiness-2016")
    first = rm.dump_rubric(r)
    assert rubric_yaml._DUMPED[id(r)][1] is first
    assert rm.dump_rubric(r) is first
    rubric_yaml._DUMPED.clear()
    assert rm.dump_rubric(r) == first
    other = attrs.evolve(r, version="other")
    assert "version: other" in rm.dump_rubric(other)
    key = id(other)
    del other
    gc.collect()
    assert key not in rubric_yaml._DUMPED  # an entry lives as long as its rubric
