"""Fault scenario 4, two instances on PostgreSQL: two ``osallistu serve`` processes share one
database, each running the outbox relay and the scheduler. Telegram traffic lands on both;
every queued reply reaches the fake Bot API exactly once (``FOR UPDATE SKIP LOCKED``), and
the weekly summaries made at start-up exist once each and reach the staff chat once."""

from __future__ import annotations

import copy
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from storage.engine import make_engine
from storage.staff_tables import summary_t
from storage.tables import outbox_t
from tests.faults.test_sigterm import _environment, _osallistu
from tests.handlers import telegram_updates as tg
from tests.support.databases import postgres_engine
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import free_port

TOKEN = "123456:TEST-token"
SECRET = "telegram-secret-" + "x" * 32
PEOPLE = 30


@pytest.fixture
def postgres_url() -> str:
    engine = postgres_engine()  # a migrated, emptied test database
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return url


def _as_person(update: dict, person: int) -> dict:  # type: ignore[type-arg]
    update = copy.deepcopy(update)
    body = update.get("message") or update["callback_query"]
    body["from"] = {**body["from"], "id": 700_000 + person}
    if "chat" in body:
        body["chat"] = {**body["chat"], "id": 700_000 + person}
    if "message" in body:  # a pressed button: the message it was on is in the person's chat
        body["message"]["chat"] = {**body["message"]["chat"], "id": 700_000 + person}
    return update


def _start(port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [_osallistu(), "serve"],
        env={**env, "OSALLISTU_PORT": str(port)},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "an instance did not start"
        time.sleep(0.1)


def test_two_instances_send_every_reply_once_and_make_each_summary_once(
    postgres_url: str, fake_telegram: tuple[FakeTelegram, str], tmp_path: Path
) -> None:
    server, url = fake_telegram
    env = {
        **_environment(postgres_url, tmp_path, 0),
        "OSALLISTU_TELEGRAM_TOKEN": TOKEN,
        "OSALLISTU_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "OSALLISTU_TELEGRAM_API_URL": f"{url}/bot",
        "OSALLISTU_STAFF_TELEGRAM_CHAT_ID": "-100999",
        "OSALLISTU_WEEKLY_SUMMARY_ENABLED": "true",
        "OSALLISTU_RELAY_INTERVAL_SECONDS": "0.2",
    }
    ports = [free_port(), free_port()]
    instances = [_start(port, env, tmp_path) for port in ports]
    try:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        script = [tg.command(1, "/start"), tg.callback(2, "consent.yes"), tg.callback(3, "help")]
        update_id = 0
        for step in script:
            for person in range(PEOPLE):
                update_id += 1
                update = {**_as_person(step, person), "update_id": update_id}
                port = ports[update_id % 2]  # a person's updates land on either instance
                response = httpx.post(
                    f"http://127.0.0.1:{port}/webhooks/telegram", json=update, headers=headers
                )
                assert response.status_code == 200
        engine = make_engine(postgres_url)
        deadline = time.monotonic() + 90
        while True:
            with engine.connect() as connection:
                pending = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(outbox_t)
                    .where(outbox_t.c.status != "sent", outbox_t.c.status != "dead")
                ).scalar_one()
            documents = len(server.sent("sendDocument"))
            if pending == 0 and documents >= 4:
                break
            assert time.monotonic() < deadline, f"{pending} replies still pending"
            time.sleep(0.5)
        time.sleep(1.0)  # a duplicate send, if any, would show up now
        with engine.connect() as connection:
            payloads = list(connection.execute(sa.select(outbox_t.c.payload)).scalars())
            summaries = connection.execute(
                sa.select(summary_t.c.week, summary_t.c.format, summary_t.c.status)
            ).all()
        engine.dispose()
    finally:
        for process in instances:
            process.terminate()
        for process in instances:
            process.wait(timeout=15)

    sent = server.sent("sendMessage")
    receipts = sum(1 for payload in payloads if "receipt" in payload)
    assert len(sent) == len(payloads) - receipts, f"{len(sent)} sends for {len(payloads)} rows"
    assert len(server.sent("answerCallbackQuery")) == receipts
    per_chat = Counter(params["chat_id"] for params in sent)
    assert len(per_chat) == PEOPLE
    assert len(summaries) == 4 and {s.status for s in summaries} == {"done"}
    names = [d["document"]["filename"] for d in server.sent("sendDocument")]
    assert len(names) == 4 and len(set(names)) == 4  # each file once, whichever instance made it
