"""A normalisation and a scale type added from outside the package work together.

Issue 11's acceptance: through the public registration API only, add a normalisation
("log", with a parameter) and a scale type ("likert", five labelled levels), then score a
rubric that uses both, with ``explain``, ``sensitivity``, ``validate``, ``schema`` and the
hypothesis strategies of :mod:`readiness_model.testing`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from plugin_likert import LikertScale
from readiness_model.cli import main
from readiness_model.model import methods
from readiness_model.model.scales import _registry
from readiness_model.testing import responses

RUBRIC = """\
rubric: plugins-together
version: "1"
rounding: {decimals: 2}
dimensions:
  - id: reach
    weight: 2
    indicators:
      - {id: users, scale: {type: numeric}, normalize: {method: log, cap: 999}}
      - {id: outages, scale: {type: numeric}, direction: lower_is_better,
         normalize: {method: log, cap: 99}}
  - id: people
    indicators:
      - {id: satisfied, scale: {type: likert}}
      - {id: supported, scale: {type: likert}, weight: 2}
bands:
  - {id: good, min: 50}
  - {id: weak}
examples:
  - agency: best
    answers: {users: 999, outages: 0, satisfied: strongly_agree, supported: 5}
    expect: {overall: 100, band: good}
"""

ANSWERS = """\
agency,period,users,outages,satisfied,supported
a,2016,999,0,agree,strongly_agree
b,2016,9,9,disagree,neutral
c,2016,99,99,n/a,2
"""


def log_score(x: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """``clamp(log(1 + x) / log(1 + cap), 0, 1)``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.clip(np.log1p(np.maximum(x, 0.0)) / np.log1p(cap), 0.0, 1.0)
    return out


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Register both plug-ins; forget them afterwards."""
    monkeypatch.setattr(methods, "_NORMALIZATIONS", dict(methods._NORMALIZATIONS))
    monkeypatch.setattr(methods, "_AGGREGATIONS", dict(methods._AGGREGATIONS))
    saved = dict(_registry._TYPES), dict(_registry._PROVIDERS)
    rm.register_normalization(
        "log",
        log_score,
        population=False,
        params=[rm.Param("cap", required=True, doc="The answer that scores 1.")],
        doc="Logarithmic score up to a cap.",
        formula="clamp(log(1 + x) / log(1 + cap), 0, 1)",
    )
    rm.register_scale(LikertScale)
    yield
    _registry._TYPES.clear()
    _registry._TYPES.update(saved[0])
    _registry._PROVIDERS.clear()
    _registry._PROVIDERS.update(saved[1])
    rm.engine.compile_rubric.cache_clear()


@pytest.fixture
def files(plugins: None, tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "r.yaml").write_text(RUBRIC, encoding="utf-8")
    (tmp_path / "a.csv").write_text(ANSWERS, encoding="utf-8")
    return tmp_path / "r.yaml", tmp_path / "a.csv"


def test_a_rubric_using_both_plug_ins_scores_and_explains(files: tuple[Path, Path]) -> None:
    """Scores follow the two plug-ins' formulas; explanations add up; not-applicable drops."""
    rubric = rm.load_rubric(files[0])
    res = rm.score(rubric, rm.load_responses(files[1], rubric))
    # a: users log(1000)/log(1000) = 1, outages 1 - 0 = 1; likert agree 0.75, strongly 1
    assert res.agency("a").overall == pytest.approx(round((2 * 1 + (0.75 + 2) / 3) / 3 * 100, 2))
    # c: satisfied is n/a, supported "2" is point 2 -> 0.25
    assert res.agency("c").dimensions["people"] == pytest.approx(25.0)
    for agency in ("a", "b", "c"):
        ex = rm.explain(res, agency)
        assert math.isclose(ex.total(), ex.overall_exact, abs_tol=1e-9)
    kinds = {(k, n) for k, n, _ in res.provenance.methods}
    assert ("normalization", "log") in kinds
    assert rm.check_examples(rubric)[0].passed


def test_sensitivity_runs_over_both_plug_ins(files: tuple[Path, Path]) -> None:
    rubric = rm.load_rubric(files[0])
    s = rm.sensitivity(rubric, rm.load_responses(files[1], rubric), samples=60, seed=2)
    assert s.rank_interval.shape == (3, 3)
    assert s.nan_draws.tolist() == [0, 0, 0]


def test_validate_and_schema_know_both_plug_ins(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(files[0])]) == 0
    capsys.readouterr()
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    text = json.dumps(schema)
    assert '"likert"' in text
    assert '"log"' in text
    broken = files[0].with_name("broken.yaml")
    broken.write_text(RUBRIC.replace("cap: 99}", "cap: lots}"), encoding="utf-8")
    assert main(["validate", str(broken)]) == 1
    assert "'cap' must be a finite number" in capsys.readouterr().out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_hypothesis_strategies_draw_answers_for_both(data: st.DataObject) -> None:
    """readiness_model.testing draws valid answers for the plug-in scale, which score."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(methods, "_NORMALIZATIONS", dict(methods._NORMALIZATIONS))
        saved = dict(_registry._TYPES), dict(_registry._PROVIDERS)
        try:
            rm.register_normalization(
                "log",
                log_score,
                population=False,
                params=[rm.Param("cap", required=True)],
                doc="Logarithmic score up to a cap.",
                formula="clamp(log(1 + x) / log(1 + cap), 0, 1)",
            )
            rm.register_scale(LikertScale)
            rubric = rm.rubric_from_yaml(RUBRIC)
            rs = data.draw(responses(rubric, max_agencies=5))
            res = rm.score(rubric, rs)
            ok = ~np.isnan(res.overall)
            assert ((res.overall[ok] >= 0) & (res.overall[ok] <= 100)).all()
        finally:
            _registry._TYPES.clear()
            _registry._TYPES.update(saved[0])
            _registry._PROVIDERS.clear()
            _registry._PROVIDERS.update(saved[1])
            rm.engine.compile_rubric.cache_clear()
