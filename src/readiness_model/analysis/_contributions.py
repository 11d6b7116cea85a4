"""One agency-period's contributions: what the engine's walk fed each node, split by the
node aggregation's attribution rule and passed down to the indicators
(:func:`readiness_model.explain`; rules in docs/analysis-explain.md).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine.attribution import shapley_split
from ..engine.children import Children
from ..engine.plan import OVERALL, compile_rubric
from ..engine.walk import Tree, walk
from ..model import Dimension
from ..results import Results

__all__ = ["Walk"]


class Walk:
    """One agency-period's contributions, from what the engine's walk fed each node."""

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
        resp = results.responses
        if resp is not None:
            self.na = np.asarray(resp.na[row], bool)
            self.missing = np.asarray(resp.missing[row], bool)
        else:  # results read back from a file: no answers, NaN counts as missing
            self.na = np.zeros(self.z.shape, bool)
            self.missing = np.isnan(self.z)
        # the walk of this row, fed the node scores being explained
        known = Tree(
            nodes=(results.node_exact[row : row + 1] - lo) / self.span,
            coverage=results.node_coverage[row : row + 1],
            applicable=None,
            overall=(results.overall_exact[row : row + 1] - lo) / self.span,
            overall_coverage=results.coverage[row : row + 1],
        )
        tree = walk(
            plan, self.z[None, :], self.missing[None, :], self.na[None, :], known=known, trace=True
        )
        self.nodes = known.nodes[0]
        self.overall_unit = float(known.overall[0])
        # per node (OVERALL for the root): child index -> (value fed, weight), and its method
        self.fed: dict[int, tuple[dict[int, tuple[float, float]], Any]] = {}
        for f in tree.fed:
            values = f.values[0]
            for g, node in enumerate(f.group.nodes.tolist()):
                inputs = {
                    int(c): (float(values[i]), float(f.weights[i, g]))
                    for i, c in enumerate(f.group.children.tolist())
                }
                self.fed[node] = (inputs, f.group)
        self.by_node: dict[str, dict[int, float]] = {}
        self.methods: dict[str, str] = {}

    def node(self, d: Dimension | None) -> tuple[float, dict[int, float], dict[int, float]]:
        """(unit score or NaN, contributions, effective weights)."""
        inputs, grp = self.fed[OVERALL if d is None else self.nidx[d.id]]
        children: list[Any] = list(self.rubric.dimensions if d is None else d.children)
        name = "overall" if d is None else d.id
        xs: list[float] = []
        ws: list[float] = []
        parts: list[dict[int, float]] = []
        effs: list[dict[int, float]] = []
        kept: list[Any] = []
        for c in children:
            if isinstance(c, Dimension):
                cv, contrib, eff = self.node(c)
                v, weight = inputs[self.nidx[c.id]]
                if math.isnan(cv):  # fed as 0: an unanswered node under ``zero``
                    contrib = dict.fromkeys(eff, 0.0)
            else:
                j = self.col[c.id]
                v, weight = inputs[j]
                contrib, eff = {j: v}, {j: 1.0}
            if math.isnan(v) or weight <= 0:  # not included, or weighs nothing
                continue
            kept.append(c)
            xs.append(v)
            ws.append(weight)
            parts.append(contrib)
            effs.append(eff)
        value = self.overall_unit if d is None else float(self.nodes[self.nidx[d.id]])
        if not xs or math.isnan(value):
            if d is None:
                return math.nan, {}, {}
            self.by_node[name] = dict.fromkeys(_below(d, self.col), math.nan)
            return math.nan, {}, _nominal(d, self.col)
        x = np.array(xs)
        s = np.array(ws) / math.fsum(ws)
        wv = np.array(ws)
        spec = grp.spec
        raw = float(spec.func(Children(x[None, :], wv[:, None]), **grp.params)[0, 0])
        rule = spec.explain or shapley_split(spec.func)
        split, method = rule(x, wv, raw, seed=self.seed, **grp.params)
        if d is not None and d.rescale == "minmax":
            method += "+rescale-proportional"
            # proportional scaling is ill-conditioned when the parts cancel to a tiny
            # score (Shapley values); then the rescaled score goes by weight shares
            stable = raw != 0 and math.fsum(np.abs(split).tolist()) <= 1e6 * abs(raw)
            if stable:  # a tiny raw score can overflow the ratio
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
        return value, contrib, eff_out


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
