"""Results to and from CSV, exactly: record columns first (what a person reads), then
the exact detail columns, then provenance.

The writer formats a column at a time (floats with their shortest round-trip text) and
neutralises formula-like text cells unless ``safe=False`` (see :mod:`.csv_text`). The
reader is strict and positional: the header must be exactly the one the rubric and the
attribute columns give, so that no id can be mistaken for a detail column, and every
cell is checked. Data never chooses a file: without ``rubric=`` only a shipped rubric
of the name in the file is used.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import AnswersNotFoundError, Location, Problem, ResponseError, RubricError
from ..io.csv_text import answer_texts, escape_column, float_texts, unescape_column, write_rows
from ..io.problems import Report
from .check import Parts, assemble, node_ids_of, provenance_of
from .provenance import ANSWERED, Provenance

if TYPE_CHECKING:
    from . import Results

__all__ = [
    "PROV_COLS",
    "header",
    "prov_columns",
    "results_from_csv",
    "results_to_csv",
    "write_csv",
]

PROV_COLS = ("rubric", "rubric_version", "rubric_sha256", "library_version")
"""The provenance columns every results CSV has (``rubric`` holds the rubric id); any
other :class:`~readiness_model.Provenance` field follows under its own name (text, or
JSON for other values)."""


def prov_columns() -> list[tuple[str, str]]:
    """(column, Provenance field) pairs, in order.

    Example:
        >>> prov_columns()[0]
        ('rubric', 'rubric_id')
    """
    names = [f.name for f in attrs.fields(Provenance)]
    fixed = [("rubric", "rubric_id")] + [(c, c) for c in PROV_COLS[1:]]
    return fixed + [(f, f) for f in names if f not in {name for _, name in fixed}]


RECORD_COLS = ("overall", "band", "trend", "group", "rank", "coverage", "change")
MAX_BYTES = 4 << 30


def header(rubric: Any, attributes: list[str]) -> list[str]:
    """The columns of a results CSV of ``rubric`` with these attribute columns.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> header(r, [])[:10]
        ['agency', 'period', 'status', 'overall', 'band', 'trend', 'group', 'rank', 'coverage',
         'change']
    """
    nodes = node_ids_of(rubric)
    ids = [x.id for x in rubric.indicators]
    return [
        "agency",
        "period",
        *attributes,
        "status",
        *RECORD_COLS,
        *nodes,
        "origin",
        "population",
        "overall.exact",
        *(f"exact.{n}" for n in nodes),
        *(f"coverage.{n}" for n in nodes),
        *(f"score.{i}" for i in ids),
        *(f"answer.{i}" for i in ids),
        *(c for c, _ in prov_columns()),
    ]


def write_csv(
    r: Results, path: str | Path | None, *, safe: bool, columns: str, encoding: str
) -> str:
    """:meth:`Results.to_csv`: the text of ``columns`` ("all" or "human"), written to
    ``path`` (atomically) when given."""
    from ..io.atomic import write_atomic
    from .human import human_csv

    if columns == "human":
        text = human_csv(r, safe=safe)
    elif columns == "all":
        text = results_to_csv(r, safe=safe)
    else:
        raise ResponseError(
            [Problem(f"columns must be 'all' or 'human' (got {columns!r})", "columns")]
        )
    if path is not None:
        write_atomic(path, text, encoding=encoding)
    return text


def results_to_csv(r: Results, *, safe: bool = True) -> str:
    """The results as CSV text (see the module docstring).

    Example:
        >>> import readiness_model as rm
        >>> rub = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(rub, rm.ResponseSet.from_array([[1]], ["@x"], rub))
        >>> results_to_csv(res).splitlines()[1].split(",")[:4]
        ["'@x", '0', 'assessed', '100.0']
    """
    names = [k for k, _ in r.attributes]
    columns = header(r.rubric, names)
    taken = sorted({a for a in names if columns.count(a) > 1})
    if taken:  # (the file would read back the results' column, not the attribute)
        raise ResponseError(
            [
                Problem(
                    f"attribute {a!r} has the name of a results column: the CSV file "
                    "could not tell them apart",
                    f"attributes.{a}",
                    hint="rename the answers column (say, 'source_" + a + "'), leave it "
                    "out (--extra-columns ignore, extra_columns='ignore'), or keep the "
                    "results as JSON",
                )
                for a in taken
            ]
        )
    buf = io.StringIO()
    write_rows(buf, [[h] for h in escape_column(columns, safe)])
    for lo in range(0, len(r), BLOCK_ROWS):  # the cells of one block of rows at a time
        write_rows(buf, _columns(r, slice(lo, lo + BLOCK_ROWS), safe))
    return buf.getvalue()


BLOCK_ROWS = 10_000
"""Rows formatted at a time: the text cells of a block are dropped once written, so
memory holds the CSV text and one block's cells, not a text object per cell of the file."""


def _columns(r: Results, rows: slice, safe: bool) -> list[list[str]]:
    """The CSV cells of ``rows``, column by column."""
    n = len(range(len(r))[rows])
    p = r.provenance

    def floats(a: np.ndarray) -> list[list[str]]:
        a = a[rows]
        if a.ndim == 1:
            return [float_texts(a)]
        return [float_texts(a[:, j]) for j in range(a.shape[1])]

    def labels(col: tuple[str | None, ...]) -> list[str]:
        return escape_column((v or "" for v in col[rows]), safe)

    rs = r.responses
    if rs is not None:
        answer_cols = [
            answer_texts(x.scale, rs.values[rows, j], rs.na[rows, j], safe)
            for j, x in enumerate(r.rubric.indicators)
        ]
    else:
        answer_cols = [[""] * n for _ in r.rubric.indicators]
    return [
        escape_column(r.agencies[rows], safe),
        escape_column(map(str, r.periods[rows]), safe),
        *(labels(col) for _, col in r.attributes),
        list(r.status[rows]),
        *floats(r.overall),
        labels(r.band),
        labels(r.trend),
        labels(r.group),
        [str(x) if x else "" for x in r.rank[rows].tolist()],
        *floats(r.coverage),
        *floats(r.change),
        *floats(r.node_scores),
        escape_column(r.origin[rows], safe),
        ["1" if x else "0" for x in r.in_population[rows].tolist()],
        *floats(r.overall_exact),
        *floats(r.node_exact),
        *floats(r.node_coverage),
        *floats(r.indicator_scores),
        *answer_cols,
        *(escape_column([_prov_text(getattr(p, f))] * n, safe) for _, f in prov_columns()),
    ]


def _prov_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _rubric_for(name: str, rep: Report) -> Any:
    """The shipped rubric called ``name`` (never a path: data does not choose files)."""
    from ..io.rubric_yaml import load_rubric
    from ..io.shipped import shipped_rubric_path, shipped_rubrics

    path = shipped_rubric_path(name)
    if path is None:
        rep.fail(
            f"the file was scored with rubric {name[:80]!r}, which is not a shipped rubric",
            rep.at(2),
            hint="pass the rubric: Results.from_csv(path, rubric=...)"
            + (f" (shipped: {', '.join(shipped_rubrics())})" if shipped_rubrics() else ""),
        )
    try:
        return load_rubric(path)  # the shipped file itself, not a local file of that name
    except RubricError:  # pragma: no cover - shipped rubrics load
        rep.fail(f"the shipped rubric {name!r} cannot be loaded", rep.at(2))


def results_from_csv(source: str | Path, rubric: Any = None) -> dict[str, Any]:
    """Read :func:`results_to_csv` output (a path or the text), checking every cell.

    Args:
        source: A path, or the CSV text (recognised by a line break).
        rubric: The rubric the results were scored with; by default the shipped rubric
            named in the file (its hash must match). A path in the file is never opened.

    Raises:
        ResponseError: every problem, each at its row and column.

    Example:
        >>> import readiness_model as rm
        >>> try:
        ...     results_from_csv("agency,period\\nx,1\\n")
        ... except rm.ResponseError as err:
        ...     print(err.problems[0].message)
        not a results CSV: it has no 'rubric' column
    """
    where, text = str(source), str(source)
    if "\n" not in text:
        try:
            if Path(source).stat().st_size > MAX_BYTES:
                raise ResponseError(
                    [Problem(f"the results file is larger than {MAX_BYTES:,} bytes", where)]
                )
            with Path(source).open(encoding="utf-8-sig", newline="") as fh:
                text = fh.read()  # newline="": a quoted \r stays a \r
        except (OSError, UnicodeDecodeError, ValueError) as e:  # ValueError: a NUL in it
            cls = AnswersNotFoundError if isinstance(e, FileNotFoundError) else ResponseError
            raise cls(
                [Problem(f"cannot read results file: {e}", "", Location(where[:200]))]
            ) from None
    else:
        where = "<csv>"
    rep = Report(where)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        rep.fail(f"malformed CSV: {e}", rep.at())
    if not rows:
        rep.fail("the results CSV is empty", rep.at(1, 1))
    head, body = unescape_column(rows[0]), rows[1:]
    if "rubric" not in head or "overall" not in head:
        lacking = "rubric" if "rubric" not in head else "overall"
        rep.fail(
            f"not a results CSV: it has no {lacking!r} column",
            rep.at(1),
            hint="write it with Results.to_csv",
        )
    if not body:  # (its provenance, rubric and library, is written on every row)
        rep.fail(
            "the results CSV has no rows: results without agencies keep no provenance in "
            "CSV, so they cannot be read back from it",
            rep.at(2),
            hint="keep results without rows as JSON (Results.to_json), which reads back",
        )
    width = len(head)
    for i, row in enumerate(body):
        if len(row) != width:
            rep.add(
                f"row {i + 2} has {len(row)} cells, the header {width}",
                f"row {i + 2}",
                rep.at(i + 2),
            )
    rep.check()
    cols = [unescape_column(list(c)) for c in zip(*body, strict=True)]
    first = {h: cols[c][0] for c, h in enumerate(head) if h in PROV_COLS}
    if rubric is None:
        rubric = _rubric_for(first["rubric"], rep)
    if rubric.content_hash != first.get("rubric_sha256"):
        rep.fail(
            f"the file was scored with another version of rubric {first['rubric'][:80]!r} "
            "(hash differs)",
            rep.at(2, head.index("rubric_sha256") + 1) if "rubric_sha256" in head else rep.at(2),
            hint="pass the rubric the results were scored with (rubric=)",
        )
    attrs_ = head[2 : head.index("overall")]
    if attrs_ and attrs_[-1] == "status":
        attrs_ = attrs_[:-1]
    expected = header(rubric, attrs_)
    if head != expected:
        c = next(
            (c for c, (a, b) in enumerate(zip(head, expected, strict=False)) if a != b),
            min(len(head), len(expected)),
        )
        rep.fail(
            f"the header does not match rubric {rubric.id!r}: column {c + 1} is "
            f"{[*head, ''][c]!r}, expected {[*expected, ''][c]!r}",
            rep.at(1, c + 1),
            hint="write it with Results.to_csv and read it with the same rubric",
        )
    return _parse(rubric, head, cols, attrs_, rep)


def _parse(
    rubric: Any, head: list[str], cols: list[list[str]], attrs_: list[str], rep: Report
) -> dict[str, Any]:
    pos = {h: c for c, h in enumerate(head)}
    n = len(cols[0])
    nodes = node_ids_of(rubric)
    ids = [x.id for x in rubric.indicators]

    def at(name: str, i: int) -> str:
        return f"row {i + 2}, column {name!r}" if i >= 0 else f"column {name!r}"

    def fcol(name: str) -> np.ndarray:
        cells = cols[pos[name]]
        try:  # float() of each cell ("" is NaN): one C loop, no list of texts kept
            out = np.fromiter(map(float, (c or "nan" for c in cells)), np.float64, count=n)
            nan = np.isnan(out)
            if "_" not in "".join(cells) and not (
                nan.any() and np.fromiter(map(bool, cells), bool, count=n)[nan].any()
            ):
                return out
        except ValueError:
            pass
        out = np.full(n, np.nan)
        for i, c in enumerate(cells):
            try:
                if c:
                    if "_" in c:
                        raise ValueError
                    out[i] = float(c)
                    if out[i] != out[i]:
                        raise ValueError
            except ValueError:
                rep.add(
                    f"expected a number or nothing (got {c[:40]!r})",
                    at(name, i),
                    rep.at(i + 2, pos[name] + 1),
                )
        return out

    def fmat(prefix: str, names: list[str] | tuple[str, ...]) -> np.ndarray:
        if not names:
            return np.zeros((n, 0))
        return np.column_stack([fcol(f"{prefix}{x}") for x in names])

    def texts(name: str) -> list[str | None]:
        return [c or None for c in cols[pos[name]]]

    rank = np.zeros(n, np.int64)
    for i, c in enumerate(cols[pos["rank"]]):
        if c:
            if c.isascii() and c.isdigit() and len(c) < 19:
                rank[i] = int(c)
            else:
                rep.add(
                    f"a rank is a whole number (got {c[:40]!r})",
                    at("rank", i),
                    rep.at(i + 2, pos["rank"] + 1),
                )
    pop_cells = cols[pos["population"]]
    for i, c in enumerate(pop_cells):
        if c not in ("0", "1"):
            rep.add(
                f"population is 0 or 1 (got {c[:40]!r})",
                at("population", i),
                rep.at(i + 2, pos["population"] + 1),
            )
    origin = cols[pos["origin"]]
    responses = None
    if ANSWERED in origin:
        responses = _answers(rubric, cols, pos, ids, rep)
    prov: dict[str, Any] = {}
    for c, f in prov_columns():
        cells = cols[pos[c]]
        if len(set(cells)) != 1:
            rep.add(
                f"column {c!r} must hold one value on every row", at(c, -1), rep.at(1, pos[c] + 1)
            )
        prov[f] = _prov_value(f, cells[0], rep, at(c, 0))
    provenance = provenance_of(prov, rep, "provenance")
    parts = Parts(
        agencies=cols[pos["agency"]],
        periods=cols[pos["period"]],
        attributes=[(a, texts(a)) for a in attrs_],
        floats={
            "indicator_scores": fmat("score.", ids),
            "node_scores": fmat("", nodes),
            "node_exact": fmat("exact.", nodes),
            "node_coverage": fmat("coverage.", nodes),
            "overall": fcol("overall"),
            "overall_exact": fcol("overall.exact"),
            "coverage": fcol("coverage"),
            "change": fcol("change"),
        },
        band=texts("band"),
        trend=texts("trend"),
        group=texts("group"),
        rank=rank,
        in_population=np.array([c == "1" for c in pop_cells], bool),
        origin=origin,
        status=cols[pos["status"]],
        provenance={},
        responses=responses,
    )
    return assemble(rubric, parts, rep, at, provenance)


def _prov_value(field: str, text: str, rep: Report, path: str) -> Any:
    kind = attrs.fields_dict(Provenance)[field].type
    if kind in ("str", str):
        return text
    try:
        return json.loads(text)
    except ValueError:
        rep.add(f"provenance {field!r} is not valid JSON", path, None)
        return None


def _answers(
    rubric: Any, cols: list[list[str]], pos: dict[str, int], ids: list[str], rep: Report
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stored answers of the ``answer.<id>`` columns (parsed like an answers file)."""
    from ..io.answer_cells import convert_column

    n = len(cols[0])
    values = np.full((n, len(ids)), np.nan)
    missing = np.zeros((n, len(ids)), bool)
    na = np.zeros((n, len(ids)), bool)
    for j, x in enumerate(rubric.indicators):
        name = f"answer.{x.id}"
        col = convert_column(x.scale, cols[pos[name]], text=True)
        values[:, j], missing[:, j], na[:, j] = col.values, col.missing, col.na
        for i, expected in col.bad:
            rep.add(
                f"bad answer {cols[pos[name]][i][:40]!r}: expected {expected}",
                f"row {i + 2}, column {name!r}",
                rep.at(i + 2, pos[name] + 1),
            )
    return values, missing, na
