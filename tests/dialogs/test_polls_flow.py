"""Youth polls: answer once, results with the small-group rule, age bands kept with care."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.services import Services
from dialogs.events import Channel, Event, Pressed
from storage.domain_tables import answer_t, ballot_t, poll_t, response_t
from storage.tables import participant_t
from tests.dialogs.test_ideas_flow import consented
from tests.support.data import add_poll
from tests.support.talk import Talk

TITLE = {
    "fi": "Mitä haluaisit tehdä vapaa-ajalla? (demo)",
    "sv": "Vad skulle du vilja göra på fritiden? (demo)",
    "en": "What would you like to do in your free time? (demo)",
}
FLOW = {
    "fi": (
        "Nuorten kysely",
        "Kirjastossa",
        ["Tapahtumia", "Liikuntaa"],
        "16–17",
        "Kiitos vastauksistasi!",
    ),
    "sv": (
        "Enkät för unga",
        "På biblioteket",
        ["Evenemang", "Motion"],
        "16–17",
        "Tack för dina svar!",
    ),
    "en": (
        "Youth poll",
        "At the library",
        ["Events", "Sports"],
        "16–17",
        "Thank you for answering!",
    ),
}


def _count(services: Services, table: sa.Table) -> int:
    with services.database.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def vote(
    talk: Talk, language: str = "fi", *, age: str | None = None, where: str | None = None
) -> None:
    menu_item, first, second, band, _thanks = FLOW[language]
    talk.send("valikko")
    talk.press(menu_item)
    talk.press(TITLE[language])
    talk.press(where or first)
    for option in second:  # a multiple choice question: up to two, then "Done"
        talk.press(option)
    talk.press_id("poll.done")
    if talk.prompt.startswith(("One more thing", "Vielä yksi", "En sak till")):
        talk.press(age or band)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_a_young_person_answers_the_poll_once(services: Services, language: str) -> None:
    add_poll(services.database)
    talk = consented(services, language)
    vote(talk, language)
    assert FLOW[language][4] in talk.texts
    assert _count(services, ballot_t) == 1 and _count(services, response_t) == 1
    assert _count(services, answer_t) == 3
    vote_again = FLOW[language][0]
    talk.send("valikko")
    talk.press(vote_again)
    talk.press(TITLE[language])
    assert any(
        ("already" in t) or ("jo vastannut" in t) or ("redan svarat" in t) for t in talk.texts
    )
    assert _count(services, response_t) == 1


def test_a_multiple_choice_question_marks_what_is_chosen_and_waits_for_done(
    services: Services,
) -> None:
    add_poll(services.database)
    talk = consented(services)
    talk.send("valikko")
    talk.press("Nuorten kysely")
    talk.press(TITLE["fi"])
    talk.press("Kirjastossa")
    talk.press("Tapahtumia")
    assert "✓ Tapahtumia" in talk.labels and "Liikuntaa" in talk.labels
    talk.press("Liikuntaa")  # the second of two: still the same question, both ticked
    assert {"✓ Tapahtumia", "✓ Liikuntaa"} <= set(talk.labels)
    third = next(label for label in talk.labels if not label.startswith("✓") and label != "Valmis")
    talk.press(third)  # a third of two is refused kindly, nothing changes
    assert talk.said("Voit valita enintään 2")
    talk.press("✓ Tapahtumia")  # tapped again: taken away
    assert "Tapahtumia" in talk.labels
    talk.press(third)
    talk.press("Valmis")
    assert not talk.said("enintään")
    talk.press("16–17")
    assert _count(services, answer_t) == 3


def test_results_wait_for_five_answers_then_show_percentages(services: Services) -> None:
    add_poll(services.database)
    for _ in range(4):
        vote(consented(services))
    last = consented(services)
    vote(last)
    text = "\n".join(last.texts)
    assert "Tulokset tähän mennessä (5 vastausta):" in text
    assert "Kirjastossa: 100 %" in text
    assert "Tapahtumia: 100 %" in text


def test_no_share_in_the_chat_rests_on_fewer_than_five_people(services: Services) -> None:
    # Six answers split 5 / 1: "Kotona: 17 %" would be one person, and "Kirjastossa: 83 %"
    # with the six answers shown would give that one away too.
    add_poll(services.database)
    for _ in range(5):
        vote(consented(services))
    last = consented(services)
    vote(last, where="Kotona")
    text = "\n".join(last.texts)
    assert "Tulokset tähän mennessä (6 vastausta):" in text
    assert "Kotona: alle 5 ihmistä" in text
    assert "Kirjastossa: alle 5 ihmistä" in text
    assert "Nuorisotalolla: 0 %" in text  # a zero reveals no one
    assert "Tapahtumia: 100 %" in text  # chosen by all six, none left out
    assert "17 %" not in text and "83 %" not in text


def test_fewer_than_five_answers_show_no_figures(services: Services) -> None:
    add_poll(services.database)
    talk = consented(services)
    vote(talk)
    assert "Tulokset näytetään, kun vähintään 5 ihmistä on vastannut." in talk.texts
    assert not any("%" in text for text in talk.texts)


def test_the_age_band_is_kept_with_consent_but_never_for_under_13s(services: Services) -> None:
    add_poll(services.database)
    teen, child = consented(services), consented(services)
    vote(teen, age="16–17")
    vote(child, age="Alle 13")
    with services.database.connect() as connection:
        bands = dict(
            connection.execute(
                sa.select(participant_t.c.channel_user_id, participant_t.c.age_band)
            ).all()
        )
        response_bands = sorted(connection.execute(sa.select(response_t.c.age_band)).scalars())
    assert bands[teen.user_id] == "16-17"
    assert bands[child.user_id] is None
    assert response_bands == ["16-17", "u13"]


def test_a_closed_poll_is_not_offered_and_shows_final_results(services: Services) -> None:
    poll_id = add_poll(services.database, closes_in=timedelta(days=30))
    for _ in range(5):
        vote(consented(services))
    from storage.domain_tables import poll_t

    with services.database.begin() as connection:
        connection.execute(
            sa.update(poll_t)
            .where(poll_t.c.id == poll_id)
            .values(closes_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    talk = consented(services)
    talk.press("Nuorten kysely")
    assert talk.texts[0] == "Avoimia kyselyitä ei ole juuri nyt."
    talk.press(f"Tulokset: {TITLE['fi']}")
    assert "Lopulliset tulokset (5 vastausta):" in talk.texts


def test_two_simultaneous_votes_of_one_person_leave_exactly_one(any_services: Services) -> None:
    add_poll(any_services.database)
    talk = Talk(any_services.engine, user_id="double-tapper")
    talk.start()
    talk.press("Kyllä, sopii")
    talk.send("valikko")
    talk.press("Nuorten kysely")
    talk.press(TITLE["fi"])
    talk.press("Kirjastossa")
    talk.press("Tapahtumia")
    talk.press("Liikuntaa")
    talk.press("Valmis")
    age = next(c.id for c in talk.choices_of_last() if c.label == "16–17")
    events = [
        Event(Channel.WEBCHAT, "double-tapper", f"tap-{n}", Pressed(age), datetime.now(UTC))
        for n in range(2)
    ]
    threads = [threading.Thread(target=any_services.engine.handle, args=(e,)) for e in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert _count(any_services, ballot_t) == 1
    assert _count(any_services, response_t) == 1


def test_the_running_tallies_match_a_recount_of_the_answers(any_services: Services) -> None:
    from storage.polls import recount, results

    poll_id = add_poll(any_services.database)
    for n in range(6):
        vote(consented(any_services), age=("16–17", "Alle 13", "En halua kertoa")[n % 3])
    with any_services.database.connect() as connection:
        tallied = results(connection=connection, poll_id=poll_id)
        counted = recount(connection=connection, poll_id=poll_id)
    assert tallied == counted
    assert tallied.respondents == 6


def test_an_answer_just_after_midnight_counts_in_the_citys_new_week(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weekly summaries count answers by day in Helsinki: 00.30 on Monday there is still
    Sunday in UTC, and must not land in last week."""
    poll_id = add_poll(services.database)
    monday = datetime(2026, 11, 23, 0, 30, tzinfo=ZoneInfo("Europe/Helsinki"))
    with services.database.begin() as connection:
        connection.execute(
            sa.update(poll_t)
            .where(poll_t.c.id == poll_id)
            .values(opens_at=monday - timedelta(days=1), closes_at=monday + timedelta(days=1))
        )
    monkeypatch.setattr(services.engine, "_clock", lambda: monday.astimezone(UTC))
    vote(consented(services))
    with services.database.connect() as connection:
        days = connection.execute(sa.select(response_t.c.day)).scalars().all()
    assert days == [date(2026, 11, 23)]
