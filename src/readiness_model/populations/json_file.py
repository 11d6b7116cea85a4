"""Population statistics to and from JSON, exactly (floats are written with ``repr``).

One object: ``format``, ``format_version``, ``rubric`` (id, version, sha256),
``library_version``, ``rows``, ``answers_sha256``, ``steps`` and ``periods`` (each with
its ``rows`` and the statistics of its ``indicators``, ``nodes`` and ``overall``
columns). A statistic of a column without values is ``null``; an infinite one is
``"inf"`` or ``"-inf"``. The reader reports every problem at once with its ``$.path``.

>>> MAX_BYTES
1073741824

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import ResponseError
from ..io.problems import Report
from .stats import FORMAT, FORMAT_VERSION, ColumnStatistics, PeriodStatistics, Step

if TYPE_CHECKING:
    from .value import Population

__all__ = ["MAX_BYTES", "population_fields", "population_to_json"]

MAX_BYTES = 1 << 30
_KINDS = ("indicators", "nodes", "overall")
_FLOATS = ("min", "max", "mean", "sd")
_TOKEN = re.compile(r'"\\u0000(\d+)\\u0000"')


def _num(x: float) -> float | str | None:
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _column(st: ColumnStatistics) -> dict[str, Any]:
    out: dict[str, Any] = {"count": st.count}
    for k in _FLOATS:
        v = getattr(st, k)
        if v is not None:
            out[k] = _num(v)
    if st.values is not None and st.counts is not None:
        out["values"] = [_num(v) for v in st.values.tolist()]
        out["counts"] = st.counts.tolist()
    return out


def population_to_json(pop: Population) -> str:
    """The exact JSON text of ``pop`` (one line per column's statistics).

    Example:
        >>> from readiness_model import Population
        >>> pop = Population("t", "1", "ab", "0.1.0", 2, f"{0:064x}",
        ...     [Step("indicators", "indicators", ("q",))],
        ...     [PeriodStatistics(2016, 2, indicators=(
        ...         ("q", ColumnStatistics(2, min=0.1, max=float("nan"))),))])
        >>> print(population_to_json(pop).splitlines()[-7])
              "q": {"count": 2, "min": 0.1, "max": null}
    """
    columns: list[str] = []  # written on one line each

    def token(part: ColumnStatistics | dict[str, Any]) -> str:
        data = _column(part) if isinstance(part, ColumnStatistics) else part
        columns.append(json.dumps(data, ensure_ascii=False, allow_nan=False))
        return f"\0{len(columns) - 1}\0"

    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "rubric": {"id": pop.rubric_id, "version": pop.rubric_version, "sha256": pop.rubric_sha256},
        "library_version": pop.library_version,
        "rows": pop.rows,
        "answers_sha256": pop.answers_sha256,
        "steps": [
            token(
                {
                    "name": s.name,
                    "kind": s.kind,
                    "columns": list(s.columns),
                    "held": s.held,
                    "basis": s.basis,
                    "given_by": s.given_by,
                }
            )
            for s in pop.steps
        ],
        "periods": [
            {
                "period": p.period,
                "rows": p.rows,
                **{k: {key: token(st) for key, st in getattr(p, k)} for k in _KINDS},
            }
            for p in pop.periods
        ],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    return _TOKEN.sub(lambda m: columns[int(m.group(1))], text) + "\n"


class _Reader:
    def __init__(self, rep: Report) -> None:
        self.rep = rep

    def bad(self, path: str, message: str, hint: str = "") -> None:
        self.rep.add(message, path, self.rep.at(), hint=hint)

    def obj(self, x: Any, path: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        if not isinstance(x, dict):
            self.bad(path, f"expected an object (got {type(x).__name__})")
            return False
        ok = True
        for k in x:
            if k not in keys and k not in optional:
                self.bad(f"{path}.{k}", f"unknown field {k!r}")
                ok = False
        for k in keys:
            if k not in x:
                self.bad(path, f"missing field {k!r}")
                ok = False
        return ok

    def text(self, x: Any, path: str, optional: bool = False) -> str | None:
        if isinstance(x, str) or (optional and x is None):
            return x
        self.bad(path, f"expected text (got {x!r:.40})")
        return None

    def count(self, x: Any, path: str) -> int:
        if type(x) is int and 0 <= x < 1 << 62:
            return x
        self.bad(path, f"expected a whole number >= 0 (got {x!r:.40})")
        return 0

    def number(self, x: Any, path: str) -> float:
        if x is None:
            return math.nan
        if x in ("inf", "-inf"):
            return float(x)
        if type(x) in (int, float):
            return float(x)
        self.bad(path, f"expected a number, null, 'inf' or '-inf' (got {x!r:.40})")
        return math.nan

    def column(self, x: Any, path: str) -> ColumnStatistics | None:
        if not self.obj(x, path, ("count",), (*_FLOATS, "values", "counts")):
            return None
        out: dict[str, Any] = {"count": self.count(x["count"], f"{path}.count")}
        for k in _FLOATS:
            if k in x:
                out[k] = self.number(x[k], f"{path}.{k}")
        if ("values" in x) != ("counts" in x):
            self.bad(path, "'values' and 'counts' go together")
        elif "values" in x:
            v, c = x["values"], x["counts"]
            if not (isinstance(v, list) and isinstance(c, list) and len(v) == len(c)):
                self.bad(path, "'values' and 'counts' must be lists of the same length")
                return None
            out["values"] = [self.number(e, f"{path}.values[{i}]") for i, e in enumerate(v)]
            out["counts"] = [self.count(e, f"{path}.counts[{i}]") for i, e in enumerate(c)]
            if any(b <= a for a, b in zip(out["values"], out["values"][1:], strict=False)):
                self.bad(f"{path}.values", "the distinct values must be in increasing order")
            if sum(out["counts"]) != out["count"]:
                self.bad(f"{path}.counts", "the counts must add up to 'count'")
        return ColumnStatistics(**out)

    def step(self, x: Any, path: str) -> Step | None:
        keys = ("name", "kind", "columns", "held", "basis", "given_by")
        if not self.obj(x, path, keys):
            return None
        cols = x["columns"]
        if not (isinstance(cols, list) and all(isinstance(c, str) for c in cols)):
            self.bad(f"{path}.columns", "expected a list of ids")
            cols = []
        if x["kind"] not in _KINDS:
            self.bad(f"{path}.kind", f"expected one of {', '.join(_KINDS)}")
        if type(x["held"]) is not bool:
            self.bad(f"{path}.held", "expected true or false")
        name, basis = self.text(x["name"], f"{path}.name"), self.text(x["basis"], f"{path}.basis")
        given_by = self.text(x["given_by"], f"{path}.given_by", optional=True)
        return Step(
            name or "", str(x["kind"]), tuple(cols), x["held"] is True, basis or "", given_by
        )

    def period(self, x: Any, path: str) -> PeriodStatistics | None:
        if not self.obj(x, path, ("period", "rows", *_KINDS)):
            return None
        label = x["period"]
        if not ((type(label) is int) or isinstance(label, str)):
            self.bad(f"{path}.period", "a period is a whole number or a label")
        cols: dict[str, tuple[tuple[str, ColumnStatistics], ...]] = {}
        for kind in _KINDS:
            d = x[kind]
            if not isinstance(d, dict):
                self.bad(f"{path}.{kind}", "expected an object of column statistics")
                d = {}
            got = [(k, self.column(v, f"{path}.{kind}.{k}")) for k, v in d.items()]
            cols[kind] = tuple((k, st) for k, st in got if st is not None)
        return PeriodStatistics(label, self.count(x["rows"], f"{path}.rows"), **cols)


def population_fields(source: str | Path) -> dict[str, Any]:
    """The fields of a :class:`~readiness_model.Population` (``Population(**fields)``) read
    from JSON text or a file, every one checked.

    Raises:
        ResponseError: the file cannot be read, or is not a population file (every
            problem at once, each at its ``$.path``).

    Example:
        >>> try:
        ...     population_fields('{"format": "readiness-model population"}')
        ... except ResponseError as err:
        ...     print(err.problems[0].message)
        missing field 'format_version'
    """
    where = "population"
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith("{")
    ):
        path = Path(source)
        where = str(path)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ResponseError(f"{where}: larger than {MAX_BYTES} bytes")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ResponseError(f"{where}: cannot read the population file ({err})") from None
    else:
        text = str(source)
    rep = Report(where)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            twice = sorted({k for k, _ in items if k in seen or seen.add(k)})  # type: ignore[func-returns-value]
            rep.add(f"repeated key {', '.join(map(repr, twice))}", "$", None)
        return out

    try:
        doc = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_constant=lambda c: rep.add(f"{c} is not allowed", "$", None),
        )
    except json.JSONDecodeError as err:
        raise ResponseError(f"{where}:{err.lineno}:{err.colno}: not JSON ({err.msg})") from None
    r = _Reader(rep)
    keys = ("format", "format_version", "rubric", "library_version", "rows", "answers_sha256")
    if not r.obj(doc, "$", (*keys, "steps", "periods")):
        raise rep.error()
    if doc["format"] != FORMAT:
        r.bad("$.format", f"not a population file (expected format {FORMAT!r})")
    if doc["format_version"] != FORMAT_VERSION:
        r.bad(
            "$.format_version",
            f"format version {doc['format_version']!r} is not {FORMAT_VERSION}",
            hint=f"this is readiness-model {__version__}; a newer one may read it",
        )
    rubric = doc["rubric"]
    if r.obj(rubric, "$.rubric", ("id", "version", "sha256")):
        ident = [r.text(rubric[k], f"$.rubric.{k}") or "" for k in ("id", "version", "sha256")]
    else:
        ident = ["", "", ""]
    steps = doc["steps"] if isinstance(doc["steps"], list) else []
    periods = doc["periods"] if isinstance(doc["periods"], list) else []
    if not isinstance(doc["steps"], list) or not isinstance(doc["periods"], list):
        r.bad("$", "'steps' and 'periods' must be lists")
    got_steps = [r.step(s, f"$.steps[{i}]") for i, s in enumerate(steps)]
    got_periods = [r.period(p, f"$.periods[{i}]") for i, p in enumerate(periods)]
    library = r.text(doc["library_version"], "$.library_version") or ""
    answers = r.text(doc["answers_sha256"], "$.answers_sha256") or ""
    rows = r.count(doc["rows"], "$.rows")
    if rep.problems:
        raise rep.error()
    return {
        "rubric_id": ident[0],
        "rubric_version": ident[1],
        "rubric_sha256": ident[2],
        "library_version": library,
        "rows": rows,
        "answers_sha256": answers,
        "steps": tuple(s for s in got_steps if s is not None),
        "periods": tuple(p for p in got_periods if p is not None),
    }
