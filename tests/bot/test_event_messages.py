"""Reminders the day before at 10.00 and "How was it?" afterwards, with a controlled clock:
where each channel allows, once across two runs at the same moment, never in quiet hours or
to someone who said "stop"; a face pressed is one anonymous answer a person."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from dialogs.events import Channel
from dialogs.replies import Reply
from storage import event_feedback, event_signups
from storage.engine import transaction
from storage.event_signup_tables import Face, feedback_t
from storage.event_tables import EventSource, event_t
from storage.events import EventRecord, upsert_event
from storage.tables import Lane, outbox_t, participant_t
from tests.conftest import make_settings
from tests.support.talk import Talk

SIGNED_UP_AT = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # Sunday 14.00 in Mikkeli
STARTS = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # Wednesday 17.00
ENDS = STARTS + timedelta(hours=2)
DAY_BEFORE_AT_10 = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(database_url, media_dir=tmp_path / "media"))
    built.engine._clock = lambda: SIGNED_UP_AT
    yield built
    built.database.dispose()


def _event(services: Services) -> int:
    record = EventRecord(
        source=EventSource.OWN,
        source_id="games",
        title={"fi": "Peli-ilta (demo)", "en": "Games evening (demo)"},
        starts_at=STARTS,
        ends_at=ENDS,
        place_name={"fi": "Otavan kohtaamispaikka"},
        signup_required=True,
        capacity=10,
    )
    with transaction(services.database) as connection:
        upsert_event(connection=connection, record=record, now=SIGNED_UP_AT)
        return int(connection.execute(sa.select(event_t.c.id)).scalar_one())


def _signed_up(services: Services, event_id: int, channel: Channel, locale: str = "fi") -> Talk:
    talk = Talk(services.engine, channel=channel, locale=locale)
    talk.start()
    talk.press_id("consent.yes")
    with transaction(services.database) as connection:
        participant_id = connection.execute(
            sa.select(participant_t.c.id).where(participant_t.c.channel_user_id == talk.user_id)
        ).scalar_one()
        event_signups.sign_up(
            connection=connection,
            event_id=event_id,
            participant_id=participant_id,
            now=SIGNED_UP_AT,
        )
    return talk


def _sent_to(services: Services, talk: Talk) -> list[tuple[Reply, Lane]]:
    with services.database.connect() as connection:
        rows = connection.execute(
            sa.select(outbox_t.c.payload, outbox_t.c.lane)
            .where(outbox_t.c.recipient == talk.user_id, outbox_t.c.inbox_id.is_(None))
            .order_by(outbox_t.c.id)
        ).all()
    return [(Reply.from_json(row.payload), Lane(row.lane)) for row in rows]


def test_the_reminder_comes_the_day_before_at_ten_once_in_the_bulk_lane(
    services: Services,
) -> None:
    event_id = _event(services)
    telegram = _signed_up(services, event_id, Channel.TELEGRAM)
    messenger = _signed_up(services, event_id, Channel.MESSENGER, "en")
    messenger_lately = _signed_up(services, event_id, Channel.MESSENGER, "sv")
    services.engine._clock = lambda: DAY_BEFORE_AT_10 - timedelta(hours=2)
    messenger_lately.send("hej")  # inside the 24-hour window at 10.00
    messenger_lately.replies = []
    messenger_ = services.event_messenger
    assert messenger_.send_due(now=DAY_BEFORE_AT_10 - timedelta(minutes=5)).reminders == 0
    # Two instances at the same moment: each reminder once.
    first = messenger_.send_due(now=DAY_BEFORE_AT_10)
    second = messenger_.send_due(now=DAY_BEFORE_AT_10)
    assert (first.reminders, second.reminders) == (2, 0)
    ((reminder, lane),) = _sent_to(services, telegram)
    assert lane is Lane.BULK
    assert reminder.text == (
        "Muistutus: huomenna on Peli-ilta (demo), ke 9.12. klo 17–19.\n"
        "Paikka: Otavan kohtaamispaikka\n"
        "Jos et pääse, peru ilmoittautuminen. Silloin joku muu saa paikan."
    )
    assert [c.label for c in reminder.choices] == ["Peru ilmoittautuminen", "Takaisin valikkoon"]
    ((told, _),) = _sent_to(services, messenger_lately)
    assert told.text.startswith(
        "En påminnelse: i morgon är det Peli-ilta (demo), ons 9.12. kl. 17–19."
    )
    # Outside Messenger's window nothing goes; a message later that day lets it go.
    assert _sent_to(services, messenger) == []
    services.engine._clock = lambda: DAY_BEFORE_AT_10 + timedelta(hours=6)
    messenger.send("hi")
    assert messenger_.send_due(now=DAY_BEFORE_AT_10 + timedelta(hours=6, minutes=5)).reminders == 1
    ((late, _),) = _sent_to(services, messenger)
    assert late.text.startswith("A reminder: tomorrow you have Games evening (demo)")


def test_quiet_hours_and_stop_hold_reminders_back(services: Services) -> None:
    services.settings.__dict__["event_reminder_hour"] = 7  # before quiet hours end at 8
    event_id = _event(services)
    stopped = _signed_up(services, event_id, Channel.TELEGRAM)
    reminded = _signed_up(services, event_id, Channel.TELEGRAM)
    stopped.send("lopeta")
    assert stopped.texts[0].startswith("Et saa muistutuksia etkä kysymyksiä")
    at_seven = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)
    assert services.event_messenger.send_due(now=at_seven).reminders == 0  # quiet until 8
    assert services.event_messenger.send_due(now=at_seven + timedelta(hours=1)).reminders == 1
    assert len(_sent_to(services, reminded)) == 1
    assert _sent_to(services, stopped) == []


def test_how_was_it_is_asked_after_the_event_and_answered_once_anonymously(
    services: Services,
) -> None:
    event_id = _event(services)
    talk = _signed_up(services, event_id, Channel.TELEGRAM)
    messenger = services.event_messenger
    assert messenger.send_due(now=ENDS + timedelta(minutes=30)).questions == 0
    assert messenger.send_due(now=ENDS + timedelta(hours=1, minutes=1)).questions == 1
    assert messenger.send_due(now=ENDS + timedelta(hours=2)).questions == 0
    *_, (question, _) = _sent_to(services, talk)
    assert question.text == "Millainen oli Peli-ilta (demo)? Vastaat nimettömästi."
    assert [c.label for c in question.choices] == [
        "😀 Tosi hyvä",
        "🙂 Hyvä",
        "😐 Ihan ok",
        "🙁 Huono",
    ]
    talk.press_id(question.choices[1].id)  # 🙂, pressed on the message it came in
    assert talk.texts[0] == "Kiitos vastauksesta!"
    talk.press_id(question.choices[0].id)  # again, from the old message
    assert talk.texts[0] == "Olet jo vastannut. Kiitos!"
    with services.database.connect() as connection:
        assert event_feedback.faces(connection=connection, event_id=event_id)[Face.GOOD] == 1
        (answer,) = connection.execute(sa.select(feedback_t)).all()
    assert set(answer._mapping) == {"id", "event_id", "face", "day"}  # nothing of who


def test_a_face_from_someone_not_signed_up_is_not_counted(services: Services) -> None:
    event_id = _event(services)
    talk = Talk(services.engine, channel=Channel.TELEGRAM)
    talk.start()
    talk.press_id(f"feedback.{event_id}.4")
    with services.database.connect() as connection:
        assert sum(event_feedback.faces(connection=connection, event_id=event_id).values()) == 0
