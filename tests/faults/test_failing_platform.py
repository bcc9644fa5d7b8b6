"""Fault scenario 3, slow and failing platforms: the fake Bot API and the fake Graph API
answer 503 (Meta: code 2) to about a third of the sends, some only after 10 s (longer than
the clients wait), drop some connections halfway through the response, and answer bursts of
429 with ``retry_after`` (Meta: 613, which has none). Residents' requests stay fast (the
webhooks never wait for a platform), no Telegram send comes before its ``retry_after``, no
message takes more than 8 attempts, and the outbox drains once the platforms recover."""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from pathlib import Path

import httpx
import sqlalchemy as sa

from bot.app import create_app
from bot.services import build_services
from storage.tables import outbox_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.handlers import telegram_updates as tg
from tests.support.fake_graph import PASS as GRAPH_PASS
from tests.support.fake_graph import FakeGraph, GraphError
from tests.support.fake_telegram import PASS, Failure, FakeTelegram
from tests.support.live_server import live_server

SECRET = "telegram-secret-" + "x" * 32
APP_SECRET = b"meta-app-secret-" + b"a" * 32
PEOPLE = 12
TOLERANCE = 0.05  # seconds: timer and clock granularity between two processes' clocks


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


def _graph_chaos(rng: random.Random, count: int) -> list[GraphError]:
    failures = []
    for n in range(count):
        roll = rng.random()
        if n % 25 < 3:  # a burst of rate-limit refusals
            failures.append(GraphError(400, 613, 2534040, "Calls to this api have exceeded"))
        elif roll < 0.3:
            failures.append(GraphError(503, 2, None, "Service temporarily unavailable"))
        elif roll < 0.35:
            failures.append(GraphError(503, 2, None, "slow", delay=12.0))  # beyond the 10 s wait
        elif roll < 0.4:
            failures.append(GraphError(200, 0, None, "dropped", drop=True))
        else:
            failures.append(GRAPH_PASS)
    return failures


def _messenger(client: httpx.Client, person: int, n: int, text: str) -> httpx.Response:
    item = meta.text(n, text, sender=f"2500000000{person:06d}")
    body = meta.delivery([item])
    return client.post("/webhooks/meta", content=body, headers=meta.signed(body, APP_SECRET))


def test_failing_platforms_slow_nothing_lose_nothing_and_drain(
    fake_telegram: tuple[FakeTelegram, str],
    fake_graph: tuple[FakeGraph, str],
    database_url: str,
    tmp_path: Path,
) -> None:
    server, url = fake_telegram
    graph_server, graph_url = fake_graph
    settings = make_settings(
        database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret=SECRET,
        telegram_api_url=f"{url}/bot",
        meta_app_secret=APP_SECRET.decode(),
        meta_verify_token="verify-" + "v" * 32,
        meta_page_access_token="page-token-" + "p" * 40,
        graph_api_url=graph_url,
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
        # The platforms fail from now on, in the patterns above (passing calls through between).
        server.fail_next("sendMessage", *chaos)
        graph_server.fail_next(*_graph_chaos(rng, 150))
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
                started = time.perf_counter()
                text = step["message"]["text"]
                response = _messenger(
                    client, person, update_id, "hei" if text == "/start" else text
                )
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200
        deadline = time.monotonic() + 120
        while True:
            with services.database.connect() as connection:
                rows = connection.execute(
                    sa.select(outbox_t.c.status, outbox_t.c.attempts, outbox_t.c.channel)
                ).all()
            if all(status in ("sent", "dead") for status, _, _ in rows):
                break
            left = Counter((c, s, a) for s, a, c in rows if s not in ("sent", "dead"))
            # What is left, by channel, status and attempts: what an engineer would look at.
            assert time.monotonic() < deadline, f"not drained within two minutes: {left}"
            time.sleep(0.5)
    services.database.dispose()

    p99 = statistics.quantiles(latencies, n=100)[98]
    assert p99 < 0.3, f"webhook p99 {p99 * 1000:.0f} ms while the platform failed"
    faults = {status for _, method, _, status, _ in server.log if method == "sendMessage"}
    assert {0, 429, 503} <= faults, "dropped connections, 429s and 503s all happened"
    graph_faults = {r["status"] for r in graph_server.requests}
    assert {0, 400, 503} <= graph_faults, "Meta too dropped, refused and failed"
    assert {channel for _, _, channel in rows} == {"telegram", "messenger"}
    assert {status for status, _, _ in rows} == {"sent"}, "every message got through in the end"
    assert max(attempts for _, attempts, _ in rows) <= 8
    # No send to a chat before the retry_after its last 429 asked for. The fake logs a slow
    # answer when it is given, with the moment the request came: read the log in that order.
    not_before: dict[str, float] = {}
    for moment, method, chat, status, retry_after in sorted(server.log, key=lambda e: e[0]):
        if method != "sendMessage":
            continue
        assert moment >= not_before.get(chat, 0.0) - TOLERANCE, f"chat {chat} retried too soon"
        if status == 429 and retry_after is not None:
            not_before[chat] = moment + retry_after
