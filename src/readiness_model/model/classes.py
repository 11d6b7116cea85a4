"""Classification rules: readiness bands, trend classes and two-axis groups."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs

from ._format import to_data
from ._forms import TEXT, Id, Ids, Inline, Number, Obj, Pairs, Wrapped, key
from ._validators import check_finite, check_id, fail
from .text import Text, to_text

__all__ = ["Band", "Group", "Range", "TrendClass"]


def _optional_share(value: object) -> float | None:
    """``None`` or a finite share in [0, 1] (the band's ``min_coverage``)."""
    return None if value is None else check_finite(value, "min_coverage", minimum=0, maximum=1)


def _bound(name: str, doc: str) -> Any:
    return attrs.field(
        default=None,
        converter=lambda v: None if v is None else check_finite(v, name),
        metadata=key(doc, Number()),
    )


def _id() -> Any:
    return attrs.field(validator=lambda i, a, v: check_id(v), metadata=key("Its id.", Id()))


_TITLE = "Short name shown in reports."
_DESCRIPTION = "Longer explanation."


@attrs.frozen(slots=True)
class Range:
    """An interval given by any of ``min`` (>=), ``above`` (>), ``max`` (<=), ``below`` (<).

    Example:
        >>> r = Range(min=50, below=75)
        >>> r.contains(50.0), r.contains(75.0)
        (True, False)

    .. versionadded:: 0.1.0
    """

    min: float | None = _bound("min", "The value must be >= min.")
    above: float | None = _bound("above", "The value must be > above.")
    max: float | None = _bound("max", "The value must be <= max.")
    below: float | None = _bound("below", "The value must be < below.")

    def lower(self) -> tuple[float, bool]:
        """The tighter lower bound as ``(value, strict)``.

        Example:
            >>> Range(min=50, above=60).lower(), Range().lower()
            ((60.0, True), (-inf, False))
        """
        lo, strict = -math.inf, False
        if self.min is not None:
            lo = self.min
        if self.above is not None and self.above >= lo:
            lo, strict = self.above, True
        return lo, strict

    def upper(self) -> tuple[float, bool]:
        """The tighter upper bound as ``(value, strict)``.

        Example:
            >>> Range(max=80, below=75).upper(), Range(max=80).upper()
            ((75.0, True), (80.0, False))
        """
        hi, strict = math.inf, False
        if self.max is not None:
            hi = self.max
        if self.below is not None and self.below <= hi:
            hi, strict = self.below, True
        return hi, strict

    def is_empty(self) -> bool:
        """True when no number satisfies the range.

        Example:
            >>> Range(min=50, below=50).is_empty(), Range(min=50, max=50).is_empty()
            (True, False)
        """
        (lo, ls), (hi, hs) = self.lower(), self.upper()
        return lo > hi or (lo == hi and (ls or hs))

    def covers(self, other: Range) -> bool:
        """True when every number in ``other`` is also in this range.

        Example:
            >>> Range(min=40).covers(Range(above=40, max=60)), Range(above=40).covers(Range(min=40))
            (True, False)
        """
        (lo, ls), (hi, hs) = self.lower(), self.upper()
        (olo, ols), (ohi, ohs) = other.lower(), other.upper()
        low_ok = lo < olo or (lo == olo and (not ls or ols))
        high_ok = hi > ohi or (hi == ohi and (not hs or ohs))
        return low_ok and high_ok

    def contains(self, x: float) -> bool:
        """True when ``x`` is in the range.

        Example:
            >>> Range(above=0.5).contains(0.5), Range(above=0.5).contains(0.6)
            (False, True)
        """
        (lo, ls), (hi, hs) = self.lower(), self.upper()
        return (x > lo if ls else x >= lo) and (x < hi if hs else x <= hi)

    def is_unbounded(self) -> bool:
        """True when no bound is given.

        Example:
            >>> Range().is_unbounded(), Range(min=0).is_unbounded()
            (True, False)
        """
        return self.min is None and self.above is None and self.max is None and self.below is None

    def to_data(self) -> dict[str, float]:
        """Plain data with only the bounds that are set.

        Example:
            >>> Range(min=50, below=75).to_data()
            {'min': 50.0, 'below': 75.0}
        """
        return to_data(self)


def _dim_gates(value: object) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    if not isinstance(value, Mapping):
        raise fail(
            f"'dimensions' of a band must map dimension ids to minimum scores (got {value!r})",
            "$.dimensions",
            expected="{policy: 60, ...}",
        )
    out = []
    for k, v in value.items():
        check_id(k, "dimensions")
        if isinstance(v, Mapping) and set(v) == {"min"}:
            v = v["min"]
        out.append((k, check_finite(v, f"dimensions.{k}")))
    return tuple(out)


def _all_dims(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        if set(value) != {"min"}:
            raise fail(
                "'all_dimensions' takes only 'min'", "$.all_dimensions", expected="{min: number}"
            )
        value = value["min"]
    return check_finite(value, "all_dimensions.min")


_GATE = Wrapped(Number(), "min", "Minimum score.", wrap=False)
_ALL = Wrapped(Number(), "min", "Minimum score.")


@attrs.frozen(slots=True)
class Band:
    """A readiness band; the first band (from the top) whose every rule holds wins.

    Attributes:
        range: Bounds on the overall score (reported scale).
        dimensions: ``(dimension id, minimum score)`` gates.
        all_dimensions: Minimum score every top-level dimension must reach.
        min_coverage: Minimum overall coverage (share of weight answered), in [0, 1].

    Example:
        >>> b = Band("developed", title="Developed", range=Range(min=60))
        >>> b.to_data()
        {'id': 'developed', 'title': 'Developed', 'min': 60.0}

    .. versionadded:: 0.1.0
    """

    id: str = _id()
    title: Text = attrs.field(default=None, converter=to_text, metadata=key(_TITLE, TEXT))
    range: Range = attrs.field(
        factory=Range, metadata=key("Bounds on the overall score.", Inline(Range))
    )
    dimensions: tuple[tuple[str, float], ...] = attrs.field(
        default=(),
        converter=_dim_gates,
        metadata=key("Minimum score per dimension id.", Pairs(_GATE)),
    )
    all_dimensions: float | None = attrs.field(
        default=None,
        converter=_all_dims,
        metadata=key("Minimum score of every top-level dimension.", _ALL),
    )
    min_coverage: float | None = attrs.field(
        default=None,
        converter=_optional_share,
        metadata=key("Minimum overall coverage.", Number(minimum=0, maximum=1)),
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key(_DESCRIPTION, TEXT)
    )

    @property
    def gated(self) -> bool:
        """True when the band has rules beyond the overall range.

        Example:
            >>> Band("advanced", range=Range(min=80), all_dimensions=60).gated
            True
            >>> Band("developed", range=Range(min=60)).gated
            False
        """
        return bool(self.dimensions) or self.all_dimensions is not None or bool(self.min_coverage)

    def label(self, lang: str | None = None) -> str:
        """Title in ``lang``, or the id.

        Example:
            >>> b = Band("advanced", title={"en": "Advanced", "th": "ก้าวหน้า"})
            >>> b.label("th"), b.label(), Band("initial").label()
            ('ก้าวหน้า', 'Advanced', 'initial')
        """
        return self.title.get(lang) or self.id

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> Band("advanced", range=Range(min=80), dimensions={"policy": 60}).to_data()
            {'id': 'advanced', 'min': 80.0, 'dimensions': {'policy': 60.0}}
        """
        return to_data(self)


@attrs.frozen(slots=True)
class TrendClass:
    """A trend class, chosen by the change of the overall score since the previous period.

    The first class whose ``change`` range holds wins; an agency with no previous
    period has no trend.

    Example:
        >>> TrendClass("continuous", change=Range(min=0.5)).to_data()
        {'id': 'continuous', 'change': {'min': 0.5}}

    .. versionadded:: 0.1.0
    """

    id: str = _id()
    title: Text = attrs.field(default=None, converter=to_text, metadata=key(_TITLE, TEXT))
    change: Range = attrs.field(
        factory=Range, metadata=key("Range of the change of the overall score.", Obj(Range))
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key(_DESCRIPTION, TEXT)
    )

    def label(self, lang: str | None = None) -> str:
        """Title in ``lang``, or the id.

        Example:
            >>> TrendClass("stalled", title="Stalled").label(), TrendClass("stalled").label()
            ('Stalled', 'stalled')
        """
        return self.title.get(lang) or self.id

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> TrendClass("declining", change=Range(below=0)).to_data()
            {'id': 'declining', 'change': {'below': 0.0}}
        """
        return to_data(self)


def _ids(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise fail(f"expected a list of ids (got {value!r})", "$")
    return tuple(check_id(v) for v in value)


@attrs.frozen(slots=True)
class Group:
    """A cell of the two-axis grouping: a set of bands × a set of trend classes.

    Empty ``bands`` or ``trend`` match anything on that axis (``trend`` empty also
    matches agencies with no previous period). The first matching group wins.

    Example:
        >>> Group("developed", bands=["advanced", "developed"], trend=["continuous"]).bands
        ('advanced', 'developed')

    .. versionadded:: 0.1.0
    """

    id: str = _id()
    title: Text = attrs.field(default=None, converter=to_text, metadata=key(_TITLE, TEXT))
    bands: tuple[str, ...] = attrs.field(
        default=(), converter=_ids, metadata=key("Band ids (empty: any band).", Ids())
    )
    trend: tuple[str, ...] = attrs.field(
        default=(), converter=_ids, metadata=key("Trend class ids (empty: any trend).", Ids())
    )
    description: Text = attrs.field(
        default=None, converter=to_text, metadata=key(_DESCRIPTION, TEXT)
    )

    def label(self, lang: str | None = None) -> str:
        """Title in ``lang``, or the id.

        Example:
            >>> Group("leaders", title={"en": "Leaders"}).label("en")
            'Leaders'
        """
        return self.title.get(lang) or self.id

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON.

        Example:
            >>> Group("leaders", bands="advanced", trend=["continuous"]).to_data()
            {'id': 'leaders', 'bands': ['advanced'], 'trend': ['continuous']}
        """
        return to_data(self)
