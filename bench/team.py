"""A person in the chat: how long a staff message takes to reach Telegram while 1,000 other
messages are queued (the relay's lanes and one-second rounds, against a fake Bot API that
enforces Telegram's limits), and how fast the inbox answers with 10,000 conversations."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from telegram import Bot

from bench.figures import Figure
from bot.app import create_app
from bot.relay import OutboxRelay
from bot.services import build_services, paces
from bot.staff.auth import hash_password
from bot.team_conversations import TeamMember
from dialogs.events import Channel
from dialogs.replies import Reply
from handlers.telegram.sender import TelegramSender
from storage import outbox, staff
from storage.engine import make_engine, transaction
from storage.human_tables import human_conversation_t, human_message_t
from storage.migrate import migrate
from storage.staff_tables import Role
from storage.tables import participant_t
from tests.conftest import make_settings
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import live_server
from tests.support.team import open_team_conversation

QUEUED, STAFF_MESSAGES = 1000, 30


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _staff_latency(
    url: str, database_url: str, server: FakeTelegram, *, rounds: bool
) -> list[float]:
    settings = make_settings(
        database_url,
        telegram_token="1:bench",
        telegram_webhook_secret="bench-" + "s" * 40,
        telegram_api_url=f"{url}/bot",
        flood_burst=20,
        flood_per_minute=120,
    )
    services = build_services(settings)
    bot = Bot("1:bench", base_url=f"{url}/bot")
    await bot.initialize()
    relay = OutboxRelay(
        database=services.database,
        senders={"telegram": TelegramSender(bot)},
        # Without paces: the previous relay, 500 rows a round in the order queued.
        paces=paces(settings) if rounds else None,
    )
    # Thirty residents asked for a person a while ago: the bot's replies to them went out.
    for n in range(STAFF_MESSAGES):
        open_team_conversation(services, channel=Channel.TELEGRAM, user_id=str(8_000_000 + n))
    await relay.run_until_idle()
    # Now a thousand other messages wait, to a thousand other chats.
    now = datetime.now(UTC)
    with transaction(services.database) as connection:
        for chat in range(QUEUED):
            outbox.enqueue(
                connection=connection, channel="telegram", recipient=str(7_000_000 + chat),
                participant_id=None, inbox_id=None, payloads=[Reply(text="odottaa").to_json()],
                now=now,
            )  # fmt: skip
    task = asyncio.create_task(relay.run_forever(0.2))
    await asyncio.sleep(3)  # the queue is being worked through
    member = TeamMember(account_id=None, name="Terhi")
    sent_at: dict[str, float] = {}  # chat → when the staff member pressed send
    for n in range(STAFF_MESSAGES):
        sent_at[str(8_000_000 + n)] = time.monotonic()
        await asyncio.to_thread(
            services.team.send,
            conversation_id=n + 1,
            member=member,
            text=f"Hei, tässä Terhi ({n}).",
            now=datetime.now(UTC),
        )
        await asyncio.sleep(0.5)
    deadline = time.monotonic() + 60
    arrived: dict[str, float] = {}
    while len(arrived) < STAFF_MESSAGES and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        # The fake stamps each call with the moment it came (the same clock, this process).
        for at, method, chat, status, _retry in list(server.log):
            if (
                method == "sendMessage"
                and status == 200
                and chat in sent_at
                and at >= sent_at[chat]
            ):
                arrived.setdefault(chat, at)
    task.cancel()
    await bot.shutdown()
    services.database.dispose()
    return [arrived[chat] - sent_at[chat] for chat in arrived]


def staff_message_row(*, rounds: bool) -> Figure:
    server = FakeTelegram(enforce_limits=True)
    with tempfile.TemporaryDirectory() as directory, live_server(server.app) as url:  # type: ignore[arg-type]
        database_url = f"sqlite:///{Path(directory) / 'team.db'}"
        engine = make_engine(database_url)
        migrate(engine)
        engine.dispose()
        latencies = asyncio.run(_staff_latency(url, database_url, server, rounds=rounds))
    p99 = _percentile(latencies, 0.99) if latencies else float("inf")
    return Figure(
        area="relay",
        what=f"Staff message to Telegram, {QUEUED:,} others queued"
        + ("" if rounds else " — one FIFO queue, 500 a round (before)"),
        result=f"p99 {p99:.2f} s",
        target="p99 ≤ 2 s" if rounds else "",
        p50_ms=f"{statistics.median(latencies) * 1000:.0f}" if latencies else "",
        p99_ms=f"{p99 * 1000:.0f}",
        notes=f"{len(latencies)}/{STAFF_MESSAGES} arrived, 0 × 429: {server.provoked_429 == 0}",
    )


def _fill(database_url: str, conversations: int) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        connection.execute(
            sa.insert(participant_t),
            [
                {"channel": "webchat", "channel_user_id": f"bench-{n}", "pseudonym": f"b{n}",
                 "reachable": True, "created_at": now}
                for n in range(conversations)
            ],
        )  # fmt: skip
        ids = list(connection.execute(sa.select(participant_t.c.id)).scalars())
        statuses = ("waiting", "open", "closed", "closed", "closed")
        connection.execute(
            sa.insert(human_conversation_t),
            [
                {"participant_id": pid, "channel": "webchat", "language": "fi",
                 "status": statuses[n % 5], "origin": "asked", "unread": n % 3,
                 "opened_at": now - timedelta(minutes=n), "last_activity_at": now,
                 "closed_at": now if statuses[n % 5] == "closed" else None,
                 "assigned_account_id": None}
                for n, pid in enumerate(ids)
            ],
        )  # fmt: skip
        conversation_ids = list(connection.execute(sa.select(human_conversation_t.c.id)).scalars())
        connection.execute(
            sa.insert(human_message_t),
            [
                {"conversation_id": cid, "author": "resident", "text": "Hei, tarvitsen apua.",
                 "created_at": now}
                for cid in conversation_ids
                for _ in range(3)
            ],
        )  # fmt: skip
        staff.add_account(
            connection=connection, email="bench@example.org", role=Role.OUTREACH,
            password_hash=hash_password("bench-password"), now=now,
        )  # fmt: skip
    if engine.dialect.name == "postgresql":  # a database in use has its statistics
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    engine.dispose()


def inbox_row(database_url: str, label: str, conversations: int = 10_000) -> Figure:
    _fill(database_url, conversations)
    settings = make_settings(database_url, staff_secure_cookies=False)
    services = build_services(settings)
    client = TestClient(create_app(settings, services=services))
    page = client.get("/staff/login")
    token = page.text.split('name="csrf" value="')[1].split('"')[0]
    client.post(
        "/staff/login",
        data={"email": "bench@example.org", "password": "bench-password", "csrf": token},
    )
    for view in ("waiting", "mine", "closed"):  # warm: the first request compiles templates
        client.get(f"/staff/conversations?view={view}")
    times = []
    for view in ["waiting", "mine", "closed"] * 20:
        started = time.perf_counter()
        response = client.get(f"/staff/conversations?view={view}")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    services.database.dispose()
    p99 = _percentile(times, 0.99) * 1000
    return Figure(
        area="query",
        what=f"Staff inbox, {conversations:,} conversations ({label})",
        result=f"p99 {p99:.0f} ms",
        target="≤ 100 ms",
        p50_ms=f"{statistics.median(times) * 1000:.1f}",
        p99_ms=f"{p99:.1f}",
    )


def run(postgres: str | None) -> list[Figure]:
    rows = [staff_message_row(rounds=True), staff_message_row(rounds=False)]
    with tempfile.TemporaryDirectory() as directory:
        rows.append(inbox_row(f"sqlite:///{Path(directory) / 'inbox.db'}", "SQLite"))
    if postgres:
        engine = make_engine(postgres)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        rows.append(inbox_row(postgres, "PostgreSQL"))
    return rows
