"""Roll agencies up to their parents: ministries scored from their departments.

A parent's rolled-up score in a period is the mean (or the weighted mean, by a numeric
agency attribute) of its direct children's own scores in that period, node by node.
The rolled-up rows sit beside the original rows, marked ``origin == "rolled_up"``, so a
ministry that answered the survey itself shows both its own and its rolled-up score.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

import numpy as np

from ..engine.classify import classify, previous_rows
from ..engine.plan import compile_rubric
from ..errors import Problem, ResponseError, did_you_mean
from ..responses import Period, ResponseSet
from ..results import ROLLED_UP, Results

__all__ = ["ROLLED_UP", "roll_up"]

"""The ``origin`` of rows made by :func:`roll_up`."""


def roll_up(results: Results, by: str = "parent", *, weights: str | None = None) -> Results:
    """Add one row per parent and period, scored from that parent's children.

    Children are the rows whose ``by`` attribute names the parent; in each period where a
    parent has children, a new row (agency = the parent id, ``origin = "rolled_up"``) gets,
    for every node, indicator, the overall score and coverage, the mean of its children's
    values (NaN values drop out). The reported scores are the rolled-up exact scores,
    rounded as the rubric says. Band, trend (against the parent's previous rolled-up row)
    and group are classified again on the rolled-up scores; rolled-up rows are not ranked
    (rank 0) and are outside the population. Name and kind are the parent's own, when it
    has rows. Roll-up is one level: a parent's row averages its children's *own* rows.

    ``Results.responses`` of the result holds the original answers followed by one
    all-missing row per rolled-up row; those rows carry the agency id
    ``"<parent>#rolled_up"`` there, because a parent may also have answered itself.

    Args:
        results: Scored results whose rows carry the ``by`` attribute.
        by: The attribute naming each row's parent.
        weights: A numeric attribute (e.g. staff numbers) to weight children by;
            ``None`` for a plain mean.

    Returns:
        The original rows followed by the rolled-up rows (``results`` itself when no row
        has a parent).

    Raises:
        ResponseError: a parent id is not an agency of the results, the parent graph has
            a cycle, or a weight is not a finite number >= 0.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_records([
        ...     {"agency": "m", "period": 1, "q": "no"},
        ...     {"agency": "d1", "period": 1, "parent": "m", "q": "yes"},
        ...     {"agency": "d2", "period": 1, "parent": "m", "q": "no"}], r)
        >>> up = roll_up(rm.score(r, rs))
        >>> up.agencies[-1], up.origin[-1], float(up.overall[-1])
        ('m', 'rolled_up', 50.0)

    .. versionadded:: 0.1.0
    """
    n = len(results)
    parent = results.attribute(by)
    known = set(results.agencies)
    problems: list[Problem] = []
    for i, p in enumerate(parent):
        if p is not None and p not in known:
            problems.append(
                Problem(
                    f"agency {results.agencies[i]!r} (period {results.periods[i]!r}) names "
                    f"{by} {p!r}, which is not an agency in these results",
                    f"row {i + 1}, column {by!r}",
                    hint=did_you_mean(p, known),
                )
            )
    problems += _cycles(results.agencies, parent, by)
    w = _weights(results, weights, by, problems) if weights is not None else np.ones(n)
    if problems:
        raise ResponseError(problems)

    groups: dict[tuple[str, Period], list[int]] = defaultdict(list)
    for i, p in enumerate(parent):
        if p is not None:
            groups[(p, results.periods[i])].append(i)
    if not groups:
        return results
    keys = list(groups)
    mat = np.zeros((len(keys), n))
    for g, key in enumerate(keys):
        rows = groups[key]
        mat[g, rows] = w[rows]

    def mean(a: np.ndarray) -> np.ndarray:
        a2 = a if a.ndim == 2 else a[:, None]
        ok = ~np.isnan(a2)
        den = mat @ ok
        num = mat @ np.where(ok, a2, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        return out if a.ndim == 2 else out[:, 0]

    return _assemble(results, keys, by, mean)


def _assemble(
    results: Results,
    keys: list[tuple[str, Period]],
    by: str,
    avg: Callable[[np.ndarray], np.ndarray],
) -> Results:
    rubric = results.rubric
    node_exact = avg(results.node_exact)
    overall_exact = avg(results.overall_exact)
    coverage = avg(results.coverage)
    agencies = tuple(k[0] for k in keys)
    periods = tuple(k[1] for k in keys)
    plan = compile_rubric(rubric)
    cls = classify(
        rubric,
        plan,
        overall_exact,
        coverage,
        node_exact,
        ~np.isnan(node_exact[:, plan.top]),
        previous=previous_rows(agencies, periods),
    )
    assert cls.node_scores is not None
    assert cls.trend is not None
    assert cls.group is not None
    band_ids = [b.id for b in rubric.bands]
    trend_ids = [t.id for t in rubric.trend]

    def ids_of(idx: np.ndarray, names: list[str]) -> tuple[str | None, ...]:
        return tuple(names[i] if i >= 0 else None for i in idx.tolist())

    own: dict[str, int] = {}
    for i, a in enumerate(results.agencies):
        own[a] = i  # the parent's latest own row gives its name and kind
    attributes = []
    for name, col in results.attributes:
        if name in ("name", "kind", by):
            extra = tuple(col[own[a]] for a in agencies)
        else:
            extra = (None,) * len(keys)
        attributes.append((name, col + extra))
    k = len(keys)
    return Results(
        rubric=rubric,
        responses=_responses(results, agencies, periods, attributes),
        agencies=results.agencies + agencies,
        periods=results.periods + periods,
        attributes=tuple(attributes),
        indicator_scores=np.vstack([results.indicator_scores, avg(results.indicator_scores)]),
        node_ids=results.node_ids,
        node_scores=np.vstack([results.node_scores, cls.node_scores]),
        node_exact=np.vstack([results.node_exact, node_exact]),
        node_coverage=np.vstack([results.node_coverage, avg(results.node_coverage)]),
        overall=np.concatenate([results.overall, cls.overall]),
        overall_exact=np.concatenate([results.overall_exact, overall_exact]),
        coverage=np.concatenate([results.coverage, coverage]),
        band=results.band + ids_of(cls.band, band_ids),
        trend=results.trend + ids_of(cls.trend, trend_ids),
        group=results.group + ids_of(cls.group, [g.id for g in rubric.groups]),
        rank=np.concatenate([results.rank, np.zeros(k, np.int64)]),
        change=np.concatenate([results.change, cls.change]),
        in_population=np.concatenate([results.in_population, np.zeros(k, bool)]),
        origin=results.origin + (ROLLED_UP,) * k,
        provenance=results.provenance,
    )


def _responses(
    results: Results,
    agencies: tuple[str, ...],
    periods: tuple[Period, ...],
    attributes: list[tuple[str, tuple[str | None, ...]]],
) -> ResponseSet | None:
    rs = results.responses
    if rs is None:
        return None
    k, m = len(agencies), len(rs.indicator_ids)
    return ResponseSet(
        rubric_id=rs.rubric_id,
        indicator_ids=rs.indicator_ids,
        agencies=rs.agencies + tuple(f"{a}#{ROLLED_UP}" for a in agencies),
        periods=rs.periods + periods,
        values=np.vstack([rs.values, np.full((k, m), np.nan)]),
        missing=np.vstack([rs.missing, np.ones((k, m), bool)]),
        na=np.vstack([rs.na, np.zeros((k, m), bool)]),
        attributes=tuple(attributes),
    )


def _weights(results: Results, name: str, by: str, problems: list[Problem]) -> np.ndarray:
    col = results.attribute(name)
    out = np.zeros(len(results))
    if all(v is None for v in col):
        problems.append(
            Problem(
                f"no agency has the weight attribute {name!r}",
                f"column {name!r}",
                hint=did_you_mean(name, [k for k, _ in results.attributes]),
            )
        )
        return out
    by_parent = results.attribute(by)
    for i, v in enumerate(col):
        try:
            x = float(v) if v is not None else math.nan
        except ValueError:
            x = math.nan
        if not (math.isfinite(x) and x >= 0):
            if by_parent[i] is None and v is None:
                continue  # not a child: its weight is never used
            problems.append(
                Problem(
                    f"agency {results.agencies[i]!r} (period {results.periods[i]!r}) has "
                    f"weight {name} {v!r}, expected a finite number >= 0",
                    f"row {i + 1}, column {name!r}",
                    expected="a finite number >= 0",
                    got=repr(v),
                )
            )
        else:
            out[i] = x
    return out


def _cycles(agencies: tuple[str, ...], parent: tuple[str | None, ...], by: str) -> list[Problem]:
    edges: dict[str, set[str]] = defaultdict(set)
    for a, p in zip(agencies, parent, strict=True):
        if p is not None:
            edges[a].add(p)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[Problem] = []
    for start in sorted(edges):
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(edges[start]))]
        path = [start]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                cyc = [*path[path.index(nxt) :], nxt]
                found.append(
                    Problem(
                        f"the {by} links form a cycle: {' → '.join(cyc)}",
                        f"column {by!r}",
                        hint=f"an agency cannot be its own {by}, directly or indirectly",
                    )
                )
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(edges.get(nxt, ()))))
    return found
