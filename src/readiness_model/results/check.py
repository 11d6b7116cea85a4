"""The strict reading of results files: every value checked before a Results is built.

:func:`assemble` receives the parts of a results file, already converted to Python
values and arrays by the JSON or CSV reader, and checks them against the rubric and each
other: lengths and shapes, node ids, band/trend/group ids, origins, ranks, finite numbers,
stored answers. Every problem is collected with the path of the value
(``$.node_scores[3][1]``, ``row 5, column 'rank'``); none is raised before all are seen.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import numpy as np

from ..errors import ResponseError
from ..io.answer_cells import normalise_period
from ..io.problems import Report
from ..responses import ResponseSet
from .provenance import ANSWERED, ROLLED_UP, Provenance

__all__ = ["ORIGINS", "Parts", "assemble", "node_ids_of"]

ORIGINS = (ANSWERED, ROLLED_UP)
MAX_RANK = 1 << 62


def node_ids_of(rubric: Any) -> tuple[str, ...]:
    """The node columns of results of ``rubric`` (every dimension, parents first)."""
    return tuple(d.id for d in rubric.all_dimensions)


@attrs.define
class Parts:
    """What a results file holds, as read (lists of Python values, float arrays)."""

    agencies: list[Any]
    periods: list[Any]
    attributes: list[tuple[str, list[Any]]]
    floats: dict[str, np.ndarray]  # indicator_scores, node_*, overall*, coverage, change
    band: list[Any]
    trend: list[Any]
    group: list[Any]
    rank: np.ndarray
    in_population: np.ndarray
    origin: list[Any]
    provenance: dict[str, Any]
    responses: tuple[np.ndarray, np.ndarray, np.ndarray] | None  # values, missing, na


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples attrs classes hold."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def provenance_of(data: Any, rep: Report, path: str) -> Provenance | None:
    """A :class:`Provenance` from its plain data (every field checked)."""
    if not isinstance(data, dict):
        rep.add(f"the provenance must be an object (got {type(data).__name__})", path, None)
        return None
    fields = {f.name: f for f in attrs.fields(Provenance)}
    ok = True
    for key, value in data.items():
        if key not in fields:
            rep.add(f"unknown provenance field {key!r}", f"{path}.{key}", None)
            ok = False
        elif fields[key].type in ("str", str) and not isinstance(value, str):
            rep.add(f"provenance {key!r} must be text", f"{path}.{key}", None)
            ok = False
    for key, f in fields.items():
        if key not in data and f.default is attrs.NOTHING:
            rep.add(f"the provenance lacks {key!r}", path, None)
            ok = False
    if not ok:
        return None
    try:
        return Provenance(**{k: _tuples(v) for k, v in data.items()})
    except (TypeError, ValueError) as err:
        rep.add(f"invalid provenance: {err}", path, None)
        return None


def _labels(
    rep: Report,
    values: list[Any],
    name: str,
    allowed: Sequence[str],
    where: Callable[[int], str],
) -> tuple[str | None, ...]:
    known = set(allowed)
    out: list[str | None] = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, str) and v in known):
            out.append(v)
        else:
            shown = ", ".join(repr(a) for a in allowed) or "none"
            rep.add(f"{name} {v!r} is not one of the rubric's {name} ids ({shown})", where(i), None)
            out.append(None)
    return tuple(out)


def assemble(
    rubric: Any,
    parts: Parts,
    rep: Report,
    where: Callable[[str, int], str],
    provenance: Provenance | None,
) -> dict[str, Any]:
    """Check the parts against the rubric and each other; the fields of the Results (for
    ``Results(**fields)``), or every problem.

    Args:
        rubric: The rubric the results were scored with.
        parts: The values read.
        rep: Problems so far (raised at the end with any found here).
        where: ``(field, row) -> path`` for messages.
        provenance: The provenance read (``None`` when it was invalid; already reported).
    """
    n = len(parts.agencies)
    m, node_ids = len(rubric.indicators), node_ids_of(rubric)
    k = len(node_ids)
    agencies: list[str] = []
    for i, a in enumerate(parts.agencies):
        if not isinstance(a, str) or not a:
            rep.add(f"agency ids must be non-empty text (got {a!r})", where("agencies", i), None)
        agencies.append(str(a))
    periods: list[Any] = []
    for i, p in enumerate(parts.periods):
        try:
            periods.append(normalise_period(p))
        except ValueError as err:
            rep.add(f"bad period: {err}", where("periods", i), None)
            periods.append(i)
    attributes = []
    for name, col in parts.attributes:
        for i, v in enumerate(col):
            if v is not None and not isinstance(v, str):
                rep.add(f"attribute values are text or null (got {v!r})", where(name, i), None)
        attributes.append((name, tuple(v if isinstance(v, str) else None for v in col)))
    for name, arr in parts.floats.items():
        bad: list[int] = (
            np.flatnonzero(np.isinf(arr).reshape(len(arr), -1).any(axis=1)).tolist()
            if arr.size
            else []
        )
        for i in bad[:20]:
            rep.add(f"{name} holds an infinite number", where(name, int(i)), None)
    shapes = {
        "indicator_scores": (n, m),
        "node_scores": (n, k),
        "node_exact": (n, k),
        "node_coverage": (n, k),
        **dict.fromkeys(("overall", "overall_exact", "coverage", "change"), (n,)),
    }
    for name, shape in shapes.items():
        got = parts.floats[name].shape
        if got != shape:
            rep.add(f"{name} has shape {got}, expected {shape}", where(name, -1), None)
    for name, arr in (("rank", parts.rank), ("in_population", parts.in_population)):
        if arr.shape != (n,):
            rep.add(f"{name} has {arr.shape} entries, expected ({n},)", where(name, -1), None)
    for i in np.flatnonzero((parts.rank < 0) | (parts.rank > max(n, 1))).tolist()[:20]:
        rep.add(f"rank {int(parts.rank[i])} is not in 0..{n}", where("rank", i), None)
    for i, o in enumerate(parts.origin):
        if o not in ORIGINS:
            rep.add(f"origin {o!r} is not one of {ORIGINS}", where("origin", i), None)
    for name, col in (("band", parts.band), ("trend", parts.trend), ("group", parts.group)):
        if len(col) != n:
            rep.add(f"{name} has {len(col)} entries, expected {n}", where(name, -1), None)
    band = _labels(
        rep, parts.band, "band", [b.id for b in rubric.bands], lambda i: where("band", i)
    )
    trend = _labels(
        rep, parts.trend, "trend", [t.id for t in rubric.trend], lambda i: where("trend", i)
    )
    group = _labels(
        rep, parts.group, "group", [g.id for g in rubric.groups], lambda i: where("group", i)
    )
    if len(parts.origin) != n or len(parts.periods) != n:
        rep.add(f"origin and periods need {n} entries (one per agency)", where("origin", -1), None)
    if provenance is not None and provenance.rubric_sha256 != rubric.content_hash:
        rep.add(
            "the provenance's rubric hash is not the hash of the rubric",
            where("provenance", -1),
            None,
            hint="the file was edited, or scored with another rubric",
        )
    rep.check()
    assert provenance is not None  # reported above when invalid
    responses = None
    if parts.responses is not None:
        responses = _responses(rubric, parts, agencies, periods, attributes, rep, where)
    return {
        "rubric": rubric,
        "responses": responses,
        "agencies": tuple(agencies),
        "periods": tuple(periods),
        "attributes": tuple(attributes),
        "indicator_scores": parts.floats["indicator_scores"],
        "node_ids": node_ids,
        "node_scores": parts.floats["node_scores"],
        "node_exact": parts.floats["node_exact"],
        "node_coverage": parts.floats["node_coverage"],
        "overall": parts.floats["overall"],
        "overall_exact": parts.floats["overall_exact"],
        "coverage": parts.floats["coverage"],
        "band": band,
        "trend": trend,
        "group": group,
        "rank": parts.rank,
        "change": parts.floats["change"],
        "in_population": parts.in_population,
        "origin": tuple(parts.origin),
        "provenance": provenance,
    }


def _responses(
    rubric: Any,
    parts: Parts,
    agencies: list[str],
    periods: list[Any],
    attributes: list[tuple[str, tuple[str | None, ...]]],
    rep: Report,
    where: Callable[[str, int], str],
) -> ResponseSet:
    assert parts.responses is not None
    values, missing, na = parts.responses
    keys = [
        f"{a}#{ROLLED_UP}" if o == ROLLED_UP else a
        for a, o in zip(agencies, parts.origin, strict=True)
    ]
    try:
        rs = ResponseSet.from_array(
            values,
            keys,
            rubric,
            period=periods,
            na=na,
            attributes=dict(attributes),
            copy=False,
        )
    except ResponseError as err:
        for p in err.problems:
            rep.add(f"answers: {p.message}", where("responses", -1), None, hint=p.hint)
        rep.check()
        raise  # pragma: no cover
    if not np.array_equal(rs.missing, missing):
        rep.add(
            "the missing-answer marks do not match the answers (a value and a mark in one cell)",
            where("responses", -1),
            None,
        )
        rep.check()
    return rs
