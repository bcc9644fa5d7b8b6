"""Sending to Messenger and Instagram against a fake Send API on 127.0.0.1: quick replies,
templates, text limits, the 24-hour window (held, then sent at the next contact), errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from dialogs.replies import PlaceCard, Reply, ReplyChoice
from handlers.meta.parse import parse_delivery
from handlers.meta.render import messages_for
from storage.tables import inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.support.fake_graph import FakeGraph, GraphError
from tests.support.live_server import live_server

PAGE_TOKEN = "page-token-" + "p" * 40


@pytest.fixture
def graph() -> Iterator[tuple[FakeGraph, str]]:
    server = FakeGraph()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url


@pytest.fixture
def services(
    graph: tuple[FakeGraph, str], sqlite_database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _server, url = graph
    built = build_services(
        make_settings(
            sqlite_database_url,
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


async def test_replies_go_out_with_quick_replies_inside_the_window(
    graph: tuple[FakeGraph, str], services: Services
) -> None:
    server, _ = graph
    handle(services, meta.text(1, "hei"))
    await services.relay.run_once()
    assert all(r["token"] == PAGE_TOKEN for r in server.requests)
    bodies = server.messages
    assert bodies[0]["recipient"] == {"id": meta.PSID} and bodies[0]["messaging_type"] == "RESPONSE"
    assert bodies[0]["message"]["text"].startswith("Hei! Olen Mikkelin")
    quick = bodies[-1]["message"]["quick_replies"]
    assert [q["payload"] for q in quick] == ["consent.yes", "consent.no", "welcome.lang"]
    assert all(len(q["title"]) <= 20 for q in quick)
    assert {row.status for row in rows(services)} == {"sent"}


async def test_outside_the_window_a_message_waits_for_the_next_contact(
    graph: tuple[FakeGraph, str], services: Services
) -> None:
    server, _ = graph
    handle(services, meta.text(1, "hei"))
    with services.database.begin() as connection:  # the person wrote two days ago
        connection.execute(
            sa.update(inbox_t).values(received_at=datetime.now(UTC) - timedelta(days=2))
        )
    await services.relay.run_once()
    assert server.requests == []
    assert {row.status for row in rows(services)} == {"held"}
    handle(services, meta.quick_reply(2, "consent.yes"))  # a new message opens the window
    await services.relay.run_once()
    texts = [b["message"].get("text") for b in server.messages]
    assert texts[0].startswith("Hei! Olen Mikkelin")  # what waited goes first
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
    graph: tuple[FakeGraph, str],
    services: Services,
    error: GraphError,
    status: str,
    unreachable: bool,
) -> None:
    server, _ = graph
    server.fail_next(error)
    handle(services, meta.text(1, "hei"))
    await services.relay.run_once()
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
