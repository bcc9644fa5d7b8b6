"""Free questions about the demo places, answered from their opening hours.

The clock stands on Thursday 3 December 2026 at 14.00 in Mikkeli: Sunday is the 6th,
Independence Day, when the libraries are closed; Friday the 4th is an ordinary day.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.demo import load_demo_data
from bot.services import Services
from tests.support.talk import Talk

THURSDAY_AFTERNOON = datetime(2026, 12, 3, 14, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


@pytest.fixture
def asking(services: Services, monkeypatch: pytest.MonkeyPatch) -> Services:
    load_demo_data(services.database, only_if_empty=True)
    monkeypatch.setattr(services.engine, "_clock", lambda: THURSDAY_AFTERNOON.astimezone(UTC))
    return services


def _asked(services: Services, language: str, question: str) -> Talk:
    talk = Talk(services.engine, locale=language)
    talk.start()
    talk.press_id("consent.yes")
    talk.send(question)
    return talk


# (question, what the answer says, a place it must not answer about)
QUESTIONS = {
    "fi": [
        (
            "Onko kirjasto auki sunnuntaina?",
            "Mikkelin pääkirjasto on kiinni su 6.12. (Itsenäisyyspäivä)",
            "Otavan",
        ),
        (
            "onko pääkirjasto auki huomenna",
            "Mikkelin pääkirjasto on auki pe 4.12. klo 9.00–19.00",
            "Ristiinan",
        ),
        (
            "Onko pääkirjasto nyt auki?",
            "Mikkelin pääkirjasto on nyt auki klo 19.00 asti",
            "Haukivuoren",
        ),
        (
            "milloin ristiinan kirjasto on auki lauantaina",
            "Ristiinan kirjasto on auki la 5.12. klo 9.00–20.00",
            "pääkirjasto",
        ),
        (
            "Onko Otavan nuorisotila auki tänään",
            "Otavan nuorisotila on auki to 3.12. klo 17.00–21.00",
            "Anttolan",
        ),
        (
            "onko otavan nuorisotila auki nyt",
            "Otavan nuorisotila on nyt kiinni. Aukeaa tänään klo 17.00",
            "Anttolan",
        ),
        ("Onko ohjaamo auki perjantaina?", "Ohjaamo Olkkari on kiinni pe 4.12.", "pääkirjasto"),
        (
            "onko asiointipiste auki maanantaina",
            "Mikkelin kaupungin asiointipiste on auki ma 7.12. klo 9.00–15.00",
            "Ohjaamo",
        ),
        (
            "Onko Sentraali auki 22.12.",
            "Mikkelin Setlementti, kohtaamispaikka Sentraali on kiinni ti 22.12.",
            "Haukivuori",
        ),
        (
            "onko pääkirjasto auki jouluaattona 24.12.",
            "Mikkelin pääkirjasto on kiinni to 24.12. (Jouluaatto)",
            "Ristiinan",
        ),
        # A day as the bot writes it, abbreviated.
        (
            "onko pääkirjasto auki pe",
            "Mikkelin pääkirjasto on auki pe 4.12. klo 9.00–19.00",
            "Otavan",
        ),
        (
            "onko kirjsto auki sunnuntaina",
            "Ristiinan kirjasto on kiinni su 6.12. (Itsenäisyyspäivä)",
            "nuorisotila",
        ),
    ],
    "sv": [
        (
            "Har biblioteket öppet på söndag?",
            "S:t Michels huvudbibliotek har stängt sön 6.12. (Självständighetsdagen)",
            "Otava",
        ),
        (
            "när öppnar huvudbiblioteket",
            "S:t Michels huvudbibliotek har öppet nu, till kl. 19.00",
            "Ristiina",
        ),
        (
            "är huvudbiblioteket öppet i morgon",
            "S:t Michels huvudbibliotek har öppet fre 4.12. kl. 9.00–19.00",
            "Haukivuori",
        ),
        (
            "Är Ristiina bibliotek öppet på lördag",
            "Ristiina bibliotek har öppet lör 5.12. kl. 9.00–20.00",
            "huvudbibliotek",
        ),
        (
            "är ungdomslokalen i Otava öppen idag",
            "Ungdomslokalen i Otava har öppet tors 3.12. kl. 17.00–21.00",
            "Anttola",
        ),
        (
            "är ungdomslokalen i Otava öppen nu",
            "Ungdomslokalen i Otava har stängt nu. Öppnar i dag",
            "Anttola",
        ),
        ("har Ohjaamo öppet på fredag", "Ohjaamo Olkkari har stängt fre 4.12.", "bibliotek"),
        (
            "är kundtjänstpunkten öppen på måndag",
            "S:t Michels stads kundtjänstpunkt har öppet mån 7.12. kl. 9.00–15.00",
            "Ohjaamo",
        ),
        (
            "är ungdomsgården i Rantakylä öppen 22.12.",
            "Ungdomsgården i Rantakylä har stängt tis 22.12.",
            "Haukivuori",
        ),
        (
            "har huvudbiblioteket öppet lör",
            "S:t Michels huvudbibliotek har öppet lör 5.12.",
            "Ristiina",
        ),
        (
            "har huvudbiblioteket öppet på julafton 24.12.",
            "S:t Michels huvudbibliotek har stängt tors 24.12. (Julafton)",
            "Ristiina",
        ),
    ],
    "en": [
        (
            "Is the library open on Sunday?",
            "Mikkeli Main Library is closed on Sun 6.12. (Independence Day)",
            "Otava",
        ),
        (
            "is the main library open now",
            "Mikkeli Main Library is open now, until 19:00",
            "Ristiina",
        ),
        (
            "is the main library open tomorrow",
            "Mikkeli Main Library is open 09:00–19:00 on Fri 4.12.",
            "Haukivuori",
        ),
        (
            "when is Ristiina Library open on Saturday",
            "Ristiina Library is open 09:00–20:00 on Sat 5.12.",
            "Main",
        ),
        (
            "is the Otava youth room open today",
            "Otava Youth Room is open 17:00–21:00 on Thu 3.12.",
            "Anttola",
        ),
        (
            "is the otava youth room open now",
            "Otava Youth Room is closed now. Opens today at 17:00",
            "Anttola",
        ),
        (
            "is Ohjaamo open on Friday",
            "Ohjaamo Olkkari (guidance for under-30s) is closed on Fri 4.12.",
            "Library",
        ),
        (
            "is the customer service point open on Monday",
            "City of Mikkeli customer service point is open 09:00–15:00 on Mon 7.12.",
            "Ohjaamo",
        ),
        (
            "is Rantakylä Youth House open on 22.12.",
            "Rantakylä Youth House is closed on Tue 22.12.",
            "Haukivuori",
        ),
        (
            "is Ristiina Library open sat",
            "Ristiina Library is open 09:00–20:00 on Sat 5.12.",
            "Main",
        ),
        (
            "is the main library open on Christmas Eve 24.12.",
            "Mikkeli Main Library is closed on Thu 24.12. (Christmas Eve)",
            "Ristiina",
        ),
    ],
}


@pytest.mark.parametrize(
    ("language", "question", "answer", "not_about"),
    [(language, *row) for language, rows in QUESTIONS.items() for row in rows],
)
def test_a_question_about_a_place_is_answered_from_its_hours(
    asking: Services, language: str, question: str, answer: str, not_about: str
) -> None:
    talk = _asked(asking, language, question)
    said = "\n".join(talk.texts)
    assert answer in said
    assert not_about not in said.split("\n\n")[0]
    # The answer comes with the card of each place it is about, and a way to see more.
    assert talk.replies[0].places
    assert len(talk.labels) == len(talk.replies[0].places) + 2


def test_several_libraries_are_each_answered_and_offered(asking: Services) -> None:
    talk = _asked(asking, "fi", "onko kirjasto auki sunnuntaina")
    answer = talk.texts[0]
    for name in ("Mikkelin pääkirjasto", "Ristiinan kirjasto", "Haukivuoren kirjasto"):
        assert f"{name} on kiinni su 6.12. (Itsenäisyyspäivä)" in answer
    assert "Mikkelin pääkirjasto" in talk.labels
    talk.press("Mikkelin pääkirjasto")
    assert talk.said("Raatihuoneenkatu 6")


@pytest.mark.parametrize(
    ("language", "typed", "where"),
    [
        ("fi", "kirjastoon", "Mikkelin pääkirjasto"),
        ("fi", "Ristiinan nuokku", "Nuokku on Ristiinan nuorten paikka"),
        ("sv", "biblioteket", "S:t Michels huvudbibliotek"),
        ("en", "library", "Mikkeli Main Library"),
    ],
)
def test_a_place_named_without_a_question_is_shown(
    asking: Services, language: str, typed: str, where: str
) -> None:
    talk = _asked(asking, language, typed)
    assert talk.said(where) or where in talk.labels


@pytest.mark.parametrize(
    ("language", "question", "offered"),
    [
        ("fi", "mikä on tuo juttu", "Joku, jolle voi jutella"),
        ("sv", "vad är meningen med livet", "Tala med en människa"),
        ("en", "what is the meaning of life", "Talk to a person"),
    ],
)
def test_a_question_the_bot_cannot_answer_gets_what_it_can_do_and_a_person(
    asking: Services, language: str, question: str, offered: str
) -> None:
    talk = _asked(asking, language, question)
    assert offered in talk.labels
    assert len(talk.labels) > 5  # the whole menu, not only "Back to menu"


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_date_at_the_end_of_an_answer_ends_it_with_one_full_stop(
    asking: Services, language: str
) -> None:
    question = {
        "fi": "onko ohjaamo auki perjantaina",
        "sv": "öppet ohjaamo fredag",
        "en": "ohjaamo open friday",
    }
    talk = _asked(asking, language, question[language])
    assert talk.texts[0].splitlines()[0].endswith("4.12.")
