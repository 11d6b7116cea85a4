"""Search machinery of :mod:`readiness_model.analysis.gap`: the rescoring of candidate
answer rows, the candidate values, the exact/greedy set search, the additive branch and
bound, and the lowering of numbers to the fewest decimals (see that module's docstring).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import attrs
import numpy as np

from ..engine.plan import compile_rubric
from ..engine.score import period_rows, score
from ..errors import Problem, ResponseError
from ..model import Indicator, NumericScale
from ..responses import ResponseSet
from ..results import Results


class _Scorer:
    """Rescores candidate answer rows of one agency with the real engine."""

    def __init__(self, results: Results, row: int) -> None:
        if results.responses is None:
            raise ResponseError(
                [
                    Problem(
                        "these results carry no answers",
                        "results",
                        hint="score the answers again, then ask for the gap",
                    )
                ]
            )
        self.rubric = results.rubric
        plan = compile_rubric(self.rubric)
        self.independent = plan.rows_independent
        resp = results.responses
        rows = next(r for r in period_rows(resp) if row in r)
        self.sub = resp.select(rows)
        self.r = int(np.flatnonzero(rows == row)[0])
        self.base = self.sub.values[self.r].copy()
        self.na = self.sub.na[self.r].copy()
        self.band_index = {b.id: k for k, b in enumerate(self.rubric.bands)}
        self.count = 0

    def __call__(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[Results]]:
        """(band index per row, -1 none; overall per row; Results per batch)."""
        rows = np.atleast_2d(rows)
        self.count += len(rows)
        if self.independent:
            out = []
            for s in range(0, len(rows), 20000):
                chunk = rows[s : s + 20000]
                na = np.broadcast_to(self.na, chunk.shape)
                rs = ResponseSet(
                    rubric_id=self.sub.rubric_id,
                    indicator_ids=self.sub.indicator_ids,
                    agencies=tuple(f"c{i}" for i in range(len(chunk))),
                    periods=(self.sub.periods[self.r],) * len(chunk),
                    values=chunk,
                    missing=np.isnan(chunk) & ~na,
                    na=na,
                )
                out.append(score(self.rubric, rs))
            band = np.concatenate([self._bands(res.band) for res in out])
            return band, np.concatenate([res.overall for res in out]), out
        bands, overall, outs = [], [], []
        for v in rows:
            values = self.sub.values.copy()
            values[self.r] = v
            missing = self.sub.missing.copy()
            missing[self.r] = np.isnan(v) & ~self.na
            res = score(self.rubric, attrs.evolve(self.sub, values=values, missing=missing))
            bands.append(self._bands(res.band[self.r : self.r + 1])[0])
            overall.append(res.overall[self.r])
            outs.append(res)
        return np.array(bands, np.int64), np.array(overall), outs

    def _bands(self, ids: tuple[str | None, ...]) -> np.ndarray:
        return np.array([-1 if b is None else self.band_index[b] for b in ids], np.int64)


def _score_of(ind: Indicator, v: float) -> float:
    s = ind.scale
    if s.engine_form() is None:  # no fixed score: the raw order
        return v if ind.direction == "higher_is_better" else -v
    x = s.score(v)
    return x if ind.direction == "higher_is_better" else 1.0 - x


def _candidates(sc: _Scorer, j: int, ind: Indicator) -> list[float]:
    """Values better than the current answer, ascending by score (all, when missing)."""
    cur = sc.base[j]
    s = ind.scale
    if s.engine_form() is None:  # no fixed score: the population's best and worst
        col = sc.sub.values[:, j]
        hib = ind.direction == "higher_is_better"
        if np.isnan(col).all():
            return []
        best = float(np.nanmax(col) if hib else np.nanmin(col))
        if ind.normalize.target is not None:
            best = max(best, ind.normalize.target) if hib else min(best, ind.normalize.target)
        worst = float(np.nanmin(col) if hib else np.nanmax(col))
        out = [worst, best] if math.isnan(cur) else [best]
    else:
        out = s.candidates(None if math.isnan(cur) else float(cur))
    if math.isnan(cur):
        return sorted(set(out), key=lambda v: _score_of(ind, v))
    now = _score_of(ind, cur)
    return sorted({v for v in out if _score_of(ind, v) > now}, key=lambda v: _score_of(ind, v))


def _apply(base: np.ndarray, changes: Mapping[int, float]) -> np.ndarray:
    row: np.ndarray = base.copy()
    for j, v in changes.items():
        row[j] = v
    return row


class _Search:
    def __init__(self, sc: _Scorer, target: int, budget: int) -> None:
        self.sc, self.target, self.budget = sc, target, budget
        inds = sc.rubric.indicators
        self.inds = inds
        self.cand = {
            j: c for j, x in enumerate(inds) if not sc.na[j] and (c := _candidates(sc, j, x))
        }

    def ok(self, rows: np.ndarray) -> np.ndarray:
        band, _, _ = self.sc(rows)
        return (band >= 0) & (band <= self.target)

    def best(self, js: tuple[int, ...]) -> dict[int, float]:
        return {j: self.cand[j][-1] for j in js}

    def exact(self, start: int = 1) -> list[tuple[int, ...]] | None:
        """Every feasible set of the minimum size (no set is smaller than ``start``);
        None when over budget."""
        keys = sorted(self.cand)
        for k in range(start, len(keys) + 1):
            if math.comb(len(keys), k) > self.budget - self.sc.count:
                return None
            sets = list(itertools.combinations(keys, k))
            rows = np.array([_apply(self.sc.base, self.best(js)) for js in sets])
            hit = self.ok(rows)
            if hit.any():
                return [js for js, h in zip(sets, hit, strict=True) if h]
        return []

    def greedy(self) -> tuple[int, ...]:
        chosen: dict[int, float] = {}
        while True:
            rest = [j for j in self.cand if j not in chosen]
            rows = [_apply(self.sc.base, {**chosen, j: self.cand[j][-1]}) for j in rest]
            band, overall, outs = self.sc(np.array([*rows, _apply(self.sc.base, chosen)]))
            hit = ((band >= 0) & (band <= self.target))[:-1]
            short = self.shortfall(outs, len(rows) + 1)
            eff = np.array([self.inds[j].effort_cost or 1.0 for j in rest])
            progress = (short[-1] - short[:-1]) / eff
            gain = (overall[:-1] - overall[-1]) / eff
            pick = (
                int(np.flatnonzero(hit)[0]) if hit.any() else int(np.lexsort((-gain, -progress))[0])
            )
            chosen[rest[pick]] = self.cand[rest[pick]][-1]
            if hit.any():
                break
        for j in sorted(chosen, key=lambda j: -(self.inds[j].effort_cost or 1.0)):
            trial = {k: v for k, v in chosen.items() if k != j}
            if trial and self.ok(_apply(self.sc.base, trial)[None, :])[0]:
                chosen = trial
        return tuple(sorted(chosen))

    def shortfall(self, outs: list[Results], n: int) -> np.ndarray:
        band = self.sc.rubric.bands[self.target]
        lo, hi = self.sc.rubric.scale
        out = []
        for res in outs:
            rows = range(len(res)) if self.sc.independent else [self.sc.r]
            for i in rows:
                ar = res.agency(res.agencies[i], res.periods[i])
                need = band.range.lower()[0]
                s = max(0.0, need - ar.overall) if math.isfinite(need) else 0.0
                dims = dict(band.dimensions)
                if band.all_dimensions is not None:
                    for d in self.sc.rubric.dimensions:
                        dims[d.id] = max(dims.get(d.id, -math.inf), band.all_dimensions)
                for nid, m in dims.items():
                    got = ar.dimensions[nid]
                    s += max(0.0, m - (lo if math.isnan(got) else got))
                if band.min_coverage:
                    s += (hi - lo) * max(0.0, band.min_coverage - ar.coverage)
                out.append(s)
        return np.array(out[:n])

    def refine(self, js: tuple[int, ...]) -> dict[int, float]:
        """Lower each change to the least value that still reaches the band (keeping
        the best values when population effects make a lowered set fail)."""
        chosen = self.best(js)
        for j in js:
            ind = self.inds[j]
            if isinstance(ind.scale, NumericScale):
                chosen[j] = self._number(j, chosen)
                continue
            vals = self.cand[j]
            rows = np.array([_apply(self.sc.base, {**chosen, j: v}) for v in vals])
            hit = np.flatnonzero(self.ok(rows))
            if hit.size:
                chosen[j] = vals[int(hit[0])]
        if not self.ok(_apply(self.sc.base, chosen)[None, :])[0]:
            return self.best(js)
        return chosen

    def _number(self, j: int, chosen: dict[int, float]) -> float:
        vals, cur = self.cand[j], self.sc.base[j]
        start = vals[0] if math.isnan(cur) else float(cur)
        lo_t, hi_t = 0.0, 1.0
        best = vals[-1]
        for _ in range(7):  # seven rounds of a 64-point grid on t: to 64^-7 ~ 2e-13
            ts = np.linspace(lo_t, hi_t, 65)
            rows = np.array(
                [_apply(self.sc.base, {**chosen, j: start + t * (best - start)}) for t in ts]
            )
            hit = np.flatnonzero(self.ok(rows))
            if not hit.size:  # not monotone here (population effects): keep the value
                return chosen[j]
            first = int(hit[0])
            if first == 0:
                return start if lo_t == 0.0 else start + lo_t * (best - start)
            lo_t, hi_t = float(ts[first - 1]), float(ts[first])
        fail, ok = start + lo_t * (best - start), start + hi_t * (best - start)
        return _nice(self, j, chosen, fail, ok, abs(best - start))


def _requirements(
    search: _Search, results: Results, row: int, outs: list[Results]
) -> list[tuple[float, np.ndarray]] | None:
    """``(need, gain per candidate)`` of each band rule, when scores are linear in the
    answers; None otherwise.

    With arithmetic means everywhere, fixed normalisation, no node ``min_coverage`` and
    no reweighted missing answer in the row, every node score and the coverage are
    linear in the indicator scores, so the gains of single changes add up. ``need`` is
    relaxed by half a rounding step (scores are classified after rounding).
    """
    sc, rubric = search.sc, search.sc.rubric
    plan = compile_rubric(rubric)
    aggs = [rubric.defaults.aggregate, *(d.aggregate for d in rubric.all_dimensions)]
    linear = (
        sc.independent
        and all(a is None or a.method == "arithmetic" or a.p == 1.0 for a in aggs)
        and all(d.min_coverage == 0 for d in rubric.all_dimensions)
        and not (sc.sub.missing[sc.r] & ~plan.counts_zero).any()
    )
    if not linear or not outs:
        return None
    band = rubric.bands[search.target]
    half = 0.0 if rubric.rounding is None else 0.5 * 10.0**-rubric.rounding
    reqs: list[tuple[float, np.ndarray]] = []
    value, _ = band.range.lower()
    if math.isfinite(value):
        after = np.concatenate([o.overall_exact for o in outs])
        now = float(results.overall_exact[row])
        reqs.append((value - half - now, after - now))
    gates = dict(band.dimensions)
    if band.all_dimensions is not None:
        for d in rubric.dimensions:
            gates[d.id] = max(gates.get(d.id, -math.inf), band.all_dimensions)
    for nid, m in gates.items():
        k = results.node_ids.index(nid)
        now = float(results.node_exact[row, k])
        if not math.isnan(now):
            after = np.concatenate([o.node_exact[:, k] for o in outs])
            reqs.append((m - half - now, np.nan_to_num(after - now)))
    if band.min_coverage:
        after = np.concatenate([o.coverage for o in outs])
        now = float(results.coverage[row])
        reqs.append((band.min_coverage - 1e-12 - now, np.nan_to_num(after - now)))
    return reqs


def _lower_bound(reqs: list[tuple[float, np.ndarray]] | None) -> int:
    """Fewest changes the largest single gains need to meet every requirement."""
    lower = 1
    for need, gain in reqs or []:
        if need <= 0:
            continue
        total = np.cumsum(np.sort(gain)[::-1])
        enough = np.flatnonzero(total >= need - 1e-9)
        lower = max(lower, int(enough[0]) + 1 if enough.size else 1)
    return lower


def _cover(
    reqs: list[tuple[float, np.ndarray]],
    effort: np.ndarray,
    start: int,
    nodes: int,
    keep: int = 6,
) -> list[tuple[int, ...]] | None:
    """Branch and bound on the additive gains: the sets of the fewest candidates whose
    gains meet every need, lowest total effort first (ties: larger summed gain; up to
    ``keep``), as candidate positions. ``[]`` when none exists; None when ``nodes``
    search nodes did not settle."""
    live = [(need, gain) for need, gain in reqs if need > 0]
    n = effort.size
    if not live:
        return [()]
    if n > 500:  # deeper than the recursion allows; the caller goes greedy
        return None
    need = np.array([nd for nd, _ in live]) - 1e-9
    g = np.maximum(np.array([gn for _, gn in live]), 0.0)
    order = np.argsort(-(np.minimum(g / need[:, None], 1.0)).sum(axis=0), kind="stable")
    g, eff = g[:, order], effort[order]
    # top[r, i, k]: sum of the k largest gains of rule r among items i..n-1; cheap likewise
    top = np.zeros((len(live), n + 1, n + 1))
    cheap = np.zeros((n + 1, n + 1))
    for i in range(n):
        srt = -np.sort(-g[:, i:], axis=1)
        top[:, i, 1 : n - i + 1] = np.cumsum(srt, axis=1)
        top[:, i, n - i + 1 :] = top[:, i, n - i : n - i + 1]
        c = np.cumsum(np.sort(eff[i:]))
        cheap[i, 1 : n - i + 1] = c
        cheap[i, n - i + 1 :] = np.inf
    budget = [nodes]
    found: list[tuple[float, float, tuple[int, ...]]] = []

    def dfs(i: int, left: int, have: np.ndarray, cost: float, chosen: list[int]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if left == 0:
            if (have >= need).all():
                found.append((cost, -float(have.sum()), tuple(chosen)))
                found.sort()
                del found[keep:]
            return
        if n - i < left or (have + top[:, i, left] < need).any():
            return
        if len(found) == keep and cost + cheap[i, left] > found[-1][0]:
            return
        for j in range(i, n - left + 1):
            chosen.append(j)
            dfs(j + 1, left - 1, have + g[:, j], cost + eff[j], chosen)
            chosen.pop()
            if budget[0] < 0:
                return

    for k in range(start, n + 1):
        found.clear()
        dfs(0, k, np.zeros(len(live)), 0.0, [])
        if budget[0] < 0:
            return None
        if found:
            return [tuple(sorted(int(order[j]) for j in js)) for _, _, js in found]
    return []


def _nice(
    search: _Search, j: int, chosen: dict[int, float], fail: float, ok: float, span: float
) -> float:
    """The number with the fewest decimals (0-9) past the threshold that reaches the band.

    ``fail`` does not reach and ``ok`` does; they bracket the threshold to ~2e-13 of
    the search range ``span``. A number with ``d`` decimals is the smallest such number
    past ``fail``; it is taken when it lies within 1e-6 · ``span`` of ``ok`` and
    rescoring shows it reaches. ``ok`` otherwise.
    """
    up = ok >= fail
    scale = search.inds[j].scale
    tries = []
    for d in range(10):
        f = 10.0**d
        y = (math.floor(fail * f) + 1) / f if up else (math.ceil(fail * f) - 1) / f
        if abs(y - ok) <= 1e-6 * span and (y > fail if up else y < fail):
            tries.append(y)
    # only answers the scale can hold (a no-clamp number stays within its goalposts)
    tries = [y for y, fine in zip(tries, scale.valid(np.array(tries)), strict=True) if fine]
    if not tries:
        return ok
    hit = search.ok(np.array([_apply(search.sc.base, {**chosen, j: y}) for y in tries]))
    return tries[int(np.flatnonzero(hit)[0])] if hit.any() else ok
