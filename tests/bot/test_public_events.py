"""The public events: ``/events`` lists what is on in fi, sv and en without JavaScript,
filtered for whom and free ones; ``/events.ics`` and ``/events/{id}.ics`` are iCalendar
that a parser reads back, a cancelled event marked, times in UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from icalendar import Calendar

from bot.app import create_app
from bot.services import Services, build_services
from storage.engine import transaction
from storage.event_tables import Audience, EventSource, EventStatus, event_t
from storage.events import EventRecord, upsert_event
from tests.conftest import make_settings

SOON = (datetime.now(UTC) + timedelta(days=2)).replace(hour=15, minute=0, second=0, microsecond=0)


@pytest.fixture
def services(tmp_path: Path, database_url: str) -> Iterator[Services]:
    built = build_services(
        make_settings(
            database_url, media_dir=tmp_path / "media", public_url="https://osallistu.example"
        )
    )
    yield built
    built.database.dispose()


def _add(services: Services, source_id: str, title: dict[str, str], **values: object) -> int:
    record = EventRecord(
        source=EventSource.OWN,
        source_id=source_id,
        title=title,
        starts_at=values.pop("starts_at", SOON),  # type: ignore[arg-type]
        **values,  # type: ignore[arg-type]
    )
    with transaction(services.database) as connection:
        upsert_event(connection=connection, record=record, now=datetime.now(UTC))
        return int(
            connection.execute(
                sa.select(event_t.c.id).where(event_t.c.source_id == source_id)
            ).scalar_one()
        )


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    _add(
        services,
        "games",
        {"fi": "Peli-ilta (demo)", "sv": "Spelkväll (demo)", "en": "Games evening (demo)"},
        ends_at=SOON + timedelta(hours=2),
        audience=Audience.YOUNG,
        is_free=True,
        signup_required=True,
        capacity=12,
        place_name={"fi": "Otavan kohtaamispaikka"},
        lat=61.6492,
        lon=27.0711,
        description={"fi": "Lautapelejä ja konsolipelejä."},
    )
    _add(
        services,
        "choir",
        {"fi": "Kuoro (demo)"},
        starts_at=SOON + timedelta(days=1),
        audience=Audience.SENIORS,
        price={"fi": "5 €"},
        is_free=False,
    )
    _add(services, "off", {"fi": "Peruttu työpaja (demo)"}, status=EventStatus.CANCELLED)
    with TestClient(create_app(services.settings, services=services)) as client:
        yield client


def test_the_page_lists_the_events_in_each_language_and_filters_them(client: TestClient) -> None:
    page = client.get("/events?lang=fi")
    assert page.status_code == 200
    assert page.headers["content-language"] == "fi"
    assert "<script" not in page.text
    assert "Peli-ilta (demo)" in page.text and "Kuoro (demo)" in page.text
    assert "PERUTTU" in page.text
    assert "Ilmoittaudu etukäteen. Paikkoja jäljellä: 12." in page.text
    assert '<a href="/">Ilmoittaudu chatissa.</a>' in page.text
    assert "Hinta: 5 €" in page.text
    young = client.get("/events", params={"lang": "fi", "for": "young"})
    assert "Peli-ilta (demo)" in young.text and "Kuoro (demo)" not in young.text
    free = client.get("/events", params={"lang": "fi", "free": "1"})
    assert "Peli-ilta (demo)" in free.text and "Kuoro (demo)" not in free.text
    swedish = client.get("/events", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert swedish.headers["content-language"] == "sv"
    assert "Spelkväll (demo)" in swedish.text and "Evenemang" in swedish.text
    assert "Games evening (demo)" in client.get("/events?lang=en").text
    # Bad filters are ignored, never an error.
    assert client.get("/events", params={"for": "<script>", "lang": "xx"}).status_code == 200
    assert client.get("/events", params={"free": "maybe"}).status_code == 422


def test_the_feed_and_one_event_are_icalendar_a_parser_reads(
    client: TestClient, services: Services
) -> None:
    feed = client.get("/events.ics?lang=fi")
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(feed.content)
    entries = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {"Peli-ilta (demo)", "Kuoro (demo)", "Peruttu työpaja (demo)"}
    games = entries["Peli-ilta (demo)"]
    assert games.decoded("dtstart") == SOON
    assert games.decoded("dtend") == SOON + timedelta(hours=2)
    assert str(games["location"]) == "Otavan kohtaamispaikka"
    assert (games["geo"].latitude, games["geo"].longitude) == (61.6492, 27.0711)
    assert str(games["status"]) == "CONFIRMED"
    assert str(entries["Peruttu työpaja (demo)"]["status"]) == "CANCELLED"
    assert str(games["uid"]).endswith("@osallistu.example")
    event_id = int(str(games["uid"]).split("@")[0].removeprefix("event-"))
    one = Calendar.from_ical(client.get(f"/events/{event_id}.ics?lang=en").content)
    (entry,) = one.walk("VEVENT")
    assert str(entry["summary"]) == "Games evening (demo)"
    assert str(entry["uid"]) == str(games["uid"])  # the same event in every calendar
    assert client.get("/events/999999.ics").status_code == 404
    assert client.get("/events/not-a-number.ics").status_code == 422
