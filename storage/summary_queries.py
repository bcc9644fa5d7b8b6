"""Counts for the weekly summary and the staff front page, aggregated in SQL.

Every function takes a half-open UTC range ``[start, end)`` (or days for per-day tables) and
returns plain counts; the small-group rule is applied by the report, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import (
    IdeaStatus,
    area_t,
    contact_t,
    idea_t,
    place_stat_t,
    place_t,
    poll_t,
    response_t,
    theme_t,
)
from storage.event_signup_tables import SignupStatus, signup_t
from storage.event_tables import EventStatus, event_t
from storage.human_tables import human_conversation_t
from storage.news_tables import AnnouncementStatus, announcement_t, subscription_t
from storage.tables import participant_t


@dataclass(frozen=True)
class Count:
    key: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class PollWeek:
    poll_id: int
    title: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    respondents_in_week: int


@dataclass(frozen=True)
class PlaceUse:
    place_id: int
    name: dict[str, str]
    shown: int
    chosen: int


def new_participants(*, connection: Connection, start: datetime, end: datetime) -> list[Count]:
    locale = sa.func.coalesce(participant_t.c.locale, "")
    rows = connection.execute(
        sa.select(participant_t.c.channel, locale, sa.func.count())
        .where(participant_t.c.created_at >= start, participant_t.c.created_at < end)
        .group_by(participant_t.c.channel, locale)
    )
    return [Count((channel, language), count) for channel, language, count in rows]


_VISIBLE = idea_t.c.status != IdeaStatus.HIDDEN


def ideas_by_theme_area(*, connection: Connection, start: datetime, end: datetime) -> list[Count]:
    rows = connection.execute(
        sa.select(idea_t.c.theme_code, idea_t.c.area_code, sa.func.count())
        .where(idea_t.c.created_at >= start, idea_t.c.created_at < end, _VISIBLE)
        .group_by(idea_t.c.theme_code, idea_t.c.area_code)
    )
    return [Count((theme, area), count) for theme, area, count in rows]


def names(*, connection: Connection) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Themes and areas by code, in their staff order (retired ones too: old ideas use them)."""
    themes = connection.execute(
        sa.select(theme_t.c.code, theme_t.c.names).order_by(theme_t.c.position)
    )
    areas = connection.execute(sa.select(area_t.c.code, area_t.c.names).order_by(area_t.c.position))
    return {c: dict(n) for c, n in themes}, {c: dict(n) for c, n in areas}


def polls_in_week(
    *, connection: Connection, start: datetime, end: datetime, first_day: date, last_day: date
) -> list[PollWeek]:
    """Polls open at some time in the week, with their respondents that week."""
    in_week = (
        sa.select(sa.func.count())
        .where(
            response_t.c.poll_id == poll_t.c.id,
            response_t.c.day >= first_day,
            response_t.c.day <= last_day,
        )
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(
            poll_t.c.id,
            poll_t.c.title,
            poll_t.c.opens_at,
            poll_t.c.closes_at,
            in_week,
        )
        .where(poll_t.c.opens_at < end, poll_t.c.closes_at >= start)
        .order_by(poll_t.c.opens_at, poll_t.c.id)
    )
    return [PollWeek(*row) for row in rows]


def place_use(*, connection: Connection, first_day: date, last_day: date) -> list[PlaceUse]:
    # Summed per place id first: PostgreSQL cannot group by a JSON column such as the name.
    sums = (
        sa.select(
            place_stat_t.c.place_id,
            sa.func.sum(place_stat_t.c.shown).label("shown"),
            sa.func.sum(place_stat_t.c.chosen).label("chosen"),
        )
        .where(place_stat_t.c.day >= first_day, place_stat_t.c.day <= last_day)
        .group_by(place_stat_t.c.place_id)
        .subquery()
    )
    rows = connection.execute(
        sa.select(place_t.c.id, place_t.c.name, sums.c.shown, sums.c.chosen)
        .select_from(sums.join(place_t, place_t.c.id == sums.c.place_id))
        .order_by(sums.c.shown.desc(), place_t.c.id)
    )
    return [PlaceUse(pid, dict(name), int(s or 0), int(c or 0)) for pid, name, s, c in rows]


def contact_requests(*, connection: Connection, start: datetime, end: datetime) -> tuple[int, int]:
    """How many contact requests were opened and how many handled in the range."""

    def count(column: sa.Column[datetime]) -> int:
        return connection.execute(
            sa.select(sa.func.count()).select_from(contact_t).where(column >= start, column < end)
        ).scalar_one()

    return count(contact_t.c.created_at), count(contact_t.c.handled_at)


@dataclass(frozen=True)
class TeamWeek:
    opened: int
    answered: int  # first answered in the range
    waits: tuple[float, ...]  # seconds from opening to the first answer, of those answered


def team_conversations(*, connection: Connection, start: datetime, end: datetime) -> TeamWeek:
    """Conversations with the team opened, and first answered, in the range."""
    table = human_conversation_t
    opened = connection.execute(
        sa.select(sa.func.count())
        .select_from(table)
        .where(table.c.opened_at >= start, table.c.opened_at < end)
    ).scalar_one()
    answered = connection.execute(
        sa.select(table.c.opened_at, table.c.first_answer_at).where(
            table.c.first_answer_at >= start, table.c.first_answer_at < end
        )
    ).all()
    waits = tuple((a - o).total_seconds() for o, a in answered)
    return TeamWeek(opened=opened, answered=len(waits), waits=waits)


def subscribers(*, connection: Connection, at: datetime) -> list[Count]:
    """Subscriptions agreed before ``at`` and still held, by topic and where they go (a chat
    channel or e-mail)."""
    rows = connection.execute(
        sa.select(subscription_t.c.topic, subscription_t.c.channel, sa.func.count())
        .where(subscription_t.c.agreed_at < at)
        .group_by(subscription_t.c.topic, subscription_t.c.channel)
    )
    return [Count((topic, channel), count) for topic, channel, count in rows]


def announcements_finished(*, connection: Connection, start: datetime, end: datetime) -> list[int]:
    """Announcements whose sending ended in the range (all queued, or stopped)."""
    return list(
        connection.execute(
            sa.select(announcement_t.c.id).where(
                announcement_t.c.status.in_([AnnouncementStatus.SENT, AnnouncementStatus.STOPPED]),
                announcement_t.c.finished_at >= start,
                announcement_t.c.finished_at < end,
            )
        ).scalars()
    )


@dataclass(frozen=True)
class EventWeek:
    held: int  # events that started in the range (not cancelled)
    signups: int  # sign-ups made in the range
    confirmed: int  # places held at the events of the range
    waiting: int  # still on their waiting lists
    came: int  # marked by staff as having come


def event_week(*, connection: Connection, start: datetime, end: datetime) -> EventWeek:
    in_range = sa.and_(
        event_t.c.starts_at >= start,
        event_t.c.starts_at < end,
        event_t.c.is_series.is_(False),
        event_t.c.status != EventStatus.CANCELLED,
    )
    held = connection.execute(sa.select(sa.func.count()).where(in_range)).scalar_one()
    signups = connection.execute(
        sa.select(sa.func.count()).where(
            signup_t.c.created_at >= start, signup_t.c.created_at < end
        )
    ).scalar_one()
    confirmed, waiting, came = connection.execute(
        sa.select(
            sa.func.count().filter(signup_t.c.status == SignupStatus.CONFIRMED),
            sa.func.count().filter(signup_t.c.status == SignupStatus.WAITING),
            sa.func.count().filter(signup_t.c.attended.is_(True)),
        )
        .join(event_t, event_t.c.id == signup_t.c.event_id)
        .where(in_range)
    ).one()
    return EventWeek(held, signups, confirmed, waiting, came)
