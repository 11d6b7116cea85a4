"""Text that may be given in several languages."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ._validators import fail

__all__ = ["Text", "to_text"]


def _check_translations(
    instance: object,
    attribute: attrs.Attribute[tuple[tuple[str, str], ...]],
    value: tuple[tuple[str, str], ...],
) -> None:
    langs = [lang for lang, _ in value]
    if len(set(langs)) != len(langs):
        raise fail("a language appears twice in a title", "$")
    for lang, text in value:
        if not isinstance(lang, str) or not lang or not isinstance(text, str):
            raise fail(
                f"a title by language must map language codes to text (got {lang!r}: {text!r})",
                "$",
                expected="{en: ..., th: ...}",
            )


@attrs.frozen(slots=True)
class Text:
    """A plain string, or a mapping of language code to text (``{en: ..., th: ...}``).

    Attributes:
        translations: ``(language, text)`` pairs in the order given; empty for plain text.
        plain: The plain string when no languages were given.

    Example:
        >>> t = Text.of({"en": "Policies", "th": "นโยบาย"})
        >>> t.get("th"), t.get("fr"), str(t)
        ('นโยบาย', 'Policies', 'Policies')
        >>> Text.of("Portal").to_data()
        'Portal'

    .. versionadded:: 0.1.0
    """

    plain: str = ""
    translations: tuple[tuple[str, str], ...] = attrs.field(
        default=(), validator=_check_translations
    )

    @classmethod
    def of(cls, value: str | Mapping[str, str] | Text) -> Text:
        """Build from a string, a language mapping or another :class:`Text`.

        Raises ``RubricError`` for an empty mapping or a value of another type.

        Example:
            >>> Text.of("Portal"), Text.of({"th": "พอร์ทัล"}).translations
            (Text(plain='Portal', translations=()), (('th', 'พอร์ทัล'),))
        """
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls(plain=value)
        if isinstance(value, Mapping):
            if not value:
                raise fail("a title mapping must name at least one language", "$")
            return cls(translations=tuple((str(k), v) for k, v in value.items()))
        raise fail(f"a title must be text or a mapping of language to text (got {value!r})", "$")

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang``, falling back to English, then the first language given.

        Example:
            >>> t = Text.of({"th": "นโยบาย", "en": "Policies"})
            >>> t.get("th"), t.get("fr"), Text.of({"th": "นโยบาย"}).get("en")
            ('นโยบาย', 'Policies', 'นโยบาย')
        """
        if not self.translations:
            return self.plain
        table = dict(self.translations)
        if lang and lang in table:
            return table[lang]
        return table.get("en", self.translations[0][1])

    def to_data(self) -> str | dict[str, str]:
        """Plain data for YAML/JSON: the string, or the language mapping.

        Example:
            >>> Text.of({"en": "Policies", "th": "นโยบาย"}).to_data()
            {'en': 'Policies', 'th': 'นโยบาย'}
        """
        if self.translations:
            return dict(self.translations)
        return self.plain

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self.plain or self.translations)


def to_text(value: object) -> Text:
    """attrs converter: ``None`` → empty text, anything else through :meth:`Text.of`."""
    if value is None:
        return Text()
    return Text.of(value)  # type: ignore[arg-type]
