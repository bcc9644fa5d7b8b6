"""The team's view of its conversations with residents: the inbox's tabs and counts, one
conversation's messages, and a mark that changes when anything in them does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.human_tables import (
    Author,
    HumanOrigin,
    HumanStatus,
    human_conversation_t,
    human_message_t,
)
from storage.staff_tables import account_t


class InboxView(StrEnum):
    WAITING = "waiting"
    MINE = "mine"
    CLOSED = "closed"


@dataclass(frozen=True)
class InboxRow:
    id: int
    channel: str
    language: str
    status: HumanStatus
    origin: HumanOrigin
    opened_at: datetime
    last_activity_at: datetime
    closed_at: datetime | None
    unread: int
    assigned_to: str | None  # the staff member's display name or e-mail


@dataclass(frozen=True)
class InboxCounts:
    waiting: int
    mine: int
    unread: int  # open (taken) conversations with words from the resident nobody has seen

    @property
    def needing_attention(self) -> int:
        """Conversations someone should look at: each once, waiting or with unread words."""
        return self.waiting + self.unread


def inbox(
    *,
    connection: Connection,
    view: InboxView,
    account_id: int,
    channel: str | None = None,
    language: str | None = None,
    limit: int = 100,
) -> list[InboxRow]:
    """One tab of the inbox: waiting (oldest first), mine, or closed (newest first)."""
    table = human_conversation_t
    statement = sa.select(
        table.c.id,
        table.c.channel,
        table.c.language,
        table.c.status,
        table.c.origin,
        table.c.opened_at,
        table.c.last_activity_at,
        table.c.closed_at,
        table.c.unread,
        sa.func.coalesce(account_t.c.display_name, account_t.c.email),
    ).select_from(table.outerjoin(account_t, account_t.c.id == table.c.assigned_account_id))
    if view is InboxView.WAITING:
        statement = statement.where(table.c.status == HumanStatus.WAITING).order_by(
            table.c.opened_at, table.c.id
        )
    elif view is InboxView.MINE:
        statement = statement.where(
            table.c.status == HumanStatus.OPEN, table.c.assigned_account_id == account_id
        ).order_by(table.c.last_activity_at.desc())
    else:
        statement = statement.where(table.c.status == HumanStatus.CLOSED).order_by(
            table.c.closed_at.desc()
        )
    if channel:
        statement = statement.where(table.c.channel == channel)
    if language:
        statement = statement.where(table.c.language == language)
    rows = connection.execute(statement.limit(limit))
    return [_inbox_row(row) for row in rows]


def _inbox_row(r: Any) -> InboxRow:
    return InboxRow(
        id=r[0], channel=r[1], language=r[2], status=HumanStatus(r[3]), origin=HumanOrigin(r[4]),
        opened_at=r[5], last_activity_at=r[6], closed_at=r[7], unread=r[8], assigned_to=r[9],
    )  # fmt: skip


def counts(*, connection: Connection, account_id: int) -> InboxCounts:
    table = human_conversation_t
    waiting, mine, unread = connection.execute(
        sa.select(
            sa.func.count().filter(table.c.status == HumanStatus.WAITING),
            sa.func.count().filter(
                table.c.status == HumanStatus.OPEN, table.c.assigned_account_id == account_id
            ),
            sa.func.count().filter(table.c.status == HumanStatus.OPEN, table.c.unread > 0),
        ).where(table.c.status != HumanStatus.CLOSED)
    ).one()
    return InboxCounts(waiting, mine, unread)


@dataclass(frozen=True)
class MessageRow:
    id: int
    author: Author
    sender_name: str | None
    text: str | None
    photo_ref: str | None
    created_at: datetime


def messages(*, connection: Connection, conversation_id: int) -> list[MessageRow]:
    rows = connection.execute(
        sa.select(
            human_message_t.c.id,
            human_message_t.c.author,
            human_message_t.c.sender_name,
            human_message_t.c.text,
            human_message_t.c.photo_ref,
            human_message_t.c.created_at,
        )
        .where(human_message_t.c.conversation_id == conversation_id)
        .order_by(human_message_t.c.id)
    )
    return [MessageRow(r[0], Author(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def message_photo(*, connection: Connection, conversation_id: int, message_id: int) -> str | None:
    return connection.execute(
        sa.select(human_message_t.c.photo_ref).where(
            human_message_t.c.id == message_id,
            human_message_t.c.conversation_id == conversation_id,
        )
    ).scalar_one_or_none()


def set_message_photo(*, connection: Connection, message_id: int, old: str, new: str) -> bool:
    changed = connection.execute(
        sa.update(human_message_t)
        .where(human_message_t.c.id == message_id, human_message_t.c.photo_ref == old)
        .values(photo_ref=new)
    )
    return changed.rowcount == 1


def bot_context(*, connection: Connection, conversation_id: int) -> str | None:
    return connection.execute(
        sa.select(human_conversation_t.c.bot_context).where(
            human_conversation_t.c.id == conversation_id
        )
    ).scalar_one_or_none()


def change_mark(*, connection: Connection, conversation_id: int | None = None) -> tuple[Any, ...]:
    """Something that changes whenever the inbox (or one conversation) does: for the
    staff pages' live updates."""
    table = human_conversation_t
    statement = sa.select(
        sa.func.count(table.c.id),
        sa.func.max(table.c.last_activity_at),
        sa.func.max(table.c.closed_at),
        sa.func.sum(table.c.unread),
    )
    if conversation_id is not None:
        statement = statement.where(table.c.id == conversation_id)
    return tuple(connection.execute(statement).one())
