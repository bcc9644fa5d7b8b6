"""The language table: every fact about a language in one row.

Settings, flows, the web page, the staff area, reports, exports and ``meta setup`` read
what they need from here, so adding a language is a row here, its words in
``locales.words`` and its catalog in ``locales/<code>/LC_MESSAGES/messages.po``.
A test fails if a language code is written anywhere else in the code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from locales import words
from locales.words import LanguageWords


@dataclass(frozen=True)
class Language:
    code: str  # our code: stored as the participant's locale, the catalog's directory
    native_name: str  # as its speakers look for it in a list: "svenska" on a Finnish page too
    babel_locale: str  # dates and numbers
    meta_locale: str  # Messenger's greeting text locale (``meta setup``)
    # Primary subtags of the hints platforms and browsers send (Telegram's language_code,
    # Accept-Language, Meta's locale) that mean this language; none for one only chosen.
    hints: tuple[str, ...]
    holidays_language: str  # the ``holidays`` package's code for the holidays' names
    words: LanguageWords
    # Where a text staff or a source wrote (a place, an event, a poll) is looked for when it
    # is missing in this language, in order.
    fallback: tuple[str, ...]
    residents: bool  # the bot speaks it
    staff: bool  # the staff area can be read in it
    content: bool  # staff write polls, announcements and events in it
    direction: Literal["ltr", "rtl"] = "ltr"

    @property
    def list_name(self) -> str:
        """The native name as the first word of a list item: "Suomi", "Svenska"."""
        return self.native_name[:1].upper() + self.native_name[1:]


TABLE: tuple[Language, ...] = (
    Language(
        code="fi",
        native_name="suomi",
        babel_locale="fi_FI",
        meta_locale="fi_FI",
        hints=("fi",),
        holidays_language="fi",
        words=words.FINNISH,
        fallback=("en", "sv"),
        residents=True,
        staff=True,
        content=True,
    ),
    Language(
        code="sv",
        native_name="svenska",
        babel_locale="sv_FI",
        meta_locale="sv_SE",
        hints=("sv",),
        holidays_language="sv_FI",
        words=words.SWEDISH,
        fallback=("fi", "en"),
        residents=True,
        staff=True,
        content=True,
    ),
    Language(
        code="en",
        native_name="English",
        babel_locale="en_GB",
        meta_locale="en_US",
        hints=("en",),
        holidays_language="en_US",
        words=words.ENGLISH,
        fallback=("fi", "sv"),
        residents=True,
        staff=True,
        content=True,
    ),
)

BY_CODE: Mapping[str, Language] = {language.code: language for language in TABLE}
CODES = tuple(BY_CODE)
# Finnish: the bot's first language, what a missing choice falls back to, and the language
# of Finnish-only sources (PTV's street names, MikkeliNYT).
DEFAULT_LANGUAGE = TABLE[0].code
RESIDENT_LANGUAGES = tuple(language.code for language in TABLE if language.residents)
STAFF_LANGUAGES = tuple(language.code for language in TABLE if language.staff)
CONTENT_LANGUAGES = tuple(language.code for language in TABLE if language.content)
NATIVE_NAMES: Mapping[str, str] = {language.code: language.native_name for language in TABLE}
WORDS: Mapping[str, LanguageWords] = {language.code: language.words for language in TABLE}
_BY_HINT: Mapping[str, str] = {hint: row.code for row in TABLE for hint in row.hints}


def named(codes: tuple[str, ...]) -> dict[str, str]:
    """Each of ``codes`` with its native name, in order: for a list people choose from."""
    return {code: NATIVE_NAMES[code] for code in codes}


def same_in_every_language(text: str) -> dict[str, str]:
    """A data text that reads the same whatever the language (a name, a language's own name)."""
    return dict.fromkeys(CODES, text)


def language_of(code: str) -> Language:
    """The row of ``code``; Finnish's for a code not in the table."""
    return BY_CODE.get(code) or BY_CODE[DEFAULT_LANGUAGE]


def match_language(
    hint: str | None,
    *,
    default: str = DEFAULT_LANGUAGE,
    among: tuple[str, ...] = RESIDENT_LANGUAGES,
) -> str:
    """Our code for a hint such as ``sv-FI`` or ``en_GB`` (or one of our codes), if it is one
    of ``among``; else ``default``."""
    if not hint:
        return default
    cleaned = hint.strip().replace("_", "-")
    if cleaned in BY_CODE:
        return cleaned if cleaned in among else default
    code = _BY_HINT.get(cleaned.split("-")[0].lower())
    return code if code in among else default
