"""``POST /webhooks/telegram``: the secret, the body limit, every update kind, idempotency, and
the resident flows over Telegram (replies queued in the outbox, nothing sent in the request)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import Services, build_services
from storage.domain_tables import idea_t
from storage.tables import inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import telegram_updates as tg
from tests.support.data import add_poll

SECRET = "telegram-secret-" + "x" * 32
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@pytest.fixture
def telegram_services(sqlite_database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    settings = make_settings(
        sqlite_database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret=SECRET,
        telegram_api_url="http://127.0.0.1:9/bot",  # nothing listens: no call may be made
        media_dir=tmp_path / "media",
    )
    services = build_services(settings)
    yield services  # type: ignore[misc]
    services.database.dispose()


@pytest.fixture
async def client(telegram_services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(telegram_services.settings, services=telegram_services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def post(client: httpx.AsyncClient, update: object) -> httpx.Response:
    return await client.post("/webhooks/telegram", json=update, headers=HEADERS)


def replies(services: Services) -> list[dict]:  # type: ignore[type-arg]
    """The queued replies, without the button receipts queued before them."""
    with services.database.connect() as connection:
        rows = connection.execute(sa.select(outbox_t.c.payload).order_by(outbox_t.c.id))
        return [row.payload for row in rows if "text" in row.payload]


def queued(services: Services) -> list[str]:
    return [reply["text"] for reply in replies(services)]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
async def test_a_wrong_or_missing_secret_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, telegram_services: Services, headers: dict[str, str]
) -> None:
    answer = await client.post("/webhooks/telegram", json=tg.text(1, "hei"), headers=headers)
    assert answer.status_code == 403
    assert queued(telegram_services) == []


async def test_a_body_over_256_kib_is_refused(client: httpx.AsyncClient) -> None:
    answer = await post(client, tg.text(1, "x" * 300_000))
    assert answer.status_code == 413


async def test_a_newcomer_is_welcomed_and_the_replies_wait_in_the_outbox(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    answer = await post(client, tg.command(1, "/start"))
    assert answer.status_code == 200
    texts = queued(telegram_services)
    assert texts[0].startswith("Hei! Olen Mikkelin")  # language_code "fi"
    with telegram_services.database.connect() as connection:
        recipients = set(
            connection.execute(sa.select(outbox_t.c.recipient, outbox_t.c.status)).all()
        )
    assert recipients == {("111222333", "pending")}


async def test_a_repeated_update_is_answered_200_and_does_nothing(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    await post(client, tg.command(1, "/start"))
    before = queued(telegram_services)
    again = await post(client, tg.command(1, "/start"))
    assert again.status_code == 200
    assert queued(telegram_services) == before


async def test_buttons_commands_and_deep_links(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    await post(client, tg.command(1, "/start"))
    await post(client, tg.callback(2, "consent.yes"))
    assert queued(telegram_services)[-1] == "Mitä haluat tehdä?"
    with telegram_services.database.connect() as connection:
        receipts = [
            row.payload["receipt"]
            for row in connection.execute(sa.select(outbox_t.c.payload))
            if "receipt" in row.payload
        ]
    assert receipts == [{"callback_id": "cb2", "message_id": 7}]  # queued before the replies
    await post(client, tg.command(3, "/help"))
    assert queued(telegram_services)[-1] == "Voinko auttaa muussa?"
    await post(client, tg.command(4, "/start@osallistu_bot poll_12"))
    assert queued(telegram_services)[-1] == "Valitse kysely."


@pytest.mark.parametrize(
    ("update", "answer"),
    [
        (tg.sticker(3), "Ymmärrän tekstiä ja nappeja."),
        (tg.voice(3), "Ymmärrän tekstiä ja nappeja."),
    ],
)
async def test_stickers_and_voice_get_a_kind_answer(
    client: httpx.AsyncClient,
    telegram_services: Services,
    update: dict,
    answer: str,  # type: ignore[type-arg]
) -> None:
    await post(client, tg.command(1, "/start"))
    await post(client, tg.callback(2, "consent.yes"))
    await post(client, update)
    assert any(text.startswith(answer) for text in queued(telegram_services)[-2:])


async def test_an_edited_message_is_not_handled_again(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    await post(client, tg.command(1, "/start"))
    before = queued(telegram_services)
    answer = await post(client, tg.edited(2, "valikko"))
    assert answer.status_code == 200
    assert queued(telegram_services) == before


async def test_an_unreadable_update_is_acknowledged_not_retried(client: httpx.AsyncClient) -> None:
    answer = await post(client, tg.without_is_bot(9))
    assert answer.status_code == 200
    assert (
        await client.post("/webhooks/telegram", content=b"{nope", headers=HEADERS)
    ).status_code == 400
    assert (await post(client, {"no": "update_id"})).status_code == 200


async def test_blocking_and_unblocking_mark_the_person_unreachable_and_back(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    await post(client, tg.command(1, "/start"))
    before = queued(telegram_services)

    def reachable() -> bool:
        with telegram_services.database.connect() as connection:
            return connection.execute(sa.select(participant_t.c.reachable)).scalar_one()

    await post(client, tg.my_chat_member(2, "kicked"))
    assert reachable() is False
    await post(client, tg.my_chat_member(3, "member"))
    assert reachable() is True
    assert queued(telegram_services) == before  # nothing is said to someone who blocked us


async def test_an_idea_with_a_photo_over_telegram(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    for n, update in enumerate(
        [
            tg.command(1, "/start"),
            tg.callback(2, "consent.yes"),
            tg.callback(3, "ideas"),
            tg.callback(4, "theme.young"),
            tg.callback(5, "area.otava"),
            tg.text(6, "Lisää iltavuoroja nuorisotilaan, kiitos."),
            tg.photo(7),
            tg.callback(8, "idea.contact.no"),
            tg.callback(9, "idea.send"),
        ]
    ):
        assert (await post(client, update)).status_code == 200, n
    with telegram_services.database.connect() as connection:
        idea = connection.execute(sa.select(idea_t)).one()
    assert idea.channel == "telegram"
    assert idea.photo_ref == "telegram:large-id"  # the largest size
    assert any(text.startswith("Sen viitenumero on ID-") for text in queued(telegram_services))


async def test_a_location_or_venue_finds_the_nearest_places(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    from tests.support.data import add_places, place

    add_places(
        telegram_services.database,
        place("p1", name="Tori-kahvila", lat=61.6887, lon=27.2724, needs=("hangout",)),
    )
    for update in (
        tg.command(1, "/start"),
        tg.callback(2, "consent.yes"),
        tg.callback(3, "places"),
        tg.callback(4, "need.hangout"),
    ):
        await post(client, update)
    await post(client, tg.venue(5))
    with telegram_services.database.connect() as connection:
        last = connection.execute(
            sa.select(outbox_t.c.payload).order_by(outbox_t.c.id.desc()).limit(2)
        ).all()
    cards = [card["title"] for row in last for card in row.payload["places"]]
    assert cards == ["Tori-kahvila"]


async def test_a_poll_vote_over_telegram(
    client: httpx.AsyncClient, telegram_services: Services
) -> None:
    add_poll(telegram_services.database)
    for update in (tg.command(1, "/start"), tg.callback(2, "consent.yes"), tg.callback(3, "polls")):
        await post(client, update)
    with telegram_services.database.connect() as connection:
        choices = connection.execute(
            sa.select(outbox_t.c.payload).order_by(outbox_t.c.id.desc()).limit(1)
        ).scalar_one()["choices"]
    poll_choice = choices[0]["id"]
    await post(client, tg.callback(4, poll_choice))
    with telegram_services.database.connect() as connection:
        first_question = connection.execute(
            sa.select(outbox_t.c.payload).order_by(outbox_t.c.id.desc()).limit(1)
        ).scalar_one()
    await post(client, tg.callback(5, first_question["choices"][0]["id"]))
    assert queued(telegram_services)[-1].startswith("Kysymys 2/2")
    with telegram_services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(inbox_t)).scalar_one() == 5
