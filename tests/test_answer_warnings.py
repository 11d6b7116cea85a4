"""Answers that look wrong are flagged, never silently clamped: warnings located in the
file, errors with --strict, listed by audit, printed by the command line."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.cli import main
from readiness_model.cli.cmd_score import demo_survey_path
from readiness_model.io import answer_checks
from readiness_model.io.answer_checks import MAX_PER_INDICATOR

RUBRIC = "thai-dg-readiness-2016"


def survey(tmp_path: Path, change: dict[tuple[int, str], str], rows: int = 9) -> Path:
    """The demo survey's first rows, with some cells changed ((row, column): text)."""
    text = demo_survey_path().read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))[: rows + 1]
    for (r, col), value in change.items():
        table[r][table[0].index(col)] = value
    p = tmp_path / "answers.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p


def load(path: Path, **kw: object) -> tuple[rm.ResponseSet, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rs = rm.load_responses(path, rm.load_rubric(RUBRIC), **kw)  # type: ignore[arg-type]
    return rs, list(caught)


def test_a_fraction_for_a_percentage_is_warned_about_at_its_cell(tmp_path: Path) -> None:
    """99.5 % written 0.995 (as pandas reads a %-formatted cell) falls far below the
    [95, 100] goalposts: the score still clamps, but a located warning says so."""
    p = survey(tmp_path, {(3, "network_uptime"): "0.995"})
    rs, caught = load(p)
    assert [w.category for w in caught] == [rm.AnswerWarning]
    w = caught[0].message
    assert isinstance(w, rm.AnswerWarning)
    assert str(w).startswith(
        f"{p}:4:14: answer 0.995 for 'network_uptime' (agency 'prd', period 2015) is "
        "far below the goalposts [95, 100]; it counts as 95 (check the unit and the digits "
        "(a percentage written as a fraction?))"
    )
    assert w.problem.location == rm.Location(str(p), 4, 14)
    assert rs.values[2, rs.indicator_ids.index("network_uptime")] == 0.995


def test_a_percentage_column_of_fractions_is_one_warning(tmp_path: Path) -> None:
    """Every answer of a percentage indicator in [0, 1]: one warning for the column."""
    p = survey(tmp_path, {(r, "staff_trained"): f"0.{r}5" for r in range(1, 10)})
    _, caught = load(p)
    (w,) = [str(c.message) for c in caught]
    assert w.startswith(
        f"{p}:2:23: every answer of percentage indicator 'staff_trained' lies in [0, 1] "
        "(0.15 for agency 'opm', period 2015): percentages written as fractions?"
    )


def test_plausible_answers_and_the_demo_give_no_warning(tmp_path: Path) -> None:
    _, caught = load(demo_survey_path())
    assert caught == []
    _, caught = load(survey(tmp_path, {(3, "network_uptime"): "91"}))  # below, not far
    assert caught == []


def test_strict_makes_them_errors(tmp_path: Path) -> None:
    p = survey(tmp_path, {(3, "network_uptime"): "0.995", (5, "downtime_hours"): "7200"})
    with pytest.raises(rm.ResponseError) as info:
        rm.load_responses(p, rm.load_rubric(RUBRIC), strict=True)
    lines = info.value.lines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{p}:4:14: answer 0.995 for 'network_uptime'")
    assert lines[1].startswith(f"{p}:6:15: answer 7200 for 'downtime_hours'")
    assert "far above the goalposts [0, 72]; it counts as 72" in lines[1]
    assert "--strict makes this an error" in lines[1]


def test_audit_lists_them(tmp_path: Path) -> None:
    p = survey(tmp_path, {(3, "network_uptime"): "0.995"})
    rs, _ = load(p)
    a = rm.audit(rm.load_rubric(RUBRIC), rs)
    (problem,) = a.answers
    assert problem.path == "agency 'prd', period 2015, indicator 'network_uptime'"
    assert problem.message in a.flags()


def test_from_dataframe_warns_about_the_pandas_fraction() -> None:
    """The issue's story: pandas reads a cell showing 99.5% as 0.995."""
    pd = pytest.importorskip("pandas")
    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("uptime", scale=rm.NumericScale(goalposts=(95, 100), unit="%"))
                ],
            )
        ],
    )
    df = pd.DataFrame({"agency": ["mdes", "moc"], "period": [2016, 2016], "uptime": [0.995, 0.97]})
    with pytest.warns(rm.AnswerWarning, match="every answer of percentage indicator 'uptime'"):
        rm.ResponseSet.from_dataframe(df, r)


def test_the_rule_can_fail() -> None:
    """The far-outside rule's boundary: one goalpost width outside is still plausible."""
    from readiness_model.io.answer_checks import answer_problems

    r = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension("d", indicators=[rm.Indicator("x", scale=rm.NumericScale((10, 20)))])
        ],
    )
    ok = np.array([[0.0], [30.0], [15.0]])
    assert answer_problems(r, ok, "abc", [1, 1, 1]) == []
    far = np.array([[-0.5], [30.5]])
    assert len(answer_problems(r, far, "ab", [1, 1])) == 2


def test_cli_prints_warnings_and_strict_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = survey(tmp_path, {(3, "network_uptime"): "0.995"})
    assert main(["score", RUBRIC, str(p)]) == 0
    out, err = capsys.readouterr()
    assert err.startswith(f"warning: {p}:4:14: answer 0.995 for 'network_uptime'")
    assert len(err.splitlines()) == 1
    assert main(["score", RUBRIC, str(p), "--strict"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"{p}:4:14: answer 0.995")
    assert main(["audit", RUBRIC, str(p)]) == 0
    out, err = capsys.readouterr()
    assert "far below the goalposts [95, 100]" in err
    assert "  answer 0.995 for 'network_uptime' (agency 'prd', period 2015)" in out


def test_the_pyarrow_reader_locates_them_too(tmp_path: Path) -> None:
    """The fast reader knows no lines: odd answers make the file be read again by the
    standard reader, which locates them; the answers are the same."""
    pytest.importorskip("pyarrow")
    p = survey(tmp_path, {(3, "network_uptime"): "0.995"})
    fast, caught = load(p, engine="pyarrow")
    assert [str(w.message)[: len(str(p)) + 5] for w in caught] == [f"{p}:4:14"]
    assert fast == load(p, engine="python")[0]


def _one_column_at_a_time(rubric: rm.Rubric, values: np.ndarray) -> list[str]:
    """The rule read off the docstring, column by column (the reference)."""
    out = []
    for j, x in enumerate(rubric.indicators):
        col = values[:, j]
        got = col[~np.isnan(col)]
        posts = x.scale.goalposts  # type: ignore[attr-defined]
        pct = x.scale.unit == "%"  # type: ignore[attr-defined]
        if not len(got):
            continue
        if (
            pct
            and (posts is None or posts[1] > 1)
            and ((got >= 0) & (got <= 1)).all()
            and ((got > 0) & (got < 1)).any()
        ):
            out.append(f"{x.id} fractions")
            continue
        if posts is not None:
            span = posts[1] - posts[0]
            far = (got < posts[0] - span) | (got > posts[1] + span)
            out.extend([f"{x.id} far"] * min(int(far.sum()), MAX_PER_INDICATOR))
    return sorted(out)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, (0.0, 100.0), (95.0, 100.0), (0.0, 1.0)]),
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    ),
    st.integers(1, 12),
    st.data(),
)
@settings(max_examples=150, deadline=None)
def test_the_blocked_search_finds_what_a_column_by_column_check_finds(
    scales: list[tuple[tuple[float, float] | None, bool]], n: int, data: st.DataObject
) -> None:
    rubric = rm.Rubric(
        "t",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator(
                        f"q{j}",
                        scale=rm.NumericScale(goalposts=g, unit="%" if pct else ""),
                        normalize=rm.Normalization("minmax" if g is None else "goalposts"),
                    )
                    for j, (g, pct) in enumerate(scales)
                ],
            )
        ],
    )
    cell = st.sampled_from([np.nan, 0.0, 0.5, 1.0, -0.5, 50.0, 96.0, 89.0, 106.0, 250.0, -120.0])
    row = st.lists(cell, min_size=len(scales), max_size=len(scales))
    values = np.array(data.draw(st.lists(row, min_size=n, max_size=n)))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(answer_checks, "BLOCK_ROWS", 3)  # several blocks of rows
        got = answer_checks.answer_problems(rubric, values, [f"a{i}" for i in range(n)], [1] * n)
    kinds = sorted(
        f"{p.message.split(chr(39))[1]} {'fractions' if 'fractions?' in p.message else 'far'}"
        for p in got
        if not p.message.startswith("...")
    )
    assert kinds == _one_column_at_a_time(rubric, values)
