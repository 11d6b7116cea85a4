"""The built-in aggregations, registered exactly as a plug-in registers its own.

An aggregation is one function of :class:`Children` (every node of a group at once,
for every agency, and for every weight draw when there is a leading draws axis); the
walk (:mod:`.walk`) calls it for the engine, ``explain`` and ``sensitivity`` alike.
Formulas: docs/methodology.md §4. Adding a method to the library is adding one function
and one ``register_aggregation`` call here.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import numpy as np

from ..model.methods import Param, register_aggregation
from .attribution import linear, log_share, lowest, shapley_split
from .children import Children, weigh

__all__ = ["Children", "arithmetic", "geometric", "harmonic", "minimum", "power"]

# 1/s and s**p of a subnormal score s overflow, and inf times the 0 weight it has in a
# sibling node's column would make that column NaN: cap at the largest float (the node
# that does weigh it still comes out ~0, as it should)
_BIG = np.finfo(np.float64).max


def arithmetic(ch: Children) -> np.ndarray:
    """Weighted mean ``Σ w·s / W`` over the included children.

    Example:
        >>> arithmetic(Children(np.array([[1.0, 0.5]]), np.array([[1.0], [3.0]]))).tolist()
        [[0.625]]
    """
    out = ch.dot(ch.filled(0.0))  # a new array: divided in place
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(out, ch.included_weight, out=out)
    return out


def _zero_or(ch: Children, out: np.ndarray) -> np.ndarray:
    """0 where an included child with weight > 0 is 0; NaN where nothing is included."""
    v, w, inc = ch.values, ch.weights, ch.included
    zero = weigh((inc & (v == 0)).astype(np.float64), (w > 0).astype(np.float64)) > 0
    result: np.ndarray = np.where(ch.included_weight > 0, np.where(zero, 0.0, out), np.nan)
    return result


def _safe(ch: Children) -> np.ndarray:
    out: np.ndarray = np.where(ch.included & (ch.values > 0), ch.values, 1.0)
    return out


def geometric(ch: Children) -> np.ndarray:
    """Weighted geometric mean ``exp(Σ w·ln s / W)``; 0 when a weighted child is 0.

    Example:
        >>> geometric(Children(np.array([[1.0, 0.25]]), np.array([[1.0], [1.0]]))).tolist()
        [[0.5]]
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.exp(ch.dot(np.log(_safe(ch)) * ch.included) / ch.included_weight)
        return _zero_or(ch, out)


def harmonic(ch: Children) -> np.ndarray:
    """Weighted harmonic mean ``W / Σ (w / s)``; 0 when a weighted child is 0.

    Example:
        >>> harmonic(Children(np.array([[1.0, 0.5]]), np.array([[1.0], [1.0]]))).round(4).tolist()
        [[0.6667]]
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inv = np.minimum(1.0 / _safe(ch), _BIG) * ch.included
        return _zero_or(ch, ch.included_weight / ch.dot(inv))


def power(ch: Children, p: float) -> np.ndarray:
    """Weighted power mean ``(Σ w·s^p / W)^(1/p)``; p = 1 arithmetic, p = 0 geometric,
    p < 0: 0 when a weighted child is 0.

    Example:
        >>> ch = Children(np.array([[1.0, 0.0]]), np.array([[1.0], [1.0]]))
        >>> power(ch, p=2.0).round(4).tolist()
        [[0.7071]]
    """
    if p == 1.0:
        return arithmetic(ch)
    if p == 0.0:
        return geometric(ch)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p > 0:
            num = ch.dot(ch.filled(0.0) ** p)
            out: np.ndarray = (num / ch.included_weight) ** (1.0 / p)
            return out
        powered = np.minimum(_safe(ch) ** p, _BIG) * ch.included
        return _zero_or(ch, (ch.dot(powered) / ch.included_weight) ** (1.0 / p))


def minimum(ch: Children) -> np.ndarray:
    """The lowest included child with weight > 0 (weights only select).

    Weight draws keep which weights are positive, so one selection serves every draw.

    Example:
        >>> ch = Children(np.array([[0.7, 0.2, np.nan]]), np.array([[1.0], [0.0], [2.0]]))
        >>> minimum(ch).tolist()
        [[0.7]]
    """
    v, w = ch.values, ch.weights
    pick = (w > 0).reshape(-1, *w.shape[-2:])
    if not (pick == pick[:1]).all():
        raise ValueError("minimum: the positive weights differ between draws")
    flat = v.reshape(-1, v.shape[-1])
    out = np.full((flat.shape[0], w.shape[-1]), np.nan)
    for g in range(w.shape[-1]):
        kids = pick[0, :, g]
        if kids.any():
            sub = flat[:, kids]
            ok = ~np.isnan(sub).all(axis=1)
            out[ok, g] = np.nanmin(sub[ok], axis=1)
    res = out.reshape(*v.shape[:-1], w.shape[-1])
    return res if res.shape == ch.shape else np.broadcast_to(res, ch.shape)


def _power_split(
    x: np.ndarray, w: np.ndarray, score: float, *, seed: int, p: float
) -> tuple[np.ndarray, str]:
    if p == 1.0:
        return linear(x, w, score, seed=seed)
    if p == 0.0:
        return log_share(x, w, score, seed=seed)
    return shapley_split(power)(x, w, score, seed=seed, p=p)


_ZERO = "0 if an included child with `w_c > 0` is 0"
register_aggregation(
    "arithmetic",
    arithmetic,
    doc="Weighted arithmetic mean (the default).",
    formula="`Σ w_c·s_c / W`",
    explain=linear,
)
register_aggregation(
    "geometric",
    geometric,
    doc=f"Weighted geometric mean; {_ZERO}.",
    formula="`exp(Σ w_c·ln s_c / W)` = `Π s_c^(w_c/W)`",
    explain=log_share,
)
register_aggregation(
    "harmonic",
    harmonic,
    doc=f"Weighted harmonic mean; {_ZERO}.",
    formula="`W / Σ (w_c / s_c)`",
)
register_aggregation(
    "power",
    power,
    params=[Param("p", required=True, doc="The exponent p.")],
    doc="Weighted power mean: `p = 1` is arithmetic, `p = 0` geometric (the limit), "
    f"`p = −1` harmonic; for `p < 0`, {_ZERO}.",
    formula="`(Σ w_c·s_c^p / W)^(1/p)`",
    explain=_power_split,
)
register_aggregation(
    "minimum",
    minimum,
    doc="The lowest child: non-compensatory; weights only select (0 drops a child).",
    formula="`min s_c` over included children with `w_c > 0`",
    explain=lowest,
)
