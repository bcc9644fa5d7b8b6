"""Catalogs are complete: every text in the code is translated, not fuzzy, with the same
placeholders, in Finnish, Swedish and English."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from locales import CODES, LOCALES_DIR, Translators, match_language

ROOT = Path(__file__).resolve().parents[2]
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def _msgids_in_code() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "dialogs", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, METHODS, keywords={"N_": None, "_": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


PLACEHOLDERS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in PLACEHOLDERS.parse(text) if name}


def test_the_code_has_texts_to_translate() -> None:
    assert len(_msgids_in_code()) > 40


@pytest.mark.parametrize("language", CODES)
def test_every_text_in_the_code_is_in_the_catalog(language: str) -> None:
    catalog = _catalog(language)
    missing = sorted(m for m in _msgids_in_code() if m not in catalog)
    assert missing == []


@pytest.mark.parametrize("language", CODES)
def test_no_entry_is_untranslated_or_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    bad = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert bad == []


@pytest.mark.parametrize("language", CODES)
def test_placeholders_are_the_same_in_msgid_and_msgstr(language: str) -> None:
    catalog = _catalog(language)
    differing = [
        m.id for m in catalog if m.id and _placeholders(m.id) != _placeholders(str(m.string))
    ]
    assert differing == []


def test_finnish_and_swedish_differ_from_english() -> None:
    fi, sv = Translators()["fi"], Translators()["sv"]
    assert fi.gettext("What would you like to do?") == "Mitä haluat tehdä?"
    assert sv.gettext("What would you like to do?") == "Vad vill du göra?"


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("fi", "fi"),
        ("sv-FI", "sv"),
        ("sv_SE", "sv"),
        ("EN-us", "en"),
        ("ru-RU", "fi"),
        ("", "fi"),
        (None, "fi"),
    ],
)
def test_locale_hints_map_to_supported_languages(hint: str | None, expected: str) -> None:
    assert match_language(hint) == expected


def test_values_are_formatted_for_the_language() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 6, 19, 12, 30, tzinfo=UTC)  # 15.30 in Helsinki (summer time)
    translators = Translators()
    assert "15.30" in translators["fi"].value(moment)
    assert "19.6.2026" in translators["fi"].value(moment)
    # Finland-Swedish (sv_FI) writes times as Finnish does; English uses a colon.
    assert translators["sv"].time(moment) == "15.30"
    assert translators["en"].time(moment) == "15:30"
    assert translators["fi"].value(1234567) == "1\u00a0234\u00a0567"
