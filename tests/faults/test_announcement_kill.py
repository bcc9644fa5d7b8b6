"""Fault scenario: kill -9 in the middle of an announcement. An announcement to 600 Telegram
subscribers is due when the server starts; the server is SIGKILLed five times while it
queues and sends, and restarted each time. Every subscriber gets the announcement, and a
copy twice only where a kill fell between Telegram's OK and our "sent" mark (at most the
messages in flight at a kill); the announcement ends as sent, every message accounted for.
(Pacing at Telegram's limits is measured by ``make bench``.)
"""

from __future__ import annotations

import random
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.engine import make_engine
from storage.news_tables import announcement_t, delivery_t, subscription_t
from storage.tables import outbox_t, participant_t
from tests.faults.test_kill_restart import Supervisor
from tests.faults.test_sigterm import _environment, _osallistu
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import free_port, live_server

TOKEN = "123456:TEST-token"
SUBSCRIBERS = 600
KILLS = 5
PER_SECOND = 29.5  # Telegram's overall pace: the send takes 20 seconds without kills
DRAIN_SECONDS = 120
TEXT = "Demo: uusi nuorten kysely on auki."


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegram, str]]:
    server = FakeTelegram()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url


def _subscribers_and_a_due_announcement(database_url: str) -> None:
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        ids = connection.execute(
            sa.insert(participant_t).returning(participant_t.c.id),
            [
                {
                    "channel": "telegram",
                    "channel_user_id": str(700000 + n),
                    "pseudonym": f"kill-demo-{n}",
                    "locale": "fi",
                    "reachable": True,
                    "created_at": now,
                }
                for n in range(SUBSCRIBERS)
            ],
        ).scalars()
        connection.execute(
            sa.insert(subscription_t),
            [
                {
                    "participant_id": i,
                    "topic": "polls",
                    "channel": "telegram",
                    "agreed_at": now,
                    "policy_version": "2026-11",
                }
                for i in ids
            ],
        )
        connection.execute(
            sa.insert(announcement_t).values(
                topic="polls",
                texts={"fi": TEXT, "sv": TEXT, "en": TEXT},
                status="scheduled",
                send_at=now - timedelta(minutes=1),
                now_requested=True,
                created_at=now,
            )
        )
    engine.dispose()


def test_kills_in_the_middle_of_a_send_lose_nothing_and_repeat_only_what_was_in_flight(
    telegram: tuple[FakeTelegram, str], database_url: str, tmp_path: Path
) -> None:
    server, url = telegram
    port = free_port()
    env = {
        **_environment(database_url, tmp_path, port),
        "OSALLISTU_TELEGRAM_TOKEN": TOKEN,
        "OSALLISTU_TELEGRAM_WEBHOOK_SECRET": "telegram-secret-" + "x" * 32,
        "OSALLISTU_TELEGRAM_API_URL": f"{url}/bot",
        "OSALLISTU_TELEGRAM_MESSAGES_PER_SECOND": str(PER_SECOND),
        "OSALLISTU_RELAY_INTERVAL_SECONDS": "0.2",
        "OSALLISTU_RELAY_LEASE_SECONDS": "5",  # what a killed instance claimed, retried soon
    }
    subprocess.run(
        [_osallistu(), "migrate"], env=env, check=True, capture_output=True, cwd=tmp_path
    )
    _subscribers_and_a_due_announcement(database_url)
    rng = random.Random(16)
    in_flight_at_kills = 0
    sent_at_kills = []
    with Supervisor(env, tmp_path, port) as supervisor:
        started = time.monotonic()  # the first kill once sending has begun
        while not server.sent() and time.monotonic() - started < DRAIN_SECONDS:
            time.sleep(0.1)
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.5, 2.5))
            supervisor.kill()
            sent_at_kills.append(len(server.sent()))
            in_flight_at_kills += 30  # at most a second's worth claimed and unmarked
            supervisor.start()
        engine = make_engine(database_url)
        deadline = time.monotonic() + DRAIN_SECONDS
        while True:
            with engine.connect() as connection:
                status = connection.execute(sa.select(announcement_t.c.status)).scalar_one()
                waiting = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(outbox_t)
                    .where(outbox_t.c.status != "sent")
                ).scalar_one()
            if status == "sent" and waiting == 0:
                break
            assert time.monotonic() < deadline, (status, waiting)
            time.sleep(0.5)

    assert any(0 < sent < SUBSCRIBERS for sent in sent_at_kills), sent_at_kills  # mid-send
    got = Counter(str(call["chat_id"]) for call in server.sent() if call["text"].startswith(TEXT))
    everyone = {str(700000 + n) for n in range(SUBSCRIBERS)}
    assert set(got) == everyone  # nobody missed it
    twice = sum(count - 1 for count in got.values())
    assert max(got.values()) <= 2
    assert twice <= in_flight_at_kills
    print(f"\n{KILLS} kills during a send to {SUBSCRIBERS}: {twice} sent twice")
    with engine.connect() as connection:
        deliveries = connection.execute(
            sa.select(sa.func.count()).select_from(delivery_t)
        ).scalar_one()
        outbox = connection.execute(sa.select(sa.func.count()).select_from(outbox_t)).scalar_one()
    assert deliveries == SUBSCRIBERS  # one a person, across every restart
    assert outbox == SUBSCRIBERS
    engine.dispose()
