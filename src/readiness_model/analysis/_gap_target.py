"""The band a gap search aims at (:mod:`readiness_model.analysis.gap`)."""

from __future__ import annotations

from ..errors import Problem, ResponseError, RubricError, did_you_mean
from ..responses import Period
from ..results import ASSESSED, Results

__all__ = ["target"]


def target(
    results: Results,
    agency: str,
    period: Period | None,
    target_band: str | None,
    row: int | None = None,
) -> tuple[int, int]:
    """The row of the agency-period and the index of the band to reach."""
    rubric = results.rubric
    if not rubric.bands:
        raise RubricError(
            [
                Problem(
                    f"rubric {rubric.id!r} has no bands",
                    "$.bands",
                    hint="add 'bands:' to the rubric",
                )
            ]
        )
    ids = [b.id for b in rubric.bands]
    row = results.row(agency, period) if row is None else row
    if results.status[row] != ASSESSED:
        raise ResponseError(
            [
                Problem(
                    f"agency {agency!r} (period {results.periods[row]!r}) was not assessed: "
                    "it has no band to improve",
                    f"row {row + 1}",
                    hint="see the rubric's not_assessed rules and the 'assessed' column",
                )
            ]
        )
    now = results.band[row]
    cur = -1 if now is None else ids.index(now)
    if target_band is not None and target_band not in ids:
        raise RubricError(
            [
                Problem(
                    f"no band {target_band!r} in rubric {rubric.id!r}",
                    "band",
                    hint=did_you_mean(target_band, ids),
                )
            ]
        )
    t = (
        ids.index(target_band)
        if target_band is not None
        else (cur - 1 if cur > 0 else len(ids) - 1 if cur < 0 else 0)
    )
    return row, t
