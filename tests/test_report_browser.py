"""The demo report in a real headless browser: it loads offline with no console message and
renders something (the screenshot is not blank).

Needs Chromium or Chrome (Debian: ``apt-get install chromium``); set ``READINESS_BROWSER`` to
a browser binary to choose one. Skipped, with the reason, only when no browser is found.
Deselect with ``-m "not browser"``.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.report import render_report

BROWSER_MARK = pytest.mark.browser

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    # nothing may be fetched: every host name fails to resolve
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
)
TIMEOUT = 60


def find_browser() -> str | None:
    """READINESS_BROWSER, else the first Chromium/Chrome on PATH or in /usr/bin."""
    env = os.environ.get("READINESS_BROWSER")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in CANDIDATES:
        found = shutil.which(name) or (
            f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
        )
        if found:
            return found
    return None


def screenshot(browser: str, page: Path, png: Path, profile: Path) -> list[str]:
    """Load ``page``, write a 1100×1600 screenshot; return the browser's console lines."""
    args = [
        browser,
        *FLAGS,
        f"--user-data-dir={profile}",
        "--window-size=1100,1600",
        f"--screenshot={png}",
        page.resolve().as_uri(),
    ]
    proc = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"{browser} did not finish within {TIMEOUT} s")
    text = err.decode("utf-8", "replace")
    assert png.exists(), f"no screenshot written; browser said:\n{text[-2000:]}"
    return [line for line in text.splitlines() if "CONSOLE" in line]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode_png(data: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and unfiltered rows of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8, f"bit depth {depth}"
            bpp = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind_ = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind_ == 1:
                line[i] = (line[i] + a) & 0xFF
            elif kind_ == 2:
                line[i] = (line[i] + b) & 0xFF
            elif kind_ == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif kind_ == 4:
                line[i] = (line[i] + _paeth(a, b, c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def ink(rows: list[bytes], bpp: int) -> tuple[int, float]:
    """Distinct colours (sampled) and the share of sampled pixels that are not white."""
    colours: set[bytes] = set()
    dark = total = 0
    for row in rows[::4]:
        for x in range(0, len(row) - bpp + 1, 4 * bpp):
            px = row[x : x + 3]
            colours.add(px)
            total += 1
            dark += px != b"\xff\xff\xff"
    return len(colours), dark / max(total, 1)


@pytest.fixture(scope="module")
def browser() -> str:
    found = find_browser()
    if found is None:
        pytest.skip("no Chromium/Chrome found (apt-get install chromium, or set READINESS_BROWSER)")
    return found


@BROWSER_MARK
def test_console_capture_sees_errors(browser: str, tmp_path: Path) -> None:
    """Control: a page that logs an error is caught (so the real check is not vacuous)."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><p>x</p><script>console.error('boom-marker');</script>", "utf-8"
    )
    lines = screenshot(browser, page, tmp_path / "bad.png", tmp_path / "profile")
    assert any("boom-marker" in line for line in lines), lines


@BROWSER_MARK
def test_demo_report_loads_without_console_messages_and_is_not_blank(
    browser: str, tmp_path: Path
) -> None:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    results = rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))
    page = tmp_path / "report.html"
    page.write_text(render_report(results, rubric), encoding="utf-8")
    png = tmp_path / "report.png"
    lines = screenshot(browser, page, png, tmp_path / "profile")
    assert lines == [], "console messages:\n" + "\n".join(lines)
    width, height, bpp, rows = decode_png(png.read_bytes())
    assert (width, height) == (1100, 1600)
    colours, share = ink(rows, bpp)
    assert colours > 10, f"only {colours} colours: blank page?"
    assert share > 0.02, f"only {share:.1%} of the pixels are not white"


# -- no label is clipped (issue 16) --------------------------------------------------------
# The report has no scripts; the test writes a copy of it with one appended script that
# measures every SVG text with getBBox() (user units, the viewBox's coordinates) and
# writes the numbers into the page, which Chromium's --dump-dom then prints.
MEASURE = """<pre id="measured"></pre><script>
const out = [];
document.querySelectorAll("svg").forEach((svg, k) => {
  const vb = svg.viewBox.baseVal;
  svg.querySelectorAll("text").forEach((t) => {
    const b = t.getBBox();
    const title = t.querySelector("title");
    const lines = Array.from(t.querySelectorAll("tspan"), (s) => s.textContent);
    out.push({svg: k, cls: svg.getAttribute("class"), text: t.textContent, lines: lines,
              title: title ? title.textContent : null,
              label: t.getAttribute("class") || "",
              box: [b.x, b.y, b.x + b.width, b.y + b.height],
              view: [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height]});
  });
});
document.getElementById("measured").textContent = JSON.stringify(out);
</script>"""


def measure_texts(browser: str, page_html: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Every SVG text box of ``page_html`` as Chromium lays it out."""
    page = tmp_path / "measure.html"
    page.write_text(page_html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    args = [
        browser,
        *FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1100,1600",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    try:
        proc = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{browser} did not finish within {TIMEOUT} s")
    dom = proc.stdout.decode("utf-8", "replace")
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, flags=re.S)
    assert found, f"no measurements; browser said:\n{proc.stderr.decode()[-2000:]}"
    data: list[dict[str, Any]] = json.loads(html.unescape(found.group(1)))
    return data


def clipped(items: list[dict[str, Any]], slack: float = 0.5) -> list[str]:
    """Texts whose box leaves their SVG's viewBox."""
    bad = []
    for it in items:
        x0, y0, x1, y1 = it["box"]
        v0, w0, v1, w1 = it["view"]
        if x0 < v0 - slack or y0 < w0 - slack or x1 > v1 + slack or y1 > w1 + slack:
            bad.append(f"{it['cls']} #{it['svg']}: {it['text']!r} {it['box']} not in {it['view']}")
    return bad


def thai_font() -> str | None:
    """A font that covers Thai, as fontconfig sees it (None: none, or no fontconfig)."""
    if shutil.which("fc-list") is None:
        return None
    out = subprocess.run(["fc-list", ":lang=th", "family"], capture_output=True, text=True)
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else None


@BROWSER_MARK
def test_measuring_sees_a_clipped_label(browser: str, tmp_path: Path) -> None:
    """Control: a label that runs past the viewBox is reported (the check is not vacuous)."""
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" class="radar" width="100" height="40" '
        'viewBox="0 0 100 40"><text x="60" y="20" font-size="10">บุคลากรภาครัฐที่มีความสามารถ</text>'
        '<text x="5" y="20" font-size="10">ok</text></svg>'
    )
    items = measure_texts(browser, f"<!DOCTYPE html><html><body>{svg}</body></html>", tmp_path)
    assert len(items) == 2
    assert [b.split(":")[0] for b in clipped(items)] == ["radar #0"]


@BROWSER_MARK
@pytest.mark.parametrize("lang", ["th", "en"])
def test_no_chart_text_is_clipped_in_a_thai_card(browser: str, tmp_path: Path, lang: str) -> None:
    """Issue 16 acceptance: in the demo report's cards (Thai and English), every SVG text
    box, measured by Chromium with the installed fonts, lies inside its viewBox, and no
    two axis labels of a radar overlap."""
    if lang == "th" and thai_font() is None:
        pytest.skip("no Thai font installed (Debian: apt-get install fonts-thai-tlwg)")
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    results = rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))
    page = render_report(results, agencies=["moc", "daa", results.agencies[-1]], lang=lang)
    items = measure_texts(browser, page, tmp_path)
    radar_labels = [it for it in items if it["label"] == "axis-label"]
    drawn = [d for d in rubric.dimensions if d.weight > 0]  # weight 0: not a radar axis
    assert len(radar_labels) == 3 * len(drawn)
    assert {it["title"] for it in radar_labels} == {d.label(lang) for d in drawn}
    for it in radar_labels:  # each name is shown whole, on one or more lines
        assert "".join("".join(it["lines"]).split()) == "".join(it["title"].split())
    assert clipped(items) == []
    for k in {it["svg"] for it in radar_labels}:
        boxes = [it["box"] for it in radar_labels if it["svg"] == k]
        for a, b in itertools.combinations(boxes, 2):
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (k, a, b)
