"""Closing the loop: a staff answer reaches the resident in their own chat, in their language.

Web chat (the page fetches it), Telegram (sent at once through the fake Bot API) and
Messenger (held outside Meta's 24-hour window, sent at the person's next message).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from telegram import Bot

from bot.services import Services, build_services
from dialogs.events import Channel
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from storage.domain_tables import idea_t
from storage.participants import keyed_user_id
from storage.staff_tables import Role
from storage.tables import inbox_t, outbox_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.staff.conftest import csrf_of
from tests.support import images
from tests.support.data import leave_idea
from tests.support.fake_graph import FakeGraph
from tests.support.fake_telegram import FakeTelegram
from tests.support.talk import Talk

ANSWER = "Kiitos! Penkit tulevat torille toukokuussa."
IDEA = "Lisää penkkejä torin laidalle, niin vanhemmatkin jaksavat käydä."


def answer(client: TestClient, idea_id: int = 1, text: str = ANSWER) -> None:
    token = csrf_of(client, f"/staff/ideas/{idea_id}")
    response = client.post(f"/staff/ideas/{idea_id}/answer", data={"csrf": token, "answer": text})
    assert response.status_code == 303, response.text
    assert "answered" in response.headers["location"]


def test_on_the_web_chat_the_page_fetches_the_answer_once(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    session = "web-session-answers-1"
    stored_as = keyed_user_id(
        key=services.settings.pseudonym_secret(), channel="webchat", channel_user_id=session
    )
    talk = Talk(services.engine, locale="sv", user_id=stored_as)
    reference = leave_idea(talk, IDEA)
    client = signed_in(Role.MODERATOR)
    answer(client)
    first = client.post("/webchat/updates", json={"session": session}).json()["updates"]
    assert len(first) == 2
    assert reference in first[0]["reply"]["text"]
    assert first[1]["reply"]["text"] == ANSWER
    assert (
        first[1]["reply"]["from_person"] == "Teamet för Yhdessä osallistuen"
    )  # shown as a person's
    assert [c["id"] for c in first[1]["reply"]["choices"]] == ["menu"]
    # Not yet acknowledged: asked again (say, the response was lost), the same comes back.
    again = client.post("/webchat/updates", json={"session": session}).json()["updates"]
    assert [u["id"] for u in again] == [u["id"] for u in first]
    acked = client.post(
        "/webchat/updates", json={"session": session, "ack": [u["id"] for u in first]}
    ).json()
    assert acked["updates"] == []
    # Someone else's session sees nothing and cannot acknowledge another's messages.
    assert client.post("/webchat/updates", json={"session": "someone-else-1"}).json() == {
        "updates": []
    }
    talk.press_id("myideas")
    assert any(ANSWER in text for text in talk.texts)
    with services.database.connect() as connection:
        idea = connection.execute(sa.select(idea_t)).one()
    assert idea.status == "answered" and idea.staff_answer == ANSWER


def test_an_answer_is_refused_kindly_when_empty_or_too_long(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    leave_idea(Talk(services.engine), IDEA)
    client = signed_in(Role.MODERATOR)
    token = csrf_of(client, "/staff/ideas/1")
    for text, status in (("   ", 422), ("x" * 4001, 422)):
        response = client.post("/staff/ideas/1/answer", data={"csrf": token, "answer": text})
        assert response.status_code == status
        assert 'role="alert"' in response.text
    with services.database.connect() as connection:
        assert connection.execute(sa.select(idea_t.c.staff_answer)).scalar_one() is None
        assert (
            connection.execute(
                sa.select(sa.func.count())
                .select_from(outbox_t)
                .where(outbox_t.c.channel == "webchat")
            ).scalar_one()
            == 0
        )


def test_an_answer_to_a_resident_who_deleted_their_data_is_kept_but_not_sent(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    talk = Talk(services.engine)
    leave_idea(talk, IDEA)
    with services.database.begin() as connection:  # as the retention of a departed person
        connection.execute(sa.update(idea_t).values(participant_id=None))
    client = signed_in(Role.MODERATOR)
    token = csrf_of(client, "/staff/ideas/1")
    response = client.post("/staff/ideas/1/answer", data={"csrf": token, "answer": ANSWER})
    assert response.headers["location"].endswith("answered_gone")


class TestTelegram:
    @pytest.fixture
    def services(
        self, fake_telegram: tuple[FakeTelegram, str], sqlite_database_url: str, tmp_path: Path
    ) -> Iterator[Services]:
        _, url = fake_telegram
        settings = make_settings(
            sqlite_database_url,
            telegram_token="123456:TEST-token",
            telegram_webhook_secret="s" * 40,
            telegram_api_url=f"{url}/bot",
            telegram_file_url=f"{url}/file/bot",
            export_dir=tmp_path / "exports",
            media_dir=tmp_path / "media",
        )
        bot = Bot("123456:TEST-token", base_url=f"{url}/bot")
        fast = TelegramSender(bot, Pacer(per_chat_interval=0.01, overall_per_second=1000))
        built = build_services(settings, senders={"telegram": fast})
        yield built
        built.database.dispose()

    async def test_the_answer_arrives_in_the_telegram_chat(
        self,
        signed_in: Callable[[Role], TestClient],
        services: Services,
        fake_telegram: tuple[FakeTelegram, str],
    ) -> None:
        server, _ = fake_telegram
        talk = Talk(services.engine, channel=Channel.TELEGRAM, user_id="777001", locale="en")
        reference = leave_idea(talk, IDEA)
        await services.relay.run_until_idle()
        before = len(server.sent())
        answer(signed_in(Role.ADMIN))
        await services.relay.run_until_idle()
        texts = [call["text"] for call in server.sent()[before:]]
        assert reference in texts[0]
        # Written by a person: it reads as the team's message, not the bot's.
        assert texts[1] == f"<b>Yhdessä osallistuen team</b>\n{ANSWER}"
        assert all(call["chat_id"] == 777001 for call in server.sent()[before:])

    async def test_staff_see_the_photo_a_resident_sent_on_telegram(
        self,
        signed_in: Callable[[Role], TestClient],
        services: Services,
        fake_telegram: tuple[FakeTelegram, str],
    ) -> None:
        server, _ = fake_telegram
        jpeg = images.phone_photo(160, 120)  # with GPS and a rotation in its EXIF
        server.files["photos/AgACphoto1.jpg"] = jpeg
        talk = Talk(services.engine, channel=Channel.TELEGRAM, user_id="777002")
        talk.start()
        for step in ("consent.yes", "ideas", "theme.young", "area.centre"):
            talk.press_id(step)
        talk.send("Katutaidetta alikulkutunneliin, se on nyt harmaa.")
        talk.share_image("telegram:AgACphoto1")
        talk.press_id("idea.contact.no")
        talk.press_id("idea.send")
        client = signed_in(Role.MODERATOR)
        assert 'src="/staff/ideas/1/photo"' in client.get("/staff/ideas/1").text
        photo = client.get("/staff/ideas/1/photo")
        assert photo.status_code == 200
        assert not images.has_exif(photo.content) and images.size_of(photo.content) == (120, 160)
        # Shown as an image and nothing else, under a name of ours.
        assert photo.headers["x-content-type-options"] == "nosniff"
        assert photo.headers["content-disposition"] == 'inline; filename="idea-1.jpg"'
        assert "default-src 'none'" in photo.headers["content-security-policy"]
        with services.database.connect() as connection:
            ref = connection.execute(sa.select(idea_t.c.photo_ref)).scalar_one()
        assert not ref.startswith("telegram:")  # kept as our own file: erased with the idea
        assert (services.settings.media_dir / ref).read_bytes() == photo.content
        assert len(server.sent("getFile")) == 1
        assert client.get("/staff/ideas/1/photo").content == photo.content  # from our copy
        assert len(server.sent("getFile")) == 1


class TestMessenger:
    @pytest.fixture
    def services(
        self, fake_graph: tuple[FakeGraph, str], sqlite_database_url: str, tmp_path: Path
    ) -> Iterator[Services]:
        _, url = fake_graph
        built = build_services(
            make_settings(
                sqlite_database_url,
                meta_app_secret="meta-app-secret-" + "a" * 32,
                meta_verify_token="verify-" + "v" * 32,
                meta_page_access_token="page-token-" + "p" * 40,
                graph_api_url=url,
                export_dir=tmp_path / "exports",
            )
        )
        yield built
        built.database.dispose()

    async def test_outside_the_window_the_answer_waits_for_the_next_message(
        self,
        signed_in: Callable[[Role], TestClient],
        services: Services,
        fake_graph: tuple[FakeGraph, str],
    ) -> None:
        server, _ = fake_graph
        talk = Talk(services.engine, channel=Channel.MESSENGER, user_id=meta.PSID)
        reference = leave_idea(talk, IDEA)
        await services.relay.run_until_idle()
        with services.database.begin() as connection:  # the person last wrote two days ago
            connection.execute(
                sa.update(inbox_t).values(received_at=datetime.now(UTC) - timedelta(days=2))
            )
        before = len(server.messages)
        answer(signed_in(Role.MODERATOR))
        await services.relay.run_until_idle()
        assert len(server.messages) == before
        with services.database.connect() as connection:
            held = connection.execute(
                sa.select(sa.func.count()).select_from(outbox_t).where(outbox_t.c.status == "held")
            ).scalar_one()
        assert held == 2
        talk.send("hei taas")
        await services.relay.run_until_idle()
        texts = [m["message"].get("text") for m in server.messages[before:]]
        assert reference in texts[0]  # what waited goes first
        assert texts[1] == f"Yhdessä osallistuen -tiimi:\n{ANSWER}"  # the team's words, signed
        assert server.messages[before]["messaging_type"] == "RESPONSE"
