"""Answers in the long CSV layout: ``agency,period,indicator,value`` (plus attribute
columns), one row per answer, grouped by (agency, period) into one chunk of columns.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from ..errors import Location, did_you_mean
from .answer_cells import RESERVED_COLUMNS, is_blank
from .answer_table import AnswerParser, Chunk
from .csv_rows import CHUNK_ROWS, Rows, ragged
from .problems import Report

__all__ = ["LONG_COLUMNS", "read_long"]

LONG_COLUMNS = ("agency", "period", "indicator", "value")


def read_long(
    rows: Rows,
    header: list[str],
    hline: int,
    rubric: Any,
    keep: Sequence[str],
    parser: AnswerParser,
    rep: Report,
    grouping: bool,
    extra_columns: Literal["error", "keep", "ignore"],
) -> set[str]:
    """A long file: rows grouped by (agency, period) into one chunk."""
    ids = [x.id for x in rubric.indicators]
    allowed = set(LONG_COLUMNS) | set(RESERVED_COLUMNS) | set(keep)
    extras = []
    for c, h in enumerate(header):
        if h and h not in allowed and header.index(h) == c and extra_columns != "error":
            extras.append(h)
        elif h not in allowed or header.index(h) != c:
            rep.add(
                f"unexpected column {h!r} in a long answers file",
                f"row {hline}, column {h!r}",
                rep.at(hline, c + 1),
                hint=did_you_mean(h, sorted(allowed)),
            )
    if extra_columns == "keep" and extras:
        parser.keep_also(extras)
        allowed |= set(extras)
    if "agency" not in header:
        rep.add("there is no 'agency' column", f"row {hline}", rep.at(hline))
    pos = {h: c for c, h in reversed(list(enumerate(header))) if h in allowed}
    attrs_ = [h for h in pos if h not in ("indicator", "value")]
    groups: dict[tuple[str, str], int] = {}
    cells: dict[str, list[Any]] = {h: [] for h in [*attrs_, *ids]}
    places: dict[str, list[tuple[int, int]]] = {h: [] for h in cells}
    first_line: list[int] = []
    present: set[str] = set(header) - {"indicator", "value"}
    done: dict[tuple[str, str, str], int] = {}
    width = len(header)
    while not rows.done:
        chunk, lines = rows.chunk(CHUNK_ROWS)
        for row, line in zip(chunk, lines, strict=True):
            if ragged(rep, line, row, width):
                continue
            ag, per = (row[pos[k]] if k in pos else "" for k in ("agency", "period"))
            g = groups.setdefault((ag, per), len(groups))
            if g == len(first_line):
                first_line.append(line)
                for h in cells:
                    cells[h].append(None)
                    places[h].append((line, 0))
            for h in attrs_:
                _long_attribute(rep, cells, places, h, g, row[pos[h]], line, pos[h], ag, per)
            ind = row[pos["indicator"]] if "indicator" in pos else ""
            loc = rep.at(line, pos.get("indicator", 0) + 1)
            path = f"row {line}, column 'indicator'"
            if ind not in places or ind in attrs_:
                rep.add(f"unknown indicator {ind!r}", path, loc, hint=did_you_mean(ind, ids))
            elif (ag, per, ind) in done:
                rep.add(
                    f"agency {ag!r} answers {ind!r} twice for period {per or '?'} (rows "
                    f"{done[(ag, per, ind)]} and {line})",
                    path,
                    loc,
                    hint="keep one row per agency, period and indicator",
                )
            else:
                done[(ag, per, ind)] = line
                present.add(ind)
                cells[ind][g] = row[pos["value"]] if "value" in pos else ""
                places[ind][g] = (line, pos.get("value", 0) + 1)
    for h in ids:
        if h not in present:
            del cells[h]
    where = rep.where

    def locate(key: str, i: int) -> tuple[Location, str]:
        line, col = places[key][i]
        if key in ids:
            return Location(where, line, col), f"row {line}, column 'value' (indicator {key!r})"
        return Location(where, line, col), f"row {line}, column {key!r}"

    parser.feed(
        Chunk(
            n=len(first_line),
            columns={h: [("" if v is None else v) for v in col] for h, col in cells.items()},
            text=True,
            locate=locate,
            row=lambda i: (Location(where, first_line[i]), f"row {first_line[i]}"),
            grouping=grouping,
        )
    )
    if not first_line:  # (no rows: the header of a long file names no indicator)
        present |= set(ids)
    return present


def _long_attribute(
    rep: Report,
    cells: dict[str, list[Any]],
    places: dict[str, list[tuple[int, int]]],
    h: str,
    g: int,
    v: str,
    line: int,
    c: int,
    ag: str,
    per: str,
) -> None:
    """An attribute repeated on every row of a long file must not change."""
    old = cells[h][g]
    if old is None or (is_blank(old) and not is_blank(v)):
        cells[h][g] = v
        places[h][g] = (line, c + 1)
    elif old != v and not is_blank(v):
        rep.add(
            f"agency {ag!r} (period {per or '?'}) has {h} {old!r} on row {places[h][g][0]} "
            f"but {v!r} here",
            f"row {line}, column {h!r}",
            rep.at(line, c + 1),
            hint="give one value per agency and period",
        )
