"""What :func:`~readiness_model.sensitivity` draws: weights per weight group (all, one
level of the tree, or named nodes), method choices, and the weight tensors each draw
feeds to the engine's walk.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..engine.plan import OVERALL, NodeGroup, Plan, scaled_weights
from ..errors import Problem, ReadinessError, RubricError, did_you_mean
from ..model import Aggregation, Defaults, Dimension, Indicator, Normalization, Rubric
from ..model._validators import brief, finite
from ..model.methods import normalizations

ROOT = "overall"  # weight-group id of the top-level dimensions' weights
WEIGHT_SCHEMES = ("dirichlet", "multiplicative")
LEVELS = ("all", "dimensions", "indicators")
ALTERNATIVE_KEYS = ("aggregate", "missing", "normalize")
# A Dirichlet component can underflow to 0 at small concentrations, which would drop a
# child the rubric counts (and change a geometric node's zero rule): keep draws > 0.
_TINY = float(np.finfo(np.float64).tiny)


MAX_SAMPLES = 100_000
"""Most weight draws :func:`~readiness_model.sensitivity` makes unless its ``max_samples``
says otherwise: each draw keeps a score, a rank and a band per agency row, so 100,000
draws of 1,000 rows already hold about 1.4 GB."""


def bad(message: str, where: str, hint: str = "") -> ReadinessError:
    return ReadinessError([Problem(message, where, hint=hint)])


def weight_groups(rubric: Rubric) -> list[tuple[str, tuple[str, ...], np.ndarray]]:
    """Every weight group: (node id or ``"overall"``, child ids, nominal weights)."""
    out = [
        (
            d.id,
            tuple(c.id for c in d.children),
            np.array([c.weight for c in d.children], np.float64),
        )
        for d in rubric.all_dimensions
    ]
    out.append(
        (
            ROOT,
            tuple(d.id for d in rubric.dimensions),
            np.array([d.weight for d in rubric.dimensions], np.float64),
        )
    )
    return out


def varied_groups(rubric: Rubric, vary: str | Sequence[str]) -> tuple[str, ...]:
    """The weight groups whose weights are drawn: ``"all"``, ``"dimensions"`` (the
    top-level dimension weights), ``"indicators"`` (the indicator weights within every
    dimension), or one node id or a list of them (``"overall"``: the top-level weights)."""
    ids = [gid for gid, _, _ in weight_groups(rubric)]
    if isinstance(vary, str):
        if vary == "all":
            return tuple(ids)
        if vary == "dimensions":
            return (ROOT,)
        if vary == "indicators":
            return tuple(d.id for d in rubric.all_dimensions if d.indicators)
        if vary in ids:  # one node
            return (vary,)
        raise bad(
            f"'vary' must be one of {', '.join(LEVELS)}, a node id or a list of node ids "
            f"(got {vary!r})",
            "vary",
            hint=did_you_mean(vary, [*LEVELS, *ids]),
        )
    names = list(vary) if isinstance(vary, Sequence) else []
    if not names:
        raise bad(
            f"'vary' must name at least one node (got {vary!r})",
            "vary",
            hint=f"use one of {', '.join(LEVELS)}, or node ids such as {ids[0]!r}",
        )
    problems = [
        Problem(
            f"'vary' names {name!r}, which is not a node of rubric {rubric.id!r}",
            "vary",
            hint=did_you_mean(str(name), ids),
        )
        for name in names
        if name not in ids
    ]
    if problems:
        raise ReadinessError(problems)
    return tuple(gid for gid in ids if gid in names)


def check_args(
    samples: int,
    weights: str,
    concentration: float,
    noise: float,
    chunk: int | None,
    indices_on: str,
    max_samples: int = MAX_SAMPLES,
) -> None:
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise bad(f"'samples' must be a whole number >= 1 (got {samples!r})", "samples")
    if isinstance(max_samples, bool) or not isinstance(max_samples, int) or max_samples < 1:
        raise bad(f"'max_samples' must be a whole number >= 1 (got {max_samples!r})", "max_samples")
    if samples > max_samples:
        raise bad(
            f"'samples' is {samples:,}, more than the {max_samples:,} weight draws allowed",
            "samples",
            hint="a few thousand draws give stable rank intervals; to run more, raise "
            "max_samples (--max-samples on the command line) knowing each draw keeps a "
            "score, rank and band per agency row in memory",
        )
    if not isinstance(weights, str) or weights not in WEIGHT_SCHEMES:
        raise bad(
            f"'weights' must be one of {', '.join(WEIGHT_SCHEMES)} (got {weights!r})",
            "weights",
            hint="use 'dirichlet' (default) or 'multiplicative'",
        )
    inf = isinstance(concentration, float) and concentration == math.inf
    if not (inf or (finite(concentration) or 0.0) > 0):
        raise bad(
            f"'concentration' must be > 0 (got {brief(concentration)})",
            "concentration",
            hint="larger means less noise; math.inf means none",
        )
    noise_value = finite(noise)
    if noise_value is None or not 0 <= noise_value < 1:
        raise bad(
            f"'noise' must be in [0, 1) (got {brief(noise)})",
            "noise",
            hint="0.25 lets each weight move by up to ±25%",
        )
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise bad(f"'chunk' must be a whole number >= 1 (got {chunk!r})", "chunk")
    if not isinstance(indices_on, str) or indices_on not in ("overall", "rank"):
        raise bad(f"'indices_on' must be 'overall' or 'rank' (got {indices_on!r})", "indices_on")


def draw(
    rng: np.random.Generator,
    w: np.ndarray,
    samples: int,
    scheme: str,
    concentration: float,
    noise: float,
) -> np.ndarray:
    """``samples`` × children weight draws (shares); zero-noise draws are the nominal
    weights."""
    out = np.zeros((samples, w.size))
    if (scheme == "dirichlet" and math.isinf(concentration)) or (
        scheme == "multiplicative" and noise == 0
    ):
        out[:] = w
        return out
    pos = w > 0
    if int(pos.sum()) == 1:
        out[:, pos] = 1.0
        return out
    share = w[pos] / w[pos].sum()
    if scheme == "dirichlet":
        d = rng.dirichlet(concentration * share, size=samples)
    else:
        d = share * rng.uniform(1.0 - noise, 1.0 + noise, size=(samples, share.size))
    d = np.maximum(d, _TINY)
    out[:, pos] = d / d.sum(axis=1, keepdims=True)
    return out


def alternatives_of(
    alternatives: Mapping[str, Sequence[Any]] | None,
) -> list[tuple[str, tuple[Any, ...]]]:
    """The method choices to draw, checked against the registries."""
    if not alternatives:
        return []
    out: list[tuple[str, tuple[Any, ...]]] = []
    tryable = [s.name for s in normalizations() if not any(p.required for p in s.params)]
    for key in sorted(alternatives):
        opts = alternatives[key]
        where = f"alternatives.{key}"
        if key not in ALTERNATIVE_KEYS:
            raise bad(
                f"unknown alternative {key!r}",
                where,
                hint=f"expected one of: {', '.join(ALTERNATIVE_KEYS)}",
            )
        if isinstance(opts, str) or not isinstance(opts, Sequence) or not opts:
            raise bad(f"{where} must be a non-empty list of choices", where)
        parsed: list[Any] = []
        for o in opts:
            if key == "aggregate":
                parsed.append(_aggregation(o, where))
            elif key == "missing" and o not in ("zero", "reweight"):
                raise bad(
                    f"{where}: {o!r} is not a missing policy to try",
                    where,
                    hint="use 'zero' or 'reweight'",
                )
            elif key == "normalize" and o not in tryable:
                raise bad(
                    f"{where}: {o!r} is not a normalisation to try",
                    where,
                    hint=f"use {', '.join(tryable)} (methods without required parameters)",
                )
            else:
                parsed.append(o)
        out.append((key, tuple(parsed)))
    return out


def _aggregation(o: Any, where: str) -> Aggregation:
    if isinstance(o, Aggregation):
        return o
    try:
        return Aggregation.from_data(o)
    except RubricError:
        raise bad(
            f"{where}: {o!r} is not an aggregation",
            where,
            hint="use arithmetic, geometric, harmonic, minimum, {'power': p} or another "
            "registered aggregation",
        ) from None


def label(o: Any) -> str:
    """How a drawn choice is shown: ``geometric``, ``power(2)``."""
    if isinstance(o, Aggregation):
        if not o.params:
            return o.method
        return f"{o.method}({','.join(f'{v:g}' for _, v in o.params)})"
    return str(o)


def variants(
    rubric: Rubric,
    alts: list[tuple[str, tuple[Any, ...]]],
    picks: dict[str, np.ndarray],
    samples: int,
) -> list[tuple[Rubric, np.ndarray]]:
    """The rubric of each combination of method choices, with the draws that use it."""
    if not alts:
        return [(rubric, np.arange(samples))]
    code = np.zeros(samples, np.int64)
    for key, opts in alts:
        code = code * len(opts) + picks[key]
    out = []
    for c in np.unique(code):
        idx = np.flatnonzero(code == c)
        choice = {key: opts[int(picks[key][idx[0]])] for key, opts in alts}
        out.append((_variant(rubric, choice), idx))
    return out


def _variant(rubric: Rubric, choice: dict[str, Any]) -> Rubric:
    agg: Aggregation | None = choice.get("aggregate")
    miss: str | None = choice.get("missing")
    norm = Normalization(choice["normalize"]) if "normalize" in choice else None

    def ind(x: Indicator) -> Indicator:
        ch: dict[str, Any] = {}
        if miss is not None:
            ch["missing"] = None
        # a method that needs the scale's fixed score cannot score a scale without one
        if norm is not None and not (norm.spec.input == "score" and x.scale.engine_form() is None):
            ch["normalize"] = norm
        return attrs.evolve(x, **ch) if ch else x

    def node(d: Dimension) -> Dimension:
        ch: dict[str, Any] = {
            "dimensions": tuple(node(s) for s in d.dimensions),
            "indicators": tuple(ind(x) for x in d.indicators),
        }
        if agg is not None:
            ch["aggregate"] = None
        if miss is not None:
            ch["missing"] = None
        return attrs.evolve(d, **ch)

    defaults = Defaults(agg or rubric.defaults.aggregate, miss or rubric.defaults.missing)
    changes: dict[str, Any] = {"dimensions": tuple(node(d) for d in rubric.dimensions)}
    return attrs.evolve(rubric, defaults=defaults, **changes)


def stack(
    grp: NodeGroup, plan: Plan, rubric: Rubric, draws: dict[str, np.ndarray], sel: np.ndarray
) -> np.ndarray:
    """The group's (draws × children × nodes) weight tensor for the draws ``sel``: drawn
    weights for the varied nodes (scaled as the plan scales its own), the plan's weights
    for the others; a group with no varied node keeps the plan's ``children × nodes``
    matrix (the walk then combines it once for every draw)."""
    gids = [ROOT if node == OVERALL else plan.node_ids[node] for node in grp.nodes.tolist()]
    if not any(gid in draws for gid in gids):
        return grp.weights
    w = np.empty((sel.size, *grp.weights.shape))
    w[:] = grp.weights
    col = (
        {x.id: j for j, x in enumerate(rubric.indicators)}
        if grp.child_is_indicator
        else {nid: k for k, nid in enumerate(plan.node_ids)}
    )
    row = {int(c): i for i, c in enumerate(grp.children)}
    for g, node in enumerate(grp.nodes.tolist()):
        if node == OVERALL:
            gid, kids = ROOT, [d.id for d in rubric.dimensions]
        else:
            gid = plan.node_ids[node]
            kids = [c.id for c in rubric.dimension(gid).children]
        if gid in draws:
            w[:, [row[col[k]] for k in kids], g] = scaled_weights(draws[gid][sel], axis=1)
    return w
