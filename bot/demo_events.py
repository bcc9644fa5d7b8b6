"""Demo events for ``make run``: made up, marked as demo, at the demo places, in the coming
days from when they are loaded, so that "What's on" has something this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection

from storage.domain_tables import place_t
from storage.event_series import expand_series
from storage.event_tables import Audience, EventSource
from storage.events import EventRecord, upsert_event


@dataclass(frozen=True)
class DemoEvent:
    source_id: str
    title: dict[str, str]
    description: dict[str, str]
    place: str  # a demo place's source id
    days_ahead: int
    starts: time
    hours: int
    audience: Audience = Audience.EVERYONE
    capacity: int | None = None  # with a capacity, residents sign up
    weekly: bool = False


DEMO_EVENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "demo" / "events.yaml"


def demo_events() -> tuple[DemoEvent, ...]:
    written = yaml.safe_load(DEMO_EVENTS_FILE.read_text(encoding="utf-8"))
    return tuple(
        DemoEvent(
            source_id=event["source_id"],
            title=event["title"],
            description=event["description"],
            place=event["place"],
            days_ahead=event["days_ahead"],
            starts=time.fromisoformat(event["starts"]),
            hours=event["hours"],
            audience=Audience(event["audience"]),
            capacity=event.get("capacity"),
            weekly=event.get("weekly", False),
        )
        for event in written["events"]
    )


def add_demo_events(connection: Connection, *, now: datetime, zone: ZoneInfo) -> str:
    places = {
        row.source_id: row.id
        for row in connection.execute(sa.select(place_t.c.source_id, place_t.c.id))
    }
    today = now.astimezone(zone).date()
    events = demo_events()
    for demo in events:
        start = datetime.combine(today + timedelta(days=demo.days_ahead), demo.starts, zone)
        if demo.weekly:  # the series' next Tuesday, today if it is one
            start += timedelta(days=(1 - start.weekday()) % 7)
        upsert_event(
            connection=connection,
            record=EventRecord(
                source=EventSource.OWN,
                source_id=demo.source_id,
                title=demo.title,
                description=demo.description,
                starts_at=start,
                ends_at=start + timedelta(hours=demo.hours),
                place_id=places.get(demo.place),
                audience=demo.audience,
                is_free=True,
                signup_required=demo.capacity is not None,
                capacity=demo.capacity,
                organiser="Yhdessä osallistuen (demo)",
                is_series=demo.weekly,
                recurrence="FREQ=WEEKLY" if demo.weekly else None,
                demo=True,
            ),
            now=now,
        )
    expand_series(connection=connection, now=now, zone=zone)
    return f"events: {len(events)} demo events added"
