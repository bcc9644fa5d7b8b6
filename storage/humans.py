"""Conversations with a person of the team: opening, what is said, taking, closing.

A resident has at most one conversation that is not closed. Its messages are stored only
with consent (the flow asks first). The functions never commit: the caller owns the
transaction, which also holds the outbox rows and the state change that go with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.human_tables import (
    Author,
    ClosedBy,
    HumanOrigin,
    HumanStatus,
    human_conversation_t,
    human_message_t,
)
from storage.staff_tables import account_t
from storage.tables import Lane, inbox_t, outbox_t, participant_t
from storage.types import read_utc

MAX_MESSAGE = 4000
MIN_ANSWERS_FOR_MEDIAN = 5  # fewer say nothing of how long it takes: a small group's rule


@dataclass(frozen=True)
class HumanConversationRow:
    id: int
    participant_id: int
    channel: str
    language: str
    status: HumanStatus
    origin: HumanOrigin
    assigned_account_id: int | None
    opened_at: datetime
    first_answer_at: datetime | None
    last_activity_at: datetime
    closed_at: datetime | None
    unread: int

    @property
    def is_open(self) -> bool:
        return self.status is not HumanStatus.CLOSED


_COLUMNS = (
    human_conversation_t.c.id,
    human_conversation_t.c.participant_id,
    human_conversation_t.c.channel,
    human_conversation_t.c.language,
    human_conversation_t.c.status,
    human_conversation_t.c.origin,
    human_conversation_t.c.assigned_account_id,
    human_conversation_t.c.opened_at,
    human_conversation_t.c.first_answer_at,
    human_conversation_t.c.last_activity_at,
    human_conversation_t.c.closed_at,
    human_conversation_t.c.unread,
)


def _row(row: Any) -> HumanConversationRow:
    values = list(row[: len(_COLUMNS)])
    values[4], values[5] = HumanStatus(values[4]), HumanOrigin(values[5])
    return HumanConversationRow(*values)


def current(*, connection: Connection, participant_id: int) -> HumanConversationRow | None:
    """The resident's conversation with the team that is not closed, if any."""
    row = connection.execute(
        sa.select(*_COLUMNS).where(
            human_conversation_t.c.participant_id == participant_id,
            human_conversation_t.c.status != HumanStatus.CLOSED,
        )
    ).first()
    return _row(row) if row is not None else None


def by_id(*, connection: Connection, conversation_id: int) -> HumanConversationRow | None:
    row = connection.execute(
        sa.select(*_COLUMNS).where(human_conversation_t.c.id == conversation_id)
    ).first()
    return _row(row) if row is not None else None


def open_conversation(
    *,
    connection: Connection,
    participant_id: int,
    channel: str,
    language: str,
    origin: HumanOrigin,
    bot_context: str | None,
    now: datetime,
    contact_request_id: int | None = None,
) -> HumanConversationRow:
    """Open a waiting conversation, or return the one already open (one per resident)."""
    existing = current(connection=connection, participant_id=participant_id)
    if existing is not None:
        return existing
    connection.execute(
        sa.insert(human_conversation_t).values(
            participant_id=participant_id,
            channel=channel,
            language=language,
            status=HumanStatus.WAITING,
            origin=origin,
            contact_request_id=contact_request_id,
            bot_context=(bot_context or "")[:2000] or None,
            unread=0,
            opened_at=now,
            last_activity_at=now,
        )
    )
    opened = current(connection=connection, participant_id=participant_id)
    if opened is None:  # inserted just above, in this transaction
        raise RuntimeError("the conversation just opened cannot be read")
    return opened


def last_author(*, connection: Connection, conversation_id: int) -> Author | None:
    author = connection.execute(
        sa.select(human_message_t.c.author)
        .where(human_message_t.c.conversation_id == conversation_id)
        .order_by(human_message_t.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return Author(author) if author else None


def add_resident_message(
    *,
    connection: Connection,
    conversation_id: int,
    text: str | None,
    photo_ref: str | None,
    now: datetime,
) -> None:
    connection.execute(
        sa.insert(human_message_t).values(
            conversation_id=conversation_id,
            author=Author.RESIDENT,
            text=text[:MAX_MESSAGE] if text else None,
            photo_ref=photo_ref,
            created_at=now,
        )
    )
    connection.execute(
        sa.update(human_conversation_t)
        .where(human_conversation_t.c.id == conversation_id)
        .values(unread=human_conversation_t.c.unread + 1, last_activity_at=now)
    )


def add_staff_message(
    *,
    connection: Connection,
    conversation_id: int,
    account_id: int | None,
    sender_name: str,
    text: str,
    now: datetime,
) -> None:
    """A person of the team wrote: the conversation is open and, if nobody had it, theirs."""
    connection.execute(
        sa.insert(human_message_t).values(
            conversation_id=conversation_id,
            author=Author.STAFF,
            account_id=account_id,
            sender_name=sender_name,
            text=text[:MAX_MESSAGE],
            created_at=now,
        )
    )
    table = human_conversation_t
    connection.execute(
        sa.update(table)
        .where(table.c.id == conversation_id)
        .values(
            status=HumanStatus.OPEN,
            first_answer_at=sa.func.coalesce(table.c.first_answer_at, now),
            assigned_account_id=sa.func.coalesce(table.c.assigned_account_id, account_id),
            last_activity_at=now,
        )
    )


def take(*, connection: Connection, conversation_id: int, account_id: int) -> bool:
    """Make the conversation this staff member's; False if it is closed or gone."""
    result = connection.execute(
        sa.update(human_conversation_t)
        .where(
            human_conversation_t.c.id == conversation_id,
            human_conversation_t.c.status != HumanStatus.CLOSED,
        )
        .values(assigned_account_id=account_id)
    )
    return result.rowcount == 1


def close(
    *,
    connection: Connection,
    conversation_id: int,
    by: ClosedBy,
    now: datetime,
    note: str | None = None,
) -> bool:
    """Close it; False if it was closed already (a second close changes nothing)."""
    result = connection.execute(
        sa.update(human_conversation_t)
        .where(
            human_conversation_t.c.id == conversation_id,
            human_conversation_t.c.status != HumanStatus.CLOSED,
        )
        .values(
            status=HumanStatus.CLOSED,
            closed_at=now,
            closed_by=by,
            close_note=(note or "")[:500] or None,
            unread=0,
        )
    )
    return result.rowcount == 1


def mark_seen(*, connection: Connection, conversation_id: int) -> None:
    connection.execute(
        sa.update(human_conversation_t)
        .where(human_conversation_t.c.id == conversation_id, human_conversation_t.c.unread > 0)
        .values(unread=0)
    )


def usual_wait(*, connection: Connection, recent: int = 50) -> timedelta | None:
    """The median time to a first answer over recent answered conversations; None with
    fewer than five of them."""
    rows = connection.execute(
        sa.select(human_conversation_t.c.opened_at, human_conversation_t.c.first_answer_at)
        .where(human_conversation_t.c.first_answer_at.is_not(None))
        .order_by(human_conversation_t.c.first_answer_at.desc())
        .limit(recent)
    ).all()
    if len(rows) < MIN_ANSWERS_FOR_MEDIAN:
        return None
    return timedelta(
        seconds=median((answered - opened).total_seconds() for opened, answered in rows)
    )


@dataclass(frozen=True)
class Recipient:
    """Where a staff message goes: the resident on their own channel."""

    participant_id: int
    channel: str
    channel_user_id: str
    locale: str | None
    last_inbound_at: datetime | None


def recipient(*, connection: Connection, conversation_id: int) -> Recipient | None:
    latest = (
        sa.select(sa.func.max(inbox_t.c.received_at))
        .where(inbox_t.c.participant_id == participant_t.c.id)
        .scalar_subquery()
    )
    row = connection.execute(
        sa.select(
            participant_t.c.id,
            participant_t.c.channel,
            participant_t.c.channel_user_id,
            participant_t.c.locale,
            latest,
        )
        .join(human_conversation_t, human_conversation_t.c.participant_id == participant_t.c.id)
        .where(human_conversation_t.c.id == conversation_id)
    ).first()
    if row is None:
        return None
    return Recipient(row[0], row[1], row[2], row[3], read_utc(row[4]))


def display_name(*, connection: Connection, account_id: int) -> str | None:
    return connection.execute(
        sa.select(account_t.c.display_name).where(account_t.c.id == account_id)
    ).scalar_one_or_none()


def last_bot_text(*, connection: Connection, participant_id: int) -> str | None:
    """The last thing the bot said to this resident (for the team's context)."""
    sent = connection.execute(
        sa.select(outbox_t.c.payload, outbox_t.c.created_at)
        .where(outbox_t.c.participant_id == participant_id, outbox_t.c.lane != Lane.HUMAN)
        .order_by(outbox_t.c.id.desc())
        .limit(1)
    ).first()
    answered = connection.execute(  # the web chat's replies are kept on its inbox rows
        sa.select(inbox_t.c.replies, inbox_t.c.received_at)
        .where(inbox_t.c.participant_id == participant_id, inbox_t.c.replies.is_not(None))
        .order_by(inbox_t.c.id.desc())
        .limit(1)
    ).first()
    texts = []
    if sent is not None and isinstance(sent[0], dict) and sent[0].get("text"):
        texts.append((sent[1], str(sent[0]["text"])))
    if answered is not None and answered[0]:
        texts.append((answered[1], str(answered[0][-1].get("text", ""))))
    return max(texts)[1] if texts else None


def idle_since(*, connection: Connection, before: datetime) -> list[int]:
    """Conversations not closed in which nobody has written since ``before``."""
    return list(
        connection.execute(
            sa.select(human_conversation_t.c.id).where(
                human_conversation_t.c.status != HumanStatus.CLOSED,
                human_conversation_t.c.last_activity_at < before,
            )
        ).scalars()
    )
