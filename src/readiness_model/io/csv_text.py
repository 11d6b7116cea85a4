"""CSV text shared by the answers and results writers and readers.

* **Formula cells.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return as a formula (``=HYPERLINK(...)``). With ``safe=True`` (the
  default of every CSV writer) such a text cell is written with a leading apostrophe,
  as OWASP recommends; plain numbers (``-1.5``) are left alone. A cell that itself
  starts with an apostrophe followed by one of those characters or another apostrophe
  gets one more apostrophe in either mode, so the rule can be undone: every reader of
  this package drops the first apostrophe of a cell that starts with ``'`` followed by
  ``= + - @ ' \\t \\r``, and reads back the text exactly as it was before writing.
* **Floats** are written with the shortest text that reads back to the same bits
  (``repr``), a whole column at a time.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from operator import methodcaller
from typing import Any

import numpy as np

__all__ = [
    "answer_texts",
    "escape",
    "escape_column",
    "float_texts",
    "unescape",
    "unescape_column",
    "write_rows",
]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_MARKED = ("'=", "'+", "'-", "'@", "'\t", "'\r", "''")
_NEEDS_LOOK = methodcaller("startswith", (*TRIGGERS, "'"))
_QUOTED = methodcaller("startswith", "'")
_BOM_FIRST = methodcaller("startswith", "\ufeff")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def escape(text: str, safe: bool = True) -> str:
    """``text`` as a CSV cell: formula-like text neutralised when ``safe``.

    Example:
        >>> escape("=1+1"), escape("-1.5"), escape("=1+1", safe=False), escape("'=x", safe=False)
        ("'=1+1", '-1.5', '=1+1', "''=x")
    """
    if text.startswith(_MARKED):
        return "'" + text
    if safe and text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """The text :func:`escape` was given (drops the neutralising apostrophe).

    Example:
        >>> unescape("'=1+1"), unescape("''=x"), unescape("'quoted"), unescape("plain")
        ('=1+1', "'=x", "'quoted", 'plain')
    """
    return text[1:] if text.startswith(_MARKED) else text


def escape_column(cells: Iterable[str], safe: bool) -> list[str]:
    """:func:`escape` over a column; cheap when no cell needs it.

    Example:
        >>> escape_column(["a", "@b"], True)
        ['a', "'@b"]
    """
    out = list(cells)
    if any(map(_NEEDS_LOOK, out)):
        out = [escape(c, safe) for c in out]
    return out


def unescape_column(cells: list[str]) -> list[str]:
    """:func:`unescape` over a column; cheap when no cell starts with an apostrophe.

    Example:
        >>> unescape_column(["a", "'@b"])
        ['a', '@b']
    """
    if "'" in "".join(cells) and any(map(_QUOTED, cells)):
        return [unescape(c) for c in cells]
    return cells


def float_texts(values: np.ndarray, blank: str = "") -> list[str]:
    """Each float's shortest round-trip text (``repr``), ``blank`` for NaN.

    Example:
        >>> float_texts(np.array([0.1 + 0.2, np.nan, 1e16, -0.0]))
        ['0.30000000000000004', '', '1e+16', '-0.0']
    """
    flat = np.asarray(values, dtype=np.float64).ravel()
    out = list(map(repr, flat.tolist()))
    nan = np.flatnonzero(np.isnan(flat))
    for i in nan.tolist():
        out[i] = blank
    return out


def answer_texts(scale: Any, values: np.ndarray, na: np.ndarray, safe: bool = True) -> list[str]:
    """One indicator's answers as CSV cells: the scale's written form (floats exactly for
    a continuous scale), ``""`` when missing, ``n/a`` when not applicable; each distinct
    label is written once.

    Example:
        >>> from readiness_model import BinaryScale
        >>> answer_texts(BinaryScale(), np.array([1.0, np.nan, np.nan]), np.array([0, 0, 1], bool))
        ['yes', '', 'n/a']
    """
    if scale.continuous:
        out = float_texts(values)
    else:
        have = np.flatnonzero(~np.isnan(values))
        distinct, inverse = np.unique(values[have], return_inverse=True)
        table = escape_column([str(scale.written(v)) for v in distinct.tolist()], safe)
        cells = np.full(len(values), "", dtype=object)
        if len(table):
            cells[have] = np.array(table, dtype=object)[inverse.ravel()]
        out = cells.tolist()
    for i in np.flatnonzero(na).tolist():
        out[i] = "n/a"
    return out


def write_rows(buf: io.StringIO, columns: Sequence[Sequence[str]]) -> None:
    """Write column-major text cells as CSV rows with ``\\n`` line ends.

    A row with a carriage return in a cell, or whose first cell starts with U+FEFF, is
    written fully quoted (the csv module only quotes the characters of its line
    terminator, and an unquoted ``\\r`` cannot be read back; a line that starts with a
    byte-order mark reads as two files joined).

    Example:
        >>> b = io.StringIO(); write_rows(b, [["a", "b"], ["1", "x,y"]]); b.getvalue()
        'a,1\\nb,"x,y"\\n'
    """
    rows = zip(*columns, strict=True)
    plain = csv.writer(buf, lineterminator="\n")
    first = columns[0] if columns else ()
    if not any("\r" in "".join(col) for col in columns) and not any(map(_BOM_FIRST, first)):
        plain.writerows(rows)
        return
    quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cr = any("\r" in c for c in row) or row[0].startswith("\ufeff")
        (quoted if cr else plain).writerow(row)
