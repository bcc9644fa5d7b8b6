"""What staff change and read of events: the list with its sign-up counts, where an event
came from, cancelling, and a series' edits carried to its coming evenings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.event_series import COPIED
from storage.event_tables import EventSource, EventStatus, event_t


@dataclass(frozen=True)
class EventOrigin:
    id: int
    source: EventSource
    source_id: str
    place_id: int | None
    is_series: bool
    series_id: int | None

    @property
    def editable(self) -> bool:
        """Staff edit their own events; an imported one follows its feed (it can be
        cancelled here, not rewritten: the next sync would undo it)."""
        return self.source is EventSource.OWN and self.series_id is None


@dataclass(frozen=True)
class StaffEventRow:
    id: int
    title: dict[str, str]
    starts_at: datetime
    status: EventStatus
    source: EventSource
    signup_required: bool
    capacity: int | None
    is_series: bool
    demo: bool


def origin_of(*, connection: Connection, event_id: int) -> EventOrigin | None:
    row = connection.execute(
        sa.select(
            event_t.c.id,
            event_t.c.source,
            event_t.c.source_id,
            event_t.c.place_id,
            event_t.c.is_series,
            event_t.c.series_id,
        ).where(event_t.c.id == event_id)
    ).one_or_none()
    if row is None:
        return None
    return EventOrigin(row[0], EventSource(row[1]), row[2], row[3], row[4], row[5])


def staff_list(*, connection: Connection, since: datetime, limit: int = 200) -> list[StaffEventRow]:
    """Events from ``since`` on, soonest first; a series listed once, by its first evening."""
    rows = connection.execute(
        sa.select(
            event_t.c.id,
            event_t.c.title,
            event_t.c.starts_at,
            event_t.c.status,
            event_t.c.source,
            event_t.c.signup_required,
            event_t.c.capacity,
            event_t.c.is_series,
            event_t.c.demo,
        )
        .where(sa.or_(event_t.c.starts_at >= since, event_t.c.is_series.is_(True)))
        .order_by(event_t.c.is_series.desc(), event_t.c.starts_at, event_t.c.id)
        .limit(limit)
    )
    return [
        StaffEventRow(
            id=row[0],
            title=dict(row[1]),
            starts_at=row[2],
            status=EventStatus(row[3]),
            source=EventSource(row[4]),
            signup_required=row[5],
            capacity=row[6],
            is_series=row[7],
            demo=row[8],
        )
        for row in rows
    ]


def occurrences(*, connection: Connection, series_id: int, since: datetime) -> list[int]:
    """The series' evenings from ``since`` on, soonest first."""
    return list(
        connection.execute(
            sa.select(event_t.c.id)
            .where(event_t.c.series_id == series_id, event_t.c.starts_at >= since)
            .order_by(event_t.c.starts_at)
        ).scalars()
    )


def set_status(
    *, connection: Connection, event_ids: list[int], status: EventStatus, now: datetime
) -> None:
    connection.execute(
        sa.update(event_t).where(event_t.c.id.in_(event_ids)).values(status=status, updated_at=now)
    )


def carry_to_coming(*, connection: Connection, series_id: int, now: datetime) -> None:
    """A series edited: its coming evenings take its texts, place, price and sign-up rules
    (their own times stay)."""
    series = connection.execute(sa.select(event_t).where(event_t.c.id == series_id)).one()
    connection.execute(
        sa.update(event_t)
        .where(event_t.c.series_id == series_id, event_t.c.starts_at >= now)
        .values(
            **{name: getattr(series, name) for name in COPIED if name != "status"},
            updated_at=now,
        )
    )
