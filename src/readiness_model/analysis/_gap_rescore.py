"""Rescoring for the gap search: candidate answer rows, batched across agencies.

A gap search (:mod:`._gap_search`) is a generator: wherever it needs candidate rows
scored it yields an :class:`Ask` and receives their :class:`RowScores`. :func:`drive`
runs any number of searches side by side and answers all their asks of one round with
one pass of the engine (:func:`~readiness_model.engine.rows.score_rows`) when the
rubric's rows are independent; otherwise each candidate replaces its agency's row in
that agency's period and the whole period is rescored (population-relative methods).
So a report's gap plans for a whole survey cost a few dozen engine passes, not one per
candidate set.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from typing import TypeVar

import attrs
import numpy as np

from ..engine.plan import Plan, compile_rubric
from ..engine.rows import RowScores, score_rows
from ..engine.score import period_rows, score
from ..errors import Problem, ResponseError
from ..responses import ResponseSet
from ..results import Results

__all__ = ["CHUNK_ROWS", "Ask", "RowScores", "Steps", "drive"]

CHUNK_ROWS = 20_000  # rows per engine pass (bounds the memory of one pass)

T = TypeVar("T")


class Scorer:
    """One agency's row, its period's answers, and the count of rows rescored."""

    def __init__(self, results: Results, row: int, plan: Plan | None = None) -> None:
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
        self.plan = plan if plan is not None else compile_rubric(self.rubric)
        self.independent = self.plan.rows_independent
        resp = results.responses
        rows = next(r for r in period_rows(resp) if row in r)
        self.sub = resp.select(rows)
        self.r = int(np.flatnonzero(rows == row)[0])
        self.base = self.sub.values[self.r].copy()
        self.na = self.sub.na[self.r].copy()
        self.count = 0

    def score(self, rows: np.ndarray) -> Generator[Ask, RowScores, RowScores]:
        """Scores of candidate rows (a generator step: the driver answers the ask)."""
        rows = np.atleast_2d(rows)
        self.count += len(rows)
        got = yield Ask(self, rows)
        return got

    def in_period(self, rows: np.ndarray) -> RowScores:
        """Each row rescored in place of the agency's row inside its whole period.

        The candidates are scored together: candidate ``k`` is a copy of the period
        under the synthetic period label ``k``, so one engine pass computes each copy's
        population statistics separately (the engine never mixes periods). The values
        are those of each copy scored alone up to the rounding of BLAS (a row's dot
        product may round differently inside a larger matrix product), as for the
        candidate rows of independent-row rubrics, scored together by ``score_rows``.
        """
        n = len(self.sub.agencies)
        per = max(1, CHUNK_ROWS // n)
        parts = [self._copies(rows[s : s + per]) for s in range(0, len(rows), per)]
        return RowScores.concat(parts)

    def _copies(self, rows: np.ndarray) -> RowScores:
        sub, b, n = self.sub, len(rows), len(self.sub.agencies)
        at = self.r + n * np.arange(b)
        values = np.tile(sub.values, (b, 1))
        values[at] = rows
        missing = np.tile(sub.missing, (b, 1))
        missing[at] = np.isnan(rows) & ~self.na
        copies = ResponseSet(
            rubric_id=sub.rubric_id,
            indicator_ids=sub.indicator_ids,
            agencies=sub.agencies * b,
            periods=tuple(k for k in range(b) for _ in range(n)),
            values=values,
            missing=missing,
            na=np.tile(sub.na, (b, 1)),
            attributes=tuple((key, col * b) for key, col in sub.attributes),
        )
        res = score(self.rubric, copies)
        index: dict[str | None, int] = {band.id: k for k, band in enumerate(self.rubric.bands)}
        index[None] = -1
        return RowScores(
            band=np.array([index[res.band[i]] for i in at], np.int64),
            overall=res.overall[at],
            overall_exact=res.overall_exact[at],
            node_scores=res.node_scores[at],
            node_exact=res.node_exact[at],
            coverage=res.coverage[at],
        )


@attrs.frozen(slots=True, eq=False)
class Ask:
    """Candidate answer rows of one agency to score."""

    scorer: Scorer
    rows: np.ndarray


Steps = Generator[Ask, RowScores, T]
"""A gap search: yields rows to score, receives their scores, returns its result."""


def _answer(asks: Sequence[Ask]) -> list[RowScores]:
    """Scores for every ask: independent rows in shared engine passes."""
    out: list[RowScores | None] = [None] * len(asks)
    joint = [k for k, a in enumerate(asks) if a.scorer.independent]
    for k, a in enumerate(asks):
        if not a.scorer.independent:
            out[k] = a.scorer.in_period(a.rows)
    if joint:
        first = asks[joint[0]].scorer
        values = np.concatenate([asks[k].rows for k in joint])
        na = np.concatenate([np.broadcast_to(asks[k].scorer.na, asks[k].rows.shape) for k in joint])
        missing = np.isnan(values) & ~na
        scored = RowScores.concat(
            [
                score_rows(
                    first.rubric,
                    first.plan,
                    values[s : s + CHUNK_ROWS],
                    missing[s : s + CHUNK_ROWS],
                    na[s : s + CHUNK_ROWS],
                )
                for s in range(0, len(values), CHUNK_ROWS)
            ]
        )
        start = 0
        for k in joint:
            n = len(asks[k].rows)
            out[k] = scored.take(slice(start, start + n))
            start += n
    assert all(o is not None for o in out)
    return [o for o in out if o is not None]


def drive(searches: Sequence[Steps[T]]) -> list[T]:
    """Run searches side by side, answering each round's asks together.

    All searches must rescore rows of the same rubric.
    """
    done: dict[int, T] = {}
    asks: dict[int, Ask] = {}

    def advance(k: int, send: RowScores | None) -> None:
        try:
            asks[k] = searches[k].send(send) if send is not None else next(searches[k])
        except StopIteration as stop:
            asks.pop(k, None)
            done[k] = stop.value

    for k in range(len(searches)):
        advance(k, None)
    while asks:
        keys = sorted(asks)
        for k, got in zip(keys, _answer([asks[k] for k in keys]), strict=True):
            advance(k, got)
    return [done[k] for k in range(len(searches))]
