"""Events: upsert from imports and the staff area, by ``(source, source_id)``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

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


def _id_of(connection: Connection, source: str, source_id: str) -> int | None:
    return connection.execute(
        sa.select(event_t.c.id).where(event_t.c.source == source, event_t.c.source_id == source_id)
    ).scalar_one_or_none()
