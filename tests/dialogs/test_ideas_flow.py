"""Leaving an idea, in every language, as a resident does it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from bot.services import Services
from dialogs.events import SharedImage
from storage.domain_tables import idea_t
from tests.support.talk import Talk

YES = {"fi": "Kyllä, sopii", "sv": "Ja, det går bra", "en": "Yes, that is fine"}


def consented(services: Services, language: str = "fi") -> Talk:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.press(YES[language])
    return talk


def _ideas(services: Services) -> list[sa.Row]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        return list(connection.execute(sa.select(idea_t).order_by(idea_t.c.id)))


SCRIPT = {
    "fi": ["Kerro ideasi", "Nuoret", "Rantakylä", "Ei kuvaa", "Kyllä", "Puhelimella", "Lähetä"],
    "sv": ["Berätta om din idé", "Unga", "Rantakylä", "Ingen bild", "Ja", "Per telefon", "Skicka"],
    "en": ["Share an idea", "Young people", "Rantakylä", "No photo", "Yes", "By phone", "Send"],
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_resident_leaves_an_idea_and_gets_a_reference_number(
    services: Services, language: str
) -> None:
    share, theme, area, no_photo, yes, by_phone, send = SCRIPT[language]
    talk = consented(services, language)
    talk.press(share)
    talk.press(theme)
    talk.press(area)
    talk.send("Skeittiparkki Rantakylään, jossa nuoret voivat olla illalla.")
    talk.press(no_photo)
    talk.press(yes)
    talk.send("Mimmi")
    talk.press(by_phone)
    talk.send("not a number")
    assert len(talk.replies) == 2  # a kind word and the same question again
    talk.send("040 123 4567")
    assert "Skeittiparkki" in "\n".join(talk.texts)
    talk.press(send)
    reference = re.search(r"ID-\d{4}-\d{4}", "\n".join(talk.texts))
    assert reference is not None
    (idea,) = _ideas(services)
    assert idea.reference == reference.group()
    assert (idea.theme_code, idea.area_code, idea.language, idea.channel) == (
        "young",
        "rantakyla",
        language,
        "webchat",
    )
    assert (idea.contact_name, idea.contact_method, idea.contact_value) == (
        "Mimmi",
        "phone",
        "040 123 4567",
    )
    assert idea.contact_consent_at is not None


def test_too_short_text_is_asked_again_kindly(services: Services) -> None:
    talk = consented(services)
    talk.press("Kerro ideasi")
    talk.press("Muu asia")
    talk.press("Keskusta")
    talk.send("puisto")
    assert talk.texts[0].startswith("Tämä on aika lyhyt")
    assert talk.prompt == "Kirjoita ideasi omin sanoin."


def test_the_summary_can_be_edited_before_sending(services: Services) -> None:
    talk = consented(services)
    talk.press("Kerro ideasi")
    talk.press("Muu asia")
    talk.press("Keskusta")
    talk.send("Ensimmäinen versio ideasta.")
    talk.press("Ei kuvaa")
    talk.press("Ei")
    talk.press("Muokkaa tekstiä")
    talk.send("Parempi versio ideasta, kiitos.")
    assert "Parempi versio" in "\n".join(talk.texts)
    talk.press("Vaihda aihe tai alue")
    talk.press("Luonto ja ympäristö")
    talk.press("Otava")  # the area follows the theme, then back to the summary
    assert talk.prompt == "Lähetänkö sen?"
    talk.press("Lähetä")
    (idea,) = _ideas(services)
    assert (idea.text, idea.theme_code, idea.area_code) == (
        "Parempi versio ideasta, kiitos.",
        "nature",
        "otava",
    )
    assert idea.contact_name is None


def test_a_photo_can_be_attached(services: Services) -> None:
    talk = consented(services)
    talk.press("Kerro ideasi")
    talk.press("Muu asia")
    talk.press("Keskusta")
    talk.send("Penkkejä torin laidalle, kiitos.")
    assert talk.replies[-1].request_image
    talk._handle(SharedImage("0123456789abcdef0123456789abcdef.jpg"))
    assert talk.texts[0] == "Kiitos, sain kuvan."
    talk.press("Ei")
    talk.press("Lähetä")
    assert _ideas(services)[0].photo_ref == "0123456789abcdef0123456789abcdef.jpg"


def test_without_consent_the_bot_asks_first_and_then_carries_on(services: Services) -> None:
    talk = Talk(services.engine)
    talk.start()
    talk.press("Ei kiitos")
    talk.press("Kerro ideasi")
    assert talk.texts[0] == "Jotta voin tallentaa tämän, tarvitsen ensin suostumuksesi."
    talk.press("Kyllä, sopii")
    assert talk.prompt == "Mitä ideasi koskee?"


def test_declining_at_the_consent_question_saves_nothing(services: Services) -> None:
    talk = Talk(services.engine)
    talk.start()
    talk.press("Ei kiitos")
    talk.send("Kerro ideasi")
    talk.press("Ei kiitos")
    assert talk.texts[0] == "Selvä. En tallentanut mitään."
    assert _ideas(services) == []


def _leave(talk: Talk, text: str) -> None:
    talk.send("valikko")
    talk.press("Kerro ideasi")
    talk.press("Muu asia")
    talk.press("Keskusta")
    talk.send(text)
    talk.press("Ei kuvaa")
    talk.press("Ei")
    talk.press("Lähetä")


def test_at_most_three_ideas_a_day(services: Services) -> None:
    talk = consented(services)
    for n in range(3):
        _leave(talk, f"Idea numero {n + 1} on tässä.")
    talk.send("valikko")
    talk.press("Kerro ideasi")
    assert talk.texts[0].startswith("Olet kertonut tänään 3 ideaa")
    assert talk.prompt == "Mitä haluat tehdä?"
    references = [idea.reference for idea in _ideas(services)]
    assert len(references) == len(set(references)) == 3


def test_my_ideas_shows_status_and_the_staff_answer(services: Services) -> None:
    talk = consented(services)
    _leave(talk, "Lisää valoja pyöräteille.")
    with services.database.begin() as connection:
        connection.execute(
            sa.update(idea_t).values(
                status="answered", staff_answer="Kiitos, viemme tämän eteenpäin."
            )
        )
    talk.send("valikko")
    talk.press("Omat ideat")
    assert "Tila: vastattu" in talk.texts[0]
    assert talk.texts[1].endswith("Kiitos, viemme tämän eteenpäin.")
