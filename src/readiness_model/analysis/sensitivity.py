"""Monte-Carlo uncertainty and sensitivity of scores, ranks and bands to the weights.

Every node's child weights are drawn at random around the nominal ones (and, optionally,
a method choice per draw); each draw is scored with the engine's semantics, vectorised
across draws; the draws give rank intervals, band probabilities and first-order
sensitivity indices. Formulas and the reasons behind them: docs/analysis-robustness.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..engine.aggregate import COVERAGE_EPS, combine, unanswered, unit_weights
from ..engine.classify import assign_bands, round_half_away
from ..engine.normalize import DEGENERATE_SCORE, indicator_scores
from ..engine.plan import OVERALL, NodeGroup, Plan, compile_rubric
from ..engine.score import period_rows, population_mask, score
from ..errors import Problem, ReadinessError
from ..model import Aggregation, Defaults, Dimension, Indicator, Normalization, Rubric
from ..model.nodes import AGGREGATIONS, NORMALIZATIONS
from ..model.scales import NumericScale
from ..responses import Period, ResponseSet

__all__ = ["ROOT", "WEIGHT_SCHEMES", "Sensitivity", "sensitivity"]

ROOT = "overall"  # weight-group id of the top-level dimensions' weights
WEIGHT_SCHEMES = ("dirichlet", "multiplicative")
ALTERNATIVE_KEYS = ("aggregate", "missing", "normalize")
CHUNK_BYTES = 200_000_000  # bound on the per-chunk node tensors
_TINY = float(np.finfo(np.float64).tiny)


def _bad(message: str, where: str, hint: str = "") -> ReadinessError:
    return ReadinessError([Problem(message, where, hint=hint)])


def _ro(a: Any, dtype: Any = np.float64) -> np.ndarray:
    arr = np.array(a, dtype=dtype, copy=True)
    arr.flags.writeable = False
    return arr


def _ro_bool(a: Any) -> np.ndarray:
    return _ro(a, bool)


def _ro_int(a: Any) -> np.ndarray:
    return _ro(a, np.int64)


def _ro_opt(a: Any) -> np.ndarray | None:
    return None if a is None else _ro(a, np.asarray(a).dtype)


@attrs.frozen(slots=True, eq=False)
class Sensitivity:
    """What the weight draws did to every agency-period (rows in the order of the responses).

    Attributes:
        rank_interval: rows × 3: 5th, 50th and 95th percentile of the rank over the draws
            (NaN for rows never ranked). Ranks are per period within the rubric's
            population, competition ranks on the reported (rounded) score.
        band_probability: rows × bands: share of draws landing in each band of ``band_ids``.
        no_band_probability: share of draws in no band.
        nan_draws: per row, draws whose overall score is NaN (never skipped silently).
        index_groups: the factors of ``first_order``: a node id (its children's weights),
            ``"overall"`` (the top-level weights), ``"choice:KEY"`` (a method choice).
        first_order: mean over rows of ``first_order_by_row`` (rows × factors): the
            first-order index Var(E[Y|X])/Var(Y) of each factor (docs/analysis-robustness.md).
        overall_draws, rank_draws: draws × rows (``keep_draws=True`` only).
        weight_draws: (group id, child ids, draws × children weights) per weight group.
        choices: (key, the option label of every draw) per alternative.

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
    in_population: np.ndarray = attrs.field(converter=_ro_bool)
    nominal_overall: np.ndarray = attrs.field(converter=_ro)
    nominal_rank: np.ndarray = attrs.field(converter=_ro_int)
    nominal_band: tuple[str | None, ...]
    rank_interval: np.ndarray = attrs.field(converter=_ro)
    band_ids: tuple[str, ...]
    band_probability: np.ndarray = attrs.field(converter=_ro)
    no_band_probability: np.ndarray = attrs.field(converter=_ro)
    nan_draws: np.ndarray = attrs.field(converter=_ro_int)
    index_groups: tuple[str, ...]
    first_order_by_row: np.ndarray = attrs.field(converter=_ro)
    overall_draws: np.ndarray | None = attrs.field(default=None, converter=_ro_opt)
    rank_draws: np.ndarray | None = attrs.field(default=None, converter=_ro_opt)
    weight_draws: tuple[tuple[str, tuple[str, ...], np.ndarray], ...] | None = None
    choices: tuple[tuple[str, tuple[str, ...]], ...] | None = None

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
            raise _bad(
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

    def to_records(self) -> list[dict[str, Any]]:
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
        out = []
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


def rank_draws(
    score: np.ndarray, eligible: np.ndarray, periods: Sequence[np.ndarray]
) -> np.ndarray:
    """Competition ranks ("1224") of every draw (rows of ``score``) within each period.

    Same ranks as :func:`engine.classify.competition_rank` applied draw by draw.
    """
    rank = np.zeros(score.shape, np.int32)
    for rows in periods:
        sel = rows[eligible[rows]]
        if not sel.size:
            continue
        s = score[:, sel]
        key = np.where(np.isnan(s), np.inf, -s)
        order = np.argsort(key, axis=1, kind="stable")
        sk = np.take_along_axis(key, order, axis=1)
        new = np.ones(sk.shape, bool)
        new[:, 1:] = sk[:, 1:] != sk[:, :-1]
        first = np.maximum.accumulate(np.where(new, np.arange(sk.shape[1]), 0), axis=1) + 1
        r = np.empty_like(first)
        np.put_along_axis(r, order, first, axis=1)
        rank[:, sel] = np.where(np.isnan(s), 0, r)
    return rank


def rank_percentiles(ranks: np.ndarray, q: Sequence[float]) -> np.ndarray:
    """Percentiles (inverted CDF: the smallest rank r with P(rank <= r) >= q) of each
    column of ``ranks`` (draws × rows, 0 = unranked and ignored): rows × len(q), NaN for
    rows never ranked."""
    s = np.sort(ranks, axis=0)
    d = s.shape[0]
    zeros = (s == 0).sum(axis=0)
    valid = d - zeros
    out = np.full((s.shape[1], len(q)), np.nan)
    cols = np.arange(s.shape[1])
    for j, p in enumerate(q):
        k = np.maximum(np.ceil(p / 100.0 * valid - 1e-9).astype(np.int64) - 1, 0)
        pick = s[np.minimum(zeros + k, d - 1), cols].astype(np.float64)
        out[:, j] = np.where(valid > 0, pick, np.nan)
    return out


def first_order(
    y: np.ndarray, factors: Sequence[tuple[np.ndarray, bool]], bins: int | None = None
) -> np.ndarray:
    """First-order indices S = Var(E[Y|X]) / Var(Y): rows of ``y`` × factors.

    ``y`` is draws × rows; each factor is (draws × k values, categorical). A weight group
    is first projected on its least-squares direction for each row (Ŷ = [1 X] β̂), then
    E[Y | X] is estimated by the means of Y in equal-width bins of Ŷ (the categories
    themselves when categorical); the correlation ratio η² is bias-corrected like an
    adjusted R²: 1 − (1 − η²)(D − 1)/(D − B), B the bins used. NaN for a row with a NaN
    draw or no variance.
    """
    d, n = y.shape
    ok = ~np.isnan(y).any(axis=0)
    y0 = y if ok.all() else np.where(ok, y, 0.0)
    dev = y0 - y0.mean(axis=0)
    total = np.einsum("ij,ij->j", dev, dev)
    valid = ok & (total > 0)
    b = bins or int(np.clip(d // 25, 2, 32))
    offset = np.arange(n)[None, :]
    out = np.full((n, len(factors)), np.nan)
    for f, (x, categorical) in enumerate(factors):
        if categorical:
            codes = np.broadcast_to(x[:, :1].astype(np.int64), (d, n))
            width = int(codes.max()) + 1
        else:
            var = x.std(axis=0) > 0
            if not var.any():
                out[:, f] = np.where(valid, 0.0, np.nan)
                continue
            # Ŷ − mean: projection of the centred Y on the centred group draws
            q, _ = np.linalg.qr(x[:, var] - x[:, var].mean(axis=0))
            # einsum, not BLAS: a K <= children product is faster without threads
            fit = np.einsum("dk,kn->dn", q, q.T @ dev, optimize=False)
            lo = fit.min(axis=0)
            scale = fit.max(axis=0) - lo
            scale = np.where(
                scale > 1e-12 * np.sqrt(total / d), b / np.where(scale > 0, scale, 1.0), 0.0
            )
            fit -= lo
            fit *= scale
            codes = fit.astype(np.intp)
            np.minimum(codes, b - 1, out=codes)
            width = b
        flat = (codes + width * offset).ravel()
        count = np.bincount(flat, minlength=width * n).reshape(n, width)
        sums = np.bincount(flat, weights=dev.ravel(), minlength=width * n).reshape(n, width)
        with np.errstate(invalid="ignore", divide="ignore"):
            between = (sums**2 / np.maximum(count, 1)).sum(axis=1)
            used = (count > 0).sum(axis=1)
            adj = 1.0 - (1.0 - between / total) * (d - 1) / np.maximum(d - used, 1)
        out[:, f] = np.where(valid, np.clip(adj, 0.0, 1.0), np.nan)
    return out


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
) -> Sensitivity:
    """Monte-Carlo weight draws at every node: rank intervals, band probabilities, indices.

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
        chunk: Draws per vectorised batch (default: as many as fit in ~200 MB).
        indices_on: ``"overall"`` or ``"rank"``: the output the indices explain.

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

    .. versionadded:: 0.1.0
    """
    _check_args(samples, weights, concentration, noise, chunk, indices_on)
    nominal = score(rubric, responses)
    rng = np.random.default_rng(seed)
    groups = weight_groups(rubric)
    draws = {gid: _draw(rng, w, samples, weights, concentration, noise) for gid, _, w in groups}
    alts = _alternatives(alternatives)
    picks = {key: rng.integers(len(opts), size=samples) for key, opts in alts}
    periods = period_rows(responses)
    pop = population_mask(rubric, responses)
    n = len(responses.agencies)
    overall = np.empty((samples, n))
    coverage = np.empty((samples, n))
    ranks = np.empty((samples, n), np.int32)
    bands = np.empty((samples, n), np.int16)
    for variant, idx in _variants(rubric, alts, picks, samples):
        plan = compile_rubric(variant)
        z = indicator_scores(plan, responses.values, periods, pop)
        per_draw = 8 * n * (12 * len(plan.node_ids) + 8) + 1
        size = chunk or max(1, min(samples, CHUNK_BYTES // per_draw))
        for start in range(0, idx.size, size):
            sel = idx[start : start + size]
            w = [_stack(grp, plan, rubric, draws, sel) for grp in plan.groups]
            o, c, b = _score_draws(rubric, plan, z, responses, w, periods, pop)
            overall[sel], coverage[sel], bands[sel] = o, c, b
            ranks[sel] = rank_draws(o, pop, periods)
    target = overall if indices_on == "overall" else np.where(ranks > 0, ranks, np.nan)
    names = [gid for gid, _, _ in groups] + [f"choice:{key}" for key, _ in alts]
    by_row = first_order(
        target,
        [(draws[gid], False) for gid, _, _ in groups]
        + [(picks[key][:, None], True) for key, _ in alts],
    )
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
        alternatives=tuple((k, tuple(_label(o) for o in opts)) for k, opts in alts),
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
        weight_draws=tuple((gid, kids, _ro(draws[gid])) for gid, kids, _ in groups)
        if keep_draws
        else None,
        choices=tuple((k, tuple(_label(opts[i]) for i in picks[k])) for k, opts in alts)
        if keep_draws
        else None,
    )


def weight_groups(rubric: Rubric) -> list[tuple[str, tuple[str, ...], np.ndarray]]:
    """Every weight group: (node id or ``"overall"``, child ids, nominal weights)."""
    out = [
        (
            d.id,
            tuple(c.id for c in d.children),
            np.array([c.weight for c in d.children], np.float64),
        )
        for d in rubric.all_dimensions
    ]
    out.append(
        (
            ROOT,
            tuple(d.id for d in rubric.dimensions),
            np.array([d.weight for d in rubric.dimensions], np.float64),
        )
    )
    return out


def _check_args(
    samples: int,
    weights: str,
    concentration: float,
    noise: float,
    chunk: int | None,
    indices_on: str,
) -> None:
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise _bad(f"'samples' must be a whole number >= 1 (got {samples!r})", "samples")
    if weights not in WEIGHT_SCHEMES:
        raise _bad(
            f"'weights' must be one of {', '.join(WEIGHT_SCHEMES)} (got {weights!r})",
            "weights",
            hint="use 'dirichlet' (default) or 'multiplicative'",
        )
    if not (isinstance(concentration, int | float) and concentration > 0):
        raise _bad(
            f"'concentration' must be > 0 (got {concentration!r})",
            "concentration",
            hint="larger means less noise; math.inf means none",
        )
    if not (isinstance(noise, int | float) and 0 <= noise < 1):
        raise _bad(
            f"'noise' must be in [0, 1) (got {noise!r})",
            "noise",
            hint="0.25 lets each weight move by up to ±25%",
        )
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise _bad(f"'chunk' must be a whole number >= 1 (got {chunk!r})", "chunk")
    if indices_on not in ("overall", "rank"):
        raise _bad(f"'indices_on' must be 'overall' or 'rank' (got {indices_on!r})", "indices_on")


def _draw(
    rng: np.random.Generator,
    w: np.ndarray,
    samples: int,
    scheme: str,
    concentration: float,
    noise: float,
) -> np.ndarray:
    """``samples`` × children weight draws; zero-noise draws are the nominal weights."""
    out = np.zeros((samples, w.size))
    if (scheme == "dirichlet" and math.isinf(concentration)) or (
        scheme == "multiplicative" and noise == 0
    ):
        out[:] = w
        return out
    pos = w > 0
    if int(pos.sum()) == 1:
        out[:, pos] = 1.0
        return out
    share = w[pos] / w[pos].sum()
    if scheme == "dirichlet":
        d = rng.dirichlet(concentration * share, size=samples)
    else:
        d = share * rng.uniform(1.0 - noise, 1.0 + noise, size=(samples, share.size))
    # A draw that underflows to 0 would drop a child the rubric counts: keep it > 0.
    d = np.maximum(d, _TINY)
    out[:, pos] = d / d.sum(axis=1, keepdims=True)
    return out


def _alternatives(
    alternatives: Mapping[str, Sequence[Any]] | None,
) -> list[tuple[str, tuple[Any, ...]]]:
    if not alternatives:
        return []
    out: list[tuple[str, tuple[Any, ...]]] = []
    for key in sorted(alternatives):
        opts = alternatives[key]
        where = f"alternatives.{key}"
        if key not in ALTERNATIVE_KEYS:
            raise _bad(
                f"unknown alternative {key!r}",
                where,
                hint=f"expected one of: {', '.join(ALTERNATIVE_KEYS)}",
            )
        if isinstance(opts, str) or not isinstance(opts, Sequence) or not opts:
            raise _bad(f"{where} must be a non-empty list of choices", where)
        parsed: list[Any] = []
        for o in opts:
            if key == "aggregate":
                parsed.append(_aggregation(o, where))
            elif key == "missing" and o not in ("zero", "reweight"):
                raise _bad(
                    f"{where}: {o!r} is not a missing policy to try",
                    where,
                    hint="use 'zero' or 'reweight'",
                )
            elif key == "normalize" and (o not in NORMALIZATIONS or o == "target"):
                raise _bad(
                    f"{where}: {o!r} is not a normalisation to try",
                    where,
                    hint="use goalposts, minmax, zscore, rank or percentile",
                )
            else:
                parsed.append(o)
        out.append((key, tuple(parsed)))
    return out


def _aggregation(o: Any, where: str) -> Aggregation:
    if isinstance(o, Aggregation):
        return o
    if isinstance(o, Mapping) and set(o) == {"power"}:
        return Aggregation("power", p=float(o["power"]))
    if o in AGGREGATIONS and o != "power":
        return Aggregation(str(o))
    raise _bad(
        f"{where}: {o!r} is not an aggregation",
        where,
        hint="use arithmetic, geometric, harmonic, minimum or {'power': p}",
    )


def _label(o: Any) -> str:
    if isinstance(o, Aggregation):
        return o.method if o.p is None else f"power({o.p:g})"
    return str(o)


def _variants(
    rubric: Rubric,
    alts: list[tuple[str, tuple[Any, ...]]],
    picks: dict[str, np.ndarray],
    samples: int,
) -> list[tuple[Rubric, np.ndarray]]:
    """The rubric of each combination of method choices, with the draws that use it."""
    if not alts:
        return [(rubric, np.arange(samples))]
    code = np.zeros(samples, np.int64)
    for key, opts in alts:
        code = code * len(opts) + picks[key]
    out = []
    for c in np.unique(code):
        idx = np.flatnonzero(code == c)
        choice = {key: opts[int(picks[key][idx[0]])] for key, opts in alts}
        out.append((_variant(rubric, choice), idx))
    return out


def _variant(rubric: Rubric, choice: dict[str, Any]) -> Rubric:
    agg: Aggregation | None = choice.get("aggregate")
    miss: str | None = choice.get("missing")
    norm: str | None = choice.get("normalize")

    def ind(x: Indicator) -> Indicator:
        ch: dict[str, Any] = {}
        if miss is not None:
            ch["missing"] = None
        goalless = isinstance(x.scale, NumericScale) and x.scale.goalposts is None
        if norm is not None and not (norm == "goalposts" and goalless):
            ch["normalize"] = Normalization(norm)
        return attrs.evolve(x, **ch) if ch else x

    def node(d: Dimension) -> Dimension:
        ch: dict[str, Any] = {
            "dimensions": tuple(node(s) for s in d.dimensions),
            "indicators": tuple(ind(x) for x in d.indicators),
        }
        if agg is not None:
            ch["aggregate"] = None
        if miss is not None:
            ch["missing"] = None
        return attrs.evolve(d, **ch)

    defaults = Defaults(agg or rubric.defaults.aggregate, miss or rubric.defaults.missing)
    changes: dict[str, Any] = {"dimensions": tuple(node(d) for d in rubric.dimensions)}
    return attrs.evolve(rubric, defaults=defaults, **changes)


def _stack(
    grp: NodeGroup, plan: Plan, rubric: Rubric, draws: dict[str, np.ndarray], sel: np.ndarray
) -> np.ndarray:
    """The group's (draws × children × nodes) weight tensor for the draws ``sel``."""
    w = np.zeros((sel.size, grp.children.size, grp.nodes.size))
    col = (
        {x.id: j for j, x in enumerate(rubric.indicators)}
        if grp.child_is_indicator
        else {nid: k for k, nid in enumerate(plan.node_ids)}
    )
    row = {int(c): i for i, c in enumerate(grp.children)}
    for g, node in enumerate(grp.nodes.tolist()):
        if node == OVERALL:
            gid, kids = ROOT, [d.id for d in rubric.dimensions]
        else:
            gid = plan.node_ids[node]
            kids = [c.id for c in rubric.dimension(gid).children]
        rows = [row[col[k]] for k in kids]
        w[:, rows, g] = unit_weights(draws[gid][sel], axis=1)  # as the engine's plan
    return w


def _combine(method: str, p: float, v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`engine.aggregate.combine` for a stack of weight matrices ``w`` (D × C × G).

    ``v`` is N × C (shared by every draw) or D × N × C. The engine's own kernel, so a
    draw with the nominal weights reproduces it bit for bit.
    """
    d, n = w.shape[0], v.shape[-2]
    if method == "minimum":  # weights only decide which children count: nominal pattern
        flat = v.reshape(-1, v.shape[-1])
        out, _ = combine(method, p, flat, w[0])
        return np.broadcast_to(out.reshape(-1, n, w.shape[2]), (d, n, w.shape[2]))
    return combine(method, p, v, w)[0]


def _score_draws(
    rubric: Rubric,
    plan: Plan,
    z: np.ndarray,
    responses: ResponseSet,
    ws: list[np.ndarray],
    periods: list[np.ndarray],
    pop: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reported overall score, coverage and band index of every (draw, row)."""
    missing, na = responses.missing, responses.na
    d, n, k = ws[0].shape[0], z.shape[0], len(plan.node_ids)
    # dense: every child so far applicable and fully covered, so (as in the engine)
    # coverage is exactly 1 and every node applicable; arrays are built when that ends
    dense = not (missing.any() or na.any())
    ind_val, ind_app, ind_cov = z, np.ones(z.shape, bool), np.ones(z.shape)
    if not dense:
        ind_val = np.where(missing & (plan.missing_policy == 0)[None, :], 0.0, z)
        ind_app, ind_cov = ~na, (~missing & ~na).astype(np.float64)
    nodes = np.full((d, n, k), np.nan)
    cov: np.ndarray | None = None
    app: np.ndarray | None = None
    if not dense:
        cov, app = np.full((d, n, k), np.nan), np.zeros((d, n, k), bool)
    overall = overall_cov = np.full((d, n), np.nan)
    for grp, w in zip(plan.groups, ws, strict=True):
        kids = grp.children
        if grp.child_is_indicator:
            v, a, c = ind_val[:, kids], ind_app[:, kids], ind_cov[:, kids]
        elif dense:
            v = nodes[:, :, kids]
        else:
            assert app is not None
            assert cov is not None
            a = app[:, :, kids]
            c = np.where(a, cov[:, :, kids], 0.0)
            v = nodes[:, :, kids]
            zero = grp.zero_missing[grp.parent_col] & unanswered(c, plan.min_coverage[kids])
            v = np.where(a & np.isnan(v) & zero, 0.0, v)
        s = _combine(grp.method, grp.p, v, w)
        if dense:
            g_cov, g_app = np.ones(s.shape), np.ones(s.shape, bool)
        else:
            appw = a.astype(np.float64) @ w
            with np.errstate(invalid="ignore", divide="ignore"):
                g_cov = (np.where(a, c, 0.0) @ w) / appw
            g_app = appw > 0
            g_cov = np.where(g_app, g_cov, np.nan)
            s = np.where(g_app, s, np.nan)
        if grp.nodes[0] == OVERALL:
            overall, overall_cov = s[..., 0], g_cov[..., 0]
            continue
        idx = grp.nodes
        if not dense:
            s = np.where(g_cov < plan.min_coverage[idx] - COVERAGE_EPS, np.nan, s)
        if plan.rescale[idx].any():
            cols = np.flatnonzero(plan.rescale[idx])
            s[..., cols] = _minmax(s[..., cols], periods, pop)
        nodes[..., idx] = s
        if dense and np.isnan(s).any():
            dense = False
            cov, app = np.ones((d, n, k)), np.ones((d, n, k), bool)
        if not dense:
            assert app is not None
            assert cov is not None
            cov[..., idx], app[..., idx] = g_cov, g_app
    lo, hi = rubric.scale
    rep = lo + overall * (hi - lo)
    if rubric.rounding is not None:
        rep = round_half_away(rep, rubric.rounding)
    if not rubric.bands:
        return rep, overall_cov, np.full((d, n), -1, np.int16)
    node_rep = nodes.reshape(d * n, k)
    if any(b.dimensions or b.all_dimensions is not None for b in rubric.bands):
        node_rep = lo + node_rep * (hi - lo)
        if rubric.rounding is not None:
            node_rep = round_half_away(node_rep, rubric.rounding)
    top_app = (
        np.ones((d * n, plan.top.size), bool)
        if app is None
        else app[:, :, plan.top].reshape(d * n, -1)
    )
    band = assign_bands(
        rubric.bands,
        rep.reshape(-1),
        overall_cov.reshape(-1),
        node_rep,
        plan.node_ids,
        plan.top,
        top_app,
    )
    return rep, overall_cov, band.reshape(d, n).astype(np.int16)


def _minmax(s: np.ndarray, periods: list[np.ndarray], pop: np.ndarray) -> np.ndarray:
    """Batched :func:`engine.normalize.minmax_by_period` (draws × rows × nodes)."""
    out = np.full(s.shape, np.nan)
    for rows in periods:
        x, ref = s[:, rows], s[:, rows[pop[rows]]]
        if ref.shape[1]:
            gone = np.isnan(ref).all(axis=1)
            with np.errstate(invalid="ignore"):
                lo = np.where(gone, np.nan, np.nanmin(np.where(np.isnan(ref), np.inf, ref), 1))
                hi = -np.where(gone, np.nan, np.nanmin(np.where(np.isnan(ref), np.inf, -ref), 1))
        else:
            lo = hi = np.full((s.shape[0], s.shape[2]), np.nan)
        span = (hi - lo)[:, None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            o = np.clip((x - lo[:, None, :]) / span, 0.0, 1.0)
        o = np.where(span > 0, o, DEGENERATE_SCORE)
        out[:, rows] = np.where(np.isnan(x) | np.isnan(lo)[:, None, :], np.nan, o)
    return out
