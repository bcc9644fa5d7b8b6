"""What's on, as a resident uses it: this week's youth events near a shared location, a card
with the time in words, signing up after consent, the waiting list when it is full, and
the next in turn getting the place (and told) when someone cancels."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from dialogs.events import Channel
from dialogs.replies import Reply
from storage.engine import transaction
from storage.event_signup_tables import signup_t
from storage.event_tables import Audience, EventSource, EventStatus, event_t
from storage.events import EventRecord, upsert_event
from storage.tables import outbox_t
from tests.conftest import make_settings
from tests.support.talk import Talk

NOW = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # Tuesday 8 December, 9.00 in Mikkeli
OTAVA = (61.6492, 27.0711)
CENTRE = (61.6886, 27.2723)


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    """On SQLite and on PostgreSQL, with the clock at Tuesday morning."""
    settings = make_settings(
        database_url, media_dir=tmp_path / "media", public_url="https://osallistu.example"
    )
    built = build_services(settings)
    built.engine._clock = lambda: NOW
    yield built
    built.database.dispose()


def _event(services: Services, source_id: str, title: str, **values: object) -> int:
    record = EventRecord(
        source=EventSource.OWN,
        source_id=source_id,
        title={"en": title, "fi": title},
        starts_at=values.pop("starts_at", NOW + timedelta(days=1, hours=8)),  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
    )
    with transaction(services.database) as connection:
        upsert_event(connection=connection, record=record, now=NOW)
        return int(
            connection.execute(
                sa.select(event_t.c.id).where(event_t.c.source_id == source_id)
            ).scalar_one()
        )


def _youth_evening(services: Services, capacity: int = 1) -> int:
    """Wednesday 9 December 17–19 at Otava, for young people, sign-up needed."""
    return _event(
        services,
        "games",
        "Games evening (demo)",
        starts_at=datetime(2026, 12, 9, 15, 0, tzinfo=UTC),
        ends_at=datetime(2026, 12, 9, 17, 0, tzinfo=UTC),
        place_name={"en": "Otava meeting place"},
        lat=OTAVA[0],
        lon=OTAVA[1],
        audience=Audience.YOUNG,
        is_free=True,
        signup_required=True,
        capacity=capacity,
    )


def _resident(services: Services, channel: Channel = Channel.TELEGRAM) -> Talk:
    talk = Talk(services.engine, channel=channel, locale="en")
    talk.start()
    talk.press_id("consent.yes")
    return talk


def _find_youth_events_near_otava(talk: Talk) -> None:
    talk.press("What's on")
    talk.press("This week")
    talk.press("Only for young people")
    assert "✓ Only for young people" in talk.labels
    talk.share_location(OTAVA[0] + 0.001, OTAVA[1])


def _card_texts(talk: Talk) -> list[str]:
    return [f"{card.title} | {card.status}" for reply in talk.replies for card in reply.places]


def _outbox_to(services: Services, user_id: str) -> list[Reply]:
    with services.database.connect() as connection:
        rows = connection.execute(
            sa.select(outbox_t.c.payload)
            .where(outbox_t.c.recipient == user_id, outbox_t.c.inbox_id.is_(None))
            .order_by(outbox_t.c.id)
        ).scalars()
        return [Reply.from_json(payload) for payload in rows]


def test_a_resident_finds_a_youth_event_near_them_and_signs_up(services: Services) -> None:
    _event(services, "seniors", "Dance for seniors (demo)", audience=Audience.SENIORS)
    event_id = _youth_evening(services, capacity=5)
    talk = _resident(services)
    _find_youth_events_near_otava(talk)
    assert talk.texts[0] == "Nearest to you:"
    (card,) = _card_texts(talk)
    assert card == (
        "Games evening (demo) | Wed 9.12. at 17:00–19:00 · 110 m away · Free · "
        "Sign-up needed. Places left: 5."
    )
    assert talk.replies[0].places[0].map_url is not None
    talk.press("Games evening (demo)")
    talk.press("Sign up")
    assert talk.texts[0] == "We will send you a reminder here the day before at 10:00."
    talk.press("No, just sign me up")
    assert talk.texts[0] == "You are signed up for Games evening (demo), Wed 9.12. at 17:00–19:00."
    assert (
        talk.replies[1].links[0].url == f"https://osallistu.example/events/{event_id}.ics?lang=en"
    )
    with services.database.connect() as connection:
        (row,) = connection.execute(sa.select(signup_t)).all()
    assert (row.status, row.shared_name, row.shared_phone) == ("confirmed", None, None)


def test_a_name_and_phone_go_to_the_organiser_only_if_the_resident_gives_them(
    services: Services,
) -> None:
    _youth_evening(services, capacity=5)
    talk = _resident(services, Channel.WEBCHAT)
    _find_youth_events_near_otava(talk)
    talk.press("Games evening (demo)")
    talk.press("Sign up")
    assert talk.texts[0].startswith("The day before at 10:00 a reminder shows here")
    talk.press("Yes, I will give them")
    talk.send("Aino")
    talk.send("not a number")
    assert talk.texts[0] == "That does not look like a phone number. Please check it."
    talk.send("040 123 4567")
    assert talk.said("You are signed up for Games evening (demo)")
    with services.database.connect() as connection:
        (row,) = connection.execute(sa.select(signup_t)).all()
    assert (row.shared_name, row.shared_phone) == ("Aino", "040 123 4567")


def test_on_messenger_the_window_is_said_before_signing_up(services: Services) -> None:
    _youth_evening(services)
    talk = _resident(services, Channel.MESSENGER)
    _find_youth_events_near_otava(talk)
    talk.press("Games evening (demo)")
    talk.press("Sign up")
    assert talk.texts[0].startswith(
        "Messenger and Instagram let us write to you only within 24 hours"
    )


def test_full_means_the_waiting_list_and_a_cancellation_promotes_the_next(
    services: Services,
) -> None:
    _youth_evening(services, capacity=1)
    first, second = _resident(services), _resident(services)
    for talk in (first, second):
        _find_youth_events_near_otava(talk)
        talk.press("Games evening (demo)")
    first.press("Sign up")
    first.press("No, just sign me up")
    second.press("Back to menu")
    second.press("What's on")
    second.press("This week")
    assert "✓ Only for young people" in second.labels  # the choice is remembered
    second.share_location(*OTAVA)
    assert _card_texts(second)[0].endswith("Full. You can join the waiting list.")
    second.press("Games evening (demo)")
    second.press("Join the waiting list")
    second.press("No, just sign me up")
    assert second.texts[0].startswith(
        "Games evening (demo) is full. You are number 1 on the waiting list."
    )
    first.press("Cancel my sign-up")
    assert first.prompt == "Do you want to cancel your sign-up?"
    first.press("Yes, cancel it")
    assert first.texts[0] == "Your sign-up is cancelled. Thank you for telling us."
    (told,) = _outbox_to(services, second.user_id)
    assert told.text.startswith(
        "Good news: a place is free for you at Games evening (demo), Wed 9.12. at 17:00–19:00."
    )
    # The notice's button works after it scrolled away: to the cancel question.
    second.press_id(told.choices[0].id)
    assert second.prompt == "Do you want to cancel your sign-up?"
    second.press("No, keep it")
    assert _card_texts(second)[0].endswith("You are signed up.")


def test_sign_up_closes_at_the_deadline_and_a_cancelled_event_is_marked(
    services: Services,
) -> None:
    _event(
        services,
        "closed",
        "Closed sign-up (demo)",
        signup_required=True,
        signup_deadline=NOW - timedelta(hours=1),
    )
    _event(services, "off", "Cancelled workshop (demo)", status=EventStatus.CANCELLED)
    talk = _resident(services)
    talk.press("What's on")
    talk.press("This week")
    talk.press("All of Mikkeli")
    cards = _card_texts(talk)
    assert any(
        c.startswith("Cancelled workshop (demo) | CANCELLED: Wed 9.12. at 17:00") for c in cards
    )
    assert any(c.endswith("Sign-up has closed.") for c in cards)
    talk.press("Closed sign-up (demo)")
    assert "Sign up" not in talk.labels


def test_my_sign_ups_and_typed_words_lead_to_whats_on(services: Services) -> None:
    _youth_evening(services, capacity=5)
    talk = _resident(services)
    talk.send("what's on")
    assert talk.prompt == "When?"
    talk.press("My sign-ups")
    assert talk.texts[0] == "You have not signed up for any events."


def test_my_data_shows_sign_ups_and_deleting_frees_the_place_for_the_next(
    services: Services,
) -> None:
    _youth_evening(services, capacity=1)
    first, second = _resident(services, Channel.WEBCHAT), _resident(services)
    for talk, name in ((first, "Aino"), (second, None)):
        _find_youth_events_near_otava(talk)
        talk.press("Games evening (demo)")
        talk.press("Join the waiting list" if name is None else "Sign up")
        if name is None:
            talk.press("No, just sign me up")
        else:
            talk.press("Yes, I will give them")
            talk.send(name)
            talk.press("Skip")
    first.send("my data")
    summary = first.texts[0]
    assert (
        "Event sign-ups:\nGames evening (demo), Wed 9.12. at 17:00; given to the organiser: Aino"
        in summary
    )
    first.press("Delete my data")
    first.press("Yes, delete everything")
    with services.database.connect() as connection:
        (left,) = connection.execute(sa.select(signup_t.c.status)).scalars().all()
    assert left == "waiting"
    services.event_messenger.send_due(now=NOW)
    (told,) = _outbox_to(services, second.user_id)
    assert told.text.startswith("Good news: a place is free for you at Games evening (demo)")


def test_names_go_a_week_after_the_event_and_sign_ups_after_the_retention_time(
    services: Services,
) -> None:
    from bot.retention import run_purge

    _youth_evening(services, capacity=5)
    talk = _resident(services)
    _find_youth_events_near_otava(talk)
    talk.press("Games evening (demo)")
    talk.press("Sign up")
    talk.press("Yes, I will give them")
    talk.send("Aino")
    talk.send("040 123 4567")
    ended = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)

    def stored() -> list[tuple[object, ...]]:
        with services.database.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    sa.select(signup_t.c.shared_name, signup_t.c.shared_phone)
                ).all()
            ]

    run_purge(services.database, services.settings, now=ended + timedelta(days=6, hours=23))
    assert stored() == [("Aino", "040 123 4567")]
    run_purge(services.database, services.settings, now=ended + timedelta(days=7, hours=1))
    assert stored() == [(None, None)]
    run_purge(services.database, services.settings, now=ended + timedelta(days=31))
    assert stored() == []


@pytest.mark.parametrize("typed", ["Tekemistä ja seuraa", "tapahtumat", "mitä tapahtuu"])
def test_the_finnish_menu_words_for_events_typed_anywhere_open_them(
    services: Services, typed: str
) -> None:
    talk = Talk(services.engine, channel=Channel.TELEGRAM, locale="fi")
    talk.start()
    talk.press_id("consent.yes")
    talk.press_id("help")  # away from the menu: the words work from anywhere
    talk.send(typed)
    assert talk.prompt == "Milloin?"
    assert talk.labels[:3] == ["Tänään", "Tällä viikolla", "Viikonloppuna"]
