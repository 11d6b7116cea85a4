"""Line breaking that respects scripts: clusters stay whole, lines join back to the text,
Thai breaks between words (with the ``thai`` extra) or at certain syllable ends."""

from __future__ import annotations

import itertools
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model import _text_layout as tl
from readiness_model._text_layout import (
    clusters,
    display_width,
    estimate_em,
    thai_dictionary,
    wrap_text,
)

MARKS = {"Mn", "Mc", "Me"}
THAI_CONSONANTS = [chr(c) for c in range(0x0E01, 0x0E2F)]
THAI_MARKS = [chr(c) for c in (0x0E31, *range(0x0E34, 0x0E3B), *range(0x0E47, 0x0E4F))]
THAI_VOWELS = list("ะาำเแโใไๅ")
OTHER_MARKS = ["\u0301", "\u0308", "\u20dd", "\u0903", "\ufe0f"]  # Mn, Mn, Me, Mc, Mn (VS16)
PIECES = st.one_of(
    st.sampled_from(THAI_CONSONANTS + THAI_VOWELS),
    st.sampled_from(THAI_MARKS + OTHER_MARKS),
    st.sampled_from(list("abcXYZ019-(/.,")),
    st.sampled_from([" ", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u200b", "\u200d"]),
    st.sampled_from([*"日本語、。", "ๆ", "ฯ"]),
    st.characters(codec="utf-8"),
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)

SHIPPED = rm.load_rubric("thai-dg-readiness-2016")
THAI_NAMES = sorted(
    {d.label("th") for d in SHIPPED.dimensions}
    | {i.label("th") for i in SHIPPED.indicators}
    | {g.label("th") for g in SHIPPED.groups}
    | {b.label("th") for b in SHIPPED.bands}
)


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in MARKS


# -- the laws ------------------------------------------------------------------------------
@settings(max_examples=400, deadline=None)
@given(text=TEXTS, width=st.integers(1, 30), dictionary=st.booleans())
def test_property_lines_join_back_to_the_text_and_never_start_with_a_mark(
    text: str, width: int, dictionary: bool
) -> None:
    """Property: ``"".join(lines) == text`` (spaces at a break stay at the end of the line
    before it); no line but the first starts with a combining mark (Mn, Mc, Me), and the
    first only when the text does; no line is empty."""
    lines = wrap_text(text, width, dictionary=dictionary)
    assert "".join(lines) == text
    assert all(lines)
    for k, line in enumerate(lines):
        if k or not is_mark(text[0]):
            assert not is_mark(line[0]), (k, lines)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.integers(1, 30), dictionary=st.booleans())
def test_property_a_line_is_too_wide_only_when_it_cannot_break(
    text: str, width: int, dictionary: bool
) -> None:
    """Property: a line wider than ``width`` (trailing spaces aside) is a single cluster,
    or holds a character that may not start a line (ๆ ฯ 、 。) right after its first."""
    for line in wrap_text(text, width, dictionary=dictionary):
        body = line.rstrip()
        if display_width(body) > width:
            units = clusters(body)
            assert len(units) == 1 or units[1][0] in tl._NO_LINE_START, line


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, width=st.integers(1, 30))
def test_property_spaces_end_lines_and_lines_start_after_a_break(text: str, width: int) -> None:
    """Property: a line starts with a space only at the start of the text or after a
    newline (with any marks that follow it); a breakable space never begins a line."""
    lines = wrap_text(text, width)
    for prev, line in itertools.pairwise(lines):
        if tl._is_blank(clusters(line)[0]):
            assert clusters(prev)[-1][0] in tl._NEWLINES, (prev, line)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS)
def test_property_clusters_partition_the_text_and_keep_marks_with_their_base(text: str) -> None:
    units = clusters(text)
    assert "".join(units) == text
    for u in units[1:]:
        assert not is_mark(u[0])


def test_a_newline_always_breaks_and_stays_on_its_line() -> None:
    assert wrap_text("a\nb  c\r\nd", 10) == ["a\n", "b  c\r\n", "d"]
    assert wrap_text("", 10) == []


def test_english_breaks_at_spaces_and_keeps_long_words_whole_when_they_fit() -> None:
    assert wrap_text("Secure and Efficient Infrastructure", 14) == [
        "Secure and ",
        "Efficient ",
        "Infrastructure",
    ]
    # a word longer than the line is the only thing that is broken inside
    assert wrap_text("Infrastructure", 5) == ["Infra", "struc", "ture"]
    assert wrap_text("a\u00a0b c", 3) == ["a\u00a0b ", "c"]  # no break at a no-break space


def test_widths_count_cells_marks_zero_wide_two() -> None:
    assert display_width("ที่มี") == 2
    assert display_width("日本") == 4
    assert display_width("e\u0301") == 1
    assert display_width("a\u200bb") == 2
    assert estimate_em("ที่") == estimate_em("ท") > 0
    assert estimate_em("MW") > estimate_em("il")


# -- Thai ------------------------------------------------------------------------------------
def test_the_orphaned_tone_mark_of_the_issue_cannot_happen() -> None:
    """Issue 16: 'บุคลากรภาครัฐที', '่มีความสามารถด…' — the tone mark stays on ที."""
    name = SHIPPED.dimension("e_officer").label("th")
    assert name == "บุคลากรภาครัฐที่มีความสามารถด้านดิจิทัล"
    for dictionary in (False, True):
        for width in range(1, 30):
            lines = wrap_text(name, width, dictionary=dictionary)
            assert "".join(lines) == name
            assert not any(is_mark(line[0]) for line in lines)


@pytest.mark.parametrize("name", THAI_NAMES)
def test_shipped_thai_names_break_only_between_thai_clusters(name: str) -> None:
    """Without the dictionary: a preposed vowel (เ แ โ ใ ไ) never ends a line and ะ า ำ
    never start one; a line starting with a preposed vowel is a syllable start."""
    for width in (6, 10, 14, 20):
        lines = wrap_text(name, width, dictionary=False)
        assert "".join(lines) == name
        for k, line in enumerate(lines):
            assert line.rstrip()[-1:] not in tl._PREPOSED, lines
            if k:
                assert line[0] not in "ะาำๅๆฯ", lines
                assert not is_mark(line[0]), lines


needs_dictionary = pytest.mark.skipif(
    thai_dictionary() is None, reason='the "thai" extra (PyThaiNLP) is not installed'
)


@needs_dictionary
@pytest.mark.parametrize("name", THAI_NAMES)
def test_with_the_dictionary_thai_names_break_between_words_that_fit(name: str) -> None:
    """With PyThaiNLP: every break inside a Thai run is a word boundary, unless the word is
    wider than the line (then at a syllable)."""
    from pythainlp.tokenize import word_tokenize

    words = word_tokenize(name, engine="newmm", keep_whitespace=True)
    ends, pos = set(), 0
    for w in words:
        pos += len(w)
        ends.add(pos)
    widest = max(display_width(w) for w in words)
    for width in (widest, widest + 4, 24):
        lines = wrap_text(name, width)
        pos = 0
        for line in lines[:-1]:
            pos += len(line)
            assert pos in ends, (width, lines, words)


@needs_dictionary
def test_dictionary_examples_read_right() -> None:
    assert wrap_text("โครงสร้างพื้นฐานที่มั่นคงปลอดภัยและมีประสิทธิภาพ", 16) == [
        "โครงสร้างพื้นฐานที่",
        "มั่นคงปลอดภัยและ",
        "มีประสิทธิภาพ",
    ]
    # a word wider than the line breaks between its syllables
    assert wrap_text("โครงสร้างพื้นฐาน", 10) == ["โครงสร้างพื้น", "ฐาน"]
    assert wrap_text("โครงสร้างพื้นฐาน", 9) == ["โครงสร้าง", "พื้นฐาน"]
    assert wrap_text("ความพร้อมสูง พัฒนาไม่หยุด", 12) == ["ความพร้อมสูง ", "พัฒนาไม่หยุด"]


def test_without_the_extra_the_rules_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The core install has no Thai dictionary: wrapping falls back to the rules."""
    monkeypatch.setitem(sys.modules, "pythainlp", None)
    monkeypatch.setitem(sys.modules, "pythainlp.tokenize", None)
    tl._pythainlp.cache_clear()
    tl._word_breaks.cache_clear()
    tl._syllable_breaks.cache_clear()
    try:
        assert thai_dictionary() is None
        name = "เทคโนโลยีและแนวปฏิบัติอัจฉริยะ"
        assert wrap_text(name, 10) == wrap_text(name, 10, dictionary=False)
        assert wrap_text(name, 10) == ["เทคโนโลยี", "และ", "แนวปฏิบัติอัจฉ", "ริยะ"]
    finally:
        tl._pythainlp.cache_clear()
        tl._word_breaks.cache_clear()
    tl._syllable_breaks.cache_clear()


def test_importing_the_package_does_not_import_the_thai_extra() -> None:
    import subprocess

    code = "import readiness_model, sys; print('pythainlp' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
