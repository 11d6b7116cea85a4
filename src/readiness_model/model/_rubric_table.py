"""A rubric as tidy records (one row per dimension and indicator) for notebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._tabular import Record
from .nodes import Dimension

if TYPE_CHECKING:  # pragma: no cover - typing only (Rubric imports this module)
    from .rubric import Rubric

__all__ = ["rubric_headline", "rubric_records"]


def rubric_records(rubric: Rubric) -> list[Record]:
    """One row per node, depth first: ``id``, ``kind`` (dimension or indicator),
    ``parent`` (``""`` at the top), ``depth``, ``title``, ``weight`` (nominal, among
    siblings) and ``scale`` (the indicator's scale type; ``""`` for a dimension).

    Example:
        >>> from readiness_model.model import Dimension, Indicator, Rubric
        >>> r = Rubric("t", dimensions=[Dimension("d", indicators=[Indicator("q")])])
        >>> [(x["id"], x["kind"], x["parent"], x["scale"]) for x in rubric_records(r)]
        [('d', 'dimension', '', ''), ('q', 'indicator', 'd', 'binary')]
    """
    out: list[Record] = []

    def rec(dim: Dimension, parent: str, depth: int) -> None:
        out.append(_row(dim.id, "dimension", parent, depth, dim.label(), dim.weight, ""))
        for sub in dim.dimensions:
            rec(sub, dim.id, depth + 1)
        for ind in dim.indicators:
            scale = ind.scale.type
            out.append(_row(ind.id, "indicator", dim.id, depth + 1, ind.label(), ind.weight, scale))

    for d in rubric.dimensions:
        rec(d, "", 0)
    return out


def _row(
    id_: str, kind: str, parent: str, depth: int, title: str, weight: float, scale: str
) -> Record:
    return {
        "id": id_,
        "kind": kind,
        "parent": parent,
        "depth": depth,
        "title": title,
        "weight": float(weight),
        "scale": scale,
    }


def rubric_headline(rubric: Rubric) -> str:
    """``id version: N dimensions, M indicators, K bands``.

    Example:
        >>> from readiness_model.model import Dimension, Indicator, Rubric
        >>> rubric_headline(Rubric("t", dimensions=[Dimension("d", indicators=[Indicator("q")])]))
        't 1: 1 dimensions, 1 indicators, 0 bands'
    """
    return (
        f"{rubric.id} {rubric.version}: {len(rubric.all_dimensions)} dimensions, "
        f"{len(rubric.indicators)} indicators, {len(rubric.bands)} bands"
    )
