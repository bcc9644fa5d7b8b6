"""When a person of the team answers in the chat: opening hours as places have them
(``dialogs.domain.hours``), with exceptions and Finnish public holidays; kept in one row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.human_tables import service_hours_t
from storage.upsert import insert_ignoring_conflict

# Until staff set their own: weekdays 9–15, closed on public holidays.
DEFAULT_HOURS: dict[str, Any] = {
    "weekly": [{"days": ["mo", "tu", "we", "th", "fr"], "opens": "09:00", "closes": "15:00"}],
    "exceptions": [],
    "open_on_public_holidays": False,
}


def load(*, connection: Connection) -> dict[str, Any]:
    hours = connection.execute(
        sa.select(service_hours_t.c.hours).where(service_hours_t.c.id == 1)
    ).scalar_one_or_none()
    return dict(hours) if hours else dict(DEFAULT_HOURS)


def save(*, connection: Connection, hours: dict[str, Any], now: datetime) -> None:
    inserted = insert_ignoring_conflict(
        connection,
        service_hours_t,
        {"id": 1, "hours": hours, "updated_at": now},
        returning=service_hours_t.c.id,
    )
    if inserted is None:
        connection.execute(
            sa.update(service_hours_t)
            .where(service_hours_t.c.id == 1)
            .values(hours=hours, updated_at=now)
        )
