"""A person in the chat on Telegram and Messenger, against fake platforms on 127.0.0.1:
the staff member's name on their messages, Meta's windows and the HUMAN_AGENT tag (only on
what a person wrote, only with the setting), Messenger's Page Inbox handover and standby."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from telegram import Bot

from bot.services import Services, build_services
from dialogs.events import Channel
from handlers.meta.parse import parse_delivery
from handlers.meta.spec import PAGE_INBOX_APP_ID
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from storage import staff
from storage.engine import transaction
from storage.human_tables import human_conversation_t, human_message_t
from storage.staff_tables import Role
from storage.tables import inbox_t, outbox_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.support.fake_graph import FakeGraph
from tests.support.fake_telegram import FakeTelegram
from tests.support.team import ALWAYS, open_team_conversation, set_service_hours

NAME = "Terhi, Yhdessä osallistuen"
PAGE_TOKEN = "page-token-" + "p" * 40


def _worker(services: Services) -> int:
    with transaction(services.database) as connection:
        account = staff.add_account(
            connection=connection,
            email="terhi@example.org",
            role=Role.OUTREACH,
            password_hash="x",
            now=datetime.now(UTC),
        )
        staff.set_display_name(connection=connection, account_id=account, name=NAME)
    return account


def _write(services: Services, account: int, text: str, conversation_id: int = 1) -> None:
    team = services.team
    team.send(
        conversation_id=conversation_id,
        member=team.member(account_id=account),
        text=text,
        now=datetime.now(UTC),
    )


# Telegram ------------------------------------------------------------------------------


@pytest.fixture
def telegram_services(
    fake_telegram: tuple[FakeTelegram, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _server, url = fake_telegram
    settings = make_settings(
        database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret="telegram-secret-" + "y" * 32,
        telegram_api_url=f"{url}/bot",
        media_dir=tmp_path,
    )
    fast = TelegramSender(
        Bot("123456:TEST-token", base_url=f"{url}/bot"),
        Pacer(per_chat_interval=0.01, overall_per_second=1000),
    )
    built = build_services(settings, senders={"telegram": fast})
    yield built
    built.database.dispose()


async def test_on_telegram_the_worker_writes_by_name_they_talk_and_the_bot_returns(
    telegram_services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, _ = fake_telegram
    services = telegram_services
    account = _worker(services)
    resident = open_team_conversation(services, channel=Channel.TELEGRAM, user_id="777010")
    await services.relay.run_until_idle()
    assert server.sent()[-1]["text"] == "Lähetetty tiimille. Ihminen vastaa sinulle tässä."
    before = len(server.sent())
    _write(services, account, "Hei! Miten voin auttaa?")
    await services.relay.run_until_idle()
    (message,) = server.sent()[before:]
    assert message["text"] == f"<b>{NAME}</b>\nHei! Miten voin auttaa?"
    assert resident.send("Lomakkeen kanssa.") == []  # to the worker, no answer from the bot
    await services.relay.run_until_idle()
    assert len(server.sent()) == before + 1
    services.team.close(conversation_id=1, by="staff", now=datetime.now(UTC))  # type: ignore[arg-type]
    await services.relay.run_until_idle()
    assert server.sent()[-1]["text"] == "Tiimi lopetti keskustelun. Puhut taas botin kanssa."
    assert resident.send("valikko")[-1].text == "Mitä haluat tehdä?"


# Messenger -----------------------------------------------------------------------------


def _meta_services(url: str, database_url: str, tmp_path: Path, **extra: object) -> Services:
    return build_services(
        make_settings(
            database_url,
            meta_app_secret="meta-app-secret-" + "a" * 32,
            meta_verify_token="verify-" + "v" * 32,
            meta_page_access_token=PAGE_TOKEN,
            graph_api_url=url,
            media_dir=tmp_path,
            **extra,
        )
    )


@pytest.fixture
def messenger(
    fake_graph: tuple[FakeGraph, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    built = _meta_services(fake_graph[1], database_url, tmp_path)
    yield built
    built.database.dispose()


@pytest.fixture
def messenger_human_agent(
    fake_graph: tuple[FakeGraph, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    built = _meta_services(fake_graph[1], database_url, tmp_path, meta_human_agent=True)
    yield built
    built.database.dispose()


def handle(services: Services, *items: dict) -> None:  # type: ignore[type-arg]
    delivery = json.loads(meta.delivery(list(items)))
    for parsed in parse_delivery(delivery):
        services.engine.handle(parsed)  # type: ignore[arg-type]


def _messenger_conversation(services: Services) -> None:
    set_service_hours(services, ALWAYS)
    handle(services, meta.text(1, "hei"))
    handle(services, meta.quick_reply(2, "consent.yes"))
    handle(services, meta.text(3, "ihminen"))
    handle(services, meta.text(4, "Tarvitsen apua."))


def wrote_days_ago(services: Services, days: float) -> None:
    with services.database.begin() as connection:
        connection.execute(
            sa.update(inbox_t).values(received_at=datetime.now(UTC) - timedelta(days=days))
        )


def _sent_by_staff(server: FakeGraph) -> list[dict]:  # type: ignore[type-arg]
    return [b for b in server.messages if NAME in b["message"].get("text", "")]


async def test_inside_24_hours_a_staff_message_is_a_response_signed_by_name(
    messenger: Services, fake_graph: tuple[FakeGraph, str]
) -> None:
    server, _ = fake_graph
    account = _worker(messenger)
    _messenger_conversation(messenger)
    _write(messenger, account, "Hei, autan!")
    await messenger.relay.run_until_idle()
    (sent,) = _sent_by_staff(server)
    assert sent["messaging_type"] == "RESPONSE" and "tag" not in sent
    assert sent["message"]["text"] == f"{NAME}:\nHei, autan!"


async def test_between_24_hours_and_7_days_only_a_person_writes_with_human_agent(
    messenger_human_agent: Services, fake_graph: tuple[FakeGraph, str]
) -> None:
    server, _ = fake_graph
    services = messenger_human_agent
    account = _worker(services)
    _messenger_conversation(services)
    await services.relay.run_until_idle()
    wrote_days_ago(services, 2)
    before = len(server.messages)
    _write(services, account, "Hei, palaan asiaan.")
    services.team.close(conversation_id=1, by="staff", now=datetime.now(UTC))  # type: ignore[arg-type]
    await services.relay.run_until_idle()
    sent = server.messages[before:]
    assert [b["message"]["text"] for b in sent] == [f"{NAME}:\nHei, palaan asiaan."]
    assert sent[0]["messaging_type"] == "MESSAGE_TAG" and sent[0]["tag"] == "HUMAN_AGENT"
    with services.database.connect() as connection:
        held = connection.execute(
            sa.select(outbox_t.c.payload).where(outbox_t.c.status == "held")
        ).scalars()
        assert [p["text"] for p in held] == [  # the bot's own words never get the tag
            "Tiimi lopetti keskustelun. Puhut taas botin kanssa."
        ]
    assert all("tag" not in b for b in server.messages[:before])


@pytest.mark.parametrize(("human_agent", "days"), [(False, 2), (True, 8)])
async def test_without_the_setting_or_after_7_days_the_message_waits_for_the_resident(
    fake_graph: tuple[FakeGraph, str],
    database_url: str,
    tmp_path: Path,
    human_agent: bool,
    days: float,
) -> None:
    server, url = fake_graph
    services = _meta_services(url, database_url, tmp_path, meta_human_agent=human_agent)
    account = _worker(services)
    _messenger_conversation(services)
    await services.relay.run_until_idle()
    wrote_days_ago(services, days)
    before = len(server.messages)
    _write(services, account, "Hei, vastaan viiveellä.")
    await services.relay.run_until_idle()
    assert server.messages[before:] == []  # held, not sent with a tag it may not use
    handle(services, meta.text(50, "Oletko siellä?"))
    await services.relay.run_until_idle()
    assert [b["message"]["text"] for b in server.messages[before:]] == [
        f"{NAME}:\nHei, vastaan viiveellä."
    ]
    services.database.dispose()


@pytest.fixture
def page_inbox(
    fake_graph: tuple[FakeGraph, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    built = _meta_services(fake_graph[1], database_url, tmp_path, meta_page_inbox_handover=True)
    yield built
    built.database.dispose()


async def test_messenger_hands_the_thread_to_the_page_inbox_and_gets_it_back(
    page_inbox: Services, fake_graph: tuple[FakeGraph, str]
) -> None:
    server, _ = fake_graph
    services = page_inbox
    _messenger_conversation(services)
    await services.relay.run_until_idle()
    (call, body) = server.handovers[0]
    assert call == "pass_thread_control"
    assert body["recipient"]["id"] == meta.PSID and body["target_app_id"] == PAGE_INBOX_APP_ID
    # The person writes while the Page Inbox has the thread; the team answers there.
    standby = {
        "object": "page",
        "entry": [
            {
                "id": meta.PAGE_ID,
                "time": meta.TIME,
                "standby": [
                    meta.item(10, message={"mid": "m_s1", "text": "Onko joku paikalla?"}),
                    {
                        "sender": {"id": meta.PAGE_ID},
                        "recipient": {"id": meta.PSID},
                        "timestamp": meta.TIME + 11,
                        "message": {
                            "mid": "m_s2",
                            "text": "Täällä ollaan!",
                            "is_echo": True,
                            "app_id": PAGE_INBOX_APP_ID,
                        },
                    },
                ],
            }
        ],
    }
    sent_before = len(server.messages)
    for parsed in parse_delivery(standby):
        services.engine.handle(parsed)  # type: ignore[arg-type]
    await services.relay.run_until_idle()
    assert len(server.messages) == sent_before  # standby is never answered by the bot
    with services.database.connect() as connection:
        said = list(
            connection.execute(
                sa.select(human_message_t.c.author, human_message_t.c.text).order_by(
                    human_message_t.c.id
                )
            )
        )
    assert said[-2:] == [("resident", "Onko joku paikalla?"), ("staff", "Täällä ollaan!")]
    # The Page Inbox passes the thread back: the team is done, the bot is here.
    handle(
        services,
        meta.item(12, pass_thread_control={"new_owner_app_id": 1517, "metadata": "done"}),
    )
    await services.relay.run_until_idle()
    texts = [b["message"].get("text", "") for b in server.messages[-2:]]
    assert texts == ["Puhut taas botin kanssa.", "Mitä haluat tehdä?"]
    with services.database.connect() as connection:
        assert connection.execute(sa.select(human_conversation_t.c.closed_by)).scalar() == "inbox"


async def test_a_staff_message_from_our_inbox_takes_the_thread_back_first(
    page_inbox: Services, fake_graph: tuple[FakeGraph, str]
) -> None:
    server, _ = fake_graph
    account = _worker(page_inbox)
    _messenger_conversation(page_inbox)
    await page_inbox.relay.run_until_idle()
    _write(page_inbox, account, "Vastaan täältä.")
    await page_inbox.relay.run_until_idle()
    assert [call for call, _ in server.handovers] == ["pass_thread_control", "take_thread_control"]
    assert server.requests[-1]["path"] == "messages"  # taken back, then written


async def test_standby_from_someone_unknown_leaves_nothing_but_its_key(
    messenger: Services,
) -> None:
    delivery = {
        "object": "page",
        "entry": [{"id": 1, "time": meta.TIME, "standby": [meta.text(1, "hei", sender="99")]}],
    }
    for parsed in parse_delivery(delivery):
        messenger.engine.handle(parsed)  # type: ignore[arg-type]
    with messenger.database.connect() as connection:
        assert connection.execute(sa.select(human_message_t)).first() is None
        (payload,) = connection.execute(sa.select(inbox_t.c.payload)).scalars()
    assert payload is None
