"""Search machinery of :mod:`readiness_model.analysis.gap`: the candidate values, the
exact/greedy set search, the additive branch and bound, and the lowering of numbers to
the fewest decimals (see that module's docstring). Every step that rescores candidate
rows is a generator (:data:`~._gap_rescore.Steps`): it yields the rows and receives
their scores, so that :func:`~._gap_rescore.drive` can score many agencies' candidates
in one engine pass.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

from ..engine.rows import RowScores
from ..model import Indicator, NumericScale
from ..results import Results
from ._gap_rescore import Scorer, Steps


def _score_of(ind: Indicator, v: float) -> float:
    s = ind.scale
    if s.engine_form() is None:  # no fixed score: the raw order
        return v if ind.direction == "higher_is_better" else -v
    x = s.score(v)
    return x if ind.direction == "higher_is_better" else 1.0 - x


def _candidates(sc: Scorer, j: int, ind: Indicator) -> list[float]:
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
    score = {v: _score_of(ind, v) for v in out}  # each value scored once
    if math.isnan(cur):
        return sorted(set(out), key=score.__getitem__)
    now = _score_of(ind, cur)
    return sorted({v for v in out if score[v] > now}, key=score.__getitem__)


def _apply(base: np.ndarray, changes: Mapping[int, float]) -> np.ndarray:
    row: np.ndarray = base.copy()
    for j, v in changes.items():
        row[j] = v
    return row


class _Search:
    def __init__(self, sc: Scorer, target: int, budget: int) -> None:
        self.sc, self.target, self.budget = sc, target, budget
        inds = sc.rubric.indicators
        self.inds = inds
        self.cand = {
            j: c for j, x in enumerate(inds) if not sc.na[j] and (c := _candidates(sc, j, x))
        }
        self._monotone: dict[int, bool] = {}

    def ok(self, rows: np.ndarray) -> Steps[np.ndarray]:
        got = yield from self.sc.score(rows)
        return self.hits(got)

    def hits(self, got: RowScores) -> np.ndarray:
        """Rows that reach the target band."""
        out: np.ndarray = (got.band >= 0) & (got.band <= self.target)
        return out

    def best(self, js: tuple[int, ...]) -> dict[int, float]:
        return {j: self.cand[j][-1] for j in js}

    def exact(self, start: int = 1) -> Steps[list[tuple[int, ...]] | None]:
        """Every feasible set of the minimum size (no set is smaller than ``start``);
        None when over budget."""
        keys = sorted(self.cand)
        for k in range(start, len(keys) + 1):
            if math.comb(len(keys), k) > self.budget - self.sc.count:
                return None
            sets = list(itertools.combinations(keys, k))
            rows = np.array([_apply(self.sc.base, self.best(js)) for js in sets])
            hit = yield from self.ok(rows)
            if hit.any():
                return [js for js, h in zip(sets, hit, strict=True) if h]
        return []

    def greedy(self) -> Steps[tuple[int, ...]]:
        chosen: dict[int, float] = {}
        while True:
            rest = [j for j in self.cand if j not in chosen]
            rows = [_apply(self.sc.base, {**chosen, j: self.cand[j][-1]}) for j in rest]
            got = yield from self.sc.score(np.array([*rows, _apply(self.sc.base, chosen)]))
            overall = got.overall
            hit = self.hits(got)[:-1]
            short = self.shortfall(got)
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
            if trial and (yield from self.ok(_apply(self.sc.base, trial)[None, :]))[0]:
                chosen = trial
        return tuple(sorted(chosen))

    def shortfall(self, got: RowScores) -> np.ndarray:
        """Per row, how far its scores are below the target band's rules (rubric scale;
        coverage weighs as the scale's span)."""
        band = self.sc.rubric.bands[self.target]
        lo, hi = self.sc.rubric.scale
        index = {n: k for k, n in enumerate(self.sc.plan.node_ids)}

        def above_zero(x: np.ndarray) -> np.ndarray:
            out: np.ndarray = np.where(x > 0.0, x, 0.0)  # NaN counts 0
            return out

        need = band.range.lower()[0]
        s = above_zero(need - got.overall) if math.isfinite(need) else np.zeros(len(got))
        dims = dict(band.dimensions)
        if band.all_dimensions is not None:
            for d in self.sc.rubric.dimensions:
                dims[d.id] = max(dims.get(d.id, -math.inf), band.all_dimensions)
        for nid, m in dims.items():
            have = got.node_scores[:, index[nid]]
            s = s + above_zero(m - np.where(np.isnan(have), lo, have))
        if band.min_coverage:
            s = s + (hi - lo) * above_zero(band.min_coverage - got.coverage)
        return s

    def refine(self, js: tuple[int, ...]) -> Steps[dict[int, float]]:
        """Lower each change to the least value that still reaches the band (keeping
        the best values when population effects make a lowered set fail)."""
        chosen = self.best(js)
        for j in js:
            ind = self.inds[j]
            if isinstance(ind.scale, NumericScale):
                chosen[j] = yield from self._number(j, chosen)
                continue
            vals = self.cand[j]
            rows = np.array([_apply(self.sc.base, {**chosen, j: v}) for v in vals])
            hit = np.flatnonzero((yield from self.ok(rows)))
            if hit.size:
                chosen[j] = vals[int(hit[0])]
        if not (yield from self.ok(_apply(self.sc.base, chosen)[None, :]))[0]:
            return self.best(js)
        return chosen

    def _number(self, j: int, chosen: dict[int, float]) -> Steps[float]:
        vals, cur = self.cand[j], self.sc.base[j]
        start = vals[0] if math.isnan(cur) else float(cur)
        lo_t, hi_t = 0.0, 1.0
        best = vals[-1]
        row = _apply(self.sc.base, chosen)
        for _ in range(7):  # seven rounds of a 64-point grid on t: to 64^-7 ~ 2e-13
            ts = np.linspace(lo_t, hi_t, 65)
            first = yield from self._first_hit(row, j, start + ts * (best - start))
            if first < 0:  # not monotone here (population effects): keep the value
                return chosen[j]
            if first == 0:
                return start if lo_t == 0.0 else start + lo_t * (best - start)
            lo_t, hi_t = float(ts[first - 1]), float(ts[first])
        fail, ok = start + lo_t * (best - start), start + hi_t * (best - start)
        return (yield from _nice(self, j, chosen, fail, ok, abs(best - start)))

    def _first_hit(self, row: np.ndarray, j: int, values: np.ndarray) -> Steps[int]:
        """The first of ``values`` (ascending toward better) that, as column ``j`` of
        ``row``, reaches the band; -1 when none does.

        When reaching the band is monotone along the values (:meth:`monotone`), every
        eighth value is tried first, then the seven before the first that reached: the
        same answer as trying them all, from a quarter of the rows.
        """
        n = len(values)
        probe = np.arange(0, n, 8) if self.monotone(j) else np.arange(n)
        if n - 1 not in probe:
            probe = np.append(probe, n - 1)
        rows = np.repeat(row[None, :], len(probe), axis=0)
        rows[:, j] = values[probe]
        hit = np.flatnonzero((yield from self.ok(rows)))
        if not hit.size:
            return -1
        first = int(probe[hit[0]])
        if probe.size == n or first == 0:
            return first
        between = np.arange(int(probe[hit[0] - 1]) + 1, first)
        rows = np.repeat(row[None, :], len(between), axis=0)
        rows[:, j] = values[between]
        hit = np.flatnonzero((yield from self.ok(rows)))
        return int(between[hit[0]]) if hit.size else first

    def monotone(self, j: int) -> bool:
        """Whether a better answer to indicator ``j`` can never lose the target band:
        rows scored on their own, ``j`` scored by its fixed linear score (goalposts),
        every node an arithmetic mean or a minimum (sums and products of non-negative
        weights: monotone in floating point too), and no band up to the target with an
        upper bound on the overall score."""
        if j not in self._monotone:
            plan = self.sc.plan
            self._monotone[j] = (
                self.sc.independent
                and j in set(plan.linear.tolist())
                and not any(j in set(g.cols.tolist()) for g in plan.normalizers)
                and all(g.spec.name in ("arithmetic", "minimum") for g in plan.groups)
                and all(
                    math.isinf(b.range.upper()[0]) for b in self.sc.rubric.bands[: self.target + 1]
                )
            )
        return self._monotone[j]


def _requirements(
    search: _Search, results: Results, row: int, outs: RowScores | None
) -> list[tuple[float, np.ndarray]] | None:
    """``(need, gain per candidate)`` of each band rule, when scores are linear in the
    answers; None otherwise.

    With arithmetic means everywhere, fixed normalisation, no node ``min_coverage`` and
    no reweighted missing answer in the row, every node score and the coverage are
    linear in the indicator scores, so the gains of single changes add up. ``need`` is
    relaxed by half a rounding step (scores are classified after rounding).
    """
    sc, rubric = search.sc, search.sc.rubric
    plan = sc.plan
    aggs = [rubric.defaults.aggregate, *(d.aggregate for d in rubric.all_dimensions)]
    linear = (
        sc.independent
        and all(a is None or a.method == "arithmetic" or a.p == 1.0 for a in aggs)
        and all(d.min_coverage == 0 for d in rubric.all_dimensions)
        and not (sc.sub.missing[sc.r] & ~plan.counts_zero).any()
    )
    if not linear or outs is None or not len(outs):
        return None
    band = rubric.bands[search.target]
    half = 0.0 if rubric.rounding is None else 0.5 * 10.0**-rubric.rounding
    reqs: list[tuple[float, np.ndarray]] = []
    value, _ = band.range.lower()
    if math.isfinite(value):
        after = outs.overall_exact
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
            after = outs.node_exact[:, k]
            reqs.append((m - half - now, np.nan_to_num(after - now)))
    if band.min_coverage:
        after = outs.coverage
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
    # plain floats: the same sums as the arrays, without numpy's cost on tiny vectors
    need_f: list[float] = need.tolist()
    gain_f: list[list[float]] = g.T.tolist()
    top_f: list[list[list[float]]] = top.transpose(1, 2, 0).tolist()
    cheap_f: list[list[float]] = cheap.tolist()
    eff_f: list[float] = eff.tolist()

    def dfs(i: int, left: int, have: list[float], cost: float, chosen: list[int]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        if left == 0:
            if all(h >= nd for h, nd in zip(have, need_f, strict=True)):
                found.append((cost, -float(np.array(have).sum()), tuple(chosen)))
                found.sort()
                del found[keep:]
            return
        if n - i < left or any(
            h + t < nd for h, t, nd in zip(have, top_f[i][left], need_f, strict=True)
        ):
            return
        if len(found) == keep and cost + cheap_f[i][left] > found[-1][0]:
            return
        for j in range(i, n - left + 1):
            chosen.append(j)
            add = gain_f[j]
            dfs(
                j + 1,
                left - 1,
                [h + a for h, a in zip(have, add, strict=True)],
                cost + eff_f[j],
                chosen,
            )
            chosen.pop()
            if budget[0] < 0:
                return

    for k in range(start, n + 1):
        found.clear()
        dfs(0, k, [0.0] * len(live), 0.0, [])
        if budget[0] < 0:
            return None
        if found:
            return [tuple(sorted(int(order[j]) for j in js)) for _, _, js in found]
    return []


def _nice(
    search: _Search, j: int, chosen: dict[int, float], fail: float, ok: float, span: float
) -> Steps[float]:
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
        if not math.isfinite(fail * f):  # past the largest float: no shorter number
            break
        y = (math.floor(fail * f) + 1) / f if up else (math.ceil(fail * f) - 1) / f
        if abs(y - ok) <= 1e-6 * span and (y > fail if up else y < fail):
            tries.append(y)
    # only answers the scale can hold (a no-clamp number stays within its goalposts)
    tries = [y for y, fine in zip(tries, scale.valid(np.array(tries)), strict=True) if fine]
    if not tries:
        return ok
    hit = yield from search.ok(np.array([_apply(search.sc.base, {**chosen, j: y}) for y in tries]))
    return tries[int(np.flatnonzero(hit)[0])] if hit.any() else ok
