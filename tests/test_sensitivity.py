"""Monte-Carlo weight sensitivity: zero noise is the nominal result, seeds reproduce, the
vectorised draws agree with a plain loop over ``rm.score``."""

from __future__ import annotations

import math
import warnings

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.analysis.sensitivity import first_order, rank_percentiles
from readiness_model.engine.classify import competition_rank
from readiness_model.testing import responses as responses_st
from readiness_model.testing import rubrics


def make(
    n: int = 40, m: int = 12, dims: int = 3, seed: int = 0, gaps: bool = False, bands: bool = True
) -> tuple[rm.Rubric, rm.ResponseSet]:
    rng = np.random.default_rng(seed)
    per = np.array_split(np.arange(m), dims)
    dimensions = [
        rm.Dimension(
            f"d{k}",
            weight=float(k + 1),
            indicators=[
                rm.Indicator(
                    f"i{j}",
                    weight=float(rng.integers(1, 5)),
                    scale=rm.NumericScale(goalposts=(0.0, 100.0)),
                )
                for j in idx
            ],
        )
        for k, idx in enumerate(per)
    ]
    band_list = (
        [
            rm.Band("high", range=rm.Range(min=60)),
            rm.Band("mid", range=rm.Range(min=40)),
            rm.Band("low"),
        ]
        if bands
        else []
    )
    rubric = rm.Rubric("mc", dimensions=dimensions, bands=band_list)
    values = rng.uniform(0, 100, size=(n, m))
    na = None
    if gaps:
        values[rng.random((n, m)) < 0.1] = np.nan
        na = rng.random((n, m)) < 0.05
    rs = rm.ResponseSet.from_array(values, [f"a{i}" for i in range(n)], rubric, period=2020, na=na)
    return rubric, rs


def with_weights(rubric: rm.Rubric, weights: dict[str, dict[str, float]]) -> rm.Rubric:
    """The rubric with every node's child weights replaced (the loop implementation)."""

    def node(d: rm.Dimension) -> rm.Dimension:
        w = weights[d.id]
        return attrs.evolve(
            d,
            dimensions=[attrs.evolve(node(s), weight=w[s.id]) for s in d.dimensions],
            indicators=[attrs.evolve(x, weight=w[x.id]) for x in d.indicators],
        )

    top = weights["overall"]
    return attrs.evolve(
        rubric, dimensions=[attrs.evolve(node(d), weight=top[d.id]) for d in rubric.dimensions]
    )


# -- zero noise ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kw", [{"concentration": math.inf}, {"weights": "multiplicative", "noise": 0.0}]
)
def test_zero_noise_every_draw_is_the_nominal_result(kw: dict[str, object]) -> None:
    """With no noise every draw reproduces rm.score bit for bit: scores, ranks, bands."""
    rubric, rs = make(gaps=True)
    rubric = attrs.evolve(rubric, rounding=1)
    nominal = rm.score(rubric, rs)
    s = rm.sensitivity(rubric, rs, samples=7, keep_draws=True, **kw)  # type: ignore[arg-type]
    assert s.overall_draws is not None
    assert s.rank_draws is not None
    for d in range(7):
        np.testing.assert_array_equal(s.overall_draws[d], nominal.overall)
        np.testing.assert_array_equal(s.rank_draws[d], nominal.rank)
    np.testing.assert_array_equal(s.rank_interval, np.repeat(nominal.rank[:, None], 3, 1))
    likely = s.most_likely_band()
    assert [b for b, _ in likely] == list(nominal.band)
    assert all(p == 1.0 for _, p in likely)


def _near(x: np.ndarray, points: np.ndarray, tol: float) -> np.ndarray:
    """Rows of ``x`` (rows × k) with a value within ``tol`` of one of ``points``."""
    if not points.size:
        return np.zeros(x.shape[0], bool)
    with np.errstate(invalid="ignore"):
        return (np.abs(x[:, :, None] - points[None, None, :]) <= tol).any(axis=(1, 2))


def _band_edges(rubric: rm.Rubric) -> np.ndarray:
    out: list[float] = []
    for b in rubric.bands:
        r = b.range
        out += [v for v in (r.min, r.above, r.max, r.below) if v is not None]
        out += [v for _, v in b.dimensions]
        out += [b.all_dimensions] if b.all_dimensions is not None else []
    return np.array(out, float)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_zero_noise_matches_the_engine_for_any_rubric(data: st.DataObject) -> None:
    """Property: for any rubric (every aggregation, missing policy, normalisation, nesting,
    min_coverage, rescale, rounding, bands) zero-noise draws equal rm.score.

    Up to the last bit: BLAS kernels may sum in another order depending on the alignment
    of the operands, in the engine as here, so a tie or a band edge within 1e-9 of the
    scale may go either way; every other rank and band must be identical.
    """
    rubric = data.draw(rubrics(missing=("zero", "reweight")))
    rs = data.draw(responses_st(rubric))
    nominal = rm.score(rubric, rs)
    s = rm.sensitivity(rubric, rs, samples=3, concentration=math.inf, keep_draws=True, chunk=2)
    assert s.overall_draws is not None
    assert s.rank_draws is not None
    lo, hi = rubric.scale
    tol = 1e-9 * (hi - lo)
    x = nominal.overall
    tie = (np.abs(x[:, None] - x[None, :]) <= tol).sum(axis=1) > 1
    edge = _near(np.column_stack([x, nominal.node_scores]), _band_edges(rubric), tol)
    edge |= _near(
        nominal.coverage[:, None], np.array([b.min_coverage or 0.0 for b in rubric.bands]), 1e-9
    )
    for d in range(3):
        np.testing.assert_allclose(s.overall_draws[d], x, rtol=0, atol=tol)
        np.testing.assert_array_equal(s.rank_draws[d][~tie], nominal.rank[~tie])
    want = np.array([[b == band for band in s.band_ids] for b in nominal.band], float)
    want = want.reshape(len(rs.agencies), -1)
    np.testing.assert_array_equal(s.band_probability[~edge], want[~edge])
    assert s.nan_draws.tolist() == (np.isnan(x) * 3).tolist()


# -- reproducibility -----------------------------------------------------------------------
def test_same_seed_same_output_other_seed_other_output() -> None:
    rubric, rs = make()
    a = rm.sensitivity(rubric, rs, samples=50, seed=3, keep_draws=True)
    b = rm.sensitivity(rubric, rs, samples=50, seed=3, keep_draws=True, chunk=7)
    c = rm.sensitivity(rubric, rs, samples=50, seed=4, keep_draws=True)
    assert a.overall_draws is not None
    assert b.overall_draws is not None
    assert c.overall_draws is not None
    np.testing.assert_array_equal(a.overall_draws, b.overall_draws)
    np.testing.assert_array_equal(a.rank_interval, b.rank_interval)
    np.testing.assert_array_equal(a.band_probability, b.band_probability)
    np.testing.assert_array_equal(a.first_order_by_row, b.first_order_by_row)
    assert not np.array_equal(a.overall_draws, c.overall_draws)


@pytest.mark.parametrize("vary", ["dimensions", "indicators", "all"])
@pytest.mark.parametrize("gaps", [False, True])
def test_blocks_of_draws_give_the_same_output_whatever_their_size(vary: str, gaps: bool) -> None:
    """Groups whose weights are not drawn are combined once and reused by every block."""
    rubric, rs = make(30, 10, gaps=gaps)
    kw = {"samples": 23, "seed": 5, "keep_draws": True, "vary": vary}
    a = rm.sensitivity(rubric, rs, **kw)  # type: ignore[arg-type]
    b = rm.sensitivity(rubric, rs, chunk=4, **kw)  # type: ignore[arg-type]
    c = rm.sensitivity(rubric, rs, chunk=1, **kw)  # type: ignore[arg-type]
    for other in (b, c):
        np.testing.assert_array_equal(a.overall_draws, other.overall_draws)  # type: ignore[arg-type]
        np.testing.assert_array_equal(a.rank_draws, other.rank_draws)  # type: ignore[arg-type]
        np.testing.assert_array_equal(a.band_probability, other.band_probability)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_draw_scores_alike_alone_or_in_a_block_when_groups_are_small(
    data: st.DataObject,
) -> None:
    """Property: for any rubric whose nodes have at most FEW children (every aggregation,
    missing policy, nesting, gates, rescale), a block of draws scores each draw bit for
    bit as that draw scored alone (``chunk=1``): small groups are summed child by child,
    whatever the number of draws beside them. (Wider groups share one matrix product,
    which a BLAS may round differently with its width: docs/analysis-robustness.md.)"""
    from readiness_model.engine.children import FEW

    rubric = data.draw(rubrics(missing=("zero", "reweight")))
    widths = [
        len(d.dimensions) + len(d.indicators)
        for _, d in rubric.walk()
        if isinstance(d, rm.Dimension)
    ]
    assert max([len(rubric.dimensions), *widths]) <= FEW  # what the strategy draws
    rs = data.draw(responses_st(rubric))
    kw = {"samples": 7, "seed": data.draw(st.integers(0, 99)), "keep_draws": True}
    together = rm.sensitivity(rubric, rs, **kw)  # type: ignore[arg-type]
    alone = rm.sensitivity(rubric, rs, chunk=1, **kw)  # type: ignore[arg-type]
    assert together.overall_draws is not None
    np.testing.assert_array_equal(together.overall_draws, alone.overall_draws)  # type: ignore[arg-type]
    np.testing.assert_array_equal(together.rank_draws, alone.rank_draws)  # type: ignore[arg-type]
    np.testing.assert_array_equal(together.band_probability, alone.band_probability)


def test_a_wide_parent_of_a_group_combined_once_scores_alike_in_any_block() -> None:
    """Review finding: 20 dimensions (more than FEW) combined once under ``vary=
    "dimensions"`` met every draw's weights in one matrix product, whose rounding changed
    with the number of draws per block (1,579 of 3,600 draw values differed in the last
    digit between the default chunk and ``chunk=1``)."""
    rubric, rs = make(300, 40, dims=20, seed=1)
    kw = {"samples": 12, "seed": 3, "keep_draws": True, "vary": "dimensions"}
    a = rm.sensitivity(rubric, rs, **kw)  # type: ignore[arg-type]
    for chunk in (1, 5):
        b = rm.sensitivity(rubric, rs, chunk=chunk, **kw)  # type: ignore[arg-type]
        np.testing.assert_array_equal(a.overall_draws, b.overall_draws)  # type: ignore[arg-type]


def test_progress_is_reported_per_block_of_draws() -> None:
    """progress(stage, done, total): 0 first, then after each block, ending at the total."""
    rubric, rs = make(12, 6)
    seen: list[tuple[str, int, int]] = []
    rm.sensitivity(rubric, rs, samples=10, chunk=4, progress=lambda *a: seen.append(a))
    assert seen == [("sensitivity", d, 10) for d in (0, 4, 8, 10)]


# -- against a plain loop ------------------------------------------------------------------
@pytest.mark.parametrize("weights", ["multiplicative", "dirichlet"])
def test_coinr_style_run_agrees_with_a_loop_over_score(weights: str) -> None:
    """40 agencies × 12 indicators, 200 weight sets: replaying each drawn weight set through
    attrs.evolve + rm.score gives the same scores, ranks, intervals and band shares."""
    rubric, rs = make(40, 12, gaps=True)
    s = rm.sensitivity(
        rubric,
        rs,
        samples=200,
        seed=11,
        weights=weights,
        noise=0.5,
        concentration=20.0,
        keep_draws=True,
    )
    assert s.overall_draws is not None
    assert s.rank_draws is not None
    overall = np.empty((200, 40))
    ranks = np.empty((200, 40), np.int64)
    bands = []
    for d in range(200):
        res = rm.score(with_weights(rubric, s.weights_of(d)), rs)
        overall[d], ranks[d] = res.overall, res.rank
        bands.append(res.band)
    np.testing.assert_allclose(s.overall_draws, overall, rtol=0, atol=1e-9)
    np.testing.assert_array_equal(s.rank_draws, ranks)
    want = np.percentile(ranks, [5, 50, 95], axis=0, method="inverted_cdf").T
    np.testing.assert_array_equal(s.rank_interval, want)
    for k, band in enumerate(s.band_ids):
        share = np.mean([[b == band for b in row] for row in bands], axis=0)
        np.testing.assert_allclose(s.band_probability[:, k], share)
    assert not np.allclose(overall, overall[0])  # the weights really moved


def test_alternatives_score_each_draw_with_its_chosen_method() -> None:
    rubric, rs = make(12, 6, gaps=True)
    s = rm.sensitivity(
        rubric,
        rs,
        samples=30,
        seed=2,
        keep_draws=True,
        alternatives={"aggregate": ["arithmetic", "geometric"], "missing": ["zero", "reweight"]},
    )
    assert s.choices is not None
    assert s.overall_draws is not None
    choices = dict(s.choices)
    assert set(choices["aggregate"]) == {"arithmetic", "geometric"}
    assert set(choices["missing"]) == {"zero", "reweight"}
    for d in (0, 1, 2, 17):
        r = with_weights(rubric, s.weights_of(d))
        r = attrs.evolve(
            r, defaults=rm.Defaults(rm.Aggregation(choices["aggregate"][d]), choices["missing"][d])
        )
        np.testing.assert_allclose(s.overall_draws[d], rm.score(r, rs).overall, atol=1e-9)
    assert s.index_groups[-2:] == ("choice:aggregate", "choice:missing")


# -- the draws themselves ------------------------------------------------------------------
def test_dirichlet_draws_centre_on_the_nominal_shares_and_keep_zero_weights() -> None:
    r = rm.Rubric(
        "z",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("a", weight=1),
                    rm.Indicator("b", weight=3),
                    rm.Indicator("c", weight=0),
                ],
            )
        ],
    )
    rs = rm.ResponseSet.from_array([[1, 0, 1], [0, 1, 1]], ["x", "y"], r)
    s = rm.sensitivity(r, rs, samples=4000, seed=0, concentration=50.0, keep_draws=True)
    assert s.weight_draws is not None
    gid, kids, w = s.weight_draws[0]
    assert (gid, kids) == ("d", ("a", "b", "c"))
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert (w[:, 2] == 0).all()
    assert (w[:, :2] > 0).all()
    np.testing.assert_allclose(w.mean(axis=0), [0.25, 0.75, 0.0], atol=0.005)
    # Var of a Dirichlet component: p(1 - p) / (concentration + 1)
    np.testing.assert_allclose(w[:, 0].var(), 0.25 * 0.75 / 51, rtol=0.1)


def test_nan_draws_are_counted_not_skipped() -> None:
    """A node at the edge of its min_coverage drops out in some draws: those draws are
    NaN, counted per row, and still part of the sample."""
    r = rm.Rubric(
        "c",
        defaults=rm.Defaults(missing="reweight"),
        dimensions=[
            rm.Dimension("d", min_coverage=0.5, indicators=[rm.Indicator("a"), rm.Indicator("b")])
        ],
        bands=[rm.Band("ok", range=rm.Range(min=0))],
    )
    rs = rm.ResponseSet.from_array([[1, np.nan], [1, 1]], ["x", "y"], r)
    s = rm.sensitivity(r, rs, samples=400, seed=5, keep_draws=True)
    assert s.overall_draws is not None
    nan = np.isnan(s.overall_draws).sum(axis=0)
    assert 50 < nan[0] < 350
    assert nan[1] == 0
    assert s.nan_draws.tolist() == nan.tolist()
    assert s.no_band_probability[0] == pytest.approx(nan[0] / 400)


# -- targeted draws (issue 18 item 2) ------------------------------------------------------
def nested() -> tuple[rm.Rubric, rm.ResponseSet]:
    """Two levels below the top: a dimension of sub-dimensions, and one of indicators."""
    r = rm.Rubric.from_yaml(
        """
rubric: nested
bands: [{id: high, min: 55}, {id: low}]
dimensions:
  - id: digital
    weight: 2
    dimensions:
      - {id: access, indicators: [{id: a1}, {id: a2, weight: 3}]}
      - {id: skills, weight: 2, indicators: [{id: s1}, {id: s2}]}
  - {id: policy, indicators: [{id: p1, weight: 2}, {id: p2}]}
"""
    )
    rng = np.random.default_rng(4)
    rs = rm.ResponseSet.from_array(
        rng.integers(0, 2, size=(30, 6)).astype(float), [f"a{i}" for i in range(30)], r
    )
    return r, rs


@pytest.mark.parametrize(
    ("vary", "groups"),
    [
        ("all", ("digital", "access", "skills", "policy", "overall")),
        ("dimensions", ("overall",)),
        ("indicators", ("access", "skills", "policy")),
        (["skills", "overall"], ("skills", "overall")),
    ],
)
def test_draws_target_a_level_of_the_tree(vary: str | list[str], groups: tuple[str, ...]) -> None:
    """Only the chosen weight groups are drawn (and are factors of the indices); every
    other weight keeps its nominal value, as a loop over rm.score with only those weights
    replaced shows."""
    r, rs = nested()
    s = rm.sensitivity(r, rs, samples=60, seed=2, concentration=5.0, vary=vary, keep_draws=True)
    assert s.varied == groups
    assert s.index_groups == groups
    assert s.weight_draws is not None
    assert tuple(g for g, _, _ in s.weight_draws) == groups
    assert s.overall_draws is not None
    for d in range(0, 60, 7):
        w = nominal_weights(r)
        w.update(s.weights_of(d))
        res = rm.score(with_weights(r, w), rs)
        np.testing.assert_allclose(s.overall_draws[d], res.overall, rtol=0, atol=1e-9)
    assert not np.allclose(s.overall_draws, s.overall_draws[0])  # the chosen weights moved


def nominal_weights(r: rm.Rubric) -> dict[str, dict[str, float]]:
    w = {d.id: {c.id: c.weight for c in d.children} for d in r.all_dimensions}
    w["overall"] = {d.id: d.weight for d in r.dimensions}
    return w


def test_drawing_only_the_top_level_leaves_the_dimension_scores_alone() -> None:
    r, rs = nested()
    base = rm.score(r, rs)
    s = rm.sensitivity(r, rs, samples=40, concentration=2.0, vary="dimensions", keep_draws=True)
    assert s.overall_draws is not None
    # an agency whose dimensions all score the same cannot move, whatever their weights
    same = np.isclose(base.node_exact[:, 0], base.node_exact[:, 3])
    assert same.any()
    np.testing.assert_allclose(s.overall_draws[:, same], base.overall[same][None, :].repeat(40, 0))


@pytest.mark.parametrize(
    ("vary", "match", "hint"),
    [
        (
            "dimension",
            "'vary' must be one of all, dimensions, indicators",
            "did you mean 'dimensions'?",
        ),
        (["acess"], "'vary' names 'acess', which is not a node", "did you mean 'access'?"),
        ([], "'vary' must name at least one node", "use one of all, dimensions, indicators"),
    ],
)
def test_a_bad_level_is_a_readiness_error_with_a_hint(vary: object, match: str, hint: str) -> None:
    r, rs = nested()
    with pytest.raises(rm.ReadinessError, match=match) as err:
        rm.sensitivity(r, rs, samples=5, vary=vary)  # type: ignore[arg-type]
    assert err.value.problems[0].hint.startswith(hint)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"samples": 0}, "samples"),
        ({"weights": "uniform"}, "weights"),
        ({"concentration": 0}, "concentration"),
        ({"noise": 1.0}, "noise"),
        ({"alternatives": {"aggregate": ["median"]}}, "not an aggregation"),
        ({"alternatives": {"missing": ["error"]}}, "missing policy"),
        ({"alternatives": {"weights": ["x"]}}, "unknown alternative"),
        ({"indices_on": "band"}, "indices_on"),
        ({"chunk": 0}, "chunk"),
    ],
)
def test_bad_arguments_raise_readiness_errors(kw: dict[str, object], match: str) -> None:
    rubric, rs = make(5, 3)
    with pytest.raises(rm.ReadinessError, match=match):
        rm.sensitivity(rubric, rs, **kw)  # type: ignore[arg-type]


# -- ranks, percentiles, indices -----------------------------------------------------------
def test_ranks_of_a_draws_axis_are_competition_ranks_draw_by_draw() -> None:
    """One sort ranks every draw: 1 + the eligible scores of the period strictly above."""
    rng = np.random.default_rng(1)
    score = rng.integers(0, 5, size=(30, 9)).astype(float)
    score[rng.random(score.shape) < 0.1] = np.nan
    eligible = np.array([True] * 7 + [False, True])
    periods = [np.array([0, 2, 4, 6, 8]), np.array([1, 3, 5, 7])]
    got = competition_rank(score, eligible, periods)
    for d in range(30):
        np.testing.assert_array_equal(got[d], competition_rank(score[d], eligible, periods))
        for rows in periods:
            for i in rows:
                rivals = [score[d, j] for j in rows if eligible[j] and not np.isnan(score[d, j])]
                ranked = eligible[i] and not np.isnan(score[d, i])
                want = 1 + sum(r > score[d, i] for r in rivals) if ranked else 0
                assert got[d, i] == want


def test_rank_percentiles_are_inverted_cdf_ignoring_unranked() -> None:
    rng = np.random.default_rng(0)
    ranks = rng.integers(0, 30, size=(997, 40))
    ranks[:, 3] = 0
    with warnings.catch_warnings():  # column 3 is never ranked: an all-NaN slice
        warnings.simplefilter("ignore", RuntimeWarning)
        want = np.nanpercentile(
            np.where(ranks > 0, ranks, np.nan), [5, 50, 95], axis=0, method="inverted_cdf"
        ).T
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(rank_percentiles(ranks, (5, 50, 95)), want)


def test_first_order_index_sees_what_drives_the_output() -> None:
    """Y driven by factor A only: S_A near 1, S_B near 0; a categorical factor that
    shifts Y explains its share of the variance."""
    rng = np.random.default_rng(0)
    d = 4000
    a = rng.dirichlet([5, 5, 5], size=d)
    b = rng.dirichlet([5, 5], size=d)
    # linear in the group (as arithmetic aggregation is), plus a mild curvature
    y = np.column_stack([2 * a[:, 0] + a[:, 1] + a[:, 0] ** 2, rng.normal(size=d)])
    s = first_order(y, [(a, False), (b, False)])
    assert s[0, 0] > 0.97
    assert s[0, 1] < 0.02
    assert s[1, 0] < 0.02
    assert s[1, 1] < 0.02
    c = rng.integers(0, 2, size=d)
    y2 = (c + rng.normal(scale=1.0, size=d))[:, None]  # Var(E[Y|C]) / Var(Y) = 0.25 / 1.25
    assert first_order(y2, [(c[:, None], True)])[0, 0] == pytest.approx(0.2, abs=0.03)


def test_indices_name_every_weight_group_and_the_top_weights_matter_most() -> None:
    """Equal answers inside d0 make d0's own weights irrelevant."""
    rubric, rs = make(30, 9, bands=False)
    vals = np.array(rs.values, copy=True)
    vals[:, 0:3] = vals[:, [0]]
    rs = rm.ResponseSet.from_array(vals, rs.agencies, rubric, period=2020)
    s = rm.sensitivity(rubric, rs, samples=1000, seed=0, concentration=10.0)
    fo = dict(zip(s.index_groups, s.first_order.tolist(), strict=False))
    assert set(fo) == {"d0", "d1", "d2", "overall"}
    assert fo["d0"] < 0.02 < fo["overall"]
    rec = s.to_records()[0]
    assert set(rec) >= {"agency", "rank_p5", "rank_p50", "rank_p95", "likely_band"}


# -- command line --------------------------------------------------------------------------
def test_cli_prints_a_rank_interval_table(capsys: pytest.CaptureFixture[str]) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    survey = str(demo_survey_path())
    code = main(
        [
            "sensitivity",
            "thai-dg-readiness-2016",
            survey,
            "--samples",
            "40",
            "--top",
            "5",
            "--period",
            "2016",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "p5" in out
    assert "likely band" in out
    assert "40 weight draws (Dirichlet, concentration 100)" in out
    table = out.split("First-order")[0].strip().splitlines()
    assert len(table) == 1 + 2 + 5  # title, header, rule, five agencies
    assert (
        main(
            [
                "sensitivity",
                "thai-dg-readiness-2016",
                survey,
                "--noise",
                "1.5",
                "--weights",
                "multiplicative",
            ]
        )
        == 1
    )
    assert "'noise' must be in [0, 1)" in capsys.readouterr().err
    assert main(["sensitivity", "thai-dg-readiness-2016", survey, "--period", "1999"]) == 1


def test_cli_draws_one_level_and_reports_a_bad_level(capsys: pytest.CaptureFixture[str]) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    args = ["sensitivity", "thai-dg-readiness-2016", str(demo_survey_path()), "--samples", "20"]
    assert main([*args, "--vary", "dimensions", "--top", "3"]) == 0
    assert "p5" in capsys.readouterr().out
    assert main([*args, "--vary", "policy, overall", "--top", "3"]) == 0
    assert main([*args, "--vary", "dimension"]) == 1
    err = capsys.readouterr().err
    assert "'vary' must be one of all, dimensions, indicators" in err
    assert "did you mean 'dimensions'?" in err


def test_without_indices_the_uncertainty_is_the_same_and_no_factor_is_listed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rubric, rs = make(30, 10, gaps=True)
    a = rm.sensitivity(rubric, rs, samples=40, seed=2)
    b = rm.sensitivity(rubric, rs, samples=40, seed=2, indices=False)
    np.testing.assert_array_equal(a.rank_interval, b.rank_interval)
    np.testing.assert_array_equal(a.band_probability, b.band_probability)
    assert a.index_groups
    assert b.index_groups == ()
    assert b.first_order_by_row.shape == (len(rs.agencies), 0)
    assert b.first_order.shape == (0,)
    with pytest.raises(TypeError, match="indices"):
        rm.sensitivity(rubric, rs, samples=4, indices="no")  # type: ignore[arg-type]


def test_cli_no_indices_leaves_out_the_index_table(capsys: pytest.CaptureFixture[str]) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    args = ["sensitivity", "thai-dg-readiness-2016", str(demo_survey_path()), "--samples", "30"]
    assert main(args) == 0
    assert "First-order sensitivity" in capsys.readouterr().out
    assert main([*args, "--no-indices"]) == 0
    out = capsys.readouterr().out
    assert "First-order sensitivity" not in out
    assert "p95" in out


def test_first_order_is_the_same_whatever_the_block_of_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from readiness_model.analysis import _indices

    rng = np.random.default_rng(4)
    x = rng.uniform(0.75, 1.25, (200, 5))
    y = rng.normal(size=(200, 37)) + x[:, :1] * rng.normal(size=(1, 37))
    y[3, 5] = np.nan
    factors = [(x, False), (x[:, :1] * 0 + 1, False), (rng.integers(0, 3, (200, 1)), True)]
    whole = first_order(y, factors)
    monkeypatch.setattr(_indices, "BLOCK_BYTES", 8 * 200 * 4)  # blocks of 4 rows
    np.testing.assert_array_equal(first_order(y, factors), whole)
    assert np.isnan(whole[5]).all()
    assert (whole[:, 1][~np.isnan(whole[:, 1])] == 0).all()


@pytest.mark.filterwarnings("error::RuntimeWarning")  # (nor a numpy warning)
def test_first_order_of_subnormal_scores_is_nan_not_a_crash() -> None:
    """Scores so small that their squared deviations underflow (found by hypothesis:
    the bins' scale overflowed to inf, inf × 0 gave NaN bin codes, and np.bincount
    refused them): such a row has no index."""
    from readiness_model.analysis._indices import first_order

    rng = np.random.default_rng(3)
    x = rng.uniform(0.5, 1.5, size=(40, 2))
    y = np.full((40, 2), -8.81909231e-294)
    y[::2, 0] += 1e-308 * x[::2, 0]  # a spread far below sqrt of the smallest double
    y[:, 1] = x[:, 0] + 0.1 * x[:, 1]  # an ordinary row beside it
    out = first_order(y, [(x, False)])
    assert np.isnan(out[0, 0])
    assert 0.5 < out[1, 0] <= 1.0  # (the bins are coarse with 40 draws)


def test_first_order_of_an_infinite_draw_is_nan_not_a_crash() -> None:
    """Review finding: an infinite score in a draw made the bins' codes negative and
    np.bincount refused them; such a row has no index, as a row with a NaN draw."""
    from readiness_model.analysis._indices import first_order

    rng = np.random.default_rng(5)
    x = rng.uniform(0.5, 1.5, size=(40, 2))
    y = np.stack([x[:, 0], x[:, 0] + x[:, 1]], axis=1)
    y[3, 0], y[7, 1] = np.inf, -np.inf
    out = first_order(y, [(x, False)])
    assert np.isnan(out).all()
    y[3, 0], y[7, 1] = 1.0, 2.0
    assert np.isfinite(first_order(y, [(x, False)])).all()
