"""Tables of news: what a resident chose to hear about (a row a topic), the announcements
staff send, and each one's delivery to each person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.types import UTCDateTime


class Topic(StrEnum):
    POLLS = "polls"  # a new youth poll opens
    EVENTS = "events"  # events, in one area or the whole of Mikkeli
    NEWS = "news"  # news from the project


# A subscription's channel when news goes by e-mail (a web chat, Messenger or Instagram
# resident, whose chat cannot deliver it).
BY_EMAIL = "email"


class Subscription(SQLModel, table=True):
    """What a resident agreed to hear about, when, under which privacy policy version."""

    __tablename__ = "subscription"
    __table_args__ = (sa.UniqueConstraint("participant_id", "topic"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    topic: str = Field(max_length=16, index=True)
    area_code: str | None = Field(default=None, max_length=32)  # events: None is all of Mikkeli
    channel: str = Field(max_length=16)  # where it is delivered: a chat channel or BY_EMAIL
    agreed_at: datetime = Field(sa_type=UTCDateTime)
    policy_version: str = Field(max_length=32)


class AnnouncementStatus(StrEnum):
    DRAFT = "draft"  # made by the bot (a youth poll opened): waits for staff to confirm it
    SCHEDULED = "scheduled"  # waits for its time (or for the morning, after quiet hours)
    SENDING = "sending"  # claimed by one instance: its deliveries are being queued
    SENT = "sent"  # every subscriber's message is queued (or skipped)
    STOPPED = "stopped"  # staff stopped it: what was not yet sent never will be


class DeliveryStatus(StrEnum):
    QUEUED = "queued"  # in the outbox for the relay
    CAPPED = "capped"  # skipped: the person had their announcements of the week already


class Announcement(SQLModel, table=True):
    """One announcement to a topic's subscribers, in every language."""

    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=16)
    area_code: str | None = Field(default=None, max_length=32)  # events: None is every area
    texts: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))  # language → text
    status: str = Field(default=AnnouncementStatus.SCHEDULED, max_length=16, index=True)
    send_at: datetime = Field(sa_type=UTCDateTime)
    # Staff started it now: it goes even in quiet hours (a scheduled one waits for the morning).
    now_requested: bool = False
    # The youth poll it announces, drafted when the poll opened: one announcement a poll.
    poll_id: int | None = Field(
        default=None,
        unique=True,
        sa_column_args=[sa.ForeignKey("poll.id", ondelete="SET NULL")],
    )
    created_by: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("staff_account.id", ondelete="SET NULL")]
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The final counts, kept when retention removes the deliveries (outcome → count).
    tally: dict[str, int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class NewsEmail(SQLModel, table=True):
    """The address a resident gets news at by e-mail: personal data, kept while they do.
    Unconfirmed (the link in the first message not yet opened) it goes after a week."""

    __tablename__ = "news_email"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        unique=True, sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    address: str = Field(max_length=254)
    language: str = Field(max_length=8)  # of the pages its links open
    created_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AnnouncementDelivery(SQLModel, table=True):
    """One announcement to one person: at most once, across restarts and instances."""

    __tablename__ = "announcement_delivery"
    __table_args__ = (
        sa.UniqueConstraint("announcement_id", "participant_id"),
        sa.Index("ix_announcement_delivery_recent", "participant_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(
        sa_column_args=[sa.ForeignKey("announcement.id", ondelete="CASCADE")]
    )
    participant_id: int = Field(
        sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    status: str = Field(max_length=8)
    outbox_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("outbox_message.id", ondelete="SET NULL")]
    )
    created_at: datetime = Field(sa_type=UTCDateTime)


announcement_t = SQLModel.metadata.tables[Announcement.__tablename__]
delivery_t = SQLModel.metadata.tables[AnnouncementDelivery.__tablename__]
subscription_t = SQLModel.metadata.tables[Subscription.__tablename__]
news_email_t = SQLModel.metadata.tables[NewsEmail.__tablename__]
