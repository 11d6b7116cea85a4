"""Statistical audit of a rubric on real answers (the JRC/COINr checklist).

Per indicator: missing and n/a shares, distribution of the normalised score (min, max,
mean, sd, skewness, excess kurtosis, zero variance); Pearson correlations of every
indicator with its parent node and of every node with its parent (the overall score for
top-level dimensions); near-duplicate indicator pairs; Cronbach's alpha per node; and
effective weights (each child's share of its parent's variance) against the nominal
ones. Formulas: docs/analysis-robustness.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from .._args import require
from .._progress import ProgressCallback, tick
from .._tabular import Record, Tabular
from ..engine import compile_rubric, score
from ..errors import Problem
from ..io.answer_checks import answer_problems
from ..model import Dimension, Indicator, Rubric
from ..responses import ResponseSet
from ._audit_stats import WEAK_R, cronbach_alpha, effective_weights, pearson
from ._audit_stats import corr_flags as _corr_flags
from ._correlations import column_moments, correlation_matrix, paired_r
from ._tables import audit_headline, audit_records
from .sensitivity import ROOT

__all__ = [
    "DUPLICATE_R",
    "WEAK_R",
    "Audit",
    "DuplicatePair",
    "EffectiveWeight",
    "IndicatorAudit",
    "NodeAudit",
    "audit",
]

DUPLICATE_R = 0.92  # r above this within one dimension is a near-duplicate pair
_MARGIN = 1e-6  # pairs the correlation matrix puts this close below DUPLICATE_R are checked


@attrs.frozen(slots=True)
class IndicatorAudit:
    """Statistics of one indicator's normalised scores (population formulas).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 0]], ["x", "y"], r)
        >>> x = rm.audit(r, rs).indicators[1]
        >>> isinstance(x, rm.IndicatorAudit), x.id, x.mean, x.zero_variance, x.flags[0]
        (True, 'b', 0.0, True, 'zero variance')

    .. versionadded:: 0.1.0
    """

    id: str
    parent: str
    dimension: str
    n: int
    missing_share: float
    na_share: float
    min: float
    max: float
    mean: float
    sd: float
    skewness: float
    kurtosis: float
    zero_variance: bool
    r_parent: float
    flags: tuple[str, ...]


@attrs.frozen(slots=True)
class NodeAudit:
    """Correlation of a node with its parent (``"overall"`` for top-level dimensions) and
    Cronbach's alpha of the indicators below it (``alpha_rows`` complete rows).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1], [1, 1]], list("xyz"), r)
        >>> n = rm.audit(r, rs).nodes[0]
        >>> isinstance(n, rm.NodeAudit), n.id, n.parent, n.items
        (True, 'd', 'overall', 2)

    .. versionadded:: 0.1.0
    """

    id: str
    parent: str
    r_parent: float
    items: int
    alpha: float
    alpha_rows: int
    flags: tuple[str, ...]


@attrs.frozen(slots=True)
class DuplicatePair:
    """Two indicators of one top-level dimension correlated above ``DUPLICATE_R``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 1], [0, 0], [1, 1]], list("xyz"), r)
        >>> p = rm.audit(r, rs).duplicates[0]
        >>> isinstance(p, rm.DuplicatePair), p.dimension, p.a, p.b, p.r
        (True, 'd', 'a', 'b', 1.0)

    .. versionadded:: 0.1.0
    """

    dimension: str
    a: str
    b: str
    r: float


@attrs.frozen(slots=True)
class EffectiveWeight:
    """Nominal (normalised) weight of a child against its share of the parent's variance.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1], [1, 1]], list("xyz"), r)
        >>> w = rm.audit(r, rs).effective_weights[0]
        >>> isinstance(w, rm.EffectiveWeight), w.parent, w.child, w.nominal
        (True, 'd', 'a', 0.5)

    .. versionadded:: 0.1.0
    """

    parent: str
    child: str
    nominal: float
    effective: float


@attrs.frozen(slots=True, repr=False)
class Audit(Tabular):
    """The statistical audit of a rubric on a set of answers.

    Attributes:
        rows: How many agency-periods were audited.
        indicators: Per-indicator statistics (:class:`IndicatorAudit`), in column order.
        nodes: Per-node correlation with the parent and Cronbach's alpha.
        duplicates: Near-duplicate indicator pairs within a top-level dimension.
        effective_weights: Nominal against effective weight of every child.
        answers: Answers that look wrong (far outside the goalposts, percentages as
            fractions), as ``load_responses`` warns about them.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1], [1, 1], [0, 0]], list("wxyz"), r)
        >>> a = rm.audit(r, rs)
        >>> a.rows, [(x.id, x.mean, x.missing_share) for x in a.indicators]
        (4, [('a', 0.5, 0.0), ('b', 0.5, 0.0)])
        >>> [(w.child, w.nominal, w.effective) for w in a.effective_weights if w.parent == "d"]
        [('a', 0.5, 0.5), ('b', 0.5, 0.5)]

    .. versionadded:: 0.1.0
    """

    rubric_id: str
    rows: int
    indicators: tuple[IndicatorAudit, ...]
    nodes: tuple[NodeAudit, ...]
    duplicates: tuple[DuplicatePair, ...]
    effective_weights: tuple[EffectiveWeight, ...]
    answers: tuple[Problem, ...] = ()

    def flags(self) -> list[str]:
        """Every flag as one readable line (``indicator 'x': zero variance``).

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 1], [0, 1], [1, 1]], ["x", "y", "z"], r)
            >>> rm.audit(r, rs).flags()[0]
            "indicator 'b': zero variance"
        """
        out = [f"indicator {x.id!r}: {f}" for x in self.indicators for f in x.flags]
        out += [f"node {d.id!r}: {f}" for d in self.nodes for f in d.flags]
        out += [
            f"indicators {p.a!r} and {p.b!r} in {p.dimension!r} are near-duplicates "
            f"(r = {p.r:.3f} > {DUPLICATE_R})"
            for p in self.duplicates
        ]
        out += [p.message for p in self.answers]
        return out

    def to_records(self) -> list[Record]:
        """Tidy long form: one row per measure, ``section`` (``indicator``, ``node``,
        ``duplicate``, ``weight``, ``answer``), ``id``, ``parent``, ``measure``, ``value``.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b")])])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1], [1, 1]], list("xyz"), r)
            >>> [(x["id"], x["value"]) for x in rm.audit(r, rs).to_records()
            ...     if x["measure"] == "mean"]
            [('a', 0.6666666666666666), ('b', 0.6666666666666666)]
        """
        return audit_records(self)

    def _headline(self) -> str:
        return audit_headline(self)

    def _html_records(self) -> list[Record]:
        """One row per indicator: its main statistics and flags."""
        return [
            {
                "indicator": x.id,
                "dimension": x.dimension,
                "n": x.n,
                "missing": x.missing_share,
                "mean": x.mean,
                "sd": x.sd,
                "r_parent": x.r_parent,
                "flags": "; ".join(x.flags),
            }
            for x in self.indicators
        ]


def audit(
    rubric: Rubric, responses: ResponseSet, *, progress: ProgressCallback | None = None
) -> Audit:
    """Audit ``rubric`` on ``responses`` (every row of the responses counts).

    Args:
        rubric: The rubric.
        responses: Answers read for ``rubric``.
        progress: Called as ``progress("audit", done, total)`` as the steps finish
            (scoring, per-indicator statistics, each top-level dimension's
            near-duplicate search, effective weights); see :mod:`readiness_model._progress`.

    Returns:
        An :class:`Audit`; statistics that are undefined (no values, no variance) are NaN.

    Raises:
        ResponseError: the responses were not read for ``rubric``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])])
        >>> rs = rm.ResponseSet.from_array([[1, 1], [0, 1], [1, 1]], ["x", "y", "z"], r)
        >>> rm.audit(r, rs).flags()
        ["indicator 'b': zero variance", "indicator 'b': correlation with 'd' undefined"]

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``progress``; statistics of all indicators at once.
    """
    require(rubric, Rubric, "rubric")
    require(responses, ResponseSet, "responses")
    step = tick(progress)
    total = 3 + len(rubric.dimensions)
    step("audit", 0, total)
    res = score(rubric, responses)
    step("audit", 1, total)
    plan = compile_rubric(rubric)
    z = np.asarray(res.indicator_scores)
    lo, hi = rubric.scale
    nodes01 = (np.asarray(res.node_exact) - lo) / (hi - lo)
    overall01 = (np.asarray(res.overall_exact) - lo) / (hi - lo)
    col = {nid: k for k, nid in enumerate(res.node_ids)}
    parent_of: dict[str, str] = {d.id: ROOT for d in rubric.dimensions}
    top_of: dict[str, str] = {}
    for top in rubric.dimensions:
        for d in top.iter_dimensions():
            top_of[d.id] = top.id
            for c in d.children:
                parent_of[c.id] = d.id
    for x in rubric.indicators:
        top_of[x.id] = top_of[parent_of[x.id]]

    def score_of(node_id: str) -> np.ndarray:
        return overall01 if node_id == ROOT else nodes01[:, col[node_id]]

    ind_ids = [x.id for x in rubric.indicators]
    parents = [parent_of[i] for i in ind_ids]
    stats = column_moments(z)
    pcols = {p: score_of(p) for p in dict.fromkeys(parents)}
    r_par = paired_r(z, np.column_stack([pcols[p] for p in parents]) if parents else z)
    missing_share = responses.missing.mean(axis=0) if len(z) else np.full(len(ind_ids), np.nan)
    na_share = responses.na.mean(axis=0) if len(z) else np.full(len(ind_ids), np.nan)
    inds = []
    for j, x in enumerate(rubric.indicators):
        n, flat, r = int(stats["n"][j]), bool(stats["flat"][j]), float(r_par[j])
        flags = _corr_flags(r, parents[j])
        if n == 0:
            flags = ("no values",)
        elif flat:
            flags = ("zero variance", *flags)
        inds.append(
            IndicatorAudit(
                id=x.id,
                parent=parents[j],
                dimension=top_of[x.id],
                n=n,
                missing_share=float(missing_share[j]),
                na_share=float(na_share[j]),
                min=float(stats["min"][j]),
                max=float(stats["max"][j]),
                mean=float(stats["mean"][j]),
                sd=float(stats["sd"][j]),
                skewness=float(stats["skewness"][j]),
                kurtosis=float(stats["kurtosis"][j]),
                zero_variance=flat,
                r_parent=r,
                flags=flags,
            )
        )
    step("audit", 2, total)
    ind_col = {x.id: j for j, x in enumerate(rubric.indicators)}
    node_rows = []
    for d in rubric.all_dimensions:
        r = pearson(score_of(d.id), score_of(parent_of[d.id]))
        items = [ind_col[x.id] for x in d.iter_indicators()]
        alpha, rows = cronbach_alpha(z[:, items])
        node_rows.append(
            NodeAudit(
                d.id, parent_of[d.id], r, len(items), alpha, rows, _corr_flags(r, parent_of[d.id])
            )
        )
    dups = []
    for k, top in enumerate(rubric.dimensions):
        cols = [ind_col[x.id] for x in top.iter_indicators()]
        # candidates from one correlation matrix, each confirmed by the exact formula
        rough = correlation_matrix(z[:, cols])
        for a, b in zip(*np.nonzero(np.triu(rough > DUPLICATE_R - _MARGIN, 1)), strict=True):
            ca, cb = cols[int(a)], cols[int(b)]
            r = pearson(z[:, ca], z[:, cb])
            if r > DUPLICATE_R:
                dups.append(
                    DuplicatePair(top.id, rubric.indicators[ca].id, rubric.indicators[cb].id, r)
                )
        step("audit", 3 + k, total)
    # children as the engine aggregated them: a missing answer under `zero` counts 0
    counted = np.where(responses.missing & plan.counts_zero, 0.0, z)
    eff: list[EffectiveWeight] = []
    groups: list[tuple[str, Sequence[Dimension | Indicator]]] = [
        (d.id, d.children) for d in rubric.all_dimensions
    ]
    groups.append((ROOT, rubric.dimensions))
    for pid, children in groups:
        kids = np.column_stack(
            [
                counted[:, ind_col[c.id]] if c.id in ind_col else nodes01[:, col[c.id]]
                for c in children
            ]
        )
        w = np.array([c.weight for c in children], np.float64)
        shares = effective_weights(kids, score_of(pid), w / w.sum())
        eff += [
            EffectiveWeight(pid, c.id, float(w[i] / w.sum()), float(shares[i]))
            for i, c in enumerate(children)
        ]
    odd = answer_problems(rubric, responses.values, responses.agencies, responses.periods)
    step("audit", total, total)
    return Audit(
        rubric.id,
        len(responses.agencies),
        tuple(inds),
        tuple(node_rows),
        tuple(dups),
        tuple(eff),
        tuple(odd),
    )
