"""Population statistics to and from JSON, exactly (floats are written with ``repr``).

One object: ``format``, ``format_version``, ``rubric`` (id, version, sha256),
``library_version``, ``rows``, ``answers_sha256``, ``steps`` and ``periods`` (each with
its ``rows`` and the statistics of its ``indicators``, ``nodes`` and ``overall``
columns). A statistic of a column without values is ``null``; an infinite one is
``"inf"`` or ``"-inf"``. The reader reports every problem at once with its ``$.path``:
a statistic that is not a finite number (``NaN``, ``1e999``, an integer too large for a
float), a count that is not a whole number (``true`` is not one), statistics that
disagree (min above max, a negative sd, a value where the count is 0, counts that do not
add up), steps and periods that disagree (the rows of the periods not adding up, a
period with rows lacking a column its own step computed), a hash that is not a sha256.
Whether the statistics are those a rubric reads is checked where it is used with one
(:meth:`Population.require <readiness_model.Population.require>`).

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
from ..io.answer_cells import JsonSpecial, Period, check_text, normalise_period
from ..io.answers_json import MAX_DEPTH, _int, _pairs, _Record, _too_deep
from ..io.problems import Report
from .json_write import _FLOATS, _KINDS, population_to_json
from .stats import FORMAT, FORMAT_VERSION, ColumnStatistics, PeriodStatistics, Step, period_key

if TYPE_CHECKING:
    pass

__all__ = ["MAX_BYTES", "population_fields", "population_to_json"]


MAX_BYTES = 1 << 30
_HEX = re.compile(r"[0-9a-f]{64}")
_NODES_STEP = re.compile(r"nodes-[1-9][0-9]*")
_STEP_KINDS = {"indicators": "indicators", "overall": "overall"}
_NOUNS = {
    "indicators": ("indicator", "indicators"),
    "nodes": ("node", "nodes"),
    "overall": ("column", "columns"),
}
_MAX_COUNT = 1 << 62
_RECOMPUTE = "compute it again: readiness-model population RUBRIC ANSWERS -o FILE"
_FINITE = (
    'a statistic is a finite number; null means the column has no value, "inf" and '
    '"-inf" an infinite statistic (or ' + _RECOMPUTE + ")"
)


_NESTED = (dict, list, JsonSpecial)


def _float(text: str) -> float | JsonSpecial:
    x = float(text)
    return x if math.isfinite(x) else JsonSpecial(text)


def _specials(doc: Any) -> list[tuple[str, JsonSpecial]]:
    """Where ``NaN``, ``Infinity``, an overflowing float or an overlong integer stand, in
    document order (the first 20; iterative: any depth json.loads returns)."""
    found: list[tuple[str, JsonSpecial]] = []
    stack: list[tuple[str, Any]] = [("$", doc)]
    while stack and len(found) < 20:
        path, x = stack.pop()
        if isinstance(x, JsonSpecial):
            found.append((path, x))
        elif isinstance(x, dict):
            items = [(f"{path}.{k}", v) for k, v in x.items() if isinstance(v, _NESTED)]
            stack.extend(reversed(items))
        elif isinstance(x, list):
            stack.extend(
                (f"{path}[{i}]", x[i])
                for i in range(len(x) - 1, -1, -1)
                if isinstance(x[i], _NESTED)
            )
    return found


def _show(x: Any) -> str:
    """A short rendering of a JSON value (never deep: a list or an object by its size)."""
    if isinstance(x, list):
        return f"a list of {len(x)}"
    if isinstance(x, dict):
        return f"an object of {len(x)} fields"
    if x is None or isinstance(x, bool):
        return json.dumps(x)
    if isinstance(x, int) and x.bit_length() > 128:
        return f"an integer of {len(str(abs(x)))} digits"
    return f"{x!r:.40}"


class _Reader:
    def __init__(self, rep: Report) -> None:
        self.rep = rep

    def bad(self, path: str, message: str, hint: str = "") -> None:
        self.rep.add(message, path, self.rep.at(), hint=hint)

    def obj(self, x: Any, path: str, keys: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        if not isinstance(x, dict):
            self.bad(path, f"expected an object (got {_show(x)})")
            return False
        ok = self.once(x, path)
        for k in x:
            if k not in keys and k not in optional:
                self.bad(f"{path}.{k}", f"unknown field {k!r}")
                ok = False
        for k in keys:
            if k not in x:
                self.bad(path, f"missing field {k!r}")
                ok = False
        return ok

    def once(self, x: dict[str, Any], path: str) -> bool:
        """Whether no key of ``x`` repeats (else a problem)."""
        if isinstance(x, _Record):
            self.bad(path, f"repeated key {', '.join(map(repr, sorted(set(x.dups))))}")
            return False
        return True

    def text(self, x: Any, path: str, optional: bool = False) -> str | None:
        if optional and x is None:
            return None
        if not isinstance(x, str):
            self.bad(path, f"expected text (got {_show(x)})")
            return None
        return x if self.clean(x, path) else None

    def clean(self, x: str, path: str) -> bool:
        """Whether ``x`` can be written as UTF-8 (else a problem)."""
        try:
            check_text(x, "the text")
        except ValueError as err:
            self.bad(path, str(err))
            return False
        return True

    def digest(self, x: Any, path: str, empty: bool = False) -> str | None:
        """A sha256 in hexadecimal (``""`` too when ``empty``)."""
        if isinstance(x, str) and (_HEX.fullmatch(x) or (empty and not x)):
            return x
        also = ' or ""' if empty else ""
        self.bad(path, f"expected a sha256: 64 hexadecimal digits{also} (got {_show(x)})")
        return None

    def count(self, x: Any, path: str, least: int = 0) -> int:
        if type(x) is int and least <= x < _MAX_COUNT:
            return x
        big = " below 2**62" if type(x) is int and x >= _MAX_COUNT else ""
        self.bad(path, f"expected a whole number >= {least}{big} (got {_show(x)})")
        return least

    def number(self, x: Any, path: str, name: str, empty: bool = True) -> float:
        """A statistic: a finite number, ``"inf"``/``"-inf"`` or (``empty``) null, NaN."""
        if x is None and empty:
            return math.nan
        if isinstance(x, str) and x in ("inf", "-inf"):
            return float(x)
        if type(x) is float:
            return x  # finite: JSON's non-finite ones were refused before
        if type(x) is int:
            try:
                return float(x)
            except OverflowError:
                self.bad(
                    path,
                    f"{name} must be a finite number (got {_show(x)}, too large for a float)",
                    _FINITE,
                )
                return math.nan
        also = 'null, "inf" or "-inf"' if empty else '"inf" or "-inf"'
        self.bad(path, f"{name} must be a finite number, {also} (got {_show(x)})", _FINITE)
        return math.nan

    def ids(self, x: Any, path: str) -> tuple[str, ...]:
        if not (isinstance(x, list) and all(isinstance(c, str) for c in x)):
            self.bad(path, f"expected a list of ids (got {_show(x)})")
            return ()
        twice = sorted({c for c in x if x.count(c) > 1}) if len(set(x)) != len(x) else []
        if twice:
            self.bad(path, f"repeated id {', '.join(map(repr, twice))}")
        return tuple(c for c in x if self.clean(c, path))

    def column(self, x: Any, path: str) -> ColumnStatistics | None:
        if not self.obj(x, path, ("count",), (*_FLOATS, "values", "counts")):
            return None
        before = len(self.rep.problems)
        count = self.count(x["count"], f"{path}.count")
        out: dict[str, Any] = {"count": count}
        for k in _FLOATS:
            if k in x:
                out[k] = self.number(x[k], f"{path}.{k}", repr(k))
        if ("values" in x) != ("counts" in x):
            self.bad(path, "'values' and 'counts' go together")
        elif "values" in x:
            v, c = x["values"], x["counts"]
            if not (isinstance(v, list) and isinstance(c, list) and len(v) == len(c)):
                self.bad(path, "'values' and 'counts' must be lists of the same length")
                return None
            out["values"] = [
                self.number(e, f"{path}.values[{i}]", "a distinct value", empty=False)
                for i, e in enumerate(v)
            ]
            out["counts"] = [self.count(e, f"{path}.counts[{i}]", 1) for i, e in enumerate(c)]
            if any(b <= a for a, b in zip(out["values"], out["values"][1:], strict=False)):
                self.bad(f"{path}.values", "the distinct values must be in increasing order")
            if sum(out["counts"]) != count:
                self.bad(f"{path}.counts", "the counts must add up to 'count'")
        if len(self.rep.problems) == before:
            self.consistent(out, path)
        return ColumnStatistics(**out)

    def consistent(self, st: dict[str, Any], path: str) -> None:
        """Statistics that agree with their count and with each other."""
        count = st["count"]
        for k in _FLOATS:
            if k not in st:
                continue
            if count == 0 and not math.isnan(st[k]):
                self.bad(f"{path}.{k}", f"{k!r} must be null: the column has no value (count 0)")
            elif count and k in ("min", "max") and math.isnan(st[k]):
                self.bad(f"{path}.{k}", f"{k!r} cannot be null: the column has {count} values")
        lo, hi = st.get("min", math.nan), st.get("max", math.nan)
        if lo > hi:
            self.bad(f"{path}.min", f"'min' ({lo!r}) is above 'max' ({hi!r})", _RECOMPUTE)
        if st.get("sd", math.nan) < 0:
            self.bad(f"{path}.sd", f"'sd' cannot be negative (got {st['sd']!r})", _RECOMPUTE)

    def step(self, x: Any, path: str) -> Step | None:
        keys = ("name", "kind", "columns", "held", "basis", "given_by")
        if not self.obj(x, path, keys):
            return None
        before = len(self.rep.problems)
        name = self.text(x["name"], f"{path}.name")
        kind = x["kind"]
        if not (isinstance(kind, str) and kind in _KINDS):
            self.bad(f"{path}.kind", f"expected one of {', '.join(_KINDS)} (got {_show(kind)})")
            kind = ""
        cols = self.ids(x["columns"], f"{path}.columns")
        if type(x["held"]) is not bool:
            self.bad(f"{path}.held", f"expected true or false (got {_show(x['held'])})")
        basis = self.digest(x["basis"], f"{path}.basis", empty=True)
        given_by = None if x["given_by"] is None else self.digest(x["given_by"], f"{path}.given_by")
        if name is not None and len(self.rep.problems) == before:
            want = _STEP_KINDS.get(name, "nodes" if _NODES_STEP.fullmatch(name) else None)
            if want is None:
                self.bad(
                    f"{path}.name",
                    f"a step is named indicators, nodes-1, nodes-2... or overall (got {name!r})",
                )
            elif want != kind:
                self.bad(f"{path}.kind", f"step {name!r} keeps {want} statistics (got {kind!r})")
            elif kind == "overall" and cols != ("overall",):
                self.bad(f"{path}.columns", "the overall step has the one column 'overall'")
        return Step(name or "", kind, cols, x["held"] is True, basis or "", given_by)

    def label(self, x: Any, path: str) -> Period:
        if (type(x) is int) or isinstance(x, str):
            try:
                same = normalise_period(x)
            except ValueError as err:
                self.bad(path, str(err))
                return 0
            if same == x and type(same) is type(x):
                return x
            self.bad(path, f"the period {x!r} is written {same!r}")
            return 0
        self.bad(path, f"a period is a whole number or a label (got {_show(x)})")
        return 0

    def period(self, x: Any, path: str) -> PeriodStatistics | None:
        if not self.obj(x, path, ("period", "rows", *_KINDS)):
            return None
        label = self.label(x["period"], f"{path}.period")
        cols: dict[str, tuple[tuple[str, ColumnStatistics], ...]] = {}
        for kind in _KINDS:
            d = x[kind]
            if not isinstance(d, dict):
                self.bad(
                    f"{path}.{kind}", f"expected an object of column statistics (got {_show(d)})"
                )
                d = {}
            self.once(d, f"{path}.{kind}")
            got = [
                (k, self.column(v, f"{path}.{kind}.{k}"))
                for k, v in d.items()
                if self.clean(k, f"{path}.{kind}")
            ]
            cols[kind] = tuple((k, st) for k, st in got if st is not None)
        return PeriodStatistics(label, self.count(x["rows"], f"{path}.rows"), **cols)

    def whole(self, rows: int, steps: list[Step], periods: list[PeriodStatistics]) -> None:
        """What the parts of a well-read file must agree on: distinct steps, periods in
        order, rows adding up, and every period with rows holding the statistics of each
        step computed from the population's own rows (what ``population`` writes)."""
        names = [s.name for s in steps]
        for i, s in enumerate(steps):
            if s.name in names[:i]:
                self.bad(f"$.steps[{i}].name", f"step {s.name!r} appears twice")
        keys = [period_key(p.period) for p in periods]
        for i in range(1, len(periods)):
            if not keys[i - 1] < keys[i]:
                self.bad(
                    f"$.periods[{i}].period",
                    f"the periods must be distinct and in order (numbers, then labels): "
                    f"{periods[i].period!r} follows {periods[i - 1].period!r}",
                )
        total = sum(p.rows for p in periods)
        if total != rows:
            self.bad("$.rows", f"'rows' ({rows}) is not the sum of the periods' rows ({total})")
        own = [s for s in steps if s.held and s.given_by is None]
        for i, p in enumerate(periods):
            if not p.rows:
                continue  # no rows of its own: a partition's copy of another's period
            for kind in _KINDS:
                held = dict(getattr(p, kind))
                lost = [
                    (s.name, c) for s in own if s.kind == kind for c in s.columns if c not in held
                ]
                if lost:
                    what = ", ".join(repr(c) for _, c in lost)
                    one, many = _NOUNS[kind]
                    self.bad(
                        f"$.periods[{i}].{kind}",
                        f"no statistics of {one if len(lost) == 1 else many} {what} in period "
                        f"{p.period!r}, which has {p.rows} rows (step {lost[0][0]!r} holds them)",
                        "the file was cut or edited: " + _RECOMPUTE,
                    )
                for s in own:
                    for c in s.columns if s.kind == kind else ():
                        if c in held and held[c].count > p.rows:
                            self.bad(
                                f"$.periods[{i}].{kind}.{c}.count",
                                f"'count' ({held[c].count}) is more than the period's rows "
                                f"({p.rows})",
                                _RECOMPUTE,
                            )


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
        >>> text = '{"format": "readiness-model population", "rows": 1e999}'
        >>> try:
        ...     population_fields(text)
        ... except ResponseError as err:
        ...     print(err.problems[0].message, "@", err.problems[0].path)
        1e999 is not allowed: a number must be finite @ $.rows
    """
    where = "population"
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith("{")
    ):
        path = Path(source)
        where = str(path)[:200]
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ResponseError(f"{where}: larger than {MAX_BYTES} bytes")
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError, ValueError) as err:  # ValueError: a NUL in it
            raise ResponseError(f"{where}: cannot read the population file ({err})") from None
    else:
        text = str(source)
    rep = Report(where)
    try:
        doc = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_constant=JsonSpecial,
            parse_float=_float,
            parse_int=_int,
        )
    except RecursionError:
        line, col = _too_deep(text)
        raise ResponseError(
            f"{where}:{line}:{col}: not JSON (nested more than {MAX_DEPTH} levels deep)"
        ) from None
    except ValueError as err:  # json.JSONDecodeError among them
        line, col = getattr(err, "lineno", 1), getattr(err, "colno", 1)
        msg = getattr(err, "msg", str(err))
        raise ResponseError(f"{where}:{line}:{col}: not JSON ({msg})") from None
    for at, special in _specials(doc):
        why = "too long" if special.text.startswith("an integer") else "a number must be finite"
        rep.add(f"{special.text} is not allowed: {why}", at, rep.at(), hint=_FINITE)
    rep.check()
    r = _Reader(rep)
    keys = ("format", "format_version", "rubric", "library_version", "rows", "answers_sha256")
    if not r.obj(doc, "$", (*keys, "steps", "periods")):
        raise rep.error()
    if doc["format"] != FORMAT:
        r.bad("$.format", f"not a population file (expected format {FORMAT!r})")
    if type(doc["format_version"]) is not int or doc["format_version"] != FORMAT_VERSION:
        r.bad(
            "$.format_version",
            f"format version {_show(doc['format_version'])} is not {FORMAT_VERSION}",
            hint=f"this is readiness-model {__version__}; a newer one may read it",
        )
    rubric = doc["rubric"]
    if r.obj(rubric, "$.rubric", ("id", "version", "sha256")):
        ident = [r.text(rubric[k], f"$.rubric.{k}") or "" for k in ("id", "version")]
        ident.append(r.digest(rubric["sha256"], "$.rubric.sha256") or "")
    else:
        ident = ["", "", ""]
    steps = doc["steps"] if isinstance(doc["steps"], list) else []
    periods = doc["periods"] if isinstance(doc["periods"], list) else []
    if not isinstance(doc["steps"], list) or not isinstance(doc["periods"], list):
        r.bad("$", "'steps' and 'periods' must be lists")
    got_steps = [r.step(s, f"$.steps[{i}]") for i, s in enumerate(steps)]
    got_periods = [r.period(p, f"$.periods[{i}]") for i, p in enumerate(periods)]
    library = r.text(doc["library_version"], "$.library_version") or ""
    answers = r.digest(doc["answers_sha256"], "$.answers_sha256") or ""
    rows = r.count(doc["rows"], "$.rows")
    if rep.problems:
        raise rep.error()
    out_steps = [s for s in got_steps if s is not None]
    out_periods = [p for p in got_periods if p is not None]
    r.whole(rows, out_steps, out_periods)
    if rep.problems:
        raise rep.error()
    return {
        "rubric_id": ident[0],
        "rubric_version": ident[1],
        "rubric_sha256": ident[2],
        "library_version": library,
        "rows": rows,
        "answers_sha256": answers,
        "steps": tuple(out_steps),
        "periods": tuple(out_periods),
    }
