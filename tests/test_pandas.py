"""pandas interop (optional extra): Results.to_dataframe, ResponseSet.from_dataframe."""

from __future__ import annotations

import math
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.interop import MissingExtraError
from readiness_model.testing import responses, rubrics


@pytest.fixture(scope="module")
def pd() -> Any:
    return pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def demo() -> rm.Results:
    rubric = rm.load_rubric("thai-dg-readiness-2016")
    return rm.score(rubric, rm.load_responses(demo_survey_path(), rubric))


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def test_to_dataframe_holds_the_records(pd: Any, demo: rm.Results) -> None:
    """One row per agency-period with the columns and values of to_records."""
    df = demo.to_dataframe()
    records = demo.to_records()
    assert list(df.columns) == list(records[0])
    assert len(df) == len(records)
    for rec, row in zip(records, df.to_dict(orient="records"), strict=True):
        for k, v in rec.items():
            got = row[k]
            if v is None:
                assert got is None or pd.isna(got), k
            else:
                assert same(got, v), (k, got, v)
    assert str(df["rank"].dtype) == "Int64"


def test_unranked_rows_have_na_rank(pd: Any) -> None:
    r = rm.Rubric(
        "t",
        dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])],
        population={"kind": "department"},
    )
    rows = [
        {"agency": "a", "period": 1, "kind": "department", "q": "yes"},
        {"agency": "b", "period": 1, "kind": "ministry", "q": "no"},
    ]
    df = rm.score(r, rm.ResponseSet.from_records(rows, r)).to_dataframe()
    assert df["rank"].tolist()[0] == 1
    assert df["rank"].isna().tolist() == [False, True]


def test_from_dataframe_round_trips_the_demo_answers(pd: Any, demo: rm.Results) -> None:
    rubric = demo.rubric
    original = demo.responses
    assert original is not None
    df = pd.DataFrame(original.to_records(rubric))
    back = rm.ResponseSet.from_dataframe(df, rubric)
    assert back == original


def test_from_dataframe_accepts_agency_and_period_as_index(pd: Any) -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    df = pd.DataFrame(
        {"agency": ["a", "b", "c"], "period": [2016, 2016, 2016], "q": ["yes", pd.NA, "n/a"]}
    ).set_index(["agency", "period"])
    rs = rm.ResponseSet.from_dataframe(df, r)
    assert rs.agencies == ("a", "b", "c")
    assert rs.periods == (2016, 2016, 2016)
    assert rs.missing.tolist() == [[False], [True], [False]]
    assert rs.na.tolist() == [[False], [False], [True]]


def test_from_dataframe_reports_bad_answers_and_columns(pd: Any) -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    df = pd.DataFrame({"agency": ["a"], "period": [1], "q": ["maybe"], "qq": ["yes"]})
    with pytest.raises(rm.ResponseError) as err:
        rm.ResponseSet.from_dataframe(df, r)
    text = str(err.value)
    assert "maybe" in text
    assert "qq" in text


def test_from_dataframe_needs_a_dataframe(pd: Any) -> None:
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("q")])])
    with pytest.raises(rm.ResponseError, match="expected a pandas DataFrame"):
        rm.ResponseSet.from_dataframe([{"agency": "a"}], r)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_property_a_dataframe_of_records_reads_as_the_records(pd: Any, data: st.DataObject) -> None:
    """Any rubric, any answers: a DataFrame of records reads exactly as the records do
    (pandas' NaN, None and numpy scalars change nothing)."""
    rubric = data.draw(rubrics(max_indicators=6))
    records = data.draw(responses(rubric)).to_records(rubric)
    df = pd.DataFrame(records)
    assert rm.ResponseSet.from_dataframe(df, rubric) == rm.ResponseSet.from_records(records, rubric)


def test_missing_pandas_raises_an_import_error_with_the_extra(
    monkeypatch: pytest.MonkeyPatch, demo: rm.Results
) -> None:
    """Without pandas: a ReadinessError that is also an ImportError, naming the extra."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as err:
        demo.to_dataframe()
    assert isinstance(err.value, MissingExtraError)
    assert isinstance(err.value, rm.ReadinessError)
    assert "pip install readiness-model[pandas]" in str(err.value)
    with pytest.raises(MissingExtraError, match=r"readiness-model\[pandas\]"):
        rm.ResponseSet.from_dataframe(object(), demo.rubric)


def test_core_import_does_not_import_pandas() -> None:
    import subprocess

    code = (
        "import sys, readiness_model as rm, readiness_model.report, readiness_model.interop;"
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"
