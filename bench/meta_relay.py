"""Meta's Send API pace: a poll announcement to 300 Instagram followers (3,000 messages)
against a fake that refuses calls beyond Instagram's 100 a second (613/2534040), paced by
our relay and, for comparison in the same run, unpaced."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench.drain import drain
from bench.figures import Figure
from bench.figures import relay as relay_figure
from bot.relay import OutboxRelay
from dialogs.replies import Reply
from handlers.meta.sender import MetaSender
from handlers.pacing import Pacer
from storage import inbox, outbox
from storage.engine import make_engine, transaction
from storage.migrate import migrate
from storage.tables import participant_t
from tests.support.fake_graph import FakeGraph
from tests.support.live_server import live_server

PEOPLE = 300
PER_PERSON = 10
LIMIT = 100  # Instagram: calls a second per account


def _queue(engine: sa.Engine) -> None:
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        for person in range(PEOPLE):
            recipient = f"17841400{person:06d}"
            participant_id = connection.execute(
                sa.insert(participant_t).values(
                    channel="instagram", channel_user_id=recipient, pseudonym=f"p{person}",
                    reachable=True, created_at=now,
                ).returning(participant_t.c.id)
            ).scalar_one()  # fmt: skip
            # The person wrote just now: inside the 24-hour window.
            inbox.record_inbound(
                connection=connection, channel="instagram", event_id=f"m_{person}",
                participant_id=participant_id, payload=None, replies=None, now=now,
            )  # fmt: skip
            outbox.enqueue(
                connection=connection, channel="instagram", recipient=recipient,
                participant_id=participant_id, inbox_id=None, now=now,
                payloads=[Reply(text=f"viesti {n}").to_json() for n in range(PER_PERSON)],
            )  # fmt: skip


def relay_row(paced: bool) -> Figure:
    server = FakeGraph(calls_per_second=LIMIT)
    with tempfile.TemporaryDirectory() as directory, live_server(server.app) as url:  # type: ignore[arg-type]
        engine = make_engine(f"sqlite:///{Path(directory) / 'relay.db'}")
        migrate(engine)
        _queue(engine)

        async def run() -> float:
            async with httpx.AsyncClient(timeout=10) as client:
                sender = MetaSender(
                    channel="instagram", client=client, url=f"{url}/v23.0/me/messages",
                    token="bench-token", pacer=Pacer(per_chat_interval=0.0, overall_per_second=90)
                    if paced else None,
                )  # fmt: skip
                # Retries after a refused call come at the relay's ordinary backoff (2 s and up).
                relay = OutboxRelay(database=engine, senders={"instagram": sender})
                started = time.perf_counter()
                await drain(relay, engine)
                return time.perf_counter() - started

        elapsed = asyncio.run(run())
        engine.dispose()
    expected = PEOPLE * PER_PERSON
    delivered = Counter((m["recipient"]["id"], m["message"]["text"]) for m in server.messages)
    return relay_figure(
        f"Instagram, {PEOPLE} people × {PER_PERSON}, {'paced' if paced else 'unpaced'}",
        limit=LIMIT, refusal="613", refused=server.provoked_limits, expected=expected,
        delivered=delivered, elapsed=elapsed,
    )  # fmt: skip


def relay_rows() -> list[Figure]:
    return [relay_row(paced=True), relay_row(paced=False)]
