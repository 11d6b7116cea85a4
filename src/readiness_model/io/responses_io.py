"""Survey answers from and to files: CSV (wide or long) and JSON.

* **CSV wide**: one row per agency and period: ``agency``, ``period``, optional ``name``,
  ``kind``, ``parent`` (and attribute columns the rubric's ``population`` or the
  ``attributes=`` argument names), then one column per indicator id.
* **CSV long**: ``agency, period, indicator, value`` (plus optional attribute columns),
  one row per answer; recognised by its header.
* **JSON**: a list of records (``{"agency": ..., "period": ..., "<indicator>": ...}``),
  or ``{"responses": [...]}``.

Files are UTF-8, with or without a byte-order mark. A blank cell is missing, ``n/a`` not
applicable, checklists are written ``a|b|c``. Agency ids, parents and period labels are
taken exactly as written (one with spaces around it is an error); other attributes are
kept exactly. Every problem is reported at once (at most 200), each naming the file, the
1-based line of the row and the column (its 1-based position in the row) and what was
expected.

Large CSV files are read in chunks of rows, a column at a time. With the optional
``readiness-model[fast]`` extra (pyarrow) installed, wide CSV files over 1 MB are read by
pyarrow's multi-threaded parser instead; a file it cannot read cleanly (any problem,
quoted line breaks, odd spellings) is read again by the standard-library reader, which
locates every problem. Both give the same answers, bit for bit.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from ..errors import Problem, ResponseError
from ..model import Rubric
from ..responses import Period, ResponseSet
from .answer_cells import RESERVED_COLUMNS
from .answer_table import AnswerParser, kept_attributes
from .answers_csv import LONG_COLUMNS, read_csv
from .answers_json import read_json, records_chunk
from .atomic import write_atomic
from .csv_text import answer_texts, escape_column, write_rows
from .problems import Report

__all__ = ["MAX_CSV_BYTES", "MAX_JSON_BYTES", "load_responses", "write_responses"]

MAX_CSV_BYTES = 8 << 30
"""Default size limit of a CSV answers file (8 GiB), checked before reading."""
MAX_JSON_BYTES = 512 << 20
"""Default size limit of a JSON answers file (512 MiB), checked before reading."""
FAST_MIN_BYTES = 1 << 20
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
) -> ResponseSet:
    """Read survey answers from a CSV (wide or long) or JSON file.

    Args:
        path: The file. JSON is recognised by a ``.json`` suffix or a leading ``[``/``{``.
        rubric: The rubric the answers are for (its indicator ids are the columns).
        allow_missing_columns: Accept a file that lacks some indicator columns; their
            answers are then missing.
        period: The period of rows that give none (or of every row without a ``period``
            column).
        attributes: Extra agency attribute columns to keep (besides ``name``, ``kind``,
            ``parent`` and the rubric's population keys).
        max_bytes: Refuse a larger file before reading it (default
            :data:`MAX_CSV_BYTES` for CSV, :data:`MAX_JSON_BYTES` for JSON).
        engine: ``"auto"`` (pyarrow for wide CSV files over 1 MB when installed),
            ``"python"`` (the standard library only) or ``"pyarrow"``.

    Returns:
        The answers, rows in file order.

    Raises:
        ResponseError: listing every problem (file, row, column, indicator, expectation).

    Example:
        >>> import pathlib, tempfile, readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
        >>> _ = p.write_text("agency,period,q\\nx,2016,yes\\n", encoding="utf-8-sig")
        >>> load_responses(p, r).values.tolist()
        [[1.0]]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``max_bytes`` and ``engine``.
    """
    rep = Report(str(path))
    keep = kept_attributes(rubric, attributes)
    size, head = _peek(path, rep)
    is_json = str(path).lower().endswith(".json") or head.lstrip()[:1] in (b"[", b"{")
    limit = max_bytes if max_bytes is not None else MAX_JSON_BYTES if is_json else MAX_CSV_BYTES
    if size > limit:
        rep.fail(
            f"the answers file is {size:,} bytes; at most {limit:,} are read",
            rep.at(),
            hint="split it, or pass a larger max_bytes",
        )
    if not head.strip() and size <= len(head) + 3:
        rep.fail(
            "the answers file is empty",
            rep.at(1, 1),
            hint="expected a header row: agency,period,<indicator>...",
        )
    parser = AnswerParser(rubric, keep, period, rep)
    if is_json:
        text = _read_text(path, rep)
        records = read_json(text, rep)
        parser.feed(records_chunk(records, rubric, keep, rep, text=text))
        present = set().union(*(r for r in records if isinstance(r, dict))) if records else None
    else:
        if engine != "python" and (engine == "pyarrow" or size >= FAST_MIN_BYTES):
            from .answers_arrow import read_fast

            fast = read_fast(path, rubric, keep, period, allow_missing_columns, required=engine)
            if fast is not None:
                return ResponseSet._from_parsed(rubric, fast)
        present = read_csv(path, rubric, keep, parser, rep)
    if parser.seen:
        _header_problems(present, rubric, keep, allow_missing_columns, period, rep)
    return ResponseSet._from_parsed(rubric, parser.finish())


def _peek(path: str | Path, rep: Report) -> tuple[int, bytes]:
    """Size and first bytes (after a byte-order mark), or a located error."""
    try:
        size = os.stat(path).st_size
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as e:
        rep.fail(f"cannot read answers file: {e.strerror or e}", rep.at())
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"\x00" in head:
        rep.fail(
            "this is not a text file (it holds NUL bytes)",
            rep.at(head[: head.index(b"\x00")].count(b"\n") + 1),
            hint="export the survey as CSV (UTF-8) or JSON",
        )
    return size, head


def _read_text(path: str | Path, rep: Report) -> str:
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        rep.fail(
            f"the file is not UTF-8 (byte {data[e.start]:#04x} at offset {e.start})",
            rep.at(line),
            hint="save it as UTF-8 or re-encode it",
        )


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


# -- writing -------------------------------------------------------------------------------
def write_responses(
    responses: ResponseSet,
    rubric: Rubric,
    path: str | Path | None = None,
    format: Literal["wide", "long", "json"] = "wide",
    *,
    safe: bool = True,
) -> str:
    """Write answers as CSV (``"wide"`` or ``"long"``) or JSON that :func:`load_responses`
    reads back equal.

    Args:
        responses: The answers.
        rubric: The rubric they were read with.
        path: Where to write (UTF-8, no byte-order mark; atomically, see
            :func:`~readiness_model.io.atomic.write_atomic`); ``None`` only returns the text.
        format: ``"wide"`` (one row per agency-period), ``"long"`` (one row per answer)
            or ``"json"`` (a list of records).
        safe: CSV only: write text cells that a spreadsheet would run as a formula
            (``=``, ``+``, ``-``, ``@``, tab, CR) with a leading apostrophe (see
            :mod:`~readiness_model.io.csv_text`); ``False`` for machine consumers.
            :func:`load_responses` reads both back exactly.

    Returns:
        The text written.

    Raises:
        ResponseError: the responses belong to another rubric, the format is unknown,
            or the file cannot be written.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "=x", "period": 2016, "q": "no"}], r)
        >>> print(write_responses(rs, r, format="long"), end="")
        agency,period,indicator,value
        '=x,2016,q,no

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``safe``; files are written atomically.
    """
    if format == "json":
        text = _json_text(responses, rubric, responses.written(rubric))
    elif format in ("wide", "long"):
        text = _csv_text(responses, rubric, format == "wide", safe)
    else:
        raise ResponseError(
            [
                Problem(
                    f"unknown answers format {format!r}",
                    "format",
                    hint="expected one of: 'wide', 'long', 'json'",
                )
            ]
        )
    if path is not None:
        write_atomic(path, text)
    return text


def _json_text(responses: ResponseSet, rubric: Rubric, answers: list[list[object]]) -> str:
    out = []
    ids = [x.id for x in rubric.indicators]
    for i, row in (
        enumerate(zip(*answers, strict=True))
        if answers
        else enumerate([()] * len(responses.agencies))
    ):
        rec: dict[str, object] = {"agency": responses.agencies[i], "period": responses.periods[i]}
        for a, col in responses.attributes:
            if col[i] is not None:
                rec[a] = col[i]
        rec.update(zip(ids, row, strict=True))
        out.append(rec)
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def _csv_text(responses: ResponseSet, rubric: Rubric, wide: bool, safe: bool) -> str:
    ids = [x.id for x in rubric.indicators]
    if responses.indicator_ids != tuple(ids):
        responses.written(rubric)  # raises the located error
    names = [a for a, _ in responses.attributes]
    lead = [
        escape_column(responses.agencies, safe),
        escape_column(map(str, responses.periods), safe),
        *(escape_column((v or "" for v in col), safe) for _, col in responses.attributes),
    ]
    cells = [
        answer_texts(x.scale, responses.values[:, j], responses.na[:, j], safe)
        for j, x in enumerate(rubric.indicators)
    ]
    buf = io.StringIO()
    if wide:
        write_rows(buf, [[h] for h in escape_column(["agency", "period", *names, *ids], safe)])
        write_rows(buf, [*lead, *cells])
    else:
        head = ["agency", "period", *names, "indicator", "value"]
        write_rows(buf, [[h] for h in escape_column(head, safe)])
        n, m = len(responses.agencies), len(ids)
        long_lead = [[c for c in col for _ in range(m)] for col in lead]
        write_rows(
            buf,
            [*long_lead, ids * n, [cells[j][i] for i in range(n) for j in range(m)]],
        )
    return buf.getvalue()
