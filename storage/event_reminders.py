"""Who is due a reminder the day before an event, or the question afterwards, and the claim
that makes each go once: the row is marked in the transaction that queues the message, so
two instances running the job at once send it once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.event_signup_tables import SignupStatus, signup_t
from storage.event_tables import EventStatus, event_t
from storage.news_tables import news_email_t
from storage.tables import inbox_t, participant_t
from storage.types import read_utc


@dataclass(frozen=True)
class Due:
    """One confirmed sign-up a message is due for, and where it can go."""

    signup_id: int
    event_id: int
    participant_id: int
    channel: str
    recipient: str  # the chat's user id
    locale: str | None
    last_inbound_at: datetime | None  # the person's latest message (messaging windows)
    email_id: int | None  # a confirmed address for news by e-mail


def _due(
    connection: Connection, where: list[sa.ColumnElement[bool]], after_id: int, limit: int
) -> list[Due]:
    latest = (
        sa.select(sa.func.max(inbox_t.c.received_at))
        .where(inbox_t.c.participant_id == participant_t.c.id)
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(
            signup_t.c.id,
            signup_t.c.event_id,
            participant_t.c.id,
            participant_t.c.channel,
            participant_t.c.channel_user_id,
            participant_t.c.locale,
            latest,
            news_email_t.c.id,
        )
        .join(event_t, event_t.c.id == signup_t.c.event_id)
        .join(participant_t, participant_t.c.id == signup_t.c.participant_id)
        .outerjoin(
            news_email_t,
            sa.and_(
                news_email_t.c.participant_id == participant_t.c.id,
                news_email_t.c.confirmed_at.is_not(None),
            ),
        )
        .where(
            signup_t.c.status == SignupStatus.CONFIRMED,
            signup_t.c.stopped.is_(False),
            event_t.c.status == EventStatus.SCHEDULED,
            signup_t.c.id > after_id,
            *where,
        )
        .order_by(signup_t.c.id)
        .limit(limit)
    ).all()
    return [Due(*row[:6], read_utc(row[6]), row[7]) for row in rows]


def due_reminders(
    *,
    connection: Connection,
    starting_from: datetime,
    starting_before: datetime,
    after_id: int = 0,
    limit: int,
) -> list[Due]:
    """Confirmed sign-ups not yet reminded, to events starting in the span, in id order
    from ``after_id`` on (one that cannot go yet is passed over, not read again)."""
    return _due(
        connection,
        [
            signup_t.c.reminded_at.is_(None),
            event_t.c.starts_at >= starting_from,
            event_t.c.starts_at < starting_before,
        ],
        after_id,
        limit,
    )


def due_questions(
    *,
    connection: Connection,
    ended_before: datetime,
    ended_after: datetime,
    after_id: int = 0,
    limit: int,
) -> list[Due]:
    """Confirmed sign-ups not yet asked "How was it?", to events that ended in the span (an
    event without an end is taken as ended when it started)."""
    ended = sa.func.coalesce(event_t.c.ends_at, event_t.c.starts_at)
    return _due(
        connection,
        [signup_t.c.feedback_asked_at.is_(None), ended < ended_before, ended >= ended_after],
        after_id,
        limit,
    )


def claim_reminder(*, connection: Connection, signup_id: int, now: datetime) -> bool:
    """Mark the reminder sent; False if another instance did first."""
    return bool(
        connection.execute(
            sa.update(signup_t)
            .where(signup_t.c.id == signup_id, signup_t.c.reminded_at.is_(None))
            .values(reminded_at=now)
        ).rowcount
    )


def claim_question(*, connection: Connection, signup_id: int, now: datetime) -> bool:
    return bool(
        connection.execute(
            sa.update(signup_t)
            .where(signup_t.c.id == signup_id, signup_t.c.feedback_asked_at.is_(None))
            .values(feedback_asked_at=now)
        ).rowcount
    )
