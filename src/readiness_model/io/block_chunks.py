"""A block's converted columns, cut into the parser's chunks: the rows of the ``csv``
reader's chunks, so that problems come in its order (see :mod:`.csv_blocks`).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..errors import Location
from .answer_cells import Column
from .answer_table import Chunk

__all__ = ["Columns", "chunks"]


class Columns(NamedTuple):
    """A block's columns: text cells by name, converted indicator columns by name, and
    whether every agency cell is a plain id."""

    texts: dict[str, list[str]]
    converted: dict[str, Column]
    plain: bool


def chunks(
    cols: Columns,
    used: int,
    line: int,
    pos: dict[str, int],
    where: str,
    grouping: bool,
    rows: int,
) -> Iterator[Chunk]:
    """Converted columns of ``used`` rows in chunks of ``rows`` rows."""
    for a in range(0, used, rows):
        b = min(used, a + rows)
        yield _chunk(
            b - a,
            {h: t[a:b] for h, t in cols.texts.items()},
            {h: _rows(col, a, b) for h, col in cols.converted.items()},
            line + a,
            pos,
            where,
            grouping,
            cols.plain,
        )


def _rows(col: Column, a: int, b: int) -> Column:
    """Rows ``a:b`` of a converted column."""
    bad = col.bad
    if bad:
        at = [i for i, _ in bad]
        lo, hi = bisect.bisect_left(at, a), bisect.bisect_left(at, b)
        bad = tuple((i - a, e) for i, e in bad[lo:hi])
    return Column(col.values[a:b], col.missing[a:b], col.na[a:b], bad)


def _chunk(
    n: int,
    columns: dict[str, Sequence[str]],
    converted: dict[str, Column],
    line: int,
    pos: dict[str, int],
    where: str,
    grouping: bool,
    plain: bool,
) -> Chunk:
    def locate(key: str, i: int) -> tuple[Location, str]:
        return Location(where, line + i, pos[key] + 1), f"row {line + i}, column {key!r}"

    return Chunk(
        n=n,
        columns=columns,
        text=True,
        locate=locate,
        row=lambda i: (Location(where, line + i), f"row {line + i}"),
        converted=converted,
        grouping=grouping,
        plain_agencies=plain,
    )
