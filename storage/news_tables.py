"""Tables of news a resident chose to hear about: one row a topic they subscribed to."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Topic(StrEnum):
    POLLS = "polls"  # a new youth poll opens
    EVENTS = "events"  # events, in one area or the whole of Mikkeli
    NEWS = "news"  # news from the project


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
    channel: str = Field(max_length=16)  # where it is delivered
    agreed_at: datetime = Field(sa_type=UTCDateTime)
    policy_version: str = Field(max_length=32)


subscription_t = SQLModel.metadata.tables[Subscription.__tablename__]
