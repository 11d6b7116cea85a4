"""Text in SVG charts: wrapped lines, where an axis label goes, and the box it takes.

Text is never cut: it is wrapped (:func:`readiness_model._text_layout.wrap_text`, Thai at
word boundaries) and the chart grows to hold it. Boxes are estimated from
:func:`~readiness_model._text_layout.estimate_em`, an upper estimate of the advance of
sans-serif glyphs, and from generous ascent and descent (Thai stacks vowels and tone marks
above and below the line), so the drawn text lies inside them.

>>> LINE_HEIGHT, ASCENT, DESCENT
(1.3, 1.25, 0.35)
"""

from __future__ import annotations

import functools
import math

import attrs

from .._text_layout import estimate_em, wrap_text

__all__ = ["ASCENT", "DESCENT", "LINE_HEIGHT", "Box", "Placed", "place_axis_label", "text_lines"]

#: Distance between baselines, in em.
LINE_HEIGHT = 1.3
#: Room above a baseline (Thai above-vowels with tone marks) and below it, in em.
ASCENT, DESCENT = 1.25, 0.35


@attrs.frozen(slots=True)
class Box:
    """A rectangle ``[x0, x1] × [y0, y1]`` (SVG coordinates: y grows downwards).

    Example:
        >>> Box(0, 0, 2, 1).union(Box(-1, 0.5, 1, 3))
        Box(x0=-1, y0=0, x1=2, y1=3)

    .. versionadded:: 0.2.0
    """

    x0: float
    y0: float
    x1: float
    y1: float

    def union(self, other: Box) -> Box:
        """The smallest box holding both.

        Example:
            >>> Box(0, 0, 1, 1).union(Box(2, 2, 3, 3)).x1
            3
        """
        return Box(
            min(self.x0, other.x0),
            min(self.y0, other.y0),
            max(self.x1, other.x1),
            max(self.y1, other.y1),
        )


def text_width(text: str, font_size: float) -> float:
    """Estimated width of ``text`` in px (see :func:`estimate_em`)."""
    return estimate_em(text) * font_size


def text_lines(text: str, width: float, font_size: float) -> list[str]:
    """``text`` wrapped to lines of at most ``width`` px (a longer word gets a line of
    its own), each without its trailing spaces; no line is empty.

    Example:
        >>> text_lines("Secure and Efficient Infrastructure", 90, 10)
        ['Secure and', 'Efficient', 'Infrastructure']

    .. versionadded:: 0.2.0
    """
    return list(_lines(text, width, font_size))


@functools.lru_cache(maxsize=4096)
def _lines(text: str, width: float, font_size: float) -> tuple[str, ...]:
    """Cached: every card of a report wraps the same dimension names."""
    lines = wrap_text(text, width, measure=lambda s: text_width(s, font_size))
    return tuple(line.rstrip() for line in lines if line.strip())


@attrs.frozen(slots=True)
class Placed:
    """A wrapped label placed around a point (coordinates relative to the chart centre).

    Attributes:
        lines: The label's lines, top to bottom.
        anchor: SVG ``text-anchor`` (``start``, ``middle`` or ``end``) at ``x``.
        x: Where every line is anchored.
        baseline: Baseline of the first line; the next lines follow at
            ``font_size · LINE_HEIGHT``.
        box: Room the label takes.

    Example:
        >>> p = place_axis_label("Policies and Practices", -math.pi / 2, 100, 90, 10)
        >>> p.lines, p.anchor, p.box.y1 <= -100
        (('Policies and', 'Practices'), 'middle', True)

    .. versionadded:: 0.2.0
    """

    lines: tuple[str, ...]
    anchor: str
    x: float
    baseline: float
    box: Box


@functools.lru_cache(maxsize=1024)
def place_axis_label(
    text: str, angle: float, distance: float, width: float, font_size: float
) -> Placed:
    """Wrap an axis label and place it just outside the point at ``distance`` from the
    centre on the axis at ``angle``: beside it on the sides of the chart, above it at the
    top, below it at the bottom, and never over it.

    Args:
        text: The label (escaped later, when drawn).
        angle: Axis angle in radians (SVG coordinates).
        distance: Distance of the anchor point from the centre.
        width: Most width of a line, in px (a single longer word is kept whole).
        font_size: Font size in px.

    Example:
        >>> p = place_axis_label("Policies", 0.0, 100, 90, 10)
        >>> p.anchor, p.x, p.box.x0 >= 100
        ('start', 100.0, True)

    .. versionadded:: 0.2.0
    """
    c, s = math.cos(angle), math.sin(angle)
    x, y = distance * c, distance * s
    lines = text_lines(text, width, font_size) or [""]
    step = font_size * LINE_HEIGHT
    block = step * (len(lines) - 1)
    widest = max(text_width(line, font_size) for line in lines)
    if abs(c) < 0.2:
        anchor, x0 = "middle", x - widest / 2
    elif c > 0:
        anchor, x0 = "start", x
    else:
        anchor, x0 = "end", x - widest
    if s < -0.2:  # upper part: the block ends just above the point
        baseline = y - DESCENT * font_size - block
    elif s > 0.2:  # lower part: it starts just below
        baseline = y + ASCENT * font_size
    else:  # sides: centred on the point
        baseline = y - block / 2 + (ASCENT - DESCENT) / 2 * font_size
    box = Box(
        x0,
        baseline - ASCENT * font_size,
        x0 + widest,
        baseline + block + DESCENT * font_size,
    )
    return Placed(tuple(lines), anchor, round(x, 6) + 0.0, baseline, box)
