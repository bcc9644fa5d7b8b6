"""Finding a meeting place or a service by need, by area or near a shared location."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.services import Services
from storage.domain_tables import place_stat_t
from tests.dialogs.test_ideas_flow import consented
from tests.support.data import NEVER_OPEN, add_places, place

CENTRE = (61.6886, 27.2723)


@pytest.fixture
def directory(services: Services) -> Services:
    add_places(
        services.database,
        place("library", name="Kirjasto", lat=61.6890, lon=27.2730, needs=("company", "hangout")),
        place(
            "youth",
            name="Nuorisotila",
            lat=61.7000,
            lon=27.3000,
            area="rantakyla",
            needs=("young", "hangout"),
        ),
        place(
            "far",
            name="Kaukainen talo",
            lat=61.5000,
            lon=27.0000,
            area="ristiina",
            needs=("hangout",),
        ),
        place(
            "closed",
            name="Kiinni-talo",
            lat=61.6887,
            lon=27.2724,
            needs=("hangout",),
            hours=NEVER_OPEN,
            demo=True,
        ),
    )
    return services


def test_nearest_places_for_a_need_come_nearest_first_with_open_status(directory: Services) -> None:
    talk = consented(directory)
    talk.press("Etsi paikka tai palvelu")
    talk.press("Paikka, jossa voi olla")
    assert talk.replies[-1].request_location
    talk.share_location(*CENTRE)
    cards = talk.replies[0].places
    assert [c.title for c in cards] == ["Kiinni-talo", "Kirjasto", "Nuorisotila", "Kaukainen talo"]
    assert cards[1].status.startswith("Auki nyt")
    assert "metrin päässä" in cards[1].status
    assert cards[0].status.startswith("Suljettu toistaiseksi")
    assert cards[1].map_url is not None and "openstreetmap.org" in cards[1].map_url
    assert talk.labels[:4] == ["Kiinni-talo", "Kirjasto", "Nuorisotila", "Kaukainen talo"]


def test_an_area_search_shows_only_that_area(directory: Services) -> None:
    talk = consented(directory)
    talk.press("Etsi paikka tai palvelu")
    talk.press("Nuorille")
    talk.press("Rantakylä")
    assert [c.title for c in talk.replies[0].places] == ["Nuorisotila"]


def test_nothing_found_is_said_plainly(directory: Services) -> None:
    talk = consented(directory)
    talk.press("Etsi paikka tai palvelu")
    talk.press("Senioreille")
    talk.press("Otava")
    assert talk.texts[0].startswith("En löytänyt tähän mitään")
    assert "Hae uudelleen" in talk.labels


def test_the_detail_card_shows_hours_contact_and_leads_to_a_contact_request(
    directory: Services,
) -> None:
    talk = consented(directory, "en")
    talk.press("Find a place or service")
    talk.press("A place to spend time")
    talk.share_location(*CENTRE)
    talk.press("Kiinni-talo (en)")
    text = "\n".join(talk.texts)
    assert "Opening hours for the next seven days:" in text
    assert "Testikatu 1, 50100 Mikkeli" in text
    assert "Note: this is demo data" in text
    assert any(link.label == "Show on map" for reply in talk.replies for link in reply.links)
    talk.press("Yes, contact me")
    # Already said yes: not asked again, the request begins (with what it is).
    assert talk.texts[0].startswith("An outreach worker can contact you.")
    assert talk.prompt == "What name or nickname may we use?"
    with directory.database.connect() as connection:
        stats = {
            row.place_id: (row.shown, row.chosen)
            for row in connection.execute(sa.select(place_stat_t))
        }
    assert sorted(stats.values()) == [(1, 0), (1, 0), (1, 0), (1, 1)]


def test_places_can_be_found_without_consent(directory: Services) -> None:
    from tests.support.talk import Talk

    talk = Talk(directory.engine)
    talk.start()
    talk.press("Ei kiitos")
    talk.press("Etsi paikka tai palvelu")
    talk.press("Seuraa ja tekemistä")
    talk.press("Keskusta")
    assert [c.title for c in talk.replies[0].places] == ["Kirjasto"]


@pytest.mark.parametrize(
    ("language", "menu_item", "need", "heading", "open_now"),
    [
        (
            "fi",
            "Etsi paikka tai palvelu",
            "Paikka, jossa voi olla",
            "Tässä ovat lähimmät paikat:",
            "Auki nyt",
        ),
        (
            "sv",
            "Hitta en plats eller tjänst",
            "En plats att vara på",
            "Här är de närmaste platserna:",
            "Öppet nu",
        ),
        (
            "en",
            "Find a place or service",
            "A place to spend time",
            "Here are the nearest places:",
            "Open now",
        ),
    ],
)
def test_the_nearest_open_place_in_every_language(
    directory: Services, language: str, menu_item: str, need: str, heading: str, open_now: str
) -> None:
    talk = consented(directory, language)
    talk.press(menu_item)
    talk.press(need)
    talk.share_location(*CENTRE)
    assert talk.texts[0] == heading
    assert talk.replies[0].places[1].status.startswith(open_now)
