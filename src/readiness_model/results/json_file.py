"""Results to and from JSON, exactly (floats are written with ``repr``).

The reader is strict: the document must be exactly what :func:`results_to_json` writes
(no ``NaN``/``Infinity``, no repeated key, no unknown or missing field, every array of
the right length and type); every problem is reported at once with its ``$.path``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import AnswersNotFoundError, Problem, ResponseError, RubricError
from ..io.answer_cells import JsonSpecial
from ..io.answers_json import MAX_DEPTH, _int, _too_deep
from ..io.problems import Report
from .check import Parts, assemble, provenance_of

if TYPE_CHECKING:
    from . import Results

__all__ = ["FORMAT", "FORMAT_VERSION", "results_from_json", "results_to_json"]

FORMAT = "readiness-model/results"
FORMAT_VERSION = 1
MAX_BYTES = 1 << 30
FLOAT_FIELDS = (
    "indicator_scores",
    "node_scores",
    "node_exact",
    "node_coverage",
    "overall",
    "overall_exact",
    "coverage",
    "change",
)
FIELDS = (
    "format",
    "format_version",
    "provenance",
    "rubric_yaml",
    "agencies",
    "periods",
    "attributes",
    "node_ids",
    *FLOAT_FIELDS[:4],
    "overall",
    "overall_exact",
    "coverage",
    "band",
    "trend",
    "group",
    "rank",
    "change",
    "in_population",
    "origin",
    "responses",
)


def _arr(a: np.ndarray) -> Any:
    """Nested lists, NaN as null."""
    if a.dtype.kind != "f":
        return a.tolist()
    obj = a.astype(object)
    obj[np.isnan(a)] = None
    return obj.tolist()


def results_to_json(r: Results) -> str:
    """Every array, label and the rubric itself (as YAML) in one JSON document.

    Example:
        >>> import readiness_model as rm
        >>> rub = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> res = rm.score(rub, rm.ResponseSet.from_array([[1]], ["x"], rub))
        >>> json.loads(results_to_json(res))["overall"]
        [100.0]
    """
    from ..io.rubric_yaml import dump_rubric

    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "provenance": r.provenance.to_dict(),
        "rubric_yaml": dump_rubric(r.rubric),
        "agencies": list(r.agencies),
        "periods": list(r.periods),
        "attributes": {k: list(v) for k, v in r.attributes},
        "node_ids": list(r.node_ids),
        **{f: _arr(getattr(r, f)) for f in FIELDS if f in FLOAT_FIELDS},
        "band": list(r.band),
        "trend": list(r.trend),
        "group": list(r.group),
        "rank": r.rank.tolist(),
        "in_population": r.in_population.tolist(),
        "origin": list(r.origin),
        "responses": None,
    }
    doc = {f: doc[f] for f in FIELDS}
    if r.responses is not None:
        rs = r.responses
        doc["responses"] = {
            "values": _arr(rs.values),
            "missing": rs.missing.tolist(),
            "na": rs.na.tolist(),
        }
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)


def _strict_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        again = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {again!r} appears twice in an object")
    return out


class _Reader:
    """Typed access to the JSON document, problems collected with their paths."""

    def __init__(self, doc: dict[str, Any], rep: Report) -> None:
        self.doc = doc
        self.rep = rep

    def bad(self, path: str, message: str) -> None:
        self.rep.add(message, path, None, hint="write it with Results.to_json")

    def list_of(self, key: str, n: int | None) -> list[Any]:
        v = self.doc.get(key)
        if not isinstance(v, list):
            self.bad(f"$.{key}", f"{key!r} must be a list (got {type(v).__name__})")
            return []
        if n is not None and len(v) != n:
            self.bad(f"$.{key}", f"{key!r} has {len(v)} entries, expected {n}")
        return v

    def numbers(self, value: Any, path: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float array of ``shape`` from nested lists of numbers and nulls."""
        rows = value if len(shape) == 2 else [value]
        width = shape[-1]
        if not isinstance(value, list) or (
            len(shape) == 2
            and (len(rows) != shape[0] or not all(isinstance(r, list) for r in rows))
        ):
            self.bad(path, f"expected {'a list of lists' if len(shape) == 2 else 'a list'}")
            return np.full(shape, np.nan)
        for i, row in enumerate(rows):
            if len(row) != width:
                self.bad(f"{path}[{i}]" if len(shape) == 2 else path, f"expected {width} numbers")
                return np.full(shape, np.nan)
        flat = list(chain.from_iterable(rows))
        if not set(map(type, flat)) <= {int, float, type(None)}:
            k = next(j for j, v in enumerate(flat) if type(v) not in (int, float, type(None)))
            at = f"[{k // width}][{k % width}]" if len(shape) == 2 else f"[{k}]"
            self.bad(f"{path}{at}", f"expected a number or null (got {flat[k]!r})")
            return np.full(shape, np.nan)
        try:
            out = np.array(flat, dtype=np.float64).reshape(shape)
        except OverflowError:
            self.bad(path, "a number is too large")
            return np.full(shape, np.nan)
        return out


def results_from_json(source: str | Path) -> dict[str, Any]:
    """Read :func:`results_to_json` output (a path or the text), checking everything.

    Raises:
        ResponseError: every problem of the document, each with its ``$.path``.

    Example:
        >>> import readiness_model as rm
        >>> try:
        ...     results_from_json('{"format": "readiness-model/results", "rank": [1e999]}')
        ... except rm.ResponseError as err:
        ...     print(err.problems[0].message)
        not valid JSON: 1e999 is not a number
    """
    where = "<json>"
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith("{")
    ):
        where = str(source)
        try:
            if Path(source).stat().st_size > MAX_BYTES:
                raise ResponseError(
                    [Problem(f"the results file is larger than {MAX_BYTES:,} bytes", where)]
                )
            source = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            cls = AnswersNotFoundError if isinstance(e, FileNotFoundError) else ResponseError
            raise cls([Problem(f"cannot read results file: {e}", where)]) from None
    rep = Report(where)
    text = str(source)
    try:
        doc = json.loads(
            text,
            object_pairs_hook=_strict_pairs,
            parse_constant=JsonSpecial,
            parse_float=_finite,
            parse_int=_int,
        )
    except RecursionError:
        rep.fail(f"the JSON is nested more than {MAX_DEPTH} levels deep", rep.at(*_too_deep(text)))
    except ValueError as e:
        msg = getattr(e, "msg", str(e))
        rep.fail(f"not valid JSON: {msg}", rep.at(getattr(e, "lineno", 1), getattr(e, "colno", 1)))
    specials = _specials(doc)
    if specials:
        for path, value in specials[:20]:
            rep.add(f"not valid JSON: {value} is not a number", path, None)
        rep.check()
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        rep.fail(f"not a {FORMAT} document", rep.at(1, 1), hint="write it with Results.to_json")
    return _build(doc, rep)


def _finite(text: str) -> float | JsonSpecial:
    x = float(text)
    return x if x - x == 0 else JsonSpecial(text)


def _specials(doc: Any, path: str = "$", depth: int = 0) -> list[tuple[str, str]]:
    """Paths of ``NaN``/``Infinity``/overlong numbers (not numbers a reader can trust)."""
    if isinstance(doc, JsonSpecial):
        return [(path, doc.text)]
    if isinstance(doc, dict):
        return [s for k, v in doc.items() for s in _specials(v, f"{path}.{k}", depth + 1)]
    if isinstance(doc, list) and doc and isinstance(doc[0], list | dict | JsonSpecial):
        return [s for i, v in enumerate(doc) for s in _specials(v, f"{path}[{i}]", depth + 1)]
    if isinstance(doc, list):
        return [(f"{path}[{i}]", v.text) for i, v in enumerate(doc) if isinstance(v, JsonSpecial)]
    return []


def _build(doc: dict[str, Any], rep: Report) -> dict[str, Any]:
    from ..io.rubric_yaml import rubric_from_yaml

    for key in doc:
        if key not in FIELDS:
            rep.add(
                f"unknown field {key!r}", f"$.{key}", None, hint="write it with Results.to_json"
            )
    for key in FIELDS:
        if key not in doc:
            rep.add(
                f"the field {key!r} is missing", "$", None, hint="write it with Results.to_json"
            )
    if doc.get("format_version") != FORMAT_VERSION:
        rep.add(f"format_version must be {FORMAT_VERSION}", "$.format_version", None)
    rep.check()
    if not isinstance(doc["rubric_yaml"], str):
        rep.fail("'rubric_yaml' must be text", rep.at(), path="$.rubric_yaml")
    try:
        rubric = rubric_from_yaml(doc["rubric_yaml"], source=f"{rep.where}#rubric_yaml")
    except RubricError as err:
        raise ResponseError(
            [Problem(f"the embedded rubric: {p}", "$.rubric_yaml") for p in err.problems]
        ) from None
    r = _Reader(doc, rep)
    n = len(r.list_of("agencies", None))
    m, k = len(rubric.indicators), len(rubric.all_dimensions)
    node_ids = r.list_of("node_ids", None)
    if node_ids != [d.id for d in rubric.all_dimensions]:
        r.bad("$.node_ids", "node_ids are not the dimensions of the embedded rubric, in order")
    attrs_doc = doc["attributes"]
    attributes: list[tuple[str, list[Any]]] = []
    if not isinstance(attrs_doc, dict):
        r.bad("$.attributes", "'attributes' must be an object of lists")
    else:
        for name, col in attrs_doc.items():
            if not isinstance(col, list) or len(col) != n:
                r.bad(f"$.attributes.{name}", f"expected a list of {n} values")
            else:
                attributes.append((name, col))
    shapes: dict[str, tuple[int, ...]] = {
        f: (n, m) if f == "indicator_scores" else (n, k) for f in FLOAT_FIELDS[:4]
    }
    shapes.update(dict.fromkeys(FLOAT_FIELDS[4:], (n,)))
    floats = {f: r.numbers(doc[f], f"$.{f}", s) for f, s in shapes.items()}
    rank_list = r.list_of("rank", n)
    if not all(type(x) is int for x in rank_list):
        r.bad("$.rank", "ranks must be whole numbers")
        rank_list = [0] * n
    if any(not -(1 << 62) < x < 1 << 62 for x in rank_list):
        r.bad("$.rank", "a rank is out of range")
        rank_list = [0] * n
    pop = r.list_of("in_population", n)
    if not all(type(x) is bool for x in pop):
        r.bad("$.in_population", "in_population must hold true/false")
        pop = [False] * n
    responses = None
    if doc["responses"] is not None:
        resp = doc["responses"]
        if not isinstance(resp, dict) or set(resp) != {"values", "missing", "na"}:
            r.bad("$.responses", "expected null or {values, missing, na}")
        else:
            values = r.numbers(resp["values"], "$.responses.values", (n, m))
            masks = []
            for key in ("missing", "na"):
                flat = [v for row in resp[key] if isinstance(row, list) for v in row]
                if (
                    not isinstance(resp[key], list)
                    or len(resp[key]) != n
                    or len(flat) != n * m
                    or not all(type(v) is bool for v in flat)
                ):
                    r.bad(f"$.responses.{key}", f"expected {n} lists of {m} true/false")
                    flat = [False] * (n * m)
                masks.append(np.array(flat, bool).reshape(n, m))
            responses = (values, masks[0], masks[1])
    provenance = provenance_of(doc["provenance"], rep, "$.provenance")
    parts = Parts(
        agencies=r.list_of("agencies", n),
        periods=r.list_of("periods", n),
        attributes=attributes,
        floats=floats,
        band=r.list_of("band", n),
        trend=r.list_of("trend", n),
        group=r.list_of("group", n),
        rank=np.array(rank_list, np.int64),
        in_population=np.array(pop, bool),
        origin=r.list_of("origin", n),
        provenance=doc["provenance"],
        responses=responses,
    )
    return assemble(
        rubric, parts, rep, lambda f, i: f"$.{f}" + (f"[{i}]" if i >= 0 else ""), provenance
    )
