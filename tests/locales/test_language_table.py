"""One language table: a language's code is written in ``locales/languages.py`` and nowhere
else in the code, so adding a language is a row, its words and a catalog."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from babel import Locale

from locales import LOCALES_DIR, Translators, match_language, pick
from locales.languages import (
    BY_CODE,
    CODES,
    CONTENT_LANGUAGES,
    DEFAULT_LANGUAGE,
    RESIDENT_LANGUAGES,
    STAFF_LANGUAGES,
    TABLE,
)

ROOT = Path(__file__).resolve().parents[2]
CODE_FOLDERS = ("bot", "dialogs", "handlers", "storage", "locales")
# The table itself; the words people type (Finnish "en" is a word there, not a code); and
# migrations, which are history and never change.
ALLOWED = (
    ROOT / "locales" / "languages.py",
    ROOT / "locales" / "words.py",
    ROOT / "storage" / "migrations",
)
LOCALE_NAMES = {name for row in TABLE for name in (row.babel_locale, row.meta_locale)}


def _modules() -> list[Path]:
    return [
        path
        for folder in CODE_FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
    ]


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def test_language_codes_are_written_only_in_the_table() -> None:
    written: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and (node.value in CODES or node.value in LOCALE_NAMES)
            ):
                written.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert written == []


def test_templates_take_their_languages_from_the_table() -> None:
    quoted = re.compile("[\"'](" + "|".join(CODES) + ")[\"']")
    written = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for folder in ("bot", "handlers")
        for pattern in ("*.html", "*.js")
        for path in sorted((ROOT / folder).rglob(pattern))
        for match in quoted.finditer(path.read_text(encoding="utf-8"))
    ]
    assert written == []


def test_every_row_has_a_catalog_and_every_catalog_a_row() -> None:
    catalogs = {path.parent.parent.name for path in LOCALES_DIR.glob("*/LC_MESSAGES/*.po")}
    assert catalogs == set(CODES)
    assert {translator.language for translator in Translators()} == set(CODES)


@pytest.mark.parametrize("row", TABLE, ids=lambda row: row.code)
def test_each_row_is_complete(row) -> None:  # type: ignore[no-untyped-def]
    Locale.parse(row.babel_locale)  # Babel can format its dates and numbers
    assert row.native_name and row.direction in ("ltr", "rtl")
    assert row.code not in row.fallback and set(row.fallback) <= set(CODES)
    assert row.words.global_words["menu"], "the typed word for the menu"
    for hint in row.hints:
        assert match_language(f"{hint}-XX", among=CODES) == row.code


def test_the_sets_of_languages_follow_the_rows() -> None:
    assert TABLE[0].code == DEFAULT_LANGUAGE
    assert DEFAULT_LANGUAGE in RESIDENT_LANGUAGES
    assert DEFAULT_LANGUAGE in STAFF_LANGUAGES and DEFAULT_LANGUAGE in CONTENT_LANGUAGES
    assert tuple(row.code for row in TABLE if row.residents) == RESIDENT_LANGUAGES


def test_a_missing_text_falls_back_along_the_chain() -> None:
    for row in TABLE:
        text = {code: code for code in row.fallback[-1:]}
        assert pick(text, row.code) == row.fallback[-1]
        assert pick({**text, row.code: "own"}, row.code) == "own"


def test_a_hint_outside_the_set_asked_for_falls_back() -> None:
    # The staff area asks among its languages: a resident-only language's hint is not one.
    first, *others = CODES
    for other in others:
        assert match_language(f"{other}-FI", among=(first,)) == DEFAULT_LANGUAGE
        assert match_language(other, among=(first,)) == DEFAULT_LANGUAGE
        assert match_language(other, among=CODES) == other


def test_demo_content_is_written_in_the_table_languages() -> None:
    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            found = set()
            if value and all(key in BY_CODE for key in value):
                found |= set(value)
            for inner in value.values():
                found |= keys(inner)
            return found
        if isinstance(value, list):
            return set().union(*(keys(item) for item in value)) if value else set()
        return set()

    for name in ("poll.yaml", "events.yaml"):
        written = yaml.safe_load((ROOT / "data" / "demo" / name).read_text(encoding="utf-8"))
        assert keys(written) == set(CONTENT_LANGUAGES), name
