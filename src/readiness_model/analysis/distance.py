"""Distance to target: per-node shortfalls of one agency below target scores."""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs

from .._args import require, require_period, require_text
from ..errors import Problem, ResponseError, did_you_mean
from ..model._validators import brief, finite
from ..responses import Period
from ..results import Results

__all__ = ["Distance", "Shortfall", "distance_to_target"]


@attrs.frozen(slots=True)
class Shortfall:
    """How far one node is below its target (rubric scale; NaN scores count as the low end).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "no"}], r)
        >>> s = rm.distance_to_target(rm.score(r, rs), "x", {"d": 50}).items[0]
        >>> isinstance(s, rm.Shortfall), s.node, s.shortfall, s.met
        (True, 'd', 50.0, False)

    .. versionadded:: 0.1.0
    """

    node: str
    title: str
    score: float
    target: float
    shortfall: float
    met: bool


@attrs.frozen(slots=True)
class Distance:
    """Per-node shortfalls of one agency against targets.

    Attributes:
        items: One :class:`Shortfall` per target, in the order the targets were given.
        total: The sum of the shortfalls.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "x", "period": 1, "a": "no"}], r)
        >>> d = rm.distance_to_target(rm.score(r, rs), "x", {"overall": 80})
        >>> d.total, [(s.node, s.score, s.target, s.met) for s in d.items]
        (80.0, [('overall', 0.0, 80.0, False)])

    .. versionadded:: 0.1.0
    """

    agency: str
    period: Period
    items: tuple[Shortfall, ...]
    total: float


def distance_to_target(
    results: Results,
    agency: str,
    targets: Mapping[str, float] | float,
    period: Period | None = None,
) -> Distance:
    """Shortfall of each dimension (or ``overall``) below a target score.

    Args:
        results: Scored results. agency: agency id. period: default the latest.
        targets: One score for every top-level dimension, or node id -> target score
            (``"overall"`` for the overall score).

    Returns:
        A :class:`Distance`; ``total`` is the sum of the shortfalls.

    Raises:
        ResponseError: unknown agency, period or node id.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("a")]),
        ...     rm.Dimension("e", indicators=[rm.Indicator("b")])])
        >>> res = rm.score(r, rm.ResponseSet.from_records(
        ...     [{"agency": "x", "period": 1, "a": "yes", "b": "no"}], r))
        >>> [(s.node, s.shortfall) for s in distance_to_target(res, "x", 60).items]
        [('d', 0.0), ('e', 60.0)]

    .. versionadded:: 0.1.0
    """
    require(results, Results, "results")
    require_text(agency, "agency")
    require_period(period)
    rubric = results.rubric
    ar = results.agency(agency, period)
    if isinstance(targets, Mapping):
        wanted = dict(targets)
    else:
        wanted = {d.id: targets for d in rubric.dimensions}
    numbers = {k: finite(v) for k, v in wanted.items()}
    odd = [(k, v) for k, v in wanted.items() if numbers[k] is None]
    if odd:
        raise ResponseError(
            [
                Problem(f"the target of {k!r} must be a finite number (got {brief(v)})", "targets")
                for k, v in odd
            ]
        )
    known = {"overall", *results.node_ids}
    bad = [k for k in wanted if k not in known]
    if bad:
        raise ResponseError(
            [
                Problem(
                    f"no node {k!r} in rubric {rubric.id!r}", "targets", hint=did_you_mean(k, known)
                )
                for k in bad
            ]
        )
    lo = rubric.scale[0]
    items = []
    for nid in wanted:
        got = ar.overall if nid == "overall" else ar.dimensions[nid]
        title = rubric.label() if nid == "overall" else rubric.dimension(nid).label()
        base = lo if math.isnan(got) else got
        goal = numbers[nid]
        assert goal is not None
        short = max(0.0, goal - base)
        items.append(Shortfall(nid, title, got, goal, short, short == 0.0))
    try:
        total = math.fsum(s.shortfall for s in items)
    except OverflowError:  # shortfalls are >= 0: their exact sum is past the largest float
        total = math.inf
    return Distance(ar.agency, ar.period, tuple(items), total)
