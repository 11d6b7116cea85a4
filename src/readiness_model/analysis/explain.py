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

import attrs
import numpy as np

from .._tabular import Record, Tabular
from ..engine.attribution import SHAPLEY_EXACT_MAX, SHAPLEY_SAMPLES
from ..engine.attribution import shapley as _shapley
from ..model import Dimension, Rubric
from ..model.methods import aggregation
from ..responses import Period
from ..results import Results, provide_view
from ._contributions import Walk
from ._tables import explanation_headline, explanation_records, explanation_svg

__all__ = [
    "SHAPLEY_EXACT_MAX",
    "SHAPLEY_SAMPLES",
    "Contribution",
    "Explanation",
    "explain",
    "shapley",
]


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
    answer: str | float | None
    normalised: float
    weight: float
    effective_weight: float
    contribution: float
    by_node: dict[str, float]
    remediation: str
    status: str
    effort: float | None = None


@attrs.frozen(slots=True, repr=False)
class Explanation(Tabular):
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

    def to_records(self) -> list[Record]:
        """Tidy long form: one row per indicator and node it contributes to (``node``
        ``overall`` first, then its ancestors), with its answer, status, normalised
        score, weights and ``contribution`` on the rubric scale.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a", weight=3), rm.Indicator("b")])])
            >>> res = rm.score(r, rm.ResponseSet.from_records(
            ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
            >>> [(r["indicator"], r["node"], r["contribution"]) for r in
            ...     rm.explain(res, "x").to_records()][:2]
            [('a', 'overall', 75.0), ('a', 'd', 75.0)]
        """
        return explanation_records(self)

    def _headline(self) -> str:
        return explanation_headline(self)

    def _svg(self) -> str:
        return explanation_svg(self)

    def _html_records(self) -> list[Record]:
        return [r for r in self.to_records() if r["node"] == "overall"]


def shapley(
    values: np.ndarray,
    shares: np.ndarray,
    method: str,
    p: float = 1.0,
    *,
    seed: int = 0,
    samples: int = SHAPLEY_SAMPLES,
) -> tuple[np.ndarray, bool]:
    """Shapley values of children in a weighted mean, ``v(T)`` = mean over ``T`` alone,
    computed by the registered aggregation ``method`` itself.

    Args:
        values: Child scores in [0, 1].
        shares: Child weights (> 0).
        method: A registered aggregation (``harmonic``, ``power`` with ``p``, ...).
        p: Exponent of the power mean (for methods that take ``p``).
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
    spec = aggregation(method)
    params = {"p": p} if any(q.name == "p" for q in spec.params) else {}
    return _shapley(values, shares, spec.func, params, seed=seed, samples=samples)


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
    walk = Walk(results, row, seed)
    _, contrib, eff = walk.node(None)
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


provide_view("explain", explain)
