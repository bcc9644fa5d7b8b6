"""The announcements page: written in every language, previewed as residents read it and
by channel, sent now or at a time, followed and stopped; moderators and admins only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.services import Services, build_services
from bot.settings import Settings
from dialogs.events import Channel
from storage.news_tables import announcement_t
from storage.staff_tables import Role
from storage.tables import outbox_t
from tests.staff.conftest import add_accounts, csrf_of, sign_in
from tests.support.data import add_poll
from tests.support.talk import Talk

PAGE = "/staff/announcements"
TEXTS = {"text_fi": "Uusi kysely!", "text_sv": "Ny enkät!", "text_en": "New poll!"}


def _subscribed(services: Services, chat: str) -> None:
    talk = Talk(services.engine, channel=Channel.TELEGRAM, user_id=chat)
    talk.start()
    talk.press_id("consent.yes")
    talk.press_id("news")
    talk.press_id("news.polls")


def _post(client: TestClient, path: str, **fields: str) -> object:
    return client.post(path, data={"csrf": csrf_of(client, PAGE), **fields})


def test_the_preview_shows_each_language_as_read_and_what_each_channel_does(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    _subscribed(services, "70001")
    client = signed_in(Role.MODERATOR)
    preview = client.post(
        f"{PAGE}/preview",
        data={"csrf": csrf_of(client, PAGE), "topic": "polls", "when": "now", **TEXTS},
    )
    assert preview.status_code == 200
    html = preview.text
    assert "Tavoittaa nyt tilaajia: 1." in html
    assert "Uusi kysely!\n\nSaat tämän, koska valitsit uutisia." in html
    assert "Ny enkät!\n\nDu får det här eftersom du valde nyheter." in html
    assert "Messenger: Ei toimiteta: Meta ei salli tiedotteita EU:ssa asuville." in html
    assert "Telegram: Toimitetaan chattiin" in html
    with services.database.connect() as connection:  # a preview sends nothing
        made = connection.execute(sa.select(sa.func.count()).select_from(announcement_t))
        assert made.scalar() == 0


def test_with_news_by_email_the_preview_shows_the_letter_and_where_it_goes(
    settings: Settings, password_hash: str
) -> None:
    by_email = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "public_url": "https://osallistu.example.fi"}
    )
    services = build_services(by_email)
    add_accounts(services, password_hash)
    app = create_app(by_email, services=services)
    client = sign_in(
        TestClient(app, base_url="https://testserver", follow_redirects=False), Role.MODERATOR
    )
    preview = client.post(
        f"{PAGE}/preview",
        data={"csrf": csrf_of(client, PAGE), "topic": "polls", "when": "now", **TEXTS},
    )
    html = preview.text
    assert "Sähköpostina" in html
    assert "Aihe: Uusi kysely!" in html
    assert "Avaa tämä linkki, jos haluat lopettaa nämä sähköpostit:" in html
    assert "Verkkochat: Sähköpostina niille, jotka vahvistivat osoitteensa." in html
    assert "Messenger: Ei chattiin: Meta ei salli tiedotteita EU:ssa asuville." in html
    services.database.dispose()


def test_a_missing_language_is_refused_in_words_and_the_text_kept(
    signed_in: Callable[[Role], TestClient],
) -> None:
    client = signed_in(Role.ADMIN)
    response = client.post(
        f"{PAGE}/preview",
        data={"csrf": csrf_of(client, PAGE), "topic": "news", "text_fi": "Hei kaikki"},
    )
    assert response.status_code == 422
    assert "Kirjoita teksti jokaisella kielellä" in response.text
    assert "Hei kaikki</textarea>" in response.text


def test_sent_now_it_is_queued_counted_and_can_be_stopped(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    for chat in ("70011", "70012"):
        _subscribed(services, chat)
    client = signed_in(Role.MODERATOR)
    sent = _post(client, PAGE, topic="polls", when="now", **TEXTS)
    assert sent.status_code == 303  # type: ignore[attr-defined]
    page = client.get(PAGE).text
    assert "Tiedote on matkalla tilaajille." not in page  # the notice rides on the redirect
    page = client.get(sent.headers["location"]).text  # type: ignore[attr-defined]
    assert "Tiedote on matkalla tilaajille." in page
    row = re.search(r'<tr id="a(\d+)">(.*?)</tr>', page, re.S)
    assert row is not None and "Lähetetään" not in row.group(2)
    cells = re.findall(r"<td>([^<]*)</td>", row.group(2))
    assert cells[1:4] == ["Lähetetty", "0", "2"]  # state, sent, waiting
    stopped = _post(client, f"{PAGE}/{row.group(1)}/stop")
    assert stopped.status_code == 303  # type: ignore[attr-defined]
    with services.database.connect() as connection:
        waiting = connection.execute(
            sa.select(sa.func.count()).select_from(outbox_t).where(outbox_t.c.lane == 2)
        ).scalar()
    assert waiting == 0


def test_a_send_at_a_time_waits_for_it(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    _subscribed(services, "70021")
    client = signed_in(Role.ADMIN)
    later = "2031-06-01T10:00"
    assert _post(client, PAGE, topic="polls", when="at", at=later, **TEXTS).status_code == 303  # type: ignore[attr-defined]
    with services.database.connect() as connection:
        row = connection.execute(sa.select(announcement_t)).one()
    assert row.status == "scheduled" and not row.now_requested
    assert row.send_at == datetime(2031, 6, 1, 7, 0, tzinfo=UTC)  # 10.00 in Helsinki, summer


def test_at_night_staff_are_asked_to_confirm_a_send_now(
    signed_in: Callable[[Role], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(Role.MODERATOR)
    announcer = client.app.state.staff_area.announcer  # type: ignore[attr-defined]
    monkeypatch.setattr(announcer, "in_quiet_hours", lambda now: True)
    preview = client.post(
        f"{PAGE}/preview",
        data={"csrf": csrf_of(client, PAGE), "topic": "news", "when": "now", **TEXTS},
    )
    assert "Nyt on hiljainen aika (klo 21–8)." in preview.text
    assert "Lähetä silti heti" in preview.text


def test_a_drafted_poll_announcement_is_confirmed_on_the_page(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    add_poll(services.database)
    [draft] = services.announcer.draft_for_new_polls(now=datetime.now(UTC))
    client = signed_in(Role.MODERATOR)
    page = client.get(PAGE).text
    assert "Luonnos: odottaa vahvistustasi" in page and "Vahvista" in page
    confirmed = _post(client, f"{PAGE}/{draft}/confirm")
    assert confirmed.status_code == 303  # type: ignore[attr-defined]
    with services.database.connect() as connection:
        status = connection.execute(
            sa.select(announcement_t.c.status).where(announcement_t.c.id == draft)
        ).scalar_one()
    # Its time has come: it is queued at once, unless it is quiet hours (then the morning).
    quiet = services.announcer.in_quiet_hours(datetime.now(UTC))
    assert status == ("scheduled" if quiet else "sent")
