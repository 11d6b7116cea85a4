"""`extends` stays inside the root folder (the folder of the rubric file asked for), and
every problem of the rubric loader carries a specific fix hint.

- A relative ``extends`` must lead (``..`` and symbolic links resolved) into the folder of
  the first file of the chain: anything else is a located error raised *before* the file is
  opened, so nothing of it is read or echoed (a file outside could be a password file).
- Where a mapping or a list is expected, the hint shows its shape (``defaults:`` then an
  indented ``key: value``), not "quote it", which is right only where text is expected.
"""

from __future__ import annotations

import builtins
import io
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.errors import Problem
from readiness_model.io.rubric_family import load_family, read_family
from readiness_model.io.rubric_hints import GENERIC_HINT

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "rubric-corpus"

BODY = """\
dimensions:
  - id: access
    indicators:
      - {id: portal, scale: {type: binary}}
"""
BASE = "rubric: base\n" + BODY
SECRET = 'rubric: t\naws_secret: "AKIA-SECRET-VALUE\n'


def problems_of(path: Path | str) -> list[Problem]:
    with pytest.raises(rm.RubricError) as info:
        load_family(path)
    return list(info.value.problems)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """``secret/conf.yaml`` (a rubric key, then an unclosed quote: a syntax error whose
    excerpt would show the secret) beside ``sub/``, the folder of the rubrics loaded."""
    write(tmp_path / "secret" / "conf.yaml", SECRET)
    (tmp_path / "sub").mkdir()
    return tmp_path


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path opened while the test runs (``open``, ``io.open``, ``os.open`` and the
    ``Path`` readers all go through these)."""
    seen: list[str] = []
    real_open, real_os_open = builtins.open, os.open

    def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str | bytes | os.PathLike):
            seen.append(os.path.realpath(os.fsdecode(file)))
        return real_open(file, *args, **kwargs)

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(os.path.realpath(os.fsdecode(path)))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    monkeypatch.setattr(os, "open", spy_os_open)
    return seen


def refused(p: Problem, ref: str, file: str, line: int = 1) -> None:
    """``p`` is the refusal of ``extends: ref``, located at that ``extends`` in ``file``,
    with a hint, and quoting nothing of the file it names."""
    assert p.path == "$.extends"
    assert p.message.startswith(f"'extends: {ref}' leads")
    assert "outside" in p.message
    assert "the folder of the rubric being loaded" in p.message
    assert p.location is not None
    assert (Path(p.location.file).name, p.location.line) == (file, line)
    assert "move the base rubric into that folder" in p.hint
    assert "extend a shipped rubric by its name" in p.hint
    assert p.excerpt == ""
    assert "AKIA" not in str(p)


# -- traversal is refused -------------------------------------------------------------------
def test_dot_dot_out_of_the_folder_is_refused_before_reading(
    layout: Path, opened: list[str]
) -> None:
    child = write(layout / "sub" / "y.yaml", "extends: ../secret/conf.yaml\nrubric: y\n" + BODY)
    problems = problems_of(child)
    assert os.path.realpath(layout / "secret" / "conf.yaml") not in opened
    assert os.path.realpath(child) in opened  # the spy does see what is read
    (p,) = problems
    refused(p, "../secret/conf.yaml", "y.yaml")
    assert repr(str(layout / "sub")) in p.message  # names the root folder precisely


def test_the_cli_prints_no_line_of_the_file_outside(
    layout: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reported case: `validate sub/y.yaml` printed `2 | aws_secret: "AKIA-...`."""
    write(layout / "sub" / "y.yaml", "extends: ../secret/conf.yaml\nrubric: y\n" + BODY)
    monkeypatch.chdir(layout)
    assert main(["validate", "sub/y.yaml"]) == 1
    out = capsys.readouterr()
    assert "AKIA" not in out.out + out.err
    assert "aws_secret" not in out.out + out.err
    assert "sub/y.yaml:1:10: 'extends: ../secret/conf.yaml' leads outside" in out.out


@pytest.mark.parametrize(
    "ref", ["../../../../../../etc/shadow", "../../../../../../etc/passwd", "./../y.yaml"]
)
def test_any_path_up_and_out_is_refused(layout: Path, opened: list[str], ref: str) -> None:
    child = write(layout / "sub" / "z.yaml", f"rubric: z\nextends: {ref}\n" + BODY)
    (p,) = problems_of(child)
    refused(p, ref, "z.yaml", line=2)
    assert "this is not a rubric" not in p.message  # the target was never parsed
    assert not any(o.startswith(("/etc/", str(layout / "y.yaml"))) for o in opened)


def test_the_answer_does_not_tell_whether_the_file_outside_exists(layout: Path) -> None:
    there = write(layout / "sub" / "a.yaml", "extends: ../secret/conf.yaml\nrubric: a\n" + BODY)
    nowhere = write(layout / "sub" / "b.yaml", "extends: ../secret/none.yaml\nrubric: a\n" + BODY)
    (p,) = problems_of(there)
    (q,) = problems_of(nowhere)
    assert p.message.replace("conf", "none") == q.message
    assert p.hint == q.hint


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_in_the_folder_that_leads_out_is_refused(
    layout: Path, opened: list[str]
) -> None:
    try:
        os.symlink(layout / "secret" / "conf.yaml", layout / "sub" / "base.yaml")
        os.symlink(layout / "secret", layout / "sub" / "bases")
    except OSError:  # pragma: no cover - e.g. Windows without the privilege
        pytest.skip("cannot create symbolic links here")
    for ref in ("base.yaml", "bases/conf.yaml"):
        child = write(layout / "sub" / "c.yaml", f"extends: {ref}\nrubric: c\n" + BODY)
        problems = problems_of(child)
        assert os.path.realpath(layout / "secret" / "conf.yaml") not in opened
        (p,) = problems
        refused(p, ref, "c.yaml")
        assert "through a symbolic link" in p.message


def test_a_base_in_the_chain_cannot_lead_out_either(layout: Path, opened: list[str]) -> None:
    """The root is the folder of the file asked for: a base below it that climbs out
    (even out of its own folder only, back to the root's parent) is refused in the base."""
    write(layout / "sub" / "bases" / "mid.yaml", "extends: ../../secret/conf.yaml\nrubric: m\n")
    leaf = write(layout / "sub" / "leaf.yaml", "extends: bases/mid.yaml\nrubric: leaf\n")
    problems = problems_of(leaf)
    assert os.path.realpath(layout / "secret" / "conf.yaml") not in opened
    refused(problems[0], "../../secret/conf.yaml", "mid.yaml")
    assert problems[1].message.startswith("the rubric this one extends (bases/mid.yaml) is invalid")
    assert problems[1].hint


def test_loading_the_base_itself_moves_the_root(layout: Path) -> None:
    """The same base is fine when it is the file asked for and its parent lies below it;
    the root is always the folder of the first file of the chain."""
    write(layout / "sub" / "bases" / "inner" / "base.yaml", BASE)
    mid = write(layout / "sub" / "bases" / "mid.yaml", "extends: inner/base.yaml\nrubric: m\n")
    assert load_family(mid).rubric.id == "m"
    write(layout / "sub" / "bases" / "up.yaml", "extends: ../base.yaml\nrubric: u\n")
    write(layout / "sub" / "base.yaml", BASE)
    (p,) = problems_of(layout / "sub" / "bases" / "up.yaml")  # base.yaml is above bases/
    refused(p, "../base.yaml", "up.yaml")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_outside_is_never_opened(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: a watcher plays the writer
    the moment anyone opens it, so a read would be seen (and would not hang the test). The
    refusal is the same as for any file outside, not "does not exist"."""
    os.mkfifo(tmp_path / "pipe.yaml")
    child = write(tmp_path / "sub" / "f.yaml", "extends: ../pipe.yaml\nrubric: f\n" + BODY)
    done = threading.Event()
    was_opened: list[bool] = []

    def watch() -> None:
        while not done.is_set():
            try:
                fd = os.open(tmp_path / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody reads it
                time.sleep(0.005)
                continue
            was_opened.append(True)
            os.write(fd, SECRET.encode())
            os.close(fd)
            return

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        (p,) = problems_of(child)
    finally:
        done.set()
        watcher.join(5)
    assert was_opened == []
    refused(p, "../pipe.yaml", "f.yaml")


def test_text_without_a_file_and_absolute_paths_are_still_refused(tmp_path: Path) -> None:
    with pytest.raises(rm.RubricError) as info:
        rm.rubric_from_yaml("rubric: c\nextends: base.yaml\n" + BODY)
    assert "given as text" in info.value.problems[0].message
    child = write(tmp_path / "a.yaml", f"extends: {tmp_path / 'base.yaml'}\nrubric: a\n")
    (p,) = problems_of(child)
    assert "not an absolute path" in p.message
    assert "folder of the rubric you load" in p.hint


# -- what stays allowed ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("where", "ref"),
    [
        ("base.yaml", "base.yaml"),
        ("base.yaml", "./base.yaml"),
        ("bases/base.yaml", "bases/base.yaml"),
        ("bases/base.yaml", "other/../bases/base.yaml"),
        ("a/b/base.yaml", "a/b/base.yaml"),
    ],
)
def test_a_base_in_the_folder_or_below_still_works(tmp_path: Path, where: str, ref: str) -> None:
    write(tmp_path / where, BASE)
    (tmp_path / "other").mkdir()
    child = write(tmp_path / "child.yaml", f"extends: {ref}\nrubric: child\n")
    loaded = load_family(child)
    assert loaded.rubric.id == "child"
    assert [i for i, _, _ in loaded.rubric.lineage] == ["base"]
    assert rm.load_rubric(child).id == "child"
    text = child.read_text(encoding="utf-8")
    assert rm.rubric_from_yaml(text, str(child)).id == "child"


def test_a_chain_may_use_dot_dot_while_it_stays_inside(tmp_path: Path) -> None:
    write(tmp_path / "common.yaml", BASE)
    write(tmp_path / "bases" / "mid.yaml", "extends: ../common.yaml\nrubric: mid\n")
    leaf = write(tmp_path / "leaf.yaml", "extends: bases/mid.yaml\nrubric: leaf\n")
    loaded = load_family(leaf)
    assert [i for i, _, _ in loaded.rubric.lineage] == ["base", "mid"]
    assert [Path(f).name for f in loaded.files] == ["common.yaml", "mid.yaml", "leaf.yaml"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symbolic_link_that_stays_inside_works(tmp_path: Path) -> None:
    write(tmp_path / "bases" / "base.yaml", BASE)
    try:
        os.symlink(tmp_path / "bases" / "base.yaml", tmp_path / "link.yaml")
    except OSError:  # pragma: no cover
        pytest.skip("cannot create symbolic links here")
    child = write(tmp_path / "child.yaml", "extends: link.yaml\nrubric: child\n")
    assert load_family(child).rubric.id == "child"


def test_shipped_rubrics_and_a_file_extending_one_still_load(tmp_path: Path) -> None:
    assert load_family("un-egdi-2022").rubric.lineage[0][0] == "un-egdi"
    mid = write(tmp_path / "mid.yaml", "extends: un-egdi-2022\nrubric: mid\n")
    loaded = read_family("extends: mid.yaml\nrubric: leaf\n", str(tmp_path / "leaf.yaml"))
    assert [i for i, _, _ in loaded.rubric.lineage] == ["un-egdi", "un-egdi-2022", "mid"]
    assert load_family(mid).rubric.id == "mid"


# -- hints ----------------------------------------------------------------------------------
RUBRIC = """\
rubric: demo
dimensions:
  - id: access
    indicators:
      - {id: portal, scale: {type: binary}}
      - {id: plan, scale: {type: ordinal, levels: [none, draft, done]}}
bands:
  - {id: high, min: 50}
  - {id: low}
"""


def problems_in(text: str) -> list[Problem]:
    with pytest.raises(rm.RubricError) as info:
        rm.rubric_from_yaml(text, "r.yaml")
    return list(info.value.problems)


def only(text: str) -> Problem:
    (p,) = problems_in(text)
    return p


@pytest.mark.parametrize("written", ["7", "'7'", "[a]", "yes"])
def test_a_mapping_expected_shows_its_shape_not_quote_it(written: str) -> None:
    p = only(RUBRIC + f"defaults: {written}\n")
    assert p.message.startswith("'defaults' must be a mapping")
    assert "quote" not in p.hint
    assert "'defaults:' and below it one indented 'key: value' line" in p.hint
    assert "'  missing: zero'" in p.hint
    assert "defaults: {missing: zero}" in p.hint


def test_answers_that_are_not_a_mapping_show_the_mapping_of_answers() -> None:
    text = RUBRIC + "examples:\n  - agency: a\n    answers: 3\n    expect: {overall: 1}\n"
    p = only(text)
    assert p.message == "'answers' must be a mapping (got 3)"
    assert "quote" not in p.hint
    assert "'answers:' then '  portal: yes'" in p.hint


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("bands: 3", "'bands:' and below it one indented '- ' line per item"),
        ("trend: x", "'trend:' and below it one indented '- ' line per item"),
        ("groups: [{id: g, bands: 3, trend: []}]", "a list of ids: bands: [ready, developing]"),
    ],
)
def test_a_list_expected_shows_its_shape(text: str, shape: str) -> None:
    body = RUBRIC if not text.startswith("bands") else RUBRIC.split("bands:")[0]
    ps = [p for p in problems_in(body + text + "\n") if "must be a list" in p.message]
    assert ps
    assert shape in ps[0].hint
    assert "quote" not in ps[0].hint


def test_quote_it_stays_where_text_is_expected() -> None:
    p = only(RUBRIC + "source: 2016\n")
    assert p.hint == "YAML reads 2016 as a number; quote it: '2016'"


@pytest.mark.parametrize(
    ("change", "message", "hint"),
    [
        (
            ("levels: [none, draft, done]", "levels: [a, a]"),
            "duplicate level 'a'",
            "every level must be unique: rename or remove this one ('a')",
        ),
        (
            ("min: 50", "min: x"),
            "'min' must be a finite number (got 'x')",
            "write a number, e.g. min: 60",
        ),
        (
            ("min: 50", "min: '50'"),
            "'min' must be a finite number (got '50')",
            "write the number without quotes: min: 50",
        ),
        (
            ("rubric: demo", "rubric: demo\nversion: [1, 2]"),
            "'version' must be text or a number (got a list)",
            "write one version as text, e.g. version: '2024.1' (quotes keep trailing zeros)",
        ),
        (
            ("{id: portal,", "{id: portal, weight: -1,"),
            "'weight' must be a finite number >= 0 (got -1)",
            "write a number of 0 or more, e.g. weight: 1",
        ),
        (
            ("{id: portal,", "{id: 1portal,"),
            "'id' must be an identifier of a letter or '_' followed by letters, digits, '_', "
            "'-' or '.' (got '1portal')",
            "start it with a letter or '_', then letters, digits, '_', '-' or '.', "
            "e.g. id: _1portal",
        ),
        (
            ("rubric: demo", "rubric: Demo Rubric"),
            "'rubric' must be an identifier of lowercase letters, digits and '-' "
            "(got 'Demo Rubric')",
            "use lowercase letters, digits and '-' only, e.g. rubric: demo-rubric",
        ),
    ],
)
def test_problems_that_had_no_hint_get_a_specific_one(
    change: tuple[str, str], message: str, hint: str
) -> None:
    ps = [p for p in problems_in(RUBRIC.replace(*change)) if p.message == message]
    assert [p.hint for p in ps] == [hint]


# A spread of broken rubrics: every problem the loader reports for them must carry a hint
# that a rule wrote for it (not the catch-all).
BROKEN = [
    "defaults: 7",
    "defaults: {missing: skip}",
    "defaults: {aggregate: 3}",
    "defaults: {aggregate: {method: power, p: x}}",
    "defaults: {aggregate: {power: 2, p: 3}}",
    "population: 3",
    "population: {kind: [[a]]}",
    "not_assessed: 3",
    "ranking: 3",
    "rounding: x",
    "rounding: {decimals: 2, x: 1}",
    "scale: 3",
    "scale: [100, 0]",
    "title: [a]",
    "title: {}",
    "description: 3",
    "version: [1]",
    "version: {a: 1}",
    "trend: x",
    "trend: [{id: up, min: 5, max: 1}]",
    "groups: 1",
    "groups: [{id: g, bands: 3, trend: [zz]}]",
    "examples: 3",
    "examples: [3]",
    "examples: [{agency: a, answers: 3, expect: {overall: 1}}]",
    "examples: [{agency: a, answers: {portal: {x: 1}}, expect: {overall: 1}}]",
    "examples: [{agency: a, answers: {portal: .inf}, expect: {overall: 1}}]",
    "examples: [{agency: a, answers: {zzz: yes}, expect: {band: nope, dimensions: {qq: 1}}}]",
    "examples: [{agency: a, answers: {portal: yes}}]",
    "examples: [{agency: a, answers: {portal: yes}, expect: 3}]",
    "examples: [{agency: a, answers: {portal: yes}, expect: {overall: 1}, tol: -1}]",
    "abstract: maybe",
    "remove: [portal]",
    "extends: 3",
    "extends: no-such-rubric",
    "extends: https://example.org/x.yaml",
    "zz_unknown: 1",
]
NODE_CHANGES = [
    ("{id: portal,", "{id: 1portal,"),
    ("{id: portal,", "{id: true,"),
    ("{id: portal,", "{id: portal, weight: heavy,"),
    ("{id: portal,", "{id: portal, weight: .inf,"),
    ("{id: portal,", "{id: portal, effort: huge,"),
    ("{id: portal,", "{id: portal, effort: 0,"),
    ("{id: portal,", "{id: portal, references: 3,"),
    ("{id: portal,", "{id: portal, direction: up,"),
    ("{id: portal,", "{id: portal, unit: 3,"),
    ("{id: portal,", "{id: portal, title: [x],"),
    ("{id: portal,", "{id: overall,"),
    ("{id: portal,", "{id: plan,"),
    ("{id: portal,", "{id: portal, normalize: logistic,"),
    ("{id: portal,", "{id: portal, normalize: {method: target},"),
    ("scale: {type: binary}", "scale: 3"),
    ("scale: {type: binary}", "scale: {type: binarry}"),
    ("scale: {type: binary}", "scale: {levels: [a, b]}"),
    ("scale: {type: binary}", "scale: {type: numeric, goalposts: [1, 2, 3]}"),
    ("scale: {type: binary}", "scale: {type: numeric, goalposts: [5, 1]}"),
    ("scale: {type: binary}", "scale: {type: numeric}"),
    ("scale: {type: binary}", "scale: {type: numeric, goalposts: [0, 1], clamp: 0}"),
    ("scale: {type: binary}", "scale: {type: checklist, items: []}"),
    ("scale: {type: binary}", "scale: {type: checklist, items: [a, a|b, none]}"),
    ("scale: {type: binary}", "scale: {type: choice, options: [a, b]}"),
    ("scale: {type: binary}", "scale: {type: choice, options: [a, b], values: [0]}"),
    ("scale: {type: binary}", "scale: {type: choice, options: [a], values: [0]}"),
    ("levels: [none, draft, done]", "levels: [a, a]"),
    ("levels: [none, draft, done]", "levels: [a]"),
    ("levels: [none, draft, done]", "levels: a"),
    ("levels: [none, draft, done]", "levels: [a, true, ~, ' b']"),
    ("levels: [none, draft, done]", "levels: [a, b], values: [0, 2]"),
    ("levels: [none, draft, done]", "levels: [a, b], values: [1, 0]"),
    ("levels: [none, draft, done]", "levels: [a, b], values: [0]"),
    ("  - id: access\n", "  - id: access\n    weight: -1\n    min_coverage: 2\n"),
    ("  - id: access\n", "  - id: access\n    aggregate: median\n"),
    ("  - id: access\n", "  - id: access\n    dimensions: [{id: sub, indicators: [{id: s}]}]\n"),
    ("{id: high, min: 50}", "{id: high, min: x}"),
    ("{id: high, min: 50}", "{id: high, min: 500}"),
    ("{id: high, min: 50}", "{id: high, dimensions: {nope: 5}}"),
    ("{id: high, min: 50}", "{id: high, dimensions: {access: {max: 5}}}"),
    ("{id: high, min: 50}", "{id: high, dimensions: {1st: 5}}"),
    ("{id: high, min: 50}", "{id: high, dimensions: 3}"),
    ("{id: high, min: 50}", "{id: high, all_dimensions: {min: 1, max: 2}}"),
    ("{id: high, min: 50}", "{id: low}"),
    ("- {id: low}", "- {id: low, min: 60}"),
    ("- {id: low}", "- 3"),
    ("bands:\n", "bands: 3\nzz:\n"),
    ("rubric: demo\n", ""),
    ("rubric: demo", "rubric: Demo"),
    ("dimensions:\n  - id: access", "dimensions: []\nx:\n  - id: access"),
    ("dimensions:\n  - id: access", "dimensions: 3\nx:\n  - id: access"),
    ("    indicators:\n", "    indicators: []\n    x:\n"),
]


def _broken() -> Iterator[tuple[str, str]]:
    for extra in BROKEN:
        yield extra, RUBRIC + extra + "\n"
    for old, new in NODE_CHANGES:
        assert old in RUBRIC, old
        yield f"{old} -> {new}", RUBRIC.replace(old, new, 1)
    yield "syntax: tab", RUBRIC.replace("  - id: access", "\t- id: access")
    yield "syntax: colon", RUBRIC + "title: a: b\n"
    yield "syntax: quote", RUBRIC + "title: 'a\n"
    yield "syntax: flow", RUBRIC + "title: {en: a\n"
    yield "syntax: other", RUBRIC + "title: @x\n"
    yield "duplicate key", RUBRIC + "rubric: again\n"
    yield "tag", RUBRIC + "title: !!python/name:os.system x\n"
    yield "tag on a list", RUBRIC + "groups: !!set [a]\n"
    yield "key not text", RUBRIC + "3: x\n"
    yield "key a list", RUBRIC + "? [a]\n: x\n"
    yield "merge", RUBRIC + "title:\n  <<: 3\n"
    yield "two documents", RUBRIC + "---\nrubric: b\n"
    yield "not a mapping", "- a\n- b\n"
    yield "empty", ""
    yield "control character", RUBRIC + "title: a\x07b\n"
    yield "alias loop", "a: &x [*x]\n"


def test_every_problem_of_the_loader_has_a_specific_hint(tmp_path: Path) -> None:
    seen = 0
    for name, text in _broken():
        try:
            rm.rubric_from_yaml(text, "r.yaml")
        except rm.RubricError as err:
            for p in err.problems:
                seen += 1
                assert p.hint, f"{name}: no hint for {p}"
                assert p.hint != GENERIC_HINT, f"{name}: only the catch-all hint for {p}"
        else:  # pragma: no cover - the list must hold broken rubrics only
            pytest.fail(f"{name}: loaded without a problem")
    assert seen > 100


def test_every_problem_of_the_rubric_corpus_has_a_specific_hint() -> None:
    files = sorted((CORPUS / "invalid").glob("*.yaml")) + sorted(
        (CORPUS / "semantic").glob("*.yaml")
    )
    assert len(files) > 80
    for f in files:
        for p in problems_of(f):
            assert p.hint not in ("", GENERIC_HINT), f"{f.name}: {p}"


def test_families_and_files_get_hints_too(tmp_path: Path) -> None:
    write(tmp_path / "base.yaml", BASE)
    cases = {
        "remove: 3": "extends: base.yaml\nrubric: c\nremove: 3\n",
        "remove a mapping": "extends: base.yaml\nrubric: c\nremove: [{a: 1}]\n",
        "remove twice": "extends: base.yaml\nrubric: c\nremove: [portal, portal]\n",
        "remove unknown": "extends: base.yaml\nrubric: c\nremove: [zzzzzz]\n",
        "no id": "extends: base.yaml\nversion: '2'\n",
        "moved": "extends: base.yaml\nrubric: c\ndimensions: [{id: portal, indicators: []}]\n",
        "restated twice": "extends: base.yaml\nrubric: c\ndimensions: [{id: access}, {id: access}]",
        "broken base": "extends: bad.yaml\nrubric: c\n",
        "missing base": "extends: nothere.yaml\nrubric: c\n",
        "cycle": "extends: c.yaml\nrubric: c\n",
    }
    write(tmp_path / "bad.yaml", BASE.replace("binary", "binarry"))
    for name, text in cases.items():
        for p in problems_of(write(tmp_path / "c.yaml", text)):
            assert p.hint not in ("", GENERIC_HINT), f"{name}: {p}"
    for missing in (tmp_path / "nothere.yaml", tmp_path, "no-such-shipped-rubric"):
        for p in problems_of(missing):
            assert p.hint not in ("", GENERIC_HINT), f"{missing}: {p}"
