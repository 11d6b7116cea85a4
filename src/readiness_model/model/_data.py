"""Canonical plain data of a rubric (the YAML format's content, defaults omitted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .nodes import Dimension, Indicator
    from .rubric import Rubric


def _text(d: dict[str, Any], key: str, value: Any) -> None:
    if value:
        d[key] = value.to_data()


def indicator_to_data(ind: Indicator) -> dict[str, Any]:
    """Plain data of one indicator."""
    d: dict[str, Any] = {"id": ind.id}
    _text(d, "title", ind.title)
    _text(d, "question", ind.question)
    _text(d, "evidence", ind.evidence)
    _text(d, "remediation", ind.remediation)
    if ind.effort is not None:
        d["effort"] = ind.effort
    if ind.references:
        d["references"] = list(ind.references)
    d["weight"] = ind.weight
    d["scale"] = ind.scale.to_data()
    if ind.direction != "higher_is_better":
        d["direction"] = ind.direction
    if ind.normalize.method != "goalposts":
        d["normalize"] = ind.normalize.to_data()
    if ind.missing is not None:
        d["missing"] = ind.missing
    return d


def dimension_to_data(dim: Dimension) -> dict[str, Any]:
    """Plain data of one node and everything below it."""
    d: dict[str, Any] = {"id": dim.id}
    _text(d, "title", dim.title)
    _text(d, "description", dim.description)
    d["weight"] = dim.weight
    if dim.aggregate is not None:
        d["aggregate"] = dim.aggregate.to_data()
    if dim.missing is not None:
        d["missing"] = dim.missing
    if dim.min_coverage:
        d["min_coverage"] = dim.min_coverage
    if dim.rescale is not None:
        d["rescale"] = dim.rescale
    if dim.dimensions:
        d["dimensions"] = [dimension_to_data(s) for s in dim.dimensions]
    else:
        d["indicators"] = [indicator_to_data(i) for i in dim.indicators]
    return d


def rubric_to_data(r: Rubric) -> dict[str, Any]:
    """Plain data of a whole rubric, keys in the documented order."""
    d: dict[str, Any] = {"rubric": r.id, "version": r.version}
    _text(d, "title", r.title)
    _text(d, "description", r.description)
    if r.source:
        d["source"] = r.source
    d["scale"] = list(r.scale)
    d["defaults"] = r.defaults.to_data()
    if r.rounding is not None:
        d["rounding"] = {"decimals": r.rounding}
    if r.population:
        d["population"] = {k: list(v) if len(v) != 1 else v[0] for k, v in r.population}
    d["dimensions"] = [dimension_to_data(x) for x in r.dimensions]
    if r.bands:
        d["bands"] = [b.to_data() for b in r.bands]
    if r.trend:
        d["trend"] = [t.to_data() for t in r.trend]
    if r.groups:
        d["groups"] = [g.to_data() for g in r.groups]
    if r.examples:
        d["examples"] = [e.to_data() for e in r.examples]
    return d
