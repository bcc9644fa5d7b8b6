"""The logs of a busy hour hold no message text, token, secret, e-mail address, phone number
or raw platform id: residents talk on Telegram, Messenger and the web chat, the relay sends
through the fake platforms (one failure included), staff sign in, fail, answer and export."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.services import Services, build_services
from bot.staff.auth import hash_password
from storage import staff
from storage.engine import transaction
from storage.staff_tables import Role
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.handlers import telegram_updates as tg
from tests.staff.conftest import csrf_of, login_form
from tests.support.fake_graph import FakeGraph, GraphError
from tests.support.fake_telegram import Failure, FakeTelegram
from tests.support.live_server import live_server

TOKEN = "123456:SECRET-telegram-token-abcdefghijklmnop"
WEBHOOK_SECRET = "telegram-webhook-secret-" + "w" * 20
APP_SECRET = "meta-app-secret-" + "a" * 32
PAGE_TOKEN = "page-token-" + "p" * 40
TEXT = "Salainen ajatukseni puistosta ja penkeistä"
EMAIL = "maija.meikalainen@example.org"
PHONE = "040 765 4321"
STAFF_PASSWORD = "staff-password-that-is-long"
FORBIDDEN = [
    TOKEN,
    TOKEN.split(":")[1],
    WEBHOOK_SECRET,
    APP_SECRET,
    PAGE_TOKEN,
    STAFF_PASSWORD,
    TEXT,
    "Salainen",
    EMAIL,
    "maija.meikalainen",
    PHONE,
    "0407654321",
    str(tg.USER["id"]),
    meta.PSID,
    "web-session-hygiene",
]
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE_PATTERN = re.compile(r"\b0\d{1,2}[ -]?\d{3}[ -]?\d{3,4}\b")


@pytest.fixture
def fakes() -> Iterator[tuple[FakeTelegram, str, FakeGraph, str]]:
    telegram, graph = FakeTelegram(), FakeGraph()
    with live_server(telegram.app) as t_url, live_server(graph.app) as g_url:  # type: ignore[arg-type]
        yield telegram, t_url, graph, g_url


@pytest.fixture
def busy(
    fakes: tuple[FakeTelegram, str, FakeGraph, str], sqlite_database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _, t_url, _, g_url = fakes
    services = build_services(
        make_settings(
            sqlite_database_url,
            telegram_token=TOKEN,
            telegram_webhook_secret=WEBHOOK_SECRET,
            telegram_api_url=f"{t_url}/bot",
            meta_app_secret=APP_SECRET,
            meta_verify_token="verify-" + "v" * 32,
            meta_page_access_token=PAGE_TOKEN,
            graph_api_url=g_url,
            media_dir=tmp_path / "media",
            export_dir=tmp_path / "exports",
            staff_telegram_chat_id="-1001234",
        )
    )
    with transaction(services.database) as connection:
        staff.add_account(
            connection=connection,
            email="moderaattori@example.org",
            role=Role.MODERATOR,
            password_hash=hash_password(STAFF_PASSWORD),
            now=__import__("datetime").datetime.now(__import__("datetime").UTC),
        )
    yield services
    services.database.dispose()


async def test_a_busy_hour_leaves_nothing_personal_or_secret_in_the_logs(
    busy: Services,
    fakes: tuple[FakeTelegram, str, FakeGraph, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram, _, graph, _ = fakes
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(busy.settings, services=busy), base_url="https://testserver")
    assert busy.telegram is not None
    await busy.telegram.initialize()
    secret = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    updates = [
        tg.command(1, "/start"),
        tg.callback(2, "consent.yes"),
        tg.callback(3, "ideas"),
        tg.callback(4, "theme.young"),
        tg.callback(5, "area.centre"),
        tg.text(6, TEXT),
        tg.sticker(7),
        tg.without_is_bot(8),
        tg.callback(9, "idea.nophoto"),
        tg.callback(10, "idea.contact.yes"),
        tg.text(11, "Maija"),
        tg.callback(12, "how.email"),
        tg.text(13, EMAIL),
        tg.callback(14, "idea.send"),
        tg.callback(15, "menu"),
        tg.callback(16, "contact"),
        tg.callback(17, "contact.start"),
        tg.text(18, "Maija"),
        tg.callback(19, "how.phone"),
        tg.text(20, PHONE),
        tg.text(21, "iltaisin"),
        tg.text(22, TEXT),
        tg.callback(23, "contact.send"),
    ]
    for update in updates:
        assert client.post("/webhooks/telegram", json=update, headers=secret).status_code == 200
    for item in (meta.text(1, TEXT), meta.quick_reply(2, "consent.yes"), meta.text(3, EMAIL)):
        body = meta.delivery([item])
        response = client.post(
            "/webhooks/meta", content=body, headers=meta.signed(body, APP_SECRET.encode())
        )
        assert response.status_code == 200
    session = {"session": "web-session-hygiene"}
    for body in ({"text": "/start"}, {"choice": "consent.yes"}, {"text": TEXT}, {"text": PHONE}):
        assert client.post("/webchat/messages", json={**session, **body}).status_code == 200
    telegram.fail_next(
        "sendMessage", Failure(429, "Too Many Requests: retry after 1", retry_after=1)
    )
    graph.fail_next(GraphError(400, 190, message="Invalid OAuth access token."))
    await busy.relay.run_until_idle()
    assert (
        client.post(
            "/staff/login",
            data=login_form(client, email="moderaattori@example.org", password="wrong"),
        ).status_code
        == 401
    )
    client.post(
        "/staff/login",
        data=login_form(client, email="moderaattori@example.org", password=STAFF_PASSWORD),
    )
    token = csrf_of(client, "/staff/ideas/1")
    client.post("/staff/ideas/1/answer", data={"csrf": token, "answer": f"Kiitos! {TEXT}"})
    client.post("/staff/exports", data={"csrf": token, "kind": "ideas", "format": "csv"})
    await busy.relay.run_until_idle()
    await busy.telegram.shutdown()

    assert caplog.records, "the scenario should log something"
    lines = []
    for record in caplog.records:
        line = record.getMessage()
        if record.exc_info:
            line += "\n" + logging.Formatter().formatException(record.exc_info)
        lines.append(f"{record.name}: {line}")
    text = "\n".join(lines)
    for needle in FORBIDDEN:
        assert needle not in text, f"{needle!r} leaked into the logs"
    assert not EMAIL_PATTERN.search(text), EMAIL_PATTERN.search(text)
    assert not PHONE_PATTERN.search(text), PHONE_PATTERN.search(text)
