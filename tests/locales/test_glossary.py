"""The glossary's terms hold: no catalog and no demo file uses a word the glossary rules out
(``locales/GLOSSARY.md``: "never *kohtauspaikka*")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import CODES, LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = LOCALES_DIR / "GLOSSARY.md"


def _ruled_out() -> list[str]:
    words = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        _, never, rest = line.partition("never ")
        if never:
            words += re.findall(r"\*([^*]+)\*", rest)
    return words


def test_the_glossary_rules_words_out() -> None:
    assert {"kohtauspaikka", "botten", "kontaktbegäran", "etsivä työntekijä"} <= set(_ruled_out())


@pytest.mark.parametrize("language", CODES)
def test_no_catalog_uses_a_word_the_glossary_rules_out(language: str) -> None:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    found = [
        (word, message.string)
        for message in catalog
        if message.id
        for word in _ruled_out()
        if re.search(rf"\b{re.escape(word)}", str(message.string), re.IGNORECASE)
    ]
    assert found == []


def test_no_demo_file_uses_a_word_the_glossary_rules_out() -> None:
    for path in sorted((ROOT / "data" / "demo").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        found = [w for w in _ruled_out() if re.search(rf"\b{re.escape(w)}", text, re.IGNORECASE)]
        assert found == [], path.name
