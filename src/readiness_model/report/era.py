"""Years in the era of the report's language: Buddhist era (พ.ศ.) in Thai, Common Era else.

Periods are often years. The rule, applied to all the periods of a report at once:
whole numbers from 1900 to 2199 are Gregorian (Common Era) years, whole numbers from 2443
to 2742 (the same years plus 543) are Buddhist-era years, and anything else (``2016-Q1``,
a mix, 2300) is not a year and is shown as it is. A Thai report shows Gregorian years in
the Buddhist era (พ.ศ. = ค.ศ. + 543); any other language shows Buddhist-era years in the
Common Era (CE = B.E. − 543). The header states a conversion once, when there is one.

>>> years = Years.of([2015, 2016], "th")
>>> years.text(2016), years.note
('พ.ศ. 2559', 'ปีในรายงานนี้เป็นปีพุทธศักราช (พ.ศ. = ค.ศ. + 543)')
>>> Years.of([2558, 2559], "en").text(2559), Years.of(["2016-Q1"], "th").text("2016-Q1")
('2016', '2016-Q1')
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ..errors import Problem, ResponseError
from ..responses import Period

__all__ = ["BE_OFFSET", "ERAS", "Years"]

#: Buddhist era = Common Era + 543.
BE_OFFSET = 543
#: What ``era`` may say about a report's periods.
ERAS = ("auto", "ce", "be", "none")
_CE = range(1900, 2200)
_BE = range(_CE.start + BE_OFFSET, _CE.stop + BE_OFFSET)
_NOTES = {
    ("th", "ce"): "ปีในรายงานนี้เป็นปีพุทธศักราช (พ.ศ. = ค.ศ. + 543)",
    ("en", "be"): "Years are shown in the Common Era (CE = B.E. − 543); "
    "the answers give Buddhist-era years.",
}


def _detect(periods: Iterable[Period]) -> str:
    values = list(periods)
    if values and all(isinstance(p, int) and p in _CE for p in values):
        return "ce"
    if values and all(isinstance(p, int) and p in _BE for p in values):
        return "be"
    return "none"


@attrs.frozen(slots=True)
class Years:
    """How a report writes its periods.

    Attributes:
        era: What the periods are: ``ce`` (Gregorian years), ``be`` (Buddhist-era
            years) or ``none`` (not years: shown as they are).
        lang: The report's language: ``th`` writes years in the Buddhist era with
            ``พ.ศ.``, any other language in the Common Era.

    Example:
        >>> Years("ce", "th").text(2016), Years("ce", "en").text(2016)
        ('พ.ศ. 2559', '2016')

    .. versionadded:: 0.2.0
    """

    era: str = attrs.field(validator=attrs.validators.in_(("ce", "be", "none")))
    lang: str = "en"

    @classmethod
    def of(cls, periods: Iterable[Period], lang: str = "en", era: str = "auto") -> Years:
        """The writing of ``periods`` in ``lang``.

        Args:
            periods: Every period the report shows.
            lang: The report's language.
            era: ``auto`` (decide from the periods, see the module), ``ce`` or ``be``
                (the periods are years of that era), ``none`` (show them as they are).

        Raises:
            ResponseError: ``era`` is not one of :data:`ERAS` (located at ``era``).

        Example:
            >>> Years.of([2016, 2017]).era, Years.of([2559]).era, Years.of([1, 2]).era
            ('ce', 'be', 'none')
            >>> Years.of([2559], "th", era="none").text(2559)
            '2559'
        """
        if not isinstance(era, str) or era not in ERAS:
            raise ResponseError(
                [Problem(f"era must be one of {', '.join(ERAS)} (got {era!r:.40})", "era")]
            )
        return cls(_detect(periods) if era == "auto" else era, lang)

    def text(self, period: Period) -> str:
        """One period as the report writes it.

        Example:
            >>> Years("be", "en").text(2559), Years("be", "th").text(2559)
            ('2016', 'พ.ศ. 2559')
        """
        if self.era == "none" or not isinstance(period, int):
            return str(period)
        if self.lang == "th":
            return f"พ.ศ. {period + BE_OFFSET if self.era == 'ce' else period}"
        return str(period - BE_OFFSET if self.era == "be" else period)

    @property
    def note(self) -> str | None:
        """The sentence for the report's header when years are converted, else ``None``.

        Example:
            >>> Years("ce", "en").note is None, Years("be", "th").note is None
            (True, True)
        """
        lang = "th" if self.lang == "th" else "en"
        return _NOTES.get((lang, self.era))
