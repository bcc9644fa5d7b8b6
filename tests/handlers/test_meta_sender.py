"""Sending to Messenger and Instagram against a fake Send API on 127.0.0.1: quick replies,
templates, text limits, the 24-hour window (held, then sent at the next contact), errors."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from dialogs.replies import PlaceCard, Reply, ReplyChoice
from handlers.delivery import RetryLater, Sent
from handlers.meta.parse import parse_delivery
from handlers.meta.render import messages_for
from handlers.meta.sender import MetaSender
from handlers.pacing import Pacer
from storage.outbox import OutboxItem
from storage.tables import inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.support.fake_graph import FakeGraph, GraphError

PAGE_TOKEN = "page-token-" + "p" * 40


@pytest.fixture
def services(
    fake_graph: tuple[FakeGraph, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _server, url = fake_graph
    built = build_services(
        make_settings(
            database_url,
            meta_app_secret="meta-app-secret-" + "a" * 32,
            meta_verify_token="verify-" + "v" * 32,
            meta_page_access_token=PAGE_TOKEN,
            graph_api_url=url,
            media_dir=tmp_path,
        )
    )
    yield built
    built.database.dispose()


def handle(services: Services, *items: dict, obj: str = "page") -> None:  # type: ignore[type-arg]
    for parsed in parse_delivery(__import__("json").loads(meta.delivery(list(items), obj=obj))):
        services.engine.handle(parsed)  # type: ignore[arg-type]


def rows(services: Services) -> list[sa.Row]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        return list(connection.execute(sa.select(outbox_t).order_by(outbox_t.c.id)))


def wrote_days_ago(services: Services, days: int) -> None:
    """Move the person's messages back in time (outside Meta's 24-hour window)."""
    with services.database.begin() as connection:
        connection.execute(
            sa.update(inbox_t).values(received_at=datetime.now(UTC) - timedelta(days=days))
        )


async def test_replies_go_out_with_quick_replies_inside_the_window(
    fake_graph: tuple[FakeGraph, str], services: Services
) -> None:
    server, _ = fake_graph
    handle(services, meta.text(1, "hei"))
    await services.relay.run_until_idle()
    assert all(r["token"] == PAGE_TOKEN for r in server.requests)
    bodies = server.messages
    assert bodies[0]["recipient"] == {"id": meta.PSID} and bodies[0]["messaging_type"] == "RESPONSE"
    assert bodies[0]["message"]["text"].startswith("Hei! Olen Mikkelin")
    quick = bodies[-1]["message"]["quick_replies"]
    assert [q["payload"] for q in quick] == ["consent.yes", "consent.no", "welcome.lang"]
    assert all(len(q["title"]) <= 20 for q in quick)
    assert {row.status for row in rows(services)} == {"sent"}


async def test_outside_the_window_a_message_waits_for_the_next_contact(
    fake_graph: tuple[FakeGraph, str], services: Services
) -> None:
    server, _ = fake_graph
    handle(services, meta.text(1, "hei"))
    wrote_days_ago(services, 2)
    await services.relay.run_until_idle()
    assert server.requests == []
    assert {row.status for row in rows(services)} == {"held"}
    handle(services, meta.quick_reply(2, "consent.yes"))  # a new message opens the window
    await services.relay.run_until_idle()
    texts = [b["message"].get("text") for b in server.messages]
    assert texts[0].startswith("Hei! Olen Mikkelin")  # what waited goes first
    assert texts[-1] == "Mitä haluat tehdä?"
    assert {row.status for row in rows(services)} == {"sent"}


async def test_a_message_written_while_the_relay_decided_to_hold_is_not_left_waiting(
    fake_graph: tuple[FakeGraph, str], services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, _ = fake_graph
    handle(services, meta.text(1, "hei"))
    wrote_days_ago(services, 2)
    original = MetaSender.send
    wrote: list[bool] = []

    async def send_while_they_write(self: MetaSender, item: OutboxItem) -> object:
        judged = await original(self, item)  # judged on the message of two days ago
        if not wrote:  # ...and just then they write again: nothing is held yet to release
            wrote.append(True)
            handle(services, meta.quick_reply(2, "consent.yes"))
        return judged

    monkeypatch.setattr(MetaSender, "send", send_while_they_write)
    await services.relay.run_once()
    assert server.requests == []
    assert "held" not in {row.status for row in rows(services)}
    await services.relay.run_until_idle()
    texts = [b["message"].get("text") for b in server.messages]
    assert texts[0].startswith("Hei! Olen Mikkelin")  # what was judged first goes first
    assert texts[-1] == "Mitä haluat tehdä?"
    assert {row.status for row in rows(services)} == {"sent"}


@pytest.mark.parametrize(
    ("error", "status", "unreachable"),
    [
        (
            GraphError(400, 613, message="Calls to this api have exceeded the rate limit."),
            "pending",
            True,
        ),
        (GraphError(500, 2, message="Service temporarily unavailable"), "pending", True),
        (GraphError(400, 10, 2018278, "outside of allowed window"), "dead", True),
        (GraphError(400, 551, message="This person isn't available right now."), "dead", False),
        (GraphError(400, 190, message="Invalid OAuth access token."), "dead", True),
        (GraphError(400, 100, message="Invalid parameter"), "dead", True),
    ],
)
async def test_errors_are_retried_or_dead_lettered_with_the_reason(
    fake_graph: tuple[FakeGraph, str],
    services: Services,
    error: GraphError,
    status: str,
    unreachable: bool,
) -> None:
    server, _ = fake_graph
    server.fail_next(error)
    handle(services, meta.text(1, "hei"))
    await services.relay.run_until_idle()
    first = rows(services)[0]
    assert first.status == status
    assert f"code {error.code}" in first.last_error
    with services.database.connect() as connection:
        assert connection.execute(sa.select(participant_t.c.reachable)).scalar_one() is unreachable


def test_long_texts_are_split_and_many_choices_become_a_numbered_list() -> None:
    words = " ".join(["ä" * 9] * 400)  # two-byte letters: Instagram's limit is in bytes
    instagram = messages_for(Reply(text=words), instagram=True)
    assert len(instagram) > 1 and all(len(m["text"].encode()) <= 1000 for m in instagram)
    messenger = messages_for(Reply(text=words), instagram=False)
    assert all(len(m["text"]) <= 2000 for m in messenger)
    many = tuple(ReplyChoice(f"c{n}", f"Vaihtoehto {n}", f"V{n}") for n in range(14))
    (numbered,) = messages_for(Reply(text="Valitse", choices=many), instagram=False)
    assert "quick_replies" not in numbered and "14. Vaihtoehto 13" in numbered["text"]


def test_place_cards_are_a_template_on_messenger_and_text_on_instagram() -> None:
    card = PlaceCard(
        title="Kirjasto",
        status="Auki nyt",
        address="Katu 1",
        map_url="https://www.openstreetmap.org/?mlat=1&mlon=2",
    )
    reply = Reply(
        text="Lähimmät:", places=(card,), choices=(ReplyChoice("place.1", "Kirjasto", "Kirjasto"),)
    )
    messenger = messages_for(reply, instagram=False)
    element = messenger[-1]["attachment"]["payload"]["elements"][0]
    assert element["title"] == "Kirjasto" and element["buttons"][0]["type"] == "web_url"
    assert messenger[-1]["quick_replies"][0]["payload"] == "place.1"
    (instagram,) = messages_for(reply, instagram=True)
    assert "Kirjasto\nAuki nyt\nKatu 1\nhttps://www.openstreetmap.org" in instagram["text"]


async def _send_burst(url: str, pacer: Pacer | None, count: int) -> list[object]:
    now = datetime.now(UTC)
    async with httpx.AsyncClient() as client:
        sender = MetaSender(
            channel="instagram", client=client, url=f"{url}/v23.0/me/messages", token=PAGE_TOKEN,
            pacer=pacer,
        )  # fmt: skip
        items = [
            OutboxItem(id=n, channel="instagram", recipient=f"17841400{n:06d}", participant_id=None,
                       payload=Reply(text=f"viesti {n}").to_json(), attempts=0, last_inbound_at=now)
            for n in range(count)
        ]  # fmt: skip
        return list(await asyncio.gather(*(sender.send(item) for item in items)))


async def test_a_burst_to_many_people_stays_under_instagrams_rate_limit(
    fake_graph: tuple[FakeGraph, str],
) -> None:
    """A poll announcement to 250 followers at once: paced under 100 calls a second, none is
    refused; unpaced, the same burst runs into Meta's limit (the fake enforces it)."""
    server, url = fake_graph
    server.calls_per_second = 100
    started = time.monotonic()
    paced = await _send_burst(url, Pacer(per_chat_interval=0.0, overall_per_second=90), 250)
    elapsed = time.monotonic() - started
    assert server.provoked_limits == 0
    assert all(isinstance(result, Sent) for result in paced)
    assert elapsed >= 249 / 90 * 0.95  # spread out, not sent in one go
    assert len(server.messages) == 250

    unpaced = await _send_burst(url, None, 250)
    assert server.provoked_limits > 0
    assert all(isinstance(result, Sent | RetryLater) for result in unpaced)
    assert sum(isinstance(result, RetryLater) for result in unpaced) == server.provoked_limits
