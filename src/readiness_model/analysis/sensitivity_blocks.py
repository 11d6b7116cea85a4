"""Monte-Carlo sensitivity run in blocks of draws (on several workers, for example)
combined into one :class:`~readiness_model.analysis.sensitivity.Sensitivity`.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._indices import first_order, rank_percentiles
from .sensitivity import Sensitivity

__all__ = ["combine_blocks"]


def combine_blocks(
    parts: list[Sensitivity],
    samples: int,
    seed: int | None,
    keep: bool,
    indices_on: str,
    indices: bool = True,
) -> Sensitivity:
    """One :class:`Sensitivity` of all the blocks' draws (each block a ``sensitivity``
    with ``keep_draws=True`` and its own seed): draws concatenated in block order, rank
    percentiles, band probabilities and, when ``indices``, first-order indices computed
    from every draw at once."""
    first = parts[0]
    overall = np.concatenate([p.overall_draws for p in parts if p.overall_draws is not None])
    ranks = np.concatenate([p.rank_draws for p in parts if p.rank_draws is not None])
    groups = [
        (gid, kids, np.concatenate([dict(_by_group(p))[gid] for p in parts]))
        for gid, kids, _ in first.weight_draws or ()
    ]
    labels = dict(first.alternatives)
    picks = {
        key: np.array([labels[key].index(c) for p in parts for c in dict(p.choices or ())[key]])
        for key, _ in first.choices or ()
    }
    target = overall if indices_on == "overall" else np.where(ranks > 0, ranks, np.nan)
    names = [gid for gid, _, _ in groups] + [f"choice:{k}" for k in picks]
    if indices:
        by_row = first_order(
            target,
            [(w, False) for _, _, w in groups] + [(picks[k][:, None], True) for k in picks],
        )
    else:
        names, by_row = [], np.zeros((len(first.agencies), 0))

    def counts(get: Any) -> np.ndarray:
        return sum(np.rint(get(p) * p.samples) for p in parts)  # type: ignore[no-any-return]

    return Sensitivity(
        rubric_id=first.rubric_id,
        samples=samples,
        seed=seed,
        weights=first.weights,
        concentration=first.concentration,
        noise=first.noise,
        alternatives=first.alternatives,
        agencies=first.agencies,
        periods=first.periods,
        in_population=first.in_population,
        nominal_overall=first.nominal_overall,
        nominal_rank=first.nominal_rank,
        nominal_band=first.nominal_band,
        rank_interval=rank_percentiles(ranks, (5, 50, 95)),
        band_ids=first.band_ids,
        band_probability=counts(lambda p: p.band_probability) / samples,
        no_band_probability=counts(lambda p: p.no_band_probability) / samples,
        nan_draws=sum(p.nan_draws for p in parts),
        index_groups=tuple(names),
        first_order_by_row=by_row,
        overall_draws=overall if keep else None,
        rank_draws=ranks if keep else None,
        weight_draws=tuple(groups) if keep else None,
        choices=_choices(parts) if keep else None,
        varied=first.varied,
    )


def _by_group(s: Sensitivity) -> list[tuple[str, np.ndarray]]:
    return [(g, w) for g, _, w in s.weight_draws or ()]


def _choices(parts: list[Sensitivity]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    keys = [k for k, _ in parts[0].choices or ()]
    return tuple((k, tuple(c for p in parts for c in dict(p.choices or ())[k])) for k in keys)
