"""The outbox: replies stored with the state change, delivered afterwards by the relay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage import prepared
from storage.tables import Lane, OutboxStatus, inbox_t, outbox_t, participant_t
from storage.types import read_utc

MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel: str
    recipient: str
    participant_id: int | None
    payload: dict[str, Any]
    attempts: int
    last_inbound_at: datetime | None = None  # the person's latest message (messaging windows)
    lane: Lane = Lane.REPLY  # a conversation's (HUMAN, REPLY) or BULK: who goes first

    @property
    def urgent(self) -> bool:
        """Part of a conversation: goes before announcements waiting at the same moment."""
        return self.lane is not Lane.BULK


_INSERT = sa.insert(outbox_t)
_ENQUEUED = (
    "channel",
    "recipient",
    "participant_id",
    "inbox_id",
    "position",
    "lane",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "sent_at",
)


def enqueue(
    *,
    connection: Connection,
    channel: str,
    recipient: str,
    participant_id: int | None,
    inbox_id: int | None,
    payloads: Sequence[dict[str, Any]],
    now: datetime,
    lane: Lane = Lane.REPLY,
) -> None:
    """Queue replies in order for the relay, in ``lane`` (a person's words go first).

    A recipient's messages still go in the order queued: what already waits for them joins
    the new message's lane when that lane goes first, so nothing overtakes it."""
    if not payloads:
        return
    if lane < Lane.REPLY:
        connection.execute(
            sa.update(outbox_t)
            .where(
                outbox_t.c.channel == channel,
                outbox_t.c.recipient == recipient,
                outbox_t.c.status.in_([OutboxStatus.PENDING, OutboxStatus.HELD]),
                outbox_t.c.lane > lane,
            )
            .values(lane=lane)
        )
    prepared.execute(
        connection,
        _INSERT,
        [
            {
                "channel": channel,
                "recipient": recipient,
                "participant_id": participant_id,
                "inbox_id": inbox_id,
                "position": position,
                "lane": lane,
                "payload": payload,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "sent_at": None,
            }
            for position, payload in enumerate(payloads)
        ],
        keys=_ENQUEUED,
    )


_earlier = outbox_t.alias("earlier")


def claim_due(
    *,
    connection: Connection,
    channel: str,
    now: datetime,
    limit: int,
    one_per_recipient: bool = False,
) -> list[OutboxItem]:
    """Return up to ``limit`` due rows of one channel, by lane and then oldest first; on
    PostgreSQL they are locked so that other relays skip them.

    ``one_per_recipient`` (a platform that allows about one message a second per chat):
    only each recipient's oldest due row, so that a round holds no more than its second.
    """
    statement = (
        sa.select(
            outbox_t.c.id,
            outbox_t.c.channel,
            outbox_t.c.recipient,
            outbox_t.c.participant_id,
            outbox_t.c.payload,
            outbox_t.c.attempts,
            outbox_t.c.lane,
            sa.select(sa.func.max(inbox_t.c.received_at))
            .where(inbox_t.c.participant_id == outbox_t.c.participant_id)
            .scalar_subquery(),
        )
        .where(
            outbox_t.c.status == OutboxStatus.PENDING,
            outbox_t.c.next_attempt_at <= now,
            outbox_t.c.channel == channel,
            # Never past an older message of the same person that is still on its way
            # (claimed by a relay, or waiting for its retry): their order holds.
            ~sa.exists().where(
                _earlier.c.participant_id == outbox_t.c.participant_id,
                _earlier.c.status == OutboxStatus.PENDING,
                _earlier.c.id < outbox_t.c.id,
                _earlier.c.next_attempt_at > now,
            ),
        )
        .order_by(outbox_t.c.lane, outbox_t.c.id)
        # Enough rows to find ``limit`` recipients when some have several due.
        .limit(limit * 4 if one_per_recipient else limit)
    )
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=outbox_t)
    items: list[OutboxItem] = []
    seen: set[str] = set()
    for row in connection.execute(statement):
        item = OutboxItem(*row[:6], lane=Lane(row[6]), last_inbound_at=read_utc(row[7]))
        if one_per_recipient:
            if item.recipient in seen:
                continue
            seen.add(item.recipient)
        items.append(item)
        if len(items) == limit:
            break
    return items


def hold(*, connection: Connection, item: OutboxItem, reason: str, now: datetime) -> bool:
    """Keep a message until the person writes again (outside the platform's window).

    The sender judged the window by the person's last message as it was when the row was
    claimed. If they wrote since, that message found nothing held to release, so holding
    now would keep the reply until yet another message: it is due at once instead (and
    False returned). On PostgreSQL the participant's row is locked first, as the handling
    of their message locks it, so one of the two always sees the other.
    """
    if item.participant_id is not None:
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.select(participant_t.c.id)
                .where(participant_t.c.id == item.participant_id)
                .with_for_update()
            )
        latest = connection.execute(
            sa.select(sa.func.max(inbox_t.c.received_at)).where(
                inbox_t.c.participant_id == item.participant_id
            )
        ).scalar_one_or_none()
        latest = read_utc(latest)
        if latest is not None and (item.last_inbound_at is None or latest > item.last_inbound_at):
            connection.execute(
                sa.update(outbox_t).where(outbox_t.c.id == item.id).values(next_attempt_at=now)
            )
            return False
    connection.execute(
        sa.update(outbox_t)
        .where(outbox_t.c.id == item.id)
        .values(status=OutboxStatus.HELD, last_error=reason[:MAX_ERROR_LENGTH])
    )
    return True


_RELEASE = (
    sa.update(outbox_t)
    .where(
        outbox_t.c.participant_id == sa.bindparam("pid"),
        # A literal, not a bound value: the planner can then use the partial index
        # ix_outbox_held, whose condition it must see in the statement itself.
        outbox_t.c.status == sa.literal_column(f"'{OutboxStatus.HELD}'"),
    )
    .values(status=OutboxStatus.PENDING, next_attempt_at=sa.bindparam("now"))
)


def release_held(*, connection: Connection, participant_id: int, now: datetime) -> None:
    """The person wrote: what waited for them goes out first (older ids come first)."""
    connection.execute(_RELEASE, {"pid": participant_id, "now": now})


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


def waiting_for(
    *, connection: Connection, channel: str, recipient: str, limit: int = 20
) -> list[tuple[int, dict[str, Any]]]:
    """Messages queued for someone whose page fetches them itself (the web chat), oldest first."""
    rows = connection.execute(
        sa.select(outbox_t.c.id, outbox_t.c.payload)
        .where(
            outbox_t.c.channel == channel,
            outbox_t.c.recipient == recipient,
            outbox_t.c.status == OutboxStatus.PENDING,
        )
        .order_by(outbox_t.c.id)
        .limit(limit)
    )
    return [(row.id, row.payload) for row in rows]


def mark_fetched(
    *, connection: Connection, channel: str, recipient: str, ids: Sequence[int], now: datetime
) -> None:
    """The page has shown these: only the recipient's own rows can be marked."""
    if not ids:
        return
    connection.execute(
        sa.update(outbox_t)
        .where(
            outbox_t.c.id.in_(list(ids)),
            outbox_t.c.channel == channel,
            outbox_t.c.recipient == recipient,
            outbox_t.c.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.SENT, sent_at=now, attempts=outbox_t.c.attempts + 1)
    )
