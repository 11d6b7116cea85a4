"""The standard-library and pyarrow readers give the same answers, bit for bit."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.responses.files import load_responses

pytest.importorskip("pyarrow")


def _rubric() -> rm.Rubric:
    levels = rm.OrdinalScale(levels=["none", "some", "all"])
    return rm.Rubric(
        "e",
        dimensions=[
            rm.Dimension(
                "d",
                indicators=[
                    rm.Indicator("n1", scale=rm.NumericScale(goalposts=(0, 100))),
                    rm.Indicator("n2", scale=rm.NumericScale(goalposts=(0, 1), clamp=False)),
                    rm.Indicator("b"),
                    rm.Indicator("o", scale=levels),
                    rm.Indicator("c", scale=rm.ChecklistScale(items=["x", "y"])),
                ],
            )
        ],
    )


def _write(path: Path, n: int, seed: int, odd: bool) -> None:
    rng = np.random.default_rng(seed)
    rows = ["agency,period,kind,n1,n2,b,o,c"]
    for i in range(n):
        n1 = repr(float(rng.uniform(-50, 150))) if i % 7 else ""
        n2 = repr(float(rng.random())) if i % 11 else "n/a"
        if odd and i % 13 == 0:
            n1 = f" {n1} "  # spaces: pyarrow refuses, the common converter reads it
        rows.append(
            f"a{i},{2015 + i % 2},{'k' if i % 3 else ''},{n1},{n2},"
            f"{'yes' if i % 2 else 'No'},{['none', 'some', 'all', ''][i % 4]},"
            f"{['x', 'y|x', 'none', 'n/a'][i % 4]}"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("odd", [False, True])
def test_pyarrow_and_the_standard_library_read_the_same_answers(tmp_path: Path, odd: bool) -> None:
    """Floats, blanks, n/a, labels, checklists and attributes agree exactly."""
    p = tmp_path / "a.csv"
    _write(p, 3000, 1, odd)
    r = _rubric()
    fast = load_responses(p, r, engine="pyarrow")
    slow = load_responses(p, r, engine="python")
    assert fast == slow
    assert np.array_equal(fast.values.view(np.int64), slow.values.view(np.int64))


@pytest.mark.parametrize("odd", [False, True])
def test_blocks_and_batches_that_cut_across_each_other_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: bool
) -> None:
    """Arrow blocks of a few kB (many chunks, each label column with its own
    dictionary) converted in batches of 700 rows that start inside a chunk."""
    from readiness_model.io import answers_arrow

    p = tmp_path / "a.csv"
    _write(p, 3000, 3, odd)
    monkeypatch.setattr(answers_arrow, "BLOCK_BYTES", 5000)
    monkeypatch.setattr(answers_arrow, "BATCH_ROWS", 700)
    fast = load_responses(p, _rubric(), engine="pyarrow")
    slow = load_responses(p, _rubric(), engine="python")
    assert fast == slow
    assert np.array_equal(fast.values.view(np.int64), slow.values.view(np.int64))
    # read by pyarrow itself (a result it got wrong would be read again, not shown)
    parsed = answers_arrow.read_fast(p, _rubric(), [], None, False)
    assert parsed is not None
    assert parsed.agencies == slow.agencies
    assert np.array_equal(parsed.values.view(np.int64), slow.values.view(np.int64))


@pytest.mark.parametrize(
    ("cell", "error"),
    [
        ('"5"0', "',' expected after '\"'"),  # pyarrow alone would read 50
        ('"5" ', "',' expected after '\"'"),  # pyarrow alone would read 5
        ('"5', "unexpected end of data"),  # a quote left open at the end of the file
    ],
)
def test_a_badly_quoted_cell_is_the_standard_readers_error(
    tmp_path: Path, cell: str, error: str
) -> None:
    """pyarrow reads text after a closing quote and an unclosed quote leniently; the
    fast reader gives such a file to the standard reader, which refuses it."""
    from readiness_model.io.answers_arrow import read_fast

    r = rm.Rubric("q", dimensions=[rm.Dimension("d", indicators=[
        rm.Indicator("q", scale=rm.NumericScale(goalposts=(0, 100)))])])  # fmt: skip
    p = tmp_path / "a.csv"
    p.write_text(
        "agency,period,q\n" + "".join(f"a{i},2016,1\n" for i in range(50)) + f"z,2016,{cell}"
    )
    assert read_fast(p, r, [], None, False) is None
    for engine in ("pyarrow", "python"):
        with pytest.raises(rm.ResponseError, match=error):
            load_responses(p, r, engine=engine)  # type: ignore[arg-type]
    good = tmp_path / "b.csv"
    good.write_text('agency,period,q\r\n"a",2016,"5"\r\n"b ""x""",2016,6\r\n')
    fast = read_fast(good, r, [], None, False)
    assert fast is not None
    assert fast.agencies == ("a", 'b "x"')
    assert fast.values.tolist() == [[5.0], [6.0]]


def test_a_file_with_problems_is_reported_by_the_standard_reader(tmp_path: Path) -> None:
    """pyarrow gives up at the first problem; the error is the located one."""
    p = tmp_path / "a.csv"
    _write(p, 50, 2, False)
    text = p.read_text(encoding="utf-8").replace("a8,", "a6,", 1)
    p.write_text(text, encoding="utf-8")
    with pytest.raises(rm.ResponseError, match=r"a\.csv:10: agency .a6. appears twice"):
        load_responses(p, _rubric(), engine="pyarrow")


_NUMBERS = ["", "n/a", "N/A", " n/a", "NA", "not applicable", "-n/a-", "+1", ".5", "5.", "1e5",
            "1E-5", "inf", "nan", "-0", "0x10", "1_0", "１", " 5", "50%", "1,000", "abc",
            "-"]  # fmt: skip
_LABELS = {
    "b": ["yes", "no", "Yes", " yes", "", "n/a", "maybe"],
    "o": ["none", "some", "all", " all ", "", "NA", "2", "bad"],
    "c": ["x", "y|x", "none", "", "n/a", "X", " x | y ", "z"],
}


def _messy(rnd: random.Random) -> str:
    """A wide answers file with odd cells at a random rate, quoted cells, and now and
    then a quoting mistake (text after a closing quote, a quote left open)."""
    cols = ["agency", "period", "kind", "n1", "n2", "b", "o", "c"]
    rnd.shuffle(cols)
    odd = rnd.choice([0.0, 0.01, 0.1])
    rows = [",".join(cols)]
    for i in range(rnd.choice([0, 1, 7, 60, 300])):
        row = []
        for c in cols:
            if c == "agency":
                v = f"a{i}" if rnd.random() > odd else rnd.choice([f"a{max(i - 1, 0)}", " a", ""])
            elif c == "period":
                v = (
                    rnd.choice(["2016", "2017"])
                    if rnd.random() > odd
                    else rnd.choice(["", "2016.0", "Q1"])
                )
            elif c == "kind":
                v = rnd.choice(["", "ministry", "'=k"])
            elif c in ("n1", "n2"):
                v = repr(rnd.uniform(-20, 120)) if rnd.random() > odd else rnd.choice(_NUMBERS)
            else:
                v = rnd.choice(_LABELS[c][:3] if rnd.random() > odd else _LABELS[c])
            if rnd.random() < 0.05 or "," in v:
                v = '"' + v.replace('"', '""') + '"' + ("0" if rnd.random() < odd else "")
            row.append(v)
        rows.append(",".join(row))
    eol = rnd.choice(["\n", "\r\n"])
    text = eol.join(rows) + eol
    return text + '"' if rnd.random() < odd else text


def _read(path: Path, engine: str) -> tuple[str, object]:
    try:
        rs = load_responses(path, _rubric(), engine=engine)  # type: ignore[arg-type]
    except rm.ResponseError as err:
        return "error", [(p.message, p.path) for p in err.problems]
    return "ok", (rs, rs.values.view(np.int64).tobytes())


@given(st.randoms(use_true_random=False), st.sampled_from([700, 4096, 1 << 20]),
       st.sampled_from([3, 500, 1 << 16]))  # fmt: skip
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_both_readers_agree_on_messy_files(rnd: random.Random, block: int, batch: int) -> None:
    """pyarrow gives the standard reader's answers bit for bit, or leaves the file to it
    (the same located errors), however the file is cut into blocks and batches."""
    from readiness_model.io import answers_arrow

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "a.csv"
        p.write_text(_messy(rnd), encoding="utf-8")
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(answers_arrow, "BLOCK_BYTES", block)
            mp.setattr(answers_arrow, "BATCH_ROWS", batch)
            assert _read(p, "pyarrow") == _read(p, "python")


def test_auto_uses_pyarrow_for_quoted_cells_and_long_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``engine="auto"``: the block reader for a file without quotes and with short
    numbers (the faster), pyarrow for one with a quoted cell (which the block reader
    would leave to the csv module) or with many numbers longer than 8 bytes; without
    pyarrow the file is not even looked at. Same answers every way."""
    import importlib.util

    from readiness_model.io import answers_arrow
    from readiness_model.responses import files

    monkeypatch.setattr(files, "FAST_MIN_BYTES", 1)
    asked: list[Path] = []
    real = answers_arrow.read_fast

    def spy(path: Path, *args: object, **kw: object) -> object:
        asked.append(path)
        return real(path, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(answers_arrow, "read_fast", spy)
    plain, quoted, long = (tmp_path / f"{k}.csv" for k in ("plain", "quoted", "long"))
    _write(long, 50, 3, False)  # (two numbers of eight cells, most of 17 digits)
    plain.write_text(re.sub(r"(\.\d\d)\d+", r"\1", long.read_text()))
    quoted.write_text(plain.read_text().replace(",yes,", ',"yes",', 1))
    assert '"' in quoted.read_text()
    got = {p: load_responses(p, _rubric()) for p in (plain, quoted, long)}
    assert got[plain] == got[quoted]
    assert got[long].agencies == got[plain].agencies
    have_pyarrow = importlib.util.find_spec("pyarrow") is not None
    assert asked == ([quoted, long] if have_pyarrow else [])
    opened: list[object] = []
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(files, "open", lambda *a, **k: opened.append(a), raising=False)
    assert files._for_pyarrow(quoted) is False
    assert not opened


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["", "n/a", "N/A", "NA", "na", "n.a.", "-n/a-", "not applicable"])
        | st.sampled_from(["nan", "n/", "-n/a", "-3.60", "NOT APPLICABLE", "n.a", "n /a", "N"])
        | st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{1,3})?", fullmatch=True),
        max_size=60,
    )
)
def test_the_fast_reader_finds_exactly_its_not_values(cells: list[str]) -> None:
    from readiness_model.io.answers_arrow import _NOT_VALUES, _not_values

    raw = np.frombuffer("".join(cells).encode(), np.uint8)
    off = np.cumsum([0, *(len(c) for c in cells)]).astype(np.int32)
    blank = np.array([c == "" for c in cells], bool)
    got = _not_values(off, raw, blank)
    assert got.tolist() == [c in _NOT_VALUES for c in cells]


@pytest.mark.parametrize("before", [0, 1, 63, 64, 65, 200])
def test_the_fast_reader_finds_a_second_byte_order_mark_after_any_other_text(
    before: int,
) -> None:
    from readiness_model.io.answers_arrow import _has_bom

    text = "agency,name\n" + "a,\uff21\n" * before  # (fullwidth A: bytes EF BC A1)
    data = text.encode()
    assert not _has_bom(data, 0)
    assert _has_bom(data + "b,\ufeffx\n".encode(), 0)
    assert _has_bom(b"\xef\xbb\xbf" + data, 0)
    assert not _has_bom(b"\xef\xbb\xbf" + data, 3)
