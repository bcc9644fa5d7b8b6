"""Tables of events: what is on at the meeting places and around town, from our own staff or
imported (Linked Events, MikkeliNYT); ``(source, source_id)`` makes imports idempotent.

A weekly series ("the Tuesday café") is a row with its recurrence rule; each occurrence is a
row of its own pointing at it, so that a resident signs up for one evening at a time. A
Linked Events super event and its sub events map onto the same two kinds of row.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.domain_tables import LocalJSON
from storage.types import UTCDateTime


class EventSource(StrEnum):
    OWN = "own"  # made by staff in the staff area
    LINKED_EVENTS = "linkedevents"
    MIKKELINYT = "mikkelinyt"


class EventStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"  # kept, marked: residents who signed up are told
    POSTPONED = "postponed"  # kept, marked, until a new time is known


class Audience(StrEnum):
    EVERYONE = "everyone"
    YOUNG = "young"
    FAMILIES = "families"
    SENIORS = "seniors"


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        sa.UniqueConstraint("source", "source_id"),
        sa.Index("ix_event_listed", "is_series", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)
    source_id: str = Field(max_length=160)
    title: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    description: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # One of our places, or a place of its own (an address, a location).
    place_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("place.id", ondelete="SET NULL")]
    )
    place_name: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    street: str | None = Field(default=None, max_length=120)
    postal_code: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=60)
    lat: float | None = None
    lon: float | None = None
    area_code: str | None = Field(default=None, max_length=32)
    audience: str = Field(default=Audience.EVERYONE, max_length=16)
    is_free: bool | None = None  # None: not said
    price: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    signup_required: bool = False
    capacity: int | None = None
    signup_deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    organiser: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=500)
    accessibility: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default=EventStatus.SCHEDULED, max_length=16)
    # A series row holds the rule and is not listed itself; its occurrences point at it.
    is_series: bool = False
    recurrence: str | None = Field(default=None, max_length=200)  # RFC 5545 RRULE
    series_id: int | None = Field(
        default=None, sa_column_args=[sa.ForeignKey("event.id", ondelete="CASCADE")], index=True
    )
    demo: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


event_t = SQLModel.metadata.tables[Event.__tablename__]
