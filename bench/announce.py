"""An announcement to 10,000 Telegram subscribers while 20 residents chat: the relay's pace
against Telegram's overall limit (30 a second), with a fake Bot API that enforces it (429
beyond), and how long the residents' replies wait from queued to sent meanwhile."""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from telegram import Bot

from bench.figures import Figure
from bot.relay import OutboxRelay
from bot.services import build_services, paces
from dialogs.events import Channel
from handlers.channels import spec_of
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from storage.announcements import AnnouncementDraft
from storage.engine import make_engine, transaction
from storage.migrate import migrate
from storage.news_tables import Topic, subscription_t
from storage.tables import participant_t
from tests.conftest import make_settings
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import live_server
from tests.support.talk import Talk

SUBSCRIBERS, RESIDENTS = 10_000, 20
TELEGRAM_LIMIT = 30.0  # messages a second, overall, for one bot
TEXT = "Demo: uusi nuorten kysely on auki. Vastaa kirjoittamalla ”kysely”."
SAYINGS = ("apua", "valikko", "kieli", "tietosuoja", "valikko")


@dataclass(frozen=True)
class Run:
    announced: int  # announcement messages that arrived
    seconds: float  # from its first to its last
    all_sent: int  # every message in that span, replies included
    first_waits: list[float]  # queued → the first message of a reply arrived
    last_waits: list[float]  # queued → its last message arrived
    provoked_429: int


def _subscribers(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        ids = connection.execute(
            sa.insert(participant_t).returning(participant_t.c.id),
            [
                {"channel": "telegram", "channel_user_id": str(6_000_000 + n),
                 "pseudonym": f"bench-sub-{n}", "locale": "fi", "reachable": True,
                 "created_at": now}
                for n in range(SUBSCRIBERS)
            ],
        ).scalars()  # fmt: skip
        connection.execute(
            sa.insert(subscription_t),
            [
                {"participant_id": i, "topic": "polls", "channel": "telegram", "agreed_at": now,
                 "policy_version": "2026-11"}
                for i in ids
            ],
        )  # fmt: skip
    engine.dispose()


async def _run(url: str, database_url: str, server: FakeTelegram) -> Run:
    settings = make_settings(
        database_url,
        telegram_token="1:bench",
        telegram_webhook_secret="bench-" + "s" * 40,
        telegram_api_url=f"{url}/bot",
    )
    services = build_services(settings)
    bot = Bot("1:bench", base_url=f"{url}/bot")
    await bot.initialize()
    pacer = Pacer(
        per_chat_interval=spec_of(Channel.TELEGRAM).per_chat_interval,
        overall_per_second=settings.telegram_messages_per_second,
    )
    relay = OutboxRelay(
        database=services.database,
        senders={"telegram": TelegramSender(bot, pacer)},
        paces=paces(settings),
    )
    residents = [
        Talk(services.engine, channel=Channel.TELEGRAM, user_id=str(8_200_000 + n))
        for n in range(RESIDENTS)
    ]
    for talk in residents:  # they started and consented a while ago
        talk.start()
        talk.press_id("consent.yes")
    await relay.run_until_idle()
    now = datetime.now(UTC)
    services.announcer.announce(
        AnnouncementDraft(
            topic=Topic.POLLS,
            area_code=None,
            texts={"fi": TEXT, "sv": TEXT, "en": TEXT},
            send_at=now,
            now_requested=True,
            created_by=None,
        ),
        now=now,
    )
    await asyncio.to_thread(services.announcer.send_due, now=now)
    task = asyncio.create_task(relay.run_forever(0.2))
    queued_at: list[tuple[str, float, int]] = []  # chat, when its reply was queued, messages
    done = asyncio.Event()

    async def chat(talk: Talk, rng: random.Random) -> None:
        while not done.is_set():
            await asyncio.sleep(rng.uniform(2.0, 4.0))
            replies = await asyncio.to_thread(talk.send, rng.choice(SAYINGS))
            queued_at.append((talk.user_id, time.monotonic(), len(replies)))

    chatting = [
        asyncio.create_task(chat(talk, random.Random(n))) for n, talk in enumerate(residents)
    ]
    # The fake records what arrived; nothing signals it, so look twice a second.
    while sum(1 for params in server.sent() if params["text"].startswith(TEXT)) < SUBSCRIBERS:  # noqa: ASYNC110
        await asyncio.sleep(0.5)
    done.set()
    await asyncio.gather(*chatting)
    await asyncio.sleep(3)  # the last replies go out
    task.cancel()
    await bot.shutdown()
    services.database.dispose()

    log = [entry for entry in server.log if entry[1] == "sendMessage" and entry[3] == 200]
    announced = [
        at for (at, _m, _c, _s, _r), (_name, params) in zip(log, _sends(server), strict=True)
        if params["text"].startswith(TEXT)
    ]  # fmt: skip
    start, end = min(announced), max(announced)
    all_sent = sum(1 for at, *_ in log if start <= at <= end)
    arrivals: dict[str, list[float]] = {}
    for at, _method, chat_id, _status, _retry in log:
        arrivals.setdefault(chat_id, []).append(at)
    first_waits, last_waits = [], []
    for chat_id, at, messages in queued_at:
        after = [moment for moment in arrivals.get(chat_id, []) if moment >= at][:messages]
        if len(after) == messages:
            first_waits.append(after[0] - at)
            last_waits.append(after[-1] - at)
    return Run(
        announced=len(announced),
        seconds=end - start,
        all_sent=all_sent,
        first_waits=first_waits,
        last_waits=last_waits,
        provoked_429=server.provoked_429,
    )


def _sends(server: FakeTelegram) -> list[tuple[str, dict[str, object]]]:
    return [(name, params) for name, params in server.calls if name == "sendMessage"]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def rows() -> list[Figure]:
    server = FakeTelegram(enforce_limits=True)
    with tempfile.TemporaryDirectory() as directory, live_server(server.app) as url:  # type: ignore[arg-type]
        database_url = f"sqlite:///{Path(directory) / 'announce.db'}"
        _subscribers(database_url)
        run = asyncio.run(_run(url, database_url, server))
    rate = run.all_sent / run.seconds
    first99, last99 = _percentile(run.first_waits, 0.99), _percentile(run.last_waits, 0.99)
    return [
        Figure(
            area="relay",
            what=f"Announcement to {SUBSCRIBERS:,} Telegram subscribers, {RESIDENTS} chatting",
            result=f"{rate:.1f} msg/s",
            against=f"Telegram {TELEGRAM_LIMIT:.0f}/s",
            ratio=f"{rate / TELEGRAM_LIMIT:.2f}",
            target="≥ 0.95, 0 × 429",
            notes=f"{run.announced:,} in {run.seconds:.0f} s, 429s: {run.provoked_429}",
        ),
        Figure(
            area="relay",
            what="  residents' replies meanwhile, queued → first message sent",
            result=f"p99 {first99:.2f} s",
            target="p99 ≤ 2 s",
            p50_ms=f"{statistics.median(run.first_waits) * 1000:.0f}",
            p99_ms=f"{first99 * 1000:.0f}",
            notes=f"{len(run.first_waits)} replies; their last message p99 {last99:.2f} s"
            " (Telegram: 1 a second a chat)",
        ),
    ]
