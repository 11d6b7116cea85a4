"""Plain-text tables for the terminal that align Thai (and CJK) text.

A terminal gives no column to combining marks (Thai vowels above and below the line and
tone marks, Unicode category ``Mn``) and two columns to East Asian wide characters, so
``len()`` misaligns such text. :func:`text_width` counts display columns instead, and
:func:`render_table` fits a table into a width (80 columns by default) by shortening
one flexible column with ``…``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

__all__ = ["char_width", "pad", "render_table", "text_width", "truncate"]

ELLIPSIS = "…"


def char_width(ch: str) -> int:
    """Display columns of one character: 0 for combining and format marks, 2 for wide.

    Example:
        >>> [char_width(c) for c in "กิ่A中"]
        [1, 0, 0, 1, 2]

    .. versionadded:: 0.1.0
    """
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def text_width(text: str) -> int:
    """Display columns of ``text`` in a terminal.

    Example:
        >>> len("กระทรวงพาณิชย์"), text_width("กระทรวงพาณิชย์")
        (14, 12)

    .. versionadded:: 0.1.0
    """
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, ending in ``…`` when cut.

    Combining marks stay with their base character.

    Example:
        >>> truncate("Department of Business Development", 12)
        'Department…'
        >>> text_width(truncate("กรมพัฒนาธุรกิจการค้า", 6))
        6

    .. versionadded:: 0.1.0
    """
    if text_width(text) <= width:
        return text
    if width <= 0:
        return ""
    out: list[str] = []
    used = 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            if w == 0 and out:
                out.append(ch)  # a mark on the last kept character
                continue
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns (``<`` left, ``>`` right).

    Example:
        >>> pad("ไทย", 5) + "|"
        'ไทย  |'

    .. versionadded:: 0.1.0
    """
    room = max(0, width - text_width(text))
    return " " * room + text if align == ">" else text + " " * room


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str | None = None,
    max_width: int = 80,
    flex: int | None = None,
    min_flex: int = 10,
    indent: int = 2,
) -> str:
    """Rows as aligned text columns, shortened to fit ``max_width`` columns.

    Args:
        headers: Column titles.
        rows: Cells (already formatted text), one sequence per row.
        align: One ``<`` or ``>`` per column (default: all left).
        max_width: Total width to fit, including ``indent``.
        flex: The column to shorten with ``…`` when the table is too wide (default: the
            widest column).
        min_flex: The flexible column is never cut below this many columns.
        indent: Spaces before each line.

    Returns:
        The table, one line per row after a header line and a rule, ending in a newline.

    Example:
        >>> print(render_table(["#", "agency"], [["1", "กรมพัฒนาธุรกิจการค้า"]], align="><"))
          #  agency
          -  ----------------
          1  กรมพัฒนาธุรกิจการค้า
        <BLANKLINE>

    .. versionadded:: 0.1.0
    """
    ncol = len(headers)
    aligns = list(align or "<" * ncol)
    widths = [text_width(h) for h in headers]
    for r in rows:
        for c, cell in enumerate(r):
            widths[c] = max(widths[c], text_width(cell))
    gap = 2
    total = indent + sum(widths) + gap * (ncol - 1)
    if flex is None:
        flex = max(range(ncol), key=lambda c: widths[c]) if ncol else 0
    if total > max_width and ncol:
        widths[flex] = max(min_flex, widths[flex] - (total - max_width))
    lines = []
    for r in [list(headers), ["-" * w for w in widths], *[list(x) for x in rows]]:
        cells = [pad(truncate(cell, widths[c]), widths[c], aligns[c]) for c, cell in enumerate(r)]
        lines.append((" " * indent + (" " * gap).join(cells)).rstrip())
    return "\n".join(lines) + "\n"
