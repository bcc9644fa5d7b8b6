"""The engine's guarantees on SQLite and on PostgreSQL: once per event, in order, all or nothing."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.services import Services
from dialogs.events import Channel, Event, Pressed, TextInput
from storage import conversations
from storage.conversations import ConversationState, StaleConversation
from storage.engine import transaction
from storage.tables import conversation_t, inbox_t, outbox_t, participant_t
from tests.support.talk import Talk


def _count(services: Services, table: sa.Table) -> int:
    with services.database.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_a_repeated_event_returns_the_same_replies_and_changes_nothing(
    any_services: Services,
) -> None:
    talk = Talk(any_services.engine)
    talk.start()
    talk.press("Kyllä, sopii")
    first = talk.send("kieli", event_id="same-id")
    counts = [_count(any_services, t) for t in (inbox_t, outbox_t, conversation_t)]
    again = talk.send("kieli", event_id="same-id")
    assert again == first
    assert talk.last_handled is not None and talk.last_handled.duplicate
    assert [_count(any_services, t) for t in (inbox_t, outbox_t, conversation_t)] == counts


def test_web_chat_replies_are_stored_with_the_event_and_the_state_change(
    any_services: Services,
) -> None:
    talk = Talk(any_services.engine)
    replies = talk.start()
    with any_services.database.connect() as connection:
        stored = connection.execute(sa.select(inbox_t.c.replies)).scalar_one()
        state = connection.execute(sa.select(conversation_t.c.flow, conversation_t.c.step)).one()
        queued = connection.execute(sa.select(sa.func.count()).select_from(outbox_t)).scalar_one()
    assert [reply["text"] for reply in stored] == [r.text for r in replies]
    assert tuple(state) == ("welcome", "hello")
    assert queued == 0  # answered in the HTTP response; nothing for the relay


def test_replies_for_other_channels_are_queued_in_order_for_the_relay(
    any_services: Services,
) -> None:
    talk = Talk(any_services.engine, channel=Channel.TELEGRAM, user_id="777")
    replies = talk.start()
    with any_services.database.connect() as connection:
        queued = connection.execute(
            sa.select(outbox_t.c.payload, outbox_t.c.status, outbox_t.c.recipient).order_by(
                outbox_t.c.position
            )
        ).all()
    assert [row.payload["text"] for row in queued] == [r.text for r in replies]
    assert {(row.status, row.recipient) for row in queued} == {("pending", "777")}


def test_a_failing_action_leaves_no_half_written_rows(
    any_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = Talk(any_services.engine)
    talk.start()
    before = [_count(any_services, t) for t in (inbox_t, outbox_t)]

    def explode(**_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("storage.inbox.record_inbound", explode)  # fails after the consent write
    with pytest.raises(RuntimeError):
        talk.press("Kyllä, sopii")
    assert [_count(any_services, t) for t in (inbox_t, outbox_t)] == before
    with any_services.database.connect() as connection:
        assert connection.execute(sa.select(participant_t.c.consent_at)).scalar_one() is None


def test_nul_bytes_are_dropped_before_they_reach_the_database(any_services: Services) -> None:
    from handlers.webchat.schema import WebchatMessage

    message = WebchatMessage(session="session-nul-1", text="kie\x00li\x07")
    assert message.user_input() == TextInput("kieli")


def test_the_version_check_refuses_a_second_writer(any_services: Services) -> None:
    Talk(any_services.engine, user_id="writer").start()
    with any_services.database.connect() as connection:
        participant_id = connection.execute(sa.select(participant_t.c.id)).scalar_one()
    with transaction(any_services.database) as connection:
        loaded = conversations.load_conversation(
            connection=connection, participant_id=participant_id
        )
    assert loaded is not None
    now = datetime.now(UTC)
    with transaction(any_services.database) as connection:
        conversations.save_conversation(
            connection=connection,
            participant_id=participant_id,
            state=ConversationState(flow="menu", step="main"),
            previous=loaded,
            now=now,
        )
    with pytest.raises(StaleConversation), transaction(any_services.database) as connection:
        conversations.save_conversation(
            connection=connection,
            participant_id=participant_id,
            state=ConversationState(flow="help", step="main"),
            previous=loaded,
            now=now,
        )


def test_concurrent_events_of_one_person_from_many_threads_are_each_handled_once(
    any_services: Services,
) -> None:
    """Two processes or threads racing on one conversation: each event takes effect once."""
    Talk(any_services.engine, user_id="racer").start()
    events = [
        Event(
            channel=Channel.WEBCHAT,
            user_id="racer",
            event_id=f"race-{i}",
            input=Pressed("consent.yes") if i == 0 else TextInput("apua"),
            received_at=datetime.now(UTC),
        )
        for i in range(8)
    ]
    errors: list[BaseException] = []

    def run(event: Event) -> None:
        try:
            any_services.engine.handle(event)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(e,)) for e in events + events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with any_services.database.connect() as connection:
        handled = connection.execute(
            sa.select(sa.func.count()).select_from(inbox_t).where(inbox_t.c.event_id.like("race-%"))
        ).scalar_one()
        version = connection.execute(sa.select(conversation_t.c.version)).scalar_one()
    assert handled == 8
    assert version == 1 + 8  # created by the start, advanced once per distinct event


def test_the_pseudonym_is_stable_and_not_the_user_id(any_services: Services) -> None:
    Talk(any_services.engine, user_id="12345").start()
    Talk(any_services.engine, user_id="12345", channel=Channel.TELEGRAM).start()
    with any_services.database.connect() as connection:
        rows = connection.execute(
            sa.select(participant_t.c.channel, participant_t.c.pseudonym)
        ).all()
    pseudonyms = {row.pseudonym for row in rows}
    assert len(pseudonyms) == 2  # the same id on two channels is two people
    assert all("12345" not in p and len(p) == 64 for p in pseudonyms)
