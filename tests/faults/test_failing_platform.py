"""Fault scenario 3, a slow and failing platform: the fake Bot API answers 503 to about a
third of the sends, some only after 10 s (longer than the client waits), drops some
connections halfway through the response, and answers bursts of 429 with ``retry_after``. Residents' requests stay fast (the webhook never waits for Telegram), no
send comes before its ``retry_after``, no message takes more than 8 attempts, and the outbox
drains once the platform recovers."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import build_services
from storage.tables import outbox_t
from tests.conftest import make_settings
from tests.handlers import telegram_updates as tg
from tests.support.fake_telegram import PASS, Failure, FakeTelegram
from tests.support.live_server import live_server

SECRET = "telegram-secret-" + "x" * 32
PEOPLE = 12
TOLERANCE = 0.05  # seconds: timer and clock granularity between two processes' clocks


@pytest.fixture
def telegram() -> Iterator[tuple[FakeTelegram, str]]:
    server = FakeTelegram()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url


def _chaos(rng: random.Random, count: int) -> list[Failure]:
    failures = []
    for n in range(count):
        roll = rng.random()
        if n % 25 < 3:  # a burst of 429s
            failures.append(Failure(429, "Too Many Requests: retry after 2", retry_after=2))
        elif roll < 0.3:
            failures.append(Failure(503, "Service Unavailable"))
        elif roll < 0.35:
            failures.append(Failure(503, "Gateway Timeout", delay=10.0))  # beyond the 5 s wait
        elif roll < 0.4:
            failures.append(Failure(200, "dropped", drop=True))
        else:
            failures.append(Failure(PASS, "through"))
    return failures


def test_a_failing_platform_slows_nothing_loses_nothing_and_drains(
    telegram: tuple[FakeTelegram, str], database_url: str, tmp_path: Path
) -> None:
    server, url = telegram
    settings = make_settings(
        database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret=SECRET,
        telegram_api_url=f"{url}/bot",
        relay_interval_seconds=0.2,
        media_dir=tmp_path / "media",
    )
    services = build_services(settings)
    rng = random.Random(3)
    chaos = _chaos(rng, 150)
    latencies: list[float] = []
    with (
        live_server(create_app(settings, services=services)) as base,
        httpx.Client(base_url=base) as client,
    ):
        # The platform fails from now on, in the pattern above (passing calls through between).
        server.fail_next("sendMessage", *chaos)
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        update_id = 0
        for step in (tg.command(1, "/start"), tg.text(2, "apua"), tg.text(3, "ohjeet")):
            for person in range(PEOPLE):
                update_id += 1
                update = {**step, "update_id": update_id}
                update["message"] = {
                    **step["message"],
                    "from": {**step["message"]["from"], "id": 800_000 + person},
                    "chat": {**step["message"]["chat"], "id": 800_000 + person},
                }
                started = time.perf_counter()
                response = client.post("/webhooks/telegram", json=update, headers=headers)
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200
        deadline = time.monotonic() + 120
        while True:
            with services.database.connect() as connection:
                rows = connection.execute(sa.select(outbox_t.c.status, outbox_t.c.attempts)).all()
            if all(status in ("sent", "dead") for status, _ in rows):
                break
            assert time.monotonic() < deadline, "the outbox did not drain within two minutes"
            time.sleep(0.5)
    services.database.dispose()

    p99 = statistics.quantiles(latencies, n=100)[98]
    assert p99 < 0.3, f"webhook p99 {p99 * 1000:.0f} ms while the platform failed"
    faults = {status for _, method, _, status, _ in server.log if method == "sendMessage"}
    assert {0, 429, 503} <= faults, "dropped connections, 429s and 503s all happened"
    assert {status for status, _ in rows} == {"sent"}, "every message got through in the end"
    assert max(attempts for _, attempts in rows) <= 8
    # No send to a chat before the retry_after its last 429 asked for.
    not_before: dict[str, float] = {}
    for moment, method, chat, status, retry_after in server.log:
        if method != "sendMessage":
            continue
        assert moment >= not_before.get(chat, 0.0) - TOLERANCE, f"chat {chat} retried too soon"
        if status == 429 and retry_after is not None:
            not_before[chat] = moment + retry_after
