"""Checks of a rubric as a whole: ids unique and not reserved, bands reachable, trend
classes and groups consistent, examples naming what exists, conventions, weights.

Each check adds a located :class:`~readiness_model.Problem`; :class:`Rubric` raises
them all at once.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Problem, did_you_mean
from ._validators import check_unique
from .conventions import convention_problems
from .nodes import weight_ratio_problems

if TYPE_CHECKING:
    from .rubric import Rubric

__all__ = ["RESERVED_IDS", "RESERVED_PREFIXES", "rubric_problems"]

RESERVED_IDS = frozenset(
    {
        "agency",
        "period",
        "name",
        "kind",
        "parent",
        "overall",
        "band",
        "trend",
        "group",
        "rank",
        "coverage",
        "change",
        "origin",
        "population",
        "status",
        "assessed",
        "rubric",
        "rubric_version",
        "rubric_sha256",
        "library_version",
    }
)
RESERVED_PREFIXES = ("exact.", "coverage.", "score.", "answer.", "overall.")
"""Id prefixes of the results CSV's detail columns (``exact.<node>``, ``overall.exact``...)."""


def rubric_problems(rubric: Rubric) -> list[Problem]:
    """Every problem of ``rubric`` as a whole (its parts checked themselves when built).

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rubric_problems(r)
        []
    """
    out: list[Problem] = []
    if not rubric.dimensions:
        out.append(Problem("a rubric needs at least one dimension", "$.dimensions"))
    elif all(d.weight == 0 for d in rubric.dimensions):
        out.append(
            Problem(
                "every top-level dimension weight is zero",
                "$.dimensions",
                hint="give at least one dimension a weight > 0",
            )
        )
    out += weight_ratio_problems(rubric.dimensions, "$.dimensions")
    seen: dict[str, str] = {}
    for path, node in rubric.walk():
        if node.id in RESERVED_IDS or node.id.startswith(RESERVED_PREFIXES):
            out.append(
                Problem(
                    f"id {node.id!r} is reserved (it names a column of responses or results)",
                    f"{path}.id",
                    hint="choose another id"
                    + (
                        " (ids may not start with "
                        + ", ".join(repr(p) for p in RESERVED_PREFIXES)
                        + ")"
                        if node.id not in RESERVED_IDS
                        else ""
                    ),
                )
            )
        if node.id in seen:
            out.append(
                Problem(
                    f"duplicate id {node.id!r} (also at {seen[node.id]})",
                    f"{path}.id",
                    hint="ids must be unique in the whole rubric",
                )
            )
        else:
            seen[node.id] = path
    node_ids = {d.id for d in rubric.all_dimensions}
    lo, hi = rubric.scale
    if rubric.rounding is not None and any(round(x, rubric.rounding) != x for x in rubric.scale):
        out.append(
            Problem(
                f"scale [{lo:g}, {hi:g}] cannot be reported at {rubric.rounding} decimals: "
                "rounded scores would leave the scale",
                "$.rounding",
                hint="round to more decimals, or use scale ends on the rounding grid",
            )
        )
    out += check_unique([b.id for b in rubric.bands], "band id", "$.bands")
    for i, band in enumerate(rubric.bands):
        p = f"$.bands[{i}]"
        for dim_id, _ in band.dimensions:
            if dim_id not in node_ids:
                out.append(
                    Problem(
                        f"band {band.id!r} gates on unknown dimension {dim_id!r}",
                        f"{p}.dimensions.{dim_id}",
                        hint=did_you_mean(dim_id, node_ids),
                    )
                )
        if band.range.is_empty():
            out.append(
                Problem(
                    f"band {band.id!r} can never match: its range is empty",
                    p,
                    hint="check 'min'/'above' against 'max'/'below'",
                )
            )
            continue
        (blo, bls), (bhi, bhs) = band.range.lower(), band.range.upper()
        if blo > hi or (blo == hi and bls) or bhi < lo or (bhi == lo and bhs):
            out.append(
                Problem(
                    f"band {band.id!r} can never match: its range lies outside "
                    f"the rubric scale [{lo:g}, {hi:g}]",
                    p,
                )
            )
            continue
        above = [
            _gate_above(band.id, f"dimension {d!r}", g, hi, f"{p}.dimensions.{d}")
            for d, g in band.dimensions
            if d in node_ids and g > hi
        ]
        if band.all_dimensions is not None and band.all_dimensions > hi:
            above.append(
                _gate_above(
                    band.id, "every dimension", band.all_dimensions, hi, f"{p}.all_dimensions"
                )
            )
        if above:
            out += above
            continue
        for j, earlier in enumerate(rubric.bands[:i]):
            if not earlier.gated and earlier.range.covers(band.range):
                out.append(
                    Problem(
                        f"band {band.id!r} can never match: band {earlier.id!r} above it "
                        "takes every score it would",
                        p,
                        hint=f"order bands from the strictest down (see $.bands[{j}])",
                    )
                )
                break
    out += check_unique([t.id for t in rubric.trend], "trend id", "$.trend")
    for i, t in enumerate(rubric.trend):
        if t.change.is_empty():
            out.append(Problem(f"trend class {t.id!r} can never match", f"$.trend[{i}]"))
    band_ids = {b.id for b in rubric.bands}
    trend_ids = {t.id for t in rubric.trend}
    out += check_unique([g.id for g in rubric.groups], "group id", "$.groups")
    for i, g in enumerate(rubric.groups):
        for j, b in enumerate(g.bands):
            if b not in band_ids:
                out.append(
                    Problem(
                        f"group {g.id!r} names unknown band {b!r}",
                        f"$.groups[{i}].bands[{j}]",
                        hint=did_you_mean(b, band_ids),
                    )
                )
        for j, tid in enumerate(g.trend):
            if tid not in trend_ids:
                out.append(
                    Problem(
                        f"group {g.id!r} names unknown trend class {tid!r}",
                        f"$.groups[{i}].trend[{j}]",
                        hint=did_you_mean(tid, trend_ids),
                    )
                )
    out += convention_problems(rubric)
    ind_ids = {ind.id for ind in rubric.indicators}
    for i, ex in enumerate(rubric.examples):
        for k, _ in ex.answers:
            if k not in ind_ids:
                out.append(
                    Problem(
                        f"example {ex.agency!r} answers unknown indicator {k!r}",
                        f"$.examples[{i}].answers.{k}",
                        hint=did_you_mean(k, ind_ids),
                    )
                )
        band = ex.expected("band")
        if band is not None and band not in band_ids:
            out.append(
                Problem(
                    f"example {ex.agency!r} expects unknown band {band!r}",
                    f"$.examples[{i}].expect.band",
                    hint=did_you_mean(band, band_ids),
                )
            )
        for k, _ in ex.expected("dimensions") or ():
            if k not in node_ids:
                out.append(
                    Problem(
                        f"example {ex.agency!r} expects unknown dimension {k!r}",
                        f"$.examples[{i}].expect.dimensions.{k}",
                        hint=did_you_mean(k, node_ids),
                    )
                )
    return out


def _gate_above(band: str, what: str, gate: float, hi: float, path: str) -> Problem:
    """A band gate no score can pass: it asks more than the top of the scale."""
    return Problem(
        f"band {band!r} can never match: {what} must reach {gate:g}, above the top of "
        f"the rubric scale ({hi:g})",
        path,
        hint=f"a gate between the scale's ends, at most {hi:g}",
    )
