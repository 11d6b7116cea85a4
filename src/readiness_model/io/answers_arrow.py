"""The optional fast reader of wide CSV answers: pyarrow (``readiness-model[fast]``).

pyarrow tokenises the file on every core; numeric columns are converted by its
correctly rounded parser (the same bits as Python's ``float``), label columns are
dictionary-encoded so that each distinct answer is parsed once by its scale; a numeric
column with other cells goes through the standard reader's column converter. A batch of
rows is converted on a second thread while the previous one's rows are fed. The reader
only ever gives a clean result: at the first sign of anything it does not handle exactly
like the standard-library reader (a problem to report, quoted line breaks, a NUL byte,
a second byte-order mark, a numeric spelling pyarrow does not read) it returns ``None``
and :func:`~readiness_model.io.load_responses` reads the file again with the standard
library, which locates every problem.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import csv
import importlib
import mmap
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Location, Problem, ResponseError
from .answer_cells import NA_TOKENS, RESERVED_COLUMNS, Column, convert_coded
from .answer_table import AnswerParser, Chunk, Parsed
from .byte_columns import convert_bytes
from .problems import Report

__all__ = ["read_fast"]

FAST_HINT = "pip install readiness-model[fast]"
BATCH_ROWS = 1 << 16  # rows converted at a time (bounds the memory of the conversion)
BLOCK_BYTES = 1 << 20  # bytes of the file a thread parses at a time (pyarrow's default)
_NOT_VALUES = ["", *sorted(NA_TOKENS), "N/A", "NA"]
_NOT_BYTES = tuple(t.encode("ascii") for t in _NOT_VALUES if t)
_FIRST = np.zeros(256, bool)  # the first bytes of _NOT_BYTES
_FIRST[[t[0] for t in _NOT_BYTES]] = True


def _pyarrow() -> Any:
    try:
        return (
            importlib.import_module("pyarrow"),
            importlib.import_module("pyarrow.csv"),
            importlib.import_module("pyarrow.compute"),
        )
    except ImportError:
        return None


def read_fast(
    path: str | Path,
    rubric: Any,
    keep: Sequence[str],
    period: Any,
    allow_missing: bool,
    *,
    required: str = "auto",
) -> Parsed | None:
    """The answers of a clean wide CSV file, or ``None`` (read it the standard way).

    Raises:
        ResponseError: ``required="pyarrow"`` and pyarrow is not installed.
    """
    mods = _pyarrow()
    if mods is None:
        if required == "pyarrow":
            raise ResponseError(
                [
                    Problem(
                        "engine='pyarrow' needs pyarrow, which is not installed",
                        "engine",
                        hint=FAST_HINT,
                    )
                ]
            )
        return None
    pa, pv, _ = mods
    header = _clean_header(path, rubric, keep, period, allow_missing)
    if header is None:
        return None
    scales = {x.id: x.scale for x in rubric.indicators}
    labels = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pv.read_csv(
            path,
            read_options=pv.ReadOptions(
                column_names=header, skip_rows=1, use_threads=True, block_size=BLOCK_BYTES
            ),
            parse_options=pv.ParseOptions(newlines_in_values=False),
            convert_options=pv.ConvertOptions(
                column_types={
                    h: labels if h in scales and not scales[h].continuous else pa.string()
                    for h in header
                },
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None
    rep = Report(str(path))
    n = table.num_rows
    parser = AnswerParser(rubric, keep, period, rep, rows=n)
    nowhere = Location(str(path))

    def convert(part: Any) -> Chunk:
        """One batch of rows as columns: indicators converted, the others as text."""
        columns: dict[str, Any] = {}
        converted: dict[str, Column] = {}
        for h in header:
            col = part.column(h).combine_chunks()  # (label columns: one dictionary)
            if h in scales:
                converted[h] = _indicator(pa, scales[h], col)
            else:
                columns[h] = col.to_pylist()
        return Chunk(
            n=part.num_rows,
            columns=columns,
            text=True,
            locate=lambda key, i: (nowhere, ""),
            row=lambda i: (nowhere, ""),
            converted=converted,
        )

    # the next batch is converted (on one thread: a plug-in scale's parser need not be
    # thread-safe) while this one's rows are fed
    parts = [table.slice(start, BATCH_ROWS) for start in range(0, max(n, 1), BATCH_ROWS)]
    del table
    with ThreadPoolExecutor(1) as ahead:
        pending = ahead.submit(convert, parts[0])
        for k in range(len(parts)):
            chunk = pending.result()
            parts[k] = None  # (its memory goes once converted)
            if k + 1 < len(parts):
                pending = ahead.submit(convert, parts[k + 1])
            if any(c.bad for c in chunk.converted.values()):
                return None
            parser.prefault(chunk.n)
            parser.feed(chunk)
            if rep.problems:
                return None
    try:
        return parser.finish()
    except ResponseError:
        return None


def _clean_header(
    path: str | Path, rubric: Any, keep: Sequence[str], period: Any, allow_missing: bool
) -> list[str] | None:
    """The header of a file the fast reader can take, or ``None``."""
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            start = 3 if mm[:3] == b"\xef\xbb\xbf" else 0
            if mm.find(b"\x00") >= 0 or _has_bom(mm, start):
                return None
            if mm.find(b'"', start) >= 0 and not _quotes_as_csv_reads_them(mm, start):
                return None
            end = mm.find(b"\n")
            line = mm[start : end if end >= 0 else len(mm)]
    except (OSError, ValueError):  # unreadable, or empty (mmap refuses)
        return None
    try:
        header = next(csv.reader([line.decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, StopIteration, csv.Error):
        return None
    ids = {x.id for x in rubric.indicators}
    allowed = ids | set(RESERVED_COLUMNS) | set(keep)
    if (
        len(set(header)) != len(header)
        or not set(header) <= allowed
        or "agency" not in header
        or (period is None and "period" not in header)
        or (not allow_missing and not ids <= set(header))
    ):
        return None
    return header


def _has_bom(data: Any, start: int) -> bool:
    """Whether a byte-order mark follows ``start``. Found by its first byte (``memchr``
    speed: a three-byte ``find`` is ten times slower on a large file); a file with many
    such bytes (text in some scripts) is searched for the whole mark."""
    pos = data.find(b"\xef", start)
    for _ in range(64):
        if pos < 0:
            return False
        if data[pos : pos + 3] == b"\xef\xbb\xbf":
            return True
        pos = data.find(b"\xef", pos + 1)
    return bool(data.find(b"\xef\xbb\xbf", pos) >= 0)


def _quotes_as_csv_reads_them(data: Any, start: int) -> bool:
    """Whether every line holding a double quote is one well-quoted CSV record as the
    standard reader (``csv`` with ``strict=True``) reads it. pyarrow is lenient where
    ``csv`` is strict: text after a closing quote (``"5"0`` read as 50) or a quote left
    open at the end of the file is an error for the standard reader and must stay one.
    Lines without a quote cannot have either problem and are not looked at."""
    raw = np.frombuffer(data, np.uint8)[start:]
    ends = np.flatnonzero(raw == 10)
    starts = np.concatenate([[0], ends + 1])
    stops = np.concatenate([ends, [len(raw)]])
    keep = starts < len(raw)  # (an empty last line holds no quote)
    starts, stops = starts[keep], stops[keep]
    lines = np.flatnonzero(np.logical_or.reduceat(raw == 34, starts)) if len(starts) else starts
    try:
        texts = [
            data[start + a : start + b].decode("utf-8").rstrip("\r")
            for a, b in zip(starts[lines].tolist(), stops[lines].tolist(), strict=True)
        ]
        records = sum(1 for _ in csv.reader(texts, strict=True))
    except (UnicodeDecodeError, csv.Error):
        return False
    return records == len(texts)  # (fewer: a quoted field ran on into the next line)


def _indicator(pa: Any, scale: Any, col: Any) -> Column:
    """One indicator column: Arrow's correctly rounded float parser for a continuous
    scale's plain column, Arrow's dictionary encoding for a label scale (each distinct
    answer parsed once); any other column through the standard reader's converter
    (:func:`~.byte_columns.convert_bytes`). Arrays reach numpy as views of their buffers
    (``to_numpy`` and Python scalars would import pandas)."""
    n = len(col)
    if not scale.continuous:
        idx = col.indices
        codes = np.frombuffer(idx.buffers()[1], np.int32, count=n, offset=4 * idx.offset)
        return convert_coded(scale, col.dictionary.to_pylist(), codes.astype(np.intp))
    _, offsets, data = col.buffers()
    off = np.frombuffer(offsets, np.int32, count=n + 1, offset=4 * col.offset)
    raw = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
    blank = (off[1:] - off[:-1]) == 0
    skip = _not_values(off, raw, blank)
    values = _cast(pa, off, raw, skip)
    if values is None:
        return convert_bytes(scale, raw, off[:-1], off[1:])
    ok = np.isfinite(values)  # False where skipped
    ok[ok] = np.asarray(scale.valid(values[ok]), dtype=bool)  # (a scale sees numbers only)
    if int(np.count_nonzero(ok)) + int(np.count_nonzero(skip)) != n:
        return convert_bytes(scale, raw, off[:-1], off[1:])
    return Column(values, blank, skip & ~blank, ())


def _not_values(off: np.ndarray, raw: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Where the cells are blank or spelled as one of ``_NOT_VALUES``. Only cells whose
    first byte starts one (``n``, ``N``, ``-``) are compared, byte by byte for all of
    them at once. Other spellings of "not applicable" (``Not Applicable``, spaces)
    are not numbers to Arrow either: its cast fails and the column goes the standard
    way."""
    starts = off[:-1]
    lens = off[1:] - starts
    # (a blank cell's "first byte" is its neighbour's, or clipped at the end: its
    # length, 0, is no token's)
    head = np.take(raw, starts, mode="clip") if len(raw) else np.zeros(len(lens), np.uint8)
    cand = np.flatnonzero(np.take(_FIRST, head))
    skip: np.ndarray = blank.copy()
    for token in _NOT_BYTES:
        at = cand[lens[cand] == len(token)]
        same = np.ones(len(at), bool)
        for k, byte in enumerate(token):
            same &= raw[starts[at] + k] == byte
        skip[at[same]] = True
    return skip


def _cast(pa: Any, off: np.ndarray, raw: np.ndarray, skip: np.ndarray) -> np.ndarray | None:
    """The cells as floats by Arrow's parser, NaN where ``skip``; ``None`` when another
    cell is not a number Arrow reads. The skipped cells become nulls of a view of the
    same text (no copy), which the cast leaves alone."""
    n = len(skip)
    keep = np.packbits(~skip, bitorder="little")
    text = pa.StringArray.from_buffers(
        n, pa.py_buffer(off), pa.py_buffer(raw), pa.py_buffer(keep), int(skip.sum())
    )
    try:
        parsed = pa.compute.cast(text, pa.float64())
    except pa.ArrowException:
        return None
    values: np.ndarray = np.frombuffer(
        parsed.buffers()[1], np.float64, count=n, offset=8 * parsed.offset
    ).copy()
    values[skip] = np.nan
    return values
