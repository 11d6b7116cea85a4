"""A population as JSON text: the writer of :mod:`.json_file` (which reads it back).

Statistics are written with their shortest round-trip text; infinite values as the
strings ``"inf"``/``"-inf"`` and a missing value as ``null``.
"""

from __future__ import annotations

import json
import math
import re
from typing import TYPE_CHECKING, Any

from .stats import FORMAT, FORMAT_VERSION, ColumnStatistics

if TYPE_CHECKING:
    from .value import Population

__all__ = ["population_to_json"]

_KINDS = ("indicators", "nodes", "overall")
_FLOATS = ("min", "max", "mean", "sd")
_TOKEN = re.compile(r'"\\u0000(\d+)\\u0000"')


def _num(x: float) -> float | str | None:
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _column(st: ColumnStatistics) -> dict[str, Any]:
    out: dict[str, Any] = {"count": st.count}
    for k in _FLOATS:
        v = getattr(st, k)
        if v is not None:
            out[k] = _num(v)
    if st.values is not None and st.counts is not None:
        out["values"] = [_num(v) for v in st.values.tolist()]
        out["counts"] = st.counts.tolist()
    return out


def population_to_json(pop: Population) -> str:
    """The exact JSON text of ``pop`` (one line per column's statistics).

    Example:
        >>> from readiness_model import Population
        >>> from readiness_model.populations import ColumnStatistics, PeriodStatistics, Step
        >>> pop = Population("t", "1", "ab", "0.1.0", 2, f"{0:064x}",
        ...     [Step("indicators", "indicators", ("q",))],
        ...     [PeriodStatistics(2016, 2, indicators=(
        ...         ("q", ColumnStatistics(2, min=0.1, max=float("nan"))),))])
        >>> print(population_to_json(pop).splitlines()[-7])
              "q": {"count": 2, "min": 0.1, "max": null}
    """
    columns: list[str] = []  # written on one line each

    def token(part: ColumnStatistics | dict[str, Any]) -> str:
        data = _column(part) if isinstance(part, ColumnStatistics) else part
        columns.append(json.dumps(data, ensure_ascii=False, allow_nan=False))
        return f"\0{len(columns) - 1}\0"

    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "rubric": {"id": pop.rubric_id, "version": pop.rubric_version, "sha256": pop.rubric_sha256},
        "library_version": pop.library_version,
        "rows": pop.rows,
        "answers_sha256": pop.answers_sha256,
        "steps": [
            token(
                {
                    "name": s.name,
                    "kind": s.kind,
                    "columns": list(s.columns),
                    "held": s.held,
                    "basis": s.basis,
                    "given_by": s.given_by,
                }
            )
            for s in pop.steps
        ],
        "periods": [
            {
                "period": p.period,
                "rows": p.rows,
                **{k: {key: token(st) for key, st in getattr(p, k)} for k in _KINDS},
            }
            for p in pop.periods
        ],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False)
    return _TOKEN.sub(lambda m: columns[int(m.group(1))], text) + "\n"
