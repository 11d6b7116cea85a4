"""Scoring past one machine on Dask: ``pip install "readiness-model[dask]"``.

Scoring is a pure function of arrays once the population statistics are known, so a
Dask DataFrame of answers (for example ``dask.dataframe.read_parquet``) is scored in
three steps, none of which holds more than a partition in one place:

1. :func:`population_dask`: each partition's :func:`~readiness_model.population`,
   merged in a tree (:meth:`~readiness_model.Population.merge`), in passes until
   complete (two passes when the rubric has population-relative methods: the second
   counts the rounded overall scores, which is all exact competition ranks need);
2. :func:`score_dask`: every partition scored against that population with
   ``map_partitions`` and ranked against it (``rank_against``), which gives each row
   the rank it has among the whole population;
3. the result is a lazy Dask DataFrame with the columns of
   :meth:`~readiness_model.Results.to_dataframe`, to write (``to_parquet``) or reduce.

:func:`sensitivity_dask` spreads Monte-Carlo weight draws over the workers of a
``distributed`` client, in blocks seeded by ``numpy.random.SeedSequence(seed).spawn``:
the same seed gives the same result on one worker or many. Without the extra,
importing this module raises :class:`~readiness_model.MissingExtraError` naming the pip
command. Guide: docs/past-one-machine.md.

>>> DASK_HINT
'pip install "readiness-model[dask]"'

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import MissingExtraError, Problem, ResponseError

DASK_HINT = 'pip install "readiness-model[dask]"'


def _require() -> tuple[Any, Any]:
    try:
        return importlib.import_module("dask"), importlib.import_module("dask.dataframe")
    except ImportError as err:
        raise MissingExtraError(
            [
                Problem(
                    "readiness_model.dask needs Dask (dask[dataframe]), which is not installed",
                    "dask",
                    hint=DASK_HINT,
                )
            ]
        ) from err


dask, dd = _require()

from ._dask_frames import Schema, partition_responses, results_frame  # noqa: E402
from .analysis.sensitivity import Sensitivity  # noqa: E402
from .analysis.sensitivity import sensitivity as _sensitivity  # noqa: E402
from .analysis.sensitivity_blocks import combine_blocks  # noqa: E402
from .engine import score  # noqa: E402
from .engine.frozen import check_population  # noqa: E402
from .engine.plan import compile_rubric  # noqa: E402
from .engine.population import population_of, rubric_steps  # noqa: E402
from .io.answer_cells import RESERVED_COLUMNS, Period  # noqa: E402
from .io.answer_table import kept_attributes  # noqa: E402
from .model import Rubric  # noqa: E402
from .populations import Population  # noqa: E402
from .responses import ResponseSet  # noqa: E402

__all__ = ["DASK_HINT", "block_seeds", "population_dask", "score_dask", "sensitivity_dask"]


def _check_columns(
    rubric: Rubric, ddf: Any, attributes: Sequence[str], period: Period | None
) -> None:
    """Every column problem at once, before anything is computed."""
    cols = [str(c) for c in ddf.columns]
    ids = [x.id for x in rubric.indicators]
    keep = kept_attributes(rubric, attributes)
    problems = []
    if "agency" not in cols:
        problems.append(
            Problem("the answers have no 'agency' column", "agency", hint="ddf.reset_index()")
        )
    if period is None and "period" not in cols:
        problems.append(
            Problem("the answers have no 'period' column", "period", hint="or pass period=")
        )
    lost = [i for i in ids if i not in cols]
    if lost:
        problems.append(
            Problem(
                f"no column for indicator(s) {', '.join(map(repr, lost))}",
                "columns",
                hint="every indicator of the rubric needs a column (blank cells are missing)",
            )
        )
    extra = [c for c in cols if c not in ids and c not in RESERVED_COLUMNS and c not in keep]
    if extra:
        problems.append(
            Problem(
                f"unknown column(s) {', '.join(map(repr, extra))}",
                "columns",
                hint="keep them with attributes=[...] or drop them (ddf.drop(columns=...))",
            )
        )
    if problems:
        raise ResponseError(problems)


def _part_population(
    df: Any,
    rubric: Rubric,
    attributes: Sequence[str],
    period: Period | None,
    known: Population | None,
    number: int,
    digest: str | None = None,
) -> Population:
    rs = partition_responses(
        df, rubric, attributes=attributes, period=period, where=f"partition {number}"
    )
    return population_of(rubric, rs, known, digest)


def _digest(pop: Population) -> str:
    return pop.answers_sha256


def _merge_tree(items: list[Any]) -> Any:
    """Pairwise merges, a tree of depth log2(partitions), run on the workers."""
    merge = dask.delayed(Population.merge, pure=True)
    while len(items) > 1:
        pairs = [merge(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
        items = pairs + ([items[-1]] if len(items) % 2 else [])
    return items[0]


def population_dask(
    rubric: Rubric,
    ddf: Any,
    *,
    attributes: Sequence[str] = (),
    period: Period | None = None,
) -> Population:
    """The population statistics of a Dask DataFrame of answers (as
    :func:`~readiness_model.population` of all of it), from partition statistics
    merged in a tree, in passes until complete.

    Args:
        rubric: The scoring method.
        ddf: A Dask DataFrame in the wide layout of answer files (``agency``,
            ``period``, attribute columns, one column per indicator with answers as
            written; numbers for numeric scales).
        attributes: Attribute columns to keep besides ``name``, ``kind``, ``parent``.
        period: The period of every row when there is no ``period`` column.

    Returns:
        A complete :class:`~readiness_model.Population`.

    Raises:
        ResponseError: a missing or unknown column, or bad answers (with the partition
            and row).

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> import readiness_model as rm
        >>> from readiness_model.dask import population_dask
        >>> q = rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q])])
        >>> df = pd.DataFrame({"agency": list("abcd"), "period": 2016, "q": [3.0, 1, 4, 1.5]})
        >>> pop = population_dask(r, dd.from_pandas(df, npartitions=2))
        >>> st = pop.statistics("q", 2016)
        >>> st.count, st.min, st.max, pop.rows
        (4, 1.0, 4.0, 4)
    """
    _check_columns(rubric, ddf, attributes, period)
    parts = ddf.to_delayed()
    task = dask.delayed(_part_population, pure=True)
    known: Population | None = None
    digests: list[str | None] = [None] * len(parts)  # each part's answers hash, once known
    for _ in range(len(rubric_steps(rubric, compile_rubric(rubric))) + 1):
        pops = [
            task(p, rubric, tuple(attributes), period, known, i, digests[i])
            for i, p in enumerate(parts)
        ]
        if known is None:  # the first pass: keep each part's hash for the next passes
            known, *digests = dask.compute(
                _merge_tree(pops), *[dask.delayed(_digest, pure=True)(p) for p in pops]
            )
        else:
            (known,) = dask.compute(_merge_tree(pops))
        assert known is not None
        if known.complete:
            return known
    raise AssertionError("population passes did not converge")  # pragma: no cover


def _score_part(
    df: Any,
    rubric: Rubric,
    attributes: Sequence[str],
    period: Period | None,
    pop: Population,
    schema: Schema,
    partition_info: dict[str, Any] | None = None,
) -> Any:
    number = (partition_info or {}).get("number", "?")
    rs = partition_responses(
        df, rubric, attributes=attributes, period=period, where=f"partition {number}"
    )
    res = score(rubric, rs, population=pop, rank_against=pop)
    return results_frame(res, schema, index=df.index)


def score_dask(
    rubric: Rubric,
    ddf: Any,
    *,
    attributes: Sequence[str] = (),
    period: Period | None = None,
    population: Population | None = None,
    by_agency: bool = False,
) -> Any:
    """Score a Dask DataFrame of answers: the same numbers as
    :func:`~readiness_model.score` of all of it (scores within 1e-12, the same bands
    and ranks), partition by partition.

    The population statistics (:func:`population_dask`, or ``population`` when given,
    e.g. a frozen round) are computed first; the scoring itself stays lazy. Ranks are
    exact competition ranks over the whole population of each period. With more than
    one period, the rows of an agency must be in one partition for ``change`` and
    trends: the answers are shuffled by agency unless ``by_agency=True`` says they
    already are (then the rows keep their order; after a shuffle they do not).

    Args:
        rubric: The scoring method.
        ddf: A Dask DataFrame in the wide layout of answer files (see
            :func:`population_dask`).
        attributes: Attribute columns to keep besides ``name``, ``kind``, ``parent``.
        period: The period of every row when there is no ``period`` column.
        population: Score against these statistics instead (a published round).
        by_agency: The partitions already hold every row of their agencies.

    Returns:
        A lazy Dask DataFrame with the columns of
        :meth:`~readiness_model.Results.to_dataframe` (dtypes fixed per column: text as
        pandas' string dtype, ``rank`` as ``Int64``, numbers as ``float64``), indexed
        like ``ddf``.

    Raises:
        ResponseError: a missing or unknown column, or bad answers.
        ReadinessError: ``population`` is not a complete population of ``rubric``.

    Example:
        >>> import pandas as pd, dask.dataframe as dd
        >>> import readiness_model as rm
        >>> from readiness_model.dask import score_dask
        >>> q = rm.Indicator("q", scale=rm.NumericScale(), normalize=rm.Normalization("minmax"))
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[q])], rounding=2)
        >>> df = pd.DataFrame({"agency": list("abcd"), "period": 2016, "q": [3.0, 1, 4, 1.5]})
        >>> out = score_dask(r, dd.from_pandas(df, npartitions=2)).compute()
        >>> out[["agency", "overall", "rank"]].values.tolist()
        [['a', 66.67, 2], ['b', 0.0, 4], ['c', 100.0, 1], ['d', 16.67, 3]]
    """
    _check_columns(rubric, ddf, attributes, period)
    if population is None:
        pop = population_dask(rubric, ddf, attributes=attributes, period=period)
    else:
        pop = check_population(rubric, population)
    empty = partition_responses(ddf._meta, rubric, attributes=attributes, period=period)
    whole = period is not None and isinstance(period, int)
    if period is None:
        whole = ddf._meta["period"].dtype.kind in "iu"
    schema = Schema(rubric, [k for k, _ in empty.attributes], [0] if whole else ["?"])
    if not by_agency and (population is not None or len(pop.periods) > 1):
        ddf = ddf.shuffle("agency")
    frozen = dask.delayed(pop, pure=True)
    return ddf.map_partitions(
        _score_part,
        rubric,
        tuple(attributes),
        period,
        frozen,
        schema,
        meta=schema.empty(),
    )


def _block(
    samples: int,
    seed: int,
    rubric: Rubric,
    responses: ResponseSet,
    options: dict[str, Any],
) -> Sensitivity:
    # the first-order indices are estimated once, from every block's draws (combine_blocks)
    options = {**options, "indices": False}
    return _sensitivity(rubric, responses, samples=samples, seed=seed, keep_draws=True, **options)


def block_seeds(seed: int | None, samples: int, block: int) -> list[tuple[int, int]]:
    """``(draws, seed)`` of each block of draws: block ``k`` is seeded by the ``k``-th
    child of ``numpy.random.SeedSequence(seed)``, whichever worker draws it.

    Example:
        >>> [n for n, _ in block_seeds(0, 250, 100)]
        [100, 100, 50]
        >>> block_seeds(0, 250, 100)[0] == block_seeds(0, 100, 100)[0]
        True
    """
    if block < 1:
        raise ValueError(f"block must be a whole number >= 1 (got {block})")
    sizes = [min(block, samples - start) for start in range(0, samples, block)]
    children = np.random.SeedSequence(seed).spawn(len(sizes))
    return [
        (n, int.from_bytes(c.generate_state(4, np.uint32).tobytes(), "little"))
        for n, c in zip(sizes, children, strict=True)
    ]


def sensitivity_dask(
    rubric: Rubric,
    responses: ResponseSet,
    client: Any,
    *,
    samples: int = 1000,
    seed: int | None = 0,
    block: int = 100,
    keep_draws: bool = False,
    **options: Any,
) -> Sensitivity:
    """:func:`~readiness_model.sensitivity` with its draws spread over the workers of
    a ``distributed`` client, in blocks of ``block`` draws.

    Block ``k`` draws with its own seed, the ``k``-th child of
    ``numpy.random.SeedSequence(seed)`` (:func:`block_seeds`), so the result depends on
    ``seed`` and ``block`` only, never on the number of workers or on which worker
    drew which block. (It differs from ``rm.sensitivity(seed=seed)``, which draws all
    samples from one stream.) Rank percentiles, band probabilities and first-order
    indices are computed from all draws at the end, exactly as ``sensitivity`` does.

    Args:
        rubric, responses: As for :func:`~readiness_model.sensitivity`.
        client: A ``distributed.Client``.
        samples: Number of draws (>= 1).
        seed: The root seed.
        block: Draws per block (a task); also what the seed is split by.
        keep_draws: Also return every draw.
        options: Any other argument of ``sensitivity`` (``weights``, ``alternatives``,
            ``vary``, ``indices_on``, ...).

    Returns:
        A :class:`~readiness_model.Sensitivity` over all ``samples`` draws.

    Example:
        >>> import readiness_model as rm
        >>> from distributed import Client
        >>> from readiness_model.dask import sensitivity_dask
        >>> r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[
        ...     rm.Indicator("a"), rm.Indicator("b", weight=3)])])
        >>> rs = rm.ResponseSet.from_array([[1, 0], [0, 1]], ["x", "y"], r)
        >>> with Client(processes=False, n_workers=1, dashboard_address=":0") as client:
        ...     s = sensitivity_dask(r, rs, client, samples=200, seed=1, block=50)
        >>> s.samples, s.rank_interval.tolist()
        (200, [[2.0, 2.0, 2.0], [1.0, 1.0, 1.0]])
    """
    if samples < 1:
        raise ValueError(f"samples must be >= 1 (got {samples})")
    plan = block_seeds(seed, samples, block)
    rb, rs = client.scatter([rubric, responses], broadcast=True)
    futures = client.map(
        _block,
        [n for n, _ in plan],
        [s for _, s in plan],
        rubric=rb,
        responses=rs,
        options=dict(options),
        pure=False,
    )
    parts: list[Sensitivity] = client.gather(futures)
    return combine_blocks(
        parts,
        samples,
        seed,
        keep_draws,
        options.get("indices_on", "overall"),
        bool(options.get("indices", True)),
    )
