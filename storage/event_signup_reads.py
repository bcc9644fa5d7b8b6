"""What is read of sign-ups: a resident's own, the staff list of one event, counts, and
who a notice about an event goes to."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.announcements import Recipient
from storage.event_signup_tables import SignupStatus, signup_t
from storage.event_signups import ACTIVE
from storage.event_tables import event_t
from storage.tables import participant_t


@dataclass(frozen=True)
class MySignup:
    event_id: int
    title: dict[str, str]
    starts_at: datetime
    status: SignupStatus
    shared_name: str | None
    shared_phone: str | None


def signups_of(
    *, connection: Connection, participant_id: int, since: datetime | None = None
) -> list[MySignup]:
    """The person's sign-ups that stand, soonest first; from ``since`` on when given."""
    where = [signup_t.c.participant_id == participant_id, signup_t.c.status.in_(ACTIVE)]
    if since is not None:
        where.append(event_t.c.starts_at >= since)
    rows = connection.execute(
        sa.select(
            signup_t.c.event_id,
            event_t.c.title,
            event_t.c.starts_at,
            signup_t.c.status,
            signup_t.c.shared_name,
            signup_t.c.shared_phone,
        )
        .join(event_t, event_t.c.id == signup_t.c.event_id)
        .where(*where)
        .order_by(event_t.c.starts_at, event_t.c.id)
    )
    return [
        MySignup(
            event_id=row.event_id,
            title=dict(row.title),
            starts_at=row.starts_at,
            status=SignupStatus(row.status),
            shared_name=row.shared_name,
            shared_phone=row.shared_phone,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SignupEntry:
    """One line of an event's sign-up list for staff."""

    id: int
    status: SignupStatus
    queued_at: datetime
    channel: str
    shared_name: str | None
    shared_phone: str | None
    attended: bool | None


def signup_list(*, connection: Connection, event_id: int) -> list[SignupEntry]:
    """Confirmed first, then the waiting list in its order (cancelled ones are left out)."""
    waiting_last = sa.case((signup_t.c.status == SignupStatus.WAITING, 1), else_=0)
    rows = connection.execute(
        sa.select(
            signup_t.c.id,
            signup_t.c.status,
            signup_t.c.queued_at,
            participant_t.c.channel,
            signup_t.c.shared_name,
            signup_t.c.shared_phone,
            signup_t.c.attended,
        )
        .join(participant_t, participant_t.c.id == signup_t.c.participant_id)
        .where(signup_t.c.event_id == event_id, signup_t.c.status.in_(ACTIVE))
        .order_by(waiting_last, signup_t.c.queued_at, signup_t.c.id)
    )
    return [
        SignupEntry(
            id=row.id,
            status=SignupStatus(row.status),
            queued_at=row.queued_at,
            channel=row.channel,
            shared_name=row.shared_name,
            shared_phone=row.shared_phone,
            attended=row.attended,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SignupCounts:
    confirmed: int = 0
    waiting: int = 0
    attended: int = 0


def counts_by_event(
    *, connection: Connection, event_ids: Collection[int]
) -> dict[int, SignupCounts]:
    if not event_ids:
        return {}
    rows = connection.execute(
        sa.select(
            signup_t.c.event_id,
            sa.func.count().filter(signup_t.c.status == SignupStatus.CONFIRMED),
            sa.func.count().filter(signup_t.c.status == SignupStatus.WAITING),
            sa.func.count().filter(signup_t.c.attended.is_(True)),
        )
        .where(signup_t.c.event_id.in_(list(event_ids)))
        .group_by(signup_t.c.event_id)
    )
    return {row[0]: SignupCounts(row[1], row[2], row[3]) for row in rows}


def recipients(*, connection: Connection, participant_ids: Collection[int]) -> list[Recipient]:
    """Where a notice to these participants goes: their own chat (who blocked the bot is
    left out)."""
    if not participant_ids:
        return []
    rows = connection.execute(
        sa.select(
            participant_t.c.id,
            participant_t.c.channel,
            participant_t.c.channel_user_id,
            participant_t.c.locale,
        )
        .where(participant_t.c.id.in_(list(participant_ids)), participant_t.c.reachable.is_(True))
        .order_by(participant_t.c.id)
    )
    return [Recipient(row.id, row.channel, row.channel_user_id, row.locale) for row in rows]


def signed_up(*, connection: Connection, event_id: int) -> list[int]:
    """Everyone whose sign-up stands: confirmed and waiting (told when it is cancelled)."""
    return list(
        connection.execute(
            sa.select(signup_t.c.participant_id)
            .where(signup_t.c.event_id == event_id, signup_t.c.status.in_(ACTIVE))
            .order_by(signup_t.c.id)
        ).scalars()
    )
