"""Sign-ups to events: a place or the waiting list, cancelling, and promotion in turn.

Every change that counts places first locks the event's row (``FOR UPDATE`` on PostgreSQL;
SQLite writes one transaction at a time), so fifty people signing up at once for the last
ten places give exactly ten places and forty on the waiting list, on any number of
instances.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.event_signup_tables import SignupStatus, signup_t
from storage.event_tables import event_t

ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITING)


@dataclass(frozen=True)
class Places:
    capacity: int | None  # None: as many as come
    confirmed: int
    waiting: int

    @property
    def left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.left == 0


@dataclass(frozen=True)
class Signup:
    event_id: int
    participant_id: int
    status: SignupStatus
    # On the waiting list: how many are before them, plus one. None when confirmed.
    position: int | None = None
    shared_name: str | None = None
    shared_phone: str | None = None


def _lock_event(connection: Connection, event_id: int) -> int | None:
    """Lock the event's row for the rest of the transaction; its capacity."""
    row = connection.execute(
        sa.select(event_t.c.capacity).where(event_t.c.id == event_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise LookupError(f"no event {event_id}")
    return row.capacity


def places(*, connection: Connection, event_id: int) -> Places:
    capacity = connection.execute(
        sa.select(event_t.c.capacity).where(event_t.c.id == event_id)
    ).scalar_one()
    return _places(connection, event_id, capacity)


def _places(connection: Connection, event_id: int, capacity: int | None) -> Places:
    counts: dict[str, int] = dict(
        connection.execute(
            sa.select(signup_t.c.status, sa.func.count())
            .where(signup_t.c.event_id == event_id, signup_t.c.status.in_(ACTIVE))
            .group_by(signup_t.c.status)
        ).all()
    )
    return Places(
        capacity=capacity,
        confirmed=counts.get(SignupStatus.CONFIRMED, 0),
        waiting=counts.get(SignupStatus.WAITING, 0),
    )


def signup_of(*, connection: Connection, event_id: int, participant_id: int) -> Signup | None:
    """The person's sign-up to the event, unless they cancelled it."""
    row = connection.execute(
        sa.select(signup_t).where(
            signup_t.c.event_id == event_id,
            signup_t.c.participant_id == participant_id,
            signup_t.c.status.in_(ACTIVE),
        )
    ).one_or_none()
    if row is None:
        return None
    position = None
    if row.status == SignupStatus.WAITING:
        position = (
            1
            + connection.execute(
                sa.select(sa.func.count()).where(
                    signup_t.c.event_id == event_id,
                    signup_t.c.status == SignupStatus.WAITING,
                    sa.tuple_(signup_t.c.queued_at, signup_t.c.id) < (row.queued_at, row.id),
                )
            ).scalar_one()
        )
    return Signup(
        event_id=event_id,
        participant_id=participant_id,
        status=SignupStatus(row.status),
        position=position,
        shared_name=row.shared_name,
        shared_phone=row.shared_phone,
    )


def sign_up(
    *,
    connection: Connection,
    event_id: int,
    participant_id: int,
    now: datetime,
    shared_name: str | None = None,
    shared_phone: str | None = None,
) -> Signup:
    """A place if one is left, else the end of the waiting list; signing up again changes
    nothing but what is shared."""
    capacity = _lock_event(connection, event_id)
    existing = signup_of(connection=connection, event_id=event_id, participant_id=participant_id)
    shared = {"shared_name": shared_name, "shared_phone": shared_phone}
    if existing is not None:
        _update(connection, event_id, participant_id, **shared)
        return (
            signup_of(connection=connection, event_id=event_id, participant_id=participant_id)
            or existing
        )
    status = (
        SignupStatus.WAITING
        if _places(connection, event_id, capacity).full
        else SignupStatus.CONFIRMED
    )
    values = {
        "status": status,
        "queued_at": now,
        "confirmed_at": now if status is SignupStatus.CONFIRMED else None,
        "cancelled_at": None,
        "reminded_at": None,
        "stopped": False,
        **shared,
    }
    cancelled_before = connection.execute(
        sa.select(signup_t.c.id).where(
            signup_t.c.event_id == event_id, signup_t.c.participant_id == participant_id
        )
    ).scalar_one_or_none()
    if cancelled_before is not None:
        _update(connection, event_id, participant_id, **values)
    else:
        connection.execute(
            sa.insert(signup_t).values(
                event_id=event_id, participant_id=participant_id, created_at=now, **values
            )
        )
    signed = signup_of(connection=connection, event_id=event_id, participant_id=participant_id)
    assert signed is not None
    return signed


def _update(connection: Connection, event_id: int, participant_id: int, **values: object) -> None:
    connection.execute(
        sa.update(signup_t)
        .where(signup_t.c.event_id == event_id, signup_t.c.participant_id == participant_id)
        .values(**values)
    )


def cancel(
    *, connection: Connection, event_id: int, participant_id: int, now: datetime
) -> list[int] | None:
    """Cancel the person's sign-up; the participants promoted to the freed place (None if
    there was nothing to cancel)."""
    capacity = _lock_event(connection, event_id)
    cancelled = connection.execute(
        sa.update(signup_t)
        .where(
            signup_t.c.event_id == event_id,
            signup_t.c.participant_id == participant_id,
            signup_t.c.status.in_(ACTIVE),
        )
        .values(
            status=SignupStatus.CANCELLED, cancelled_at=now, shared_name=None, shared_phone=None
        )
    )
    if cancelled.rowcount == 0:
        return None
    return _fill(connection, event_id, capacity, now)


def fill_places(*, connection: Connection, event_id: int, now: datetime) -> list[int]:
    """Promote from the waiting list while places are left (the capacity was raised); the
    participants promoted, in turn."""
    return _fill(connection, event_id, _lock_event(connection, event_id), now)


def _fill(connection: Connection, event_id: int, capacity: int | None, now: datetime) -> list[int]:
    left = _places(connection, event_id, capacity).left
    waiting = signup_t.c.status == SignupStatus.WAITING
    limit = left if left is not None else None
    if limit == 0:
        return []
    statement = (
        sa.select(signup_t.c.id, signup_t.c.participant_id)
        .where(signup_t.c.event_id == event_id, waiting)
        .order_by(signup_t.c.queued_at, signup_t.c.id)
    )
    if limit is not None:
        statement = statement.limit(limit)
    promoted = connection.execute(statement).all()
    if promoted:
        connection.execute(
            sa.update(signup_t)
            .where(signup_t.c.id.in_([row.id for row in promoted]))
            .values(status=SignupStatus.CONFIRMED, confirmed_at=now)
        )
    return [row.participant_id for row in promoted]


def set_attended(*, connection: Connection, event_id: int, attended: set[int]) -> None:
    """Staff marked who came (sign-up ids); the other confirmed did not."""
    confirmed = sa.and_(
        signup_t.c.event_id == event_id, signup_t.c.status == SignupStatus.CONFIRMED
    )
    connection.execute(
        sa.update(signup_t)
        .where(confirmed)
        .values(attended=signup_t.c.id.in_(attended) if attended else sa.false())
    )


def stop_messages(*, connection: Connection, participant_id: int) -> int:
    """The resident said "stop": no reminders or questions for the sign-ups they have."""
    return connection.execute(
        sa.update(signup_t)
        .where(signup_t.c.participant_id == participant_id, signup_t.c.status.in_(ACTIVE))
        .values(stopped=True)
    ).rowcount


def with_free_places(*, connection: Connection, now: datetime) -> list[int]:
    """Coming events where a place is free while people wait (someone who held one deleted
    their data): the upkeep job promotes the next in turn."""
    confirmed = (
        sa.select(sa.func.count())
        .where(signup_t.c.event_id == event_t.c.id, signup_t.c.status == SignupStatus.CONFIRMED)
        .scalar_subquery()
    )
    waiting = sa.exists().where(
        signup_t.c.event_id == event_t.c.id, signup_t.c.status == SignupStatus.WAITING
    )
    return list(
        connection.execute(
            sa.select(event_t.c.id).where(
                event_t.c.starts_at > now,
                event_t.c.capacity.is_not(None),
                confirmed < event_t.c.capacity,
                waiting,
            )
        ).scalars()
    )
