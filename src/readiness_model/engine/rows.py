"""Score many answer rows at once, as far as their bands: the rescoring behind ``gap``.

The same pipeline as :func:`~readiness_model.engine.score.score` (normalise → walk →
classify), without what only a whole survey has (trend classes, groups, ranks) and
without building :class:`~readiness_model.Results`: the gap search asks for thousands of
candidate rows, of one agency or of every agency of a report at once, and reads only
their scores, coverage and band. Rows must be independent (see
:attr:`~readiness_model.engine.plan.Plan.rows_independent`): no population-relative
normalisation or rescale, so each row's scores do not depend on the others.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from ..model import Rubric
from .classify import classify, reported
from .normalize import indicator_scores
from .plan import Plan
from .walk import walk

__all__ = ["RowScores", "score_rows"]


@attrs.frozen(slots=True, eq=False)
class RowScores:
    """Scores of rows (one entry per row, nodes in ``Plan.node_ids`` order).

    Attributes:
        band: Index of the row's band in ``rubric.bands`` (-1: none).
        overall, node_scores: As reported (rounded when the rubric rounds).
        overall_exact, node_exact: Unrounded, on the rubric's scale.
        coverage: Overall coverage.
    """

    band: np.ndarray
    overall: np.ndarray
    overall_exact: np.ndarray
    node_scores: np.ndarray
    node_exact: np.ndarray
    coverage: np.ndarray

    def __len__(self) -> int:
        return int(self.band.shape[0])

    def take(self, rows: slice | np.ndarray) -> RowScores:
        """The scores of some rows."""
        return RowScores(*(getattr(self, f.name)[rows] for f in attrs.fields(RowScores)))

    @classmethod
    def concat(cls, parts: Sequence[RowScores]) -> RowScores:
        """Rows of several parts, in order."""
        return cls(
            *(np.concatenate([getattr(p, f.name) for p in parts]) for f in attrs.fields(cls))
        )


def score_rows(
    rubric: Rubric, plan: Plan, values: np.ndarray, missing: np.ndarray, na: np.ndarray
) -> RowScores:
    """Score independent answer rows (stored values N × M with their masks) up to bands.

    Each row gets exactly the numbers :func:`~readiness_model.engine.score.score` gives
    it (the same normalisation, walk and classification).

    Args:
        rubric: The rubric; ``plan`` its compiled form (``compile_rubric(rubric)``).
        values: Stored answers, NaN where there is none. missing, na: their masks.

    Raises:
        ValueError: the rubric's rows are not independent.

    Example:
        >>> import numpy as np, readiness_model as rm
        >>> from readiness_model.engine.plan import compile_rubric
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b")])],
        ...     bands=[rm.Band("good", range=rm.Range(min=50)), rm.Band("weak")])
        >>> v = np.array([[1.0, 0.0], [0.0, 0.0]])
        >>> s = score_rows(r, compile_rubric(r), v, np.zeros((2, 2), bool), np.zeros((2, 2), bool))
        >>> s.overall.tolist(), s.band.tolist()
        ([50.0, 0.0], [0, 1])
    """
    if not plan.rows_independent:
        raise ValueError("score_rows needs a rubric whose rows are independent")
    everyone = np.arange(values.shape[0])
    z = indicator_scores(plan, values, [everyone], np.ones(values.shape[0], bool))
    tree = walk(plan, z, missing, na)
    node_exact = reported(rubric, tree.nodes)
    overall_exact = reported(rubric, tree.overall)
    cls = classify(
        rubric,
        plan,
        overall_exact,
        tree.overall_coverage,
        node_exact,
        tree.node_applicable()[:, plan.top],
    )
    assert cls.node_scores is not None
    return RowScores(
        band=cls.band,
        overall=cls.overall,
        overall_exact=overall_exact,
        node_scores=cls.node_scores,
        node_exact=node_exact,
        coverage=tree.overall_coverage,
    )
