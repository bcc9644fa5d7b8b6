"""The inbox: one row per inbound event, unique by (channel, event id)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.tables import inbox_t
from storage.upsert import insert_ignoring_conflict

_REPLIES = sa.select(inbox_t.c.replies).where(
    inbox_t.c.channel == sa.bindparam("channel"), inbox_t.c.event_id == sa.bindparam("event_id")
)


def record_inbound(
    *,
    connection: Connection,
    channel: str,
    event_id: str,
    participant_id: int | None,
    payload: dict[str, Any] | None,
    replies: list[dict[str, Any]] | None,
    now: datetime,
) -> int | None:
    """Insert the event; return its inbox id, or None if it was seen before."""
    return insert_ignoring_conflict(
        connection,
        inbox_t,
        {
            "channel": channel,
            "event_id": event_id,
            "participant_id": participant_id,
            "payload": payload,
            "replies": replies,
            "received_at": now,
        },
        returning=inbox_t.c.id,
    )


def stored_replies(*, connection: Connection, channel: str, event_id: str) -> list[dict[str, Any]]:
    """Return the replies stored with an event answered synchronously (empty for others)."""
    replies = connection.execute(
        _REPLIES, {"channel": channel, "event_id": event_id}
    ).scalar_one_or_none()
    return list(replies or [])


def forget_payload(*, connection: Connection, channel: str, event_id: str) -> None:
    """Blank what an inbound message said (it was unsent); keep its key against repeats."""
    connection.execute(
        sa.update(inbox_t)
        .where(inbox_t.c.channel == channel, inbox_t.c.event_id == event_id)
        .values(payload=None)
    )
