"""An independent, plain-Python reference scorer written only from docs/methodology.md.

It follows the documented pipeline one agency-period and one node at a time, with
loops and :mod:`math`, so that every step can be read against the documentation:

answer → scale → direction → normalisation (population, per period) → aggregation
(weights, missing, n/a, coverage) → ``min_coverage`` → ``rescale`` → reported scale →
rounding → bands · trend · groups · ranks.

It does not import the engine; it uses only the public model classes (scales'
``score(stored)``) and :class:`readiness_model.ResponseSet`. "No value" is ``None``.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from readiness_model import Dimension, Indicator, NumericScale, ResponseError, ResponseSet, Rubric
from readiness_model.errors import Problem

__all__ = ["reference_score", "round_reported"]

Score = float | None


def round_reported(x: Score, decimals: int | None) -> Score:
    """Round as docs/methodology.md §7: 12 significant digits, then half away from zero."""
    if x is None or decimals is None or x == 0 or not math.isfinite(x):
        return x
    exact = Decimal(x)
    twelve = exact.quantize(Decimal(1).scaleb(exact.adjusted() - 11), rounding=ROUND_HALF_EVEN)
    return float(twelve.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def _clamp(v: float) -> float:
    return min(1.0, max(0.0, v))


def _period_key(p: Any) -> tuple[bool, Any]:
    return (isinstance(p, str), p)


# -- 3. normalisation ----------------------------------------------------------------------
def _relative(method: str, target: float | None, x: float, pop: list[float]) -> Score:
    """Population-relative score of ``x`` over the population values ``pop``."""
    if not pop:
        return None  # the docs are silent on an empty population (see the report)
    n, lo, hi = len(pop), min(pop), max(pop)
    if method == "minmax":
        return 0.5 if hi == lo else _clamp((x - lo) / (hi - lo))
    if method == "zscore":
        if hi == lo:  # §3: no spread
            return 0.5
        if not lo <= x <= hi:  # §3: outside the population's range, clamped
            return 1.0 if x > hi else 0.0
        # z-scores do not change when every value is scaled by the same power of two,
        # which keeps the squares below from underflowing (values like 1e-250)
        e = math.frexp(max(abs(lo), abs(hi)))[1]
        pop, x = [math.ldexp(p, -e) for p in pop], math.ldexp(x, -e)
        mean = math.fsum(pop) / n
        sd = math.sqrt(math.fsum((p - mean) ** 2 for p in pop) / n)
        if hi == lo or sd == 0:
            return 0.5
        zs = [(p - mean) / sd for p in pop]
        zlo, zhi = min(zs), max(zs)
        return _clamp(((x - mean) / sd - zlo) / (zhi - zlo))
    below = sum(1 for p in pop if p < x)
    if method == "rank":
        return 0.5 if n == 1 else min(1.0, below / (n - 1))
    if method == "percentile":
        equal = sum(1 for p in pop if p == x)
        return (below + 0.5 * equal) / n
    assert method == "target"
    assert target is not None
    if target <= lo:
        return 1.0 if x >= target else 0.0
    return _clamp((x - lo) / (target - lo))


def _indicator_scores(ind: Indicator, j: int, rs: ResponseSet, in_pop: list[bool]) -> list[Score]:
    """Normalised score in [0, 1] of every row (``None``: missing or not applicable)."""
    n = len(rs.agencies)
    answered = [not rs.missing[i, j] and not rs.na[i, j] for i in range(n)]
    lower = ind.direction == "lower_is_better"
    method = ind.normalize.method
    out: list[Score] = [None] * n
    if method == "goalposts":
        for i in range(n):
            if answered[i]:
                s = ind.scale.score(float(rs.values[i, j]))
                out[i] = 1.0 - s if lower else s
        return out
    raw: list[float] = [math.nan] * n
    for i in range(n):
        if answered[i]:
            v = float(rs.values[i, j])
            if isinstance(ind.scale, NumericScale):
                raw[i] = -v if lower else v
            else:
                s = ind.scale.score(v)
                raw[i] = 1.0 - s if lower else s
    target = ind.normalize.target
    if target is not None and lower and isinstance(ind.scale, NumericScale):
        target = -target  # a target is a raw number too (the docs are silent: see report)
    for period in set(rs.periods):
        rows = [i for i in range(n) if rs.periods[i] == period]
        pop = [raw[i] for i in rows if answered[i] and in_pop[i]]
        for i in rows:
            if answered[i]:
                out[i] = _relative(method, target, raw[i], pop)
    return out


# -- 4. aggregation ------------------------------------------------------------------------
def _aggregate(method: str, p: float | None, parts: list[tuple[float, float]]) -> Score:
    """Weighted mean of ``(weight, score)`` pairs of the included children.

    Weights are renormalised exactly (fractions), so tiny weights do not underflow.
    """
    total = sum((Fraction(w) for w, _ in parts), Fraction(0))
    if total == 0:
        return None  # no included weight: no score (the docs are silent)
    if method == "power" and p == 0:
        method = "geometric"
    if method == "power" and p == 1:
        method = "arithmetic"
    if method == "arithmetic":
        return float(sum(Fraction(w) * Fraction(s) for w, s in parts) / total)
    # normalised weights of the children that carry weight
    weighted = [(float(Fraction(w) / total), s) for w, s in parts if w > 0]
    if method == "minimum":
        return min(s for _, s in weighted)
    zero_wins = method in ("geometric", "harmonic") or (method == "power" and (p or 0) < 0)
    if zero_wins and any(s == 0 for _, s in weighted):
        return 0.0
    if method == "geometric":
        return math.exp(math.fsum(q * math.log(s) for q, s in weighted))
    if method == "harmonic":
        return 1 / math.fsum(q / s for q, s in weighted)
    assert method == "power"
    assert p is not None
    if p < 0:  # s**p of a tiny s overflows: compute with the largest term factored out
        # a weight share that underflows to 0 (a 5e-324 weight) adds nothing to the sum
        logs = [math.log(q) + p * math.log(s) for q, s in weighted if q > 0]
        top = max(logs)
        total_log = top + math.log(math.fsum(math.exp(x - top) for x in logs))
        return math.exp(total_log / p)
    mean: float = math.fsum(q * s**p for q, s in weighted) ** (1 / p)
    return mean


class _Scorer:
    def __init__(self, rubric: Rubric, rs: ResponseSet) -> None:
        self.rubric, self.rs = rubric, rs
        self.n = len(rs.agencies)
        self.in_pop = [
            all(rs.attribute(key)[i] in accepted for key, accepted in rubric.population)
            for i in range(self.n)
        ]
        self.column = {ind_id: j for j, ind_id in enumerate(rs.indicator_ids)}
        self.indicator: dict[str, list[Score]] = {}
        # node id -> per row (score on [0, 1], coverage, applicable)
        self.nodes: dict[str, list[tuple[Score, Score, bool]]] = {}
        self.before_rescale: dict[str, list[Score]] = {}
        self.problems: list[Problem] = []

    def _leaf(self, ind: Indicator, policy: str) -> list[tuple[Score, Score, bool]]:
        j = self.column[ind.id]
        scores = _indicator_scores(ind, j, self.rs, self.in_pop)
        self.indicator[ind.id] = scores
        out: list[tuple[Score, Score, bool]] = []
        for i in range(self.n):
            if self.rs.na[i, j]:
                out.append((None, None, False))
            elif self.rs.missing[i, j]:
                if policy == "error":
                    self._error(i, f"indicator {ind.id!r} is not answered")
                out.append((0.0 if policy == "zero" else None, 0.0, True))
            else:
                out.append((scores[i], 1.0, True))
        return out

    def _error(self, i: int, what: str) -> None:
        self.problems.append(
            Problem(
                f"agency {self.rs.agencies[i]!r}, period {self.rs.periods[i]!r}: {what} "
                "and its missing policy is 'error'",
                f"row {i + 1}",
            )
        )

    def _combine(
        self,
        children: list[tuple[float, list[tuple[Score, Score, bool]], float | None]],
        method: str,
        p: float | None,
        policy: str,
    ) -> list[tuple[Score, Score, bool]]:
        """Aggregate children ``(weight, rows, min_coverage of a node / None for an
        indicator)`` under ``policy`` for missing nodes."""
        out: list[tuple[Score, Score, bool]] = []
        for i in range(self.n):
            applicable = [(w, rows[i], node) for w, rows, node in children if rows[i][2]]
            if not applicable:
                out.append((None, None, False))
                continue
            wsum = sum((Fraction(w) for w, _, _ in applicable), Fraction(0))
            if wsum == 0:  # only zero weights apply: read as not applicable (docs silent)
                out.append((None, None, False))
                continue
            cov = float(sum(Fraction(w) * Fraction(r[1] or 0.0) for w, r, _ in applicable) / wsum)
            parts: list[tuple[float, float]] = []
            for w, (s, c, _), node_min in applicable:
                # methodology §5: a node without a score is a missing answer when nothing
                # in it was answered or it fell below its min_coverage (0 under 'zero';
                # 'error' drops it, docs silent); otherwise (no population) it is dropped
                if s is None and node_min is not None:
                    unanswered = (c or 0.0) <= 0 or (c or 0.0) < node_min - 1e-12
                    s = 0.0 if policy == "zero" and unanswered else None
                if s is not None:
                    parts.append((w, s))
            out.append((_aggregate(method, p, parts), cov, True))
        return out

    def node(self, dim: Dimension, inherited: str) -> list[tuple[Score, Score, bool]]:
        policy = dim.missing or inherited
        agg = dim.aggregate or self.rubric.defaults.aggregate
        children: list[tuple[float, list[tuple[Score, Score, bool]], float | None]] = []
        for sub in dim.dimensions:
            children.append((sub.weight, self.node(sub, policy), sub.min_coverage))
        for ind in dim.indicators:
            children.append((ind.weight, self._leaf(ind, ind.missing or policy), None))
        rows = self._combine(children, agg.method, agg.p, policy)
        rows = [
            (None if c is not None and c < dim.min_coverage - 1e-12 else s, c, a)
            for s, c, a in rows
        ]
        self.before_rescale[dim.id] = [s for s, _, _ in rows]
        if dim.rescale == "minmax":
            rows = self._rescale(rows)
        self.nodes[dim.id] = rows
        return rows

    def _rescale(self, rows: list[tuple[Score, Score, bool]]) -> list[tuple[Score, Score, bool]]:
        out = list(rows)
        for period in set(self.rs.periods):
            idx = [i for i in range(self.n) if self.rs.periods[i] == period]
            pop = [s for i in idx if self.in_pop[i] and (s := rows[i][0]) is not None]
            if not pop:  # nothing to rescale against: no score (the docs are silent)
                for i in idx:
                    out[i] = (None, rows[i][1], rows[i][2])
                continue
            lo, hi = min(pop), max(pop)
            for i in idx:
                s, c, a = rows[i]
                if s is not None:
                    out[i] = (0.5 if hi == lo else _clamp((s - lo) / (hi - lo)), c, a)
        return out


# -- 8-10. classification ------------------------------------------------------------------
def _in_range(r: Any, x: float) -> bool:
    return (
        (r.min is None or x >= r.min)
        and (r.above is None or x > r.above)
        and (r.max is None or x <= r.max)
        and (r.below is None or x < r.below)
    )


def _band(rubric: Rubric, row: dict[str, Any]) -> str | None:
    overall = row["overall"]
    if overall is None:
        return None
    for band in rubric.bands:
        ok = _in_range(band.range, overall)
        for node_id, minimum in band.dimensions:
            s = row["nodes"][node_id]["score"]
            ok = ok and s is not None and s >= minimum
        if band.all_dimensions is not None:
            for d in rubric.dimensions:
                node = row["nodes"][d.id]
                if node["applicable"]:
                    ok = ok and node["score"] is not None and node["score"] >= band.all_dimensions
        if band.min_coverage is not None:
            ok = ok and row["coverage"] is not None and row["coverage"] >= band.min_coverage - 1e-12
        if ok:
            return band.id
    return None


def reference_score(rubric: Rubric, responses: ResponseSet) -> list[dict[str, Any]]:
    """Score every agency-period of ``responses``, one dict per row (``None``: no value).

    Keys: ``agency``, ``period``, ``in_population``, ``indicators`` (id → score on
    [0, 1]), ``nodes`` (id → ``exact``, ``score`` (rounded), ``coverage``,
    ``applicable``, and ``before_rescale`` on [0, 1]; scores on the reported scale),
    ``overall_exact``, ``overall``, ``coverage``, ``change``, ``band``, ``trend``,
    ``group``, ``rank`` (0: not ranked).

    Raises:
        ResponseError: a missing answer under the ``error`` policy.
    """
    sc = _Scorer(rubric, responses)
    policy = rubric.defaults.missing
    top: list[tuple[float, list[tuple[Score, Score, bool]], float | None]] = [
        (d.weight, sc.node(d, policy), d.min_coverage) for d in rubric.dimensions
    ]
    agg = rubric.defaults.aggregate
    overall = sc._combine(top, agg.method, agg.p, policy)
    if sc.problems:
        raise ResponseError(sc.problems)
    lo, hi = rubric.scale
    dec = rubric.rounding

    def report(s: Score) -> Score:
        return None if s is None else lo + s * (hi - lo)

    rows: list[dict[str, Any]] = []
    for i in range(sc.n):
        nodes = {}
        for d in rubric.all_dimensions:
            s, c, a = sc.nodes[d.id][i]
            nodes[d.id] = {
                "exact": report(s),
                "score": round_reported(report(s), dec),
                "coverage": c,
                "applicable": a,
                "before_rescale": sc.before_rescale[d.id][i],
            }
        exact = report(overall[i][0])
        rows.append(
            {
                "agency": responses.agencies[i],
                "period": responses.periods[i],
                "in_population": sc.in_pop[i],
                "indicators": {k: v[i] for k, v in sc.indicator.items()},
                "nodes": nodes,
                "overall_exact": exact,
                "overall": round_reported(exact, dec),
                "coverage": overall[i][1],
            }
        )
    for row in rows:
        row["band"] = _band(rubric, row)
        earlier = [
            r
            for r in rows
            if r["agency"] == row["agency"]
            and _period_key(r["period"]) < _period_key(row["period"])
        ]
        prev = max(earlier, key=lambda r: _period_key(r["period"])) if earlier else None
        row["change"] = None
        if prev is not None and row["overall"] is not None and prev["overall"] is not None:
            row["change"] = round_reported(row["overall"] - prev["overall"], dec)
        change = row["change"]
        row["trend"] = next(
            (t.id for t in rubric.trend if change is not None and _in_range(t.change, change)),
            None,
        )
        row["group"] = next(
            (
                g.id
                for g in rubric.groups
                if (not g.bands or row["band"] in g.bands)
                and (not g.trend or row["trend"] in g.trend)
            ),
            None,
        )
        row["rank"] = 0
        if row["in_population"] and row["overall"] is not None:
            row["rank"] = 1 + sum(
                1
                for r in rows
                if r["in_population"]
                and r["period"] == row["period"]
                and r["overall"] is not None
                and r["overall"] > row["overall"]
            )
    return rows
