"""How a CSV answers file is written: its encoding and its delimiter.

* **Encoding**: UTF-8 with or without a byte-order mark; UTF-16 ("Unicode Text" from
  Excel) recognised by its byte-order mark; any other encoding Python knows when named
  (``cp874`` or ``tis-620`` for Thai Windows text).
* **Delimiter**: ``,``, ``;`` or tab, given or sniffed from the header row.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import codecs
import csv
import itertools
from pathlib import Path

__all__ = ["DELIMITERS", "detect_encoding", "first_line", "sniff_delimiter"]

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
"""The delimiters a CSV answers file may use, by name."""


def detect_encoding(head: bytes, encoding: str | None) -> str:
    """The codec to read a file with: the one named (UTF-8 read with or without a mark),
    else UTF-16 when the file starts with its byte-order mark, else UTF-8.

    Raises:
        LookupError: the named encoding is unknown to Python.

    Example:
        >>> detect_encoding(b"\\xff\\xfea\\x00", None), detect_encoding(b"a,b", None)
        ('utf-16', 'utf-8-sig')
        >>> detect_encoding(b"a", "TIS-620"), detect_encoding(b"a", "UTF8")
        ('tis-620', 'utf-8-sig')
    """
    if encoding is not None:
        name = codecs.lookup(encoding).name
        return "utf-8-sig" if name in ("utf-8", "utf-8-sig") else encoding.lower()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def sniff_delimiter(line: str, known: set[str]) -> str:
    """The delimiter (``,``, ``;`` or tab) that splits a header line into the most known
    column names (then the most cells); ``,`` when none splits it.

    Example:
        >>> sniff_delimiter("agency;period;q", {"agency", "period", "q"})
        ';'
        >>> sniff_delimiter("agency,period,note;x", {"agency", "period"})
        ','
    """
    best, score = ",", (0, 1)
    for d in DELIMITERS:
        try:
            cells = next(csv.reader([line], delimiter=d))
        except (csv.Error, StopIteration):
            continue
        got = (sum(c.strip() in known for c in cells), len(cells))
        if got > score:
            best, score = d, got
    return best


def first_line(path: str | Path, encoding: str) -> str:
    """The first non-blank line of the file ("" when there is none or it cannot be read:
    the reader then reports why)."""
    try:
        with open(path, encoding=encoding, newline="", errors="replace") as fh:
            for line in itertools.islice(fh, 1000):
                if line.strip("\ufeff \t\r\n"):
                    return line.lstrip("\ufeff")
    except (OSError, UnicodeError):  # (a codec without error handlers: idna)
        pass
    return ""
