"""Gettext catalogs, one per language of the table (``locales.languages``), and the small
loader that renders texts in a participant's language.

Catalogs live in ``locales/<lang>/LC_MESSAGES/messages.po``; ``make catalogs`` compiles them to
``.mo``. The loader uses a ``.mo`` that is newer than its ``.po`` and otherwise compiles the
``.po`` in memory, so an edited catalog never shows stale texts.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from locales.languages import (
    CODES,
    CONTENT_LANGUAGES,
    DEFAULT_LANGUAGE,
    NATIVE_NAMES,
    RESIDENT_LANGUAGES,
    STAFF_LANGUAGES,
    language_of,
    match_language,
)

__all__ = [
    "CODES",
    "CONTENT_LANGUAGES",
    "DEFAULT_LANGUAGE",
    "NATIVE_NAMES",
    "N_",
    "RESIDENT_LANGUAGES",
    "STAFF_LANGUAGES",
    "LocalText",
    "Param",
    "Translator",
    "Translators",
    "match_language",
    "pick",
]

LOCALES_DIR = Path(__file__).parent
DOMAIN = "messages"

# A text per language, from data staff maintain: {"fi": "Keskusta", "sv": "Centrum", …}.
LocalText = Mapping[str, str]
Param = str | int | float | date | datetime | LocalText


def pick(text: LocalText, language: str) -> str:
    """Return ``text`` in ``language``, else in its fallbacks in order, else whatever there is."""
    for candidate in (language, *language_of(language).fallback):
        if text.get(candidate):
            return text[candidate]
    return next((value for value in text.values() if value), "")


def N_(msgid: str) -> str:
    """Mark a text for extraction; it is translated when rendered."""
    return msgid


def _load_catalog(language: str, directory: Path) -> gettext.GNUTranslations:
    base = directory / language / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Translator:
    """Renders msgids and values for one language in one time zone."""

    language: str
    catalog: gettext.GNUTranslations
    timezone: ZoneInfo

    @property
    def direction(self) -> str:
        """ "ltr" or "rtl", for a page's ``dir``."""
        return language_of(self.language).direction

    @property
    def babel_locale(self) -> Locale:
        return Locale.parse(language_of(self.language).babel_locale)

    def gettext(self, msgid: str) -> str:
        return self.catalog.gettext(msgid)

    def text(self, msgid: str, params: Mapping[str, Param] | None = None) -> str:
        """Translate ``msgid`` and fill its ``{named}`` placeholders, formatted for the language."""
        translated = self.catalog.gettext(msgid)
        if not params:
            return translated
        return translated.format(**{name: self.value(v) for name, v in params.items()})

    def label(self, label: str | LocalText) -> str:
        """Translate a msgid, or pick a data text's language."""
        return self.catalog.gettext(label) if isinstance(label, str) else pick(label, self.language)

    def value(self, value: Param) -> str:
        if isinstance(value, Mapping):
            return pick(value, self.language)
        if isinstance(value, datetime):
            return format_datetime(
                value.astimezone(self.timezone), "short", locale=self.babel_locale
            )
        if isinstance(value, date):
            return format_date(value, "short", locale=self.babel_locale)
        if isinstance(value, int | float):
            return format_decimal(value, locale=self.babel_locale)
        return value

    def time(self, value: datetime) -> str:
        return format_time(value.astimezone(self.timezone), "short", locale=self.babel_locale)

    def day(self, value: date | datetime) -> str:
        """A day as people say it in a sentence: "ti 17.11.", "tis 17.11.", "Tue 17.11."."""
        if isinstance(value, datetime):
            value = value.astimezone(self.timezone)
        return format_date(value, "EEE d.M.", locale=self.babel_locale)

    def long_day(self, value: date | datetime) -> str:
        """A day as a heading: "keskiviikko 9.12.", "onsdag 9.12.", "Wednesday 9.12."."""
        if isinstance(value, datetime):
            value = value.astimezone(self.timezone)
        return format_date(value, "EEEE d.M.", locale=self.babel_locale)


class Translators:
    """One translator per supported language, loaded once."""

    def __init__(self, *, timezone: str = "Europe/Helsinki", directory: Path = LOCALES_DIR):
        zone = ZoneInfo(timezone)
        self._by_language = {
            language: Translator(language, _load_catalog(language, directory), zone)
            for language in CODES
        }

    def __getitem__(self, language: str) -> Translator:
        return self._by_language.get(language) or self._by_language[DEFAULT_LANGUAGE]

    def __iter__(self) -> Iterator[Translator]:
        return iter(self._by_language.values())
