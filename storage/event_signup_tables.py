"""Tables of sign-ups to events and the anonymous "How was it?" answers.

A sign-up is a person's place at one event (one occurrence of a series): confirmed, or on
the waiting list in the order people came. A name or a phone number is kept only when the
resident wanted the organiser to have them, and goes a week after the event. Answers to
"How was it?" are kept apart from who gave them, as poll answers are: a ballot row says a
key has answered (one answer a person), the answer row says only which face.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import IntEnum, StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"  # the event was full: promoted in turn when a place frees up
    CANCELLED = "cancelled"


class Face(IntEnum):
    """The four faces of "How was it?", best first."""

    GREAT = 4
    GOOD = 3
    SO_SO = 2
    BAD = 1


class EventSignup(SQLModel, table=True):
    __tablename__ = "event_signup"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "participant_id"),
        sa.Index("ix_event_signup_queue", "event_id", "status", "queued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column_args=[sa.ForeignKey("event.id", ondelete="CASCADE")])
    participant_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")]
    )
    status: str = Field(max_length=16)
    # The waiting list's order: when the person joined (again, after cancelling).
    queued_at: datetime = Field(sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Only what the resident chose to give the organiser; removed a week after the event.
    shared_name: str | None = Field(default=None, max_length=80)
    shared_phone: str | None = Field(default=None, max_length=40)
    # The resident said "stop": no reminder and no question afterwards.
    stopped: bool = False
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    feedback_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    attended: bool | None = None  # marked by staff after the event
    created_at: datetime = Field(sa_type=UTCDateTime)


class EventFeedbackBallot(SQLModel, table=True):
    """That a key has answered "How was it?" for an event: one answer a person."""

    __tablename__ = "event_feedback_ballot"

    event_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("event.id", ondelete="CASCADE")]
    )
    voter: str = Field(primary_key=True, max_length=64)


class EventFeedback(SQLModel, table=True):
    """One anonymous answer: the face and the day, nothing of who."""

    __tablename__ = "event_feedback"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("event.id", ondelete="CASCADE")]
    )
    face: int
    day: date


signup_t = SQLModel.metadata.tables[EventSignup.__tablename__]
feedback_ballot_t = SQLModel.metadata.tables[EventFeedbackBallot.__tablename__]
feedback_t = SQLModel.metadata.tables[EventFeedback.__tablename__]
