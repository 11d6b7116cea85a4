"""Population files that are not what ``readiness-model population`` wrote (defects 6, 7).

A statistic too large for a float (``10**400``, ``1e999``) crashed the reader with an
``OverflowError``; a period without its indicators' statistics was accepted and every
score against it went blank. Every malformed field is now a ``ReadinessError`` at its
``$.path``, and a population used with a rubric must hold what the rubric reads.

Each fix was seen to fail these tests when broken (one at a time, restored): the
reader's ``float(x)`` without its overflow check (the huge-integer tests and the
property fail with ``OverflowError``); the reader's check of the periods against the
file's own steps removed (the empty-indicators tests fail: the file loads); the
command line's check against the rubric removed (the tests of files whose steps were
edited too, or whose statistics lack one the method reads, fail: exit 0 with blank
scores, or a ``ValueError`` traceback).
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.engine.frozen import check_population
from readiness_model.engine.frozen import population_needs as _needs
from readiness_model.errors import Problem
from readiness_model.populations import ColumnStatistics, PeriodStatistics
from readiness_model.testing import responses, rubrics

Num, N = rm.NumericScale, rm.Normalization
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MIN = "$.periods[0].indicators.z.min"


def rubric_of(*, rescale: bool = False) -> rm.Rubric:
    """z (min-max), w (z-score, lower is better), r (rank), t (target, lower is better)
    and a yes/no q; the dimension rescaled across the population when asked."""
    ind = [
        rm.Indicator("z", scale=Num(), normalize=N("minmax")),
        rm.Indicator("w", scale=Num(), normalize=N("zscore"), direction="lower_is_better"),
        rm.Indicator("r", scale=Num(), normalize=N("rank")),
        rm.Indicator(
            "t", scale=Num(), normalize=N("target", target=1.0), direction="lower_is_better"
        ),
        rm.Indicator("q"),
    ]
    d = rm.Dimension("d", indicators=ind, rescale="minmax" if rescale else None)
    return rm.Rubric("files", dimensions=[d], rounding=2)


RUBRIC = rubric_of()


def answers_of(rubric: rm.Rubric, periods: tuple[int, ...] = (2016,)) -> rm.ResponseSet:
    rows = [
        [92.0, 3.0, 5.0, 4.0, 1],
        [97.5, 1.0, 2.0, 2.0, 0],
        [99.0, 2.5, 2.0, 9.0, 1],
        [95.0, 7.0, 1.0, 1.0, 0],
    ]
    n = len(rows) * len(periods)
    return rm.ResponseSet.from_array(
        rows * len(periods),
        [f"a{i % len(rows)}" for i in range(n)],
        rubric,
        period=[p for p in periods for _ in rows],
    )


ANSWERS = answers_of(RUBRIC)
POP = rm.population(RUBRIC, ANSWERS)
TEXT = POP.to_json()


def doc() -> dict[str, Any]:
    out: dict[str, Any] = json.loads(TEXT)
    return out


def problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(rm.ReadinessError) as err:
        rm.Population.from_json(text)
    return err.value.problems


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """A rubric, its answers and their population, as files."""
    rubric_file = tmp_path / "rubric.yaml"
    rubric_file.write_text(rm.dump_rubric(RUBRIC), encoding="utf-8")
    answers_file = tmp_path / "answers.csv"
    rm.write_responses(ANSWERS, rm.load_rubric(rubric_file), answers_file)
    pop = tmp_path / "pop.json"
    assert main(["population", str(rubric_file), str(answers_file), "-o", str(pop)]) == 0
    return {"rubric": rubric_file, "answers": answers_file, "pop": pop}


def score_cli(
    files: dict[str, Path], edited: str, capsys: pytest.CaptureFixture[str], *more: str
) -> tuple[int, str]:
    bad = files["pop"].with_name("edited.json")
    bad.write_text(edited, encoding="utf-8")
    out = files["pop"].with_name("pe.csv")
    argv = ["score", str(files["rubric"]), str(files["answers"]), "--population", str(bad)]
    code = main([*argv, *more, "-o", str(out)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code:
        assert not out.exists()
    return code, err


# -- defect 6: numbers a float cannot hold ---------------------------------------------
def test_a_huge_integer_statistic_is_located_and_says_what_is_expected() -> None:
    d = doc()
    d["periods"][0]["indicators"]["z"]["min"] = 10**400
    (problem,) = problems_of(json.dumps(d))
    assert problem.path == MIN
    assert "must be a finite number" in problem.message
    assert "401 digits" in problem.message
    assert "null" in problem.hint
    assert "readiness-model population" in problem.hint


def test_a_huge_integer_statistic_is_an_error_on_the_command_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    d = json.loads(files["pop"].read_text(encoding="utf-8"))
    d["periods"][0]["indicators"]["z"]["min"] = 10**400
    code, err = score_cli(files, json.dumps(d), capsys)
    assert code == 1
    assert "must be a finite number" in err
    assert f"@ {MIN}" in err
    assert str(files["pop"].with_name("edited.json")) in err


@pytest.mark.parametrize(
    ("raw", "path", "message"),
    [
        ("1e999", MIN, "1e999 is not allowed: a number must be finite"),
        ("-1e999", MIN, "-1e999 is not allowed"),
        ("NaN", MIN, "NaN is not allowed"),
        ("Infinity", MIN, "Infinity is not allowed"),
        ("-Infinity", MIN, "-Infinity is not allowed"),
        ("1" * 5000, MIN, "an integer of 5,000 digits is not allowed: too long"),
        ("true", MIN, "'min' must be a finite number"),
        ('"92"', MIN, "'min' must be a finite number"),
        ("[92.0]", MIN, "got a list of 1"),
        ("{}", MIN, "got an object of 0 fields"),
        ('"nan"', MIN, "'min' must be a finite number"),
    ],
)
def test_a_statistic_that_is_not_a_finite_number_is_located(
    raw: str, path: str, message: str
) -> None:
    text = TEXT.replace('"min": 92.0', f'"min": {raw}', 1)
    assert text != TEXT
    problems = problems_of(text)
    assert problems[0].path == path
    assert message in problems[0].message
    assert problems[0].hint


def edit(path: str, value: Any) -> str:
    """The population's text with the value at ``path`` (``a.b[0].c``) replaced."""
    d = doc()
    *head, last = _parts(path)
    node: Any = d
    for p in head:
        node = node[p]
    node[last] = value
    return json.dumps(d)


def _parts(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.removeprefix("$.").replace("[", ".[").split("."):
        out.append(int(part[1:-1]) if part.startswith("[") else part)
    return out


Z = "$.periods[0].indicators.z"
R = "$.periods[0].indicators.r"
W = "$.periods[0].indicators.w"
OV = "$.periods[0].overall.overall"


@pytest.mark.parametrize(
    ("path", "value", "where", "message"),
    [
        # counts: whole numbers, booleans are not numbers
        ("$.rows", True, "$.rows", "whole number >= 0"),
        ("$.rows", -4, "$.rows", "whole number >= 0"),
        ("$.rows", 4.0, "$.rows", "whole number >= 0"),
        ("$.rows", 2**62, "$.rows", "below 2**62"),
        ("$.rows", 10**400, "$.rows", "401 digits"),
        ("$.rows", 5, "$.rows", "not the sum of the periods' rows (4)"),
        ("$.periods[0].rows", 3, "$.rows", "not the sum"),
        (f"{Z}.count", -1, f"{Z}.count", "whole number >= 0"),
        (f"{Z}.count", False, f"{Z}.count", "whole number >= 0"),
        (f"{Z}.count", "4", f"{Z}.count", "whole number >= 0"),
        (f"{Z}.count", 5, f"{Z}.count", "more than the period's rows (4)"),
        (f"{R}.counts[0]", 0, f"{R}.counts[0]", "whole number >= 1"),
        (f"{R}.counts[0]", True, f"{R}.counts[0]", "whole number >= 1"),
        (f"{R}.counts", [1, 3], R, "same length"),
        (f"{R}.counts", [2, 1, 2], f"{R}.counts", "add up to 'count'"),
        # statistics that disagree with each other or with their count
        (f"{Z}.min", 100.0, f"{Z}.min", "'min' (100.0) is above 'max' (99.0)"),
        (f"{Z}.min", None, f"{Z}.min", "'min' cannot be null: the column has 4 values"),
        (f"{Z}.count", 0, f"{Z}.min", "'min' must be null: the column has no value"),
        (f"{W}.sd", -1.0, f"{W}.sd", "'sd' cannot be negative"),
        (f"{W}.sd", "-inf", f"{W}.sd", "'sd' cannot be negative"),
        (f"{W}.mean", "infinity", f"{W}.mean", 'null, "inf" or "-inf"'),
        (
            f"{R}.values[0]",
            None,
            f"{R}.values[0]",
            'a distinct value must be a finite number, "inf"',
        ),
        (f"{R}.values", [5.0, 2.0, 1.0], f"{R}.values", "increasing order"),
        (f"{R}.values", [1.0, 1.0, 5.0], f"{R}.values", "increasing order"),
        (f"{Z}.extra", 1, f"{Z}.extra", "unknown field 'extra'"),
        (f"{R}.values", None, R, "same length"),
        # periods
        ("$.periods[0].period", "2016", "$.periods[0].period", "written 2016"),
        ("$.periods[0].period", True, "$.periods[0].period", "whole number or a label"),
        ("$.periods[0].period", 2016.0, "$.periods[0].period", "whole number or a label"),
        ("$.periods[0].period", " Q1", "$.periods[0].period", "spaces around it"),
        ("$.periods[0].period", 10**20, "$.periods[0].period", "at most 18 digits"),
        ("$.periods[0].indicators", [], "$.periods[0].indicators", "an object of column"),
        # steps and the rubric's identity
        ("$.steps[0].kind", "nodes", "$.steps[0].kind", "keeps indicators statistics"),
        ("$.steps[0].kind", ["indicators"], "$.steps[0].kind", "expected one of"),
        ("$.steps[0].name", "nodes-0", "$.steps[0].name", "a step is named"),
        ("$.steps[1].name", "indicators", "$.steps[1].kind", "keeps indicators statistics"),
        ("$.steps[0].columns", ["z", "z"], "$.steps[0].columns", "repeated id 'z'"),
        ("$.steps[0].columns", "z", "$.steps[0].columns", "a list of ids"),
        ("$.steps[1].columns", ["all"], "$.steps[1].columns", "the one column 'overall'"),
        ("$.steps[0].held", 1, "$.steps[0].held", "true or false"),
        ("$.steps[0].basis", "xyz", "$.steps[0].basis", "64 hexadecimal digits"),
        ("$.steps[0].given_by", "", "$.steps[0].given_by", "64 hexadecimal digits"),
        ("$.answers_sha256", "A" * 64, "$.answers_sha256", "64 hexadecimal digits"),
        ("$.rubric.sha256", None, "$.rubric.sha256", "64 hexadecimal digits"),
        ("$.rubric.id", "\ud800", "$.rubric.id", "lone surrogate"),
        ("$.rubric.id", 7, "$.rubric.id", "expected text"),
        ("$.format_version", True, "$.format_version", "is not 1"),
        ("$.format_version", 1.0, "$.format_version", "is not 1"),
        ("$.format_version", 2, "$.format_version", "is not 1"),
        ("$.format", None, "$.format", "not a population file"),
        ("$.library_version", None, "$.library_version", "expected text"),
    ],
)
def test_every_malformed_field_is_a_located_error(
    path: str, value: Any, where: str, message: str
) -> None:
    problems = problems_of(edit(path, value))
    assert any(p.path == where and message in p.message for p in problems), problems


def test_a_repeated_key_is_located_in_its_object() -> None:
    text = TEXT.replace('"min": 92.0', '"min": 92.0, "min": 91.0', 1)
    (problem,) = problems_of(text)
    assert (problem.path, problem.message) == (Z, "repeated key 'min'")


def test_periods_are_distinct_and_in_order() -> None:
    two = rm.population(RUBRIC, answers_of(RUBRIC, (2015, 2016))).to_json()
    d = json.loads(two)
    d["periods"].reverse()
    assert "follows 2016" in problems_of(json.dumps(d))[0].message
    d["periods"][0] = d["periods"][1]
    d["rows"] = 8
    assert problems_of(json.dumps(d))[0].path == "$.periods[1].period"


@pytest.mark.parametrize(
    "text",
    [
        "{" * 100_000,
        '{"format": ' + "[" * 5000 + "]" * 5000 + "}",
        "{",
        '{"format": "readiness-model population"} trailing',
        "",
        "not a file\0name",
        "x" * 5000,
    ],
)
def test_text_that_is_not_a_population_file_is_an_error(text: str) -> None:
    with pytest.raises(rm.ReadinessError):
        rm.Population.from_json(text)


# -- defect 7: a period without its statistics ------------------------------------------
def test_a_period_without_its_indicator_statistics_names_them() -> None:
    (problem,) = problems_of(edit("$.periods[0].indicators", {}))
    assert problem.path == "$.periods[0].indicators"
    assert problem.message.startswith("no statistics of indicators 'z', 'w', 'r', 't'")
    assert "period 2016" in problem.message
    assert "readiness-model population" in problem.hint
    (problem,) = problems_of(edit("$.periods[0].overall", {}))
    assert problem.message.startswith("no statistics of column 'overall' in period 2016")


def test_a_period_without_its_statistics_is_an_error_on_the_command_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    d = json.loads(files["pop"].read_text(encoding="utf-8"))
    d["periods"][0]["indicators"] = {}
    code, err = score_cli(files, json.dumps(d), capsys)
    assert code == 1
    assert "no statistics of indicators 'z', 'w', 'r', 't' in period 2016" in err
    assert "@ $.periods[0].indicators" in err
    assert "readiness-model population" in err


def test_statistics_missing_from_the_steps_too_are_missing_for_the_rubric(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The file agrees with itself; the rubric still reads z's statistics."""
    d = json.loads(files["pop"].read_text(encoding="utf-8"))
    del d["periods"][0]["indicators"]["z"]
    d["steps"][0]["columns"].remove("z")
    assert rm.Population.from_json(json.dumps(d))  # a file about itself: fine
    code, err = score_cli(files, json.dumps(d), capsys)
    assert code == 1
    assert "no statistics of indicator 'z' in period 2016" in err
    assert "@ $.periods[0].indicators" in err


@pytest.mark.parametrize(
    ("column", "drop", "path", "lacks"),
    [
        ("z", "min", "indicators.z", "lack min"),
        ("w", "sd", "indicators.w", "lack sd"),
        ("t", "max", "indicators.t", "lack max"),  # lower is better: target reads -x's min
        ("r", "values", "indicators.r", "lack distinct"),
        ("overall", "values", "overall.overall", "lack distinct"),
    ],
)
def test_a_statistic_the_rubric_reads_must_be_kept(
    files: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
    column: str,
    drop: str,
    path: str,
    lacks: str,
) -> None:
    d = json.loads(files["pop"].read_text(encoding="utf-8"))
    kind = "overall" if column == "overall" else "indicators"
    del d["periods"][0][kind][column][drop]
    d["periods"][0][kind][column].pop("counts" if drop == "values" else "", None)
    code, err = score_cli(files, json.dumps(d), capsys, "--rank-against", str(files["pop"]))
    assert code == 1
    assert lacks in err
    assert f"@ $.periods[0].{path}" in err


@pytest.mark.parametrize("edit", ["drop z", "drop z's min"])
def test_the_python_api_checks_the_statistics_too(files: dict[str, Path], edit: str) -> None:
    """``rm.score(..., population=pop)``: a population without a statistic the rubric
    reads is a located error there as on the command line (it scored blank, or raised
    a ``ValueError``)."""
    d = json.loads(files["pop"].read_text(encoding="utf-8"))
    if edit == "drop z":
        del d["periods"][0]["indicators"]["z"]
        d["steps"][0]["columns"].remove("z")
    else:
        del d["periods"][0]["indicators"]["z"]["min"]
    pop = rm.Population.from_json(json.dumps(d))
    rubric = rm.load_rubric(files["rubric"])
    answers = rm.load_responses(files["answers"], rubric)
    with pytest.raises(rm.ReadinessError, match=r"indicator 'z'|lack min"):
        rm.score(rubric, answers, population=pop)
    good = rm.Population.from_json(files["pop"])
    assert len(rm.score(rubric, answers, population=good)) == len(answers.agencies)


def test_a_population_of_the_rubric_scores_on_the_command_line(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = score_cli(
        files, files["pop"].read_text(encoding="utf-8"), capsys, "--rank-against", str(files["pop"])
    )
    assert code == 0


def test_require_names_what_a_population_lacks() -> None:
    needs = _needs(RUBRIC)
    assert needs["indicators", "t"] == ("count", "max")  # lower is better: kept mirrored
    assert needs["indicators", "w"] == ("count", "max", "min", "mean", "sd")
    assert POP.require(needs) is POP
    bare = attrs.evolve(POP, periods=(PeriodStatistics(2016, 4),))
    with pytest.raises(rm.ReadinessError) as err:
        bare.require(needs, "round.json")
    assert [(p.path, str(p.location)) for p in err.value.problems] == [
        ("$.periods[0].indicators", "round.json"),
        ("$.periods[0].overall", "round.json"),
    ]


def test_a_merge_of_statistics_kept_differently_is_an_error() -> None:
    a = rm.population(RUBRIC, ANSWERS.select([0, 1]))
    b = rm.population(RUBRIC, ANSWERS.select([2, 3]))
    p = b.periods[0]
    odd = tuple((k, ColumnStatistics(s.count)) if k == "z" else (k, s) for k, s in p.indicators)
    b = attrs.evolve(b, periods=(attrs.evolve(p, indicators=odd),))
    with pytest.raises(rm.ReadinessError, match="cannot merge the statistics of indicator 'z'"):
        a.merge(b)


# -- what the library writes, it reads -------------------------------------------------
RELATIVE = ("minmax", "zscore", "rank", "percentile", "target", "goalposts")


@SETTINGS
@given(st.data())
def test_every_population_of_partitioned_passes_reads_back(data: st.DataObject) -> None:
    """Each part's population in every pass, and every merge, reads back equal: the
    checks of the periods against the steps refuse no file the library writes."""
    rubric = data.draw(
        rubrics(max_indicators=5, max_children=3, max_depth=2, prose=False, normalizations=RELATIVE)
    )
    rs = data.draw(responses(rubric, min_agencies=1, max_agencies=8))
    k = data.draw(st.integers(1, 3))
    n = len(rs.agencies)
    owner = np.array(data.draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    parts = [rs.select(np.flatnonzero(owner == i)) for i in range(k) if (owner == i).any()]
    seen: list[rm.Population] = []
    pop: rm.Population | None = None
    while pop is None or not pop.complete:
        each = [rm.population(rubric, p, known=pop) for p in parts]
        pop = functools.reduce(rm.Population.merge, each)
        seen += [*each, pop]
    for p in seen:
        assert rm.Population.from_json(p.to_json()) == p
    pop.require(_needs(rubric))


# -- the property: any one value changed ------------------------------------------------
def _rubrics() -> list[tuple[rm.Rubric, rm.ResponseSet, str]]:
    out = []
    for rubric, periods in ((RUBRIC, (2016,)), (rubric_of(rescale=True), (2015, 2016))):
        rs = answers_of(rubric, periods)
        out.append((rubric, rs, rm.population(rubric, rs).to_json()))
    return out


BASES = _rubrics()


def _places(x: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The path of every value of a JSON document (the document itself excluded)."""
    out = [path] if path else []
    if isinstance(x, dict):
        for k, v in x.items():
            out += _places(v, (*path, k))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            out += _places(v, (*path, i))
    return out


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**500), 10**500),
    st.floats(),  # NaN and infinities too: json.dumps writes NaN, Infinity
    st.sampled_from([0, 1, -1, 2**62, 10**400, 0.5, -0.0, 1e308, "inf", "-inf", "nan", ""]),
    st.sampled_from(["2016", "indicators", "nodes-1", "overall", "z", "w", "r", "t", "d"]),
    st.sampled_from(["0" * 64, "f" * 64, "\ud800", " 2016", "2016 "]),
    st.text(max_size=8),
)
BEYOND_FLOATS = st.integers(2**1024, 10**1000) | st.integers(-(10**1000), -(2**1024))
VALUES = st.one_of(
    SCALARS,
    BEYOND_FLOATS,
    st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        ),
        max_leaves=8,
    ),
)


@settings(SETTINGS, max_examples=300)
@given(st.data())
def test_one_value_changed_loads_equal_or_is_a_readiness_error(data: st.DataObject) -> None:
    """Any one value of a valid file replaced by any JSON value (or a field removed):
    the file loads (to the same population when the value is the same, and always to
    one that writes and reads back equal) or is a ReadinessError; a loaded one scores,
    through the command line's checks, or is a ReadinessError: never another exception."""
    rubric, rs, text = data.draw(st.sampled_from(BASES))
    base = json.loads(text)
    places = _places(base)
    statistics = [p for p in places if p[0] == "periods" and len(p) >= 5]  # under a column
    place = data.draw(st.sampled_from(statistics) | st.sampled_from(places))
    mutated = copy.deepcopy(base)
    node: Any = mutated
    for p in place[:-1]:
        node = node[p]
    removed = isinstance(node, dict) and data.draw(st.booleans())
    if removed:
        del node[place[-1]]
        same = False
    else:
        value = data.draw(VALUES)
        old = node[place[-1]]
        node[place[-1]] = value
        same = json.dumps(old) == json.dumps(value)
    try:
        pop: rm.Population | None = rm.Population.from_json(json.dumps(mutated))
    except rm.ReadinessError:
        pop = None
    if pop is None:
        assert not same
        return
    if same:
        assert pop == rm.Population.from_json(text)
    assert rm.Population.from_json(pop.to_json()) == pop
    try:
        checked = check_population(rubric, pop).require(_needs(rubric))
        res = rm.score(rubric, rs, population=checked, rank_against=checked)
    except rm.ReadinessError:
        return
    assert len(res.overall) == len(rs.agencies)
