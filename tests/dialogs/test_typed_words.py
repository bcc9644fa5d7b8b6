"""Plain words typed instead of tapped, in each language, and the one rule of precedence."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.demo import load_demo_data
from bot.services import Services
from dialogs.understanding import vocabulary
from storage.human_tables import human_message_t
from storage.tables import participant_t
from tests.support.talk import Talk

MENU = {"fi": "Mitä haluat tehdä?", "sv": "Vad vill du göra?", "en": "What would you like to do?"}
GREETING = {
    "fi": "Hei, kiva kun kirjoitit!",
    "sv": "Hej, roligt att du skriver!",
    "en": "Hi, nice to hear from you!",
}


@pytest.fixture
def demo(services: Services) -> Services:
    load_demo_data(services.database, only_if_empty=True)
    return services


def _consented(services: Services, talk: Talk) -> bool:
    with services.database.connect() as connection:
        row = connection.execute(
            select(participant_t.c.consent_at).where(
                participant_t.c.channel_user_id == talk.user_id
            )
        ).one()
    return row.consent_at is not None


@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("fi", "kyllä"),
        ("fi", "Joo"),
        ("fi", "juu!"),
        ("fi", "ok"),
        ("sv", "ja"),
        ("sv", "Jo"),
        ("en", "yes"),
        ("en", "Yeah"),
        ("en", "OK"),
    ],
)
def test_yes_typed_at_the_consent_question_gives_consent(
    services: Services, language: str, word: str
) -> None:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.send(word)
    assert talk.prompt == MENU[language]
    assert _consented(services, talk)


@pytest.mark.parametrize(
    ("language", "word"),
    [("fi", "ei"), ("fi", "En"), ("sv", "nej"), ("sv", "Nej tack"), ("en", "no"), ("en", "nope")],
)
def test_no_typed_at_the_consent_question_declines(
    services: Services, language: str, word: str
) -> None:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.send(word)
    assert talk.prompt == MENU[language]
    assert not _consented(services, talk)
    assert not talk.said("Anteeksi")


def test_yes_and_no_answer_every_yes_or_no_question_of_an_idea(services: Services) -> None:
    talk = Talk(services.engine, locale="fi")
    talk.start()
    talk.send("joo")
    talk.press_id("ideas")
    talk.press(talk.labels[0])  # a theme
    talk.press(talk.labels[0])  # an area
    talk.send("Penkkejä rannalle")
    talk.press_id("idea.nophoto")
    talk.send("ei")  # no contact details
    assert talk.labels[0] == "Lähetä"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("word", ["hei", "Moi moi!", "hej", "Hallå", "hello", "hi"])
def test_a_greeting_gets_a_friendly_answer_and_the_menu(
    services: Services, language: str, word: str
) -> None:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.send("ok")
    talk.send(word)
    assert (
        talk.texts[0]
        == GREETING[language]
        + {
            "fi": " Tässä on, mitä osaan.",
            "sv": " Här är vad jag kan hjälpa till med.",
            "en": " Here is what I can do.",
        }[language]
    )
    assert talk.prompt == MENU[language]


# A word in any inflection → the first words of where it leads.
TOPICS = [
    ("fi", "idea", "Mitä ideasi koskee?"),
    ("fi", "ideoita", "Mitä ideasi koskee?"),
    ("fi", "Minulla on idea puistoon", "Mitä ideasi koskee?"),
    ("fi", "paikka", "Mitä etsit?"),
    ("fi", "kysely", "Valitse kysely"),
    ("fi", "äänestää", "Valitse kysely"),
    ("fi", "etsin töitä", "Missä?"),
    ("fi", "haluan puhua ihmisen kanssa", "tiimi"),
    ("sv", "jobb", "Var?"),
    ("sv", "jobbet", "Var?"),
    ("sv", "förslag", "Vad handlar din idé om?"),
    ("sv", "enkät", "Välj en enkät"),
    ("en", "I have an idea", "What is your idea about"),
    ("en", "places", "What are you looking for?"),
    ("en", "looking for a job", "Where?"),
]


@pytest.mark.parametrize(("language", "typed", "lands_on"), TOPICS)
def test_a_topic_word_in_any_inflection_goes_where_a_person_expects(
    demo: Services, language: str, typed: str, lands_on: str
) -> None:
    talk = Talk(demo.engine, locale=language)
    talk.start()
    talk.send("ok")
    talk.send(typed)
    said = " ".join(talk.texts)
    assert lands_on.casefold() in said.casefold(), said


def test_a_swedish_word_is_understood_by_a_bot_that_speaks_finnish(demo: Services) -> None:
    talk = Talk(demo.engine, locale="fi")
    talk.start()
    talk.send("joo")
    talk.send("bibliotek")
    assert "Mikkelin pääkirjasto" in talk.labels


def test_two_topics_in_one_sentence_are_offered_to_choose_from(demo: Services) -> None:
    talk = Talk(demo.engine, locale="fi")
    talk.start()
    talk.send("joo")
    talk.send("idea kyselyyn")
    assert talk.prompt == "Tarkoititko jotain näistä?"
    assert talk.labels[:2] == ["Kerro ideasi", "Nuorten kysely"]
    talk.press("Nuorten kysely")
    assert talk.said("kysely")


def test_at_a_free_text_step_what_is_typed_is_the_answer_whatever_words_it_holds(
    services: Services,
) -> None:
    talk = Talk(services.engine, locale="fi")
    talk.start()
    talk.send("kyllä")
    talk.press_id("ideas")
    talk.press(talk.labels[0])
    talk.press(talk.labels[0])
    # Words that elsewhere lead to places, polls or a greeting are the idea itself here.
    talk.send("Hei, lisää paikkoja nuorille ja kysely kouluun")
    talk.press_id("idea.nophoto")
    talk.send("ei")
    assert talk.said("Hei, lisää paikkoja nuorille ja kysely kouluun")


def test_in_a_conversation_with_a_person_typed_words_go_to_the_person(demo: Services) -> None:
    talk = Talk(demo.engine, locale="fi")
    talk.start()
    talk.send("kyllä")
    talk.send("ihminen")
    if "human.message" in [choice.id for choice in talk.choices_of_last()]:
        talk.press_id("human.message")  # the team is away: a message they read later
    talk.send("moi")
    talk.send("hei, onko kirjasto auki sunnuntaina?")
    # Not answered by the bot from the hours nor greeted: the team gets both words as
    # they were written (the first was acknowledged, once).
    assert not talk.said("pääkirjasto")
    with demo.database.connect() as connection:
        written = connection.execute(select(human_message_t.c.text)).scalars().all()
    assert written == ["moi", "hei, onko kirjasto auki sunnuntaina?"]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("auki su", date(2026, 12, 6)),  # Sunday, as the bot writes it
        ("öppet lör", date(2026, 12, 5)),
        ("open sat", date(2026, 12, 5)),
        ("när har man öppet", None),  # "man" is "one", not "mån"
        ("is it open to 20", None),  # "to" is Thursday only in Finnish: a preposition wins
    ],
)
def test_a_day_is_read_from_its_name_or_abbreviation(typed: str, day: date | None) -> None:
    assert vocabulary().day_asked(typed, today=date(2026, 12, 3)) == day


def test_an_abbreviation_alone_does_not_make_a_question_about_hours() -> None:
    assert not vocabulary().asks_about_hours("I sat in the library")
    assert vocabulary().asks_about_hours("is the library open sat")
