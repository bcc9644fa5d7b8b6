"""Events: upsert from imports and the staff area, by ``(source, source_id)``."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import place_t
from storage.event_tables import Audience, EventStatus, event_t


@dataclass(frozen=True)
class EventRecord:
    """An event as an import or a staff member brings it; ``series_source_id`` names the
    series (a Linked Events super event) it is an occurrence of, from the same source."""

    source: str
    source_id: str
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None = None
    description: dict[str, str] = field(default_factory=dict)
    place_id: int | None = None
    place_name: dict[str, str] = field(default_factory=dict)
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    area_code: str | None = None
    audience: Audience = Audience.EVERYONE
    is_free: bool | None = None
    price: dict[str, str] = field(default_factory=dict)
    signup_required: bool = False
    capacity: int | None = None
    signup_deadline: datetime | None = None
    organiser: str | None = None
    url: str | None = None
    accessibility: dict[str, str] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    status: EventStatus = EventStatus.SCHEDULED
    is_series: bool = False
    recurrence: str | None = None
    series_source_id: str | None = None
    demo: bool = False


def upsert_event(*, connection: Connection, record: EventRecord, now: datetime) -> bool:
    """Insert or update by source id; return True when the event is new. A series is
    upserted before its occurrences (an import orders them so)."""
    values = asdict(record)
    del values["series_source_id"]
    values["keywords"] = list(record.keywords)
    values["series_id"] = (
        _id_of(connection, record.source, record.series_source_id)
        if record.series_source_id
        else None
    )
    existing = _id_of(connection, record.source, record.source_id)
    if existing is None:
        connection.execute(sa.insert(event_t).values(**values, created_at=now, updated_at=now))
        return True
    connection.execute(
        sa.update(event_t).where(event_t.c.id == existing).values(**values, updated_at=now)
    )
    return False


def id_of(*, connection: Connection, source: str, source_id: str) -> int | None:
    return _id_of(connection, source, source_id)


def _id_of(connection: Connection, source: str, source_id: str) -> int | None:
    return connection.execute(
        sa.select(event_t.c.id).where(event_t.c.source == source, event_t.c.source_id == source_id)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class EventListing:
    """An event as a resident's card shows it: where from its own fields, or from our place."""

    id: int
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None
    place_name: dict[str, str]
    street: str | None
    city: str | None
    lat: float | None
    lon: float | None
    audience: Audience
    is_free: bool | None
    price: dict[str, str]
    signup_required: bool
    capacity: int | None
    status: EventStatus
    url: str | None
    description: dict[str, str] = field(default_factory=dict)
    accessibility: dict[str, str] = field(default_factory=dict)
    organiser: str | None = None
    signup_deadline: datetime | None = None
    postal_code: str | None = None

    def signups_open(self, now: datetime) -> bool:
        """Whether a resident may sign up now: required, before the deadline and the start,
        and not cancelled or postponed."""
        closes = self.signup_deadline or self.starts_at
        return (
            self.signup_required
            and self.status is EventStatus.SCHEDULED
            and now < min(closes, self.starts_at)
        )


@dataclass(frozen=True)
class WhatsOn:
    """What a resident asked for: a span of time and, optionally, whom for, free only, near
    a point (nearest first) or in an area."""

    start: datetime
    end: datetime
    audience: Audience | None = None
    free_only: bool = False
    near: tuple[float, float] | None = None
    area_code: str | None = None
    limit: int = 5


def _listed_columns() -> tuple[Any, ...]:
    own = place_t.alias("own_place")
    return (
        own,
        (
            event_t.c.id,
            event_t.c.title,
            event_t.c.starts_at,
            event_t.c.ends_at,
            # The event's own place, or the one of ours it is at.
            sa.case((event_t.c.place_id.is_(None), event_t.c.place_name), else_=own.c.name),
            sa.func.coalesce(event_t.c.street, own.c.street),
            sa.func.coalesce(event_t.c.city, own.c.city),
            sa.func.coalesce(event_t.c.lat, own.c.lat).label("lat"),
            sa.func.coalesce(event_t.c.lon, own.c.lon).label("lon"),
            event_t.c.audience,
            event_t.c.is_free,
            event_t.c.price,
            event_t.c.signup_required,
            event_t.c.capacity,
            event_t.c.status,
            event_t.c.url,
            event_t.c.description,
            event_t.c.accessibility,
            event_t.c.organiser,
            event_t.c.signup_deadline,
            sa.func.coalesce(event_t.c.postal_code, own.c.postal_code),
        ),
    )


def whats_on(*, connection: Connection, asked: WhatsOn) -> list[EventListing]:
    """Events starting in the span (cancelled ones too, marked: a resident who meant to go
    should learn it), soonest first, or nearest first when ``near`` is given (those without
    a location left out)."""
    own, columns = _listed_columns()
    where = [
        event_t.c.is_series.is_(False),
        event_t.c.starts_at >= asked.start,
        event_t.c.starts_at < asked.end,
    ]
    if asked.audience is not None:
        where.append(event_t.c.audience == asked.audience)
    if asked.free_only:
        where.append(event_t.c.is_free.is_(True))
    if asked.area_code is not None:
        where.append(sa.func.coalesce(event_t.c.area_code, own.c.area_code) == asked.area_code)
    joined = event_t.outerjoin(own, own.c.id == event_t.c.place_id)
    statement = sa.select(*columns).select_from(joined).where(*where)
    order: tuple[Any, ...] = (event_t.c.starts_at, event_t.c.id)
    if asked.near is not None:
        # Nearest first by a flat-earth distance, as places are (exact enough to rank
        # within a region); the card says the great-circle distance. The week's events are
        # ranked by id and distance alone, and only the nearest few read whole: a sort of
        # narrow rows, not of every event's texts.
        lat, lon = asked.near
        event_lat = sa.func.coalesce(event_t.c.lat, own.c.lat)
        event_lon = sa.func.coalesce(event_t.c.lon, own.c.lon)
        squeeze = math.cos(math.radians(lat)) ** 2
        flat = (event_lat - lat) * (event_lat - lat) + squeeze * (event_lon - lon) * (
            event_lon - lon
        )
        order = (flat, *order)
        nearest = (
            sa.select(event_t.c.id)
            .select_from(joined)
            .where(*where, event_lat.is_not(None))
            .order_by(*order)
            .limit(asked.limit)
        )
        statement = statement.where(event_t.c.id.in_(nearest))
    statement = statement.order_by(*order)
    return [_listing(row) for row in connection.execute(statement.limit(asked.limit))]


def _listing(row: Any) -> EventListing:
    return EventListing(
        id=row[0],
        title=dict(row[1]),
        starts_at=row[2],
        ends_at=row[3],
        place_name=dict(row[4] or {}),
        street=row[5],
        city=row[6],
        lat=row[7],
        lon=row[8],
        audience=Audience(row[9]),
        is_free=row[10],
        price=dict(row[11] or {}),
        signup_required=row[12],
        capacity=row[13],
        status=EventStatus(row[14]),
        url=row[15],
        description=dict(row[16] or {}),
        accessibility=dict(row[17] or {}),
        organiser=row[18],
        signup_deadline=row[19],
        postal_code=row[20],
    )


def get_event(*, connection: Connection, event_id: int) -> EventListing | None:
    """One event as listed (a series' own row too)."""
    own, columns = _listed_columns()
    row = connection.execute(
        sa.select(*columns)
        .select_from(event_t.outerjoin(own, own.c.id == event_t.c.place_id))
        .where(event_t.c.id == event_id)
    ).one_or_none()
    return _listing(row) if row is not None else None


def listed_between(
    *, connection: Connection, start: datetime, end: datetime, limit: int = 500
) -> list[EventListing]:
    """Every listed event starting in the span, soonest first (the public page and feed)."""
    return whats_on(connection=connection, asked=WhatsOn(start=start, end=end, limit=limit))
