"""Plain decimals of 9 to 24 bytes are read in bulk, to the bit of Python's ``float``."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import readiness_model as rm
from readiness_model.io import long_decimals as ld
from readiness_model.io.word_cells import padded_text

_DECIMAL = re.compile(r"-?[0-9]*\.?[0-9]*")


def _read(texts: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    lens = np.array([len(t) for t in texts], np.int64)
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
    text = padded_text(np.frombuffer(b"".join(texts), np.uint8))
    return ld.long_decimals(text.words, starts, lens)


def _plain(t: bytes) -> bool:
    s = t.decode("utf-8", "replace")
    return bool(
        0 < len(t) <= ld.LONG_BYTES
        and _DECIMAL.fullmatch(s)
        and any(c.isdigit() for c in s)
        and len(t) - s.count(".") <= 19
    )


def _check(texts: list[bytes]) -> None:
    values, ok = _read(texts)
    for t, v, good in zip(texts, values.tolist(), ok.tolist(), strict=True):
        assert good == _plain(t), t
        if good:
            assert np.float64(v).tobytes() == np.float64(float(t)).tobytes(), t


def _halfway(m: int, zeros: int, below: bool) -> bytes:
    """The decimal halfway between the double nearest ``m`` and a neighbour, with
    ``zeros`` zeros after a dot (ties: Python rounds to even)."""
    f = float(m)
    half = int(np.spacing(f)) // 2
    text = str(int(f) - half if below else int(f) + half)
    return (text + "." + "0" * zeros if zeros else text).encode()


_CELLS = st.one_of(
    st.text("0123456789.-", min_size=1, max_size=26),
    st.from_regex(r"-?[0-9]{0,12}\.[0-9]{0,14}", fullmatch=True),
    st.floats(-1e9, 1e9, allow_nan=False).map(repr),
    st.floats(0, 1, allow_nan=False).map(lambda x: f"{x:.19f}"),
    st.text("0123456789.-+eE x/é", max_size=12),
).map(lambda t: t.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELLS, min_size=1, max_size=40))
def test_long_plain_decimals_are_read_as_float_reads_them(texts: list[bytes]) -> None:
    """A cell of at most 24 bytes that is ``[-]digits[.digits]`` with at most 19
    digits is read exactly (ties to even, the sign of zero kept); every other cell is
    left to the caller."""
    _check(texts)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(2**53, 10**19 - 1), st.integers(0, 4), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_decimals_halfway_between_two_doubles_round_to_even(
    cases: list[tuple[int, int, bool]],
) -> None:
    texts = [_halfway(m, zeros, below) for m, zeros, below in cases]
    _check([t for t in texts if len(t) - t.count(b".") <= 19])


def test_hard_cases() -> None:
    """Ties, the largest 19-digit number, leading zeros, the sign of zero, numbers
    whose rounding only the second 64-bit product decides, and numbers that round up
    to a power of two."""
    texts = [
        b"9007199254740993", b"9007199254740995", b"9007199254740993.000",
        b"18014398509481989", b"9999999999999999999", b"0000000000000000001",
        b"-0.000000000", b".12345678901234567", b"12345678901234567.", b"-.1234567890",
        b"0.30000000000000004", b"1.7976931348623157", b"2.2250738585072014",
        b"23719303342959118.0", b"6494835600483929.5", b"5781367494036811.5",
        b"1919565687260814.875", b"251083957571875056.0", b"8446313263633697.5",
        b"1.00000000000000000000", b"123456789012345678901", b"-", b".", b"1-2", b"1e10",
        b"0.99999999999999999", b"1.9999999999999999", b"9007199254740991.9",
        b"-3.9999999999999999", b"1023.9999999999999999",
    ]  # fmt: skip
    _check(texts)
    values, ok = _read([b"9007199254740993", b"-0.000000000"])
    assert values.tolist() == [9007199254740992.0, 0.0]
    assert np.signbit(values[1])
    assert ok.all()


def test_the_table_is_the_truncated_powers_of_five() -> None:
    """Each entry, times ``5**-q``, lies within one unit above ``2**(bits + 127)``."""
    for q in range(ld._MIN_Q, 0):
        c = (int(ld._FIVE_HI[q - ld._MIN_Q]) << 64) | int(ld._FIVE_LO[q - ld._MIN_Q])
        p5 = 5**-q
        assert c.bit_length() == 128
        assert 0 < c * p5 - (1 << (p5.bit_length() + 127)) <= p5


def test_many_groups_read_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    texts = [repr(x).encode() for x in rng.uniform(-10, 110, 5000).tolist()]
    whole = _read(texts)
    monkeypatch.setattr(ld, "_GROUP", 7)
    cut = _read(texts)
    assert np.array_equal(whole[0].view(np.int64), cut[0].view(np.int64))
    assert np.array_equal(whole[1], cut[1])
    assert whole[1].mean() > 0.99  # (a few near zero have more than 19 digits)


def test_a_file_of_full_precision_floats_reads_back_exactly(tmp_path: Path) -> None:
    """``repr`` floats in a CSV file (the block reader) come back bit for bit, beside
    blank, not-applicable and out-of-range cells."""
    r = rm.Rubric("f", dimensions=[rm.Dimension("d", indicators=[
        rm.Indicator("x", scale=rm.NumericScale(goalposts=(-10, 110), clamp=False))])])  # fmt: skip
    rng = np.random.default_rng(4)
    values = rng.uniform(-10, 110, 3000)
    cells = [repr(v) for v in values.tolist()]
    cells[5], cells[6] = "", "n/a"
    p = tmp_path / "a.csv"
    p.write_text("agency,period,x\n" + "".join(f"a{i},2016,{c}\n" for i, c in enumerate(cells)))
    rs = rm.load_responses(p, r, engine="python")
    got = rs.values[:, 0]
    keep = np.ones(len(cells), bool)
    keep[[5, 6]] = False
    assert np.array_equal(got[keep].view(np.int64), values[keep].view(np.int64))
    assert rs.missing[5, 0]
    assert rs.na[6, 0]
    cells[7] = "-110.00000000000001"  # (below the goalposts, which it may not pass)
    p.write_text("agency,period,x\n" + "".join(f"a{i},2016,{c}\n" for i, c in enumerate(cells)))
    with pytest.raises(rm.ResponseError, match=r"-110\.00000000000001.*'a7'"):
        rm.load_responses(p, r, engine="python")
