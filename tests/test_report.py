"""HTML report, SVG charts and notebook display: geometry, escaping, content, CLI."""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model._text_layout import estimate_em
from readiness_model.analysis.explain import explain
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.report import (
    Series,
    axis_angles,
    bar_chart,
    radar_chart,
    radar_point,
    radar_svg,
    render_report,
)
from readiness_model.report.labels import ASCENT, DESCENT
from readiness_model.report.svg import wrap
from readiness_model.report.view import latest_rows, next_band
from readiness_model.testing import responses, rubrics

SVG = "{http://www.w3.org/2000/svg}"
EVIL_NAME = "<script>alert(1)</script>"
EVIL_TEXT = "Fish & <chips> \"quoted\" 'single'"


@pytest.fixture(scope="module")
def demo() -> rm.Results:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    return rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))


def evil_rubric() -> rm.Rubric:
    """Three dimensions; titles and remediation full of markup characters."""
    dims = [
        rm.Dimension(
            d,
            title={"en": f"{d} <b>{EVIL_TEXT}</b>", "th": f"มิติ {d}"},
            indicators=[
                rm.Indicator(
                    f"{d}_q",
                    title=f"{EVIL_TEXT} {d}",
                    remediation=f"Do <img src=x onerror=alert(1)> {d} & more",
                )
            ],
        )
        for d in ("a", "b", "c")
    ]
    return rm.Rubric(
        "evil",
        dimensions=dims,
        title={"en": "Evil <rubric>", "th": "เกณฑ์ทดสอบ"},
        bands=[rm.Band("top", title="Top & <best>", range=rm.Range(min=90)), rm.Band("rest")],
    )


def evil_results() -> rm.Results:
    r = evil_rubric()
    rows = [
        {"agency": "x", "name": EVIL_NAME, "period": 2015, "a_q": "no", "b_q": "no", "c_q": "no"},
        {"agency": "x", "name": EVIL_NAME, "period": 2016, "a_q": "yes", "b_q": "no", "c_q": ""},
        {"agency": "y'\"<>&", "period": 2016, "a_q": "yes", "b_q": "yes", "c_q": "yes"},
    ]
    return rm.score(r, rm.ResponseSet.from_records(rows, r))


def points_of(svg: str, series: str) -> list[tuple[float, float]]:
    """The polygon vertices of one series of a radar chart."""
    root = ET.fromstring(svg)
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == f"series {series}":
            poly = g.find(f"{SVG}polygon")
            assert poly is not None
            return [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]  # type: ignore[misc]
    raise AssertionError(f"no series {series}")


def centre_and_radius(svg: str) -> tuple[float, float, float]:
    """Centre and outer radius, read from the axis lines of a radar chart."""
    root = ET.fromstring(svg)
    line = next(x for x in root.iter(f"{SVG}line") if x.get("class") == "axis")
    cx, cy = float(line.get("x1", "")), float(line.get("y1", ""))
    return cx, cy, math.hypot(float(line.get("x2", "")) - cx, float(line.get("y2", "")) - cy)


# -- geometry ---------------------------------------------------------------------------
def test_top_of_scale_lands_on_the_outer_ring_and_bottom_at_the_centre() -> None:
    """100 (the top of the rubric scale) is on the outer ring; 0 is the centre."""
    for k, a in enumerate(axis_angles(6)):
        x, y = radar_point(100.0, a, (0.0, 100.0), (200.0, 150.0), 80.0)
        assert math.hypot(x - 200.0, y - 150.0) == pytest.approx(80.0), k
        assert radar_point(0.0, a, (0.0, 100.0), (200.0, 150.0), 80.0) == (200.0, 150.0)
    # the first axis points straight up
    assert radar_point(100.0, axis_angles(5)[0], (0.0, 100.0), (0.0, 0.0), 10.0) == (0.0, -10.0)


def test_other_scales_map_their_ends_to_centre_and_ring_and_clamp() -> None:
    """On a [1, 5] scale 5 is on the ring, 1 at the centre; outside values are clamped."""
    a = axis_angles(3)[1]
    ring = radar_point(5.0, a, (1.0, 5.0), (0.0, 0.0), 10.0)
    assert math.hypot(*ring) == pytest.approx(10.0)
    assert radar_point(1.0, a, (1.0, 5.0), (0.0, 0.0), 10.0) == (0.0, 0.0)
    assert radar_point(9.0, a, (1.0, 5.0), (0.0, 0.0), 10.0) == ring
    assert radar_point(-3.0, a, (1.0, 5.0), (0.0, 0.0), 10.0) == (0.0, 0.0)
    assert radar_point(math.nan, a, (1.0, 5.0), (0.0, 0.0), 10.0) == (0.0, 0.0)


def test_axes_are_evenly_spaced_clockwise_from_the_top() -> None:
    for n in (1, 2, 3, 6, 7):
        angles = axis_angles(n)
        assert angles[0] == pytest.approx(-math.pi / 2)
        steps = [b - a for a, b in itertools.pairwise(angles)]
        assert all(s == pytest.approx(2 * math.pi / n) for s in steps)


@settings(max_examples=40)
@given(
    n=st.integers(3, 10),
    data=st.data(),
    scale=st.tuples(st.integers(-50, 50), st.integers(1, 200)).map(
        lambda t: (float(t[0]), float(t[0] + t[1]))
    ),
)
def test_drawn_vertices_sit_at_the_score_share_of_the_radius_on_evenly_spaced_axes(
    n: int, data: st.DataObject, scale: tuple[float, float]
) -> None:
    """Property: in the drawn SVG, vertex k is at distance radius·(v−lo)/(hi−lo) from the
    centre, on the axis at −90° + k·360°/n (coordinates are rounded to 0.1 px)."""
    lo, hi = scale
    values = data.draw(st.lists(st.floats(lo, hi), min_size=n, max_size=n))
    svg = radar_chart([f"d{k}" for k in range(n)], [Series("s", values)], scale=scale)
    cx, cy, radius = centre_and_radius(svg)
    pts = points_of(svg, "agency")
    assert len(pts) == n
    for k, ((x, y), v) in enumerate(zip(pts, values, strict=True)):
        share = (v - lo) / (hi - lo)
        assert math.hypot(x - cx, y - cy) == pytest.approx(radius * share, abs=0.15)
        if radius * share > 5:
            want = -math.pi / 2 + 2 * math.pi * k / n
            got = math.atan2(y - cy, x - cx)
            diff = (got - want + math.pi) % (2 * math.pi) - math.pi
            assert abs(diff) < 0.05


def test_full_scores_draw_on_the_outer_ring_in_the_svg() -> None:
    svg = radar_chart(
        ["a", "b", "c", "d"], [Series("top", [100] * 4), Series("m", [0] * 4, "median")]
    )
    cx, cy, radius = centre_and_radius(svg)
    for x, y in points_of(svg, "agency"):
        assert math.hypot(x - cx, y - cy) == pytest.approx(radius, abs=0.1)
    assert all(p == (cx, cy) for p in points_of(svg, "median"))


def test_a_series_needs_one_value_per_axis() -> None:
    with pytest.raises(ValueError, match="2 values for 3 axes"):
        radar_chart(["a", "b", "c"], [Series("s", [1.0, 2.0])])


def test_bar_lengths_are_proportional_to_counts() -> None:
    root = ET.fromstring(bar_chart([("a", 10), ("b", 5), ("c", 0)]))
    widths = [float(r.get("width", "")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] == pytest.approx(widths[0] / 2, abs=0.1)
    assert widths[2] == 0


def test_wrap_breaks_at_spaces_or_anywhere_and_marks_leftovers() -> None:
    assert wrap("Policies and Practices", 15) == ["Policies and", "Practices"]
    assert wrap("โครงสร้างพื้นฐานที่มั่นคงปลอดภัยและมีประสิทธิภาพ", 10)[1].endswith("…")
    assert wrap("short", 15) == ["short"]


# -- text is wrapped, never cut --------------------------------------------------------------
def label_texts(svg: str, cls: str = "axis-label") -> list[tuple[str, list[str]]]:
    """(title, lines) of every ``<text class=cls>`` of an SVG."""
    root = ET.fromstring(svg)
    out = []
    for t in root.iter(f"{SVG}text"):
        if t.get("class") == cls:
            title = t.find(f"{SVG}title")
            lines = [span.text or "" for span in t.iter(f"{SVG}tspan")]
            out.append(("" if title is None else title.text or "", lines))
    return out


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "th"])
def test_radar_shows_every_dimension_name_whole(demo: rm.Results, lang: str) -> None:
    """Issue 16: "Secure and Efficient Infr…" is gone; Thai names are whole and no line
    starts with a combining mark."""
    svg = radar_svg(demo, "moc", lang=lang)
    assert "…" not in svg
    labels = label_texts(svg)
    drawn = [d for d in demo.rubric.dimensions if d.weight > 0]  # weight 0: not an axis
    assert [title for title, _ in labels] == [d.label(lang) for d in drawn]
    for title, lines in labels:
        assert squeeze("".join(lines)) == squeeze(title)
        assert all(line and not unicodedata.category(line[0]).startswith("M") for line in lines)
    if lang == "en":
        assert (
            "Secure and Efficient Infrastructure",
            ["Secure and", "Efficient", "Infrastructure"],
        ) in labels


def estimated_boxes(svg: str) -> list[tuple[str, float, float, float, float]]:
    """(line, x0, y0, x1, y1) of every text line, from the layout's own width estimate."""
    root = ET.fromstring(svg)
    boxes = []
    for t in root.iter(f"{SVG}text"):
        size = float(t.get("font-size") or root.get("font-size") or 11)
        anchor = t.get("text-anchor", "start")
        spans = list(t.iter(f"{SVG}tspan")) or [t]
        for span in spans:
            line = "".join(span.itertext()) if span is t else span.text or ""
            if span is t:
                title = t.find(f"{SVG}title")
                line = line.removeprefix(title.text or "") if title is not None else line
            x, y = float(span.get("x", 0)), float(span.get("y", 0))
            w = estimate_em(line) * size
            x0 = {"start": x, "middle": x - w / 2, "end": x - w}[anchor]
            boxes.append((line, x0, y - ASCENT * size, x0 + w, y + DESCENT * size))
    return boxes


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(
        st.lists(
            st.sampled_from(
                [
                    "Secure",
                    "and",
                    "Efficient",
                    "Infrastructure",
                    "e-Government",
                    "(GIN)",
                    "บุคลากรภาครัฐที่มีความสามารถด้านดิจิทัล",
                    "โครงสร้างพื้นฐาน",
                    "ที่",
                    "มั่นคง",
                    "Interoperability",
                    "W",
                    "日本語",
                ]
            ),
            min_size=1,
            max_size=8,
        ).map(" ".join),
        min_size=1,
        max_size=10,
    ),
    size=st.sampled_from([260, 360, 380, 500]),
)
def test_property_radar_text_lies_inside_the_viewbox(names: list[str], size: int) -> None:
    """Property: by the layout's own (upper) width estimate, every label and legend line
    lies inside the viewBox, whatever the names and however many axes; the browser test
    checks the same with real fonts."""
    series = [
        Series(
            "Ministry of Digital Economy and Society / กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม (2016)",
            [50.0] * len(names),
        )
    ]
    svg = radar_chart(names, series, size=size)
    root = ET.fromstring(svg)
    _, _, width, height = map(float, (root.get("viewBox") or "").split())
    assert width >= size
    for line, x0, y0, x1, y1 in estimated_boxes(svg):
        assert x0 >= 0, line
        assert y0 >= 0, line
        assert x1 <= width, line
        assert y1 <= height, line


def test_bar_and_ranking_show_group_titles_whole(demo: rm.Results) -> None:
    """Issue 16: "Developed: high readi…" in the ranking is gone; bar labels wrap."""
    page = render_report(demo, agencies=["moc"])
    title = demo.rubric.groups[0].label("en")
    assert title == "Developed: high readiness, continuous development"
    ranking = page.split("<table class='ranking'>")[1].split("</table>")[0]
    assert f"<td class='title'>{title}</td>" in ranking
    assert "…" not in ranking
    bars = [svg for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S) if 'class="bars"' in svg]
    groups = label_texts(bars[1], cls=None)  # type: ignore[arg-type]
    assert title in [t for t, _ in groups]
    for t, lines in groups:
        if t:
            assert squeeze("".join(lines)) == squeeze(t)


def test_bar_chart_rows_grow_with_wrapped_labels() -> None:
    one = ET.fromstring(bar_chart([("A", 1)]))
    long = ET.fromstring(bar_chart([("word " * 30, 1)], label_chars=10))
    assert float(long.get("height", "")) > float(one.get("height", ""))


# -- escaping ---------------------------------------------------------------------------
def test_text_from_files_shows_as_text_in_the_report() -> None:
    """An agency named <script>…, titles with &<>"' and markup in remediation are escaped."""
    res = evil_results()
    page = render_report(res)
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>" + EVIL_TEXT not in page
    assert "Fish &amp; &lt;chips&gt; &quot;quoted&quot; &#x27;single&#x27;" in page
    assert "Top &amp; &lt;best&gt;" in page
    assert "y&#x27;&quot;&lt;&gt;&amp;" in page
    # every SVG in the page is well-formed XML (so the text is inside, not markup)
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        root = ET.fromstring(svg)
        texts = "".join(root.itertext())
        assert "script" not in {el.tag.split("}")[-1] for el in root.iter()}
        assert texts


def test_standalone_radar_is_valid_svg_with_escaped_text() -> None:
    res = evil_results()
    svg = radar_svg(res, "x")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    text = "".join(root.itertext())
    assert EVIL_NAME in text  # shown as text...
    assert EVIL_NAME not in svg  # ...because it is escaped in the markup
    assert "<b>" not in svg


# -- content ----------------------------------------------------------------------------
def test_report_holds_overview_cards_and_provenance(demo: rm.Results) -> None:
    page = render_report(demo, demo.rubric)
    latest, _ = latest_rows(demo)
    assert len(latest) == 170
    assert page.count('<section class="rm-card"') == 170
    assert "Agencies: <b>170</b>" in page
    p = demo.provenance
    for item in (p.rubric_id, p.rubric_version, p.rubric_sha256, p.library_version):
        assert item in page.split("<footer>")[1]
    assert "<script" not in page
    offline = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for fetch in ("http:", "https:", "url(", "@import", "src=", "<link", "<script"):
        assert fetch not in offline, fetch
    assert "@page{size:A4" in page
    assert len(page.encode("utf-8")) < 3_000_000


def test_cards_show_latest_period_against_median_and_previous(demo: rm.Results) -> None:
    page = render_report(demo, agencies=["moc"])
    card = page.split('<section class="rm-card"')[1]
    assert "Period 2016" in card
    assert "Previous period (2015)" in card
    assert "Population median (2016)" in card
    assert 'class="series previous"' in card
    assert 'class="series median"' in card
    row = demo.row("moc", 2016)
    assert f"Rank: {int(demo.rank[row])}" in card
    assert f"▲ +{demo.change[row]:.2f}</span>" in card  # the rubric rounds to 2 decimals


def test_weakest_indicators_come_from_explain_with_their_remediation(demo: rm.Results) -> None:
    page = render_report(demo, agencies=["daa"])
    card = page.split('<section class="rm-card"')[1]
    for c in explain(demo, "daa").weakest(3):
        ind = demo.rubric.indicator(c.indicator)
        assert f"({ind.id}," in card
        assert str(ind.remediation) in card


def test_gap_to_the_next_band_lists_each_unmet_rule(demo: rm.Results) -> None:
    """The next band's overall, dimension and coverage rules that are not met yet."""
    rubric = demo.rubric
    for agency in ("daa", "moc", demo.agencies[-1]):
        row = demo.row(agency)
        nb = next_band(demo, row)
        ids = [b.id for b in rubric.bands]
        if ids.index(demo.band[row] or ids[-1]) == 0:
            assert nb is None
            continue
        assert nb is not None
        band = rubric.bands[ids.index(demo.band[row] or "") - 1]
        assert nb.band == band.id
        keys = {k for k, _, _, _ in nb.shortfalls}
        lo, _ = band.range.lower()
        assert ("overall" in keys) == (demo.overall[row] < lo)
        for key, _, now, need in nb.shortfalls:
            assert now < need, key


def test_thai_titles_with_lang_th(demo: rm.Results) -> None:
    page = render_report(demo, agencies=["moc"], lang="th")
    assert '<html lang="th">' in page
    assert demo.rubric.dimensions[0].label("th") in page
    assert demo.rubric.label("th") in page
    assert "ภาพรวม" in page  # the report's own words too


def test_unknown_agency_is_an_error_with_a_hint(demo: rm.Results) -> None:
    with pytest.raises(rm.ResponseError, match="no agency 'mocc'") as err:
        render_report(demo, agencies=["mocc"])
    assert "moc" in (err.value.problems[0].hint or "")


def test_another_rubric_is_refused(demo: rm.Results) -> None:
    with pytest.raises(rm.RubricError, match="scored with thai-dg-readiness-2016"):
        render_report(demo, evil_rubric())


def test_results_without_answers_still_report() -> None:
    res = attrs.evolve(evil_results(), responses=None)
    page = render_report(res)
    assert "No indicator answers to show" in page


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_property_any_rubric_and_answers_make_a_well_formed_report(data: st.DataObject) -> None:
    """Any valid rubric and answers: one card per agency, every chart well-formed SVG,
    every agency id shown escaped, nothing executable."""
    rubric = data.draw(rubrics(max_indicators=6))
    results = rm.score(rubric, data.draw(responses(rubric)))
    page = render_report(results)
    assert page.count('<section class="rm-card"') == len(set(results.agencies))
    assert "<script" not in page
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        ET.fromstring(svg)
    for agency in set(results.agencies):
        assert html.escape(agency, quote=True) in page


# -- notebook display -------------------------------------------------------------------
def test_notebook_reprs(demo: rm.Results) -> None:
    table = demo._repr_html_()
    assert "<table" in table
    assert "… 120 more" in table
    ar = demo.agency("moc")
    svg = ar._repr_svg_()
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert svg == radar_svg(demo, "moc")
    card = ar._repr_html_()
    assert "<style>" in card
    assert svg in card


# -- command line -----------------------------------------------------------------------
def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code = main(
        [
            "report",
            "thai-dg-readiness-2016",
            str(demo_survey_path()),
            "-o",
            str(out),
            "--agency",
            "moc",
            "daa",
            "--lang",
            "th",
        ]
    )
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    page = out.read_text(encoding="utf-8")
    assert page.count('<section class="rm-card"') == 2


def test_cli_unknown_agency_exits_1_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    code = main(
        [
            "report",
            "thai-dg-readiness-2016",
            str(demo_survey_path()),
            "-o",
            str(out),
            "--agency",
            "nope",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "no agency 'nope'" in err
    assert not out.exists()


def test_cli_missing_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "report",
            "thai-dg-readiness-2016",
            str(demo_survey_path()),
            "-o",
            str(tmp_path / "x" / "r.html"),
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


# -- the tutorial -----------------------------------------------------------------------
DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_tutorial_cells_print_what_they_say_and_draw_the_pictures_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/tutorial.md runs top to bottom; its images are exactly what the library draws."""
    page = (DOCS / "tutorial.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    (tmp_path / "images").mkdir()
    namespace: dict[str, object] = {}
    for code in blocks:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<tutorial>", "exec"), namespace)
        shown = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        assert out.getvalue().splitlines() == shown, code
    linked = re.findall(r"\]\((images/[^)]+\.svg)\)", page)
    assert linked
    for name in linked:
        drawn = (tmp_path / name).read_text("utf-8")
        assert drawn == (DOCS / name).read_text("utf-8"), f"docs/{name} is stale"
        ET.fromstring(drawn)
