"""The outbox: replies stored with the state change, delivered afterwards by the relay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.tables import OutboxStatus, outbox_t

MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel: str
    recipient: str
    participant_id: int | None
    payload: dict[str, Any]
    attempts: int


_INSERT = sa.insert(outbox_t)


def enqueue(
    *,
    connection: Connection,
    channel: str,
    recipient: str,
    participant_id: int | None,
    inbox_id: int | None,
    payloads: Sequence[dict[str, Any]],
    now: datetime,
) -> None:
    """Queue replies in order for the relay."""
    if not payloads:
        return
    connection.execute(
        _INSERT,
        [
            {
                "channel": channel,
                "recipient": recipient,
                "participant_id": participant_id,
                "inbox_id": inbox_id,
                "position": position,
                "payload": payload,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "sent_at": None,
            }
            for position, payload in enumerate(payloads)
        ],
    )


def claim_due(
    *, connection: Connection, channels: Sequence[str], now: datetime, limit: int
) -> list[OutboxItem]:
    """Return due pending rows, oldest first; on PostgreSQL lock them so other relays skip them."""
    statement = (
        sa.select(
            outbox_t.c.id,
            outbox_t.c.channel,
            outbox_t.c.recipient,
            outbox_t.c.participant_id,
            outbox_t.c.payload,
            outbox_t.c.attempts,
        )
        .where(
            outbox_t.c.status == OutboxStatus.PENDING,
            outbox_t.c.next_attempt_at <= now,
            outbox_t.c.channel.in_(list(channels)),
        )
        .order_by(outbox_t.c.id)
        .limit(limit)
    )
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True)
    return [OutboxItem(*row) for row in connection.execute(statement)]


def mark_sent(*, connection: Connection, outbox_id: int, now: datetime) -> None:
    connection.execute(
        sa.update(outbox_t)
        .where(outbox_t.c.id == outbox_id)
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=outbox_t.c.attempts + 1)
    )


def reschedule(*, connection: Connection, outbox_id: int, at: datetime, error: str) -> None:
    connection.execute(
        sa.update(outbox_t)
        .where(outbox_t.c.id == outbox_id)
        .values(
            next_attempt_at=at,
            attempts=outbox_t.c.attempts + 1,
            last_error=error[:MAX_ERROR_LENGTH],
        )
    )


def dead_letter(*, connection: Connection, outbox_id: int, error: str) -> None:
    connection.execute(
        sa.update(outbox_t)
        .where(outbox_t.c.id == outbox_id)
        .values(
            status=OutboxStatus.DEAD,
            attempts=outbox_t.c.attempts + 1,
            last_error=error[:MAX_ERROR_LENGTH],
        )
    )
