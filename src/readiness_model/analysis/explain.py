"""Why this score: every indicator's contribution to each ancestor node and the overall.

The decomposition walks the rubric tree for one agency-period. At each node the
node's score is split among its included children by a rule that depends on the
node's aggregation (formulas in docs/analysis-explain.md):

* ``arithmetic``: ``C_c = s_c · x_c`` (``s_c`` the child's weight share among the
  included children). Linear and exact.
* ``geometric``: log-contribution shares ``C_c = S · s_c ln x_c / Σ s_k ln x_k``
  (equal weight shares when every ``x = 1``; all zero when ``S = 0``).
* ``minimum``: the whole score to the lowest child (split equally between ties).
* ``harmonic`` and ``power``: the Shapley value of the children under
  ``v(T) =`` the node's mean over the children in ``T`` alone (``v(∅) = 0``), exact for
  up to :data:`SHAPLEY_EXACT_MAX` children, else averaged over seeded random
  permutations (still summing exactly to the score).
* a node with ``rescale: minmax``: the children's shares of the unrescaled score are
  scaled by ``S'/S`` (proportional attribution of the rescaled score ``S'``); when
  ``S = 0`` (or the shares cancel to a score a million times smaller than their
  magnitudes) ``S'`` is split by the children's weight shares instead.

A child's share is passed down to the indicators below it in proportion to their
contributions to that child (by their effective weights when the child scored 0, or
when its parts cancel to a score a million times smaller than their magnitudes).
Every rule sums exactly (to floating-point rounding) to the node's score, so
contributions add up to every node score and to the overall.
"""

from __future__ import annotations

import math
from math import factorial
from typing import Any

import attrs
import numpy as np

from ..engine.aggregate import COVERAGE_EPS, combine, unit_weights
from ..engine.plan import compile_rubric
from ..model import Dimension, Rubric
from ..model.nodes import Aggregation
from ..responses import Period
from ..results import Results

__all__ = [
    "SHAPLEY_EXACT_MAX",
    "SHAPLEY_SAMPLES",
    "Contribution",
    "Explanation",
    "explain",
    "shapley",
]

SHAPLEY_EXACT_MAX = 12
SHAPLEY_SAMPLES = 2000


@attrs.frozen(slots=True)
class Contribution:
    """One indicator's part in an agency's score.

    Attributes:
        indicator: Indicator id.
        title: Indicator title (English or the only language).
        answer: The answer as written (``None`` missing, ``"n/a"`` not applicable).
        normalised: Score in [0, 1] (NaN: no value).
        weight: Nominal weight among its siblings.
        effective_weight: Share of the overall score the indicator carries for this
            agency (product of normalised sibling weights down the tree, after dropping
            not-applicable and reweighted missing answers).
        contribution: Contribution to the overall score, on the rubric scale.
        by_node: Contribution to each ancestor node's score (rubric scale; NaN where
            that node has no score).
        remediation: What to do to improve.
        status: ``answered``, ``missing`` or ``not_applicable``.
        effort: The indicator's effort as a number, or ``None``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "yes", "b": "n/a"}], r))
        >>> c = rm.explain(res, "x").contributions[0]
        >>> c.answer, c.normalised, c.effective_weight, c.contribution, c.by_node
        ('yes', 1.0, 1.0, 100.0, {'d': 100.0})

    .. versionadded:: 0.1.0
    """

    indicator: str
    title: str
    answer: Any
    normalised: float
    weight: float
    effective_weight: float
    contribution: float
    by_node: dict[str, float]
    remediation: str
    status: str
    effort: float | None = None


@attrs.frozen(slots=True)
class Explanation:
    """Contributions of every indicator to one agency's scores.

    ``baseline + Σ contributions == overall_exact`` and, for every node ``n``,
    ``baseline + Σ c.by_node[n] == node_exact[n]`` (``baseline`` is the low end of
    the rubric scale, usually 0).

    Attributes:
        methods: Decomposition used at each node id (and ``"overall"``): ``linear``,
            ``log-share``, ``minimum``, ``shapley-exact``, ``shapley-sampled``, with
            ``+rescale-proportional`` for rescaled nodes.
        notes: Plain-language notes on the methods used.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
        >>> ex = rm.explain(res, "x")
        >>> ex.overall_exact, ex.baseline, ex.methods
        (75.0, 0.0, {'d': 'linear', 'overall': 'linear'})

    .. versionadded:: 0.1.0
    """

    agency: str
    period: Period
    overall: float
    overall_exact: float
    baseline: float
    band: str | None
    coverage: float
    node_exact: dict[str, float]
    contributions: tuple[Contribution, ...]
    methods: dict[str, str]
    notes: tuple[str, ...]

    def weakest(self, n: int = 3) -> list[Contribution]:
        """The ``n`` applicable indicators with the most room to improve: largest
        ``effective_weight · (1 - normalised)`` (missing counts as 0), best first.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b"), rm.Indicator("c")])])
            >>> res = rm.score(r, rm.ResponseSet.from_records(
            ...     [{"agency": "x", "period": 1, "a": "no", "b": "no", "c": "yes"}], r))
            >>> [c.indicator for c in rm.explain(res, "x").weakest(2)]
            ['a', 'b']
        """

        def room(c: Contribution) -> float:
            s = 0.0 if math.isnan(c.normalised) else c.normalised
            return c.effective_weight * (1.0 - s)

        cand = [c for c in self.contributions if c.status != "not_applicable"]
        return sorted(cand, key=lambda c: -room(c))[:n]

    def total(self) -> float:
        """``baseline + Σ contribution`` (equals ``overall_exact``).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> res = rm.score(r, rm.ResponseSet.from_records(
            ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
            >>> rm.explain(res, "x").total()
            75.0
        """
        return self.baseline + math.fsum(c.contribution for c in self.contributions)


def shapley(
    values: np.ndarray,
    shares: np.ndarray,
    method: str,
    p: float = 1.0,
    *,
    seed: int = 0,
    samples: int = SHAPLEY_SAMPLES,
) -> tuple[np.ndarray, bool]:
    """Shapley values of children in a weighted mean, ``v(T)`` = mean over ``T`` alone.

    Args:
        values: Child scores in [0, 1].
        shares: Child weights (> 0).
        method: ``arithmetic``, ``geometric``, ``harmonic`` or ``power`` (with ``p``).
        p: Exponent of the power mean.
        seed: Seed of the permutation sampling used above ``SHAPLEY_EXACT_MAX`` children.
        samples: Number of sampled permutations.

    Returns:
        ``(phi, exact)``: one value per child, summing to the mean of all children;
        ``exact`` is False when permutations were sampled.

    Example:
        >>> phi, exact = shapley(np.array([1.0, 0.0]), np.array([1.0, 1.0]), "harmonic")
        >>> [round(x, 6) for x in phi.tolist()], exact
        ([0.5, -0.5], True)

    .. versionadded:: 0.1.0
    """
    x = np.asarray(values, float)
    w = np.asarray(shares, float)
    n = x.size
    if n <= SHAPLEY_EXACT_MAX:
        masks = np.arange(1 << n)
        member = ((masks[:, None] >> np.arange(n)) & 1).astype(bool)
        v = _subset_means(member, x, w, method, p)
        size = member.sum(axis=1)
        coef = np.array([factorial(k) * factorial(n - k - 1) / factorial(n) for k in range(n)])
        phi = np.zeros(n)
        for i in range(n):
            without = masks[~member[:, i]]
            phi[i] = math.fsum(
                (coef[size[without]] * (v[without | (1 << i)] - v[without])).tolist()
            )
        return phi, True
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((samples, n)), axis=1)
    phi = np.zeros(n)
    for perm in perms:
        member = np.zeros((n + 1, n), bool)
        for k in range(n):
            member[k + 1] = member[k]
            member[k + 1, perm[k]] = True
        v = _subset_means(member, x, w, method, p)
        phi[perm] += np.diff(v)
    return phi / samples, False


def _subset_means(
    member: np.ndarray, x: np.ndarray, w: np.ndarray, method: str, p: float
) -> np.ndarray:
    """The node's mean over each row's member children (0 for the empty set)."""
    m = member.astype(float)
    wsum = m @ w
    safe = np.where(wsum > 0, wsum, 1.0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "arithmetic" or (method == "power" and p == 1.0):
            v = m @ (w * x) / safe
        elif method == "power" and p > 0:
            v = (m @ (w * x**p) / safe) ** (1.0 / p)
        else:
            zero = (m @ (x == 0).astype(float)) > 0
            xs = np.where(x > 0, x, 1.0)
            if method == "geometric" or (method == "power" and p == 0):
                v = np.exp(m @ (w * np.log(xs)) / safe)
            elif method == "harmonic":
                v = wsum / np.where(wsum > 0, m @ (w / xs), 1.0)
            else:
                v = (m @ (w * xs**p) / safe) ** (1.0 / p)
            v = np.where(zero, 0.0, v)
    return np.where(wsum > 0, v, 0.0)


def _split(
    method: str, p: float, x: np.ndarray, w: np.ndarray, raw: float, seed: int
) -> tuple[np.ndarray, str]:
    """Child-level contributions summing to ``raw`` (the node's unrescaled mean), from
    the children's scores ``x`` and weights ``w`` (computed like the engine does)."""
    if method == "power" and p == 1.0:
        method = "arithmetic"
    total = float(w.sum())
    if method == "arithmetic":
        return w * x / total, "linear"
    s = w / total
    if method == "minimum":
        low = x == x.min()
        return np.where(low, raw / low.sum(), 0.0), "minimum"
    if method == "geometric" or (method == "power" and p == 0):
        if raw == 0 or (x == 0).any():
            return np.zeros_like(x), "log-share"
        logs = s * np.log(x)
        log_total = float(logs.sum())
        if log_total == 0:
            return s * raw, "log-share"
        return raw * logs / log_total, "log-share"
    phi, exact = shapley(x, w, method, p, seed=seed)
    return phi, "shapley-exact" if exact else "shapley-sampled"


class _Walk:
    """One agency-period's tree walk (internal)."""

    def __init__(self, results: Results, row: int, seed: int) -> None:
        rubric = results.rubric
        self.rubric = rubric
        self.seed = seed
        plan = compile_rubric(rubric)
        self.col = {x.id: j for j, x in enumerate(rubric.indicators)}
        self.nidx = {nid: k for k, nid in enumerate(results.node_ids)}
        lo, hi = rubric.scale
        self.lo, self.span = lo, hi - lo
        self.z = results.indicator_scores[row]
        self.nodes = (results.node_exact[row] - lo) / self.span
        self.node_cov = results.node_coverage[row]
        self.min_cov = plan.min_coverage
        resp = results.responses
        if resp is not None:
            self.na = np.asarray(resp.na[row], bool)
            self.missing = np.asarray(resp.missing[row], bool)
        else:  # results read back from a file: no answers, NaN counts as missing
            self.na = np.zeros(self.z.shape, bool)
            self.missing = np.isnan(self.z)
        self.policy = plan.missing_policy
        self.overall_unit = (float(results.overall_exact[row]) - lo) / self.span
        self.by_node: dict[str, dict[int, float]] = {}
        self.methods: dict[str, str] = {}

    def node(
        self, d: Dimension | None, zero_parent: bool, inherited: str
    ) -> tuple[float, dict[int, float], dict[int, float], bool]:
        """(unit score or NaN, contributions, effective weights, applicable)."""
        rubric = self.rubric
        if d is None:
            children: list[Any] = list(rubric.dimensions)
            agg: Aggregation = rubric.defaults.aggregate
            own = rubric.defaults.missing
            name, rescale = "overall", False
        else:
            children = list(d.children)
            agg = d.aggregate or rubric.defaults.aggregate
            own = d.missing or inherited
            name, rescale = d.id, d.rescale == "minmax"
        xs: list[float] = []
        ws: list[float] = []
        parts: list[dict[int, float]] = []
        effs: list[dict[int, float]] = []
        contrib: dict[int, float]
        eff: dict[int, float]
        kept: list[Any] = []
        applicable = False
        # the engine's weights: scaled exactly so that tiny weights do not underflow
        unit = unit_weights(np.array([c.weight for c in children], np.float64)).tolist()
        for c, weight in zip(children, unit, strict=True):
            if isinstance(c, Dimension):
                v, contrib, eff, app = self.node(c, own == "zero", own)
                if not app:
                    continue
                applicable = applicable or weight > 0
                if math.isnan(v):
                    k = self.nidx[c.id]
                    cov_k = float(self.node_cov[k])
                    unanswered = cov_k <= 0 or cov_k < self.min_cov[k] - COVERAGE_EPS
                    if own != "zero" or not unanswered:
                        continue
                    v, contrib = 0.0, dict.fromkeys(eff, 0.0)
            else:
                j = self.col[c.id]
                if self.na[j]:
                    continue
                applicable = applicable or weight > 0
                v = float(self.z[j])
                if self.missing[j] and self.policy[j] == 0:
                    v = 0.0
                elif math.isnan(v):  # missing under reweight, or no population score
                    continue
                contrib, eff = {j: v}, {j: 1.0}
            if weight > 0:
                kept.append(c)
                xs.append(v)
                ws.append(weight)
                parts.append(contrib)
                effs.append(eff)
        value = self.overall_unit if d is None else float(self.nodes[self.nidx[d.id]])
        if not xs or math.isnan(value):
            if d is None:
                return math.nan, {}, {}, applicable
            self.by_node[name] = dict.fromkeys(_below(d, self.col), math.nan)
            return math.nan, {}, _nominal(d, self.col), applicable
        x = np.array(xs)
        s = np.array(ws) / math.fsum(ws)
        wv = np.array(ws)
        raw = _mean(agg, x, wv)
        split, method = _split(agg.method, agg.p or 0.0, x, wv, raw, self.seed)
        if rescale:
            method += "+rescale-proportional"
            # proportional scaling is ill-conditioned when the parts cancel to a tiny
            # score (Shapley values); then the rescaled score goes by weight shares
            stable = raw != 0 and math.fsum(np.abs(split).tolist()) <= 1e6 * abs(raw)
            if stable:  # a subnormal raw score can overflow the ratio
                with np.errstate(over="ignore", invalid="ignore"):
                    scaled = split * (value / raw)
                stable = bool(np.isfinite(scaled).all())
            split = scaled if stable else s * value
        self.methods[name] = method
        contrib = {}
        eff_out: dict[int, float] = {}
        for c_val, share, part, eff, child in zip(split, s, parts, effs, kept, strict=True):
            xv = math.fsum(part.values())
            # pass the child's share down in proportion to its own parts; by effective
            # weights when it scored 0 or its parts cancel (ill-conditioned)
            by_part = xv != 0 and math.fsum(abs(v) for v in part.values()) <= 1e6 * abs(xv)
            weights = eff if math.fsum(eff.values()) > 0 else _nominal(child, self.col)
            wsum = math.fsum(weights.values())
            for j, e in weights.items():
                frac = part.get(j, 0.0) / xv if by_part else e / wsum
                contrib[j] = float(c_val) * frac
                eff_out[j] = float(share) * eff.get(j, 0.0)
        self.by_node[name] = contrib
        return value, contrib, eff_out, applicable


def _mean(agg: Aggregation, x: np.ndarray, w: np.ndarray) -> float:
    """The node's mean of ``x`` under weights ``w``: the engine's own kernel."""
    score, _ = combine(agg.method, agg.p or 0.0, x[None, :], w[:, None])
    return float(score[0, 0])


def _nominal(node: Any, col: dict[str, int]) -> dict[int, float]:
    """Product of nominal weight shares down the tree below ``node`` (sums to 1)."""
    if not isinstance(node, Dimension):
        return {col[node.id]: 1.0}
    total = math.fsum(c.weight for c in node.children)
    out: dict[int, float] = {}
    for c in node.children:
        for j, e in _nominal(c, col).items():
            out[j] = c.weight / total * e
    return out


def _below(d: Dimension, col: dict[str, int]) -> list[int]:
    return [col[x.id] for x in d.iter_indicators()]


def explain(
    results: Results, agency: str, period: Period | None = None, *, seed: int = 0
) -> Explanation:
    """Every indicator's contribution to each ancestor node and to the overall score.

    Args:
        results: Results of :func:`readiness_model.score`.
        agency: Agency id.
        period: Its period (default: the agency's latest).
        seed: Seed of the permutation sampling of Shapley values (only used by
            harmonic/power nodes with more than ``SHAPLEY_EXACT_MAX`` children).

    Returns:
        An :class:`Explanation`; contributions sum to every node score and the overall.

    Raises:
        ResponseError: the agency (or period) is not in the results.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
        >>> [(c.indicator, c.contribution) for c in explain(res, "x").contributions]
        [('a', 75.0), ('b', 0.0)]

    .. versionadded:: 0.1.0
    """
    row = results.row(agency, period)
    ar = results.agency(agency, results.periods[row])
    rubric: Rubric = results.rubric
    walk = _Walk(results, row, seed)
    _, contrib, eff, _ = walk.node(None, False, rubric.defaults.missing)
    ancestors = _ancestors(rubric)
    out = []
    for j, ind in enumerate(rubric.indicators):
        status = "not_applicable" if walk.na[j] else "missing" if walk.missing[j] else "answered"
        by_node = {
            nid: walk.by_node.get(nid, {}).get(j, 0.0) * walk.span for nid in ancestors[ind.id]
        }
        out.append(
            Contribution(
                indicator=ind.id,
                title=ind.label(),
                answer=ar.answers.get(ind.id),
                normalised=float(walk.z[j]),
                weight=ind.weight,
                effective_weight=eff.get(j, 0.0),
                contribution=contrib.get(j, 0.0) * walk.span,
                by_node=by_node,
                remediation=str(ind.remediation.get() or ""),
                status=status,
                effort=ind.effort_cost,
            )
        )
    return Explanation(
        agency=ar.agency,
        period=ar.period,
        overall=ar.overall,
        overall_exact=float(results.overall_exact[row]),
        baseline=walk.lo,
        band=ar.band,
        coverage=ar.coverage,
        node_exact={
            nid: float(results.node_exact[row, k]) for k, nid in enumerate(results.node_ids)
        },
        contributions=tuple(out),
        methods=dict(walk.methods),
        notes=_notes(walk.methods),
    )


def _ancestors(rubric: Rubric) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def rec(d: Dimension, path: list[str]) -> None:
        here = [*path, d.id]
        for sub in d.dimensions:
            rec(sub, here)
        for x in d.indicators:
            out[x.id] = here

    for d in rubric.dimensions:
        rec(d, [])
    return out


_NOTES = {
    "linear": "arithmetic nodes: contribution = weight share × score (exact, linear)",
    "log-share": "geometric nodes: shares of the log-score, s·ln x / Σ s·ln x, times the "
    "node score (a child far below 1 takes a large share)",
    "minimum": "minimum nodes: the whole score is attributed to the lowest child",
    "shapley-exact": "harmonic/power nodes: exact Shapley values of the children",
    "shapley-sampled": f"harmonic/power nodes with > {SHAPLEY_EXACT_MAX} children: Shapley "
    f"values averaged over {SHAPLEY_SAMPLES} seeded random permutations",
    "rescale-proportional": "rescaled nodes: shares of the unrescaled score, scaled to the "
    "rescaled score",
}


def _notes(methods: dict[str, str]) -> tuple[str, ...]:
    used = {part for m in methods.values() for part in m.split("+")}
    return tuple(text for key, text in _NOTES.items() if key in used)
