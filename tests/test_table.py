"""Terminal tables that align Thai text and fit 80 columns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness_model.cli.table import char_width, pad, render_table, text_width, truncate

THAI = "กรมพัฒนาธุรกิจการค้า"  # 20 code points, 4 of them combining marks


def test_thai_vowel_and_tone_marks_take_no_column() -> None:
    """Marks above and below the line (category Mn) are zero-width; wide CJK is 2."""
    assert len(THAI) == 20
    assert text_width(THAI) == 16
    assert text_width("เจ้าท่า") == 5
    assert char_width("中") == 2
    assert text_width("abc") == 3


def test_truncate_keeps_marks_with_their_letter_and_ends_in_an_ellipsis() -> None:
    """Cut text fits exactly and never ends on a bare mark."""
    cut = truncate(THAI, 8)
    assert cut.endswith("…")
    assert text_width(cut) <= 8
    assert truncate("short", 10) == "short"
    assert truncate("abcdef", 0) == ""
    assert truncate("ติ่ง", 2) == "ติ่ง"  # 2 columns: fits
    assert truncate("ติ่งกา", 2) == "ติ่…"  # both marks stay on their consonant


def test_pad_counts_display_columns() -> None:
    """Padding a Thai string adds spaces for the columns it does not use."""
    assert pad(THAI, 18) == THAI + "  "
    assert pad("7", 3, ">") == "  7"


def test_table_columns_line_up_with_thai_and_english_names() -> None:
    """Every line of a table has its columns at the same display positions."""
    rows = [
        ["1", "dbd", THAI, "91.20"],
        ["2", "moc", "Ministry of Commerce", "88.00"],
        ["10", "x", "กระทรวงพาณิชย์", "7.50"],
    ]
    out = render_table(["rank", "agency", "name", "overall"], rows, align="><<>")
    lines = out.splitlines()
    widths = {text_width(line) for line in lines if not line.startswith("  -")}
    assert len(widths) == 1, out
    ends = [
        text_width(line[: line.index(r[3]) + len(r[3])])
        for line, r in zip(lines[2:], rows, strict=True)
    ]
    assert len(set(ends)) == 1


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(st.text(st.sampled_from("abc XYZ กขคิุู่้中文…"), max_size=60), min_size=3, max_size=3),
        max_size=6,
    )
)
def test_any_table_fits_80_columns(rows: list[list[str]]) -> None:
    """Property: with one flexible column, no line is wider than 80 display columns."""
    rows = [[r[0][:8], r[1], r[2][:10]] for r in rows]
    out = render_table(["id", "title", "score"], rows, flex=1)
    assert all(text_width(line) <= 80 for line in out.splitlines())
