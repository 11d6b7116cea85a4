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
from .stats import row_blocks

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


# The power mean's plain form (Σ w·s^p / W)^(1/p) is kept wherever it is accurate (the
# results for ordinary p and scores stay bit for bit). It is not when s^p leaves the
# double range (p = 1100 made 0.5 and 0.25 score 0, not 0.4997; p = -1000 made them 0):
# where q = Σ w·s^p / W is outside [_Q_LOW, _Q_HIGH], or a weighted child's s^p
# overflowed (see _off_range), the node is recomputed by _stable_power. Terms that
# underflowed add at most 2**-1074 each to a q of at least 2**-960: under 2**-100 of it.
# Nor is it for small |p|: s^p = 1 + p·ln s + … rounds ln s away (about 2**-52/|p| of
# the result; p = 1e-17 gave 1 for 0.5 and 0.25, not 0.354), so below _P_SMALL every
# node takes _stable_power. Below _P_TINY the power mean is the geometric mean to 2**-63
# (|ln M_p − ln M_0| <= |p|·var(ln s)/2 + …, var(ln s) <= 745²/4 for doubles in (0, 1]),
# but for the weight share f of children at 0 when p > 0, a factor (1 − f)^(1/p): see
# _tiny_power.
_Q_LOW, _Q_HIGH = 2.0**-960, 2.0**960
_P_SMALL = 2.0**-20
_P_TINY = 2.0**-80


def power(ch: Children, p: float) -> np.ndarray:
    """Weighted power mean ``(Σ w·s^p / W)^(1/p)``; p = 1 arithmetic, p = 0 geometric,
    p < 0: 0 when a weighted child is 0.

    Any finite ``p`` is computed accurately: a huge ``p`` gives about the largest child
    (weighted, included), a hugely negative one the least, and ``p`` near 0 the
    geometric mean. Where ``s^p`` would under- or overflow (``p = 1100`` or ``-1000``
    with scores 0.5 and 0.25) the extreme child is factored out (see
    :func:`_stable_power`); elsewhere the plain form's bits are kept.

    Example:
        >>> ch = Children(np.array([[1.0, 0.0]]), np.array([[1.0], [1.0]]))
        >>> power(ch, p=2.0).round(4).tolist()
        [[0.7071]]
        >>> ch = Children(np.array([[0.5, 0.25]]), np.array([[1.0], [1.0]]))
        >>> [power(ch, p=p).round(4).tolist() for p in (1100.0, -1000.0, 1e-17)]
        [[[0.4997]], [[0.2502]], [[0.3536]]]
    """
    if p == 1.0:
        return arithmetic(ch)
    if p == 0.0:
        return geometric(ch)
    if abs(p) < _P_TINY:
        return _tiny_power(ch, p)
    if abs(p) < _P_SMALL:
        stable = _stable_power(ch, p)
        return stable if p > 0 else _zero_or(ch, stable)
    capped = None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p > 0:
            out = ch.dot(ch.filled(0.0) ** p)
        else:
            powered, any_capped = _capped_powers(ch, p)
            if any_capped:  # an s^p overflowed: which nodes weigh it
                over = (powered >= _BIG).astype(np.float64)
                capped = weigh(over, (ch.weights > 0).astype(np.float64)) > 0
            out = ch.dot(powered)
        out /= ch.included_weight  # q (in place: dot made a new array; the same bits)
        off = _off_range(out, ch.included_weight, capped)
        out **= 1.0 / p
    if off is not None:  # those rows again, the stable way (only the entries off range)
        rows = np.flatnonzero(off.reshape(-1, *off.shape[-2:]).any(axis=(0, 2)))
        fixed = _stable_power(Children(ch.values[..., rows, :], ch.weights), p)
        out[..., rows, :] = np.where(off[..., rows, :], fixed, out[..., rows, :])
    return out if p > 0 else _zero_or(ch, out)


def _capped_powers(ch: Children, p: float) -> tuple[np.ndarray, bool]:
    """``min(s^p, _BIG) · included`` (``s`` 1 where not included or 0; ``p < 0``) and
    whether a power reached the cap, in place in one new array, a block of rows at a
    time (the block stays in cache for the steps and the look at its largest power)."""
    out = np.ascontiguousarray(_safe(ch))  # a new array (C-ordered: flat is a view)
    flat, inc = out.reshape(-1, out.shape[-1]), ch.included.reshape(-1, out.shape[-1])
    capped = False
    for b in row_blocks(flat.shape[0], flat.shape[1] * flat.itemsize):
        part = flat[b]
        part **= p
        capped = capped or bool(part.size and part.max() >= _BIG)
        np.minimum(part, _BIG, out=part)
        part *= inc[b]
    return out, capped


def _off_range(q: np.ndarray, weight: np.ndarray, capped: np.ndarray | None) -> np.ndarray | None:
    """Where the power mean's ``q = Σ w·s^p / W`` is outside ``[_Q_LOW, _Q_HIGH]`` (or
    not finite), or a child's ``s^p`` was ``capped`` (a weighted child's term overflowed:
    a tiny weight can keep ``q`` in range), with an included weight; ``None`` when
    nowhere (one look at the extremes of ``q``)."""
    if not q.size:
        return None
    with np.errstate(invalid="ignore"):
        least, most = np.fmin.reduce(q, axis=None), np.fmax.reduce(q, axis=None)
        if capped is None and least >= _Q_LOW and most <= _Q_HIGH:  # (NaN: no weight)
            return None
        off: np.ndarray = ~((q >= _Q_LOW) & (q <= _Q_HIGH))
        if capped is not None:
            off |= capped
        off &= weight > 0
    return off if off.any() else None


def _stable_power(ch: Children, p: float) -> np.ndarray:
    """The power mean with the extreme child ``e`` factored out: the largest for
    ``p > 0``, the least positive one for ``p < 0`` (whose zeros are ``_zero_or``'s).

    ``M = e·exp(ln(Σ w·exp(u) / W) / p)`` with ``u = p·(ln s − ln e) <= 0``: no term
    overflows, ``e``'s own term is 1, so the sum cannot underflow, and ``ln`` of it is
    ``log1p(Σ w·expm1(u) / W)`` (no cancellation when ``p`` is small) unless that sum
    is near −1. The result is clamped to the children's range (it is inside it, but
    for rounding). One node at a time, over its children with a positive weight.
    """
    v, w = ch.values, ch.weights
    out = np.full(ch.shape, np.nan)
    # the children that may carry weight (in any draw; each draw masks its own zeros)
    carries = np.any(np.reshape(w > 0, (-1, *w.shape[-2:])), axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        for g in range(w.shape[-1]):
            kids = np.flatnonzero(carries[:, g])
            if not kids.size:
                continue
            wg = w[..., kids, g][..., None, :]  # ... × 1 × k
            x = v[..., kids]
            live = ~np.isnan(x) & (wg > 0)
            if p < 0:
                live &= x > 0
            xs = np.where(live, x, np.nan)
            hi, lo = np.fmax.reduce(xs, axis=-1), np.fmin.reduce(xs, axis=-1)
            e = hi if p > 0 else lo
            u = p * (np.log(xs) - np.log(e)[..., None])
            wl = np.where(live, wg, 0.0)
            total = wl.sum(axis=-1)
            s = (wl * np.where(live, np.expm1(u), 0.0)).sum(axis=-1) / total
            t = (wl * np.where(live, np.exp(u), 0.0)).sum(axis=-1) / total
            log_mean = np.where(s > -0.5, np.log1p(s), np.log(t))
            m = np.clip(e * np.exp(log_mean / p), lo, hi)
            out[..., g] = np.where(hi == 0, 0.0, m)  # (p > 0: every child 0)
    return out


def _tiny_power(ch: Children, p: float) -> np.ndarray:
    """The power mean for ``0 < |p| < _P_TINY``: the geometric mean, to 2**-63; for
    ``p > 0`` that of the children above 0, times ``(1 − f)^(1/p)``, ``f`` the weight
    share of the included children at 0 (0 unless ``f`` is a vanishing share)."""
    if p < 0:
        return geometric(ch)
    v = ch.values
    with np.errstate(all="ignore"):  # (ln(1 − f) / p overflows to −inf: a factor 0)
        above = geometric(Children(np.where(v > 0, v, np.nan), ch.weights))
        share = ch.dot((v == 0).astype(np.float64)) / ch.included_weight
        out = above * np.exp(np.log1p(-share) / p)
        out = np.where(share >= 1, 0.0, out)  # (every included child 0)
    result: np.ndarray = np.where(ch.included_weight > 0, out, np.nan)
    return result


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
