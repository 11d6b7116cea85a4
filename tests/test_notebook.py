"""Notebook display of every analysis result and the rubric (issue 16, item 1): a short
``repr``, a well-formed, escaped ``_repr_html_`` under 50 KB on the demo survey, and tidy
records that a DataFrame gives back."""

from __future__ import annotations

import contextlib
import html.parser
import io
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import readiness_model as rm
from readiness_model._tabular import Tabular
from readiness_model.cli.cmd_score import demo_survey_path

EVIL = "<script>alert(1)</script> & co"


@pytest.fixture(scope="module")
def demo() -> rm.Results:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    return rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))


@pytest.fixture(scope="module")
def objects(demo: rm.Results) -> dict[str, Tabular]:
    rubric = demo.rubric
    rs = demo.responses
    assert rs is not None
    heavier = rm.Rubric(
        rubric.id,
        dimensions=[*rubric.dimensions[:-1]],
        bands=rubric.bands,
        version="2",
    )
    return {
        "explanation": rm.explain(demo, "moc"),
        "gap": rm.gap(demo, "opm-ops"),
        "sensitivity": rm.sensitivity(rubric, rs, samples=50, seed=1),
        "audit": rm.audit(rubric, rs),
        "diff": rm.diff_rubrics(rubric, heavier, rs),
        "rubric": rubric,
    }


class _Checker(html.parser.HTMLParser):
    """Tags open and close in order (void elements aside); no script."""

    VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        assert tag != "script"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, tag
        assert self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def well_formed(page: str) -> None:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        ET.fromstring(svg)


NAMES = ["explanation", "gap", "sensitivity", "audit", "diff", "rubric"]


@pytest.mark.parametrize("name", NAMES)
def test_repr_is_short_and_html_is_well_formed_and_small(
    objects: dict[str, Tabular], name: str
) -> None:
    obj = objects[name]
    text = repr(obj)
    assert text.startswith(f"<{type(obj).__name__} "), text
    assert len(text) < 200, text
    page = obj._repr_html_()
    well_formed(page)
    assert len(page.encode()) < 50_000, len(page.encode())
    assert "<table" in page


@pytest.mark.parametrize("name", NAMES)
def test_records_are_tidy_and_round_trip_through_a_dataframe(
    objects: dict[str, Tabular], name: str
) -> None:
    pytest.importorskip("pandas")
    records = objects[name].to_records()
    assert records
    keys = list(records[0])
    for rec in records:
        assert list(rec) == keys  # the same columns in every row
        for v in rec.values():
            assert v is None or isinstance(v, (str, int, float, bool)), (name, v)
    back = objects[name].to_dataframe().to_dict("records")
    assert len(back) == len(records)

    def same(a: object, b: object) -> bool:
        missing_a = a is None or (isinstance(a, float) and math.isnan(a))
        missing_b = b is None or (isinstance(b, float) and math.isnan(b))
        if missing_a or missing_b:
            return missing_a and missing_b
        return a == b

    for got, want in zip(back, records, strict=True):
        assert list(got) == keys
        assert all(same(got[k], want[k]) for k in keys), (got, want)


def test_html_escapes_every_text() -> None:
    r = rm.Rubric(
        "t",
        title=EVIL,
        dimensions=[rm.Dimension("d", title=EVIL, indicators=[rm.Indicator("a", title=EVIL)])],
        bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")],
    )
    res = rm.score(r, rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "no"}], r))
    assert res.responses is not None
    for obj in (
        r,
        rm.explain(res, "x"),
        rm.gap(res, "x"),
        rm.audit(r, res.responses),
        rm.sensitivity(r, res.responses, samples=5),
    ):
        page = obj._repr_html_()
        well_formed(page)
        assert "<script>" not in page


def test_explanation_html_shows_one_row_per_indicator_and_a_bar_chart(demo: rm.Results) -> None:
    ex = rm.explain(demo, "moc")
    page = ex._repr_html_()
    assert page.count("<svg") == 1
    assert page.count("<tr>") == min(len(ex.contributions), 40) + 1
    assert {r["node"] for r in ex.to_records()} >= {"overall", *ex.node_exact}


def test_results_table_shows_ids_beside_names(demo: rm.Results) -> None:
    names = demo.attribute("name")
    page = demo._repr_html_()
    shown = [i for i, n in enumerate(names) if n and n != demo.agencies[i]]
    assert shown
    assert any(f"<code class='muted'>{demo.agencies[i]}</code>" in page for i in shown)


def test_public_result_classes_have_distinct_names() -> None:
    classes = [getattr(rm, n) for n in rm.__all__ if isinstance(getattr(rm, n), type)]
    names = [c.__name__ for c in classes]
    assert len(names) == len(set(names))
    for n in ("AnswerChange", "GapOption", "RubricChange", "Movement", "WeightChange"):
        assert n in rm.__all__


# -- the docs page -------------------------------------------------------------------------
DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_notebook_page_cells_print_what_they_say_and_draw_the_pictures_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/notebook.md runs top to bottom; its images are exactly what the library draws."""
    page = (DOCS / "notebook.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    (tmp_path / "images").mkdir()
    namespace: dict[str, object] = {}
    for code in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<notebook.md>", "exec"), namespace)
        shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert out.getvalue().splitlines() == shown, code
    linked = re.findall(r"\]\((images/[^)]+\.svg)\)", page)
    assert len(linked) == 2
    for name in linked:
        drawn = (tmp_path / name).read_text("utf-8")
        assert drawn == (DOCS / name).read_text("utf-8"), f"docs/{name} is stale"
        ET.fromstring(drawn)


def test_results_and_agency_views_are_well_formed_and_small(demo: rm.Results) -> None:
    for page in (demo._repr_html_(), demo.agency("moc")._repr_html_()):
        well_formed(page)
        assert len(page.encode()) < 50_000, len(page.encode())
    assert len(repr(demo)) < 100
