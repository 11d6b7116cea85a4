"""Line breaking and text width that respect scripts: Thai, combining marks, East Asian wide.

A base module (it imports nothing from the package), so that any layer may lay out text:
the report's SVG charts wrap dimension names with it instead of cutting them.

Where a line may break, best first:

1. after a newline (always);
2. after spaces (the spaces stay at the end of the line they follow), after a zero-width
   space, around CJK ideographs, and between Thai words. Thai has no spaces between
   words: with the optional dictionary (``pip install "readiness-model[thai]"``, which
   brings PyThaiNLP and its ``newmm`` word list) a Thai run breaks between the words it
   finds. Without it, a Thai run breaks where a syllable certainly ends: before a
   preposed vowel (เ แ โ ใ ไ, always written before the syllable's first consonant) and
   after ะ, ำ, ๆ, ฯ or a cluster ending in the thanthakhat ์ (these only close a
   syllable);
3. inside a Thai word wider than the line: at those certain syllable ends and, with the
   dictionary, between the syllables PyThaiNLP finds (its syllable list is loaded only
   then); without the dictionary, between any two Thai character clusters (a consonant
   with its marks, a preposed vowel with the consonant after it, ะ า ำ ๅ ๆ ฯ with the
   cluster before them) when no syllable end fits;
4. between any two clusters of a word longer than the line (last resort).

A break never falls inside a cluster: a base character keeps every combining mark that
follows it (Unicode categories Mn, Mc, Me, and what a zero-width joiner joins), so no
line but the first can start with a mark, and the first only when the text does.

Lines keep their trailing spaces (and newline), so ``"".join(lines) == text`` always;
a line's width is measured without them. Widths are in terminal cells by default
(:func:`display_width`); pass ``measure`` (e.g. an :func:`estimate_em` based pixel
width) to wrap for a proportional font.

>>> wrap_text("Secure and Efficient Infrastructure", 14)
['Secure and ', 'Efficient ', 'Infrastructure']
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

__all__ = ["clusters", "display_width", "estimate_em", "thai_dictionary", "wrap_text"]

_MARKS = frozenset({"Mn", "Mc", "Me"})
_ZWJ, _ZWSP = "\u200d", "\u200b"
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f\ufeff")
_NEWLINES = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
_PREPOSED = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # เ แ โ ใ ไ
_FOLLOWING = frozenset("\u0e30\u0e32\u0e33\u0e45\u0e46\u0e2f")  # ะ า ำ ๅ ๆ ฯ
_CLOSES_SYLLABLE = frozenset("\u0e30\u0e33\u0e46\u0e2f\u0e4c")  # ะ ำ ๆ ฯ ์
_NO_LINE_START = frozenset("\u0e46\u0e2f、。，．・：；！？）」』】〕〉》ー々")

# Break levels between two clusters (higher is better; 0: never).
_NEVER, _LAST_RESORT, _THAI_CLUSTER, _GOOD, _FORCED = 0, 1, 2, 3, 4


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in _MARKS


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e5b"


def _is_space(ch: str) -> bool:
    return ch.isspace() and ch not in _NO_BREAK_SPACES


def _is_blank(unit: str) -> bool:
    """A cluster of breakable spaces only (a space carrying a mark shows the mark)."""
    return all(_is_space(ch) for ch in unit)


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def display_width(text: str) -> int:
    """Width of ``text`` in terminal cells: East Asian wide and fullwidth characters take
    two, combining marks (Mn, Me), format characters (Cf: zero-width space and joiner)
    and control characters none, everything else one. Spacing marks (Mc) take one: they
    advance the pen.

    Example:
        >>> display_width("ที่"), display_width("日本"), display_width("e\u0301")
        (1, 4, 1)

    .. versionadded:: 0.2.0
    """
    n = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf", "Cc"):
            continue
        n += 2 if _is_wide(ch) else 1
    return n


_NARROW = frozenset(" .,:;'!|`ijlI")
_SEMI = frozenset('()[]{}/\\-ftr"*')
_BROAD = frozenset("MWmw@%")
_BROAD_THAI = frozenset("ฆฌญฑฒณฝฟฬ")


def estimate_em(text: str) -> float:
    """An upper estimate of the width of ``text`` in a proportional sans-serif font, in em.

    Per character: none for marks and format characters, 1 for East Asian wide ones,
    0.65 for Thai base characters (0.95 for the broad ones such as ฒ ฟ), and for Latin
    text by shape (0.35 for ``i l .``, 0.45 for ``f t ( )``, 1 for ``M W m w``, 0.75 for
    other capitals, 0.66 for digits, 0.62 for other letters). Measured in Chromium with
    wide fonts (DejaVu Sans, Loma), the names in the shipped rubrics come out at 88-97 %
    of this estimate, so text laid out with it is not clipped.

    Example:
        >>> round(estimate_em("Ill"), 2), estimate_em("ที่") == estimate_em("ท")
        (1.05, True)

    .. versionadded:: 0.2.0
    """
    em = 0.0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Mn", "Me", "Cf", "Cc"):
            continue
        if _is_wide(ch):
            em += 1.0
        elif ch in _BROAD_THAI:
            em += 0.95
        elif _is_thai(ch):
            em += 0.65
        elif ch in _NARROW:
            em += 0.35
        elif ch in _SEMI:
            em += 0.45
        elif ch in _BROAD:
            em += 1.0
        elif ch.isupper():
            em += 0.75
        elif ch.isdigit():
            em += 0.66
        else:
            em += 0.62
    return em


def clusters(text: str) -> list[str]:
    """``text`` cut into the units a line break never splits.

    A unit is a character with every combining mark after it (and what a zero-width
    joiner joins to it); in Thai also a preposed vowel with the unit after it, and
    ะ า ำ ๅ ๆ ฯ with the unit before them (Thai character clusters). A newline is a
    unit of its own (``\\r\\n`` one unit).

    Example:
        >>> clusters("ไม่มีน้ำ")
        ['ไม่', 'มี', 'น้ำ']
        >>> "".join(clusters("e\u0301x")) == "e\u0301x", len(clusters("e\u0301x"))
        (True, 2)

    .. versionadded:: 0.2.0
    """
    out: list[str] = []
    glue_next = False  # the last unit is a preposed vowel or ends with a joiner
    for ch in text:
        if out and (
            _is_mark(ch)
            or (glue_next and not _is_space(ch) and ch not in _NEWLINES)
            or (ch in _FOLLOWING and _is_thai(out[-1][-1]))
            or (ch == "\n" and out[-1][-1] == "\r")
        ):
            out[-1] += ch
        else:
            out.append(ch)
        last = out[-1]
        glue_next = ch == _ZWJ or (ch in _PREPOSED and len(last) == 1)
    return out


Tokenizer = Callable[[str], list[str]]


@functools.lru_cache(maxsize=1)
def _pythainlp() -> tuple[Tokenizer, Tokenizer] | None:
    """PyThaiNLP's word (``newmm``) and syllable (``dict``) tokenizers, if installed."""
    try:
        from pythainlp.tokenize import (  # type: ignore[import-not-found, unused-ignore]
            subword_tokenize,
            word_tokenize,
        )
    except ImportError:
        return None

    def words(text: str) -> list[str]:
        return list(word_tokenize(text, engine="newmm", keep_whitespace=True))

    def syllables(text: str) -> list[str]:
        return list(subword_tokenize(text, engine="dict", keep_whitespace=True))

    return words, syllables


def thai_dictionary() -> str | None:
    """The Thai word breaker in use: ``"pythainlp"`` when the ``thai`` extra is installed
    (PyThaiNLP's dictionary-based ``newmm`` words and ``dict`` syllables), else ``None``
    (syllable rules only).

    Example:
        >>> thai_dictionary() in ("pythainlp", None)
        True

    .. versionadded:: 0.2.0
    """
    return None if _pythainlp() is None else "pythainlp"


def _offsets(tokens: list[str], text: str) -> frozenset[int]:
    """Offsets between ``tokens`` when they spell ``text`` (else none)."""
    if "".join(tokens) != text:
        return frozenset()
    ends, pos = set(), 0
    for tok in tokens[:-1]:
        pos += len(tok)
        ends.add(pos)
    return frozenset(ends)


@functools.lru_cache(maxsize=4096)
def _word_breaks(text: str) -> frozenset[int]:
    """Offsets of the word boundaries PyThaiNLP finds in ``text`` (none without it)."""
    return _tokenized(text, 0)


@functools.lru_cache(maxsize=4096)
def _syllable_breaks(text: str) -> frozenset[int]:
    """Offsets of the syllable boundaries PyThaiNLP finds in ``text``: asked for only when
    a word is wider than the line (its syllable list loads on first use)."""
    return _tokenized(text, 1)


def _tokenized(text: str, which: int) -> frozenset[int]:
    tools = _pythainlp()
    if tools is None or not any(_is_thai(ch) for ch in text):
        return frozenset()
    try:
        return _offsets(tools[which](text), text)
    except Exception:  # an optional helper must never break a report: use the rules
        return frozenset()


def _level(
    before: str, after: str, at: int, found: tuple[frozenset[int], frozenset[int]] | None
) -> int:
    """How good a break is between two clusters (``at``: offset of ``after`` in the text;
    ``found``: the dictionary's word and syllable boundaries, None without one)."""
    if before[0] in _NEWLINES:
        return _FORCED
    b = after[0]
    if _is_blank(after) or b in _NO_LINE_START:
        return _NEVER
    if _is_blank(before) or before[-1] == _ZWSP or _is_wide(before[0]) or _is_wide(b):
        return _GOOD
    thai_a, thai_b = _is_thai(before[0]), _is_thai(b)
    if not (thai_a or thai_b):
        return _LAST_RESORT  # inside a word of a script with spaces
    syllable = thai_a and thai_b and (b in _PREPOSED or before[-1] in _CLOSES_SYLLABLE)
    if found is None:  # the rules alone: a syllable end is the best a Thai run offers
        return _GOOD if syllable else _THAI_CLUSTER
    words, syllables = found
    if at in words:
        return _GOOD
    return _THAI_CLUSTER if syllable or at in syllables else _LAST_RESORT


def wrap_text(
    text: str,
    width: float,
    *,
    measure: Callable[[str], float] = display_width,
    dictionary: bool = True,
) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (see the module for where).

    Lines are filled greedily: each takes as many clusters as fit, breaking at the best
    kind of break that fits (a word boundary before a Thai cluster boundary before a
    last-resort one). A single cluster wider than ``width`` gets a line of its own.

    Args:
        text: Any text; nothing is dropped or added.
        width: Most width per line, in the unit of ``measure``.
        measure: Width of a piece of text; it must add up over concatenation
            (the default counts terminal cells, :func:`display_width`).
        dictionary: Use the Thai word list when the ``thai`` extra is installed
            (``False``: syllable rules only, the same output everywhere).

    Returns:
        The lines, each keeping the spaces (and newline) at its end: ``"".join(lines)``
        is ``text``. No line but the first starts with a combining mark. ``[]`` for
        empty text.

    Example:
        >>> wrap_text("Policies and Practices", 15)
        ['Policies and ', 'Practices']
        >>> wrap_text("เทคโนโลยีและแนวปฏิบัติอัจฉริยะ", 10, dictionary=False)
        ['เทคโนโลยี', 'และ', 'แนวปฏิบัติอัจฉ', 'ริยะ']

        With the ``thai`` extra: ``['เทคโนโลยี', 'และแนวปฏิบัติ', 'อัจฉริยะ']``.

    .. versionadded:: 0.2.0
    """
    units = clusters(text)
    if not units:
        return []
    widths = [measure(u) for u in units]
    starts = [0]
    for u in units[:-1]:
        starts.append(starts[-1] + len(u))
    if not (dictionary and thai_dictionary()):
        return _greedy(units, widths, _levels(units, starts, None), width)[0]
    words = _word_breaks(text)
    lines, worst = _greedy(units, widths, _levels(units, starts, (words, frozenset())), width)
    if worst >= _GOOD:
        return lines
    # a word is wider than the line: break it between its syllables
    found = (words, _syllable_breaks(text))
    return _greedy(units, widths, _levels(units, starts, found), width)[0]


def _levels(
    units: list[str], starts: list[int], found: tuple[frozenset[int], frozenset[int]] | None
) -> list[int]:
    return [_NEVER] + [
        _level(units[k - 1], units[k], starts[k], found) for k in range(1, len(units))
    ]


def _greedy(
    units: list[str], widths: list[float], levels: list[int], width: float
) -> tuple[list[str], int]:
    """Fill lines greedily; also the worst level a line was broken at (_FORCED: none)."""
    lines: list[str] = []
    worst = _FORCED
    first = 0  # first unit of the current line
    while first < len(units):
        best: dict[int, int] = {}  # level -> the last unit a line may end before
        total = 0.0
        k = first
        while k < len(units):
            if k > first and levels[k] == _FORCED:
                break
            if k > first and levels[k]:
                best[levels[k]] = k
            if k > first and not _is_blank(units[k]) and total + widths[k] > width:
                level = max(best) if best else _NEVER
                worst = min(worst, level)
                k = best[level] if best else k
                break
            total += widths[k]
            k += 1
        lines.append("".join(units[first:k]))
        first = k
    return lines, worst
