"""Results files under hostile input (issue 12 items 2, 8, 11, 12): strict readers that
name the path of every problem, no file chosen by the data, formula cells neutralised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.cli import main


def scored(agencies: tuple[str, ...] = ("x", "y")) -> rm.Results:
    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension("d", indicators=[rm.Indicator("a", weight=3), rm.Indicator("b")]),
            rm.Dimension("e", indicators=[rm.Indicator("c")]),
        ],
        bands=[rm.Band("high", range=rm.Range(min=50)), rm.Band("low")],
    )
    n = len(agencies)
    values = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 1]][:n], dtype=float)
    rs = rm.ResponseSet.from_array(values, list(agencies), r, period=2016)
    return rm.score(r, rs)


def json_problems(doc: Any) -> list[rm.Problem]:
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_json(json.dumps(doc) if not isinstance(doc, str) else doc)
    return list(info.value.problems)


# -- item 2: ids that collide with detail columns -------------------------------------------
@pytest.mark.parametrize("ident", ["exact.d", "coverage.d", "score.q", "answer.q", "overall.exact"])
def test_ids_with_results_column_prefixes_are_rejected(ident: str) -> None:
    """A dimension 'exact.d' scoring 0 read back as 33.33: such ids are reserved."""
    with pytest.raises(rm.RubricError, match="is reserved"):
        rm.Rubric("t", dimensions=[rm.Dimension(ident, indicators=[rm.Indicator("q")])])
    with pytest.raises(rm.RubricError, match="is reserved"):
        rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator(ident)])])


def test_results_csv_is_read_by_position_and_a_changed_header_is_located() -> None:
    """Columns are taken from where the rubric puts them; a swapped header is an error."""
    res = scored()
    text = res.to_csv()
    head, rest = text.split("\n", 1)
    cols = head.split(",")
    i, j = cols.index("exact.d"), cols.index("exact.e")
    cols[i], cols[j] = cols[j], cols[i]
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_csv(",".join(cols) + "\n" + rest, rubric=res.rubric)
    (p,) = info.value.problems
    assert f"column {i + 1} is 'exact.e', expected 'exact.d'" in p.message
    assert str(p.location) == f"<csv>:1:{i + 1}"


# -- item 8: Results.from_json validates everything -----------------------------------------
def test_from_json_reports_every_problem_with_its_path() -> None:
    """Short arrays, unknown node ids, bad labels, ['no'] as a boolean: all at once."""
    doc = json.loads(scored().to_json())
    doc["overall"] = doc["overall"][:1]
    doc["node_ids"] = ["d", "zzz"]
    doc["in_population"] = ["no", True]
    doc["band"] = ["high", "nope"]
    doc["rank"] = [1, 2.5]
    problems = json_problems(doc)
    paths = {p.path for p in problems}
    assert {"$.overall", "$.node_ids", "$.in_population", "$.rank"} <= paths, problems


@pytest.mark.parametrize(
    ("edit", "path"),
    [
        (lambda d: d.update(rank=[2**64, 1]), "$.rank"),
        (lambda d: d.update(overall=[1e308 * 10, 1.0]), "$.overall[0]"),
        (lambda d: d["node_scores"][1].pop(), "$.node_scores[1]"),
        (lambda d: d.update(extra=1), "$.extra"),
        (lambda d: d.pop("origin"), "$"),
        (lambda d: d.update(origin=["answers", "elsewhere"]), "$.origin[1]"),
        (lambda d: d.update(agencies=["x", 3]), "$.agencies[1]"),
        (lambda d: d["provenance"].update(rubric_sha256="0" * 64), "$.provenance"),
        (lambda d: d["responses"]["values"][0].__setitem__(0, 7), "$.responses"),
    ],
)
def test_from_json_rejects_a_bad_field_at_its_path(edit: Any, path: str) -> None:
    """Overflowing ranks, Infinity, short rows, unknown or missing fields, bad origins..."""
    doc = json.loads(scored().to_json())
    edit(doc)
    text = json.dumps(doc, allow_nan=True).replace("Infinity", "1e999")
    problems = json_problems(text)
    assert any(p.path == path for p in problems), problems


def test_from_json_refuses_deep_nesting_and_nan_with_a_location() -> None:
    """RecursionError and NaN used to escape or pass."""
    (p,) = json_problems('{"format": "readiness-model/results", "x": ' + "[" * 100_000 + "}")
    assert "nested more than 200 levels" in p.message
    doc = json.loads(scored().to_json())
    doc["overall"][0] = float("nan")
    problems = json_problems(json.dumps(doc, allow_nan=True))
    assert any(p.path == "$.overall[0]" and "NaN" in p.message for p in problems), problems


def test_from_json_refuses_a_repeated_key() -> None:
    """A key given twice keeps the last value in plain json.loads."""
    text = scored().to_json().replace('"format_version": 1,', '"format_version": 1, "band": [],')
    assert "appears twice" in json_problems(text)[0].message


# -- item 11: the data never chooses a file -------------------------------------------------
def test_from_csv_never_opens_a_path_named_in_the_file(tmp_path: Path) -> None:
    """rubric=/etc/passwd in the CSV used to be opened and its first line quoted."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    text = scored().to_csv().replace(",t,", f",{secret},")
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_csv(text)
    message = str(info.value)
    assert "not a shipped rubric" in message
    assert "rubric=" in message
    assert "root:x" not in message


def test_from_csv_with_a_rubric_name_too_long_for_a_file_name_is_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The long fuzz run: a 300-digit rubric name escaped as OSError (file name too long)
    from the shipped-rubric lookup; a file of a shipped rubric's name in the working
    folder is not read in its place."""
    text = scored().to_csv().replace(",t,", f",{'1' * 300},")
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_csv(text)
    assert "not a shipped rubric" in str(info.value)
    assert info.value.problems[0].location is not None
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rs = rm.ResponseSet.from_records([{"agency": "a", "period": 2016, "dg_plan": "yes"}], rubric)
    res = rm.score(rubric, rs)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "thai-dg-readiness-2016").write_text("not: a rubric\n", encoding="utf-8")
    assert rm.Results.from_csv(res.to_csv()) == res


def test_from_csv_without_rubric_uses_the_shipped_rubric_of_that_name() -> None:
    """A results file of a shipped rubric still reads back alone."""
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rs = rm.ResponseSet.from_records([{"agency": "a", "period": 2016, "dg_plan": "yes"}], rubric)
    res = rm.score(rubric, rs)
    assert rm.Results.from_csv(res.to_csv()) == res


def test_load_rubric_of_another_kind_of_file_does_not_quote_it(tmp_path: Path) -> None:
    """A password-like file is 'not a rubric'; its content never appears in the error."""
    for text in ("s3cret:x:0:0:s3cret:/s3cret:/bin/bash\nd:x:1:1\n", "s3cret:$6$hash:19000::\n"):
        p = tmp_path / "passwd"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(rm.RubricError) as info:
            rm.load_rubric(p)
        assert "s3cret" not in str(info.value)


# -- item 12: formula cells ---------------------------------------------------------------
def test_results_csv_neutralises_formula_cells_and_reads_them_back(tmp_path: Path) -> None:
    """=HYPERLINK(...) as an agency id is written '=HYPERLINK(...); read back exactly."""
    res = scored(('=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "'=x"))
    text = res.to_csv()
    rows = text.splitlines()
    assert rows[1].startswith("\"'=HYPERLINK")
    assert rows[2].startswith("'+cmd")
    assert rows[3].startswith("''=x")
    assert rm.Results.from_csv(text, rubric=res.rubric) == res
    raw = res.to_csv(safe=False)
    assert raw.splitlines()[2].startswith("+cmd")
    assert rm.Results.from_csv(raw, rubric=res.rubric) == res


def test_score_format_csv_neutralises_unless_csv_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI's CSV output is safe for spreadsheets by default."""
    rubric = tmp_path / "r.yaml"
    rubric.write_text(rm.dump_rubric(scored().rubric), encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text("agency,period,a,b,c\n@SUM(A1),2016,yes,no,yes\n", encoding="utf-8")
    assert main(["score", str(rubric), str(answers), "--format", "csv"]) == 0
    assert "\n'@SUM(A1)," in capsys.readouterr().out
    assert main(["score", str(rubric), str(answers), "--format", "csv", "--csv-raw"]) == 0
    assert "\n@SUM(A1)," in capsys.readouterr().out


# -- round trips ----------------------------------------------------------------------------
def test_round_trips_are_exact_and_equality_is_content() -> None:
    """to_json/to_csv read back equal (==, equals); a changed number is not equal."""
    res = scored()
    assert rm.Results.from_json(res.to_json()) == res
    assert rm.Results.from_csv(res.to_csv(), rubric=res.rubric).equals(res)
    assert res != rm.score(res.rubric, res.responses.select([1, 0]))  # type: ignore[union-attr]


def test_a_file_that_is_not_yaml_is_not_quoted_even_when_it_breaks_the_syntax(
    tmp_path: Path,
) -> None:
    """A YAML syntax error in a non-rubric file (no .yaml name, no rubric key) is reported
    without its line or any of its words (issue 12 item 11)."""
    for text in ("s3cret: hunter2: x\n", "s3cret:x:0:0\n\ts3cret - [\n", "a: 'hunter2\n"):
        p = tmp_path / "shadow"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(rm.RubricError) as info:
            rm.load_rubric(p)
        shown = str(info.value) + "".join(q.excerpt for q in info.value.problems)
        assert "s3cret" not in shown
        assert "hunter2" not in shown
        assert info.value.problems[0].location is not None
    good = tmp_path / "r.yaml"
    good.write_text("rubric: r\ntitle: a: b\n", encoding="utf-8")
    with pytest.raises(rm.RubricError) as info:
        rm.load_rubric(good)
    assert "title: a: b" in info.value.problems[0].excerpt  # a rubric's own lines are shown


def test_csv_written_in_blocks_of_rows_is_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows are formatted a block at a time (memory: the text and one block's cells);
    the text does not depend on the block size, and reads back exactly."""
    from readiness_model.results import csv_file

    rubric = rm.load_rubric("thai-dg-readiness-2016")
    demo = Path(__file__).parents[1] / "src" / "readiness_model" / "data"
    rs = rm.load_responses(demo / "demo-survey-2015-2016.csv", rubric)
    res = rm.score(rubric, rs)
    whole = res.to_csv()
    for rows in (1, 7, len(res) - 1):
        monkeypatch.setattr(csv_file, "BLOCK_ROWS", rows)
        assert res.to_csv() == whole
    assert rm.Results.from_csv(whole, rubric=rubric) == res


def test_results_json_of_equal_rubrics_written_differently_read_back() -> None:
    """Long fuzz run: two equal rubrics (an example answer 1 and 1.0: equal values, other
    text and content hash) shared one cached YAML text, so the results file of the second
    embedded the first's text and could not be read back ("the provenance's rubric hash
    is not the hash of the rubric")."""
    text = """rubric: t
dimensions:
- id: d
  indicators:
  - id: q
    scale: {type: numeric, goalposts: [0, 10]}
examples:
- {agency: x, answers: {q: %s}, expect: {overall: 100}}
"""
    a, b = rm.rubric_from_yaml(text % "1"), rm.rubric_from_yaml(text % "1.0")
    assert a == b
    assert a.content_hash != b.content_hash
    for r in (a, b):
        res = rm.score(r, rm.ResponseSet.from_array([[5.0]], ["x"], r))
        assert rm.Results.from_json(res.to_json()).equals(res)
        assert rm.rubric_from_yaml(rm.dump_rubric(r)).content_hash == r.content_hash


def test_results_without_rows_read_back_from_json_and_say_why_not_from_csv() -> None:
    """Round-trip hunt finding: ``to_csv`` of results without rows wrote a file that
    ``from_csv`` refused while telling the user to write it with ``to_csv``. A results
    CSV keeps its provenance on every row, so the error now says so and points to JSON,
    which reads such results back."""
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    res = rm.score(r, rm.ResponseSet.from_records([], r))
    back = rm.Results.from_json(res.to_json())
    assert len(back.agencies) == 0
    with pytest.raises(rm.ResponseError) as info:
        rm.Results.from_csv(res.to_csv(), rubric=r)
    problem = info.value.problems[0]
    assert "no rows" in problem.message
    assert "provenance" in problem.message
    assert "to_json" in problem.hint
