"""The numpy block reader of plain CSV files gives exactly what the csv-module reader
gives: the same answers bit for bit, the same errors at the same places, the same
warnings, on messy generated files (it hands any block it does not read plainly to the
csv module, from that block's first line)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.errors import ResponseError
from readiness_model.io import answers_csv, csv_blocks
from readiness_model.responses.files import load_responses

RUBRIC = rm.Rubric(
    "blocks",
    dimensions=[
        rm.Dimension(
            "d",
            indicators=[
                rm.Indicator("n", scale=rm.NumericScale(goalposts=(0, 100))),
                rm.Indicator("p", scale=rm.NumericScale(goalposts=(0, 1), clamp=False)),
                rm.Indicator("u", scale=rm.NumericScale(goalposts=(0, 100), unit="%")),
                # a unit a number can end with: "105" is 10 with unit "5"
                rm.Indicator("w", scale=rm.NumericScale(goalposts=(0, 1000), unit="5")),
                rm.Indicator("b"),
                rm.Indicator("o", scale=rm.OrdinalScale(levels=["none", "some", "optimised"])),
                rm.Indicator("c", scale=rm.ChecklistScale(items=["x", "y"])),
            ],
        )
    ],
)
COLUMNS = ["agency", "period", "name", "n", "p", "u", "w", "b", "o", "c"]

NUMBERS = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
    st.decimals(-1000, 1000, places=2).map(str),
    st.integers(-(10**17), 10**17).map(str),
    st.sampled_from(
        ["", "n/a", "N/A", "NA", " 5", "5 ", "-0", "-0.0", "0.5", ".5", "5.", "1e3", "1_0",
         "nan", "inf", "97.5 %", "x", "-", ".", "--5", "5-", "'=1", "'-3", "١٢", "7" * 16,
         "0.30000000000000004", "12345678901234.5", "   ", "ไทย", "1E+05", "+5", "1e400",
         "1e-400", "-.5e-2", "1-2", "4.9e-324", "+-1", "5e+", "105", "7.5", "0.1000000000000000055"]
    ),
)  # fmt: skip
LABELS = st.sampled_from(
    ["yes", "no", "Yes", "", "n/a", "none", "some", "optimised", "x", "x|y", "y|x", "maybe",
     " yes", "'=yes", "1", "0", "SOME", "optimised-too-long-label", "ไทย"]
)  # fmt: skip
TEXT = st.sampled_from(["a", "b c", "", " a", "ไทย", "'=x", "=cmd", "x" * 20])


@st.composite
def files(draw: Any) -> bytes:
    n = draw(st.integers(0, 30))
    lines = [",".join(COLUMNS)]
    for i in range(n):
        cells = [
            draw(st.sampled_from([f"a{i}", f"a{i}", "", " a", "a0"])),
            draw(st.sampled_from(["2016", "2016", "2017", "", "x y", "2016.0"])),
            draw(TEXT),
            draw(NUMBERS),
            draw(NUMBERS),
            draw(NUMBERS),
            draw(NUMBERS),
            draw(LABELS),
            draw(LABELS),
            draw(LABELS),
        ]
        line = ",".join(cells)
        mess = draw(st.sampled_from(["none"] * 12 + ["blank", "ragged", "quote", "cr", "ws"]))
        if mess == "blank":
            lines.append("")
        elif mess == "ragged":
            line += ",extra"
        elif mess == "quote":
            line = line.replace(cells[2], '"q,uoted"', 1) if cells[2] else line + ""
        elif mess == "cr":
            line += "\r"
        elif mess == "ws":
            lines.append(" ,  ,")
        lines.append(line)
    end = draw(st.sampled_from(["\n", ""]))
    return ("\n".join(lines) + end).encode("utf-8")


def read(path: Path, plain: bool) -> tuple[Any, ...]:
    """Answers (or the problems) and warnings, with or without the block reader."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if plain:
                rs = load_responses(path, RUBRIC, engine="python")
            else:
                with pytest.MonkeyPatch.context() as mp:
                    mp.setattr(answers_csv, "body_offset", lambda *a: None)
                    rs = load_responses(path, RUBRIC, engine="python")
            got: Any = (
                rs.values.view(np.int64).tolist(),
                rs.missing.tolist(),
                rs.na.tolist(),
                rs.agencies,
                rs.periods,
                rs.attributes,
            )
        except ResponseError as err:
            got = [(p.message, p.path, p.location, p.hint) for p in err.problems]
    return got, [str(w.message) for w in caught]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files(), st.sampled_from([1, 3, 8192]), st.sampled_from([64, 1 << 20]))
def test_block_reader_equals_the_csv_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: bytes, rows: int, block: int
) -> None:
    monkeypatch.setattr(answers_csv, "CHUNK_ROWS", rows)  # small chunks: many hand-overs
    monkeypatch.setattr(csv_blocks, "BLOCK_BYTES", block)
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    assert read(path, True) == read(path, False)


def test_the_block_reader_reads_plain_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain file is read by the block reader to its end (no hand-over)."""
    handed: list[object] = []
    real = answers_csv.Rows

    def rows(*args: Any, **kw: Any) -> Any:
        handed.append(kw.get("start"))
        return real(*args, **kw)

    monkeypatch.setattr(answers_csv, "Rows", rows)
    path = tmp_path / "a.csv"
    path.write_text("agency,period,n,b\nx,2016,5.25,yes\ny,2016,-0.5,n/a\n", encoding="utf-8")
    num = rm.NumericScale(goalposts=(-1, 10))
    ind = [rm.Indicator("n", scale=num), rm.Indicator("b")]
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=ind)])
    rs = load_responses(path, r, engine="python")
    assert rs.values.tolist()[0] == [5.25, 1.0]
    assert rs.na.tolist()[1] == [False, True]
    assert handed == [None]  # only the header's reader; no reader resumed mid-file


def test_a_plain_number_is_read_as_written_whatever_the_unit(tmp_path: Path) -> None:
    """With unit "5", "105" read as 105 when its column converted in bulk and as 10 when
    a neighbouring cell sent the column through the per-cell parser: a plain number is
    now read as written on every path; the unit is taken off only what is not one."""
    scale = rm.NumericScale(goalposts=(0, 1000), unit="5")
    assert (scale.parse("105"), scale.parse("10 5"), scale.parse(" 7.55 ")) == (105, 10, 7.55)
    r = rm.Rubric("u", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("w", scale=scale)])])
    path = tmp_path / "a.csv"
    for cells in (["105", "10 5"], ["105", "20"]):
        path.write_text("agency,w\n" + "".join(f"a{i},{c}\n" for i, c in enumerate(cells)))
        got = load_responses(path, r, engine="python", period=2016).values[:, 0].tolist()
        rows = [{"agency": f"a{i}", "period": 2016, "w": c} for i, c in enumerate(cells)]
        assert rm.ResponseSet.from_records(rows, r).values[:, 0].tolist() == got
        assert got[0] == 105
