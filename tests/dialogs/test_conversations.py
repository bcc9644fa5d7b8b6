"""Whole conversations through the real engine and database, as a resident would have them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services import Services
from dialogs.events import Unsupported
from storage.tables import participant_t
from tests.support.talk import Talk

WELCOME = {
    "fi": (
        "Hei! Olen Mikkelin",
        "Saanko tallentaa",
        ["Kyllä, sopii", "Ei kiitos", "På svenska / In English"],
    ),
    "sv": (
        "Hej! Jag är chattboten",
        "Får jag spara",
        ["Ja, det går bra", "Nej tack", "Suomeksi / In English"],
    ),
    "en": (
        "Hi! I am the chat bot",
        "May I save",
        ["Yes, that is fine", "No, thank you", "Suomeksi / På svenska"],
    ),
}
MENU = {"fi": "Mitä haluat tehdä?", "sv": "Vad vill du göra?", "en": "What would you like to do?"}


def _participant(services: Services, talk: Talk) -> dict:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        row = connection.execute(
            select(participant_t).where(participant_t.c.channel_user_id == talk.user_id)
        ).one()
    return dict(row._mapping)


@pytest.mark.parametrize(
    ("hint", "language"),
    [("fi-FI", "fi"), ("sv-FI", "sv"), ("en-GB", "en"), ("ru", "fi"), (None, "fi")],
)
def test_a_newcomer_is_welcomed_in_the_language_of_their_device(
    services: Services, hint: str | None, language: str
) -> None:
    talk = Talk(services.engine, locale=hint)
    talk.send("hei")
    hello, question, labels = WELCOME[language]
    assert talk.texts[0].startswith(hello)
    assert talk.prompt.startswith(question)
    assert talk.labels == labels
    assert talk.replies[-1].links[0].url == services.settings.privacy_url
    # The bot says it is a bot and how to reach a person, each in its own message.
    assert len(talk.replies) == 4
    assert services.settings.human_contact in talk.texts[2]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_consent_yes_is_recorded_with_the_policy_version(services: Services, language: str) -> None:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.press(WELCOME[language][2][0])
    assert talk.prompt == MENU[language]
    row = _participant(services, talk)
    assert row["consent_version"] == services.settings.privacy_policy_version
    assert row["consent_at"] is not None
    assert row["locale"] == language


def test_declining_consent_stores_nothing_personal_and_still_serves(services: Services) -> None:
    talk = Talk(services.engine, locale="fi")
    talk.start()
    talk.press("Ei kiitos")
    assert talk.said("En tallenna sinusta mitään henkilökohtaista")
    assert talk.prompt == MENU["fi"]
    assert _participant(services, talk)["consent_at"] is None
    talk.press("Ohjeet")
    assert talk.prompt == "Voinko auttaa muussa?"


def test_language_can_be_changed_before_answering_the_welcome(services: Services) -> None:
    talk = Talk(services.engine, locale="fi")
    talk.start()
    talk.press("På svenska / In English")
    assert talk.prompt == "Valitse kieli."
    talk.press("Svenska")
    # The welcome is said again, now in Swedish, and asks the same question.
    assert talk.texts[0].startswith("Hej! Jag är chattboten")
    assert talk.prompt.startswith("Får jag spara")
    talk.press("Ja, det går bra")
    assert talk.prompt == MENU["sv"]
    assert _participant(services, talk)["locale"] == "sv"


def test_language_from_the_menu_switches_and_returns_to_the_menu(talk: Talk) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.press("Kieli")
    talk.press("English")
    assert talk.texts == ["OK, I will speak English from now on.", MENU["en"]]
    talk.send("kieli")
    talk.send("3")  # "Svenska" is the second, English the third; the number picks English again
    assert talk.prompt == MENU["en"]


@pytest.mark.parametrize(
    "typed", ["11", " 11. ", "kieli", "KIELI", "Språk", "sprak", "Language", "language!"]
)
def test_typed_answers_match_numbers_and_labels_in_any_case_accent_or_language(
    talk: Talk, typed: str
) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send(typed)
    assert talk.prompt == "Valitse kieli."


@pytest.mark.parametrize("word", ["menu", "valikko", "Meny", "/start", "VALIKKO", "/menu"])
def test_menu_words_always_lead_to_the_menu(talk: Talk, word: str) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.press("Ohjeet")
    talk.send(word)
    assert talk.prompt == MENU["fi"]


def test_help_explains_buttons_menu_and_how_to_reach_a_person(
    services: Services, talk: Talk
) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send("apua")
    # No "type its number" where no numbers are shown; own words are understood instead.
    assert talk.texts[0].startswith("Paina nappia tai kirjoita omin sanoin")
    assert "numero" not in talk.texts[0]
    assert "valikko" in talk.texts[1]
    assert services.settings.human_contact in talk.texts[2]
    talk.press("Takaisin valikkoon")
    assert talk.prompt == MENU["fi"]


def test_input_that_matches_nothing_gets_a_kind_reprompt_never_silence(talk: Talk) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send("mikä tämä on?")
    assert talk.texts == [
        "Anteeksi, en ymmärtänyt. Valitse jokin vaihtoehto alta. "
        "Jos haluat puhua tiimin ihmisen kanssa, kirjoita ”ihminen”.",
        MENU["fi"],
    ]
    assert talk.labels == [
        "Kerro ideasi",
        "Etsi paikka tai palvelu",
        "Tekemistä ja seuraa",
        "Nuorten kysely",
        "Joku, jolle voi jutella",
        "Pyydä yhteydenottoa",
        "Uutiset",
        "Omat ideat",
        "Omat tiedot",
        "Ohjeet",
        "Kieli",
        "Tietosuoja",
    ]
    talk.send("13")  # a number beyond the list
    assert talk.texts[0].startswith("Anteeksi, en ymmärtänyt")


def test_an_old_or_unknown_button_reprompts_with_the_current_choices(talk: Talk) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.press_id("lang.sv")  # a button from a language prompt no longer on screen
    assert talk.texts[0] == "Tuo nappi ei ole enää käytössä. Tässä ovat nykyiset vaihtoehdot."
    assert talk.prompt == MENU["fi"]
    talk.press_id("help")  # global buttons stay valid
    assert talk.prompt == "Voinko auttaa muussa?"


def test_too_long_empty_and_unsupported_input_are_answered_kindly(
    services: Services, talk: Talk
) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send("x" * 100_000)
    assert talk.texts[0] == "Viestisi on liian pitkä. Kirjoita enintään 2\u00a0000 merkkiä."
    talk.send("   ")
    assert talk.texts[0].startswith("Viestisi oli tyhjä")
    talk._handle(Unsupported("sticker"))
    assert talk.texts[0].startswith("Ymmärrän tekstiä ja nappeja")
    assert talk.prompt == MENU["fi"]


def test_emoji_and_right_to_left_text_are_handled(talk: Talk) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send("🙂 مرحبا שלום")
    assert talk.prompt == MENU["fi"]


def test_a_returning_person_is_welcomed_back_to_the_menu(talk: Talk) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.start()
    assert talk.texts == ["Tervetuloa takaisin!", MENU["fi"]]


def test_privacy_shows_consent_and_lets_it_be_withdrawn_and_given_again(
    services: Services, talk: Talk
) -> None:
    talk.start()
    talk.press("Kyllä, sopii")
    talk.press("Tietosuoja")
    assert talk.texts[0].startswith("Annoit suostumuksen ")
    talk.press("Perun suostumuksen")
    assert talk.texts[0].startswith("Peruit suostumuksesi")
    assert _participant(services, talk)["consent_at"] is None
    talk.send("tietosuoja")
    assert talk.texts[0].startswith("Et ole antanut suostumusta")
    talk.press("Annan suostumuksen")
    assert (
        _participant(services, talk)["consent_version"] == services.settings.privacy_policy_version
    )
