"""YAML syntax mistakes in the author's words: the exact text `validate` prints.

Each usual mistake (a tab, an unquoted colon in a value, a mis-indented line, an unclosed
quote or bracket, a duplicate key) is reported at its file:line:column, with what to do,
the offending line and a caret under the spot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_model.cli import main
from readiness_model.io.yaml_hints import excerpt, quoted, syntax_problem

HEAD = "rubric: demo\ndimensions:\n  - id: policy\n"


def validate(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], mp: pytest.MonkeyPatch
) -> str:
    mp.chdir(tmp_path)
    Path("r.yaml").write_text(text, encoding="utf-8")
    assert main(["validate", "r.yaml"]) == 1
    out: str = capsys.readouterr().out
    return out


CASES = {
    # the three mistakes of the issue
    "a leading tab": (
        HEAD + "    indicators:\n\t  - id: dg_plan\n",
        "r.yaml:5:1: invalid YAML: a tab indents this line; YAML indents with spaces only "
        "(replace the tab with spaces) @ $\n"
        "  5 | →  - id: dg_plan\n"
        "    | ^\n",
    ),
    "a mis-indented line": (
        HEAD + "    indicators:\n      - id: dg_plan\n        title: Plan\n       weight: 2\n",
        "r.yaml:7:8: invalid YAML: mis-indented line: 'weight' starts at column 8, but "
        "'title' (line 6) starts at column 9 (indent it to column 9 to make it a key beside "
        "'title') @ $\n"
        "  7 |        weight: 2\n"
        "    |        ^\n",
    ),
    "an unquoted Thai title with a colon": (
        HEAD + "    title: นโยบาย: แผนงานดิจิทัล\n    indicators:\n      - id: dg_plan\n",
        "r.yaml:4:18: invalid YAML: the value of 'title' holds ': ', which YAML reads as a new "
        'key (write the value in quotes: title: "นโยบาย: แผนงานดิจิทัล") @ $\n'
        "  4 |     title: นโยบาย: แผนงานดิจิทัล\n"
        "    |                  ^\n",
    ),
    # and the others
    "a colon inside a flow mapping": (
        HEAD + "    title: {en: Policy, th: นโยบาย: แผน}\n    indicators: [{id: q}]\n",
        "r.yaml:4:35: invalid YAML: the value of 'th' holds ': ', which YAML reads as a new "
        'key (write the value in quotes: title: {en: Policy, th: "นโยบาย: แผน"}) @ $\n'
        "  4 |     title: {en: Policy, th: นโยบาย: แผน}\n"
        "    | " + " " * 34 + "^\n",
    ),
    "a key indented deeper than its sibling": (
        HEAD + "    weight: 1\n     indicators:\n      - id: q\n",
        "r.yaml:5:6: invalid YAML: mis-indented line: 'indicators' starts at column 6, but "
        "'weight' (line 4) starts at column 5 (indent it to column 5 to make it a key beside "
        "'weight') @ $\n"
        "  5 |      indicators:\n"
        "    |      ^\n",
    ),
    "a mis-indented list item": (
        HEAD + "    indicators:\n      - id: q\n     - id: r\n",
        "r.yaml:6:6: invalid YAML: mis-indented list item: '- id: r' starts at column 6, but "
        "the item above it ('- id: q', line 5) starts at column 7 (indent it to column 7 to "
        "make it another item of that list) @ $\n"
        "  6 |      - id: r\n"
        "    |      ^\n",
    ),
    "an unclosed double quote": (
        'rubric: demo\ntitle: "Digital plan\ndimensions: [{id: d, indicators: [{id: q}]}]\n',
        'r.yaml:2:8: invalid YAML: the " that starts a quoted value here is never closed '
        '(end the value with " on the same line) @ $\n'
        '  2 | title: "Digital plan\n'
        "    |        ^\n",
    ),
    "an apostrophe inside single quotes": (
        "rubric: demo\ntitle: 'Director's plan'\ndimensions: [{id: d, indicators: [{id: q}]}]\n",
        "r.yaml:2:18: invalid YAML: text after the closing ' of a quoted value (inside single "
        "quotes an apostrophe is written twice (''); or write: title: \"Director's plan\") @ $\n"
        "  2 | title: 'Director's plan'\n"
        "    |                  ^\n",
    ),
    "an unclosed bracket": (
        "rubric: demo\nscale: [0, 100\ndimensions: [{id: d, indicators: [{id: q}]}]\n",
        "r.yaml:2:8: invalid YAML: the '[' that starts here is never closed (end the list "
        "with ']') @ $\n"
        "  2 | scale: [0, 100\n"
        "    |        ^\n",
    ),
    "an unclosed brace": (
        HEAD + "    indicators:\n      - {id: q, scale: {type: binary}\n      - {id: r}\n",
        "r.yaml:5:9: invalid YAML: the '{' that starts here is never closed (end the mapping "
        "with '}') @ $\n"
        "  5 |       - {id: q, scale: {type: binary}\n"
        "    |         ^\n",
    ),
    "a duplicate key": (
        HEAD + "    weight: 1\n    indicators: [{id: q}]\n    weight: 2\n",
        "r.yaml:6:5: duplicate key 'weight' (first at line 4) (each key may appear once in a "
        "mapping; keep one) @ $.dimensions[0].weight\n"
        "  6 |     weight: 2\n"
        "    |     ^\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_prints_the_mistake_in_the_authors_words(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, expected = CASES[name]
    assert validate(tmp_path, text, capsys, monkeypatch) == expected


def test_other_syntax_errors_keep_the_parsers_words_with_the_line_and_caret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = validate(tmp_path, 'rubric: demo\ntitle: "x" y\n', capsys, monkeypatch)
    assert out.startswith("r.yaml:2:")
    assert out.endswith('  2 | title: "x" y\n    |            ^\n')


def test_the_caret_sits_under_the_spot_in_display_columns() -> None:
    """Thai combining marks take no column; wide characters take two; a tab shows as →."""
    assert excerpt("ชื่อ: ค่า\n", 1, 5) == "  1 | ชื่อ: ค่า\n    |   ^"
    assert excerpt("日本: x\n", 1, 3) == "  1 | 日本: x\n    |     ^"
    assert excerpt("\tx\n", 1, 1) == "  1 | →x\n    | ^"
    assert excerpt("x\n", 5, 1) == ""


def test_a_long_line_is_cut_around_the_caret() -> None:
    line = "title: " + "a" * 300 + ": b"
    shown = excerpt(line, 1, 308)
    first, caret = shown.splitlines()
    assert len(first) < 120
    assert first[caret.index("^")] == ":"


def test_quoted_values_read_back_as_the_text() -> None:
    for value in ("นโยบาย: แผนงาน", 'say "hi": now', "it's: ok", "back\\slash: x"):
        assert yaml.safe_load(f"k: {quoted(value)}") == {"k": value}


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \t\n:-#'\"[]{},abc", max_size=80))
def test_any_broken_text_gives_one_located_problem_never_an_exception(text: str) -> None:
    """Whatever the text, a syntax error becomes one located problem (the hints never
    raise, and the location lies inside the text)."""
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as err:
        p = syntax_problem("r.yaml", text, err)
        assert p.location is not None
        assert p.location.line is not None
        assert 1 <= p.location.line <= max(1, text.count("\n") + 1)
        assert p.message.startswith("invalid YAML")
