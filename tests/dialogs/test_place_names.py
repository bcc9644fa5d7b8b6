"""Places found by the words of their names, in any language, inflection or typo."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dialogs.place_names import PlaceIndex
from dialogs.understanding import vocabulary

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "places.yaml"


@pytest.fixture(scope="module")
def names() -> dict[int, str]:
    loaded = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return {number: entry["name"] for number, entry in enumerate(loaded["places"])}


@pytest.fixture(scope="module")
def index(names: dict[int, dict[str, str]]) -> PlaceIndex:
    return PlaceIndex(vocabulary(), names.items())


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        # a whole part of a compound: the main library is a library too
        ("kirjasto", {"Mikkelin pääkirjasto", "Ristiinan kirjasto", "Haukivuoren kirjasto",
                      "Suomenniemen kirjasto ja nuorisotalo"}),
        ("kirjastoon", {"Mikkelin pääkirjasto", "Ristiinan kirjasto", "Haukivuoren kirjasto",
                        "Suomenniemen kirjasto ja nuorisotalo"}),
        # the compound typed is more than the others' word
        ("pääkirjastossa", {"Mikkelin pääkirjasto"}),
        ("huvudbiblioteket", {"Mikkelin pääkirjasto"}),
        ("Mikkelin kirjasto", {"Mikkelin pääkirjasto"}),
        # typos, of a whole word and of a compound's part
        ("ohjamo", {"Ohjaamo Olkkari"}),
        ("kirjsto", {"Mikkelin pääkirjasto", "Ristiinan kirjasto", "Haukivuoren kirjasto",
                     "Suomenniemen kirjasto ja nuorisotalo"}),
        ("Ristiinan nuokku", {"Ristiinan nuokku"}),
        ("ungdomsgården i Rantakylä", {"Rantakylän nuorisotalo"}),
        ("työllisyys", {"Mikkelin seudun työllisyysalue"}),
        # words that name no place
        ("onko auki sunnuntaina", set()),
        ("hello", set()),
    ],
)  # fmt: skip
def test_the_places_a_sentence_names(
    index: PlaceIndex, names: dict[int, dict[str, str]], typed: str, found: set[str]
) -> None:
    assert {names[number]["fi"] for number in index.named_in(typed)} == found
