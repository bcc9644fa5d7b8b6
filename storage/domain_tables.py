"""Tables of the resident flows: areas and themes, ideas, places, polls, contact requests."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from storage.types import UTCDateTime

LocalJSON = dict[str, str]  # {"fi": …, "sv": …, "en": …}


class IdeaStatus(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    FORWARDED = "forwarded"
    ANSWERED = "answered"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    HIDDEN = "hidden"


class ContactStatus(StrEnum):
    OPEN = "open"
    CONTACTED = "contacted"
    CLOSED = "closed"


# The area list's last entry, "elsewhere or all of Mikkeli": a place with no area of its
# own, and the choice of one who means the whole town.
ANYWHERE = "elsewhere"


class Area(SQLModel, table=True):
    """An area of Mikkeli, for ideas and places; staff may rename, reorder or retire them."""

    __tablename__ = "area"

    code: str = Field(primary_key=True, max_length=32)
    names: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    position: int = 0
    active: bool = True


class IdeaTheme(SQLModel, table=True):
    __tablename__ = "idea_theme"

    code: str = Field(primary_key=True, max_length=32)
    names: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    position: int = 0
    active: bool = True


class ReferenceCounter(SQLModel, table=True):
    """The last reference number given per (kind, year): ``ID-2026-0042``."""

    __tablename__ = "reference_counter"

    kind: str = Field(primary_key=True, max_length=8)
    year: int = Field(primary_key=True)
    last: int = 0


class Idea(SQLModel, table=True):
    __tablename__ = "idea"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    participant_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")],
    )
    theme_code: str = Field(max_length=32, index=True)
    area_code: str = Field(max_length=32, index=True)
    text: str = Field(max_length=2000)
    photo_ref: str | None = Field(default=None, max_length=80)
    contact_name: str | None = Field(default=None, max_length=80)
    contact_method: str | None = Field(default=None, max_length=8)  # chat | phone | email
    contact_value: str | None = Field(default=None, max_length=254)
    contact_consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    channel: str = Field(max_length=16, index=True)
    language: str = Field(max_length=8)
    status: str = Field(default=IdeaStatus.NEW, max_length=16, index=True)
    staff_answer: str | None = Field(default=None, max_length=4000)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)


class Place(SQLModel, table=True):
    """A meeting place or service; ``(source, source_id)`` makes imports idempotent."""

    __tablename__ = "place"
    __table_args__ = (sa.UniqueConstraint("source", "source_id"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=16)  # own | ptv
    source_id: str = Field(max_length=80)
    kind: str = Field(max_length=16)  # meeting_place | service
    demo: bool = False
    name: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    description: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    needs: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    area_code: str = Field(max_length=32, index=True)
    street: str | None = Field(default=None, max_length=120)
    postal_code: str | None = Field(default=None, max_length=10)
    city: str | None = Field(default=None, max_length=60)
    lat: float | None = None
    lon: float | None = None
    hours: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    web: str | None = Field(default=None, max_length=500)
    accessibility: LocalJSON = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    free_of_charge: bool | None = None
    last_verified: date | None = None
    active: bool = True
    updated_at: datetime = Field(sa_type=UTCDateTime)


class PlaceNeed(SQLModel, table=True):
    """Which needs a place meets, as rows so that the search filters in SQL."""

    __tablename__ = "place_need"

    place_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("place.id", ondelete="CASCADE")]
    )
    need: str = Field(primary_key=True, max_length=24, index=True)


class PlaceDailyStat(SQLModel, table=True):
    """How often a place was shown in results and opened, per day (anonymous counts)."""

    __tablename__ = "place_daily_stat"

    place_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("place.id", ondelete="CASCADE")]
    )
    day: date = Field(primary_key=True)
    shown: int = 0
    chosen: int = 0


class Poll(SQLModel, table=True):
    __tablename__ = "poll"

    id: int | None = Field(default=None, primary_key=True)
    title: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    opens_at: datetime = Field(sa_type=UTCDateTime, index=True)
    closes_at: datetime = Field(sa_type=UTCDateTime, index=True)
    min_age: int | None = None
    max_age: int | None = None
    results_visibility: str = Field(default="after_voting", max_length=16)
    demo: bool = False
    # Running tallies kept with each vote, so results read a handful of rows, not every answer.
    respondents: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(sa_type=UTCDateTime)


class PollQuestion(SQLModel, table=True):
    __tablename__ = "poll_question"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(index=True, sa_column_args=[sa.ForeignKey("poll.id", ondelete="CASCADE")])
    position: int = 0
    text: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    max_choices: int = 1  # 1 = single choice


class PollOption(SQLModel, table=True):
    __tablename__ = "poll_option"

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("poll_question.id", ondelete="CASCADE")]
    )
    position: int = 0
    text: LocalJSON = Field(sa_column=Column(JSON, nullable=False))
    votes: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class PollBallot(SQLModel, table=True):
    """That someone voted — kept apart from what they voted, so answers stay anonymous.

    ``voter`` is an HMAC of the poll and the participant's pseudonym: UNIQUE per poll, so two
    quick taps or two processes cannot make two votes, and it links to no table.
    """

    __tablename__ = "poll_ballot"

    poll_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("poll.id", ondelete="CASCADE")]
    )
    voter: str = Field(primary_key=True, max_length=64)
    voted_at: datetime = Field(sa_type=UTCDateTime)


class PollResponse(SQLModel, table=True):
    """One anonymous set of answers; the age band is a coarse group, never a birth date."""

    __tablename__ = "poll_response"

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(index=True, sa_column_args=[sa.ForeignKey("poll.id", ondelete="CASCADE")])
    age_band: str | None = Field(default=None, max_length=8)
    day: date = Field(index=True)


class PollAnswer(SQLModel, table=True):
    __tablename__ = "poll_answer"

    response_id: int = Field(
        primary_key=True, sa_column_args=[sa.ForeignKey("poll_response.id", ondelete="CASCADE")]
    )
    option_id: int = Field(
        primary_key=True,
        index=True,
        sa_column_args=[sa.ForeignKey("poll_option.id", ondelete="CASCADE")],
    )
    question_id: int = Field(index=True)


class ContactRequest(SQLModel, table=True):
    __tablename__ = "contact_request"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    participant_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("participant.id", ondelete="CASCADE")],
    )
    channel: str = Field(max_length=16)
    name: str = Field(max_length=80)
    method: str = Field(max_length=8)  # chat | phone | email
    contact_value: str | None = Field(default=None, max_length=254)
    good_time: str | None = Field(default=None, max_length=200)
    message: str | None = Field(default=None, max_length=2000)
    consent_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=ContactStatus.OPEN, max_length=16, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    handled_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


area_t = SQLModel.metadata.tables[Area.__tablename__]
theme_t = SQLModel.metadata.tables[IdeaTheme.__tablename__]
counter_t = SQLModel.metadata.tables[ReferenceCounter.__tablename__]
idea_t = SQLModel.metadata.tables[Idea.__tablename__]
place_t = SQLModel.metadata.tables[Place.__tablename__]
place_need_t = SQLModel.metadata.tables[PlaceNeed.__tablename__]
place_stat_t = SQLModel.metadata.tables[PlaceDailyStat.__tablename__]
poll_t = SQLModel.metadata.tables[Poll.__tablename__]
question_t = SQLModel.metadata.tables[PollQuestion.__tablename__]
option_t = SQLModel.metadata.tables[PollOption.__tablename__]
ballot_t = SQLModel.metadata.tables[PollBallot.__tablename__]
response_t = SQLModel.metadata.tables[PollResponse.__tablename__]
answer_t = SQLModel.metadata.tables[PollAnswer.__tablename__]
contact_t = SQLModel.metadata.tables[ContactRequest.__tablename__]
