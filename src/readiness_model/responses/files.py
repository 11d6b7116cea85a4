"""Survey answers from and to files: CSV (wide or long), JSON and Excel workbooks.

* **CSV wide**: one row per agency and period: ``agency``, ``period``, optional ``name``,
  ``kind``, ``parent`` (and attribute columns the rubric's ``population`` or the
  ``attributes=`` argument names), then one column per indicator id.
* **CSV long**: ``agency, period, indicator, value`` (plus optional attribute columns),
  one row per answer; recognised by its header.
* **JSON**: a list of records (``{"agency": ..., "period": ..., "<indicator>": ...}``),
  or ``{"responses": [...]}``.

* **Excel**: a workbook (``.xlsx``) with one or more answer sheets in the wide layout
  (see :mod:`.answers_xlsx`; needs the ``readiness-model[excel]`` extra).

Text files are UTF-8, with or without a byte-order mark, UTF-16 with its mark, or any
encoding named; CSV is separated by ``,``, ``;`` or tabs. A blank cell is missing, ``n/a`` not
applicable, checklists are written ``a|b|c``. Agency ids, parents and period labels are
taken exactly as written (one with spaces around it is an error); other attributes are
kept exactly. Every problem is reported at once (at most 200), each naming the file, the
1-based line of the row and the column (its 1-based position in the row) and what was
expected.

Large CSV files are read in blocks of lines, a column at a time (see
:mod:`readiness_model.io.csv_blocks`). With the optional ``readiness-model[fast]`` extra
(pyarrow) installed, wide CSV files over 1 MB that hold a quoted cell are read by
pyarrow's multi-threaded parser instead; a file it cannot read cleanly (any problem,
quoted line breaks, odd spellings) is read again by the standard-library reader, which
locates every problem. Both give the same answers, bit for bit.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import codecs
import difflib
import importlib.util
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import attrs

from .._args import require, require_period
from .._progress import ProgressCallback, tick
from ..errors import AnswersNotFoundError, AnswerWarning, ResponseError
from ..io.answer_cells import RESERVED_COLUMNS
from ..io.answer_checks import answer_problems
from ..io.answer_table import AnswerParser, kept_attributes
from ..io.answers_csv import LONG_COLUMNS, ExtraColumns, read_csv
from ..io.answers_json import read_json, records_chunk
from ..io.array_input import period_column
from ..io.csv_dialect import DELIMITERS, detect_encoding
from ..io.problems import Report
from ..model import Rubric
from . import Period, ResponseSet
from .write import write_responses

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_JSON_BYTES",
    "MAX_XLSX_BYTES",
    "load_responses",
    "write_responses",
]

MAX_CSV_BYTES = 8 << 30
"""Default size limit of a CSV answers file (8 GiB), checked before reading."""
MAX_JSON_BYTES = 512 << 20
"""Default size limit of a JSON answers file (512 MiB), checked before reading."""
MAX_XLSX_BYTES = 256 << 20
"""Default size limit of an Excel answers workbook (256 MiB), checked before reading."""
FAST_MIN_BYTES = 1 << 20


LONG_NUMBERS = 0.1
"""The share of cells that are numbers longer than 8 bytes (``63.97102465781937``) in the
first 64 KiB of a file from which ``engine="auto"`` reads it with pyarrow (when
installed): its parser reads them several times faster than the block reader."""
_NUMBER_BYTES = frozenset(b"0123456789.-+eE")


def _for_pyarrow(path: str | Path) -> bool:
    """Whether pyarrow (when installed) reads the file faster than the standard
    library's block reader: it holds a ``"`` (a quoted cell, which the block reader
    leaves to the slower ``csv`` module), or many long numbers. Without pyarrow it does
    not matter, and the file is not read for it."""
    if importlib.util.find_spec("pyarrow") is None:
        return False
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
        lines = head.split(b"\n")[1:-1]  # (no header, no cut line)
        cells = [c for line in lines for c in line.rstrip(b"\r").split(b",")]
        long = sum(1 for c in cells if len(c) > 8 and _NUMBER_BYTES.issuperset(c))
        if cells and long >= LONG_NUMBERS * len(cells):
            return True
        fh.seek(0)
        return any(b'"' in block for block in iter(lambda: fh.read(1 << 24), b""))


Engine = Literal["auto", "python", "pyarrow"]


def load_responses(
    path: str | Path,
    rubric: Rubric,
    *,
    allow_missing_columns: bool = False,
    period: Period | None = None,
    attributes: Sequence[str] = (),
    max_bytes: int | None = None,
    engine: Engine = "auto",
    encoding: str | None = None,
    delimiter: str | None = None,
    extra_columns: ExtraColumns = "error",
    sheets: Sequence[str] | None = None,
    strict: bool = False,
    progress: ProgressCallback | None = None,
) -> ResponseSet:
    """Read survey answers from a CSV (wide or long), JSON or Excel (``.xlsx``) file.

    Answers that look wrong (far outside an indicator's goalposts, or a percentage
    indicator answered in fractions) are reported as :class:`~readiness_model.AnswerWarning`
    warnings, located in the file; choices the reader made for you (a sniffed
    delimiter) as :class:`~readiness_model.ReadingNote` warnings.

    Args:
        path: The file. JSON is recognised by a ``.json`` suffix or a leading ``[``/``{``;
            a workbook by a ``.xlsx``/``.xlsm`` suffix (needs the
            ``readiness-model[excel]`` extra).
        rubric: The rubric the answers are for (its indicator ids are the columns).
        allow_missing_columns: Accept a file that lacks some indicator columns; their
            answers are then missing.
        period: The period of rows that give none (or of every row without a ``period``
            column).
        attributes: Extra agency attribute columns to keep (besides ``name``, ``kind``,
            ``parent`` and the rubric's population keys).
        max_bytes: Refuse a larger file before reading it (default
            :data:`MAX_CSV_BYTES` for CSV, :data:`MAX_JSON_BYTES` for JSON and
            :data:`MAX_XLSX_BYTES` for workbooks).
        engine: ``"auto"`` (pyarrow, when installed, for wide CSV files over 1 MB
            that hold a quoted cell or many numbers longer than 8 bytes (a tenth of
            the cells or more); the standard library's block reader is faster on
            other files), ``"python"`` (the standard library only) or
            ``"pyarrow"``. Every engine gives the same answers, bit for bit.
        encoding: The text file's encoding (``"cp874"`` or ``"tis-620"`` for Thai
            Windows text, ``"utf-16"``...). Default: UTF-8 with or without a byte-order
            mark, or UTF-16 when the file starts with its byte-order mark.
        delimiter: CSV delimiter, ``","``, ``";"`` or ``"\\t"``; default: sniffed from
            the header row (a choice other than ``","`` is reported as a note).
        extra_columns: Columns that are no indicator, reserved column or kept attribute:
            ``"error"`` (default; each listed once), ``"keep"`` (kept as attributes, like
            ``attributes=``) or ``"ignore"``. A column that looks like a misspelt
            indicator id is an error whatever the choice.
        sheets: Workbook sheets to read; default every visible sheet with a header row.
        strict: Raise the answers that look wrong as errors instead of warning.
        progress: Called as ``progress("load", done, total)`` with bytes of a CSV file
            read (see :mod:`readiness_model._progress`).

    Returns:
        The answers, rows in file order (sheet by sheet in a workbook).

    Raises:
        ResponseError: listing every problem (file, row, column, indicator, expectation).
        MissingExtraError: a workbook without the ``excel`` extra installed.

    Example:
        >>> import pathlib, tempfile, readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = p.write_text("agency,period,q\\nx,2016,yes\\n", encoding="utf-8-sig")
        >>> load_responses(p, r).values.tolist()
        [[1.0]]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``max_bytes``, ``engine``, ``encoding``, ``delimiter``,
       ``extra_columns``, ``sheets``, ``strict``, ``progress``; Excel workbooks; warnings.
    """
    # (an int would be taken for a file descriptor: os.stat(1) is the terminal's)
    require(path, (str, os.PathLike), "path", "a file path")
    require(rubric, Rubric, "rubric")
    require_period(period)
    if period is not None:  # (the rows' periods are checked as they are read)
        period = period_column(period, 1)[0]
    rep = Report(str(path))
    try:
        return _load(
            path, rubric, rep, allow_missing_columns, period, attributes, max_bytes, engine,
            encoding, delimiter, extra_columns, sheets, strict, tick(progress),
        )  # fmt: skip
    finally:
        for note in rep.notes:
            warnings.warn(note, stacklevel=3)


def _load(
    path: str | Path,
    rubric: Rubric,
    rep: Report,
    allow_missing_columns: bool,
    period: Period | None,
    attributes: Sequence[str],
    max_bytes: int | None,
    engine: Engine,
    encoding: str | None,
    delimiter: str | None,
    extra_columns: ExtraColumns,
    sheets: Sequence[str] | None,
    strict: bool,
    progress: ProgressCallback,
) -> ResponseSet:
    _check_options(rep, delimiter, extra_columns, encoding)
    keep = kept_attributes(rubric, attributes)
    size, head = _peek(path, rep)
    kind = _kind(path, head)
    codec = "utf-8-sig"
    if kind != "xlsx":
        codec = detect_encoding(head, encoding)
        if codec == "utf-8-sig":
            _no_nul(head, rep)
            text_head = head.decode(codec, errors="ignore").lstrip("\ufeff")
        else:
            text_head = _decodes(head, codec, rep).lstrip("\ufeff")
        if kind == "csv" and text_head.lstrip()[:1] in ("[", "{"):
            kind = "json"
    default = {"json": MAX_JSON_BYTES, "xlsx": MAX_XLSX_BYTES, "csv": MAX_CSV_BYTES}[kind]
    limit = max_bytes if max_bytes is not None else default
    if size > limit:
        rep.fail(
            f"the answers file is {size:,} bytes; at most {limit:,} are read",
            rep.at(),
            hint="split it, or pass a larger max_bytes",
        )
    if kind != "xlsx" and not text_head.strip() and size <= len(head) + 4:
        rep.fail(
            "the answers file is empty",
            rep.at(1, 1),
            hint="expected a header row: agency,period,<indicator>...",
        )
    parser = AnswerParser(rubric, keep, period, rep)
    present: set[str] | None = None
    progress("load", 0, size)
    if kind == "xlsx":
        from ..io.answers_xlsx import read_xlsx

        read_xlsx(
            path, rubric, keep, parser, rep, sheets=sheets, extra_columns=extra_columns,
            allow_missing_columns=allow_missing_columns, period=period,
        )  # fmt: skip
    elif kind == "json":
        text = _read_text(path, rep, codec)
        records = read_json(text, rep)
        parser.feed(
            records_chunk(records, rubric, keep, rep, text=text, extra=extra_columns, parser=parser)
        )
        present = set().union(*(r for r in records if isinstance(r, dict))) if records else None
        if extra_columns == "keep" and present is not None:
            present |= {k for k in present if k in parser.attrs}
    else:
        fast_ok = codec == "utf-8-sig" and delimiter in (None, ",") and extra_columns == "error"
        faster = engine == "auto" and fast_ok and size >= FAST_MIN_BYTES and _for_pyarrow(path)
        if fast_ok and (engine == "pyarrow" or faster):
            from ..io.answers_arrow import read_fast

            fast = read_fast(path, rubric, keep, period, allow_missing_columns, required=engine)
            if fast is not None:
                rs = ResponseSet._from_parsed(rubric, fast)
                if not answer_problems(rubric, rs.values, rs.agencies, rs.periods):
                    progress("load", size, size)
                    return rs
                # odd answers: read again by the standard reader, which locates them
                parser = AnswerParser(rubric, keep, period, rep)
        present = read_csv(
            path, rubric, keep, parser, rep, encoding=codec, delimiter=delimiter,
            extra_columns=extra_columns, progress=lambda at: progress("load", at, size),
        )  # fmt: skip
        present |= set(parser.attrs)
    if parser.seen or present:  # (a header without rows is checked too)
        _header_problems(present, rubric, keep + list(parser.attrs), allow_missing_columns,
                         period, rep)  # fmt: skip
    rs = ResponseSet._from_parsed(rubric, parser.finish())
    progress("load", size, size)
    odd = answer_problems(rubric, rs.values, rs.agencies, rs.periods, parser.locate)
    if odd and strict:
        raise ResponseError(
            [attrs.evolve(p, hint=f"{p.hint}; --strict makes this an error") for p in odd]
        )
    rep.notes.extend(AnswerWarning(p) for p in odd)
    return rs


def _check_options(
    rep: Report, delimiter: str | None, extra_columns: str, encoding: str | None
) -> None:
    if delimiter is not None and delimiter not in DELIMITERS:
        rep.add(
            f"delimiter {delimiter!r} is not one of ',', ';' or a tab",
            "delimiter",
            None,
            hint="pass ',', ';' or '\\t' (or leave it out to sniff it)",
        )
    if extra_columns not in ("error", "keep", "ignore"):
        rep.add(
            f"extra_columns must be 'error', 'keep' or 'ignore' (got {extra_columns!r})",
            "extra_columns",
            None,
        )
    if encoding is not None:
        try:
            text = codecs.lookup(encoding)._is_text_encoding
        except LookupError:
            text = None
        if not text:
            rep.add(
                f"unknown encoding {encoding!r}"
                if text is None
                else f"{encoding!r} is not an encoding of text",
                "encoding",
                None,
                hint=_ENCODINGS,
            )
    rep.check()


_ENCODINGS = "for example utf-8, utf-16, cp874 (Thai Windows), tis-620"


def _decodes(head: bytes, codec: str, rep: Report) -> str:
    """The file's first bytes as text in the encoding the caller named, or a located
    error when they are not in it (UTF-16 without its byte-order mark, say): the
    reading would fail the same way further on."""
    try:
        return str(codecs.getincrementaldecoder(codec)().decode(head, final=False))
    except (UnicodeError, ValueError, TypeError) as e:
        reason = e.reason if isinstance(e, UnicodeDecodeError) else str(e)
        rep.fail(
            f"the file cannot be read as {codec}: {reason}",
            rep.at(1),
            hint=f"name the file's encoding ({_ENCODINGS}; utf-16-le or utf-16-be for "
            "UTF-16 without a byte-order mark), or leave it out to read UTF-8",
        )


def _kind(path: str | Path, head: bytes) -> str:
    """``"xlsx"``, ``"json"`` or ``"csv"`` (JSON by content is decided after decoding)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "json" if suffix == ".json" else "csv"


def _peek(path: str | Path, rep: Report) -> tuple[int, bytes]:
    """Size and first bytes, or a located error."""
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as e:
        rep.add(f"cannot read answers file: {e.strerror or e}", "", rep.at())
        if isinstance(e, FileNotFoundError):
            raise AnswersNotFoundError(rep.error().problems) from e
        raise rep.error() from e
    return size, head


def _no_nul(head: bytes, rep: Report) -> None:
    """A text file that should be UTF-8 holds no NUL byte."""
    if b"\x00" not in head:
        return
    odd = head[1::2] if head[:1] != b"\x00" else head[0::2]
    hint = "export the survey as CSV (UTF-8), JSON or an Excel workbook (.xlsx)"
    if head.startswith(b"PK\x03\x04"):
        hint = "it is a zip file, as an Excel workbook is: name it .xlsx to read it as one"
    elif len(head) > 8 and odd.count(0) >= 0.5 * len(odd):
        hint = (
            "it looks like UTF-16 text without a byte-order mark: pass --encoding "
            "utf-16-le (encoding='utf-16-le')"
        )
    rep.fail(
        "this is not a text file (it holds NUL bytes)",
        rep.at(head[: head.index(b"\x00")].count(b"\n") + 1),
        hint=hint,
    )


def _read_text(path: str | Path, rep: Report, codec: str) -> str:
    data = Path(path).read_bytes()
    name = "UTF-8" if codec == "utf-8-sig" else codec
    hint = "save it as UTF-8 or name its encoding (--encoding, encoding=)"
    try:
        return data.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        rep.fail(
            f"the file is not {name} (byte {data[e.start]:#04x} at offset {e.start})",
            rep.at(line),
            hint=hint,
        )
    except UnicodeError as e:  # (a codec's own complaint, not about one byte)
        rep.fail(f"the file cannot be read as {name}: {e}", rep.at(1), hint=hint)


def _header_problems(
    present: set[str] | None,
    rubric: Rubric,
    keep: list[str],
    allow_missing: bool,
    period: Period | None,
    rep: Report,
) -> None:
    if present is None:
        return
    ids = [x.id for x in rubric.indicators]
    known = {*ids, *RESERVED_COLUMNS, *LONG_COLUMNS, *keep}
    # A misspelt column was already reported with "did you mean"; do not report twice.
    odd = sorted(present - known)[:20]
    typos = {m for h in odd for m in difflib.get_close_matches(h, ids, 1, 0.6)}
    lacking = [i for i in ids if i not in present and i not in typos]
    if lacking and not allow_missing:
        shown = ", ".join(repr(i) for i in lacking[:10]) + (", ..." if len(lacking) > 10 else "")
        rep.add(
            f"the file has no column for {len(lacking)} indicator(s) of rubric "
            f"{rubric.id!r}: {shown}",
            "header",
            rep.at(1),
            hint="add the columns (blank cells are missing answers), or pass "
            "allow_missing_columns=True",
        )
    if period is None and "period" not in present:
        rep.add(
            "there is no 'period' column",
            "header",
            rep.at(1),
            hint="add a period column, or give the period (--period)",
        )
