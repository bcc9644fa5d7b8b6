"""Weekly series: each occurrence of a series' rule becomes an event row of its own, so a
resident signs up for one evening at a time.

The rule (RFC 5545 RRULE, read by ``python-dateutil``) is expanded in the city's local time
and only then turned into UTC: "Tuesdays at 17" stays at 17 when the clocks change.
Occurrences are made some weeks ahead and never rewritten here — one cancelled by staff
stays cancelled.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from dateutil.rrule import rrulestr
from sqlalchemy.engine import Connection

from storage.event_tables import event_t
from storage.upsert import insert_ignoring_conflict

AHEAD = timedelta(weeks=8)  # how far ahead occurrences are listed
COPIED = (  # what an evening of a series takes from the series
    "source",
    "title",
    "description",
    "place_id",
    "place_name",
    "street",
    "postal_code",
    "city",
    "lat",
    "lon",
    "area_code",
    "audience",
    "is_free",
    "price",
    "signup_required",
    "capacity",
    "organiser",
    "url",
    "accessibility",
    "keywords",
    "status",
    "demo",
)


def occurrence_starts(
    rule: str, first: datetime, zone: ZoneInfo, *, until: datetime
) -> list[datetime]:
    """The UTC starts of a rule's occurrences from ``first`` up to ``until``."""
    local_first = first.astimezone(zone).replace(tzinfo=None)
    local_until = until.astimezone(zone).replace(tzinfo=None)
    starts = rrulestr(rule, dtstart=local_first).between(local_first, local_until, inc=True)
    return [start.replace(tzinfo=zone).astimezone(first.tzinfo) for start in starts]


def expand_series(*, connection: Connection, now: datetime, zone: ZoneInfo) -> int:
    """Make the occurrences of every series that fall before ``now + AHEAD``; how many new."""
    series = connection.execute(
        sa.select(event_t).where(event_t.c.is_series.is_(True), event_t.c.recurrence.is_not(None))
    ).all()
    made = 0
    for row in series:
        length = row.ends_at - row.starts_at if row.ends_at is not None else None
        for start in occurrence_starts(row.recurrence, row.starts_at, zone, until=now + AHEAD):
            if start < now:
                continue
            local_day = start.astimezone(zone).date().isoformat()
            values = {name: getattr(row, name) for name in COPIED}
            inserted = insert_ignoring_conflict(
                connection,
                event_t,
                {
                    **values,
                    "source_id": f"{row.source_id}/{local_day}",
                    "starts_at": start,
                    "ends_at": start + length if length is not None else None,
                    # Sign-ups close when the occurrence starts, as for a single event.
                    "signup_deadline": None,
                    "is_series": False,
                    "recurrence": None,
                    "series_id": row.id,
                    "created_at": now,
                    "updated_at": now,
                },
                returning=event_t.c.id,
            )
            made += inserted is not None
    return made
