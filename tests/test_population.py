"""Population statistics as a value (issue 17): computed, saved, merged, scored against.

Each property was seen to fail against a deliberately broken library (one break at a
time, restored): the JSON round trip with floats written by ``"%.15g"``; the merge with
``delta * other.count / self.count`` in Chan's mean update, and with the distinct
counts of one side dropped; plain scoring = scoring against the answers' own
population with ranks against it taken as ``better + 2``; a late agency with the frozen
statistics ignored (``FrozenStats`` not passed to ``indicator_scores``).
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.engine.population import rubric_steps
from readiness_model.populations import ColumnStatistics, answers_digest
from readiness_model.testing import responses, rubrics
from snapshot_cases import ZOO, _zoo_answers, _zoo_rubric

RELATIVE = ("minmax", "zscore", "rank", "percentile", "target", "goalposts")
SMALL = {"max_indicators": 6, "max_children": 3, "max_depth": 2, "prose": False}
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Num, N = rm.NumericScale, rm.Normalization


def zoo(seed: int = 3, n: int = 60) -> tuple[rm.Rubric, rm.ResponseSet]:
    root, missing = ZOO["arithmetic-zero"]
    rubric = _zoo_rubric(root, missing)
    return rubric, _zoo_answers(rubric, seed, n)


def one(method: str, target: float | None = None, lower: bool = False) -> rm.Rubric:
    ind = rm.Indicator(
        "x",
        scale=Num(),
        normalize=N(method, target=target) if target is not None else N(method),
        direction="lower_is_better" if lower else "higher_is_better",
    )
    return rm.Rubric("one", dimensions=[rm.Dimension("d", indicators=[ind])], rounding=4)


def answers(rubric: rm.Rubric, xs: list[float], period: Any = 2016) -> rm.ResponseSet:
    return rm.ResponseSet.from_array(
        [[x] for x in xs], [f"a{i}" for i in range(len(xs))], rubric, period=period
    )


def passes(rubric: rm.Rubric, parts: list[rm.ResponseSet]) -> tuple[rm.Population, int]:
    """The documented loop: merge every part's population until complete."""
    pop: rm.Population | None = None
    k = 0
    while pop is None or not pop.complete:
        pop = functools.reduce(
            rm.Population.merge, [rm.population(rubric, p, known=pop) for p in parts]
        )
        k += 1
        assert k <= len(rubric_steps(rubric, rm.engine.compile_rubric(rubric)))
    return pop, k


# -- the value and its file ------------------------------------------------------------
@SETTINGS
@given(st.data())
def test_a_population_round_trips_through_json_exactly(data: st.DataObject) -> None:
    """from_json(to_json(p)) == p, and writing it again gives the same text."""
    rubric = data.draw(rubrics(**SMALL, normalizations=RELATIVE))
    rs = data.draw(responses(rubric, max_agencies=8))
    pop = rm.population(rubric, rs)
    text = pop.to_json()
    back = rm.Population.from_json(text)
    assert back == pop
    assert back.to_json() == text


def test_a_population_file_round_trips(tmp_path: Path) -> None:
    rubric, rs = zoo()
    pop = rm.population(rubric, rs)
    pop.to_json(tmp_path / "round.json")
    assert rm.Population.from_json(tmp_path / "round.json") == pop
    assert rm.Population.from_json(str(tmp_path / "round.json")) == pop


def test_statistics_without_values_and_infinite_ones_round_trip() -> None:
    st_ = ColumnStatistics(0, min=math.nan, max=math.nan, mean=math.nan, sd=math.nan)
    big = ColumnStatistics(2, min=-1e308, max=1e308, mean=math.inf, sd=-0.0)
    p = rm.population(one("zscore"), answers(one("zscore"), [1.0, 2.0]))
    period = attrs.evolve(p.periods[0], indicators=(("x", st_),), nodes=(("n", big),))
    pop = attrs.evolve(p, periods=(period,))
    text = pop.to_json()
    assert '"mean": "inf"' in text
    assert '"min": null' in text
    assert rm.Population.from_json(text) == pop


def test_what_a_population_file_says() -> None:
    """Statistics are in the answer's own units, even when lower is better."""
    rubric = one("minmax", lower=True)
    pop = rm.population(rubric, answers(rubric, [92.0, 97.5, 99.0]))
    doc = json.loads(pop.to_json())
    assert doc["format"] == "readiness-model population"
    assert doc["rubric"] == {"id": "one", "version": "1", "sha256": rubric.content_hash}
    assert doc["rows"] == 3
    assert [s["name"] for s in doc["steps"]] == ["indicators", "overall"]
    assert doc["periods"][0]["indicators"]["x"] == {"count": 3, "min": 92.0, "max": 99.0}
    assert doc["periods"][0]["overall"]["overall"] == {
        "count": 3,
        "values": [0.0, 21.4286, 100.0],
        "counts": [1, 1, 1],
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format="x"), "not a population file"),
        (lambda d: d.update(rows=-1), "whole number >= 0"),
        (lambda d: d["periods"][0]["indicators"]["x"].update(count=2.5), "whole number"),
        (lambda d: d["periods"][0]["overall"]["overall"].update(counts=[1, 1]), "same length"),
        (lambda d: d["periods"][0].update(extra=1), "unknown field 'extra'"),
        (lambda d: d["steps"][0].update(kind="rows"), "expected one of"),
    ],
)
def test_a_bad_population_file_is_reported_where_it_is_wrong(edit: Any, message: str) -> None:
    rubric = one("minmax")
    doc = json.loads(rm.population(rubric, answers(rubric, [1.0, 2.0, 3.0])).to_json())
    edit(doc)
    with pytest.raises(rm.ResponseError, match=message) as err:
        rm.Population.from_json(json.dumps(doc))
    assert err.value.problems[0].path.startswith("$")


def test_a_repeated_key_and_nan_are_errors() -> None:
    with pytest.raises(rm.ResponseError, match="repeated key 'rows'"):
        rm.Population.from_json('{"rows": 1, "rows": 2}')
    with pytest.raises(rm.ResponseError, match="NaN is not allowed"):
        rm.Population.from_json('{"rows": NaN}')
    with pytest.raises(rm.ResponseError, match="cannot read"):
        rm.Population.from_json("no-such-file.json")


# -- merge -----------------------------------------------------------------------------
def _close(a: float | None, b: float | None, scale: float) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= 1e-12 * max(1.0, scale)


def _expanded(st_: ColumnStatistics) -> np.ndarray:
    assert st_.values is not None
    assert st_.counts is not None
    return np.repeat(st_.values, st_.counts)


@SETTINGS
@given(st.data())
def test_merged_partitions_give_the_statistics_of_the_whole(data: st.DataObject) -> None:
    """Parts merged (in passes) equal the whole: rows, the answers hash, counts, extremes
    and distinct values bit for bit; means and sds to 1e-12 of the values' magnitude;
    node and overall statistics (computed through matrix products, whose last bits
    depend on the rows that share them) to 1e-12 of the scale; and scoring with the
    merged population gives the scores of plain scoring to 1e-12."""
    rubric = data.draw(rubrics(**SMALL, normalizations=RELATIVE))
    rs = data.draw(responses(rubric, min_agencies=2, max_agencies=10))
    k = data.draw(st.integers(1, 4))
    owner = np.array(
        data.draw(
            st.lists(st.integers(0, k - 1), min_size=len(rs.agencies), max_size=len(rs.agencies))
        )
    )
    parts = [rs.select(np.flatnonzero(owner == i)) for i in range(k) if (owner == i).any()]
    whole = rm.population(rubric, rs)
    merged, _ = passes(rubric, parts)
    assert (merged.rows, merged.answers_sha256) == (whole.rows, whole.answers_sha256)
    assert merged.period_labels == whole.period_labels
    assert all(s.held and s.given_by is None for s in merged.steps)
    lo, hi = rubric.scale
    for a, b in zip(merged.periods, whole.periods, strict=True):
        assert a.rows == b.rows
        for (ka, sa), (kb, sb) in zip(a.indicators, b.indicators, strict=True):
            assert ka == kb
            assert (sa.count, sa.min, sa.max) == (sb.count, sb.min, sb.max) or (
                sa.count == sb.count == 0
            )
            if sb.values is not None:
                assert sa.values is not None
                assert sa.counts is not None
                assert sb.counts is not None
                np.testing.assert_array_equal(sa.values, sb.values)
                np.testing.assert_array_equal(sa.counts, sb.counts)
            size = max([abs(v) for v in (sb.min, sb.max, sb.mean) if v is not None] or [1.0])
            assert _close(sa.mean, sb.mean, size)
            assert _close(sa.sd, sb.sd, size)
        for (ka, sa), (kb, sb) in zip(a.nodes, b.nodes, strict=True):
            assert ka == kb
            assert sa.count == sb.count
            assert _close(sa.min, sb.min, 1.0)
            assert _close(sa.max, sb.max, 1.0)
        (_, oa), (_, ob) = a.overall[0], b.overall[0]
        assert oa.count == ob.count
        np.testing.assert_allclose(_expanded(oa), _expanded(ob), rtol=0, atol=1e-12 * (hi - lo))
    plain = rm.score(rubric, rs)
    frozen = rm.score(rubric, rs, population=merged)
    np.testing.assert_allclose(
        frozen.overall_exact, plain.overall_exact, rtol=0, atol=1e-12 * (hi - lo)
    )
    np.testing.assert_allclose(frozen.node_exact, plain.node_exact, rtol=0, atol=1e-12 * (hi - lo))


def test_merging_in_any_order_and_grouping_gives_the_same_counts() -> None:
    rubric, rs = zoo()
    parts = [rs.select(np.arange(i, len(rs.agencies), 4)) for i in range(4)]
    a, _ = passes(rubric, parts)
    b, _ = passes(rubric, parts[::-1])
    for pa, pb in zip(a.periods, b.periods, strict=True):
        for (_, x), (_, y) in zip(pa.indicators, pb.indicators, strict=True):
            assert (x.count, x.min, x.max) == (y.count, y.min, y.max)
    assert a.answers_sha256 == b.answers_sha256


def test_passes_needed_follow_the_dependencies() -> None:
    """One pass without population statistics, two with population-relative indicators,
    one more per level of node rescale (the zoo rescales one level)."""
    parts = lambda rs: [rs.select([0, 2]), rs.select([1])]  # noqa: E731
    plain = rm.Rubric("p", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    rs = rm.ResponseSet.from_array([[1], [0], [1]], ["a", "b", "c"], plain)
    assert passes(plain, parts(rs))[1] == 1
    rubric = one("rank")
    assert passes(rubric, parts(answers(rubric, [1.0, 5.0, 3.0])))[1] == 2
    z, zs = zoo()
    assert passes(z, parts(zs))[1] == 3


def test_partitions_merged_once_drop_what_depends_on_their_own_statistics() -> None:
    rubric, rs = zoo()
    a = rm.population(rubric, rs.select(np.arange(0, 30)))
    b = rm.population(rubric, rs.select(np.arange(30, 60)))
    assert a.complete
    assert b.complete
    m = a.merge(b)
    assert [(s.name, s.held) for s in m.steps] == [
        ("indicators", True),
        ("nodes-1", False),
        ("overall", False),
    ]
    assert not m.complete
    with pytest.raises(rm.ReadinessError, match="incomplete"):
        rm.score(rubric, rs, population=m)


def test_a_part_without_members_of_the_population_merges_in_the_usual_passes() -> None:
    """A partition holding only non-members (or nobody of a period) adds nothing."""
    x = rm.Indicator("x", scale=Num(), normalize=N("minmax"))
    rubric = rm.Rubric(
        "m", dimensions=[rm.Dimension("d", indicators=[x])], population={"kind": ["member"]}
    )
    rs = rm.ResponseSet.from_array(
        [[1.0], [3.0], [2.0], [9.0]],
        ["a", "b", "c", "d"],
        rubric,
        period=[2016, 2016, 2016, 2015],
        attributes={"kind": ["member", "member", "member", "other"]},
    )
    merged, k = passes(rubric, [rs.select([0, 1]), rs.select([2]), rs.select([3])])
    assert k == 2
    assert merged == rm.population(rubric, rs)


def test_merge_of_populations_of_different_rubrics_is_an_error() -> None:
    a = rm.population(one("rank"), answers(one("rank"), [1.0]))
    b = rm.population(one("minmax"), answers(one("minmax"), [1.0]))
    with pytest.raises(rm.ReadinessError, match="different rubrics"):
        a.merge(b)


def test_column_statistics_merge_with_nothing_is_exact() -> None:
    x = ColumnStatistics(3, min=0.1, max=0.7, mean=1 / 3, sd=0.2, values=[0.1], counts=[3])
    empty = ColumnStatistics(0, min=math.nan, max=math.nan, mean=math.nan, sd=math.nan)
    empty = attrs.evolve(empty, values=np.empty(0), counts=np.empty(0, np.int64))
    assert x.merge(empty) == x == empty.merge(x)


def test_the_answers_hash_does_not_depend_on_row_order() -> None:
    _rubric, rs = zoo()
    perm = np.random.default_rng(0).permutation(len(rs.agencies))
    assert answers_digest(rs, np.arange(len(rs.agencies))) == answers_digest(
        rs.select(perm), perm * 0 + np.arange(len(rs.agencies))
    )
    changed = attrs.evolve(rs, values=np.where(np.isnan(rs.values), rs.values, rs.values + 1))
    assert answers_digest(rs, np.arange(len(rs.agencies))) != answers_digest(
        changed, np.arange(len(rs.agencies))
    )


# -- scoring against a population ------------------------------------------------------
@SETTINGS
@given(st.data())
def test_scoring_against_the_answers_own_population_is_plain_scoring(
    data: st.DataObject,
) -> None:
    """score(population=population(rs), rank_against=it) is bit-identical to score(rs)."""
    rubric = data.draw(rubrics(**SMALL, normalizations=RELATIVE))
    rs = data.draw(responses(rubric, max_agencies=8))
    pop = rm.population(rubric, rs)
    assert rm.score(rubric, rs, population=pop, rank_against=pop).equals(rm.score(rubric, rs))


@pytest.mark.parametrize("name", sorted(ZOO))
def test_every_method_of_the_zoo_scores_the_same_against_its_own_population(name: str) -> None:
    rubric = _zoo_rubric(*ZOO[name])
    rs = _zoo_answers(rubric, 7)
    pop = rm.Population.from_json(rm.population(rubric, rs).to_json())
    assert rm.score(rubric, rs, population=pop, rank_against=pop).equals(rm.score(rubric, rs))


def test_a_late_agency_leaves_every_published_number_unchanged() -> None:
    """The round's published scores, bands, groups and ranks stay as published when a late
    agency is scored against the frozen round; plain re-scoring would move them."""
    rubric, rs = zoo(n=60)
    published = rm.score(rubric, rs)
    pop = rm.Population.from_json(rm.population(rubric, rs).to_json())
    late = _zoo_answers(rubric, 99, n=4).select([2])  # a 2016 department, other answers
    late = attrs.evolve(late, agencies=("late",))
    alone = rm.score(rubric, late, population=pop, rank_against=pop)
    both = rm.ResponseSet.from_array(
        np.vstack([rs.values, late.values]),
        [*rs.agencies, "late"],
        rubric,
        period=[*rs.periods, *late.periods],
        na=np.vstack([rs.na, late.na]),
        attributes={k: [*v, *late.attribute(k)] for k, v in rs.attributes},
    )
    again = rm.score(rubric, both, population=pop, rank_against=pop)
    n = len(rs.agencies)
    for field in ("overall", "node_scores", "rank", "coverage", "change"):
        np.testing.assert_array_equal(getattr(again, field)[:n], getattr(published, field))
    for field in ("band", "trend", "group"):
        assert getattr(again, field)[:n] == getattr(published, field)
    np.testing.assert_allclose(again.node_exact[:n], published.node_exact, rtol=0, atol=1e-12)
    # the late row is what it is alone, ranked among the round's 2016 departments
    assert again.overall[n] == alone.overall[0]
    assert again.rank[n] == alone.rank[0]
    p2016 = [i for i in range(n) if rs.periods[i] == 2016 and published.in_population[i]]
    better = sum(published.overall[i] > alone.overall[0] for i in p2016)
    assert alone.rank[0] == 1 + better
    moved = rm.score(rubric, both)
    assert not np.array_equal(moved.overall[:n], published.overall)


def test_a_one_period_population_scores_every_period() -> None:
    """A 2017 self-assessment against the 2016 round."""
    rubric = one("minmax")
    pop = rm.population(rubric, answers(rubric, [92.0, 99.0], period=2016))
    later = answers(rubric, [95.5, 100.0, 90.0], period=2017)
    assert rm.score(rubric, later, population=pop).overall.tolist() == [50.0, 100.0, 0.0]
    two = rm.population(rubric, rm.ResponseSet.from_array(
        [[1.0], [2.0], [92.0], [99.0]], ["a", "b", "a", "b"], rubric,
        period=[2015, 2015, 2016, 2016]))  # fmt: skip
    with pytest.raises(rm.ReadinessError, match="no statistics for period 2017"):
        rm.score(rubric, later, population=two)
    got = rm.score(rubric, later, population=two.select(2016)).overall.tolist()
    assert got == [50.0, 100.0, 0.0]


def test_a_population_of_another_rubric_is_refused() -> None:
    pop = rm.population(one("rank"), answers(one("rank"), [1.0]))
    with pytest.raises(rm.ReadinessError, match="computed with rubric one") as err:
        rm.score(one("minmax"), answers(one("minmax"), [1.0]), population=pop)
    assert "rm.population(rubric" in err.value.problems[0].hint
    with pytest.raises(rm.ReadinessError, match="must be a Population"):
        rm.score(one("rank"), answers(one("rank"), [1.0]), rank_against="round.json")  # type: ignore[arg-type]


# -- answers outside the reference range -----------------------------------------------
REF = [92.0, 97.5, 97.5, 99.0]


@pytest.mark.parametrize(
    ("method", "target", "late", "expected"),
    [
        ("minmax", None, [90.0, 98.0, 100.0], [0.0, 0.8571, 1.0]),  # clamped
        ("zscore", None, [90.0, 98.0, 100.0], [0.0, 0.8571, 1.0]),  # clamped alike
        ("rank", None, [90.0, 97.5, 98.0, 100.0], [0.0, 0.3333, 1.0, 1.0]),  # below / (n-1)
        ("percentile", None, [90.0, 97.5, 99.0, 100.0], [0.0, 0.5, 0.875, 1.0]),
        ("target", 98.0, [90.0, 95.0, 99.0], [0.0, 0.5, 1.0]),  # from the round's minimum
    ],
)
def test_answers_outside_the_round_follow_each_methods_rule(
    method: str, target: float | None, late: list[float], expected: list[float]
) -> None:
    rubric = one(method, target)
    pop = rm.population(rubric, answers(rubric, REF))
    got = rm.score(rubric, answers(rubric, late), population=pop).indicator_scores[:, 0]
    np.testing.assert_allclose(got, expected, atol=5e-5)


def test_lower_is_better_is_frozen_the_right_way_round() -> None:
    rubric = one("rank", lower=True)
    pop = rm.population(rubric, answers(rubric, REF))
    got = rm.score(rubric, answers(rubric, [100.0, 92.0, 90.0]), population=pop)
    assert got.indicator_scores[:, 0].tolist() == [0.0, 1.0, 1.0]


def test_a_rescaled_node_is_clamped_against_the_round() -> None:
    ind = rm.Indicator("x", scale=Num(goalposts=(0, 10)))
    rubric = rm.Rubric("r", dimensions=[rm.Dimension("d", rescale="minmax", indicators=[ind])])
    pop = rm.population(rubric, answers(rubric, [2.0, 4.0, 6.0]))
    got = rm.score(rubric, answers(rubric, [1.0, 5.0, 9.0]), population=pop)
    assert got.overall.tolist() == [0.0, 75.0, 100.0]


def test_ranks_against_a_round_share_the_rank_of_a_tie() -> None:
    rubric = one("minmax")
    pop = rm.population(rubric, answers(rubric, REF))  # scores 0, 78.57, 78.57, 100
    late = answers(rubric, [97.5, 99.5, 80.0, 95.0])  # 80 clamps to the round's worst
    res = rm.score(rubric, late, population=pop, rank_against=pop)
    assert res.rank.tolist() == [2, 1, 4, 4]
    # without rank_against, ranks are among the answers themselves
    assert rm.score(rubric, late, population=pop).rank.tolist() == [2, 1, 4, 3]


def test_rows_outside_the_ranked_population_get_no_rank_against_a_round() -> None:
    rubric, rs = zoo()
    pop = rm.population(rubric, rs)
    res = rm.score(rubric, rs, population=pop, rank_against=pop)
    assert (res.rank[~res.in_population] == 0).all()


# -- the statistics a method may read --------------------------------------------------
def _reads_sd(x: np.ndarray, ref: rm.ColumnStats) -> np.ndarray:
    out: np.ndarray = x / np.where(ref.sd > 0, ref.sd, 1.0)
    return out


@pytest.fixture
def sd_plugin() -> Any:
    from readiness_model.model import methods

    yield
    methods._NORMALIZATIONS.pop("by_sd", None)
    rm.engine.compile_rubric.cache_clear()


def test_a_method_reads_only_the_statistics_it_declares(sd_plugin: Any) -> None:
    """Whether computed from the rows or frozen: the contract holds on both paths."""
    rm.register_normalization("by_sd", _reads_sd, population=True, stats=["min"], doc="x")
    rubric = one("by_sd")
    rs = answers(rubric, [1.0, 2.0, 4.0])
    with pytest.raises(ValueError, match="'sd' is not offered here"):
        rm.score(rubric, rs)
    rm.register_normalization("by_sd", _reads_sd, population=True, stats=["sd"], replace=True)
    rm.engine.compile_rubric.cache_clear()  # a compiled rubric keeps the method it was given
    rubric = one("by_sd")
    pop = rm.population(rubric, rs)
    assert pop.statistics("x", 2016).kept == ("count", "mean", "sd")  # (sd merges via mean)
    assert rm.score(rubric, rs, population=pop).equals(rm.score(rubric, rs))


def test_a_method_reading_only_the_sd_has_populations_that_merge(sd_plugin: Any) -> None:
    spec = rm.register_normalization("by_sd", _reads_sd, population=True, stats=["sd"])
    rm.engine.compile_rubric.cache_clear()
    assert spec.stats == ("count", "mean", "sd")
    rubric = one("by_sd")
    rs = answers(rubric, [1.0, 2.0, 4.0, 8.0])
    whole = rm.population(rubric, rs)
    merged = rm.population(rubric, rs.select([0, 1])).merge(
        rm.population(rubric, rs.select([2, 3]))
    )
    got, want = merged.statistics("x", 2016), whole.statistics("x", 2016)
    assert got.kept == want.kept == ("count", "mean", "sd")
    assert (got.count, got.mean) == (want.count, want.mean)
    assert got.sd == pytest.approx(want.sd, rel=1e-15)


def test_a_method_without_declared_statistics_gets_them_all(sd_plugin: Any) -> None:
    spec = rm.register_normalization("by_sd", _reads_sd, population=True, doc="x")
    rm.engine.compile_rubric.cache_clear()
    assert spec.stats == ("count", "min", "max", "mean", "sd", "distinct")
    rubric = one("by_sd")
    pop = rm.population(rubric, answers(rubric, [1.0, 2.0, 2.0]))
    st_ = pop.statistics("x", 2016)
    assert st_.kept == spec.stats
    assert st_.counts is not None
    assert st_.counts.tolist() == [1, 2]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"population": False, "stats": ["min"]}, "not population-relative"),
        ({"population": True, "stats": ["median"]}, "must be a list of count, min"),
        ({"population": True, "stats": "min"}, "must be a list"),
    ],
)
def test_declared_statistics_are_checked(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rm.register_normalization("bad_stats", _reads_sd, **kwargs)


# -- the command line ------------------------------------------------------------------
def test_the_population_command_saves_a_round_that_score_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main

    rubric, rs = zoo()
    rubric_file = tmp_path / "zoo.yaml"
    rubric_file.write_text(rm.dump_rubric(rubric), encoding="utf-8")
    rubric = rm.load_rubric(rubric_file)
    answers_file = tmp_path / "round.csv"
    rm.write_responses(rs, rubric, answers_file)
    out = tmp_path / "round-2016.json"
    assert main(["population", str(rubric_file), str(answers_file), "-o", str(out)]) == 0
    pop = rm.Population.from_json(out)
    assert pop == rm.population(rubric, rm.load_responses(answers_file, rubric))
    assert main(["population", str(rubric_file), str(answers_file)]) == 0
    assert "staff_z" in capsys.readouterr().out
    res = tmp_path / "late.json"
    args = ["score", str(rubric_file), str(answers_file), "-o", str(res)]
    assert main([*args, "--population", str(out), "--rank-against", str(out)]) == 0
    plain = rm.score(rubric, rm.load_responses(answers_file, rubric))
    assert rm.Results.from_json(res).equals(plain)


def test_the_command_line_says_what_is_wrong_with_a_population(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from readiness_model.cli import main
    from readiness_model.cli.cmd_score import demo_survey_path

    demo = demo_survey_path()
    other = tmp_path / "other.json"
    rubric = one("rank")
    rm.population(rubric, answers(rubric, [1.0])).to_json(other)
    code = main(["score", "thai-dg-readiness-2016", str(demo), "--population", str(other)])
    assert code == 1
    assert "computed with rubric one" in capsys.readouterr().err
    code = main(
        ["population", "thai-dg-readiness-2016", str(demo), "-o", "x.json", "--format", "table"]
    )
    assert code == 2
