"""Contact requests, my data, and erasing a person without a trace."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from bot.services import Services
from storage.domain_tables import contact_t
from tests.dialogs.test_ideas_flow import _leave, consented
from tests.dialogs.test_polls_flow import vote
from tests.support.data import add_poll
from tests.support.talk import Talk
from tests.support.team import ALWAYS, set_service_hours

CONTACT = {
    "fi": (
        "Pyydä yhteydenottoa",
        "Kyllä, ottakaa yhteyttä",
        "Sähköpostilla",
        "Ohita",
        "Kyllä, lähetä",
        "Kiitos! Pyyntösi on lähetetty.",
    ),
    "sv": (
        "Jag vill att någon kontaktar mig",
        "Ja, kontakta mig",
        "Per e-post",
        "Hoppa över",
        "Ja, skicka",
        "Tack! Din kontaktförfrågan är skickad.",
    ),
    "en": (
        "I would like someone to contact me",
        "Yes, contact me",
        "By e-mail",
        "Skip",
        "Yes, send",
        "Thank you! Your request is sent.",
    ),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_resident_asks_to_be_contacted(services: Services, language: str) -> None:
    menu_item, yes, by_email, skip, send, thanks = CONTACT[language]
    talk = consented(services, language)
    talk.press(menu_item)
    talk.press(yes)
    talk.send("Kalle")
    talk.press(by_email)
    talk.send("kalle@example.org")
    talk.send("arkisin aamulla")
    talk.press(skip)
    assert "90" in "\n".join(talk.texts)  # says how long it is kept
    talk.press(send)
    assert talk.texts[0] == thanks
    assert "YP-" in talk.texts[1] and " 2 " in talk.texts[1]
    with services.database.connect() as connection:
        row = connection.execute(sa.select(contact_t)).one()
    assert (row.name, row.method, row.contact_value, row.good_time, row.message) == (
        "Kalle",
        "email",
        "kalle@example.org",
        "arkisin aamulla",
        None,
    )


@pytest.mark.parametrize(
    "word", ["ihminen", "henkilö", "työntekijä", "människa", "person", "Talk to a person", "human"]
)
def test_asking_for_a_person_anywhere_leads_to_a_person(services: Services, word: str) -> None:
    set_service_hours(services, ALWAYS)
    talk = consented(services)
    talk.press("Ohjeet")
    talk.send(word)
    assert "Joku tiimistä vastaa sinulle tässä." in talk.texts
    assert "Pyydä yhteydenottoa" in talk.labels  # the contact request stays one choice away


@pytest.mark.parametrize("word", ["yhteydenotto", "/contact"])
def test_the_contact_request_has_its_own_words(services: Services, word: str) -> None:
    talk = consented(services)
    talk.send(word)
    assert talk.prompt == "Haluatko, että sinuun otetaan yhteyttä?"


def test_my_data_shows_everything_stored(services: Services) -> None:
    add_poll(services.database)
    talk = consented(services)
    _leave(talk, "Lisää penkkejä puistoon.")
    vote(talk)
    talk.send("omat tiedot")
    text = "\n".join(talk.texts)
    assert "Kieli: suomi" in text
    assert "Suostumus annettu:" in text
    assert "Ideasi (1):\nID-" in text
    assert "Kyselyt, joihin olet vastannut: 1." in text
    assert "Yhteydenottopyynnöt: ei yhtään" in text


def _all_text(services: Services) -> str:
    """Every text and JSON value in every table, as one string to search."""
    chunks = []
    with services.database.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                chunks.extend(json.dumps(value, default=str, ensure_ascii=False) for value in row)
    return "\n".join(chunks)


def test_deleting_my_data_leaves_no_trace_and_keeps_poll_counts(services: Services) -> None:
    add_poll(services.database)
    talk = consented(services)
    talk.user_id  # noqa: B018
    _leave(talk, "Salainen idea, jossa on nimeni Maija Mehiläinen.")
    vote(talk)
    talk.send("valikko")
    talk.press("Pyydä yhteydenottoa")
    talk.press("Kyllä, ottakaa yhteyttä")
    talk.send("Maija")
    talk.press("Puhelimella")
    talk.send("040 765 4321")
    talk.press("Milloin vain")
    talk.send("Haluaisin jutella.")
    talk.press("Kyllä, lähetä")
    with services.database.connect() as connection:
        pseudonym = connection.execute(sa.text("SELECT pseudonym FROM participant")).scalar_one()
    talk.send("poista tietoni")
    talk.press("Kyllä, poista kaikki")
    assert talk.prompt.startswith("Tietosi on poistettu")
    everything = _all_text(services)
    for trace in (
        talk.user_id,
        pseudonym,
        "Maija",
        "Mehiläinen",
        "040 765 4321",
        "Haluaisin jutella",
    ):
        assert trace not in everything, trace
    with services.database.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM poll_response")).scalar_one() == 1
        assert connection.execute(sa.text("SELECT count(*) FROM poll_ballot")).scalar_one() == 0
    talk.send("hei")  # a new start, as a newcomer
    assert talk.texts[0].startswith("Hei! Olen Mikkelin")


def test_withdrawing_consent_offers_deletion(services: Services) -> None:
    talk = consented(services)
    talk.press("Tietosuoja")
    talk.press("Perun suostumuksen")
    assert talk.prompt == "Haluatko myös poistaa sinusta jo tallennetut tiedot?"
    talk.press("Kyllä, poista tietoni")
    assert talk.prompt == "Poistetaanko kaikki? Tätä ei voi perua."
    talk.press("Ei, säilytä tiedot")
    assert talk.prompt == "Mitä haluat tehdä?"


def test_a_new_person_who_never_consented_can_still_delete(services: Services) -> None:
    talk = Talk(services.engine)
    talk.start()
    talk.press("Ei kiitos")
    talk.send("/delete")
    talk.press("Kyllä, poista kaikki")
    assert talk.user_id not in _all_text(services)


def test_staff_get_a_notice_without_the_content_when_a_chat_is_set(
    tmp_path, sqlite_database_url: str
) -> None:  # type: ignore[no-untyped-def]
    from bot.services import build_services
    from storage.tables import outbox_t
    from tests.conftest import make_settings

    services = build_services(
        make_settings(sqlite_database_url, staff_telegram_chat_id="-1001234", media_dir=tmp_path)
    )
    talk = consented(services, "en")
    talk.press("I would like someone to contact me")
    talk.press("Yes, contact me")
    talk.send("Secret Name")
    talk.press("Here in this chat")
    talk.send("mornings")
    talk.send("A private matter about my money.")
    talk.press("Yes, send")
    with services.database.connect() as connection:
        (notice,) = connection.execute(sa.select(outbox_t)).all()
    assert (notice.channel, notice.recipient, notice.status) == ("telegram", "-1001234", "pending")
    assert notice.payload["text"].startswith(
        "Uusi yhteydenottopyyntö YP-"
    )  # in the staff's language
    assert "Secret" not in notice.payload["text"] and "money" not in notice.payload["text"]
    services.database.dispose()


@pytest.mark.parametrize(
    ("language", "my_data", "language_line", "delete", "confirm", "deleted"),
    [
        (
            "sv",
            "Mina uppgifter",
            "Språk: svenska",
            "Radera mina uppgifter",
            "Ja, radera allt",
            "Dina uppgifter är raderade.",
        ),
        (
            "en",
            "My data",
            "Language: English",
            "Delete my data",
            "Yes, delete everything",
            "Your data is deleted.",
        ),
    ],
)
def test_my_data_and_deletion_in_swedish_and_english(
    services: Services,
    language: str,
    my_data: str,
    language_line: str,
    delete: str,
    confirm: str,
    deleted: str,
) -> None:
    talk = consented(services, language)
    talk.press(my_data)
    assert language_line in "\n".join(talk.texts)
    talk.press(delete)
    talk.press(confirm)
    assert talk.prompt.startswith(deleted)
    assert talk.user_id not in _all_text(services)


def _ask_to_be_contacted(services: Services) -> Talk:
    talk = consented(services)
    talk.press("Pyydä yhteydenottoa")
    talk.send("kyllä")
    talk.send("Kalle")
    talk.press("Puhelimella")
    talk.send("040 123 4567")
    talk.send("arkisin aamulla")
    talk.send("Asunto-asia")
    return talk


def test_the_confirmation_shows_what_will_be_sent_in_one_message(services: Services) -> None:
    talk = _ask_to_be_contacted(services)
    review = talk.texts[0]
    assert len(talk.replies) == 2  # the review, then "Is this OK?" with its buttons
    for line in ("Nimi: Kalle", "Miten: puhelimella, 040 123 4567", "Milloin: arkisin aamulla"):
        assert line in review
    assert "Asia: Asunto-asia" in review
    assert f"{services.settings.retention_handled_contact_days} päivän" in review
    talk.send("joo")
    assert talk.texts[0] == "Kiitos! Pyyntösi on lähetetty."


def test_my_data_shows_what_a_contact_request_holds(services: Services) -> None:
    talk = _ask_to_be_contacted(services)
    talk.send("kyllä")
    talk.send("omat tiedot")
    assert len(talk.replies) == 2  # everything in one message, then the choices
    mine = talk.texts[0]
    assert "YP-" in mine and "Nimi: Kalle" in mine and "040 123 4567" in mine
    assert "Asia: Asunto-asia" in mine


def test_the_privacy_menu_offers_only_what_can_be_done_now(services: Services) -> None:
    talk = consented(services)
    talk.press("Tietosuoja")
    assert "Perun suostumuksen" in talk.labels and "Annan suostumuksen" not in talk.labels
    talk.press("Perun suostumuksen")
    talk.press("Ei, säilytä")
    talk.press("Tietosuoja")
    assert "Annan suostumuksen" in talk.labels and "Perun suostumuksen" not in talk.labels


def test_a_name_given_before_is_offered_not_asked_for_again(services: Services) -> None:
    talk = _ask_to_be_contacted(services)
    talk.send("kyllä")
    talk.send("valikko")
    talk.press("Pyydä yhteydenottoa")
    talk.send("kyllä")
    assert talk.labels == ["Kalle", "Takaisin valikkoon"]
    talk.press("Kalle")
    assert talk.prompt == "Miten tavoitamme sinut?"
    # An idea's contact question offers it too.
    talk.send("valikko")
    talk.press("Kerro ideasi")
    for choice in ("Nuoret", "Keskusta"):
        talk.press(choice)
    talk.send("Lisää penkkejä torille")
    talk.press("Ei kuvaa")
    talk.press("Kyllä")
    talk.press("Kalle")
    assert talk.prompt == "Miten otamme yhteyttä?"


def test_every_question_to_type_an_answer_to_has_a_way_back_to_the_menu(
    services: Services,
) -> None:
    talk = consented(services)
    talk.press("Kerro ideasi")
    for choice in ("Nuoret", "Keskusta"):
        talk.press(choice)
    assert talk.prompt == "Kirjoita ideasi omin sanoin." and talk.labels == ["Takaisin valikkoon"]
    talk.press("Takaisin valikkoon")
    assert talk.prompt == "Mitä haluat tehdä?"
    talk.press("Pyydä yhteydenottoa")
    talk.send("kyllä")
    talk.send("Kalle")
    talk.press("Puhelimella")
    assert talk.labels == ["Takaisin valikkoon"]
    talk.send("Takaisin valikkoon")  # typed, the way back works as well
    assert talk.prompt == "Mitä haluat tehdä?"
