"""Benchmarks: the engine against a numpy floor, a naive loop and other MCDA libraries.

Run:  python benchmarks/run.py [--quick] [--big] [--rounds K] [--all] [--only NAME ...]

The engine table (issue 18): every indicator min-max normalised over the population,
weighted means into 6 dimensions, the weighted mean of the dimensions (the index), for
1,000 × 50 up to 1,000,000 × 50 (agencies × indicators). For each size it times

* the numpy floor: min-max normalisation + one matrix product (indicators → dimensions)
  + the dimensions' weighted mean, nothing else;
* a naive loop: plain Python over agencies and indicators (timed on a sample of rows and
  scaled up, since the full loop at 100,000 × 200 takes minutes);
* ``rm.score`` on a ResponseSet built beforehand, and ``from_array`` + ``score``;
* scikit-criteria (``MinMaxScaler`` + ``WeightedSumModel`` on a DecisionMatrix built
  beforehand, and with ``mkdm`` timed too) and pymcdm (``WSM`` with min-max
  normalisation), where installed (``pip install readiness-model[bench]``), up to
  100,000 × 200.

Rounds are interleaved (every method once per round, in a rotating order), so that a
busy machine slows all methods alike; the table gives the median and the minimum, and
ratios of minima. Peak memory is the largest allocation traced by ``tracemalloc``
during one call, as a multiple of the input matrix (N × M float64).

Other benchmarks live beside this file: a module ``benchmarks/bench_NAME.py`` that
defines ``run(quick: bool = False, big: bool = False) -> list[str]`` (lines to print;
a ``run`` that takes fewer of these keywords gets only those) is discovered and run
after the engine table. Modules setting ``DEFAULT = True`` run every time; the others
with ``--all``, or when named: ``--only io`` runs ``bench_io.py`` (``--only engine``
the engine table). ``--io`` is kept as a shorthand for ``--only io``.
No assertions: numbers are for the reader (and the closing notes of the issues).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import inspect
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import readiness_model as rm  # noqa: E402

SIZES = [(1_000, 50, 15), (10_000, 100, 9), (100_000, 200, 5), (1_000_000, 50, 3)]
OTHERS_UP_TO = 100_000 * 200  # scikit-criteria and pymcdm: up to this many cells


def make(
    n: int,
    m: int,
    dims: int = 6,
    seed: int = 0,
    *,
    bands: bool = False,
    normalize: str | None = None,
) -> tuple[rm.Rubric, rm.ResponseSet]:
    """A rubric of ``m`` numeric indicators (goalposts 0-100, or the population method
    ``normalize``) in ``dims`` dimensions (three bands when ``bands``), and answers."""
    rubric = make_rubric(m, dims, seed, bands=bands, normalize=normalize)
    values = make_values(n, m, seed)
    agencies = [f"a{i}" for i in range(n)]
    return rubric, rm.ResponseSet.from_array(values, agencies, rubric, period=1)


def make_rubric(
    m: int, dims: int = 6, seed: int = 0, *, bands: bool = False, normalize: str | None = None
) -> rm.Rubric:
    """The benchmark rubric (see :func:`make`)."""
    rng = np.random.default_rng(seed)
    per = np.array_split(np.arange(m), dims)
    weights = rng.integers(1, 5, size=m).astype(float)
    how = {} if normalize is None else {"normalize": rm.Normalization(normalize)}
    dimensions = [
        rm.Dimension(
            f"d{k}",
            weight=float(k + 1),
            indicators=[
                rm.Indicator(
                    f"i{j}",
                    weight=weights[j],
                    scale=rm.NumericScale(goalposts=(0.0, 100.0)),
                    **how,  # type: ignore[arg-type]
                )
                for j in idx
            ],
        )
        for k, idx in enumerate(per)
    ]
    cuts = [
        rm.Band("high", range=rm.Range(min=60)),
        rm.Band("mid", range=rm.Range(min=40)),
        rm.Band("low"),
    ]
    return rm.Rubric("bench", dimensions=dimensions, bands=cuts if bands else ())


def make_values(n: int, m: int, seed: int = 0) -> np.ndarray:
    """Answers uniform on [-10, 110] (some outside the goalposts)."""
    return np.random.default_rng(seed + 1).uniform(-10, 110, size=(n, m))


def structure(rubric: rm.Rubric) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(indicator weights shared within their dimension, M × K; dimension index of each
    indicator; dimension shares, K) of a two-level rubric."""
    inds = rubric.indicators
    w = np.zeros((len(inds), len(rubric.dimensions)))
    dim = np.zeros(len(inds), np.int64)
    j = 0
    for k, d in enumerate(rubric.dimensions):
        for ind in d.indicators:
            w[j, k] = ind.weight
            dim[j] = k
            j += 1
    w /= w.sum(axis=0)
    dw = np.array([d.weight for d in rubric.dimensions])
    return w, dim, dw / dw.sum()


def floor_fn(rubric: rm.Rubric, values: np.ndarray) -> Callable[[], np.ndarray]:
    """The numpy floor: min-max + one matrix product + weighted mean of dimensions."""
    w, _, dw = structure(rubric)

    def run() -> np.ndarray:
        lo, hi = values.min(axis=0), values.max(axis=0)
        z = (values - lo) / (hi - lo)
        return (z @ w) @ dw * 100.0

    return run


def naive_fn(rubric: rm.Rubric, values: np.ndarray) -> Callable[[], list[float]]:
    """Plain Python: loops over columns (min and max), agencies, dimensions, indicators."""
    dims = [(d.weight, [i.weight for i in d.indicators]) for d in rubric.dimensions]
    rows = values.tolist()
    m = values.shape[1]

    def run() -> list[float]:
        lo = [min(r[j] for r in rows) for j in range(m)]
        hi = [max(r[j] for r in rows) for j in range(m)]
        out = []
        for row in rows:
            j = 0
            total = wsum = 0.0
            for dw, inds in dims:
                s = ws = 0.0
                for w in inds:
                    s += w * (row[j] - lo[j]) / (hi[j] - lo[j])
                    ws += w
                    j += 1
                total += dw * s / ws
                wsum += dw
            out.append(100.0 * total / wsum)
        return out

    return run


def skcriteria_fns(
    rubric: rm.Rubric, values: np.ndarray
) -> tuple[Callable[[], Any], Callable[[], Any]] | None:
    """scikit-criteria: min-max scaler + weighted sum, on a built DecisionMatrix and
    with ``mkdm`` (None when not installed)."""
    try:
        import skcriteria as skc
        from skcriteria.agg.simple import WeightedSumModel
        from skcriteria.preprocessing.scalers import MinMaxScaler
    except ImportError:
        return None
    w, _, dw = structure(rubric)
    flat = w @ dw  # the index is linear: one weight per indicator
    objectives = [max] * values.shape[1]
    dm = skc.mkdm(values, objectives, weights=flat)
    scaler, model = MinMaxScaler(target="matrix"), WeightedSumModel()

    def built() -> Any:
        return model.evaluate(scaler.transform(dm))

    def with_mkdm() -> Any:
        return model.evaluate(scaler.transform(skc.mkdm(values, objectives, weights=flat)))

    return built, with_mkdm


def pymcdm_fn(rubric: rm.Rubric, values: np.ndarray) -> Callable[[], Any] | None:
    """pymcdm: WSM with min-max normalisation, then its ranking (None when not installed)."""
    try:
        from pymcdm.methods import WSM
        from pymcdm.normalizations import minmax_normalization
    except ImportError:
        return None
    w, _, dw = structure(rubric)
    flat = w @ dw
    types = np.ones(values.shape[1])
    wsm = WSM(normalization_function=minmax_normalization)

    def run() -> Any:
        return wsm.rank(wsm(values, flat, types))

    return run


def interleaved(
    fns: dict[str, Callable[[], object]], rounds: int, *, warm: bool = True
) -> dict[str, list[float]]:
    """Seconds of each function over ``rounds`` rounds, every function once per round in
    a rotating order (after one warm-up call each when ``warm``)."""
    names = list(fns)
    for name in names if warm else ():
        fns[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            gc.collect()
            t0 = time.perf_counter()
            fns[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def peak_bytes(fn: Callable[[], object]) -> int:
    """The largest traced allocation total during one call (``tracemalloc``)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def versions() -> str:
    """The versions of everything measured."""
    from importlib.metadata import PackageNotFoundError, version

    out = [f"readiness-model {rm.__version__}", f"numpy {np.__version__}"]
    for dist in ("scikit-criteria", "pymcdm"):
        try:
            out.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            out.append(f"{dist} not installed")
    return ", ".join(out)


def bench(n: int, m: int, rounds: int, sample: int = 2_000) -> list[str]:
    """One size of the engine table."""
    rubric = make_rubric(m, normalize="minmax")
    values = make_values(n, m)
    agencies = [f"a{i}" for i in range(n)]
    responses = rm.ResponseSet.from_array(values, agencies, rubric, period=1)
    fns: dict[str, Callable[[], object]] = {
        "numpy floor": floor_fn(rubric, values),
        "rm.score": lambda: rm.score(rubric, responses),
        "from_array + score": lambda: rm.score(
            rubric, rm.ResponseSet.from_array(values, agencies, rubric, period=1)
        ),
        "from_array(copy=False) + score": lambda: rm.score(
            rubric, rm.ResponseSet.from_array(values, agencies, rubric, period=1, copy=False)
        ),
    }
    others = n * m <= OTHERS_UP_TO
    skc = skcriteria_fns(rubric, values) if others else None
    if skc is not None:
        fns["scikit-criteria"], fns["scikit-criteria + mkdm"] = skc
    pym = pymcdm_fn(rubric, values) if others else None
    if pym is not None:
        fns["pymcdm"] = pym
    times = interleaved(fns, rounds)
    part = min(n, sample)
    naive_fn(rubric, values[:part])()
    naive = min(interleaved({"naive": naive_fn(rubric, values[:part])}, 1)["naive"]) * n / part
    mem = {name: peak_bytes(fn) / values.nbytes for name, fn in fns.items()}
    # the engine agrees with the floor
    err = float(np.max(np.abs(fns["numpy floor"]() - rm.score(rubric, responses).overall)))
    best = {name: min(t) for name, t in times.items()}
    floor = best["numpy floor"]
    lines = [
        f"{n:,} × {m} ({rounds} rounds; ms; ×floor and ×skcriteria: ratios of minima; "
        f"peak: tracemalloc / input matrix {values.nbytes / 1e6:,.1f} MB)",
        f"  {'method':<32}{'median':>10}{'min':>10}{'×floor':>9}{'×skc':>8}{'peak':>8}",
    ]
    ref = best.get("scikit-criteria")
    for name, t in times.items():
        vs = f"{best[name] / ref:7.2f}×" if ref else f"{'—':>8}"
        lines.append(
            f"  {name:<32}{statistics.median(t) * 1e3:10.2f}{best[name] * 1e3:10.2f}"
            f"{best[name] / floor:8.2f}×{vs}{mem[name]:7.2f}×"
        )
    lines.append(
        f"  {'naive loop (sampled, scaled)':<32}{'':>10}{naive * 1e3:10.1f}{naive / floor:8.1f}×"
    )
    if not others:
        lines.append("  scikit-criteria and pymcdm: not run at this size")
    lines.append(f"  max |rm.score − floor| = {err:.1e}")
    return lines


def modules() -> list[str]:
    """The names of the benchmark modules beside this file (``bench_NAME.py`` → NAME)
    that this script runs: those with a ``run(quick=, big=)`` function. The others
    (``bench_dask.py``, hours at full size; ``bench_hostile_yaml.py``) are run
    directly."""
    names = []
    for p in sorted(HERE.glob("bench_*.py")):
        if "def run(" not in p.read_text(encoding="utf-8"):
            continue
        try:
            mod = importlib.import_module(p.stem)
        except ImportError:  # an optional library it measures is not installed
            continue
        run = getattr(mod, "run", None)
        params = inspect.signature(run).parameters.values() if run is not None else None
        if params is not None and all(
            x.name in ("quick", "big") or x.default is not x.empty for x in params
        ):
            names.append(p.stem[len("bench_") :])
    return names


def run_module(name: str, quick: bool, big: bool) -> list[str]:
    """Import ``bench_NAME`` and call its ``run`` with the keywords it accepts."""
    mod = importlib.import_module(f"bench_{name}")
    accepted = inspect.signature(mod.run).parameters
    kw = {k: v for k, v in (("quick", quick), ("big", big)) if k in accepted}
    lines: list[str] = mod.run(**kw)
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes only")
    ap.add_argument("--big", action="store_true", help="passed to the other benchmarks")
    ap.add_argument("--rounds", type=float, default=1.0, help="multiply the rounds by this")
    ap.add_argument("--all", action="store_true", help="every benchmark module")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="engine and/or module names")
    ap.add_argument("--io", action="store_true", help="shorthand for --only io")
    args = ap.parse_args()
    only = set(args.only or ()) | ({"io"} if args.io else set())
    print(versions(), flush=True)
    if not only or "engine" in only:
        sizes = SIZES[:2] if args.quick else SIZES
        for n, m, rounds in sizes:
            for line in bench(n, m, max(1, round(rounds * args.rounds))):
                print(line, flush=True)
    names = modules()
    for name in sorted(only - {"engine"} - set(names)):
        print(
            f"{name}: no such benchmark here (run.py runs {', '.join(names)}; "
            f"run the others directly: python benchmarks/bench_NAME.py)",
            flush=True,
        )
    for name in names:
        if only:
            if name not in only:
                continue
        elif not args.all and not getattr(importlib.import_module(f"bench_{name}"), "DEFAULT", 0):
            continue
        for line in run_module(name, args.quick, args.big):
            print(line, flush=True)


if __name__ == "__main__":
    main()
