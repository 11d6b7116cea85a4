"""Cells of the id, period and attribute columns of answers: checked and converted,
each distinct cell once.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import methodcaller
from typing import Any

from .answer_cells import check_text
from .csv_text import unescape

__all__ = ["attribute_text", "convert_cells", "id_text", "plain_ids", "short"]


def plain_ids(cells: Sequence[str]) -> bool:
    """Every text cell is a non-blank id without surrounding spaces or a leading
    apostrophe (checked without a Python-level loop)."""
    return (
        all(cells)
        and list(map(str.strip, cells)) == list(cells)
        and not any(map(_STARTS_QUOTE, cells))
    )


_STARTS_QUOTE = methodcaller("startswith", "'")


def id_text(raw: object, what: str) -> str:
    """An id cell as text (raises ValueError naming the problem)."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ValueError(f"{what} must be text (got {type(raw).__name__})")
    text = str(raw)
    if text != text.strip():
        raise ValueError(f"{what} {text!r} has spaces around it")
    check_text(text, what)
    return text


def attribute_text(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float | int):
        return repr(raw) if isinstance(raw, float) else str(raw)
    if not isinstance(raw, str):
        raise ValueError(f"an attribute must be text (got {type(raw).__name__})")
    check_text(raw, "the attribute")
    return raw


class _Bad(str):
    """A conversion's error message, in place of its result."""


def convert_cells(
    cells: Sequence[Any], text: bool, convert: Callable[[Any], Any]
) -> tuple[list[Any], list[tuple[int, str]]]:
    """``convert`` of each cell (each distinct cell converted once) and the rows whose
    cell failed, with the message. Text cells are unescaped first (see :mod:`.csv_text`)."""

    def one(raw: Any) -> Any:
        try:
            return convert(unescape(raw) if text else raw)
        except (ValueError, TypeError) as err:
            return _Bad(str(err))

    if text:  # str cells: a dictionary of the distinct ones, no loop over rows
        table = dict.fromkeys(cells)
        for raw in table:
            table[raw] = one(raw)
        out = list(map(table.__getitem__, cells))
        if not any(isinstance(v, _Bad) for v in table.values()):
            return out, []
    else:
        cache: dict[tuple[type, Any], Any] = {}
        out = []
        for raw in cells:
            try:
                key = (type(raw), raw)
                got = cache[key] if key in cache else cache.setdefault(key, one(raw))
            except TypeError:  # unhashable (a JSON list)
                got = one(raw)
            out.append(got)
    bad = [(i, str(v)) for i, v in enumerate(out) if isinstance(v, _Bad)]
    for i, _ in bad:
        out[i] = None
    return out, bad


def short(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."
