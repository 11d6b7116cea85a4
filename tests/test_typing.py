"""Typing and errors that fit Python habits (issue 16, item 4)."""

from __future__ import annotations

import importlib.util
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path

HERE = Path(__file__).parent


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="needs mypy")
def test_a_client_of_every_public_function_sees_no_any(tmp_path: Path) -> None:
    """``mypy --strict --disallow-any-expr`` on tests/typing/client.py (no casts)."""
    src = Path(rm.__file__).parents[1]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(HERE / "typing" / "mypy.ini"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "client.py",
        ],
        cwd=HERE / "typing",
        env={"MYPYPATH": str(src), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def tiny() -> rm.Results:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    return rm.score(r, rm.ResponseSet.from_array([[1], [0]], ["moc", "dga"], r))


def test_unknown_agency_is_a_key_error_and_a_readiness_error() -> None:
    res = tiny()
    with pytest.raises(KeyError) as err:
        res.agency("mocc")
    assert isinstance(err.value, rm.ResponseError)
    assert isinstance(err.value, rm.UnknownAgencyError)
    assert str(err.value).startswith("no agency 'mocc' in these results")  # not quoted
    assert "did you mean 'moc'?" in str(err.value)
    with pytest.raises(KeyError):
        rm.explain(res, "nobody")
    with pytest.raises(KeyError):
        rm.render_report(res, agencies=["nobody"])
    back = pickle.loads(pickle.dumps(err.value))
    assert isinstance(back, KeyError)
    assert back.problems == err.value.problems


def test_missing_files_are_file_not_found_and_readiness_errors(tmp_path: Path) -> None:
    rubric = tiny().rubric
    cases = [
        (lambda: rm.load_rubric(tmp_path / "none.yaml"), rm.RubricError),
        (lambda: rm.load_rubric("no-such-shipped-rubric"), rm.RubricError),
        (lambda: rm.load_responses(tmp_path / "none.csv", rubric), rm.ResponseError),
        (lambda: rm.load_responses(tmp_path / "none.json", rubric), rm.ResponseError),
        (lambda: rm.Results.from_json(tmp_path / "none.json"), rm.ResponseError),
        (lambda: rm.Results.from_csv(tmp_path / "none.csv", rubric), rm.ResponseError),
    ]
    for call, kind in cases:
        with pytest.raises(FileNotFoundError) as err:
            call()
        assert isinstance(err.value, kind)
        assert err.value.problems  # type: ignore[attr-defined]
    # a file that exists but cannot be read is a ReadinessError, not FileNotFoundError
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    with pytest.raises(rm.ResponseError) as other:
        rm.load_responses(folder, rubric)
    assert not isinstance(other.value, FileNotFoundError)


def test_results_equal_by_content_numpy_aware() -> None:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rs = rm.load_responses(demo_survey_path(), rubric)
    a, b = rm.score(rubric, rs), rm.score(rubric, rs)
    assert a is not b
    assert a == b  # NaN scores (unranked rows, missing dimensions) compare equal
    assert np.isnan(a.change).any()
    assert a != rm.score(rubric, rs.select(list(range(len(rs.agencies)))[::-1]))


def test_numeric_columns_are_typed_with_one_period() -> None:
    pd = pytest.importorskip("pandas")
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    rs = rm.load_responses(demo_survey_path(), rubric)
    one = rm.score(rubric, rs.select([i for i, p in enumerate(rs.periods) if p == 2016]))
    df = one.to_dataframe()
    for col in ("overall", "coverage", "change", *one.node_ids):
        assert df[col].dtype == np.float64, col
    assert df["change"].isna().all()
    assert df["trend"].dtype == pd.Series(["x"]).dtype
    assert df["rank"].dtype == "Int64"
