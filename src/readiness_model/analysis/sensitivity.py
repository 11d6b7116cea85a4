"""Monte-Carlo uncertainty and sensitivity of scores, ranks and bands to the weights.

Every node's child weights (or those of one level of the tree) are drawn at random
around the nominal ones (and, optionally, a method choice per draw); the draws are
scored by the engine's own walk and classification with a leading axis of draws, in
blocks sized to memory; they give rank intervals, band probabilities and first-order
sensitivity indices. Formulas and the reasons behind them: docs/analysis-robustness.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from .._args import require
from .._arrays import any_set, readonly
from .._tabular import Record, Tabular
from ..engine.classify import bands_read_nodes, classify, reported
from ..engine.normalize import indicator_scores, rescale_by_period
from ..engine.plan import compile_rubric
from ..engine.roles import roles
from ..engine.score import period_rows, score
from ..engine.walk import walk
from ..errors import Problem, ReadinessError
from ..model import Rubric
from ..responses import Period, ResponseSet
from ._draws import (
    MAX_SAMPLES,
    ROOT,
    WEIGHT_SCHEMES,
    alternatives_of,
    bad,
    check_args,
    draw,
    label,
    stack,
    variants,
    varied_groups,
    weight_groups,
)
from ._indices import first_order, rank_percentiles
from ._tables import sensitivity_headline

__all__ = [
    "MAX_SAMPLES",
    "ROOT",
    "WEIGHT_SCHEMES",
    "Sensitivity",
    "first_order",
    "rank_percentiles",
    "sensitivity",
]

CHUNK_BYTES = 256_000_000  # bound on what one block of draws holds


def _floats(a: Any) -> np.ndarray:
    return readonly(a, np.float64)


def _bools(a: Any) -> np.ndarray:
    return readonly(a, bool)


def _ints(a: Any) -> np.ndarray:
    return readonly(a, np.int64)


def _optional(a: Any) -> np.ndarray | None:
    return None if a is None else readonly(a)


@attrs.frozen(slots=True, eq=False, repr=False)
class Sensitivity(Tabular):
    """What the weight draws did to every agency-period (rows in the order of the responses).

    Attributes:
        rank_interval: rows × 3: 5th, 50th and 95th percentile of the rank over the draws
            (NaN for rows never ranked). Ranks are per period within the rubric's
            population, competition ranks on the reported (rounded) score.
        band_probability: rows × bands: share of draws landing in each band of ``band_ids``.
        no_band_probability: share of draws in no band.
        nan_draws: per row, draws whose overall score is NaN (never skipped silently).
        index_groups: the factors of ``first_order``: a varied node id (its children's
            weights), ``"overall"`` (the top-level weights), ``"choice:KEY"`` (a method
            choice).
        first_order: mean over rows of ``first_order_by_row`` (rows × factors): the
            first-order index Var(E[Y|X])/Var(Y) of each factor (docs/analysis-robustness.md).
        overall_draws, rank_draws: draws × rows (``keep_draws=True`` only).
        weight_draws: (group id, child ids, draws × children weights) per varied group.
        choices: (key, the option label of every draw) per alternative.
        varied: the weight groups whose weights were drawn (see ``vary``).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
        >>> s = rm.sensitivity(r, rs, samples=200, seed=1)
        >>> s.band_ids, s.band_probability.tolist(), s.nan_draws.tolist()
        (('good', 'weak'), [[0.0, 1.0], [1.0, 0.0]], [0, 0])

    .. versionadded:: 0.1.0
    """

    rubric_id: str
    samples: int
    seed: int | None
    weights: str
    concentration: float
    noise: float
    alternatives: tuple[tuple[str, tuple[str, ...]], ...]
    agencies: tuple[str, ...]
    periods: tuple[Period, ...]
    in_population: np.ndarray = attrs.field(converter=_bools)
    nominal_overall: np.ndarray = attrs.field(converter=_floats)
    nominal_rank: np.ndarray = attrs.field(converter=_ints)
    nominal_band: tuple[str | None, ...]
    rank_interval: np.ndarray = attrs.field(converter=_floats)
    band_ids: tuple[str, ...]
    band_probability: np.ndarray = attrs.field(converter=_floats)
    no_band_probability: np.ndarray = attrs.field(converter=_floats)
    nan_draws: np.ndarray = attrs.field(converter=_ints)
    index_groups: tuple[str, ...]
    first_order_by_row: np.ndarray = attrs.field(converter=_floats)
    overall_draws: np.ndarray | None = attrs.field(default=None, converter=_optional)
    rank_draws: np.ndarray | None = attrs.field(default=None, converter=_optional)
    weight_draws: tuple[tuple[str, tuple[str, ...], np.ndarray], ...] | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    varied: tuple[str, ...] = ()

    @property
    def first_order(self) -> np.ndarray:
        """Mean first-order index of each factor over the rows where it is defined.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])],
            ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
            >>> s = rm.sensitivity(r, rs, samples=200, seed=1,
            ...     alternatives={"aggregate": ["arithmetic", "geometric"]})
            >>> s.index_groups, [round(x, 1) for x in s.first_order.tolist()]
            (('d', 'overall', 'choice:aggregate'), [0.0, 0.0, 1.0])
        """
        fo = self.first_order_by_row
        ok = ~np.isnan(fo)
        total = np.where(ok, fo, 0.0).sum(axis=0)
        count = ok.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    def most_likely_band(self) -> list[tuple[str | None, float]]:
        """Per row, the most frequent band over the draws (``None``: no band) and its share.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])],
            ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
            >>> rm.sensitivity(r, rs, samples=200, seed=1).most_likely_band()
            [('weak', 1.0), ('good', 1.0)]
        """
        out: list[tuple[str | None, float]] = []
        for i in range(len(self.agencies)):
            probs = [*self.band_probability[i].tolist(), float(self.no_band_probability[i])]
            k = int(np.argmax(probs))
            out.append((self.band_ids[k] if k < len(self.band_ids) else None, probs[k]))
        return out

    def weights_of(self, draw: int) -> dict[str, dict[str, float]]:
        """The weights of one draw as shares summing to 1 in each group:
        ``{group id: {child id: share}}`` (needs keep_draws).

        Raises ``ReadinessError`` when the draws were not kept.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])],
            ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
            >>> w = rm.sensitivity(r, rs, samples=10, seed=1, keep_draws=True).weights_of(0)
            >>> sorted(w), round(sum(w["d"].values()), 12)
            (['d', 'overall'], 1.0)
        """
        if self.weight_draws is None:
            raise bad(
                "the draws were not kept",
                "weight_draws",
                hint="call sensitivity(..., keep_draws=True)",
            )
        out: dict[str, dict[str, float]] = {}
        for gid, kids, w in self.weight_draws:
            row = np.asarray(w[draw], np.float64)
            total = math.fsum(row.tolist())
            shares = row / total if total > 0 else row  # scores depend only on shares
            out[gid] = dict(zip(kids, shares.tolist(), strict=True))
        return out

    def to_records(self) -> list[Record]:
        """One dict per row: agency, period, nominal overall/rank/band, rank p5/p50/p95,
        most likely band and its probability, NaN draws.

        Example:
            >>> import readiness_model as rm
            >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
            ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])],
            ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
            >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
            >>> rec = rm.sensitivity(r, rs, samples=200, seed=1).to_records()[0]
            >>> rec["agency"], rec["overall"], rec["rank_p5"], rec["rank_p95"], rec["likely_band"]
            ('x', 25.0, 2.0, 2.0, 'weak')
        """
        out: list[Record] = []
        for i, (band, p) in enumerate(self.most_likely_band()):
            lo, mid, hi = (None if math.isnan(x) else x for x in self.rank_interval[i].tolist())
            out.append(
                {
                    "agency": self.agencies[i],
                    "period": self.periods[i],
                    "overall": None
                    if math.isnan(self.nominal_overall[i])
                    else float(self.nominal_overall[i]),
                    "rank": int(self.nominal_rank[i]) or None,
                    "band": self.nominal_band[i],
                    "rank_p5": lo,
                    "rank_p50": mid,
                    "rank_p95": hi,
                    "likely_band": band,
                    "likely_band_probability": p,
                    "nan_draws": int(self.nan_draws[i]),
                }
            )
        return out

    def _headline(self) -> str:
        return sensitivity_headline(self)


def _bytes_per_draw(n: int, plan: Any, complete: bool) -> int:
    """What one draw of a block holds at most: the walk's node scores, coverage and
    applicability (``rows × nodes``) and the classification's arrays (``rows``: 16
    float64 at most). Without a missing or not-applicable answer only the scores
    (coverage is whole in every draw) and about half the classification's (measured
    with ``tracemalloc``: 8 × rows × (nodes + 7) bytes per draw); a plug-in aggregation
    that gives NaN scores on complete answers can hold up to about twice that."""
    return 8 * n * ((1 if complete else 3) * len(plan.node_ids) + (8 if complete else 16)) + 1


def sensitivity(
    rubric: Rubric,
    responses: ResponseSet,
    samples: int = 1000,
    seed: int | None = 0,
    weights: str = "dirichlet",
    concentration: float = 100.0,
    noise: float = 0.25,
    alternatives: Mapping[str, Sequence[Any]] | None = None,
    keep_draws: bool = False,
    chunk: int | None = None,
    indices_on: str = "overall",
    vary: str | Sequence[str] = "all",
    progress: Callable[[str, int, int], None] | None = None,
    max_samples: int = MAX_SAMPLES,
    indices: bool = True,
) -> Sensitivity:
    """Monte-Carlo weight draws (every node's, or the level ``vary`` names): rank
    intervals, band probabilities, indices.

    Args:
        rubric: The nominal rubric.
        responses: Answers read for ``rubric``.
        samples: Number of draws (>= 1).
        seed: Seed of :func:`numpy.random.default_rng`; the same seed gives identical output.
        weights: ``"dirichlet"``: each node's child weights ~ Dirichlet(concentration ·
            nominal shares) (mean = the nominal shares); ``"multiplicative"``: each weight
            × U(1 − noise, 1 + noise), renormalised (COINr style). Zero weights stay zero.
        concentration: Dirichlet concentration (> 0); ``math.inf`` = no noise.
        noise: Multiplicative half-width in [0, 1); ``0`` = no noise.
        alternatives: Method choices drawn uniformly and independently per draw and
            applied to the whole rubric, e.g. ``{"aggregate": ["arithmetic",
            "geometric"], "missing": ["zero", "reweight"], "normalize": ["goalposts",
            "minmax"]}``.
        keep_draws: Also return every draw's overall scores, ranks, weights and choices.
        chunk: Draws per vectorised block (default: as many as fit in about 256 MB).
        indices_on: ``"overall"`` or ``"rank"``: the output the indices explain.
        vary: Which weights are drawn (the others keep their nominal values):
            ``"all"`` (every node's child weights), ``"dimensions"`` (only the top-level
            dimension weights), ``"indicators"`` (only the indicator weights within
            each dimension), or a node id or a list of them (``"overall"``: the
            top-level weights).
        progress: Called as ``progress("sensitivity", done, total)`` with the draws
            scored so far, once before the first block of draws and after each block
            (a progress bar; the CLI passes one).
        max_samples: The most draws allowed (default ``MAX_SAMPLES``, 100,000): a
            larger ``samples`` is an error naming the bound, not an out-of-memory crash.
        indices: Also estimate the first-order indices (about a third of the time of a
            large run). ``False``: an uncertainty analysis only (rank intervals and band
            probabilities; COINr's ``SA_type = "UA"``), with no index factors.

    Returns:
        A :class:`Sensitivity`.

    Raises:
        ReadinessError: a bad argument; ResponseError: responses not read for ``rubric``.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
        >>> s = rm.sensitivity(r, rs, samples=200, seed=1)
        >>> s.rank_interval.tolist()
        [[2.0, 2.0, 2.0], [1.0, 1.0, 1.0]]

        >>> try:
        ...     rm.sensitivity(r, rs, samples=10**12)
        ... except rm.ReadinessError as err:
        ...     print(err.problems[0].message)
        'samples' is 1,000,000,000,000, more than the 100,000 weight draws allowed

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``max_samples``, ``indices``.
    """
    require(rubric, Rubric, "rubric")
    require(indices, bool, "indices", "True or False")
    require(responses, ResponseSet, "responses")
    if seed is not None:
        require(seed, int, "seed", "a whole number or None")
        if seed < 0:
            raise ReadinessError([Problem(f"'seed' must be >= 0 (got {seed})", "seed")])
    check_args(samples, weights, concentration, noise, chunk, indices_on, max_samples)
    varied = varied_groups(rubric, vary)
    nominal = score(rubric, responses)
    rng = np.random.default_rng(seed)
    groups = [g for g in weight_groups(rubric) if g[0] in varied]
    draws = {gid: draw(rng, w, samples, weights, concentration, noise) for gid, _, w in groups}
    alts = alternatives_of(alternatives)
    picks = {key: rng.integers(len(opts), size=samples) for key, opts in alts}
    periods = period_rows(responses)
    role = roles(rubric, responses)
    pop = role.statistics
    n = len(responses.agencies)
    gaps = any_set(responses.missing) or any_set(responses.na)
    overall = np.empty((samples, n))
    ranks = np.empty((samples, n), np.int32)
    bands = np.empty((samples, n), np.int16)
    done = 0
    if progress is not None:
        progress("sensitivity", done, samples)
    for variant, idx in variants(rubric, alts, picks, samples):
        plan = compile_rubric(variant)
        z = indicator_scores(plan, responses.values, periods, pop)
        z_complete = plan.all_linear_fixed or not np.isnan(np.min(z, initial=0.0))
        per_draw = _bytes_per_draw(n, plan, z_complete and not gaps)
        size = chunk or max(1, min(samples, CHUNK_BYTES // per_draw))
        memo: dict[int, Any] = {}
        for start in range(0, idx.size, size):
            sel = idx[start : start + size]
            tree = walk(
                plan,
                z,
                responses.missing,
                responses.na,
                weights=[stack(grp, plan, rubric, draws, sel) for grp in plan.groups],
                rescale=lambda s, _: rescale_by_period(s, periods, pop),
                z_complete=z_complete,
                memo=memo,
                keep_nodes=bands_read_nodes(variant),
            )
            cls = classify(
                variant,
                plan,
                reported(variant, tree.overall),
                tree.overall_coverage,
                reported(variant, tree.nodes) if bands_read_nodes(variant) else None,
                None if tree.applicable is None else tree.applicable[..., plan.top],
                ranked=(role.ranked, periods),
                not_assessed=role.not_assessed,
            )
            assert cls.rank is not None
            overall[sel], bands[sel], ranks[sel] = cls.overall, cls.band, cls.rank
            done += sel.size
            if progress is not None:
                progress("sensitivity", done, samples)
    target = overall if indices_on == "overall" else np.where(ranks > 0, ranks, np.nan)
    names = [gid for gid, _, _ in groups] + [f"choice:{key}" for key, _ in alts]
    if indices:
        by_row = first_order(
            target,
            [(draws[gid], False) for gid, _, _ in groups]
            + [(picks[key][:, None], True) for key, _ in alts],
        )
    else:
        names, by_row = [], np.zeros((n, 0))
    b_ids = tuple(b.id for b in rubric.bands)
    prob = (
        np.stack([(bands == k).mean(axis=0) for k in range(len(b_ids))], axis=1)
        if b_ids
        else np.zeros((n, 0))
    )
    interval = rank_percentiles(ranks, (5, 50, 95))
    return Sensitivity(
        rubric_id=rubric.id,
        samples=samples,
        seed=seed,
        weights=weights,
        concentration=float(concentration),
        noise=float(noise),
        alternatives=tuple((k, tuple(label(o) for o in opts)) for k, opts in alts),
        agencies=responses.agencies,
        periods=responses.periods,
        in_population=pop,
        nominal_overall=nominal.overall,
        nominal_rank=nominal.rank,
        nominal_band=nominal.band,
        rank_interval=interval,
        band_ids=b_ids,
        band_probability=prob,
        no_band_probability=(bands < 0).mean(axis=0),
        nan_draws=np.isnan(overall).sum(axis=0),
        index_groups=tuple(names),
        first_order_by_row=by_row,
        overall_draws=overall if keep_draws else None,
        rank_draws=ranks if keep_draws else None,
        weight_draws=tuple((gid, kids, _floats(draws[gid])) for gid, kids, _ in groups)
        if keep_draws
        else None,
        choices=tuple((k, tuple(label(opts[i]) for i in picks[k])) for k, opts in alts)
        if keep_draws
        else None,
        varied=varied,
    )
