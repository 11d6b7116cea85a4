"""Hypothesis helpers of the scales' strategies (imported only when a strategy is asked
for, so that the library does not need hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

__all__ = ["WORDS", "awkward_floats", "labels", "unit_values"]

_THAI = "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอะาิีึืุูเแโใไ่้๊๋์"
WORDS = st.text("abcdefghijklmnopqrstuvwxyz ABC-" + _THAI, min_size=1, max_size=12)
_SPECIAL_FLOATS = (1e-300, 0.1 + 0.2, 1 / 3, 123456.789012345678, 2.5e-8, 0.0, 1.0)


def awkward_floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    """Finite floats in [lo, hi], often awkward ones (1e-300, 0.1 + 0.2, many digits)."""
    special = [x for x in _SPECIAL_FLOATS if lo <= x <= hi]
    floats = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    return floats | st.sampled_from(special) if special else floats


def labels(lo: int, hi: int, *, checklist: bool = False) -> st.SearchStrategy[list[str]]:
    """Unique labels, often ones YAML would read as another type (no, 1e3, ~)."""
    label = (
        st.sampled_from(["none", "1", "1.0", "yes", "no", "on", "1e3", "~", "บาง"]) | WORDS
    ).filter(lambda text: bool(text) and text == text.strip())
    out = st.lists(label, min_size=lo, max_size=hi, unique=True)
    if checklist:
        return out.map(
            lambda xs: [x for x in xs if "|" not in x and x.casefold() != "none"] or ["item"]
        )
    return out


def unit_values(n: int, *, sort: bool) -> st.SearchStrategy[list[float]]:
    """``n`` numbers in [0, 1], ascending when ``sort``."""
    out = st.lists(awkward_floats(0.0, 1.0), min_size=n, max_size=n)
    return out.map(sorted) if sort else out


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``None`` or a value of ``strategy``."""
    return st.none() | strategy
