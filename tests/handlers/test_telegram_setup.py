"""Telegram's one-off settings from the CLI, and long polling for development."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import cli
from bot.services import build_services
from handlers.telegram.polling import poll_forever
from storage.tables import inbox_t, outbox_t
from tests.conftest import make_settings
from tests.handlers import telegram_updates as tg
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import live_server

SECRET = "telegram-secret-" + "z" * 32


@pytest.fixture
def environment(
    fake_telegram: tuple[FakeTelegram, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FakeTelegram:
    server, url = fake_telegram
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("OSALLISTU_TELEGRAM_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("OSALLISTU_TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("OSALLISTU_TELEGRAM_API_URL", f"{url}/bot")
    return server


def test_set_webhook_sends_the_secret_and_the_options(environment: FakeTelegram) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "telegram",
            "set-webhook",
            "--url",
            "https://bot.example.org/webhooks/telegram",
            "--drop-pending-updates",
        ],
    )
    assert result.exit_code == 0, result.output
    (call,) = environment.sent("setWebhook")
    assert call["url"] == "https://bot.example.org/webhooks/telegram"
    assert call["secret_token"] == SECRET
    assert call["drop_pending_updates"] is True
    assert call["allowed_updates"] == [
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
    ]


def test_set_commands_in_every_language(environment: FakeTelegram) -> None:
    result = CliRunner().invoke(cli, ["telegram", "set-commands"])
    assert result.exit_code == 0, result.output
    calls = {
        call.get("language_code"): call["commands"] for call in environment.sent("setMyCommands")
    }
    assert set(calls) == {"fi", "sv", "en", None}
    assert {"command": "menu", "description": "Päävalikko"} in calls["fi"]
    assert {"command": "menu", "description": "Huvudmeny"} in calls["sv"]
    assert calls[None] == calls["fi"]


async def test_polling_feeds_updates_through_the_same_path(
    fake_telegram: tuple[FakeTelegram, str], sqlite_database_url: str, tmp_path: Path
) -> None:
    server, url = fake_telegram
    server.updates.extend([tg.command(1, "/start"), tg.callback(2, "consent.yes")])
    services = build_services(
        make_settings(
            sqlite_database_url,
            telegram_token="123456:TEST-token",
            telegram_webhook_secret=SECRET,
            telegram_api_url=f"{url}/bot",
            media_dir=tmp_path,
        )
    )
    assert services.telegram_bot is not None
    task = asyncio.create_task(poll_forever(services.telegram_bot, services.runner))
    for _ in range(100):
        await asyncio.sleep(0.05)
        with services.database.connect() as connection:
            if (
                connection.execute(sa.select(sa.func.count()).select_from(inbox_t)).scalar_one()
                == 2
            ):
                break
    task.cancel()
    with services.database.connect() as connection:
        texts = [
            row.payload.get("text") for row in connection.execute(sa.select(outbox_t.c.payload))
        ]
    assert "Mitä haluat tehdä?" in texts
    assert server.sent("deleteWebhook")  # getUpdates does not work while a webhook is set
    await services.telegram_bot.shutdown()
    services.database.dispose()


def test_the_app_starts_python_telegram_bot_in_its_lifespan(
    fake_telegram: tuple[FakeTelegram, str], sqlite_database_url: str, tmp_path: Path
) -> None:
    import httpx

    from bot.app import create_app

    server, url = fake_telegram
    for api in (f"{url}/bot", "http://127.0.0.1:9/bot"):  # reachable, then not: it starts anyway
        services = build_services(
            make_settings(
                sqlite_database_url,
                telegram_token="123456:TEST-token",
                telegram_webhook_secret=SECRET,
                telegram_api_url=api,
                media_dir=tmp_path,
            )
        )
        with live_server(create_app(services.settings, services=services)) as base:
            assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert len(server.sent("getMe")) == 1
