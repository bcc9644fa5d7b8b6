"""Rows for exports, streamed from the database with constant memory.

Each ``*_rows`` function yields plain tuples in the order of its ``*_COLUMNS``; the caller
holds the connection open while it writes. Platform user ids never appear: only the
pseudonym, where a row must be linkable at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import (
    answer_t,
    contact_t,
    idea_t,
    option_t,
    place_t,
    poll_t,
    question_t,
    response_t,
)
from storage.tables import participant_t

BATCH = 5000
Row = tuple[Any, ...]

IDEA_COLUMNS = (
    "reference",
    "received_at",
    "channel",
    "language",
    "theme",
    "area",
    "status",
    "idea",
    "has_photo",
    "staff_answer",
    "answered_at",
    "pseudonym",
)
IDEA_CONTACT_COLUMNS = ("contact_name", "contact_method", "contact_value")
VOTE_COLUMNS = ("poll_id", "poll", "response_id", "day", "age_band", "question", "answer")
PLACE_COLUMNS = (
    "id",
    "source",
    "source_id",
    "kind",
    "name_fi",
    "name_sv",
    "name_en",
    "area",
    "street",
    "postal_code",
    "city",
    "lat",
    "lon",
    "phone",
    "email",
    "web",
    "needs",
    "last_verified",
    "active",
    "demo",
)
CONTACT_COLUMNS = (
    "reference",
    "received_at",
    "channel",
    "name",
    "method",
    "contact",
    "good_time",
    "message",
    "status",
    "handled_at",
    "pseudonym",
)


def _streamed(connection: Connection, statement: sa.Select[Any]) -> Iterator[Row]:
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
    for partition in result.partitions():
        yield from (tuple(row) for row in partition)


def _between(column: sa.Column[Any], since: Any, until: Any) -> list[sa.ColumnElement[bool]]:
    wanted = []
    if since is not None:
        wanted.append(column >= since)
    if until is not None:
        wanted.append(column < until)
    return wanted


def idea_rows(
    *,
    connection: Connection,
    since: datetime | None,
    until: datetime | None,
    with_contacts: bool,
) -> Iterator[Row]:
    columns: list[Any] = [
        idea_t.c.reference,
        idea_t.c.created_at,
        idea_t.c.channel,
        idea_t.c.language,
        idea_t.c.theme_code,
        idea_t.c.area_code,
        idea_t.c.status,
        idea_t.c.text,
        idea_t.c.photo_ref.is_not(None),
        idea_t.c.staff_answer,
        idea_t.c.answered_at,
        participant_t.c.pseudonym,
    ]
    if with_contacts:
        columns += [idea_t.c.contact_name, idea_t.c.contact_method, idea_t.c.contact_value]
    statement = (
        sa.select(*columns)
        .select_from(idea_t.outerjoin(participant_t, participant_t.c.id == idea_t.c.participant_id))
        .where(*_between(idea_t.c.created_at, since, until))
        .order_by(idea_t.c.id)
    )
    return _streamed(connection, statement)


def vote_rows(*, connection: Connection, since: date | None, until: date | None) -> Iterator[Row]:
    """Anonymous answers: a response id groups one person's answers, nothing links further."""
    statement = (
        sa.select(
            poll_t.c.id,
            poll_t.c.title,
            response_t.c.id,
            response_t.c.day,
            response_t.c.age_band,
            question_t.c.text,
            option_t.c.text,
        )
        .select_from(
            answer_t.join(response_t, response_t.c.id == answer_t.c.response_id)
            .join(poll_t, poll_t.c.id == response_t.c.poll_id)
            .join(option_t, option_t.c.id == answer_t.c.option_id)
            .join(question_t, question_t.c.id == answer_t.c.question_id)
        )
        .where(*_between(response_t.c.day, since, until))
        .order_by(response_t.c.id, question_t.c.position, option_t.c.position)
    )
    return _streamed(connection, statement)


def place_rows(*, connection: Connection) -> Iterator[Row]:
    statement = sa.select(
        place_t.c.id,
        place_t.c.source,
        place_t.c.source_id,
        place_t.c.kind,
        place_t.c.name,
        place_t.c.area_code,
        place_t.c.street,
        place_t.c.postal_code,
        place_t.c.city,
        place_t.c.lat,
        place_t.c.lon,
        place_t.c.phone,
        place_t.c.email,
        place_t.c.web,
        place_t.c.needs,
        place_t.c.last_verified,
        place_t.c.active,
        place_t.c.demo,
    ).order_by(place_t.c.id)
    for row in _streamed(connection, statement):
        name = row[4] or {}
        yield (
            *row[:4],
            name.get("fi", ""),
            name.get("sv", ""),
            name.get("en", ""),
            *row[5:14],
            " ".join(row[14] or []),
            *row[15:],
        )


def contact_rows(
    *, connection: Connection, since: datetime | None, until: datetime | None
) -> Iterator[Row]:
    statement = (
        sa.select(
            contact_t.c.reference,
            contact_t.c.created_at,
            contact_t.c.channel,
            contact_t.c.name,
            contact_t.c.method,
            contact_t.c.contact_value,
            contact_t.c.good_time,
            contact_t.c.message,
            contact_t.c.status,
            contact_t.c.handled_at,
            participant_t.c.pseudonym,
        )
        .select_from(
            contact_t.outerjoin(participant_t, participant_t.c.id == contact_t.c.participant_id)
        )
        .where(*_between(contact_t.c.created_at, since, until))
        .order_by(contact_t.c.id)
    )
    return _streamed(connection, statement)
