"""Run an outbox relay until nothing is left pending (the relay benchmarks' stopwatch)."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from bot.relay import OutboxRelay
from storage.tables import outbox_t


async def drain(relay: OutboxRelay, engine: sa.Engine) -> None:
    while True:
        await relay.run_once()
        with engine.connect() as connection:
            pending = connection.execute(
                sa.select(sa.func.count())
                .select_from(outbox_t)
                .where(outbox_t.c.status == "pending")
            ).scalar_one()
        if pending == 0:
            return
        await asyncio.sleep(0.05)
