"""The numpy block reader of plain CSV files gives exactly what the csv-module reader
gives: the same answers bit for bit, the same errors at the same places, the same
warnings, on messy generated files (it hands any block it does not read plainly to the
csv module, from that block's first line)."""

from __future__ import annotations

import random
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.errors import ResponseError
from readiness_model.io import answers_csv, byte_columns, csv_blocks, word_cells
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
     " yes", "'=yes", "1", "0", "SOME", "optimised-too-long-label", "ไทย", "L" * 65,
     "x|" * 33 + "y", "optimised" * 8]
)  # fmt: skip
TEXT = st.sampled_from(["a", "b c", "", " a", "ไทย", "'=x", "=cmd", "x" * 20])


@st.composite
def files(draw: Any) -> bytes:
    n = draw(st.integers(0, 30))
    lines = [",".join(COLUMNS)]
    for i in range(n):
        cells = [
            draw(st.sampled_from([f"a{i}", f"a{i}", "", " a", "a0", "a ", "'a", "ไทย", "a\tb"])),
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
        mess = draw(
            st.sampled_from(["none"] * 12 + ["blank", "ragged", "short", "quote", "cr", "ws"])
        )
        if mess == "blank":
            lines.append("")
        elif mess == "ragged":
            line += ",extra"
        elif mess == "short":  # (with a ragged line: as many cells as the plain lines)
            line = ",".join(cells[:-1])
        elif mess == "quote":
            line = line.replace(cells[2], '"q,uoted"', 1) if cells[2] else line + ""
        elif mess == "cr":
            line += "\r"
        elif mess == "ws":
            lines.append(" ,  ,")
        lines.append(line)
    eol = draw(st.sampled_from(["\n", "\n", "\r\n"]))  # Unix or Windows line ends
    end = draw(st.sampled_from([eol, ""]))
    return (eol.join(lines) + end).encode("utf-8")


def read(path: Path, plain: bool, rubric: rm.Rubric = RUBRIC) -> tuple[Any, ...]:
    """Answers (or the problems) and warnings, with or without the block reader."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if plain:
                rs = load_responses(path, rubric, engine="python")
            else:
                with pytest.MonkeyPatch.context() as mp:
                    mp.setattr(answers_csv, "body_offset", lambda *a: None)
                    rs = load_responses(path, rubric, engine="python")
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


# -- the pieces of the block reader, against simple references ------------------------

_DECIMAL = re.compile(r"-?[0-9]*\.?[0-9]*")


def _as_words(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Each text's first 8 bytes as a little-endian word (zero past its end), and its
    length, read from one buffer as the block reader reads cells."""
    data = b",".join(texts) + b"\n"
    starts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]).astype(np.int64)
    text = word_cells.padded_text(np.frombuffer(data, np.uint8))
    n = np.array([len(t) for t in texts], np.int64)
    return word_cells.word_at(text.words, starts, n, 0), n


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text("0123456789.-", max_size=10),
            st.text("0123456789.-+eE x/é", max_size=9),
            st.floats(-1e6, 1e6, allow_nan=False).map(repr),
        ).map(lambda t: t.encode("utf-8")),
        min_size=1,
        max_size=40,
    )
)
def test_plain_decimals_are_read_as_float_reads_them(texts: list[bytes]) -> None:
    """A cell of at most 8 bytes that is ``[-]digits[.digits]`` is read in bulk, to the
    bit of Python's ``float``; every other cell is left to the other paths."""
    x, n = _as_words(texts)
    values, ok = word_cells.plain_decimals(x, n)
    for t, v, good in zip(texts, values.tolist(), ok.tolist(), strict=True):
        plain = (
            len(t) <= 8 and _DECIMAL.fullmatch(t.decode()) and any(c.isdigit() for c in t.decode())
        )
        assert good == bool(plain), t
        if good:
            assert np.float64(v).tobytes() == np.float64(float(t)).tobytes(), t


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=3000),
    st.sampled_from([1, 7, 4096]),
    st.sampled_from([1, 3, 4096]),
    st.booleans(),
)
def test_distinct_keys_are_found_however_the_table_is_cut(
    picks: list[int], sample: int, most: int, weak: bool
) -> None:
    """Each row's code names a row holding the same key, and equal keys share a code,
    with a small sample (keys found late), few distinct keys allowed (sorting) and
    multipliers that send keys to the same slots."""
    keys = np.array([((p * 0x0101010101010101) ^ (p << 60)) % 2**64 for p in picks], np.uint64)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(word_cells, "SAMPLE", sample)
        mp.setattr(word_cells, "_MAX_DISTINCT", most)
        if weak:  # every key to slot 0: no multiplier works, sorted instead
            mp.setattr(word_cells, "_MULTIPLIERS", [0])
        first, codes = word_cells.distinct_codes(keys)
    assert np.array_equal(keys[first][codes], keys)
    assert len(set(keys[first].tolist())) == len(first)


@pytest.mark.parametrize("length", range(57, 82))
def test_label_cells_longer_than_eight_words_are_read_whatever_their_length(
    tmp_path: Path, length: int
) -> None:
    """A label cell of more than 64 bytes (a checklist with long item names) is read
    byte by byte: whatever its length (not a multiple of 8 either), the same answer as
    the csv reader's (review finding: a 65-byte checklist cell crashed the block reader
    with a bare ValueError)."""
    items = ["item-" + "i" * 20, "item-" + "j" * 20, "item-" + "k" * 20]
    scale = rm.ChecklistScale(items=items)
    r = rm.Rubric("l", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("c", scale=scale)])])
    long = " | ".join(items)
    cell = (long + " " * length)[:length] if length >= len(long) else long[:length]
    cells = [cell, items[0], "", long, cell]
    path = tmp_path / "a.csv"
    path.write_text("agency,period,c\n" + "".join(f"a{i},2016,{c}\n" for i, c in enumerate(cells)))
    got = [read(path, plain, r) for plain in (True, False)]
    assert got[0] == got[1]
    if length >= len(long):  # the items with trailing spaces: every item ticked
        assert isinstance(got[0][0], tuple)
        assert got[0][0][0][0] == np.float64(7.0).view(np.int64)


def test_long_labels_whose_keys_collide_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels longer than a word are keyed by a mix of their words; when two mix to the
    same key (forced here: the mix keeps only the last word), the check sees it."""
    levels = ["aaaaaaaa-x", "bbbbbbbb-x", "none"]
    scale = rm.OrdinalScale(levels=levels)
    r = rm.Rubric("l", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("o", scale=scale)])])
    cells = ["aaaaaaaa-x", "bbbbbbbb-x", "none", "bbbbbbbb-x", "", "cccccccc-x"]
    path = tmp_path / "a.csv"
    path.write_text("agency,period,o\n" + "".join(f"a{i},2016,{c}\n" for i, c in enumerate(cells)))
    with pytest.raises(ResponseError) as plain_err:
        load_responses(path, r, engine="python")
    monkeypatch.setattr(byte_columns, "_MIX", np.uint64(0))
    with pytest.raises(ResponseError) as mixed_err:
        load_responses(path, r, engine="python")
    assert [p.message for p in plain_err.value.problems] == [
        p.message for p in mixed_err.value.problems
    ]
    good = cells[:5]
    path.write_text("agency,period,o\n" + "".join(f"a{i},2016,{c}\n" for i, c in enumerate(good)))
    got = load_responses(path, r, engine="python")
    assert got.values[:, 0].tolist()[:4] == [0.0, 1.0, 2.0, 1.0]


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32))
def test_threads_do_not_change_what_is_read(tmp_path: Path, seed: int) -> None:
    """A file large enough for the column threads reads the same with one or three."""
    rnd = random.Random(seed)
    lines = [",".join(COLUMNS)]
    for i in range(rnd.choice([800, 3000])):
        cells = [f"a{i}", rnd.choice(["2016", "2017"]), rnd.choice(["", "x"])]
        cells += [
            rnd.choice(["5", "-0.25", "n/a", "", "1e3", "12345678901", "x"]) for _ in range(4)
        ]
        cells += [rnd.choice(["yes", "no", "", "maybe"]), rnd.choice(["none", "optimised", "n/a"])]
        cells += [rnd.choice(["x", "x|y", "", "z"])]
        lines.append(",".join(cells))
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    got = []
    for threads in (1, 3):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(csv_blocks, "THREADS", threads)
            mp.setattr(csv_blocks, "_SERIAL_CELLS", 1)
            got.append(read(path, True))
    assert got[0] == got[1]
    assert got[0] == read(path, False)


def test_a_plug_in_scale_is_called_from_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Columns are converted side by side only when every scale is the library's own:
    a plug-in scale's parser need not be safe to call from several threads."""
    import threading

    from plugin_likert import LikertScale

    callers: set[int] = set()

    class Counting(LikertScale):
        def parse(self, raw: object) -> float:
            callers.add(threading.get_ident())
            return float(super().parse(raw))

    ind = [rm.Indicator(f"q{j}", scale=Counting()) for j in range(6)]
    r = rm.Rubric("p", dimensions=[rm.Dimension("d", indicators=ind)])
    cells = ["agree", "neutral", "strongly_agree", "disagree", "3"]
    path = tmp_path / "a.csv"
    path.write_text(
        "agency,period," + ",".join(f"q{j}" for j in range(6)) + "\n"
        + "".join(f"a{i},2016," + ",".join(cells[(i + j) % 5] for j in range(6)) + "\n"
                  for i in range(3000))
    )  # fmt: skip
    monkeypatch.setattr(csv_blocks, "THREADS", 3)
    monkeypatch.setattr(csv_blocks, "_SERIAL_CELLS", 1)
    rs = load_responses(path, r, engine="python")
    assert rs.values[0].tolist() == [3.0, 2.0, 4.0, 1.0, 2.0, 3.0]
    assert len(callers) == 1


@pytest.mark.parametrize("short", [3, 4, 8])
def test_rows_stay_in_file_order_when_the_row_estimate_is_too_low(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short: int
) -> None:
    """Bug-hunt finding (silently wrong numbers): the row estimate (from the first 64 KiB)
    was far too low when long rows came first; a chunk that did not fit the
    preallocated arrays went to new ones, and a later, smaller chunk went back into the
    preallocated rest, so answers landed on other agencies' rows."""
    monkeypatch.setattr(answers_csv, "CHUNK_ROWS", 3)
    scale = rm.NumericScale(goalposts=(0, 1e9))
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("n", scale=scale)])])
    lines = ["agency,period,name,n"]
    lines += [f"L{i},2016,{'x' * 2000},{i}" for i in range(40)]
    lines += [f"s{i},2016,,{1000 + i}" for i in range(short)]
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n")
    assert answers_csv.estimate_rows(path, len(lines[0]) + 1) < len(lines) - 1
    got = [read(path, plain, r) for plain in (True, False)]
    assert got[0] == got[1]
    rs = load_responses(path, r, engine="python")
    assert rs.values[:, 0].tolist() == [*range(40), *range(1000, 1000 + short)]


@pytest.mark.parametrize(("chunk", "block"), [(1, 16), (3, 64), (3, 256), (8192, 1 << 24)])
def test_a_file_not_in_its_encoding_is_reported_alone_by_either_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, block: int
) -> None:
    """Bug-hunt finding: a byte that is not UTF-8 after some rows with a bad answer gave
    the bad answer too or not depending on where the text was decoded (the csv
    module's text reads run ahead of its rows; the block reader hands a block over);
    the encoding problem is now reported alone, the same by both readers."""
    monkeypatch.setattr(answers_csv, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(csv_blocks, "BLOCK_BYTES", block)
    scale = rm.NumericScale(goalposts=(0, 100))
    r = rm.Rubric("t", dimensions=[rm.Dimension("d", indicators=[rm.Indicator("n", scale=scale)])])
    path = tmp_path / "a.csv"
    for before in (5, 2000, 2007):
        rows = [f"a{i},2016,{'x' if i == before - 1 else 5}" for i in range(before)]
        body = ("agency,period,n\n" + "\n".join(rows) + "\n").encode() + b"b,2016,\xff\nc,2016,5\n"
        path.write_bytes(body)
        got = [read(path, plain, r) for plain in (True, False)]
        assert got[0] == got[1]
        messages = [p[0] for p in got[0][0]]
        assert len(messages) == 1
        assert messages[0].startswith("the file is not UTF-8 (byte 0xff at offset")


@pytest.mark.parametrize("long_first", [True, False])
def test_a_long_and_a_short_line_are_no_two_plain_lines(tmp_path: Path, long_first: bool) -> None:
    """A line with a cell too many and one with a cell too few hold as many cells as
    two plain lines: the block reader must still see that their cells do not line up
    (each line's last cell ends at its newline) and leave them to the csv reader."""
    body = [
        "a1,2016,t,1,2,3,4,yes,yes,yes",
        "a2,2016,t,1,2,3,4,yes,yes,yes,extra",
        "a3,2016,t,1,2,3,4,yes,yes",
        "a4,2016,t,1,2,3,4,yes,yes,yes",
    ]
    if not long_first:
        body[1], body[2] = body[2], body[1]
    path = tmp_path / "a.csv"
    path.write_text("\n".join([",".join(COLUMNS), *body]) + "\n", encoding="utf-8")
    got, _ = read(path, True)
    assert got == read(path, False)[0]
    assert isinstance(got, list)  # (the problems, not answers)
