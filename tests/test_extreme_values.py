"""Answers and power-mean exponents at the ends of the double range.

Defect 4: answers near ±1.8e308 under ``minmax`` / ``zscore`` (and ``target``, and
goalposts that wide) gave NaN or wrong scores, with only numpy's "overflow encountered in
subtract" to show for it; a z-score's sd overflowed from about 1e154 (every answer 0.5).
Defect 5: ``{power: p}`` with a large ``|p|`` (1100, -1000, 1e308) scored 0, and a tiny
one (1e-17) scored the largest possible 1, silently.

Each test below was seen to fail with the fix broken (one break at a time, restored):
the overflowing columns not halved (``_halved`` returning its inputs), the column
statistics not recomputed (``ColumnStats._rescaled`` returning ``out``), the power
mean's off-range rows not recomputed (``_off_range`` returning ``None``), and the small-p
branches removed.
"""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, localcontext
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.engine.aggregations import power
from readiness_model.engine.children import Children
from readiness_model.engine.normalizations import minmax, target, zscore
from readiness_model.engine.stats import ColumnStats

BIG = float(np.finfo(np.float64).max)

NORM_RUBRIC = """\
rubric: numfix
version: "1"
dimensions:
  - id: d
    indicators:
      - {id: z, scale: {type: numeric}, normalize: minmax}
      - {id: w, scale: {type: numeric}, normalize: zscore}
"""
HUGE_ANSWERS = "agency,period,z,w\na,2024,1e308,1e308\nb,2024,-1e308,-1e308\nc,2024,0,0\n"

POWER_RUBRIC = """\
rubric: numfix-power
version: "1"
defaults: {{aggregate: {{power: {p}}}}}
dimensions:
  - id: d
    indicators:
      - {{id: x, scale: {{type: numeric, goalposts: [0, 1]}}}}
      - {{id: y, scale: {{type: numeric, goalposts: [0, 1]}}}}
"""


def _no_warning_score(rubric: rm.Rubric, rs: rm.ResponseSet, **kw: object) -> rm.Results:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a leaked RuntimeWarning fails the test
        return rm.score(rubric, rs, **kw)  # type: ignore[arg-type]


def _files(tmp_path: Path, rubric: str, answers: str) -> tuple[Path, Path]:
    r, a = tmp_path / "rubric.yaml", tmp_path / "answers.csv"
    r.write_text(rubric, encoding="utf-8")
    a.write_text(answers, encoding="utf-8")
    return r, a


# -- defect 4: population-relative scores of huge answers --------------------------------


def test_huge_answers_under_minmax_and_zscore_score_correctly(tmp_path: Path) -> None:
    r, a = _files(tmp_path, NORM_RUBRIC, HUGE_ANSWERS)
    rubric = rm.load_rubric(r)
    res = _no_warning_score(rubric, rm.load_responses(a, rubric))
    assert res.indicator_scores.tolist() == [[1.0, 1.0], [0.0, 0.0], [0.5, 0.5]]
    assert res.overall.tolist() == [100.0, 0.0, 50.0]


def test_the_cli_scores_huge_answers_without_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r, a = _files(tmp_path, NORM_RUBRIC, HUGE_ANSWERS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["score", str(r), str(a)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Warning" not in err
    rows = {line.split()[1]: line.split()[2] for line in out.splitlines()[3:6]}
    assert rows == {"a": "100.00", "c": "50.00", "b": "0.00"}


def test_the_largest_doubles_and_tiny_ones_in_one_column() -> None:
    a = np.array([[BIG, BIG], [-BIG, -BIG], [0.0, 0.0], [BIG, -BIG], [5e-324, -1e-310]])
    expected = [[1.0, 1.0], [0.0, 0.0], [0.5, 0.5], [1.0, 0.0], [0.5, 0.5]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert minmax(a, ColumnStats(a)).tolist() == expected
        assert zscore(a, ColumnStats(a)).tolist() == expected


@pytest.mark.parametrize("k", [515, 600, 1000, 1021, -600, -1000])
def test_zscore_from_2_to_the_515(k: int) -> None:
    """The sd squared its deviations: inf from about 1e154 (every z-score 0.5), 0 below
    about 1e-162. Now the same bits as at a moderate scale."""
    base = np.array([[1.0], [2.0], [4.0], [np.nan], [-3.5]])
    a = np.ldexp(base, k)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = zscore(a, ColumnStats(a))
        st_ = ColumnStats(a)
        mean, sd = st_.mean, st_.sd
    assert np.array_equal(got, zscore(base, ColumnStats(base)), equal_nan=True)
    assert mean.tolist() == np.ldexp(ColumnStats(base).mean, k).tolist()
    assert sd.tolist() == np.ldexp(ColumnStats(base).sd, k).tolist()


def test_column_statistics_keep_exact_zeros_and_empty_columns() -> None:
    """A constant column's sd is 0 and a column without a value has NaN statistics, near
    the ends of the range too; with no rows at all, NaN."""
    a = np.array([[BIG, np.nan, 0.0, 1e-300, 3.0], [BIG, np.nan, 0.0, -1e-300, 3.0]])
    st_ = ColumnStats(a)
    assert np.array_equal(st_.mean, [BIG, np.nan, 0.0, 0.0, 3.0], equal_nan=True)
    assert np.array_equal(st_.sd, [0.0, np.nan, 0.0, 1e-300, 0.0], equal_nan=True)
    none = ColumnStats(np.empty((0, 2)))
    assert np.isnan(none.mean).all()
    assert np.isnan(none.sd).all()


def test_the_sd_alone_and_with_leading_axes() -> None:
    """sd read without the mean (recomputed for its columns only), and statistics of an
    array with a leading axis (weight draws)."""
    a = np.array([[BIG, 1.0], [-BIG, 1.0], [0.0, 1.0]])
    want = math.sqrt(2 / 3) * BIG
    assert ColumnStats(a, ("sd",)).sd.tolist() == pytest.approx([want, 0.0], rel=1e-15)
    stacked = np.stack([a, a / 4])
    st_ = ColumnStats(stacked)
    assert st_.sd.shape == (2, 2)
    assert st_.sd[1].tolist() == (ColumnStats(a).sd / 4).tolist()
    assert st_.mean[1].tolist() == (ColumnStats(a).mean / 4).tolist()


def test_target_and_goalposts_wider_than_the_largest_double(tmp_path: Path) -> None:
    a = np.array([[-1e308], [0.0], [1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert target(a, ColumnStats(a), target=np.array([1e308])).tolist() == [[0], [0.5], [1]]
    text = """\
rubric: wide
version: "1"
dimensions:
  - id: d
    indicators:
      - {id: z, scale: {type: numeric, goalposts: [-1e308, 1e308]}}
      - {id: w, scale: {type: numeric, goalposts: [-1e308, 1e308]}, direction: lower_is_better}
"""
    r, f = _files(tmp_path, text, HUGE_ANSWERS)
    rubric = rm.load_rubric(r)
    res = _no_warning_score(rubric, rm.load_responses(f, rubric))
    assert res.indicator_scores.tolist() == [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]


def test_a_frozen_round_of_huge_answers(tmp_path: Path) -> None:
    """The statistics a population keeps are finite, survive JSON, and score late answers
    as the round scored its own."""
    r, f = _files(tmp_path, NORM_RUBRIC, HUGE_ANSWERS)
    rubric = rm.load_rubric(r)
    rs = rm.load_responses(f, rubric)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pop = rm.Population.from_json(rm.population(rubric, rs).to_json())
    own = _no_warning_score(rubric, rs)
    late = _no_warning_score(rubric, rs, population=pop)
    assert np.array_equal(own.indicator_scores, late.indicator_scores)
    stats = dict(pop.periods[0].indicators)["w"]
    assert stats.mean is not None
    assert math.isfinite(stats.mean)
    assert stats.sd == pytest.approx(math.sqrt(2 / 3) * 1e308, rel=1e-15)


_RELATIVE = """\
rubric: scaled
version: "1"
dimensions:
  - id: d
    indicators:
      - {{id: a, scale: {{type: numeric}}, normalize: minmax}}
      - {{id: b, scale: {{type: numeric}}, normalize: zscore}}
      - {{id: c, scale: {{type: numeric}}, normalize: {{method: target, target: {t!r}}}}}
      - {{id: e, scale: {{type: numeric, goalposts: [{lo!r}, {hi!r}]}}}}
      - {{id: f, scale: {{type: numeric}}, normalize: zscore, direction: lower_is_better}}
"""

_cell = st.integers(-1000, 1000).map(float) | st.just(math.nan)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(_cell, min_size=5, max_size=5), min_size=1, max_size=7),
    k=st.sampled_from([1014, 1013, -1000]) | st.integers(-1000, 1014),
    t=st.integers(-1000, 1000),
    lo=st.just(-1000) | st.integers(-1000, -1),
    hi=st.just(1000) | st.integers(1, 1000),
)
def test_population_scores_do_not_change_with_the_scale(
    rows: list[list[float]], k: int, t: int, lo: int, hi: int
) -> None:
    """Scaling every answer, target and goalpost by 2**k changes no score, bit for bit,
    over the whole range (integers up to 1000 times 2**k stay normal doubles; from
    k = 1014 their differences overflow), and every score stays in [0, 100]."""

    def scored(f: int) -> rm.Results:
        g = math.ldexp(1.0, f)
        bounds = {"t": t * g, "lo": lo * g, "hi": hi * g}
        rubric = rm.rubric_from_yaml(_RELATIVE.format(**bounds))
        values = np.array(rows) * g
        if np.isfinite(values[:, 3]).any():  # (answers outside the goalposts: clamped)
            values[:, 3] = np.clip(values[:, 3], bounds["lo"], bounds["hi"])
        names = [f"ag{i}" for i in range(len(rows))]
        rs = rm.ResponseSet.from_array(values, names, rubric, period=2024)
        return _no_warning_score(rubric, rs)

    base, scaled = scored(0), scored(k)
    assert np.array_equal(base.indicator_scores, scaled.indicator_scores, equal_nan=True)
    assert np.array_equal(base.overall_exact, scaled.overall_exact, equal_nan=True)
    ok = scaled.overall_exact[~np.isnan(scaled.overall_exact)]
    assert ((ok >= 0) & (ok <= 100)).all()


# -- defect 5: power means of any finite p ------------------------------------------------


def _power_score(p: str, rows: list[tuple[float, float]]) -> list[float]:
    rubric = rm.rubric_from_yaml(POWER_RUBRIC.format(p=p))
    records = [{"agency": f"a{i}", "x": x, "y": y} for i, (x, y) in enumerate(rows)]
    rs = rm.ResponseSet.from_records(records, rubric, period=2024)
    out: list[float] = _no_warning_score(rubric, rs).overall_exact.tolist()
    return out


def _reference(xs: list[float], ws: list[float], p: float) -> float:
    """The weighted power mean in 80-digit decimals, with the extreme child factored
    out and series for ``e^y − 1`` and ``ln(1 + y)`` of tiny ``y`` (then no exponent or
    cancellation limits what it can compute)."""
    with localcontext() as ctx:
        ctx.prec, ctx.Emax, ctx.Emin = 80, 10**9, -(10**9)
        x = [Decimal(v) for v in xs]
        w = [Decimal(v) for v in ws]
        q = Decimal(p)
        if p < 0 and min(x) == 0:
            return 0.0
        e = max(x) if p > 0 else min(x)
        if e == 0:
            return 0.0
        small = Decimal("1e-12")

        def expm1(y: Decimal) -> Decimal:
            return y + y * y / 2 + y**3 / 6 + y**4 / 24 if abs(y) < small else y.exp() - 1

        def log1p(y: Decimal) -> Decimal:
            return y - y * y / 2 + y**3 / 3 - y**4 / 4 if abs(y) < small else (1 + y).ln()

        s = Decimal(0)
        for xc, wc in zip(x, w, strict=True):
            s += wc * (expm1(q * (xc / e).ln()) if xc > 0 else Decimal(-1))
        s /= sum(w)
        return float(e * (log1p(s) / q).exp())


@pytest.mark.parametrize(
    ("p", "scores"),
    [
        ("1100", [0.5, 0.25]),
        ("1000", [0.5, 0.25]),
        ("-1000", [0.5, 0.25]),
        ("-1100", [0.5, 0.25]),
        ("1e308", [0.5, 0.25]),
        ("-1e308", [0.5, 0.25]),
        ("1e-17", [0.5, 0.25]),
        ("-1e-17", [0.5, 0.25]),
        ("5e-324", [0.5, 0.25]),
        ("-1e18", [0.5, 0.5]),
        ("2", [1e-200, 1e-200]),
        ("1e-300", [0.5, 0.0]),
    ],
)
def test_power_means_of_extreme_exponents(p: str, scores: list[float]) -> None:
    (got,) = _power_score(p, [(scores[0], scores[1])])
    want = 100 * _reference(scores, [1.0, 1.0], float(p))
    assert got == pytest.approx(want, rel=1e-13, abs=1e-300)


def test_the_reported_power_means() -> None:
    """The reproduction: 0.00 for p = 1100 and -1000, now 49.97 and 25.02; p = 1000 was
    right and keeps its bits; the limits are the largest and the least child."""
    rows = [(0.5, 0.25), (0.0, 0.5), (1.0, 1.0), (0.0, 0.0)]
    assert [round(v, 2) for v in _power_score("1100", rows)] == [49.97, 49.97, 100.0, 0.0]
    assert [round(v, 2) for v in _power_score("-1000", rows)] == [25.02, 0.0, 100.0, 0.0]
    plain = 100 * ((0.5**1000 + 0.25**1000) / 2) ** (1 / 1000)
    assert _power_score("1000", rows)[0] == plain
    assert _power_score("1e308", rows) == [50.0, 50.0, 100.0, 0.0]
    assert _power_score("-1e308", rows) == [25.0, 0.0, 100.0, 0.0]


def test_validate_takes_any_finite_power_and_refuses_infinity() -> None:
    rubric = rm.rubric_from_yaml(POWER_RUBRIC.format(p="1e308"))
    assert rubric.defaults.aggregate.p == 1e308
    for bad in (".inf", "1e309", "-.inf"):
        with pytest.raises(rm.RubricError) as err:
            rm.rubric_from_yaml(POWER_RUBRIC.format(p=bad))
        (problem,) = err.value.problems
        assert problem.path == "$.defaults.aggregate.power"
        assert "finite" in problem.message


def test_an_overflowing_term_of_a_tiny_weight_is_not_lost() -> None:
    """0.25**-1000 overflows; capped at the largest double, its weight 1e-30 kept the mean
    of the powers in range, and the node scored 0.527, above both children."""
    ch = Children(np.array([[0.5, 0.25]]), np.array([[1.0], [1e-30]]))
    got = float(power(ch, -1000.0)[0, 0])
    assert got == pytest.approx(_reference([0.5, 0.25], [1.0, 1e-30], -1000.0), rel=1e-13)
    assert 0.25 < got < 0.5


@pytest.mark.parametrize("p", [1100.0, -1000.0, 1e-10, 1e-30, 1e308, -3e17])
def test_weight_draws_score_as_each_draw_alone(p: float) -> None:
    """With a leading axis of weight draws (sensitivity), on the values or the weights,
    each draw scores as it does alone, rows recomputed the stable way included: a child
    weighed in one draw only (the largest, here) counts in no other. (To the last bit or
    two: a draw's weighted sums may round otherwise alone than among draws, see
    ``engine.children.weigh``.)"""
    rng = np.random.default_rng(3)
    v = rng.random((6, 5)) ** 3
    v[1, 3], v[2, 0], v[3, :2] = np.nan, 0.0, np.nan
    v[:, 2] = 0.95
    w = np.array([[1.0, 0], [0.5, 0], [0.0, 0], [0, 1.0], [0, 0.0]])
    other = w.copy()
    other[2, 0], other[4, 1] = 2.0, 3.0
    draws = np.stack([w, other, w * 1.5])
    alone = np.stack([power(Children(v, draws[d]), p) for d in range(3)])
    got = power(Children(v, draws), p)
    assert np.allclose(got, alone, rtol=1e-14, atol=0.0, equal_nan=True)
    both = Children(np.broadcast_to(v, (3, *v.shape)).copy(), draws)
    assert np.allclose(power(both, p), alone, rtol=1e-14, atol=0.0, equal_nan=True)


def _plain_power(ch: Children, p: float) -> np.ndarray:
    """The power mean as computed before the fix (p not 0 or 1)."""
    big = np.finfo(np.float64).max
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if p > 0:
            out: np.ndarray = (ch.dot(ch.filled(0.0) ** p) / ch.included_weight) ** (1.0 / p)
            return out
        safe = np.where(ch.included & (ch.values > 0), ch.values, 1.0)
        powered = np.minimum(safe**p, big) * ch.included
        out = (ch.dot(powered) / ch.included_weight) ** (1.0 / p)
    v, w, inc = ch.values, ch.weights, ch.included
    zero = ((inc & (v == 0)).astype(np.float64) @ (w > 0).astype(np.float64)) > 0
    res: np.ndarray = np.where(ch.included_weight > 0, np.where(zero, 0.0, out), np.nan)
    return res


@pytest.mark.parametrize("p", [2.0, 0.5, -1.0, 3.0, -2.0, 0.25, 4.0, -0.5, 1e-3, -8.0])
def test_ordinary_exponents_keep_their_bits(p: float) -> None:
    rng = np.random.default_rng(7)
    v = rng.random((300, 6)) ** rng.choice([1.0, 4.0], (300, 6))
    v[rng.random(v.shape) < 0.1] = np.nan
    v[rng.random(v.shape) < 0.05] = 0.0
    v[:3] = 0.0  # rows of zeros (recomputed where p > 0: still exactly 0)
    w = np.array([[1.0, 0], [0.5, 0], [1.5, 0], [0, 1.0], [0, 0.25], [0, 0.0]])
    draws = np.stack([w, w * 1.5, w[::-1, ::-1]])
    for weights in (w, draws):
        ch = Children(v, weights)
        assert np.array_equal(power(ch, p), _plain_power(ch, p), equal_nan=True)


def _plain_slack(xs: list[float] | tuple[float, ...], p: float) -> float:
    """The relative error of the plain form ``(Σ w·s^p / W)^(1/p)``, a few ulps times
    ``1/|p|`` (``s^p`` rounds away ``ln s``: 7 ulps at p = 1/32) and ``|ln M|`` (the
    rounding of ``1/p`` is multiplied by ``ln`` of the result: 174 ulps for a single
    child 1e-300 under p = 0.375). Below |p| = 2**-20 the engine leaves the plain form."""
    positive = [x for x in xs if x > 0] or [1.0]
    logs = 1 + abs(math.log(min(positive)))
    return 8 * float(np.finfo(np.float64).eps) * min(max(1.0, 1 / abs(p)), 2.0**20) * logs


_score = st.floats(0.0, 1.0) | st.sampled_from([0.0, 1.0, 5e-324, 1e-300, 0.5])
_p = st.floats(allow_nan=False, allow_infinity=False).filter(lambda p: p not in (0.0, 1.0))


@settings(max_examples=300, deadline=None)
@given(
    xs=st.lists(_score, min_size=1, max_size=6),
    ws=st.lists(st.floats(0.25, 4.0), min_size=6, max_size=6),
    p=_p | st.sampled_from([1100.0, -1000.0, 1e308, -1e308, 1e-17, -5e-324, 2.0**-20]),
)
def test_power_means_lie_between_the_least_and_the_largest_child(
    xs: list[float], ws: list[float], p: float
) -> None:
    """For every finite p the power mean lies in [min, max] of the children (0 when
    p < 0 and a child is 0), and agrees with an 80-digit reference.

    Up to rounding: the plain form, kept bit for bit for ordinary p, makes a single
    child 0.5 under p = 0.5 into 0.5000000000000001; see :func:`_plain_slack`. The
    stable form is clamped to the range."""
    weights = ws[: len(xs)]
    ch = Children(np.array([xs]), np.array(weights)[:, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = float(power(ch, p)[0, 0])
    if p < 0 and min(xs) == 0:
        assert got == 0.0
    else:
        slack = 1 + _plain_slack(xs, p)
        assert min(xs) / slack <= got <= max(xs) * slack
    want = _reference(xs, weights, p)
    # the plain form (kept for |p| >= 2**-20) loses about 2**-52 / |p| of the result
    assert got == pytest.approx(want, rel=1e-9, abs=1e-300)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(_score, _score), min_size=1, max_size=5),
    p=_p,
)
def test_power_mean_scores_stay_on_the_scale(rows: list[tuple[float, float]], p: float) -> None:
    got = _power_score(repr(p), rows)
    for (x, y), s in zip(rows, got, strict=True):
        low = 0.0 if p < 0 and min(x, y) == 0 else 100 * min(x, y)
        slack = 1 + _plain_slack((x, y), p)
        assert 0.0 <= s <= 100.0
        assert low / slack <= s <= 100 * max(x, y) * slack
