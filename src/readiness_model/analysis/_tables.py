"""Tidy records, headlines and pictures of the analysis results (see ``_tabular``).

Long form throughout: one observation per row, the same keys in every row of a result,
plain cells (str, int, float, bool or ``None``; NaN where a number is undefined).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .._tabular import Cell, Record, bars_svg, cell_text

if TYPE_CHECKING:  # pragma: no cover - typing only (the classes import this module)
    from .audit import Audit
    from .diff import RubricDiff
    from .explain import Explanation
    from .gap import Gap
    from .sensitivity import Sensitivity

__all__ = [
    "audit_headline",
    "audit_records",
    "diff_headline",
    "diff_records",
    "explanation_headline",
    "explanation_records",
    "explanation_svg",
    "gap_headline",
    "gap_records",
    "gap_svg",
    "plain",
    "sensitivity_headline",
]


def plain(value: object) -> Cell:
    """A value as one cell: numbers and text as they are, anything else as text.

    Example:
        >>> plain(1.5), plain(None), plain(("a", "b")), plain(True)
        (1.5, None, "('a', 'b')", True)
    """
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _period(p: object) -> Cell:
    return p if isinstance(p, (int, str)) else str(p)


# -- explain -------------------------------------------------------------------------------
def explanation_records(ex: Explanation) -> list[Record]:
    """One row per indicator and node it contributes to (``overall`` first)."""
    out: list[Record] = []
    for c in ex.contributions:
        base: Record = {
            "agency": ex.agency,
            "period": _period(ex.period),
            "indicator": c.indicator,
            "title": c.title,
            "status": c.status,
            "answer": plain(c.answer),
            "normalised": c.normalised,
            "weight": c.weight,
            "effective_weight": c.effective_weight,
        }
        out.append({**base, "node": "overall", "contribution": c.contribution})
        out += [{**base, "node": n, "contribution": v} for n, v in c.by_node.items()]
    return out


def explanation_headline(ex: Explanation) -> str:
    band = f", band {ex.band}" if ex.band is not None else ""
    return (
        f"{ex.agency} {ex.period}: overall {cell_text(ex.overall)}{band}, coverage "
        f"{100 * ex.coverage:.0f}%, {len(ex.contributions)} indicators"
    )


def explanation_svg(ex: Explanation) -> str:
    """The contributions to the overall score of the (at most 15) largest indicators."""
    top = sorted(
        ex.contributions,
        key=lambda c: -abs(c.contribution) if math.isfinite(c.contribution) else 0.0,
    )[:15]
    return bars_svg([c.indicator for c in top], [c.contribution for c in top])


# -- gap -------------------------------------------------------------------------------------
def gap_records(g: Gap) -> list[Record]:
    """One row per change of the plan (``plan`` 0) and of each alternative (1, 2, ...)."""
    out: list[Record] = []
    plans = [(g.changes, g.band_after, g.overall_after)]
    plans += [(o.changes, o.band_after, o.overall_after) for o in g.alternatives]
    for k, (changes, band, overall) in enumerate(plans):
        for c in changes:
            out.append(
                {
                    "agency": g.agency,
                    "period": _period(g.period),
                    "plan": k,
                    "indicator": c.indicator,
                    "title": c.title,
                    "current": plain(c.current),
                    "proposed": plain(c.proposed),
                    "effort": c.effort,
                    "gain": c.gain,
                    "band_after": band,
                    "overall_after": overall,
                }
            )
    return out


def gap_headline(g: Gap) -> str:
    if not g.changes:
        what = "no change needed" if g.reached else "unreachable"
    else:
        what = f"{len(g.changes)} change{'s' * (len(g.changes) != 1)}"
    return (
        f"{g.agency} {g.period}: {g.band_before} → {g.target_band}, {what} "
        f"({g.method}{', verified' if g.reached else ''})"
    )


def gap_svg(g: Gap) -> str:
    """Each change's gain alone, on the overall score."""
    if not g.changes:
        return ""
    return bars_svg([c.indicator for c in g.changes], [c.gain for c in g.changes])


# -- sensitivity ---------------------------------------------------------------------------
def sensitivity_headline(s: Sensitivity) -> str:
    return f"{s.rubric_id}: {s.samples} draws ({s.weights} weights) over {len(s.agencies)} rows"


# -- audit -------------------------------------------------------------------------------------
def audit_records(a: Audit) -> list[Record]:
    """One row per measure: ``section`` (indicator, node, duplicate, weight, answer),
    ``id``, ``parent``, ``measure`` and ``value`` (a number or text)."""
    out: list[Record] = []

    def add(section: str, id_: str, parent: str, measure: str, value: Cell) -> None:
        out.append(
            {"section": section, "id": id_, "parent": parent, "measure": measure, "value": value}
        )

    for x in a.indicators:
        for m in ("n", "missing_share", "na_share", "min", "max", "mean", "sd"):
            add("indicator", x.id, x.parent, m, getattr(x, m))
        for m in ("skewness", "kurtosis", "r_parent"):
            add("indicator", x.id, x.parent, m, getattr(x, m))
        for f in x.flags:
            add("indicator", x.id, x.parent, "flag", f)
    for d in a.nodes:
        for m in ("r_parent", "items", "alpha", "alpha_rows"):
            add("node", d.id, d.parent, m, getattr(d, m))
        for f in d.flags:
            add("node", d.id, d.parent, "flag", f)
    for p in a.duplicates:
        add("duplicate", f"{p.a}|{p.b}", p.dimension, "r", p.r)
    for w in a.effective_weights:
        add("weight", w.child, w.parent, "nominal", w.nominal)
        add("weight", w.child, w.parent, "effective", w.effective)
    for problem in a.answers:
        add("answer", problem.path, "", "warning", problem.message)
    return out


def audit_headline(a: Audit) -> str:
    flags = len(a.flags())
    return (
        f"{a.rubric_id} on {a.rows} rows: {len(a.indicators)} indicators, "
        f"{flags} flag{'s' * (flags != 1)}"
    )


# -- diff -------------------------------------------------------------------------------------
def diff_records(d: RubricDiff) -> list[Record]:
    """One row per difference: ``section`` (change, weight, movement), ``kind``,
    ``target``, ``id``, ``period``, ``field``, ``old`` and ``new``."""
    out: list[Record] = []

    def add(section: str, kind: str, target: str, id_: str, period: Cell, field: str) -> Record:
        rec: Record = {
            "section": section,
            "kind": kind,
            "target": target,
            "id": id_,
            "period": period,
            "field": field,
            "old": None,
            "new": None,
        }
        out.append(rec)
        return rec

    for c in d.changes:
        rec = add("change", c.kind, c.target, c.id, None, c.field)
        rec["old"], rec["new"] = plain(c.old), plain(c.new)
    for w in d.weights:
        for field in ("nominal", "effective"):
            rec = add("weight", "changed", w.target, w.id, None, field)
            rec["old"], rec["new"] = getattr(w, f"old_{field}"), getattr(w, f"new_{field}")
    for m in d.movements or ():
        for field in ("overall", "rank", "band"):
            rec = add("movement", "moved", "agency", m.agency, _period(m.period), field)
            rec["old"], rec["new"] = getattr(m, f"old_{field}"), getattr(m, f"new_{field}")
    return out


def diff_headline(d: RubricDiff) -> str:
    moved = ""
    if d.movements is not None:
        n = sum(1 for m in d.movements if m.old_band != m.new_band)
        moved = f", {len(d.movements)} rows rescored ({n} change band)"
    return f"{d.old_id} → {d.new_id}: {len(d.changes)} changes, {len(d.weights)} weights{moved}"
