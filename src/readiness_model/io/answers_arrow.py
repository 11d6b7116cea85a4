"""The optional fast reader of wide CSV answers: pyarrow (``readiness-model[fast]``).

pyarrow tokenises the file on every core; numeric columns are converted by its
correctly rounded parser (the same bits as Python's ``float``), label columns are
dictionary-encoded so that each distinct answer is parsed once by its scale; a numeric
column with other cells goes through the standard reader's column converter. The reader
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
    for start in range(0, max(n, 1), BATCH_ROWS):
        part = table.slice(start, BATCH_ROWS)
        columns: dict[str, Any] = {}
        converted: dict[str, Column] = {}
        for h in header:
            col = part.column(h).combine_chunks()  # (label columns: one dictionary)
            if h in scales:
                converted[h] = _indicator(pa, scales[h], col)
            else:
                columns[h] = col.to_pylist()
        if any(c.bad for c in converted.values()):
            return None
        parser.feed(
            Chunk(
                n=part.num_rows,
                columns=columns,
                text=True,
                locate=lambda key, i: (nowhere, ""),
                row=lambda i: (nowhere, ""),
                converted=converted,
            )
        )
        if rep.problems:
            return None
    del table
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
            if mm.find(b"\x00") >= 0 or mm.find(b"\xef\xbb\xbf", start) >= 0:
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
    skip = _bits(pa.compute.is_in(col, value_set=_strings(pa, _NOT_VALUES)), n)
    # skipped cells become nulls of a view of the same text (no copy), which the cast
    # leaves alone; their values are then set to NaN
    keep = np.packbits(~skip, bitorder="little")
    text = pa.StringArray.from_buffers(
        n, pa.py_buffer(off), pa.py_buffer(raw), pa.py_buffer(keep), int(skip.sum())
    )
    try:
        parsed = pa.compute.cast(text, pa.float64())
    except pa.ArrowException:
        return convert_bytes(scale, raw, off[:-1], off[1:])
    values = np.frombuffer(parsed.buffers()[1], np.float64, count=n, offset=8 * parsed.offset)
    values = values.copy()
    values[skip] = np.nan
    ok = np.isfinite(values)  # False where skipped
    ok[ok] = np.asarray(scale.valid(values[ok]), dtype=bool)  # (a scale sees numbers only)
    if int(np.count_nonzero(ok)) + int(np.count_nonzero(skip)) != n:
        return convert_bytes(scale, raw, off[:-1], off[1:])
    return Column(values, blank, skip & ~blank, ())


def _strings(pa: Any, texts: list[str]) -> Any:
    """An Arrow string array built from its buffers (``pa.array`` imports pandas)."""
    data = "".join(texts).encode("utf-8")
    ends = np.cumsum([0] + [len(t.encode("utf-8")) for t in texts], dtype=np.int32)
    return pa.StringArray.from_buffers(len(texts), pa.py_buffer(ends.tobytes()), pa.py_buffer(data))


def _bits(arr: Any, n: int) -> np.ndarray:
    """A boolean Arrow array without nulls as a numpy array."""
    packed = np.frombuffer(arr.buffers()[1], np.uint8)
    return np.unpackbits(packed, bitorder="little")[arr.offset : arr.offset + n].astype(bool)
