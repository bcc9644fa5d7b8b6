"""Tables of conversations with a person of the team: the conversation, what was said,
saved replies and the team's service hours."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.types import UTCDateTime


class HumanStatus(StrEnum):
    WAITING = "waiting"  # the resident asked; nobody of the team has answered yet
    OPEN = "open"  # a person of the team has answered or taken it
    CLOSED = "closed"


class HumanOrigin(StrEnum):
    ASKED = "asked"  # "talk to a person", during service hours
    MESSAGE = "message"  # a message left outside service hours
    CONTACT = "contact"  # a contact request "here in this chat"


class ClosedBy(StrEnum):
    STAFF = "staff"
    RESIDENT = "resident"  # went back to the bot
    IDLE = "idle"  # nothing said for HUMAN_CONVERSATION_IDLE_DAYS
    INBOX = "inbox"  # Meta's Page Inbox passed the thread back


class Author(StrEnum):
    RESIDENT = "resident"
    STAFF = "staff"


class HumanConversation(SQLModel, table=True):
    __tablename__ = "human_conversation"
    __table_args__ = (sa.Index("ix_human_conversation_status", "status", "opened_at"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    channel: str = Field(max_length=16)
    language: str = Field(max_length=8)
    status: str = Field(max_length=8)
    origin: str = Field(max_length=8)
    contact_request_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("contact_request.id", ondelete="SET NULL")]
    )
    bot_context: str | None = Field(default=None, max_length=2000)  # the bot's last prompt
    assigned_account_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("staff_account.id", ondelete="SET NULL")]
    )
    unread: int = 0  # the resident's messages no one of the team has seen yet
    opened_at: datetime = Field(sa_type=UTCDateTime)
    first_answer_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_activity_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    closed_by: str | None = Field(default=None, max_length=8)
    close_note: str | None = Field(default=None, max_length=500)


class HumanMessage(SQLModel, table=True):
    """One message of a conversation with the team: the resident's or a staff member's."""

    __tablename__ = "human_message"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("human_conversation.id", ondelete="CASCADE")]
    )
    author: str = Field(max_length=8)
    account_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("staff_account.id", ondelete="SET NULL")]
    )
    sender_name: str | None = Field(default=None, max_length=120)  # as the resident saw it
    text: str | None = Field(default=None, sa_type=sa.Text)
    photo_ref: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class SavedReply(SQLModel, table=True):
    __tablename__ = "saved_reply"

    id: int | None = Field(default=None, primary_key=True)
    language: str = Field(max_length=8, index=True)
    text: str = Field(max_length=2000)
    created_at: datetime = Field(sa_type=UTCDateTime)


class ServiceHours(SQLModel, table=True):
    """When a person of the team answers: opening hours as places have them (one row)."""

    __tablename__ = "service_hours"

    id: int = Field(default=1, primary_key=True)
    hours: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(sa_type=UTCDateTime)


human_conversation_t = SQLModel.metadata.tables[HumanConversation.__tablename__]
human_message_t = SQLModel.metadata.tables[HumanMessage.__tablename__]
saved_reply_t = SQLModel.metadata.tables[SavedReply.__tablename__]
service_hours_t = SQLModel.metadata.tables[ServiceHours.__tablename__]
