"""Results to and from JSON and CSV, exactly (floats are written with ``repr``)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from ..analysis.rollup import ROLLED_UP
from ..errors import Problem, ResponseError
from ..model import Rubric
from ..responses import ResponseSet, normalise_period
from ..results import Provenance, Results

__all__ = ["results_from_csv", "results_from_json", "results_to_csv", "results_to_json"]

FORMAT = "readiness-model/results"
FORMAT_VERSION = 1


def _f(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _arr(a: np.ndarray) -> Any:
    if a.dtype.kind == "f":
        return [_arr(r) for r in a] if a.ndim > 1 else [_f(x) for x in a.tolist()]
    return a.tolist()


def _nan(a: Any) -> np.ndarray:
    return (
        np.array(a, dtype=object).astype(np.float64)
        if np.size(a)
        else np.array(a, dtype=np.float64)
    )


def results_to_json(r: Results) -> str:
    """Every array, label and the rubric itself (as YAML) in one JSON document."""
    from .rubric_yaml import dump_rubric

    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "provenance": r.provenance.to_dict(),
        "rubric_yaml": dump_rubric(r.rubric),
        "agencies": list(r.agencies),
        "periods": list(r.periods),
        "attributes": {k: list(v) for k, v in r.attributes},
        "node_ids": list(r.node_ids),
        "indicator_scores": _arr(r.indicator_scores),
        "node_scores": _arr(r.node_scores),
        "node_exact": _arr(r.node_exact),
        "node_coverage": _arr(r.node_coverage),
        "overall": _arr(r.overall),
        "overall_exact": _arr(r.overall_exact),
        "coverage": _arr(r.coverage),
        "band": list(r.band),
        "trend": list(r.trend),
        "group": list(r.group),
        "rank": r.rank.tolist(),
        "change": _arr(r.change),
        "in_population": r.in_population.tolist(),
        "origin": list(r.origin),
        "responses": None,
    }
    if r.responses is not None:
        rs = r.responses
        doc["responses"] = {
            "values": _arr(rs.values),
            "missing": rs.missing.tolist(),
            "na": rs.na.tolist(),
        }
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, indent=1)


def _shape2(a: Any, n: int, m: int) -> np.ndarray:
    out = _nan(a)
    return out.reshape(n, m) if out.size == n * m else out


def results_from_json(source: str | Path) -> Results:
    """Read :func:`results_to_json` output (a path or the text)."""
    from .rubric_yaml import rubric_from_yaml

    where = "<json>"
    if isinstance(source, Path) or (
        isinstance(source, str) and not source.lstrip().startswith("{")
    ):
        where = str(source)
        try:
            source = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise ResponseError([Problem(f"cannot read results file: {e}", where)]) from None
    try:
        doc = json.loads(source)
        if doc.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} document")
        rubric = rubric_from_yaml(doc["rubric_yaml"], source=f"{where}#rubric_yaml")
        prov = Provenance(**doc["provenance"])
        n, m, k = len(doc["agencies"]), len(rubric.indicators), len(doc["node_ids"])
        periods = tuple(normalise_period(p) for p in doc["periods"])
        attributes = tuple((a, tuple(v)) for a, v in doc["attributes"].items())
        responses = None
        if doc["responses"] is not None:
            responses = ResponseSet(
                rubric_id=rubric.id,
                indicator_ids=tuple(x.id for x in rubric.indicators),
                agencies=_answer_keys(doc["agencies"], doc["origin"]),
                periods=periods,
                values=_shape2(doc["responses"]["values"], n, m),
                missing=np.array(doc["responses"]["missing"], bool).reshape(n, m),
                na=np.array(doc["responses"]["na"], bool).reshape(n, m),
                attributes=attributes,
            )
        return Results(
            rubric=rubric,
            responses=responses,
            agencies=tuple(doc["agencies"]),
            periods=periods,
            attributes=attributes,
            indicator_scores=_shape2(doc["indicator_scores"], n, m),
            node_ids=tuple(doc["node_ids"]),
            node_scores=_shape2(doc["node_scores"], n, k),
            node_exact=_shape2(doc["node_exact"], n, k),
            node_coverage=_shape2(doc["node_coverage"], n, k),
            overall=_nan(doc["overall"]),
            overall_exact=_nan(doc["overall_exact"]),
            coverage=_nan(doc["coverage"]),
            band=tuple(doc["band"]),
            trend=tuple(doc["trend"]),
            group=tuple(doc["group"]),
            rank=np.array(doc["rank"], np.int64),
            change=_nan(doc["change"]),
            in_population=np.array(doc["in_population"], bool),
            origin=tuple(doc["origin"]),
            provenance=prov,
        )
    except ResponseError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise ResponseError(
            [Problem(f"not a valid results file: {e}", where, hint="write it with Results.to_json")]
        ) from None


# -- CSV ---------------------------------------------------------------------------------
PROV_COLS = ("rubric", "rubric_version", "rubric_sha256", "library_version", "methods")


def _cell(x: float) -> str:
    return "" if math.isnan(x) else repr(float(x))


class _Writer:
    """``csv.writer`` with ``\\n`` line ends that also quotes a row with a carriage return
    in a cell (the csv module only quotes the characters of its line terminator, and an
    unquoted ``\\r`` cannot be read back)."""

    def __init__(self, buf: io.StringIO) -> None:
        self.plain = csv.writer(buf, lineterminator="\n")
        self.quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: list[Any]) -> None:
        cr = any(isinstance(x, str) and "\r" in x for x in row)
        (self.quoted if cr else self.plain).writerow(row)


def results_to_csv(r: Results) -> str:
    """CSV: record columns first (what a person reads), then exact detail columns."""
    attrs_ = [k for k, _ in r.attributes]
    inds = r.rubric.indicators
    head = [
        "agency",
        "period",
        *attrs_,
        "overall",
        "band",
        "trend",
        "group",
        "rank",
        "coverage",
        "change",
        *r.node_ids,
        "origin",
        "population",
        "overall.exact",
        *(f"exact.{n}" for n in r.node_ids),
        *(f"coverage.{n}" for n in r.node_ids),
        *(f"score.{x.id}" for x in inds),
        *(f"answer.{x.id}" for x in inds),
        *PROV_COLS,
    ]
    buf = io.StringIO()
    w = _Writer(buf)
    w.writerow(head)
    p = r.provenance
    for i in range(len(r)):
        answers: list[str] = []
        for j, x in enumerate(inds):
            if r.responses is None:
                answers.append("")
            elif r.responses.na[i, j]:
                answers.append("n/a")
            elif r.responses.missing[i, j]:
                answers.append("")
            else:
                v = float(r.responses.values[i, j])
                answers.append(repr(v) if x.scale.type == "numeric" else x.scale.render(v))
        w.writerow(
            [
                r.agencies[i],
                r.periods[i],
                *(dict(r.attributes)[a][i] or "" for a in attrs_),
                _cell(r.overall[i]),
                r.band[i] or "",
                r.trend[i] or "",
                r.group[i] or "",
                int(r.rank[i]) or "",
                _cell(r.coverage[i]),
                _cell(r.change[i]),
                *(_cell(x) for x in r.node_scores[i]),
                r.origin[i],
                int(r.in_population[i]),
                _cell(r.overall_exact[i]),
                *(_cell(x) for x in r.node_exact[i]),
                *(_cell(x) for x in r.node_coverage[i]),
                *(_cell(x) for x in r.indicator_scores[i]),
                *answers,
                p.rubric_id,
                p.rubric_version,
                p.rubric_sha256,
                p.library_version,
                p.methods_text(),
            ]
        )
    return buf.getvalue()


def _answer_keys(agencies: list[str] | tuple[str, ...], origin: list[str]) -> tuple[str, ...]:
    """Agency ids of ``Results.responses``: rolled-up rows are ``"<id>#rolled_up"`` there
    (see :func:`readiness_model.roll_up`), so a parent that also answered keeps both rows."""
    return tuple(
        f"{a}#{ROLLED_UP}" if o == ROLLED_UP else a for a, o in zip(agencies, origin, strict=True)
    )


def results_from_csv(source: str | Path, rubric: Rubric | None = None) -> Results:
    """Read :func:`results_to_csv` output. ``rubric`` defaults to the shipped rubric named
    in the file, which must have the same content hash."""
    from .rubric_yaml import load_rubric

    where = str(source)
    text = str(source)
    if "\n" not in text:
        try:
            with Path(source).open(encoding="utf-8-sig", newline="") as fh:
                text = fh.read()  # newline="": a quoted \r stays a \r
        except (OSError, UnicodeDecodeError) as e:
            raise ResponseError([Problem(f"cannot read results file: {e}", where)]) from None
    else:
        where = "<csv>"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if len(rows) < 2:
        raise ResponseError([Problem("results CSV has no rows", where)])
    head, body = rows[0], rows[1:]
    try:
        pos = {h: i for i, h in enumerate(head)}
        first = body[0]
        if rubric is None:
            rubric = load_rubric(first[pos["rubric"]])
        if rubric.content_hash != first[pos["rubric_sha256"]]:
            raise ValueError(
                f"the file was scored with another version of rubric "
                f"{first[pos['rubric']]!r} (hash differs); pass rubric="
            )
        inds = rubric.indicators
        node_ids = tuple(h for h in head[pos["change"] + 1 : pos["origin"]])
        attr_names = head[2 : pos["overall"]]

        def col(name: str) -> list[str]:
            return [row[pos[name]] for row in body]

        def fcol(name: str) -> np.ndarray:
            return np.array([float(c) if c else np.nan for c in col(name)])

        def fmat(prefix: str, names: Any) -> np.ndarray:
            return (
                np.column_stack([fcol(f"{prefix}{n}") for n in names])
                if len(names)
                else np.zeros((len(body), 0))
            )

        periods = tuple(normalise_period(p) for p in col("period"))
        attributes = tuple((a, tuple(c or None for c in col(a))) for a in attr_names)
        responses = None
        if any(o == "answers" for o in col("origin")):
            records = []
            keys = _answer_keys(col("agency"), col("origin"))
            for i, row in enumerate(body):
                rec: dict[str, Any] = {"agency": keys[i], "period": periods[i]}
                for x in inds:
                    rec[x.id] = row[pos[f"answer.{x.id}"]]
                records.append(rec)
            base = ResponseSet.from_records(records, rubric)
            responses = ResponseSet(
                rubric_id=base.rubric_id,
                indicator_ids=base.indicator_ids,
                agencies=base.agencies,
                periods=base.periods,
                values=base.values,
                missing=base.missing,
                na=base.na,
                attributes=attributes,
            )
        return Results(
            rubric=rubric,
            responses=responses,
            agencies=tuple(col("agency")),
            periods=periods,
            attributes=attributes,
            indicator_scores=fmat("score.", [x.id for x in inds]),
            node_ids=node_ids,
            node_scores=fmat("", node_ids),
            node_exact=fmat("exact.", node_ids),
            node_coverage=fmat("coverage.", node_ids),
            overall=fcol("overall"),
            overall_exact=fcol("overall.exact"),
            coverage=fcol("coverage"),
            band=tuple(c or None for c in col("band")),
            trend=tuple(c or None for c in col("trend")),
            group=tuple(c or None for c in col("group")),
            rank=np.array([int(c) if c else 0 for c in col("rank")], np.int64),
            change=fcol("change"),
            in_population=np.array([c == "1" for c in col("population")]),
            origin=tuple(col("origin")),
            provenance=Provenance(
                first[pos["rubric"]],
                first[pos["rubric_version"]],
                first[pos["rubric_sha256"]],
                first[pos["library_version"]],
                Provenance.parse_methods(first[pos["methods"]]) if "methods" in pos else (),
            ),
        )
    except ResponseError:
        raise
    except (ValueError, KeyError, IndexError) as e:
        raise ResponseError(
            [Problem(f"not a valid results CSV: {e}", where, hint="write it with Results.to_csv")]
        ) from None
