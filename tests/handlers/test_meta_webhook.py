"""``/webhooks/meta``: verification, signatures over raw bytes, every event kind, one item's
failure not blocking the others, and the resident flows over Messenger and Instagram."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import Services, build_services
from storage.domain_tables import idea_t
from storage.tables import inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.support.data import add_places, add_poll, place

APP_SECRET = b"meta-app-secret-" + b"a" * 32
IG_SECRET = b"instagram-secret-" + b"b" * 32
VERIFY = "verify-token-" + "v" * 32


@pytest.fixture
def meta_services(sqlite_database_url: str, tmp_path: Path) -> Iterator[Services]:
    services = build_services(
        make_settings(
            sqlite_database_url,
            meta_app_secret=APP_SECRET.decode(),
            instagram_app_secret=IG_SECRET.decode(),
            meta_verify_token=VERIFY,
            media_dir=tmp_path,
        )
    )
    yield services
    services.database.dispose()


@pytest.fixture
async def client(meta_services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(meta_services.settings, services=meta_services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def send(
    client: httpx.AsyncClient, body: bytes, secret: bytes = APP_SECRET
) -> httpx.Response:
    return await client.post("/webhooks/meta", content=body, headers=meta.signed(body, secret))


def replies(services: Services, channel: str = "messenger") -> list[dict]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        rows = connection.execute(
            sa.select(outbox_t.c.payload)
            .where(outbox_t.c.channel == channel)
            .order_by(outbox_t.c.id)
        )
        return [row.payload for row in rows]


def texts(services: Services, channel: str = "messenger") -> list[str]:
    return [reply["text"] for reply in replies(services, channel)]


async def test_the_verification_handshake(client: httpx.AsyncClient) -> None:
    ok = await client.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = await client.get(
        "/webhooks/meta",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
    )
    assert wrong.status_code == 403
    assert (await client.get("/webhooks/meta")).status_code == 403


@pytest.mark.parametrize("header", [None, "sha256=" + "0" * 64, "sha1=abc", "garbage"])
async def test_a_missing_or_wrong_signature_is_refused_with_no_effect(
    client: httpx.AsyncClient, meta_services: Services, header: str | None
) -> None:
    body = meta.delivery([meta.text(1, "hei")])
    headers = {"X-Hub-Signature-256": header} if header else {}
    answer = await client.post("/webhooks/meta", content=body, headers=headers)
    assert answer.status_code == 403
    assert texts(meta_services) == []


async def test_the_signature_is_over_the_raw_escaped_bytes(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    assert (await send(client, meta.ESCAPED)).status_code == 200
    assert texts(meta_services)[0].startswith("Hei! Olen Mikkelin")
    reserialised = json.dumps(json.loads(meta.ESCAPED), ensure_ascii=False).encode()
    signed_for_escaped = meta.signed(meta.ESCAPED, APP_SECRET)
    answer = await client.post("/webhooks/meta", content=reserialised, headers=signed_for_escaped)
    assert answer.status_code == 403


async def test_the_instagram_apps_own_secret_is_accepted(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    body = meta.delivery([meta.text(1, "hei")], obj="instagram")
    assert (await send(client, body, IG_SECRET)).status_code == 200
    assert texts(meta_services, "instagram")


async def test_a_repeated_delivery_does_nothing(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    body = meta.delivery([meta.text(1, "hei")])
    await send(client, body)
    before = texts(meta_services)
    assert (await send(client, body)).status_code == 200
    assert texts(meta_services) == before


async def test_get_started_with_a_referral_opens_that_flow(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    await send(client, meta.delivery([meta.text(1, "hei"), meta.quick_reply(2, "consent.yes")]))
    await send(client, meta.delivery([meta.postback(3, "GET_STARTED", ref="poll_12")]))
    assert texts(meta_services)[-1] == "Valitse kysely."
    await send(
        client,
        meta.delivery(
            [
                meta.item(
                    4, referral={"ref": "place_5", "source": "SHORTLINK", "type": "OPEN_THREAD"}
                )
            ]
        ),
    )
    assert texts(meta_services)[-1] == "Mitä etsit?"


async def test_silent_kinds_get_no_answer_and_echoes_never_loop(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    await send(client, meta.delivery([meta.text(1, "hei")]))
    before = texts(meta_services)
    silent = [
        meta.echo(2),
        meta.item(3, read={"watermark": meta.TIME}),
        meta.item(4, delivery={"mids": ["m_1"], "watermark": meta.TIME}),
        meta.item(5, reaction={"reaction": "love", "emoji": "❤", "action": "react", "mid": "m_1"}),
        meta.item(6, message_edit={"mid": "m_1", "text": "hei taas", "num_edit": 1}),
    ]
    assert (await send(client, meta.delivery(silent))).status_code == 200
    assert texts(meta_services) == before


@pytest.mark.parametrize(
    "attachment",
    [
        ("image", {"url": "https://scontent.example/sticker.png", "sticker_id": 369239263222822}),
        ("audio", {"url": "https://cdn.example/a.mp4"}),
        ("video", {"url": "https://cdn.example/v.mp4"}),
        ("file", {"url": "https://cdn.example/f.pdf"}),
        ("story_mention", {"url": "https://cdn.example/s"}),
        ("share", {"url": "https://cdn.example/p"}),
    ],
)
async def test_what_the_bot_cannot_read_gets_a_kind_answer(
    client: httpx.AsyncClient,
    meta_services: Services,
    attachment: tuple[str, dict],  # type: ignore[type-arg]
) -> None:
    await send(client, meta.delivery([meta.text(1, "hei"), meta.quick_reply(2, "consent.yes")]))
    await send(client, meta.delivery([meta.attachment(3, *attachment)]))
    assert any(
        text.startswith("Ymmärrän tekstiä ja nappeja.") for text in texts(meta_services)[-2:]
    )


async def test_an_unsent_instagram_message_is_forgotten(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    await send(
        client,
        meta.delivery([meta.text(1, "hei"), meta.quick_reply(2, "consent.yes")], obj="instagram"),
        IG_SECRET,
    )
    await send(client, meta.delivery([meta.text(3, "salaisuus")], obj="instagram"), IG_SECRET)
    await send(
        client,
        meta.delivery([meta.item(4, message={"mid": "m_3", "is_deleted": True})], obj="instagram"),
        IG_SECRET,
    )
    with meta_services.database.connect() as connection:
        payloads = [row.payload for row in connection.execute(sa.select(inbox_t.c.payload))]
    assert not any("salaisuus" in json.dumps(p) for p in payloads if p)


async def test_numeric_ids_and_one_bad_item_in_a_batch(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": 1,
                    "time": meta.TIME,
                    "messaging": [
                        {
                            "sender": {"id": 2400000000000002},
                            "message": {"mid": "m_n", "text": "hei"},
                        }
                    ],
                },
                {"id": 1, "time": meta.TIME, "messaging": ["not an item", {"sender": {}}]},
                {
                    "id": 1,
                    "time": meta.TIME,
                    "standby": [{"sender": {"id": "9"}, "message": {"mid": "m_s", "text": "x"}}],
                },
                {
                    "id": 1,
                    "time": meta.TIME,
                    "messaging": [meta.text(9, "hei", sender="2400000000000003")],
                },
            ],
        }
    ).encode()
    assert (await send(client, body)).status_code == 200
    with meta_services.database.connect() as connection:
        people = set(connection.execute(sa.select(participant_t.c.channel_user_id)).scalars())
    assert people == {"2400000000000002", "2400000000000003"}  # standby ignored, bad items skipped


async def test_a_legacy_location_finds_the_nearest_places(
    client: httpx.AsyncClient, meta_services: Services
) -> None:
    add_places(
        meta_services.database,
        place("p1", name="Tori-kahvila", lat=61.6887, lon=27.2724, needs=("hangout",)),
    )
    await send(
        client,
        meta.delivery(
            [
                meta.text(1, "hei"),
                meta.quick_reply(2, "consent.yes"),
                meta.quick_reply(3, "places"),
                meta.quick_reply(4, "need.hangout"),
            ]
        ),
    )
    await send(client, meta.delivery([meta.location(5, 61.6886, 27.2723)]))
    cards = [card["title"] for reply in replies(meta_services)[-2:] for card in reply["places"]]
    assert cards == ["Tori-kahvila"]


@pytest.mark.parametrize(
    ("obj", "channel", "secret"),
    [("page", "messenger", APP_SECRET), ("instagram", "instagram", IG_SECRET)],
)
async def test_an_idea_with_a_photo_and_a_poll_vote(
    client: httpx.AsyncClient, meta_services: Services, obj: str, channel: str, secret: bytes
) -> None:
    add_poll(meta_services.database)
    steps = [
        meta.text(1, "hei"),
        meta.quick_reply(2, "consent.yes"),
        meta.quick_reply(3, "ideas"),
        meta.quick_reply(4, "theme.nature"),
        meta.quick_reply(5, "area.anttola"),
        meta.text(6, "Uimarannalle lisää roskiksia kesäksi."),
        meta.attachment(7, "image", {"url": "https://scontent.example/photo.jpg"}),
        meta.quick_reply(8, "idea.contact.no"),
        meta.quick_reply(9, "idea.send"),
    ]
    for step in steps:
        assert (await send(client, meta.delivery([step], obj=obj), secret)).status_code == 200
    with meta_services.database.connect() as connection:
        idea = connection.execute(sa.select(idea_t)).one()
    assert (
        idea.channel == channel
        and idea.photo_ref == f"{channel}:https://scontent.example/photo.jpg"
    )
    await send(client, meta.delivery([meta.quick_reply(10, "polls")], obj=obj), secret)
    poll_choice = replies(meta_services, channel)[-1]["choices"][0]["id"]
    await send(client, meta.delivery([meta.quick_reply(11, poll_choice)], obj=obj), secret)
    first = replies(meta_services, channel)[-1]["choices"][0]["id"]
    await send(client, meta.delivery([meta.quick_reply(12, first)], obj=obj), secret)
    assert texts(meta_services, channel)[-1].startswith("Kysymys 2/2")
