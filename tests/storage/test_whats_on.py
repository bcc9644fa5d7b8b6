"""What's on: events in a span of time, soonest first; for young people, free ones, in an
area, or nearest to a shared location; an event at one of our places takes its name and
location from the place; a series itself is never listed, its occurrences are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.events_import import import_events
from bot.services import Services, build_services
from storage.domain_tables import place_t
from storage.engine import transaction
from storage.event_tables import Audience, EventSource, EventStatus
from storage.events import EventRecord, WhatsOn, upsert_event, whats_on
from storage.places import PlaceRecord, upsert_place
from tests.conftest import make_settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "events"


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    """On SQLite and on PostgreSQL."""
    built = build_services(make_settings(database_url, media_dir=tmp_path / "media"))
    yield built
    built.database.dispose()


DECEMBER = datetime(2026, 12, 7, tzinfo=UTC)  # the Monday of the fixture's week
OTAVA = (61.6492, 27.0711)  # about 10 km from the centre


def _events(services: Services) -> None:
    import_events(
        services.database,
        str(FIXTURES / "linked_events.json"),
        audiences=services.settings.events_keyword_audiences,
    )
    now = datetime.now(UTC)
    with transaction(services.database) as connection:
        upsert_place(
            connection=connection,
            record=PlaceRecord(
                source="own",
                source_id="demo-otava",
                kind="meeting_place",
                name={"fi": "Otavan kohtaamispaikka (demo)"},
                area_code="otava",
                lat=OTAVA[0],
                lon=OTAVA[1],
            ),
            now=now,
        )
        place_id = connection.execute(
            sa.select(place_t.c.id).where(place_t.c.source_id == "demo-otava")
        ).scalar_one()
        upsert_event(
            connection=connection,
            record=EventRecord(
                source=EventSource.OWN,
                source_id="own-1",
                title={"fi": "Kylätalon kahvit (demo)"},
                starts_at=DECEMBER + timedelta(days=3, hours=10),
                place_id=place_id,
                audience=Audience.SENIORS,
                is_free=True,
            ),
            now=now,
        )


def _titles(services: Services, asked: WhatsOn) -> list[str]:
    with services.database.connect() as connection:
        return [event.title["fi"] for event in whats_on(connection=connection, asked=asked)]


def test_the_week_soonest_first_with_a_cancelled_one_marked(services: Services) -> None:
    _events(services)
    week = WhatsOn(start=DECEMBER, end=DECEMBER + timedelta(days=7), limit=10)
    assert _titles(services, week) == [
        "Nuorten pelailta (demo)",
        "Askartelupaja (demo)",
        "Kylätalon kahvit (demo)",
        "Joulukonsertti (demo)",
    ]
    with services.database.connect() as connection:
        listed = {e.title["fi"]: e for e in whats_on(connection=connection, asked=week)}
    assert listed["Askartelupaja (demo)"].status is EventStatus.CANCELLED
    coffee = listed["Kylätalon kahvit (demo)"]
    assert coffee.place_name == {"fi": "Otavan kohtaamispaikka (demo)"}  # from our place
    assert (coffee.lat, coffee.lon) == OTAVA


def test_for_young_people_free_in_an_area_and_near_me(services: Services) -> None:
    _events(services)
    week = WhatsOn(start=DECEMBER, end=DECEMBER + timedelta(days=7), limit=10)
    young = WhatsOn(week.start, week.end, audience=Audience.YOUNG)
    assert _titles(services, young) == ["Nuorten pelailta (demo)"]
    free = WhatsOn(week.start, week.end, free_only=True)
    assert _titles(services, free) == ["Nuorten pelailta (demo)", "Kylätalon kahvit (demo)"]
    in_otava = WhatsOn(week.start, week.end, area_code="otava")
    assert _titles(services, in_otava) == ["Kylätalon kahvit (demo)"]
    # In Otava, the coffee there comes before the games night in the centre; events without
    # a location (the concert, the crafts) are not "near" anything.
    near_otava = WhatsOn(week.start, week.end, near=OTAVA)
    assert _titles(services, near_otava) == ["Kylätalon kahvit (demo)", "Nuorten pelailta (demo)"]


def test_a_series_is_not_listed_its_occurrences_are(services: Services) -> None:
    _events(services)
    march = WhatsOn(
        start=datetime(2027, 3, 22, tzinfo=UTC), end=datetime(2027, 4, 5, tzinfo=UTC), limit=10
    )
    assert _titles(services, march) == ["Tiistaikahvila (demo)", "Tiistaikahvila (demo)"]
