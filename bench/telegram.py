"""Telegram figures: webhook ingest on the full path beside a bare endpoint, and the relay
sending 3,000 queued messages to 300 chats against a fake Bot API that enforces Telegram's
limits (1/s per chat, 30/s overall, 429 beyond)."""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from bench.drain import drain
from bench.figures import Figure, ingest
from bench.figures import relay as relay_figure
from bench.loadgen import BodyFor, LoadResult, closed_loop, open_loop
from bench.servers import TELEGRAM_SECRET, running
from bot.relay import OutboxRelay
from dialogs.replies import Reply
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from storage import outbox
from storage.engine import make_engine, transaction
from storage.migrate import migrate
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import free_port, live_server

CONNECTIONS = 64
SECONDS = 6.0
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
WALK = ["help", "menu", "language", "lang.fi", "privacy", "menu"]
CHATS, PER_CHAT = 300, 10


def updates(run: str) -> BodyFor:
    base = {"peak": 1, "half": 2}[run] * 10_000_000

    def body(index: int, number: int) -> bytes:
        chat = {"id": 5_000_000 + index, "type": "private", "first_name": "B"}
        user = {"id": 5_000_000 + index, "is_bot": False, "first_name": "B", "language_code": "fi"}
        update_id = base + index * 100_000 + number
        if number == 0:
            update = {
                "update_id": update_id,
                "message": {
                    "message_id": 1,
                    "from": user,
                    "chat": chat,
                    "date": 1,
                    "text": "/start",
                },
            }
        else:
            data = "consent.yes" if number == 1 else WALK[(number - 2) % len(WALK)]
            update = {
                "update_id": update_id,
                "callback_query": {"id": str(update_id), "from": user, "chat_instance": "1", "data": data,
                                   "message": {"message_id": 2, "chat": chat, "date": 1, "text": "…"}},
            }  # fmt: skip
        return json.dumps(update).encode()

    return body


def _ingest(kind: str, *args: str) -> tuple[LoadResult, LoadResult]:
    port = free_port()
    with running(kind, port, *args):
        peak = asyncio.run(
            closed_loop(
                port,
                "/webhooks/telegram",
                updates("peak"),
                connections=CONNECTIONS,
                seconds=SECONDS,
                warmup=1.0,
                headers=HEADERS,
            )
        )
        half = asyncio.run(
            open_loop(
                port,
                "/webhooks/telegram",
                updates("half"),
                connections=CONNECTIONS,
                rate=peak.rate / 2,
                seconds=SECONDS,
                headers=HEADERS,
            )
        )
    return peak, half


def ingest_rows() -> list[Figure]:
    with tempfile.TemporaryDirectory() as directory:
        bare = _ingest("bare")
        full = _ingest("telegram", f"sqlite:///{Path(directory) / 'tg.db'}")
    return ingest("ingest", "Telegram POST /webhooks/telegram", "updates/s", full, bare)


async def _drain(relay: OutboxRelay, engine: sa.Engine, bot: Bot) -> None:
    await bot.initialize()  # AIORateLimiter starts with the bot (one getMe to the fake)
    await drain(relay, engine)
    await bot.shutdown()


def _sender(pacing: str, url: str) -> tuple[TelegramSender, Bot]:
    if pacing == "ours":
        bot = Bot("1:bench", base_url=f"{url}/bot")
        return TelegramSender(bot), bot
    # python-telegram-bot's own limiter (30/s overall; it does not pace private chats).
    ext = ExtBot("1:bench", base_url=f"{url}/bot", rate_limiter=AIORateLimiter(max_retries=0))
    return TelegramSender(ext, Pacer(per_chat_interval=0.0, overall_per_second=1e9)), ext


def relay_row(pacing: str) -> Figure:
    server = FakeTelegram(enforce_limits=True)
    with tempfile.TemporaryDirectory() as directory, live_server(server.app) as url:  # type: ignore[arg-type]
        engine = make_engine(f"sqlite:///{Path(directory) / 'relay.db'}")
        migrate(engine)
        now = datetime.now(UTC)
        with transaction(engine) as connection:
            for chat in range(CHATS):
                outbox.enqueue(
                    connection=connection, channel="telegram", recipient=str(7_000_000 + chat), participant_id=None, inbox_id=None,
                    payloads=[Reply(text=f"viesti {n}").to_json() for n in range(PER_CHAT)], now=now,
                )  # fmt: skip
        sender, bot = _sender(pacing, url)
        relay = OutboxRelay(database=engine, senders={"telegram": sender})
        started = time.perf_counter()
        asyncio.run(_drain(relay, engine, bot))
        elapsed = time.perf_counter() - started
        engine.dispose()
    delivered = Counter((m["chat_id"], m["text"]) for m in server.sent())
    expected = CHATS * PER_CHAT
    return relay_figure(
        f"Telegram, {CHATS} chats × {PER_CHAT}, {pacing}",
        limit=30, refusal="429", refused=server.provoked_429, expected=expected,
        delivered=delivered, elapsed=elapsed,
    )  # fmt: skip


def relay_rows() -> list[Figure]:
    return [relay_row("ours"), relay_row("AIORateLimiter")]
