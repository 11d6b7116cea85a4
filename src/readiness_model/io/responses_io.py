"""Survey answers from and to files: CSV (wide or long) and JSON.

* **CSV wide**: one row per agency and period: ``agency``, ``period``, optional ``name``,
  ``kind``, ``parent`` (and attribute columns the rubric's ``population`` or the
  ``attributes=`` argument names), then one column per indicator id.
* **CSV long**: ``agency, period, indicator, value`` (plus optional attribute columns),
  one row per answer; recognised by its header.
* **JSON**: a list of records (``{"agency": ..., "period": ..., "<indicator>": ...}``),
  or ``{"responses": [...]}``.

Files are UTF-8, with or without a byte-order mark. A blank cell is missing, ``n/a`` not
applicable, checklists are written ``a|b|c``. Every problem is reported at once, each
naming the file, the 1-based line of the row and the column (its 1-based position in
the row) and what was expected.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn

import attrs

from ..errors import Location, Problem, ResponseError, did_you_mean
from ..model import ChecklistScale, NumericScale, Rubric
from ..responses import RESERVED_COLUMNS, Period, ResponseSet, is_blank, normalise_period

__all__ = ["load_responses", "write_responses"]

LONG_COLUMNS = ("agency", "period", "indicator", "value")
_NA = frozenset({"n/a", "na", "not applicable", "n.a.", "-n/a-"})


@attrs.frozen(slots=True)
class _Row:
    """One agency-period as read from a file, before validation."""

    label: str  # "row 5" / "record 3"
    cells: dict[str, tuple[object, Location, str]]  # key -> (raw, location, path)
    loc: Location


def load_responses(
    path: str | Path,
    rubric: Rubric,
    *,
    allow_missing_columns: bool = False,
    period: Period | None = None,
    attributes: Sequence[str] = (),
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
    """
    rep = _Report(str(path))
    text = _read_text(path, rep)
    keep = list(attributes) + [
        k for k, _ in rubric.population if k not in RESERVED_COLUMNS and k not in attributes
    ]
    if str(path).lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        rows, present = _json_rows(text, rubric, keep, rep)
    else:
        rows, present = _csv_rows(text, rubric, keep, rep)
    return _build(rows, present, rubric, keep, allow_missing_columns, period, rep)


class _Report:
    """Problems found in one file, each located in it."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def at(self, line: int | None = None, col: int | None = None) -> Location:
        return Location(self.where, line, col)

    def add(self, msg: str, path: str, loc: Location, hint: str = "", **kw: str) -> None:
        self.problems.append(Problem(msg, path, loc, hint=hint, **kw))

    def fail(self, msg: str, loc: Location, hint: str = "") -> NoReturn:
        raise ResponseError([*self.problems, Problem(msg, "", loc, hint=hint)])


def _read_text(path: str | Path, rep: _Report) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        rep.fail(f"cannot read answers file: {e.strerror or e}", rep.at())
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        rep.fail(
            "this is not a text file (it holds NUL bytes)",
            rep.at(line),
            hint="export the survey as CSV (UTF-8) or JSON",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        rep.fail(
            f"the file is not UTF-8 (byte {data[e.start]:#04x} at offset {e.start})",
            rep.at(line),
            hint="save it as 'CSV UTF-8' (Excel) or re-encode it",
        )
    if not text.strip():
        rep.fail(
            "the answers file is empty",
            rep.at(),
            hint="expected a header row: agency,period,<indicator>...",
        )
    return text


def _csv_records(text: str, rep: _Report) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the 1-based line each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    last = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            rep.add(
                f"malformed CSV: {e}",
                "",
                rep.at(reader.line_num),
                hint='check quotes: a field with commas needs "..."',
            )
            return
        start, last = last + 1, reader.line_num
        if row and any(c.strip() for c in row):
            yield start, row


def _ragged(rep: _Report, line: int, cells: list[str], header: list[str]) -> bool:
    if len(cells) == len(header):
        return False
    rep.add(
        f"row {line} has {len(cells)} cells but the header has {len(header)} columns",
        f"row {line}",
        rep.at(line),
        hint="every row needs one cell per column (check for stray commas)",
    )
    return True


def _csv_rows(
    text: str, rubric: Rubric, keep: list[str], rep: _Report
) -> tuple[list[_Row], set[str]]:
    records = _csv_records(text, rep)
    first = next(records, None)
    if first is None:
        rep.fail("the answers file has no header row", rep.at())
    hline, header = first[0], [h.strip() for h in first[1]]
    ids = {x.id for x in rubric.indicators}
    if {"indicator", "value"} <= set(header) and not ids & set(header):
        return _long_rows(records, header, hline, rubric, keep, rep)
    allowed = ids | set(RESERVED_COLUMNS) | set(keep)
    seen: dict[str, int] = {}
    for c, h in enumerate(header):
        loc, path = rep.at(hline, c + 1), f"row {hline}, column {h or c + 1!r}"
        if not h:
            rep.add(f"column {c + 1} has no name", path, loc, hint="name it or delete it")
        elif h in seen:
            rep.add(f"column {h!r} appears twice (columns {seen[h] + 1} and {c + 1})", path, loc)
        elif h not in allowed:
            rep.add(
                f"unknown column {h!r}: rubric {rubric.id!r} has no such indicator",
                path,
                loc,
                hint=did_you_mean(h, sorted(ids) + list(RESERVED_COLUMNS)),
            )
        seen.setdefault(h, c)
    if "agency" not in header:
        rep.add(
            "there is no 'agency' column",
            f"row {hline}",
            rep.at(hline),
            hint="the header must start with agency,period,...",
        )
    rows: list[_Row] = []
    for line, cells in records:
        if _ragged(rep, line, cells, header):
            continue
        rows.append(
            _Row(
                f"row {line}",
                {
                    h: (v, rep.at(line, c + 1), f"row {line}, column {h!r}")
                    for c, (h, v) in enumerate(zip(header, cells, strict=True))
                    if h and seen[h] == c
                },
                rep.at(line),
            )
        )
    return rows, set(header)


def _long_rows(
    records: Iterator[tuple[int, list[str]]],
    header: list[str],
    hline: int,
    rubric: Rubric,
    keep: list[str],
    rep: _Report,
) -> tuple[list[_Row], set[str]]:
    ids = [x.id for x in rubric.indicators]
    allowed = set(LONG_COLUMNS) | set(RESERVED_COLUMNS) | set(keep)
    for c, h in enumerate(header):
        if h not in allowed or header.index(h) != c:
            rep.add(
                f"unexpected column {h!r} in a long answers file",
                f"row {hline}, column {h!r}",
                rep.at(hline, c + 1),
                hint=did_you_mean(h, sorted(allowed)),
            )
    if "agency" not in header:
        rep.add("there is no 'agency' column", f"row {hline}", rep.at(hline))
    pos = {h: c for c, h in reversed(list(enumerate(header)))}
    groups: dict[tuple[str, str], _Row] = {}
    present: set[str] = set(header) - {"indicator", "value"}
    done: dict[tuple[str, str, str], int] = {}
    for line, cells in records:
        if _ragged(rep, line, cells, header):
            continue
        ag, per = (cells[pos[k]].strip() if k in pos else "" for k in ("agency", "period"))
        ind = cells[pos["indicator"]].strip()
        row = groups.setdefault((ag, per), _Row(f"row {line}", {}, rep.at(line)))
        for h, c in pos.items():
            if h in ("indicator", "value") or h not in allowed:
                continue
            v, old = cells[c], row.cells.get(h)
            if old is None or (is_blank(old[0]) and not is_blank(v)):
                row.cells[h] = (v, rep.at(line, c + 1), f"row {line}, column {h!r}")
            elif str(old[0]).strip() != v.strip() and not is_blank(v):
                rep.add(
                    f"agency {ag!r} (period {per or '?'}) has {h} {old[0]!r} on "
                    f"{old[2].split(',')[0]} but {v!r} here",
                    f"row {line}, column {h!r}",
                    rep.at(line, c + 1),
                    hint="give one value per agency and period",
                )
        loc, path = rep.at(line, pos["indicator"] + 1), f"row {line}, column 'indicator'"
        if ind not in ids:
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
            row.cells[ind] = (
                cells[pos["value"]],
                rep.at(line, pos["value"] + 1),
                f"row {line}, column 'value' (indicator {ind!r})",
            )
    return list(groups.values()), present


def _json_rows(
    text: str, rubric: Rubric, keep: list[str], rep: _Report
) -> tuple[list[_Row], set[str]]:
    try:
        doc = json.loads(text)
    except RecursionError:
        rep.fail("not valid JSON: nested too deeply", rep.at())
    except ValueError as e:
        msg, line, col = (
            getattr(e, "msg", str(e)),
            getattr(e, "lineno", None),
            getattr(e, "colno", None),
        )
        rep.fail(f"not valid JSON: {msg}", rep.at(line, col), hint="expected a list of records")
    if isinstance(doc, dict) and set(doc) == {"responses"}:
        doc = doc["responses"]
    if not isinstance(doc, list):
        rep.fail('a JSON answers file must be a list of records or {"responses": [...]}', rep.at())
    ids = [x.id for x in rubric.indicators]
    allowed = set(ids) | set(RESERVED_COLUMNS) | set(keep)
    rows: list[_Row] = []
    present: set[str] = set() if doc else allowed
    for k, rec in enumerate(doc):
        label = f"record {k + 1}"
        if not isinstance(rec, dict):
            rep.add(f"{label} is not an object (got {type(rec).__name__})", f"$[{k}]", rep.at())
            continue
        cells: dict[str, tuple[object, Location, str]] = {}
        for key, v in rec.items():
            if key in allowed:
                present.add(key)
                cells[key] = (v, rep.at(), f"$[{k}].{key}")
            else:
                rep.add(
                    f"{label} has unknown key {key!r}",
                    f"$[{k}].{key}",
                    rep.at(),
                    hint=did_you_mean(key, ids),
                )
        rows.append(_Row(label, cells, rep.at()))
    return rows, present


def _is_na(raw: object) -> bool:
    return isinstance(raw, str) and raw.strip().casefold() in _NA


def _header_problems(
    present: set[str],
    rubric: Rubric,
    keep: list[str],
    allow_missing: bool,
    period: Period | None,
    rep: _Report,
) -> None:
    ids = [x.id for x in rubric.indicators]
    known = {*ids, *RESERVED_COLUMNS, *LONG_COLUMNS, *keep}
    # A misspelt column was already reported with "did you mean"; do not report twice.
    typos = {m for h in present - known for m in difflib.get_close_matches(h, ids, 1, 0.6)}
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


def _build(
    rows: list[_Row],
    present: set[str],
    rubric: Rubric,
    keep: list[str],
    allow_missing: bool,
    period: Period | None,
    rep: _Report,
) -> ResponseSet:
    if rows:
        _header_problems(present, rubric, keep, allow_missing, period, rep)
    seen: dict[tuple[str, Period], str] = {}
    records: list[dict[str, Any]] = []
    for row in rows:
        c = row.cells
        ag_raw, ag_loc, ag_path = c.get("agency", ("", row.loc, row.label))
        if is_blank(ag_raw) or not isinstance(ag_raw, str | int) or isinstance(ag_raw, bool):
            if "agency" in present:
                rep.add(
                    f"{row.label} has no agency id (got {_short(ag_raw)})",
                    ag_path,
                    ag_loc,
                    hint="every row needs an agency id",
                )
            continue
        ag = str(ag_raw).strip()
        p_raw, p_loc, p_path = c.get("period", (None, row.loc, row.label))
        try:
            per = normalise_period(period if is_blank(p_raw) else p_raw)
        except (ValueError, TypeError) as e:
            if "period" in present or period is not None:
                rep.add(
                    f"{row.label} (agency {ag!r}): {e}",
                    p_path,
                    p_loc,
                    hint="give the period as a year, e.g. 2016",
                )
            continue
        if (ag, per) in seen:
            rep.add(
                f"agency {ag!r} appears twice for period {per!r} ({seen[(ag, per)]} and "
                f"{row.label})",
                row.label,
                row.loc,
                hint="keep one row per agency and period",
            )
            continue
        seen[(ag, per)] = row.label
        rec: dict[str, Any] = {"agency": ag, "period": per}
        for key in ("name", "kind", "parent", *keep):
            v = c.get(key, (None,))[0]
            if not is_blank(v):
                rec[key] = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        for x in rubric.indicators:
            raw, loc, path = c.get(x.id, (None, row.loc, row.label))
            rec[x.id] = raw
            if is_blank(raw) or _is_na(raw):
                continue
            try:
                x.scale.parse(raw)
            except (ValueError, TypeError, OverflowError) as e:
                exp = str(e) or x.scale.expected()
                rep.add(
                    f"bad answer {_short(raw)} for indicator {x.id!r} (agency {ag!r}, "
                    f"period {per!r}): expected {exp}",
                    path,
                    loc,
                    expected=exp,
                    got=_short(raw),
                )
        records.append(rec)
    if rep.problems:
        raise ResponseError(rep.problems)
    # Every cell was checked above with the same parser, so this cannot fail.
    return ResponseSet.from_records(records, rubric, attributes=keep)


def _short(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


# -- writing -------------------------------------------------------------------------------
def _cell(scale: Any, rs: ResponseSet, i: int, j: int) -> str:
    if rs.na[i, j]:
        return "n/a"
    if rs.missing[i, j]:
        return ""
    v = float(rs.values[i, j])
    if isinstance(scale, NumericScale):
        return repr(v)
    text: str = scale.render(v)
    return text


def write_responses(
    responses: ResponseSet,
    rubric: Rubric,
    path: str | Path | None = None,
    format: Literal["wide", "long", "json"] = "wide",
) -> str:
    """Write answers as CSV (``"wide"`` or ``"long"``) or JSON that :func:`load_responses`
    reads back equal.

    Args:
        responses: The answers.
        rubric: The rubric they were read with.
        path: Where to write (UTF-8, no byte-order mark); ``None`` only returns the text.
        format: ``"wide"`` (one row per agency-period), ``"long"`` (one row per answer)
            or ``"json"`` (a list of records).

    Returns:
        The text written.

    Raises:
        ResponseError: the responses belong to another rubric, or the format is unknown.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 2016, "q": "no"}], r)
        >>> print(write_responses(rs, r, format="long"), end="")
        agency,period,indicator,value
        x,2016,q,no

    .. versionadded:: 0.1.0
    """
    ids = tuple(x.id for x in rubric.indicators)
    if responses.indicator_ids != ids:
        raise ResponseError(
            [
                Problem(
                    f"these responses were not read with rubric {rubric.id!r}",
                    "",
                    hint="pass the rubric they were read with",
                )
            ]
        )
    attr_names = [k for k, _ in responses.attributes]
    attr = dict(responses.attributes)
    inds = rubric.indicators
    n = len(responses.agencies)
    if format == "json":
        out = []
        for i in range(n):
            rec: dict[str, Any] = {"agency": responses.agencies[i], "period": responses.periods[i]}
            for a in attr_names:
                if attr[a][i] is not None:
                    rec[a] = attr[a][i]
            for j, x in enumerate(inds):
                if responses.missing[i, j] or responses.na[i, j]:
                    rec[x.id] = None if responses.missing[i, j] else "n/a"
                elif isinstance(x.scale, NumericScale):
                    v = float(responses.values[i, j])
                    rec[x.id] = v if math.isfinite(v) else None
                elif isinstance(x.scale, ChecklistScale):
                    rec[x.id] = list(x.scale.ticked(float(responses.values[i, j])))
                else:
                    rec[x.id] = x.scale.render(float(responses.values[i, j]))
            out.append(rec)
        text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
    elif format in ("wide", "long"):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if format == "wide":
            w.writerow(["agency", "period", *attr_names, *ids])
        else:
            w.writerow(["agency", "period", *attr_names, "indicator", "value"])
        for i in range(n):
            lead = [
                responses.agencies[i],
                responses.periods[i],
                *(attr[a][i] or "" for a in attr_names),
            ]
            cells = [_cell(x.scale, responses, i, j) for j, x in enumerate(inds)]
            if format == "wide":
                w.writerow([*lead, *cells])
            else:
                for x, c in zip(inds, cells, strict=True):
                    w.writerow([*lead, x.id, c])
        text = buf.getvalue()
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
        Path(path).write_text(text, encoding="utf-8", newline="")
    return text
