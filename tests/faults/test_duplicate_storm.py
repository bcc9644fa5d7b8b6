"""Fault scenario 2, the duplicate storm: a day of events from Telegram, Messenger and the
web chat, delivered once and then twice more, shuffled across people (each person's own
order kept, as timestamps allow). The second and third deliveries change nothing: the
domain tables, the conversations and the queued replies are as after the first."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.services import Services, build_services
from storage.domain_tables import contact_t, idea_t
from storage.tables import conversation_t, inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.handlers import telegram_updates as tg

TELEGRAM_SECRET = "telegram-secret-" + "x" * 32
APP_SECRET = b"meta-app-secret-" + b"a" * 32
PEOPLE_PER_CHANNEL = 12
THEMES = ("young", "nature", "community", "wellbeing")
AREAS = ("centre", "rantakyla", "otava", "anttola")

Delivery = tuple[str, dict[str, Any]]  # ("telegram" | "meta" | "webchat", body)


def _idea_script(person: int) -> list[tuple[str, str]]:
    """(kind, value): "press" a choice id or "say" a text."""
    steps = [
        ("press", "consent.yes"),
        ("press", "ideas"),
        ("press", f"theme.{THEMES[person % 4]}"),
        ("press", f"area.{AREAS[person % 4]}"),
        ("say", f"Idea numero {person}: lisää valoa ja penkkejä puistoon."),
        ("press", "idea.nophoto"),
        ("press", "idea.contact.no"),
        ("press", "idea.send"),
    ]
    if person % 3 == 0:  # some also ask to be contacted
        steps += [
            ("press", "menu"),
            ("press", "contact"),
            ("press", "contact.start"),
            ("say", f"Henkilö {person}"),
            ("press", "how.chat"),
            ("say", "arkisin iltapäivällä"),
            ("say", "haluaisin jutella jonkun kanssa"),
            ("press", "contact.send"),
        ]
    return steps


def _telegram(person: int) -> list[Delivery]:
    user_id = 500_000 + person
    updates = [tg.command(person * 100, "/start")]
    for n, (kind, value) in enumerate(_idea_script(person), start=1):
        update_id = person * 100 + n
        updates.append(
            tg.callback(update_id, value) if kind == "press" else tg.text(update_id, value)
        )
    deliveries = []
    for update in updates:
        update = copy.deepcopy(update)
        body = update.get("message") or update["callback_query"]
        body["from"] = {**body["from"], "id": user_id}
        if "chat" in body:
            body["chat"] = {**body["chat"], "id": user_id}
        if "message" in update.get("callback_query", {}):
            body["message"]["chat"] = {**body["message"]["chat"], "id": user_id}
        deliveries.append(("telegram", update))
    return deliveries


def _meta(person: int) -> list[Delivery]:
    sender = f"24000000{person:08d}"
    items = [meta.item(person * 100, sender, message={"mid": f"m_{person}_0", "text": "hei"})]
    for n, (kind, value) in enumerate(_idea_script(person), start=1):
        mid = f"m_{person}_{n}"
        message = {"mid": mid, "text": value}
        if kind == "press":
            message = {"mid": mid, "text": "x", "quick_reply": {"payload": value}}
        items.append(meta.item(person * 100 + n, sender, message=message))
    return [
        ("meta", {"object": "page", "entry": [{"id": meta.PAGE_ID, "time": 1, "messaging": [i]}]})
        for i in items
    ]


def _webchat(person: int) -> list[Delivery]:
    session = f"storm-session-{person:04d}"
    bodies = [{"session": session, "id": f"c{person}-0", "text": "/start", "locale": "fi"}]
    for n, (kind, value) in enumerate(_idea_script(person), start=1):
        field = "choice" if kind == "press" else "text"
        bodies.append({"session": session, "id": f"c{person}-{n}", field: value})
    return [("webchat", body) for body in bodies]


def a_day() -> list[list[Delivery]]:
    """Each person's deliveries, in their own order."""
    people = range(PEOPLE_PER_CHANNEL)
    return (
        [_telegram(p) for p in people] + [_meta(p) for p in people] + [_webchat(p) for p in people]
    )


def shuffled(people: list[list[Delivery]], rng: random.Random) -> Iterator[Delivery]:
    """Interleave people at random, each person's deliveries staying in their order."""
    queues = [list(person) for person in people]
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        yield queue.pop(0)


def deliver(client: TestClient, delivery: Delivery) -> None:
    kind, body = delivery
    if kind == "telegram":
        headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
        response = client.post("/webhooks/telegram", json=body, headers=headers)
    elif kind == "meta":
        raw = json.dumps(body).encode()
        response = client.post("/webhooks/meta", content=raw, headers=meta.signed(raw, APP_SECRET))
    else:
        response = client.post("/webchat/messages", json=body)
    assert response.status_code == 200, response.text


def snapshot(services: Services) -> dict[str, Any]:
    with services.database.connect() as connection:

        def rows(statement: sa.Select[Any]) -> list[str]:
            # As JSON text, so rows with dicts (reply payloads) sort and compare alike.
            return sorted(
                json.dumps(list(row), default=str) for row in connection.execute(statement)
            )

        return {
            "ideas": rows(
                sa.select(
                    idea_t.c.channel,
                    idea_t.c.theme_code,
                    idea_t.c.area_code,
                    idea_t.c.text,
                    idea_t.c.status,
                )
            ),
            "references": rows(sa.select(idea_t.c.reference)),
            "contacts": rows(
                sa.select(
                    contact_t.c.channel,
                    contact_t.c.name,
                    contact_t.c.good_time,
                    contact_t.c.message,
                )
            ),
            "participants": rows(
                sa.select(
                    participant_t.c.channel,
                    participant_t.c.pseudonym,
                    participant_t.c.consent_at.is_not(None),
                )
            ),
            "conversations": rows(
                sa.select(conversation_t.c.flow, conversation_t.c.step, conversation_t.c.version)
            ),
            "inbox": rows(sa.select(inbox_t.c.channel, inbox_t.c.event_id)),
            "outbox": rows(
                sa.select(
                    outbox_t.c.channel,
                    outbox_t.c.recipient,
                    outbox_t.c.position,
                    outbox_t.c.payload,
                )
            ),
        }


@pytest.fixture
def storm(database_url: str, tmp_path: Path) -> Iterator[tuple[Services, TestClient]]:
    services = build_services(
        make_settings(
            database_url,
            telegram_token="123456:TEST-token",
            telegram_webhook_secret=TELEGRAM_SECRET,
            telegram_api_url="http://127.0.0.1:9/bot",  # the relay is not run here
            meta_app_secret=APP_SECRET.decode(),
            meta_verify_token="verify-" + "v" * 32,
            meta_page_access_token="page-token-" + "p" * 40,
            graph_api_url="http://127.0.0.1:9",
            media_dir=tmp_path / "media",
        )
    )
    yield services, TestClient(create_app(services.settings, services=services))
    services.database.dispose()


def test_three_deliveries_of_a_day_leave_what_one_left(storm: tuple[Services, TestClient]) -> None:
    services, client = storm
    rng = random.Random(2026)
    day = a_day()
    for delivery in shuffled(day, rng):
        deliver(client, delivery)
    once = snapshot(services)
    assert len(once["ideas"]) == 3 * PEOPLE_PER_CHANNEL
    assert len(once["contacts"]) == 3 * len(range(0, PEOPLE_PER_CHANNEL, 3))
    assert len(once["inbox"]) == sum(len(person) for person in day)
    for _ in range(2):
        for delivery in shuffled(day, rng):
            deliver(client, delivery)
    assert snapshot(services) == once
