"""News by e-mail, against a fake SMTP server on loopback: a web chat resident gives an
address, confirms it through the link (double opt-in), gets announcements with RFC 8058's
one-click unsubscribe, and one click stops them; nobody unconfirmed is written to, and an
unconfirmed address goes after a week."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.retention import run_purge
from bot.services import Services, build_services
from dialogs.events import Channel
from storage.announcements import AnnouncementDraft
from storage.news_tables import news_email_t, subscription_t
from tests.conftest import make_settings
from tests.support.fake_smtp import Received, fake_smtp
from tests.support.talk import Talk

PUBLIC_URL = "https://osallistu.example.fi"
TEXTS = {
    "fi": "Nuorten kysely on auki: Mitä haluat Mikkelin kirjastoon?",
    "sv": "Ungdomsenkäten är öppen: Vad vill du ha i biblioteket?",
    "en": "The youth poll is open: What do you want in the library?",
}
LINK = re.compile(re.escape(PUBLIC_URL) + r"(/news/email/\S+)")


@pytest.fixture
def mail() -> Iterator[tuple[int, list[Received]]]:
    with fake_smtp() as server:
        yield server


@pytest.fixture
def services(
    mail: tuple[int, list[Received]], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    port, _ = mail
    settings = make_settings(
        database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_tls="none",
        smtp_from="osallistu@mikkeli.example.fi",
        public_url=PUBLIC_URL,
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
    )
    built = build_services(settings)
    yield built
    built.database.dispose()


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services.settings, services=services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client


def _resident(services: Services, language: str = "en", channel: Channel = Channel.WEBCHAT) -> Talk:
    talk = Talk(services.engine, channel=channel, locale=language)
    talk.start()
    talk.press_id("consent.yes")
    return talk


async def _letters(services: Services, inbox: list[Received], before: int) -> list[EmailMessage]:
    await services.relay.run_until_idle()
    return [
        email.message_from_bytes(received.data, _class=EmailMessage, policy=email.policy.default)
        for received in inbox[before:]
    ]


def _link(message: EmailMessage) -> str:
    body = message.get_content()
    found = LINK.search(body)
    assert found is not None, body
    return found.group(1)


def _announce(services: Services, now: datetime) -> int:
    draft = AnnouncementDraft(
        topic="polls",  # type: ignore[arg-type]
        area_code=None,
        texts=TEXTS,
        send_at=now,
        now_requested=True,
        created_by=None,
    )
    announcement = services.announcer.announce(draft, now=now)
    services.announcer.send_due(now=now)
    return announcement


def _addresses(services: Services) -> list[tuple[str, bool]]:
    with services.database.connect() as connection:
        rows = connection.execute(sa.select(news_email_t.c.address, news_email_t.c.confirmed_at))
        return [(row.address, row.confirmed_at is not None) for row in rows]


def _subscription_channels(services: Services) -> list[str]:
    with services.database.connect() as connection:
        return list(connection.execute(sa.select(subscription_t.c.channel)).scalars())


async def test_double_opt_in_then_announcements_with_a_one_click_unsubscribe(
    services: Services, client: httpx.AsyncClient, mail: tuple[int, list[Received]]
) -> None:
    _, inbox = mail
    talk = _resident(services)
    talk.send("news")
    assert talk.texts == [
        "The web chat cannot send you messages once you close the page.",
        "We can send news to you by e-mail.",
        "What would you like to do?",
    ]
    talk.press("By e-mail")
    talk.send("not an address")
    assert "e-mail address" in talk.texts[0]  # asked again, kindly, nothing stored
    assert _addresses(services) == []
    talk.send("  Aino.Demo@example.org ")
    assert (
        talk.texts[0] == "We sent a link to Aino.Demo@example.org. Open it to confirm the address."
    )
    assert "News starts when you open the link we sent to Aino.Demo@example.org." in talk.texts
    talk.press_id("news.polls")
    assert _subscription_channels(services) == ["email"]

    (confirm,) = await _letters(services, inbox, 0)
    assert inbox[0].recipients == ["<Aino.Demo@example.org>"]
    assert confirm["Subject"] == "Confirm news from Yhdessä osallistuen"
    assert confirm["List-Unsubscribe"] is None  # not a mailing yet
    link = _link(confirm)
    assert link.startswith("/news/email/en/confirm/")

    # Not confirmed: an announcement does not go to the address. (Sent a little in the past,
    # so that what is queued is due for the relay now.)
    now = datetime.now(UTC) - timedelta(minutes=10)
    _announce(services, now)
    assert await _letters(services, inbox, 1) == []

    # A mail scanner opening the link confirms nothing; pressing the button does.
    page = await client.get(link)
    assert page.status_code == 200 and "Confirm" in page.text
    assert "Aino.Demo@example.org" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert _addresses(services) == [("Aino.Demo@example.org", False)]
    done = await client.post(link)
    assert done.status_code == 200 and "News by e-mail is on" in done.text
    assert _addresses(services) == [("Aino.Demo@example.org", True)]

    talk.send("news")
    assert talk.texts[0] == "News comes by e-mail to Aino.Demo@example.org."

    announcement = _announce(services, now + timedelta(minutes=1))
    (letter,) = await _letters(services, inbox, 1)
    assert letter["Subject"] == TEXTS["en"]
    assert letter["Content-Language"] == "en"
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = _link(letter)
    assert letter["List-Unsubscribe"] == f"<{PUBLIC_URL}{unsubscribe}>"
    body = letter.get_content().replace("\r\n", "\n")
    assert body.startswith(TEXTS["en"] + "\n\nYou get this because you chose news")
    assert "To stop these e-mails, open this link:" in body
    assert services.announcer.progress(announcement).sent == 1

    # Opening the link only asks; the mail program's one-click POST stops it all.
    assert (await client.get(unsubscribe)).status_code == 200
    assert _addresses(services) == [("Aino.Demo@example.org", True)]
    stopped = await client.post(
        unsubscribe,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert stopped.status_code == 200
    assert "we deleted your address" in stopped.text
    assert _addresses(services) == [] and _subscription_channels(services) == []
    assert services.announcer.progress(announcement).unsubscribed_since == 1

    _announce(services, now + timedelta(minutes=2))
    assert await _letters(services, inbox, 2) == []
    gone = await client.post(unsubscribe)
    assert gone.status_code == 404 and "does not work anymore" in gone.text


async def test_a_changed_link_or_address_does_not_work(
    services: Services, client: httpx.AsyncClient, mail: tuple[int, list[Received]]
) -> None:
    _, inbox = mail
    talk = _resident(services, "fi")
    talk.press_id("news")
    talk.press_id("news.byemail")
    talk.send("eka.demo@example.org")
    (first,) = await _letters(services, inbox, 0)
    old = _link(first)
    assert old.startswith("/news/email/fi/confirm/")
    forged = old[:-4] + ("AAAA" if not old.endswith("AAAA") else "BBBB")
    assert (await client.post(forged)).status_code == 404
    assert (await client.get("/news/email/fi/confirm/999/abc")).status_code == 404
    # A confirmation link is not a way to stop: each link does what it was sent for.
    assert (await client.post(old.replace("/confirm/", "/unsubscribe/"))).status_code == 404
    assert (await client.get("/news/email/fi/nonsense/1/abc")).status_code == 422
    # A new address replaces the old one: the old link stops working.
    talk.press_id("news.address")
    talk.send("toka.demo@example.org")
    (second,) = await _letters(services, inbox, 1)
    assert (await client.post(old)).status_code == 404
    assert (await client.post(_link(second))).status_code == 200
    assert _addresses(services) == [("toka.demo@example.org", True)]


async def test_a_chat_is_not_a_way_to_fill_someones_mailbox(
    services: Services, mail: tuple[int, list[Received]]
) -> None:
    _, inbox = mail
    for n in range(4):
        talk = _resident(services)  # a new session each time, to the same address
        talk.send("news")
        talk.press("By e-mail")
        talk.send("victim.demo@example.org")
        if n < 3:
            assert talk.texts[0].startswith("We sent a link")
    assert talk.texts[0] == (
        "We have sent several links today. Open the one we sent, or try again tomorrow."
    )
    assert len(await _letters(services, inbox, 0)) == 3


async def test_messenger_offers_e_mail_and_subscribes_nothing_until_an_address_is_given(
    services: Services, mail: tuple[int, list[Received]]
) -> None:
    talk = _resident(services, channel=Channel.MESSENGER)
    talk.send("news")
    assert talk.texts[0].startswith("Messenger and Instagram do not let us send news")
    assert "We can send news to you by e-mail." in talk.texts
    talk.press_id("news.polls")  # a button from elsewhere cannot subscribe here
    assert _subscription_channels(services) == []
    talk.send("news")
    talk.press("By e-mail")
    talk.send("demo.messenger@example.org")
    talk.press_id("news.news")
    assert _subscription_channels(services) == ["email"]


async def test_an_unconfirmed_address_goes_after_a_week_a_confirmed_one_stays(
    services: Services, client: httpx.AsyncClient, mail: tuple[int, list[Received]]
) -> None:
    _, inbox = mail
    for address in ("unconfirmed.demo@example.org", "confirmed.demo@example.org"):
        talk = _resident(services)
        talk.send("news")
        talk.press("By e-mail")
        talk.send(address)
        talk.press_id("news.polls")
    letters = await _letters(services, inbox, 0)
    (to_confirm,) = [m for m in letters if m["To"] == "confirmed.demo@example.org"]
    await client.post(_link(to_confirm))
    now = datetime.now(UTC)
    assert (
        run_purge(services.database, services.settings, now=now + timedelta(days=6))[
            "unconfirmed_emails"
        ]
        == 0
    )
    done = run_purge(services.database, services.settings, now=now + timedelta(days=7, hours=1))
    assert done["unconfirmed_emails"] == 1
    assert _addresses(services) == [("confirmed.demo@example.org", True)]
    assert _subscription_channels(services) == ["email"]  # the unconfirmed one's went too


async def test_my_data_shows_the_address_and_deleting_my_data_removes_it(
    services: Services, mail: tuple[int, list[Received]]
) -> None:
    talk = _resident(services)
    talk.send("news")
    talk.press("By e-mail")
    talk.send("mydata.demo@example.org")
    talk.send("my data")
    assert any(
        "E-mail address for news: mydata.demo@example.org (not confirmed yet" in text
        for text in talk.texts
    )
    talk.send("delete my data")
    talk.send("yes")
    assert _addresses(services) == [] and _subscription_channels(services) == []
