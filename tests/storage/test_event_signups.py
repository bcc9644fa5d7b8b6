"""Sign-ups on both databases: people signing up at once for the last places get exactly as
many places as are left, the rest wait in the order they came, and a freed place goes to
the next in turn; a weekly series keeps its local time across the change to summer time."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from storage import event_signups
from storage.engine import transaction
from storage.event_series import expand_series
from storage.event_signup_tables import SignupStatus, signup_t
from storage.event_tables import EventSource, event_t
from storage.events import EventRecord, upsert_event
from storage.participants import participant_for_event
from tests.conftest import make_settings

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build_services(make_settings(database_url, media_dir=tmp_path / "media"))
    yield built
    built.database.dispose()


def _event(services: Services, capacity: int | None, **values: object) -> int:
    record = EventRecord(
        source=EventSource.OWN,
        source_id=str(values.pop("source_id", "workshop")),
        title={"fi": "Työpaja (demo)"},
        starts_at=values.pop("starts_at", NOW + timedelta(days=2)),  # type: ignore[arg-type]
        signup_required=True,
        capacity=capacity,
        **values,  # type: ignore[arg-type]
    )
    with transaction(services.database) as connection:
        upsert_event(connection=connection, record=record, now=NOW)
        return int(
            connection.execute(
                sa.select(event_t.c.id).where(event_t.c.source_id == record.source_id)
            ).scalar_one()
        )


def _people(services: Services, count: int) -> list[int]:
    with transaction(services.database) as connection:
        return [
            participant_for_event(
                connection=connection,
                channel="telegram",
                channel_user_id=f"person-{n}",
                pseudonym_key=b"k" * 32,
                now=NOW,
            ).participant.id
            for n in range(count)
        ]


def _sign_up(services: Services, event_id: int, participant_id: int, at: datetime) -> SignupStatus:
    with transaction(services.database) as connection:
        return event_signups.sign_up(
            connection=connection, event_id=event_id, participant_id=participant_id, now=at
        ).status


def test_fifty_at_once_for_the_last_ten_places(services: Services) -> None:
    event_id = _event(services, capacity=12)
    people = _people(services, 52)
    for person in people[:2]:
        _sign_up(services, event_id, person, NOW)
    crowd = people[2:]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(lambda p: _sign_up(services, event_id, p, NOW + timedelta(seconds=1)), crowd)
        )
    assert statuses.count(SignupStatus.CONFIRMED) == 10
    assert statuses.count(SignupStatus.WAITING) == 40
    with services.database.connect() as connection:
        places = event_signups.places(connection=connection, event_id=event_id)
    assert (places.confirmed, places.waiting, places.full) == (12, 40, True)


def test_a_freed_place_goes_to_the_first_in_the_queue_and_positions_move_up(
    services: Services,
) -> None:
    event_id = _event(services, capacity=1)
    first, second, third = _people(services, 3)
    for n, person in enumerate((first, second, third)):
        _sign_up(services, event_id, person, NOW + timedelta(minutes=n))
    with transaction(services.database) as connection:
        third_before = event_signups.signup_of(
            connection=connection, event_id=event_id, participant_id=third
        )
        promoted = event_signups.cancel(
            connection=connection, event_id=event_id, participant_id=first, now=NOW
        )
        third_after = event_signups.signup_of(
            connection=connection, event_id=event_id, participant_id=third
        )
        again = event_signups.cancel(
            connection=connection, event_id=event_id, participant_id=first, now=NOW
        )
    assert promoted == [second]
    assert (third_before and third_before.position, third_after and third_after.position) == (2, 1)
    assert again is None
    # Signing up again after cancelling goes to the end of the queue.
    assert _sign_up(services, event_id, first, NOW + timedelta(hours=1)) is SignupStatus.WAITING
    with services.database.connect() as connection:
        rows = connection.execute(sa.select(signup_t.c.status)).scalars().all()
    assert sorted(rows) == ["confirmed", "waiting", "waiting"]


def test_without_a_capacity_everyone_gets_a_place(services: Services) -> None:
    event_id = _event(services, capacity=None)
    people = _people(services, 5)
    assert {_sign_up(services, event_id, p, NOW) for p in people} == {SignupStatus.CONFIRMED}


def test_a_weekly_series_stays_at_17_local_across_the_change_to_summer_time(
    services: Services,
) -> None:
    first = datetime(2027, 3, 16, 17, 0, tzinfo=HELSINKI)  # a Tuesday, winter time
    _event(
        services,
        capacity=10,
        source_id="tuesday-cafe",
        starts_at=first.astimezone(UTC),
        ends_at=(first + timedelta(hours=2)).astimezone(UTC),
        is_series=True,
        recurrence="FREQ=WEEKLY;BYDAY=TU;COUNT=4",
    )
    made_at = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)
    with transaction(services.database) as connection:
        assert expand_series(connection=connection, now=made_at, zone=HELSINKI) == 4
        assert expand_series(connection=connection, now=made_at, zone=HELSINKI) == 0  # idempotent
        rows = connection.execute(
            sa.select(event_t.c.starts_at, event_t.c.ends_at, event_t.c.series_id)
            .where(event_t.c.is_series.is_(False))
            .order_by(event_t.c.starts_at)
        ).all()
    local = [row.starts_at.astimezone(HELSINKI) for row in rows]
    assert [(t.day, t.hour) for t in local] == [(16, 17), (23, 17), (30, 17), (6, 17)]
    # Finland moves to summer time on 28 March: the same 17.00 is an hour earlier in UTC.
    assert [row.starts_at.astimezone(UTC).hour for row in rows] == [15, 15, 14, 14]
    assert all(row.ends_at - row.starts_at == timedelta(hours=2) for row in rows)
    assert len({row.series_id for row in rows}) == 1
