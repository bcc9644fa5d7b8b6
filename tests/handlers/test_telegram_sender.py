"""Delivery to Telegram: python-telegram-bot over real HTTP to a fake Bot API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from telegram import Bot

from bot.services import Services, build_services
from dialogs.replies import Reply, ReplyChoice
from handlers.pacing import Gate, Pacer
from handlers.telegram.render import calls_for, keyboard
from handlers.telegram.sender import TelegramSender
from handlers.text import split_text
from storage.tables import outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import telegram_updates as tg
from tests.support.fake_telegram import Failure, FakeTelegram

SECRET = "telegram-secret-" + "y" * 32


@pytest.fixture
def services(
    fake_telegram: tuple[FakeTelegram, str], sqlite_database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _server, url = fake_telegram
    settings = make_settings(
        sqlite_database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret=SECRET,
        telegram_api_url=f"{url}/bot",
        media_dir=tmp_path / "media",
    )
    bot = Bot("123456:TEST-token", base_url=f"{url}/bot")
    # Pacing is tested on its own below; here it is quick so the tests are.
    fast = TelegramSender(bot, Pacer(per_chat_interval=0.01, overall_per_second=1000))
    built = build_services(settings, senders={"telegram": fast})
    yield built
    built.database.dispose()


def handle(services: Services, *updates: dict) -> None:  # type: ignore[type-arg]
    from handlers.telegram.parse import parse_update

    assert services.telegram_bot is not None
    for update in updates:
        event = parse_update(update, services.telegram_bot)
        services.engine.handle(event)  # type: ignore[arg-type]


def statuses(services: Services) -> list[tuple[str, str | None]]:
    with services.database.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                sa.select(outbox_t.c.status, outbox_t.c.last_error).order_by(outbox_t.c.id)
            )
        ]  # type: ignore[misc]


async def test_replies_arrive_as_html_with_inline_keyboards(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    handle(services, tg.command(1, "/start"))
    await services.relay.run_until_idle()
    sent = server.sent()
    assert [m["chat_id"] for m in sent] == [111222333] * 4
    assert sent[0]["text"].startswith("Hei! Olen Mikkelin")
    assert sent[0]["parse_mode"] == "HTML"
    buttons = [
        b["callback_data"] for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row
    ]
    assert buttons == ["consent.yes", "consent.no", "welcome.lang"]
    assert "Tietosuojaseloste" in sent[-1]["text"] and "<a href=" in sent[-1]["text"]
    assert {status for status, _ in statuses(services)} == {"sent"}


async def test_a_pressed_button_is_answered_and_its_keyboard_retired(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    handle(services, tg.command(1, "/start"), tg.callback(2, "consent.yes"))
    await services.relay.run_until_idle()
    assert server.sent("answerCallbackQuery") == [{"callback_query_id": "cb2"}]
    (edit,) = server.sent("editMessageReplyMarkup")
    assert edit["message_id"] == 7 and edit["reply_markup"] == {"inline_keyboard": []}
    assert server.sent()[-1]["text"] == "Mitä haluat tehdä?"


async def test_429_is_retried_after_telegrams_wait(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    server.fail_next("sendMessage", Failure(429, "Too Many Requests: retry after 7", retry_after=7))
    handle(services, tg.command(1, "/start"))
    await services.relay.run_until_idle()
    with services.database.connect() as connection:
        rows = connection.execute(sa.select(outbox_t).order_by(outbox_t.c.id)).all()
    assert rows[0].status == "pending" and rows[0].last_error.startswith("429")
    assert rows[0].next_attempt_at - rows[0].created_at >= timedelta(seconds=7)
    # The rest wait behind it: nothing of them went out, though they were due.
    assert all(row.status == "pending" for row in rows)
    assert server.sent() == []


async def test_a_blocked_bot_dead_letters_and_marks_the_person_unreachable(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    server.fail_next("sendMessage", Failure(403, "Forbidden: bot was blocked by the user"))
    handle(services, tg.command(1, "/start"))
    await services.relay.run_until_idle()
    assert statuses(services)[0] == ("dead", "403 Forbidden: bot was blocked by the user")
    with services.database.connect() as connection:
        assert connection.execute(sa.select(participant_t.c.reachable)).scalar_one() is False


async def test_chat_not_found_is_dead_and_unreachable_other_400s_just_dead(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    server.fail_next("sendMessage", Failure(400, "Bad Request: chat not found"))
    handle(services, tg.command(1, "/start"))
    await services.relay.run_until_idle()
    assert statuses(services)[0][0] == "dead"
    with services.database.connect() as connection:
        assert connection.execute(sa.select(participant_t.c.reachable)).scalar_one() is False


async def test_server_errors_are_retried_with_backoff(
    fake_telegram: tuple[FakeTelegram, str], services: Services
) -> None:
    server, _ = fake_telegram
    server.fail_next("sendMessage", Failure(502, "Bad Gateway"))
    handle(services, tg.command(1, "/start"))
    await services.relay.run_until_idle()
    status, error = statuses(services)[0]
    assert status == "pending" and error is not None and error.startswith("network")


def test_user_text_is_escaped_and_long_texts_split_on_word_boundaries() -> None:
    words = " ".join(f"sana{n}" for n in range(2000))
    calls = calls_for(
        Reply(
            text="<script>alert(1)</script> " + words,
            choices=(ReplyChoice("menu", "Valikko", "Valikko"),),
        )
    )
    assert calls[0].params["text"].startswith("&lt;script&gt;")
    assert len(calls) > 1 and all(len(c.params["text"]) <= 4096 for c in calls)
    assert all(not c.params["text"].endswith("sana") for c in calls)
    assert "reply_markup" in calls[-1].params and "reply_markup" not in calls[0].params
    assert " ".join(split_text(words, 100)).split() == words.split()


def test_keyboards_keep_short_labels_together_and_long_ones_alone() -> None:
    short = tuple(ReplyChoice(f"c{n}", f"{n}", f"{n}") for n in range(12))
    rows = keyboard(Reply(text="?", choices=short))["inline_keyboard"]  # type: ignore[index]
    assert all(len(row) <= 8 for row in rows) and sum(len(row) for row in rows) == 12
    long = (
        ReplyChoice("a", "Pyydä yhteydenottoa", "x"),
        ReplyChoice("b", "Ohjeet", "x"),
    )
    assert [len(row) for row in keyboard(Reply(text="?", choices=long))["inline_keyboard"]] == [
        1,
        1,
    ]  # type: ignore[index]


async def test_the_pacer_keeps_one_a_second_per_chat_and_thirty_overall() -> None:
    now = [0.0]
    sends: list[tuple[float, str]] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    pacer = Pacer(clock=lambda: now[0], sleep=sleep)

    async def send(chat: str) -> None:
        await pacer.wait(chat)
        sends.append((now[0], chat))

    for _ in range(3):
        await send("same-chat")
    assert [t for t, _ in sends] == pytest.approx([0.0, 1.02, 2.04])
    sends.clear()
    now[0] = 10.0
    for chat in range(60):
        await send(f"chat-{chat}")
    times = [t for t, _ in sends]
    assert all(b - a >= 1 / 29.5 - 1e-9 for a, b in itertools.pairwise(times))
    assert max(sum(1 for t in times if start <= t < start + 1) for start in times) <= 30


async def test_a_conversations_message_leaves_before_the_announcement_waiting_with_it() -> None:
    pacer = Pacer(per_chat_interval=0.01, overall_per_second=200)
    left: list[str] = []

    async def send(chat: str, *, urgent: bool = False) -> None:
        await pacer.wait(chat, urgent=urgent)
        left.append(chat)

    bulk = [asyncio.create_task(send(f"subscriber-{n}")) for n in range(60)]  # 0.3 s of slots
    await asyncio.sleep(0.03)
    await send("resident", urgent=True)
    await asyncio.gather(*bulk)
    assert left.index("resident") < 20  # not behind the forty-odd slots taken before it
    assert len(left) == 61  # nobody was dropped or sent twice


async def test_a_send_cancelled_as_its_turn_is_given_away_leaves_the_gate_working() -> None:
    """A relay stopped mid-round cancels the sends waiting for their turn: each stops as
    cancelled (never as a failed send), and whoever comes next is served."""
    gate = Gate()
    await gate.acquire(1)  # a send is leaving
    waiting = asyncio.create_task(gate.acquire(1))
    await asyncio.sleep(0)
    waiting.cancel()  # its turn is cancelled at once, its own clean-up runs later
    gate.release()  # the leaving send is done: the cancelled one is passed over
    (result,) = await asyncio.gather(waiting, return_exceptions=True)
    assert isinstance(result, asyncio.CancelledError)
    await asyncio.wait_for(gate.acquire(0), timeout=5)
