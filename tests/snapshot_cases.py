"""Cases of the behaviour snapshot (``tests/test_snapshot.py``).

Every case scores fixed inputs through the public API and reduces the output to plain
data whose floats are written with ``float.hex``, so that a comparison is bit for bit.
The cases cover every shipped rubric's golden examples, the bundled demo survey (with
roll-up, explanations, gap plans and a sensitivity run), the published-index fixtures
and a "zoo" of hand-built rubrics that use every normalisation, aggregation, missing
policy, coverage rule, rescale, rounding, band gate, trend class and group.

Regenerate the stored snapshot (only when a behaviour change is intended, and say so in
the CHANGELOG)::

    READINESS_SNAPSHOT_UPDATE=1 python -m pytest tests/test_snapshot.py
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

import readiness_model as rm

REF = Path(__file__).parent / "data" / "reference"


# -- reduction to plain, bit-exact data -------------------------------------------------------
def _f(x: Any) -> Any:
    x = float(x)
    return "nan" if np.isnan(x) else x.hex()


def arr(a: Any) -> Any:
    """A float/int/bool array as nested lists; floats as ``float.hex`` strings."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        return np.vectorize(_f, otypes=[object])(a).tolist() if a.size else a.tolist()
    return a.tolist()


def results_data(res: rm.Results) -> dict[str, Any]:
    """Everything a Results holds that scoring decides."""
    return {
        "agencies": list(res.agencies),
        "periods": [str(p) for p in res.periods],
        "node_ids": list(res.node_ids),
        "indicator_scores": arr(res.indicator_scores),
        "node_exact": arr(res.node_exact),
        "node_scores": arr(res.node_scores),
        "node_coverage": arr(res.node_coverage),
        "overall_exact": arr(res.overall_exact),
        "overall": arr(res.overall),
        "coverage": arr(res.coverage),
        "change": arr(res.change),
        "band": list(res.band),
        "trend": list(res.trend),
        "group": list(res.group),
        "rank": arr(res.rank),
        "in_population": arr(res.in_population),
        "origin": list(res.origin),
        "rubric": [res.provenance.rubric_id, res.provenance.rubric_version],
        "sha256": res.provenance.rubric_sha256,
    }


def explain_data(ex: rm.Explanation) -> dict[str, Any]:
    return {
        "contributions": [
            [
                c.indicator,
                str(c.answer),
                c.status,
                _f(c.normalised),
                _f(c.weight),
                _f(c.effective_weight),
                _f(c.contribution),
                {k: _f(v) for k, v in sorted(c.by_node.items())},
            ]
            for c in ex.contributions
        ],
        "node_exact": {k: _f(v) for k, v in sorted(ex.node_exact.items())},
        "methods": dict(sorted(ex.methods.items())),
        "total": _f(ex.total()),
    }


def gap_data(g: rm.Gap) -> dict[str, Any]:
    return {
        "target": g.target_band,
        "reached": g.reached,
        "method": g.method,
        "overall_after": _f(g.overall_after),
        "band_after": g.band_after,
        "changes": [[c.indicator, str(c.proposed), _f(c.gain)] for c in g.changes],
        "alternatives": [[c.indicator for c in o.changes] for o in g.alternatives],
    }


def sensitivity_data(s: rm.Sensitivity) -> dict[str, Any]:
    return {
        "rank_interval": arr(s.rank_interval),
        "band_probability": arr(s.band_probability),
        "no_band_probability": arr(s.no_band_probability),
        "first_order": arr(s.first_order_by_row),
        "nan_draws": arr(s.nan_draws),
    }


# -- inputs --------------------------------------------------------------------------------
def demo() -> tuple[rm.Rubric, rm.ResponseSet]:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    path = files("readiness_model") / "data" / "demo-survey-2015-2016.csv"
    return rubric, rm.load_responses(path, rubric)


def examples_responses(rubric: rm.Rubric) -> rm.ResponseSet:
    records = [{"agency": ex.agency, "period": 0, **dict(ex.answers)} for ex in rubric.examples]
    return rm.ResponseSet.from_records(records, rubric)


def egdi(year: int) -> tuple[rm.Rubric, rm.ResponseSet]:
    rubric = rm.load_rubric(f"un-egdi-{year}")
    with (REF / f"egdi-{year}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = [h.casefold() for h in rows[0]]
    rc = next(i for i, h in enumerate(header) if "rank" in h)
    recs = [
        {
            "agency": r[rc - 1].strip(),
            "period": year,
            "osi": r[rc + 3],
            "hci": r[rc + 4],
            "tii": r[rc + 5],
        }
        for r in rows[1:]
    ]
    return rubric, rm.ResponseSet.from_records(recs, rubric)


def gtmi() -> tuple[rm.Rubric, rm.ResponseSet]:
    rubric = rm.load_rubric("wb-gtmi-2022")
    with (REF / "gtmi-2020-2022-2025.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    recs = [
        {
            "agency": r["country_code"].strip(),
            "period": int(r["year"]),
            **{k: r[k] for k in ("cgsi", "psdi", "dcei", "gtei")},
        }
        for r in rows
    ]
    return rubric, rm.ResponseSet.from_records(recs, rubric)


# -- the zoo: every method on random answers ----------------------------------------------
def _zoo_rubric(root: Any, missing: str) -> rm.Rubric:
    yn = rm.BinaryScale()
    lv = rm.OrdinalScale(("none", "planned", "piloted", "deployed", "optimised"))
    lv_values = rm.OrdinalScale(("none", "some", "all"), values=(0.0, 0.7, 1.0))
    ck = rm.ChecklistScale(("form", "pay", "track", "sign"))
    ck_values = rm.ChecklistScale(("a", "b", "c"), values=(0.5, 0.4, 0.3))
    ch = rm.ChoiceScale(("none", "cloud", "on-prem"), values=(0.0, 1.0, 0.4))
    num = rm.NumericScale(goalposts=(0, 10), unit="%")
    num_free = rm.NumericScale()
    num_noclamp = rm.NumericScale(goalposts=(90, 100), clamp=False)
    Ind, N, A = rm.Indicator, rm.Normalization, rm.Aggregation
    policy = rm.Dimension(
        "policy",
        weight=2,
        indicators=[
            Ind("plan", scale=yn, weight=2),
            Ind("budget", scale=num, weight=1.5),
            Ind("maturity", scale=lv),
            Ind("maturity2", scale=lv_values, missing="reweight"),
            Ind("downtime", scale=rm.NumericScale(goalposts=(0, 200)), direction="lower_is_better"),
        ],
    )
    infra = rm.Dimension(
        "infra",
        aggregate=A("geometric"),
        min_coverage=0.5,
        indicators=[
            Ind("features", scale=ck),
            Ind("features2", scale=ck_values, weight=0.5),
            Ind("hosting", scale=ch),
            Ind("uptime", scale=num_noclamp),
        ],
    )
    people = rm.Dimension(
        "people",
        weight=3,
        rescale="minmax",
        dimensions=[
            rm.Dimension(
                "skills",
                aggregate=A("power", p=2.0),
                indicators=[
                    Ind("staff_z", scale=num_free, normalize=N("zscore")),
                    Ind("staff_mm", scale=num_free, normalize=N("minmax"), weight=2),
                    Ind("staff_rank", scale=num_free, normalize=N("rank")),
                ],
            ),
            rm.Dimension(
                "reach",
                aggregate=A("harmonic"),
                missing="reweight",
                indicators=[
                    Ind("pct", scale=num_free, normalize=N("percentile")),
                    Ind("tgt", scale=num_free, normalize=N("target", target=80)),
                    Ind(
                        "tgt_low",
                        scale=num_free,
                        normalize=N("target", target=20),
                        direction="lower_is_better",
                    ),
                    Ind("lvl_rank", scale=lv, normalize=N("minmax")),
                ],
            ),
            rm.Dimension(
                "floor",
                aggregate=A("minimum"),
                weight=0.5,
                indicators=[
                    Ind("f1", scale=yn),
                    Ind("f2", scale=lv),
                    Ind("f3", scale=yn, weight=0),
                ],
            ),
            rm.Dimension(
                "neg",
                aggregate=A("power", p=-1.5),
                indicators=[Ind("n1", scale=lv), Ind("n2", scale=num, weight=3)],
            ),
        ],
    )
    return rm.Rubric(
        "zoo",
        version="1",
        scale=(0, 100),
        rounding=2,
        defaults=rm.Defaults(aggregate=root, missing=missing),
        population={"kind": "department"},
        dimensions=[policy, infra, people],
        bands=[
            rm.Band("advanced", range=rm.Range(min=70), all_dimensions=50),
            rm.Band(
                "developed", range=rm.Range(min=55), dimensions={"policy": 40}, min_coverage=0.6
            ),
            rm.Band("developing", range=rm.Range(min=35, below=55)),
            rm.Band("initial", range=rm.Range(max=35)),
        ],
        trend=[
            rm.TrendClass("up", change=rm.Range(min=2)),
            rm.TrendClass("flat", change=rm.Range(above=-2, below=2)),
            rm.TrendClass("down"),
        ],
        groups=[
            rm.Group("leaders", bands=("advanced", "developed"), trend=("up", "flat")),
            rm.Group("risers", trend=("up",)),
            rm.Group("others"),
        ],
    )


def _zoo_answers(rubric: rm.Rubric, seed: int, n: int = 60) -> rm.ResponseSet:
    rng = np.random.default_rng(seed)
    inds = rubric.indicators
    cols = []
    for x in inds:
        s = x.scale
        if isinstance(s, rm.BinaryScale):
            c = rng.integers(0, 2, n).astype(float)
        elif isinstance(s, rm.OrdinalScale):
            c = rng.integers(0, len(s.levels), n).astype(float)
        elif isinstance(s, rm.ChoiceScale):
            c = rng.integers(0, len(s.options), n).astype(float)
        elif isinstance(s, rm.ChecklistScale):
            c = rng.integers(0, 2 ** len(s.items), n).astype(float)
        elif s.goalposts is not None and not s.clamp:
            c = rng.uniform(*s.goalposts, n)
        elif s.goalposts is not None:
            lo, hi = s.goalposts
            c = rng.uniform(lo - 0.2 * (hi - lo), hi + 0.2 * (hi - lo), n)
        else:
            c = np.round(rng.normal(50, 20, n), 1)  # ties for rank/percentile
        cols.append(c)
    values = np.column_stack(cols)
    values[rng.random(values.shape) < 0.08] = np.nan
    na = rng.random(values.shape) < 0.05
    agencies = [f"a{i % (n // 2):02d}" for i in range(n)]
    periods = [2015 if i < n // 2 else 2016 for i in range(n)]
    kind = ["department" if i % 3 else "ministry" for i in range(n)]
    parent = [
        None if k == "ministry" else f"a{(i // 3) * 3 % (n // 2):02d}" for i, k in enumerate(kind)
    ]
    return rm.ResponseSet.from_array(
        values,
        agencies,
        rubric,
        period=periods,
        na=na,
        attributes={"kind": kind, "parent": parent},
    )


ZOO = {
    "arithmetic-zero": (rm.Aggregation("arithmetic"), "zero"),
    "geometric-reweight": (rm.Aggregation("geometric"), "reweight"),
    "harmonic-zero": (rm.Aggregation("harmonic"), "zero"),
    "power3-reweight": (rm.Aggregation("power", p=3.0), "reweight"),
    "minimum-zero": (rm.Aggregation("minimum"), "zero"),
}


# -- the cases -----------------------------------------------------------------------------
def cases() -> Iterator[tuple[str, Callable[[], Any]]]:
    """(name, thunk) pairs; each thunk returns the plain data of one case."""
    for name in rm.shipped_rubrics():

        def shipped(name: str = name) -> Any:
            r = rm.load_rubric(name)
            return results_data(rm.score(r, examples_responses(r)))

        yield f"examples/{name}", shipped

    def demo_score() -> Any:
        return results_data(rm.score(*demo()))

    def demo_rollup() -> Any:
        return results_data(rm.roll_up(rm.score(*demo())))

    def demo_explain() -> Any:
        res = rm.score(*demo())
        return {
            f"{a}/{p}": explain_data(rm.explain(res, a, period=p))
            for a, p in (("dbd", 2016), ("moc", 2016), (res.agencies[7], res.periods[7]))
        }

    def demo_gap() -> Any:
        res = rm.score(*demo())
        out = {}
        for a in ("dbd", res.agencies[11], res.agencies[40]):
            try:
                out[a] = gap_data(rm.gap(res, a, period=2016))
            except rm.ReadinessError as e:
                out[a] = f"error: {e}"
        return out

    def demo_sensitivity() -> Any:
        r, rs = demo()
        return sensitivity_data(rm.sensitivity(r, rs, samples=40, seed=3))

    def demo_sensitivity_alt() -> Any:
        r, rs = demo()
        s = rm.sensitivity(
            r,
            rs,
            samples=30,
            seed=5,
            weights="multiplicative",
            alternatives={
                "aggregate": ["arithmetic", "geometric"],
                "missing": ["zero", "reweight"],
            },
        )
        return sensitivity_data(s)

    yield "demo/score", demo_score
    yield "demo/roll_up", demo_rollup
    yield "demo/explain", demo_explain
    yield "demo/gap", demo_gap
    yield "demo/sensitivity", demo_sensitivity
    yield "demo/sensitivity-alternatives", demo_sensitivity_alt
    for year in (2016, 2018, 2022, 2024):
        yield f"published/egdi-{year}", lambda year=year: results_data(rm.score(*egdi(year)))
    yield "published/gtmi", lambda: results_data(rm.score(*gtmi()))
    for zname, (root, missing) in ZOO.items():

        def zoo(root: Any = root, missing: str = missing) -> Any:
            r = _zoo_rubric(root, missing)
            rs = _zoo_answers(r, seed=11)
            res = rm.score(r, rs)
            return {
                "results": results_data(res),
                "roll_up": results_data(rm.roll_up(res)),
                "explain": {
                    f"{a}/{p}": explain_data(rm.explain(res, a, period=p))
                    for a, p in zip(res.agencies[30:36], res.periods[30:36], strict=True)
                },
                "sensitivity": sensitivity_data(rm.sensitivity(r, rs, samples=25, seed=1)),
            }

        yield f"zoo/{zname}", zoo
