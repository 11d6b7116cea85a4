"""Numbers written with thousands separators (``1,200``), read only when unambiguous.

A comma inside a number is a thousands separator in Thai and English spreadsheets and a
decimal separator in much of Europe, where CSV files are separated by ``;`` instead.
So:

* ``1,234,567`` and ``1,234.5`` are unambiguous: read as 1234567 and 1234.5;
* ``1,200`` (one comma, three digits after it) is read as 1200 where a comma cannot be
  a decimal separator, that is in a comma-separated file (where the cell had to be
  quoted); elsewhere (``;`` or tab separated, a text cell of a workbook, JSON) it is
  rejected with a hint saying why;
* any other comma (``1,5``, ``1.234,5``) is not a thousands separator: rejected with
  a hint (a decimal comma?).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import re

__all__ = ["looks_grouped", "ungroup"]

# sign, digit groups, then whatever follows (a decimal part, a unit)
_GROUPED = re.compile(r"(\s*[+-]?)(\d{1,3}(?:,\d{3})+)(?![\d,])(.*)", re.DOTALL)
_NUMBER_WITH_COMMA = re.compile(r"\s*[+-]?[\d.]*\d[\d.]*,\d")


def looks_grouped(text: str) -> bool:
    """Whether ``text`` starts with a number that holds a comma (``1,200``, ``1,5 %``).

    Example:
        >>> looks_grouped("1,200"), looks_grouped(" -1,5 %"), looks_grouped("a, b")
        (True, True, False)
    """
    return _NUMBER_WITH_COMMA.match(text) is not None


def ungroup(text: str, grouping: bool) -> str:
    """``text`` with the thousands separators of its number removed.

    Args:
        text: A cell holding a comma.
        grouping: A lone comma followed by three digits (``1,200``) groups thousands
            (true in a comma-separated file).

    Raises:
        ValueError: the comma is ambiguous or not a thousands separator; the message
            says so and what to write instead.

    Example:
        >>> ungroup("1,234,567", False), ungroup("1,234.5 %", False), ungroup("1,200", True)
        ('1234567', '1234.5 %', '1200')
        >>> try:
        ...     ungroup("1,200", False)
        ... except ValueError as err:
        ...     print(str(err).replace("; ", ";\\n"))
        '1,200' is ambiguous here: 1200 with a thousands separator, or 1.2 with a decimal comma;
        write 1200 or 1.2
        >>> ungroup("1,5", True)
        Traceback (most recent call last):
        ...
        ValueError: the comma in '1,5' does not group thousands (a decimal comma?); write 1.5
    """
    m = _GROUPED.fullmatch(text)
    if m is None:
        plain = text.strip().replace(".", "").replace(",", ".", 1) if "," in text else text
        raise ValueError(
            f"the comma in {text.strip()!r} does not group thousands (a decimal comma?); "
            f"write {plain}"
        )
    sign, digits, rest = m.groups()
    joined = digits.replace(",", "")
    if digits.count(",") == 1 and not rest.startswith(".") and not grouping:
        head, tail = digits.split(",")
        raise ValueError(
            f"{text.strip()!r} is ambiguous here: {joined} with a thousands separator, or "
            f"{head}.{tail.rstrip('0') or '0'} with a decimal comma; write {joined} or "
            f"{head}.{tail.rstrip('0') or '0'}"
        )
    if "," in rest:
        raise ValueError(
            f"the comma in {text.strip()!r} does not group thousands (a decimal comma?); "
            "write the number with a decimal point and no separators"
        )
    return sign + joined + rest
