"""Answers as records: Python mappings (``from_records``) and JSON files.

A JSON answers file is a list of records (``{"agency": ..., "period": ...,
"<indicator>": ...}``) or ``{"responses": [...]}``. Reading is strict: ``NaN`` and
``Infinity`` are not answers (write ``null`` for a missing one), a key may appear once
in a record, integers have at most 4,000 digits, and every problem is located at its
line and column.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..errors import Location
from .answer_cells import RESERVED_COLUMNS, JsonSpecial, check_text
from .answer_table import AnswerParser, Chunk
from .answers_csv import extra_hint
from .problems import Report

__all__ = ["read_json", "records_chunk"]

MAX_INT_DIGITS = 4000
MAX_DEPTH = 200


class _Record(dict[str, Any]):
    """A JSON object whose keys repeated (the repeats are kept in ``dups``)."""

    dups: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = dict(pairs)
    if len(out) != len(pairs):
        rec = _Record(out)
        seen: set[str] = set()
        rec.dups = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
        return rec
    return out


def _int(text: str) -> int | JsonSpecial:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        return JsonSpecial(f"an integer of {len(text.lstrip('-')):,} digits")
    return int(text)


def records_chunk(
    records: Sequence[object],
    rubric: Any,
    keep: Sequence[str],
    rep: Report,
    *,
    located: bool = True,
    text: str = "",
    extra: Literal["error", "keep", "ignore"] = "error",
    parser: AnswerParser | None = None,
) -> Chunk:
    """The records as one chunk of columns (unknown keys and non-records reported).

    Args:
        records: One mapping per agency-period.
        rubric: The rubric (its indicator ids are the answer keys).
        keep: Attribute keys to keep besides the reserved ones.
        rep: Where problems go.
        located: Records come from the JSON ``text`` (problems get line and column and
            a ``$[k].key`` path); else they are Python records (``record k.key``).
        text: The JSON text, when ``located``.
        extra: Unknown keys: ``"error"`` (each reported once, at its first record),
            ``"keep"`` (as attributes of ``parser``) or ``"ignore"``. A key that looks
            like a misspelt indicator id is an error whatever the choice.
        parser: The parser the chunk is for (told the attributes kept).
    """
    ids = [x.id for x in rubric.indicators]
    allowed = set(ids) | set(RESERVED_COLUMNS) | set(keep)
    where = _JsonPlaces(text, rep) if located else None
    unknown: dict[Any, list[int]] = {}

    def locate(key: str | None, k: int) -> tuple[Location | None, str]:
        path = (f"$[{k}]" if located else f"record {k + 1}") + ("" if key is None else f".{key}")
        return (where.at(k, key) if where is not None else None), path

    index: list[int] = []
    columns: dict[str, list[Any]] = {}
    for k, rec in enumerate(records):
        if not isinstance(rec, Mapping):
            loc, path = locate(None, k)
            rep.add(
                f"record {k + 1} is not {'an object' if located else 'a mapping'} "
                f"(got {type(rec).__name__})",
                path,
                loc,
                hint="each record maps column names to answers",
            )
            continue
        row = len(index)
        index.append(k)
        for key in getattr(rec, "dups", ()):
            loc, path = locate(key, k)
            rep.add(
                f"record {k + 1} has the key {key!r} more than once",
                path,
                loc,
                hint="give each key once; a later value would silently replace an earlier one",
            )
        for key, value in rec.items():
            if key not in allowed:
                seen = unknown.get(key)
                if seen is None:
                    seen = unknown[key] = []
                    if _kept(key, extra, ids, rep, locate(str(key), k)):
                        allowed.add(key)
                        if parser is not None:
                            parser.keep_also([key])
                seen.append(k)
                if key not in allowed:
                    continue
            col = columns.get(key)
            if col is None:
                col = columns[key] = [None] * row
            col.append(value)
        for col in columns.values():
            if len(col) == row:
                col.append(None)
    for key, where_ in unknown.items():
        if (key not in allowed and extra == "error") or _typo(key, ids):
            loc, path = locate(str(key), where_[0])
            many = f" (in {len(where_)} records, from record {where_[0] + 1})"
            rep.add(
                f"unknown key {key!r}"
                + (many if len(where_) > 1 else f" in record {where_[0] + 1}"),
                path,
                loc,
                hint=f"did you mean {_typo(key, ids)[0]!r}?"
                if _typo(key, ids)
                else extra_hint(rubric),
            )
    n = len(index)
    columns.setdefault("agency", [None] * n)
    for key in columns:
        columns[key].extend([None] * (n - len(columns[key])))
    return Chunk(
        n=n,
        columns=columns,
        text=False,
        locate=lambda key, i: locate(key, index[i]),
        row=lambda i: (
            locate(None, index[i])[0],
            f"record {index[i] + 1}",
        ),
    )


def _typo(key: object, ids: Sequence[str]) -> list[str]:
    """The indicator id ``key`` looks like a misspelling of, if any."""
    return difflib.get_close_matches(str(key), ids, 1, 0.6) if key not in ids else []


def _kept(
    key: object,
    extra: str,
    ids: Sequence[str],
    rep: Report,
    where: tuple[Location | None, str],
) -> bool:
    """Whether an unknown key becomes an attribute (a key that cannot be text never)."""
    if isinstance(key, str):
        try:
            check_text(key, "the key")
        except ValueError as err:
            rep.add(str(err), where[1], where[0])
            return False
    return extra == "keep" and isinstance(key, str) and not _typo(key, ids)


def read_json(text: str, rep: Report) -> list[Any]:
    """The records of a JSON answers file (raises every problem of its structure)."""
    try:
        doc = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=JsonSpecial,
            parse_int=_int,
        )
    except RecursionError:
        line, col = _too_deep(text)
        rep.fail(
            f"the JSON is nested more than {MAX_DEPTH} levels deep",
            rep.at(line, col),
            hint="answers are a list of flat records",
        )
    except ValueError as e:
        msg, line, col = (
            getattr(e, "msg", str(e)),
            getattr(e, "lineno", 1),
            getattr(e, "colno", 1),
        )
        rep.fail(f"not valid JSON: {msg}", rep.at(line, col), hint="expected a list of records")
    if isinstance(doc, dict) and set(doc) == {"responses"}:
        doc = doc["responses"]
    if not isinstance(doc, list):
        start = len(text) - len(text.lstrip())
        line, col = _JsonPlaces(text, rep).line_col(start)
        rep.fail(
            'a JSON answers file must be a list of records or {"responses": [...]} '
            f"(got {'an object' if isinstance(doc, dict) else type(doc).__name__})",
            rep.at(line, col),
            path="$",
        )
    return doc


def _too_deep(text: str) -> tuple[int, int]:
    """Line and column where nesting first passes :data:`MAX_DEPTH`."""
    depth = 0
    for m in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]', text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                before = text[: m.start()]
                return before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1
        elif c in "]}":
            depth -= 1
    return 1, 1


class _JsonPlaces:
    """Line and column of each record and key of a JSON answers file, computed only
    when a problem needs them."""

    def __init__(self, text: str, rep: Report) -> None:
        self.text = text
        self.rep = rep
        self._records: list[tuple[int, dict[str, int]]] | None = None
        self._lines: list[int] | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        if self._lines is None:
            self._lines = [m.start() for m in re.finditer("\n", self.text)]
        k = bisect.bisect_left(self._lines, offset)
        start = self._lines[k - 1] + 1 if k else 0
        return k + 1, offset - start + 1

    def at(self, k: int, key: str | None) -> Location:
        if self._records is None:
            self._records = _record_offsets(self.text)
        if k >= len(self._records):
            return self.rep.at()
        start, keys = self._records[k]
        return self.rep.at(*self.line_col(keys.get(key, start) if key is not None else start))


_scanstring: Any = getattr(json.decoder, "scanstring")  # noqa: B009 - untyped in typeshed
_WS = re.compile(r"[ \t\n\r]*")


def _record_offsets(text: str) -> list[tuple[int, dict[str, int]]]:
    """Offset of every record of the top-level list and of every key in it."""
    dec = json.JSONDecoder(parse_int=lambda s: 0, parse_constant=lambda s: 0)
    out: list[tuple[int, dict[str, int]]] = []

    def ws(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def members(i: int) -> tuple[dict[str, int], int]:
        """Keys of the object at ``i`` (its ``{``) and the offset after it."""
        keys: dict[str, int] = {}
        i = ws(i + 1)
        while text[i] != "}":
            key, j = _scanstring(text, i + 1)
            keys.setdefault(key, i)
            j = ws(ws(j) + 1)  # past ':'
            _, j = dec.raw_decode(text, j)
            i = ws(j)
            if text[i] == ",":
                i = ws(i + 1)
        return keys, i + 1

    try:
        i = ws(0)
        if text[i] == "{":
            keys, _ = members(i)
            i = ws(ws(_scanstring(text, keys["responses"] + 1)[1]) + 1)
        i = ws(i + 1)
        while text[i] != "]":
            if text[i] == "{":
                keys, j = members(i)
            else:
                keys, j = {}, dec.raw_decode(text, i)[1]
            out.append((i, keys))
            i = ws(j)
            if text[i] == ",":
                i = ws(i + 1)
    except (ValueError, IndexError, KeyError, RecursionError):
        pass
    return out
