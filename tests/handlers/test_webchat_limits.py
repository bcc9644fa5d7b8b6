"""The per-address limit counts new sessions: a school class behind one address is served in
full, one machine opening sessions by the thousand is not, and on PostgreSQL the count holds
for every instance together. Session ids are stored only as an HMAC."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import Services, build_services
from bot.settings import Settings
from storage.domain_tables import ballot_t
from storage.tables import outbox_t, participant_t
from tests.conftest import make_settings
from tests.support.data import add_poll
from tests.support.databases import postgres_engine

DEFAULTS = {
    name: Settings.model_fields[name].default
    for name in (
        "flood_burst",
        "flood_per_minute",
        "webchat_sessions_per_address_per_minute",
    )
}
SESSIONS_PER_MINUTE = DEFAULTS["webchat_sessions_per_address_per_minute"]


@pytest.fixture
def deployed(database_url: str) -> Iterator[Services]:
    """Services with the deployed limits, on SQLite and on PostgreSQL."""
    built = build_services(make_settings(database_url, **DEFAULTS))
    yield built
    built.database.dispose()


@asynccontextmanager
async def _client(
    services: Services, address: str = "192.0.2.10"
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services.settings, services=services)
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_a_class_of_thirty_on_one_wifi_opens_the_chat_and_answers_a_poll(
    deployed: Services,
) -> None:
    """Thirty pupils, one address, 240 requests within a minute: every one answered."""
    add_poll(deployed.database)
    statuses: list[int] = []
    async with _client(deployed) as client:
        for pupil in range(30):
            session = f"pupil-session-{pupil:04d}"

            async def say(n: int, pupil_session: str = session, **body: object) -> None:
                answer = await client.post(
                    "/webchat/messages",
                    json={"session": pupil_session, "id": f"m{n}", "locale": "fi", **body},
                )
                statuses.append(answer.status_code)

            await say(1, text="/start")
            await say(2, choice="consent.yes")
            await say(3, choice="polls")
            await say(4, choice="poll.1")
            await say(5, choice="opt.1")
            await say(6, choice="opt.5")
            await say(7, choice="opt.6")  # the second of two
            await say(8, choice="poll.done")
            await say(9, choice="age.16-17")
    assert len(statuses) == 270
    assert statuses == [200] * 270
    with deployed.database.connect() as connection:
        answered = connection.execute(sa.select(sa.func.count()).select_from(ballot_t)).scalar_one()
    assert answered == 30


async def test_one_machine_opening_sessions_is_stopped_with_a_retry_after(
    deployed: Services,
) -> None:
    async with _client(deployed) as client:
        statuses = [
            (
                await client.post(
                    "/webchat/messages",
                    json={"session": f"machine-{n:06d}", "text": "/start", "locale": "en"},
                )
            ).status_code
            for n in range(SESSIONS_PER_MINUTE)
        ]
        assert statuses == [200] * SESSIONS_PER_MINUTE
        refused = await client.post(
            "/webchat/messages", json={"session": "machine-999999", "text": "/start"}
        )
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["message"]
        # A session already admitted goes on; the limit is on new ones.
        known = await client.post(
            "/webchat/messages", json={"session": "machine-000001", "text": "hello"}
        )
        assert known.status_code == 200
    async with _client(deployed, address="198.51.100.20") as elsewhere:
        fresh = await elsewhere.post(
            "/webchat/messages", json={"session": "someone-else-01", "text": "/start"}
        )
        assert fresh.status_code == 200  # another address is not affected


async def test_two_instances_on_postgresql_share_one_count() -> None:
    """Several instances run on PostgreSQL (SQLite runs one): the limit is the deployment's."""
    engine = postgres_engine()
    database_url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    limits = {**DEFAULTS, "webchat_sessions_per_address_per_minute": 20}
    first = build_services(make_settings(database_url, **limits))
    second = build_services(make_settings(database_url, **limits))
    try:
        async with _client(first) as one, _client(second) as two:
            statuses = [
                (
                    await (one if n % 2 else two).post(
                        "/webchat/messages", json={"session": f"split-{n:06d}", "text": "/start"}
                    )
                ).status_code
                for n in range(21)
            ]
        assert statuses == [200] * 20 + [429]
    finally:
        first.database.dispose()
        second.database.dispose()


async def test_a_session_id_is_never_stored_in_clear(services: Services) -> None:
    session = "secret-session-id-0001"
    async with _client(services) as client:
        await client.post("/webchat/messages", json={"session": session, "text": "/start"})
        await client.post("/webchat/messages", json={"session": session, "choice": "consent.yes"})
        await client.post("/webchat/updates", json={"session": session, "ack": []})
    with services.database.connect() as connection:
        stored_ids = list(connection.execute(sa.select(participant_t.c.channel_user_id)).scalars())
        recipients = list(connection.execute(sa.select(outbox_t.c.recipient)).scalars())
        dump = "\n".join(connection.connection.iterdump())  # type: ignore[attr-defined]
    assert len(stored_ids) == 1 and stored_ids[0] != session and len(stored_ids[0]) == 64
    assert session not in recipients
    assert session not in dump
