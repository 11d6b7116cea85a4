"""Survey answers written to files: CSV (wide or long) and JSON that
:func:`~readiness_model.responses.files.load_responses` reads back equal.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Literal

from .._args import require
from ..errors import Problem, ResponseError
from ..io.atomic import write_atomic
from ..io.csv_text import answer_texts, escape_column, write_rows
from ..model import Rubric
from . import ResponseSet

__all__ = ["write_responses"]


def write_responses(
    responses: ResponseSet,
    rubric: Rubric,
    path: str | Path | None = None,
    format: Literal["wide", "long", "json"] | None = None,
    *,
    safe: bool = True,
) -> str:
    """Write answers as CSV (``"wide"`` or ``"long"``) or JSON that :func:`load_responses`
    reads back equal.

    Args:
        responses: The answers.
        rubric: The rubric they were read with.
        path: Where to write (UTF-8, no byte-order mark; atomically, see
            :func:`~readiness_model.io.atomic.write_atomic`); ``None`` only returns the text.
        format: ``"wide"`` (one row per agency-period), ``"long"`` (one row per answer)
            or ``"json"`` (a list of records); by default JSON for a path ending in
            ``.json``, else wide CSV.
        safe: CSV only: write text cells that a spreadsheet would run as a formula
            (``=``, ``+``, ``-``, ``@``, tab, CR) with a leading apostrophe (see
            :mod:`~readiness_model.io.csv_text`); ``False`` for machine consumers.
            :func:`load_responses` reads both back exactly.

    Returns:
        The text written.

    Raises:
        ResponseError: the responses belong to another rubric, the format is unknown,
            or the file cannot be written.

    Example:
        >>> import readiness_model as rm
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
        >>> rs = rm.ResponseSet.from_records([{"agency": "=x", "period": 2016, "q": "no"}], r)
        >>> print(write_responses(rs, r, format="long"), end="")
        agency,period,indicator,value
        '=x,2016,q,no

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0 ``safe``; files are written atomically; the format
       follows a ``.json`` path by default.
    """
    require(responses, ResponseSet, "responses")
    require(rubric, Rubric, "rubric")
    if format is None:
        format = "json" if path is not None and Path(path).suffix.lower() == ".json" else "wide"
    if format == "json":
        text = _json_text(responses, rubric, responses.written(rubric))
    elif format in ("wide", "long"):
        text = _csv_text(responses, rubric, format == "wide", safe)
    else:
        raise ResponseError(
            [
                Problem(
                    f"unknown answers format {format!r}",
                    "format",
                    hint="expected one of: 'wide', 'long', 'json'",
                )
            ]
        )
    if path is not None:
        write_atomic(path, text)
    return text


def _json_text(responses: ResponseSet, rubric: Rubric, answers: list[list[object]]) -> str:
    out = []
    ids = [x.id for x in rubric.indicators]
    for i, row in (
        enumerate(zip(*answers, strict=True))
        if answers
        else enumerate([()] * len(responses.agencies))
    ):
        rec: dict[str, object] = {"agency": responses.agencies[i], "period": responses.periods[i]}
        for a, col in responses.attributes:
            if col[i] is not None:
                rec[a] = col[i]
        rec.update(zip(ids, row, strict=True))
        out.append(rec)
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"


def _csv_text(responses: ResponseSet, rubric: Rubric, wide: bool, safe: bool) -> str:
    ids = [x.id for x in rubric.indicators]
    if responses.indicator_ids != tuple(ids):
        responses.written(rubric)  # raises the located error
    names = [a for a, _ in responses.attributes]
    lead = [
        escape_column(responses.agencies, safe),
        escape_column(map(str, responses.periods), safe),
        *(escape_column((v or "" for v in col), safe) for _, col in responses.attributes),
    ]
    cells = [
        answer_texts(x.scale, responses.values[:, j], responses.na[:, j], safe)
        for j, x in enumerate(rubric.indicators)
    ]
    buf = io.StringIO()
    if wide:
        write_rows(buf, [[h] for h in escape_column(["agency", "period", *names, *ids], safe)])
        write_rows(buf, [*lead, *cells])
    else:
        head = ["agency", "period", *names, "indicator", "value"]
        write_rows(buf, [[h] for h in escape_column(head, safe)])
        n, m = len(responses.agencies), len(ids)
        long_lead = [[c for c in col for _ in range(m)] for col in lead]
        write_rows(
            buf,
            [*long_lead, ids * n, [cells[j][i] for i in range(n) for j in range(m)]],
        )
    return buf.getvalue()
