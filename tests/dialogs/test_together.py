"""Events handled together (SQLite's group commit): one commit for the group, yet each event
is all or nothing, keeps its person's order, and a repeat inside the group changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from bot.services import Services
from dialogs.engine import ConversationEngine, Handled
from dialogs.events import Channel, Event, Pressed, Started, TextInput, UserInput
from dialogs.runner import ConversationRunner
from locales import Translator, Translators
from storage.tables import conversation_t, inbox_t, outbox_t, participant_t


def _event(user: str, number: int, user_input: UserInput) -> Event:
    return Event(
        channel=Channel.TELEGRAM,
        user_id=user,
        event_id=f"{user}-{number}",
        input=user_input,
        received_at=datetime.now(UTC),
        locale_hint="fi",
    )


def _walk(user: str) -> list[Event]:
    """Start, consent, open the idea flow: the last step is reachable only in this order."""
    return [
        _event(user, 1, Started()),
        _event(user, 2, Pressed("consent.yes")),
        _event(user, 3, Pressed("ideas")),
    ]


def _steps(services: Services) -> dict[str, tuple[str, str]]:
    with services.database.connect() as connection:
        rows = connection.execute(
            sa.select(
                participant_t.c.channel_user_id, conversation_t.c.flow, conversation_t.c.step
            ).join(conversation_t, conversation_t.c.participant_id == participant_t.c.id)
        ).all()
    return {user: (flow, step) for user, flow, step in rows}


def _count(services: Services, table: sa.Table) -> int:
    with services.database.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


class _BrokenSwedish(Translators):
    """Fails whenever Swedish is asked for: an event that breaks halfway through its turn,
    after its participant row was written."""

    def __getitem__(self, language: str) -> Translator:
        if language == "sv":
            raise RuntimeError("a bug in one event")
        return super().__getitem__(language)


@pytest.fixture
def failing_engine(any_services: Services) -> Iterator[ConversationEngine]:
    engine = any_services.engine
    yield ConversationEngine(
        database=engine._database,
        registry=engine._registry,
        translators=_BrokenSwedish(),
        config=engine._config,
        pseudonym_key=engine._pseudonym_key,
        channels=engine._channels,
    )


def _people(services: Services) -> set[str]:
    with services.database.connect() as connection:
        return set(connection.execute(sa.select(participant_t.c.channel_user_id)).scalars())


def test_interleaved_people_each_keep_their_order(any_services: Services) -> None:
    a, b = _walk("a"), _walk("b")
    group = [a[0], b[0], a[1], b[1], a[2], b[2]]
    outcomes = any_services.engine.handle_together(group)
    assert all(isinstance(o, Handled) for o in outcomes)
    assert _steps(any_services) == {"a": ("ideas", "theme"), "b": ("ideas", "theme")}
    assert _count(any_services, inbox_t) == 6


def test_a_failing_event_is_undone_alone_and_the_rest_commit(
    any_services: Services, failing_engine: ConversationEngine
) -> None:
    swedish = replace(_event("b", 1, Started()), locale_hint="sv")
    outcomes = failing_engine.handle_together(
        [_event("a", 1, Started()), swedish, _event("c", 1, Started())]
    )
    assert isinstance(outcomes[1], RuntimeError)
    assert isinstance(outcomes[0], Handled) and isinstance(outcomes[2], Handled)
    # b's participant row, written before the failure, went with it; a's and c's stayed.
    assert _people(any_services) == {"a", "c"}
    assert _count(any_services, inbox_t) == 2
    # Delivered again (to a working engine), it is handled as if it had never been tried.
    again = any_services.engine.handle_together([swedish])
    assert isinstance(again[0], Handled) and not again[0].duplicate
    assert _people(any_services) == {"a", "b", "c"}


def test_a_repeat_inside_the_group_changes_nothing(any_services: Services) -> None:
    first = _event("c", 1, TextInput("hei"))
    outcomes = any_services.engine.handle_together([first, first])
    assert isinstance(outcomes[0], Handled) and not outcomes[0].duplicate
    assert isinstance(outcomes[1], Handled) and outcomes[1].duplicate
    assert _count(any_services, inbox_t) == 1
    with any_services.database.connect() as connection:
        versions = connection.execute(sa.select(conversation_t.c.version)).scalars().all()
    assert versions == [1], "the repeat moved the conversation"
    with any_services.database.connect() as connection:
        queued = connection.execute(sa.select(outbox_t.c.inbox_id)).scalars().all()
    assert len(queued) == len(outcomes[0].replies)


def test_concurrent_requests_are_grouped_in_arrival_order(services: Services) -> None:
    """On SQLite the runner collects what arrives while the loop is busy into one group."""
    runner = ConversationRunner(services.engine, threads=0)
    events = _walk("d") + _walk("e")

    async def arrive_together() -> list[Handled]:
        return list(await asyncio.gather(*(runner.handle(event) for event in events)))

    handled = asyncio.run(arrive_together())
    assert all(not h.duplicate for h in handled)
    assert _steps(services) == {"d": ("ideas", "theme"), "e": ("ideas", "theme")}
