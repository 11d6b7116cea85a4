"""Helpers of :mod:`readiness_model.analysis.diff`: which fields a class compares, and the
answers as each rubric of a diff reads them."""

from __future__ import annotations

from typing import Any

import attrs

from ..errors import Problem, ResponseError
from ..model import Rubric
from ..model._format import key_of
from ..model._forms import Objs
from ..responses import RESERVED_COLUMNS, ResponseSet

__all__ = ["restrict", "settings", "source"]


def settings(cls: type) -> list[str]:
    """A class's own YAML fields, in declaration order: every field but its id and its
    lists of objects (sub-dimensions, indicators, bands... are compared item by item)."""
    return [
        a.name
        for a in attrs.fields(cls)
        if (k := key_of(a)) is not None and a.name != "id" and not isinstance(k.form, Objs)
    ]


def source(old: Rubric, new: Rubric, responses: ResponseSet) -> Rubric:
    for r in (new, old):
        if responses.indicator_ids == tuple(x.id for x in r.indicators):
            return r
    raise ResponseError(
        [
            Problem(
                f"these answers were read for rubric {responses.rubric_id!r}, whose indicators "
                f"match neither {old.id!r} nor {new.id!r}",
                "responses",
                hint="read the answers with the old or the new rubric",
            )
        ]
    )


def restrict(r: Rubric, source: Rubric, responses: ResponseSet) -> tuple[ResponseSet, list[str]]:
    """The answers as ``r`` reads them: its own indicators, parsed by its own scales."""
    if r is source:
        return responses, []
    own = {x.id: x for x in r.indicators}
    src = set(responses.indicator_ids)
    bad: list[str] = []
    records = []
    for rec in responses.to_records(source):
        keep: dict[str, Any] = {k: v for k, v in rec.items() if k not in src or k in own}
        for ident, x in own.items():
            raw = keep.get(ident)
            if raw is None or raw == "n/a":
                continue
            try:
                x.scale.parse(raw)
            except ValueError:
                bad.append(f"agency {rec['agency']!r} ({rec['period']}), {ident!r}: {raw!r}")
                keep[ident] = None
        records.append(keep)
    extra = [k for k, _ in responses.attributes if k not in RESERVED_COLUMNS]
    return ResponseSet.from_records(records, r, attributes=extra), bad
