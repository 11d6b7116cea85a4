"""One answer cell at a time, and whole columns of them at once.

Every way answers come in (CSV, JSON, records, a DataFrame) ends here: a cell is
*missing* (blank), *not applicable* (one of :data:`NA_TOKENS`) or a value that the
indicator's scale parses (``scale.parse``). A column of text cells is converted in
bulk (one numpy call for a numeric column, one dictionary lookup per cell for a
label column); only cells that fail fall back to the scale's own parser, so that
their errors can be located.

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

import attrs
import numpy as np

from .csv_text import unescape
from .grouped_numbers import looks_grouped, ungroup

__all__ = [
    "NA_TOKENS",
    "RESERVED_COLUMNS",
    "Column",
    "JsonSpecial",
    "Period",
    "check_text",
    "convert_coded",
    "convert_column",
    "distinct_values",
    "is_blank",
    "is_na",
    "normalise_period",
    "parse_answer",
    "period_order",
]

NA_TOKENS = frozenset({"n/a", "na", "not applicable", "n.a.", "-n/a-"})
"""Answers meaning "not applicable" (compared after trimming spaces, ignoring case)."""
RESERVED_COLUMNS = ("agency", "period", "name", "kind", "parent", "assessed")
"""Columns every answers layout may hold besides the indicators (``assessed: no`` marks an
agency not assessed: see :class:`~readiness_model.NotAssessed`)."""
Period = int | str
MAX_PERIOD_DIGITS = 18
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHOLE = re.compile(r"[+-]?(\d+)(?:\.0*)?")  # \d: any Unicode decimal digit, as int() reads

# Cell kinds in a converted column.
VALUE, MISSING, NA, BAD = 0, 1, 2, 3


@attrs.frozen(slots=True)
class JsonSpecial:
    """A JSON token that is not an answer: ``NaN``/``Infinity`` or an integer too long
    to convert (JSON readers return this instead, so the cell's error can be located)."""

    text: str

    def __repr__(self) -> str:
        return self.text


def is_blank(raw: object) -> bool:
    """True for an unanswered cell: ``None``, ``""``, whitespace or a float NaN.

    Example:
        >>> is_blank(" "), is_blank(float("nan")), is_blank("no")
        (True, True, False)
    """
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    return isinstance(raw, str) and not raw.strip()


def is_na(raw: object) -> bool:
    """True for a "not applicable" answer (``n/a``, ``NA``, ``not applicable``...).

    Example:
        >>> is_na(" N/A "), is_na("no")
        (True, False)
    """
    return isinstance(raw, str) and raw.strip().casefold() in NA_TOKENS


def check_text(raw: str, what: str) -> None:
    """Raise ``ValueError`` for text no output could hold (a lone UTF-16 surrogate).

    Example:
        >>> check_text("\\ud800", "agency id")
        Traceback (most recent call last):
        ...
        ValueError: agency id holds a lone surrogate (U+D800), which UTF-8 cannot encode
    """
    if raw.isascii():  # a flag of the string: no search needed
        return
    bad = _SURROGATE.search(raw)
    if bad is not None:
        raise ValueError(
            f"{what} holds a lone surrogate (U+{ord(bad.group()):04X}), which UTF-8 cannot encode"
        )


def normalise_period(raw: object) -> Period:
    """A period as an ``int`` when it is a whole number, else its label.

    ``2016``, ``"2016"``, ``" 2016 "``, ``2016.0`` and ``"2016.0"`` are all the year
    2016; other text is a label, kept exactly (a label with spaces around it is an
    error, since it would not match the same label written without them).

    Raises:
        ValueError: for true/false, a fraction, blank text, a label with surrounding
            spaces or a number of more than 18 digits.

    Example:
        >>> normalise_period("2016"), normalise_period("2016.0"), normalise_period("2016-Q1")
        (2016, 2016, '2016-Q1')
        >>> normalise_period(np.int64(2016)), normalise_period(np.str_("2016Q1"))
        (2016, '2016Q1')
    """
    if isinstance(raw, np.generic) and not isinstance(raw, np.bool_):
        raw = raw.item()  # a numpy scalar (a pandas column's year): as Python's
    if isinstance(raw, bool | np.bool_):
        raise ValueError("a period is a year or a label, not true/false")
    if isinstance(raw, int):
        if len(str(abs(raw))) > MAX_PERIOD_DIGITS:
            raise ValueError(f"a period number has at most {MAX_PERIOD_DIGITS} digits")
        return raw
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        return normalise_period(int(raw))
    if isinstance(raw, str) and raw.strip():
        t = raw.strip()
        whole = _WHOLE.fullmatch(t)
        if whole is not None:
            if len(whole.group(1)) > MAX_PERIOD_DIGITS:
                raise ValueError(f"a period number has at most {MAX_PERIOD_DIGITS} digits")
            return int(t.split(".")[0])
        if t != raw:
            raise ValueError(f"the period label {raw!r} has spaces around it")
        check_text(raw, "the period")
        return raw
    raise ValueError(f"a period must be a year or a label (got {raw!r})")


def parse_answer(scale: Any, raw: object) -> float:
    """The stored value of one answer through ``scale.parse``; every failure (including
    ``TypeError``/``OverflowError`` from odd values) is a ``ValueError`` naming the
    expectation.

    Example:
        >>> from readiness_model import BinaryScale
        >>> parse_answer(BinaryScale(), "Yes")
        1.0
        >>> parse_answer(BinaryScale(), [1])
        Traceback (most recent call last):
        ...
        ValueError: yes/no (also true/false, 1/0)
    """
    if isinstance(raw, JsonSpecial):
        raise ValueError(f"{scale.expected()}; {raw.text} is not an answer (null means missing)")
    if isinstance(raw, str):
        check_text(raw, "the answer")
    try:
        value = float(scale.parse(raw))
    except (TypeError, OverflowError):
        raise ValueError(scale.expected()) from None
    if not math.isfinite(value):
        raise ValueError(scale.expected())
    return value


@attrs.frozen(slots=True)
class Column:
    """One indicator's cells converted: stored values (NaN where none), the missing and
    not-applicable masks, and the rows whose cell is a bad answer with the expectation."""

    values: np.ndarray
    missing: np.ndarray
    na: np.ndarray
    bad: tuple[tuple[int, str], ...]


def _classify(scale: Any, raw: object, grouping: bool = False) -> tuple[int, float, str]:
    if isinstance(raw, np.integer | np.floating | np.bool_ | np.str_):
        raw = raw.item()  # a numpy scalar (an array's element): its exact Python value
    if is_blank(raw):
        return MISSING, math.nan, ""
    if is_na(raw):
        return NA, math.nan, ""
    if scale.continuous and isinstance(raw, str) and "," in raw and looks_grouped(raw):
        try:
            raw = ungroup(raw, grouping)
        except ValueError as err:
            return BAD, math.nan, f"{scale.expected()} ({err})"
    try:
        return VALUE, parse_answer(scale, raw), ""
    except ValueError as err:
        return BAD, math.nan, str(err) or scale.expected()


def _from_kinds(kinds: np.ndarray, values: np.ndarray, expected: Sequence[str]) -> Column:
    bad = np.flatnonzero(kinds == BAD)
    return Column(
        values,
        kinds == MISSING,
        kinds == NA,
        tuple((i, expected[i]) for i in bad.tolist()),
    )


def _per_cell(scale: Any, cells: Sequence[object], text: bool, grouping: bool = False) -> Column:
    """The fallback: each cell through the scale's parser (cached per distinct value)."""
    n = len(cells)
    kinds = np.zeros(n, np.int8)
    values = np.full(n, np.nan)
    expected = [""] * n
    cache: dict[tuple[type, object, float], tuple[int, float, str]] = {}
    for i, raw in enumerate(cells):
        try:
            # (0.0 and -0.0 are equal keys: the sign of zero is part of the answer)
            key = (type(raw), raw, math.copysign(1.0, raw) if isinstance(raw, float) else 1.0)
            got = cache.get(key)
            if got is None:
                got = cache[key] = _classify(scale, unescape(raw) if text else raw, grouping)  # type: ignore[arg-type]
        except TypeError:  # unhashable (a list)
            got = _classify(scale, raw, grouping)
        kinds[i], values[i], expected[i] = got
    return _from_kinds(kinds, values, expected)


# Cells a numeric text column may hold besides numbers, as written by tools.
_NUMERIC_SUBST = {"": "nan", **dict.fromkeys(NA_TOKENS, "nan"), "N/A": "nan", "NA": "nan"}


def _numeric_text(scale: Any, cells: Sequence[str], grouping: bool = False) -> Column:
    """A continuous scale's text column: one numpy conversion, per-cell parsing only
    for the cells that need it (units, odd spellings, thousands separators, bad answers)."""
    n = len(cells)
    cleaned = list(map(_NUMERIC_SUBST.get, cells, cells))
    try:
        values = np.array(cleaned, dtype=np.float64)
    except (ValueError, TypeError):
        return _per_cell(scale, cells, True, grouping)
    if values.shape != (n,) or "_" in "".join(cells):
        return _per_cell(scale, cells, True, grouping)
    kinds = np.zeros(n, np.int8)  # VALUE, MISSING or NA; only NaN cells are looked at
    nan = np.flatnonzero(np.isnan(values))
    kinds[nan] = [_BLANKISH.get(cells[i], VALUE) for i in nan.tolist()]
    special = (kinds == VALUE) & np.isnan(values)  # a literal "nan"
    have = ~np.isnan(values)
    if special.any() or not _valid(scale, values[have]).all():
        return _per_cell(scale, cells, True)
    return Column(values, kinds == MISSING, kinds == NA, ())


_BLANKISH = {"": MISSING, **dict.fromkeys(NA_TOKENS, NA), "N/A": NA, "NA": NA}


def _valid(scale: Any, values: np.ndarray) -> np.ndarray:
    """Which values (no NaN) are finite and valid stored values of ``scale``."""
    ok = np.zeros(values.shape, bool)
    finite = np.isfinite(values)
    ok[finite] = scale.valid(values[finite])
    return ok


def text_codes(cells: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The distinct texts, in order of first appearance, and each cell's index among
    them (a dictionary, no loop over the cells in Python).

    Example:
        >>> distinct, codes = text_codes(["yes", "no", "yes"])
        >>> distinct, codes.tolist()
        (['yes', 'no'], [0, 1, 0])
    """
    table = dict.fromkeys(cells)
    for k, raw in enumerate(table):
        table[raw] = k
    codes = np.fromiter(map(table.__getitem__, cells), np.intp, count=len(cells))
    return list(table), codes


def _label_text(scale: Any, cells: Sequence[str]) -> Column:
    """A label scale's text column: each distinct text parsed once, then looked up."""
    return convert_coded(scale, *text_codes(cells))


def convert_coded(scale: Any, distinct: Sequence[str], codes: np.ndarray) -> Column:
    """A text column given as its distinct texts and each cell's index among them
    (dictionary-encoded): each distinct text is parsed once.

    Example:
        >>> from readiness_model import BinaryScale
        >>> convert_coded(BinaryScale(), ["yes", "", "no"], np.array([0, 2, 1, 0])).values.tolist()
        [1.0, 0.0, nan, 1.0]
    """
    kinds = np.zeros(len(distinct), np.int8)
    values = np.full(len(distinct), np.nan)
    expected = []
    for k, raw in enumerate(distinct):
        kinds[k], values[k], exp = _classify(scale, unescape(raw))
        expected.append(exp)
    # (np.take: several times faster than indexing with an array)
    bad: tuple[tuple[int, str], ...] = ()
    if (kinds == BAD).any():
        rows = np.flatnonzero(np.take(kinds == BAD, codes)).tolist()
        bad = tuple((i, expected[int(codes[i])]) for i in rows)
    return Column(
        np.take(values, codes), np.take(kinds == MISSING, codes), np.take(kinds == NA, codes), bad
    )


def convert_column(
    scale: Any, cells: Sequence[object], *, text: bool = False, grouping: bool = False
) -> Column:
    """Stored values of one indicator's cells.

    Args:
        scale: The indicator's scale.
        cells: The answers as written (text from CSV, or any JSON/Python value).
        text: Every cell is a ``str`` (CSV), which allows the bulk conversions.
        grouping: A lone comma followed by three digits (``1,200``) in a number is a
            thousands separator (a comma-separated file); else such a number is
            ambiguous and rejected (see :mod:`.grouped_numbers`).

    Returns:
        A :class:`Column`; bad answers are listed (row, expectation), never raised.

    Example:
        >>> from readiness_model import NumericScale
        >>> col = convert_column(NumericScale(goalposts=(0, 10)), ["5", "", "n/a", "x"], text=True)
        >>> col.values.tolist()[:1], col.missing.tolist(), col.na.tolist(), col.bad
        ([5.0], [False, True, False, False], [False, False, True, False], ((3, 'a finite number'),))
    """
    if not text:
        return _per_cell(scale, cells, False, grouping)
    if scale.continuous:
        return _numeric_text(scale, cells, grouping)  # type: ignore[arg-type]
    return _label_text(scale, cells)  # type: ignore[arg-type]


_P = TypeVar("_P")


def distinct_values(values: Iterable[_P]) -> list[_P]:
    """The distinct values (periods, attribute cells), in order of first appearance
    (one value on every row, the common case, is found without hashing a million of
    them: ``count`` compares by identity first).

    Example:
        >>> distinct_values((2016,) * 3), distinct_values([2016, 2015, 2016])
        ([2016], [2016, 2015])
    """
    seq = values if isinstance(values, list | tuple) else list(values)  # (an array, any iterable)
    if len(seq) and seq.count(seq[0]) == len(seq):
        return [seq[0]]
    return list(dict.fromkeys(seq))


def period_order(periods: Iterable[_P]) -> dict[_P, int]:
    """Position of each distinct period (numbers before labels)."""
    ordered = sorted(distinct_values(periods), key=lambda p: (isinstance(p, str), p))
    return {p: i for i, p in enumerate(ordered)}
