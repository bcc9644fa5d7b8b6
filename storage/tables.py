"""The tables of the conversation core: participants, conversations, inbox and outbox."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.types import UTCDateTime


class Lane(IntEnum):
    """Which outbox messages go first: a person's words, then the bot's replies, then bulk
    (announcements, reminders). One recipient's messages still go in the order queued."""

    HUMAN = 0
    REPLY = 1
    BULK = 2


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"
    HELD = "held"  # outside a platform's messaging window: waits for the person's next message


class Participant(SQLModel, table=True):
    """A person on one channel, known by the channel's user id and a stable pseudonym."""

    __tablename__ = "participant"
    __table_args__ = (sa.UniqueConstraint("channel", "channel_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    channel_user_id: str = Field(max_length=128)
    pseudonym: str = Field(max_length=64, unique=True)
    locale: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=8)  # kept only with consent, never < 13
    consent_version: str | None = Field(default=None, max_length=32)
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reachable: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """Where one participant is in the dialogs; ``version`` guards against two writers."""

    __tablename__ = "conversation"

    participant_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    flow: str = Field(max_length=32)
    step: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    version: int = 0
    # Not indexed: only the nightly purge asks by time, and every index costs each message.
    updated_at: datetime = Field(sa_type=UTCDateTime)


class InboxEvent(SQLModel, table=True):
    """One inbound event; the UNIQUE key makes a repeated delivery a no-op."""

    __tablename__ = "inbox_event"
    __table_args__ = (sa.UniqueConstraint("channel", "event_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    event_id: str = Field(max_length=300)
    participant_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("participant.id", ondelete="SET NULL")],
    )
    payload: dict[str, Any] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )
    # Replies already given in the response (web chat), returned again for a repeated request.
    replies: list[dict[str, Any]] | None = Field(
        default=None, sa_column=Column(JSON(none_as_null=True), nullable=True)
    )
    received_at: datetime = Field(sa_type=UTCDateTime)  # not indexed, as updated_at above


class OutboxMessage(SQLModel, table=True):
    """One reply to deliver, stored in the same transaction as the state change."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        sa.Index("ix_outbox_due", "status", "next_attempt_at"),
        # Every Messenger/Instagram message asks "is anything held for this person?". Without
        # this partial index that scans all of the person's outbox history, sent rows too.
        sa.Index(
            "ix_outbox_held",
            "participant_id",
            sqlite_where=sa.text("status = 'held'"),
            postgresql_where=sa.text("status = 'held'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    recipient: str = Field(max_length=128)
    participant_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")],
    )
    inbox_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("inbox_event.id", ondelete="SET NULL")],
    )
    position: int = 0
    lane: int = Field(default=Lane.REPLY, sa_column_kwargs={"server_default": "1"})
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RateCounter(SQLModel, table=True):
    """How many times something was done in one window of time (``storage.rate_limits``).

    Counted in the database so that every instance sees the same count; ``key`` names the
    limit and a hashed subject (never an address or an e-mail in clear).
    """

    __tablename__ = "rate_counter"

    key: str = Field(primary_key=True, max_length=100)
    window_start: int = Field(primary_key=True, sa_type=sa.BigInteger)  # Unix seconds
    count: int = 0


# Core handles for the hot path: SQLAlchemy Core statements skip the ORM's unit of work.
participant_t = SQLModel.metadata.tables[Participant.__tablename__]
conversation_t = SQLModel.metadata.tables[Conversation.__tablename__]
inbox_t = SQLModel.metadata.tables[InboxEvent.__tablename__]
outbox_t = SQLModel.metadata.tables[OutboxMessage.__tablename__]
rate_counter_t = SQLModel.metadata.tables[RateCounter.__tablename__]


# The resident flows' tables live in their own module; importing it here puts every table on
# the one metadata that migrations and tests compare against.
import storage.domain_tables  # noqa: E402
import storage.event_signup_tables  # noqa: E402
import storage.event_tables  # noqa: E402
import storage.human_tables  # noqa: E402
import storage.news_tables  # noqa: E402
import storage.staff_tables  # noqa: E402, F401
