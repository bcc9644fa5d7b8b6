"""Rows for exports, streamed from the database with constant memory.

Each ``*_rows`` function yields batches of plain tuples in the order of its ``*_COLUMNS``;
the caller holds the connection open while it writes. Platform user ids never appear: only the
pseudonym, where a row must be linkable at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
Batches = Iterator[list[Row]]
# A readable export shows a pseudonym by its shortest unique prefix among all participants,
# so the same person has the same short form in every export and no two people share one.
SHORT_PSEUDONYM_LENGTHS = (8, 12, 16)


@dataclass(frozen=True)
class Readable:
    """How a readable export shows what the database holds as codes."""

    labels: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)  # column → code → words
    timezone: str = "Europe/Helsinki"
    moment_template: str | None = None  # to_char in the city's time, for COPY; else ISO text


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
# Columns people or staff typed (or an import brought): only these can start with "=" and
# are neutralised for spreadsheets; every other column is a code, number or time we made.
FREE_TEXT = frozenset(
    {
        "idea",
        "staff_answer",
        "contact_name",
        "contact_value",
        "poll",
        "question",
        "answer",
        "source_id",
        "name_fi",
        "name_sv",
        "name_en",
        "street",
        "postal_code",
        "city",
        "phone",
        "email",
        "web",
        "name",
        "contact",
        "good_time",
        "message",
    }
)
VOTE_COLUMNS = ("poll_id", "poll", "response_id", "day", "age_band", "question", "answer")


def place_columns(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The places export's columns: a name column for each of ``languages``."""
    return (
        "id",
        "source",
        "source_id",
        "kind",
        *(f"name_{language}" for language in languages),
        *PLACE_COLUMNS_AFTER_NAMES,
    )


PLACE_COLUMNS_AFTER_NAMES = (
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


def _iso(connection: Connection, column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    """The timestamp as ISO 8601 UTC text, made by the database: a million rows then need no
    datetime object each (half of an export's time went to them)."""
    if connection.dialect.name == "postgresql":
        utc = sa.func.timezone("UTC", column)
        return sa.func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff" in SQLite; cutting the text is twice as
    # fast as strftime() parsing it.
    text = sa.type_coerce(column, sa.String)
    iso = sa.func.substr(text, 1, 10) + "T" + sa.func.substr(text, 12, 8) + "Z"
    return sa.case((column.is_(None), None), else_=iso)


def _streamed(connection: Connection, statement: sa.Select[Any], *, raw: bool = False) -> Batches:
    """Batches of rows. ``raw`` reads the driver's cursor directly, for statements whose
    columns are plain texts and numbers already: building a million SQLAlchemy rows costs
    more than reading them."""
    result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(statement)
    if raw:
        # A streamed result has read one row ahead: take it through SQLAlchemy, the rest
        # from the cursor itself.
        batch = [tuple(row) for row in result.fetchmany(1)]
        cursor = result.cursor  # None once SQLAlchemy found the result empty and closed it
        while batch := batch + (list(cursor.fetchmany(BATCH)) if cursor is not None else []):
            yield batch
            batch = []
        return
    for partition in result.partitions():
        yield [tuple(row) for row in partition]


def _between(column: sa.Column[Any], since: Any, until: Any) -> list[sa.ColumnElement[bool]]:
    wanted = []
    if since is not None:
        wanted.append(column >= since)
    if until is not None:
        wanted.append(column < until)
    return wanted


def _short_pseudonyms() -> sa.Subquery:
    pseudonym = participant_t.c.pseudonym
    branches = [
        (
            sa.func.count().over(partition_by=sa.func.substr(pseudonym, 1, length)) == 1,
            sa.func.substr(pseudonym, 1, length),
        )
        for length in SHORT_PSEUDONYM_LENGTHS
    ]
    short = sa.case(*branches, else_=pseudonym)
    return sa.select(participant_t.c.id, short.label("short")).subquery("short_pseudonym")


def _moment(
    connection: Connection, column: sa.ColumnElement[Any], readable: Readable | None
) -> sa.ColumnElement[Any]:
    if readable is not None and readable.moment_template is not None:
        local = sa.func.timezone(readable.timezone, column)
        return sa.func.to_char(local, readable.moment_template)
    return _iso(connection, column)


def _labelled(
    columns: Mapping[str, sa.ColumnElement[Any]], readable: Readable | None
) -> list[sa.ColumnElement[Any]]:
    """Each column under its header, codes turned into words where the export is readable."""
    shown: list[sa.ColumnElement[Any]] = []
    for header, column in columns.items():
        words = readable.labels.get(header) if readable is not None else None
        if words:
            # else: a code without words (a retired one) shows as it is stored
            column = sa.case(dict(words), value=column, else_=sa.cast(column, sa.String))
        shown.append(column.label(header))
    return shown


def _person(readable: Readable | None) -> tuple[sa.FromClause, sa.ColumnElement[Any]]:
    if readable is None:
        return participant_t, participant_t.c.pseudonym
    short = _short_pseudonyms()
    return short, short.c.short


def idea_statement(
    *,
    connection: Connection,
    since: datetime | None,
    until: datetime | None,
    with_contacts: bool,
    readable: Readable | None = None,
) -> sa.Select[Any]:
    """The ideas export, each column labelled with its header."""
    person, pseudonym = _person(readable)
    columns: dict[str, sa.ColumnElement[Any]] = {
        "reference": idea_t.c.reference,
        "received_at": _moment(connection, idea_t.c.created_at, readable),
        "channel": idea_t.c.channel,
        "language": idea_t.c.language,
        "theme": idea_t.c.theme_code,
        "area": idea_t.c.area_code,
        "status": idea_t.c.status,
        "idea": idea_t.c.text,
        "has_photo": sa.cast(idea_t.c.photo_ref.is_not(None), sa.Integer),  # 1 or 0 on both
        "staff_answer": idea_t.c.staff_answer,
        "answered_at": _moment(connection, idea_t.c.answered_at, readable),
        "pseudonym": pseudonym,
    }
    if with_contacts:
        columns |= {
            "contact_name": idea_t.c.contact_name,
            "contact_method": idea_t.c.contact_method,
            "contact_value": idea_t.c.contact_value,
        }
    assert tuple(columns) == IDEA_COLUMNS + (IDEA_CONTACT_COLUMNS if with_contacts else ())
    id_of = person.c.id
    return (
        sa.select(*_labelled(columns, readable))
        .select_from(idea_t.outerjoin(person, id_of == idea_t.c.participant_id))
        .where(*_between(idea_t.c.created_at, since, until))
        .order_by(idea_t.c.id)
    )


def idea_rows(
    *,
    connection: Connection,
    since: datetime | None,
    until: datetime | None,
    with_contacts: bool,
    readable: Readable | None = None,
) -> Batches:
    statement = idea_statement(
        connection=connection,
        since=since,
        until=until,
        with_contacts=with_contacts,
        readable=readable,
    )
    return _streamed(connection, statement, raw=True)


def vote_rows(*, connection: Connection, since: date | None, until: date | None) -> Batches:
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


def place_rows(*, connection: Connection, languages: tuple[str, ...]) -> Batches:
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
    for batch in _streamed(connection, statement):
        yield [
            (
                *row[:4],
                *((row[4] or {}).get(language, "") for language in languages),
                *row[5:14],
                " ".join(row[14] or []),
                *row[15:],
            )
            for row in batch
        ]


def contact_statement(
    *,
    connection: Connection,
    since: datetime | None,
    until: datetime | None,
    readable: Readable | None = None,
) -> sa.Select[Any]:
    """The contact requests export, each column labelled with its header."""
    person, pseudonym = _person(readable)
    columns: dict[str, sa.ColumnElement[Any]] = {
        "reference": contact_t.c.reference,
        "received_at": _moment(connection, contact_t.c.created_at, readable),
        "channel": contact_t.c.channel,
        "name": contact_t.c.name,
        "method": contact_t.c.method,
        "contact": contact_t.c.contact_value,
        "good_time": contact_t.c.good_time,
        "message": contact_t.c.message,
        "status": contact_t.c.status,
        "handled_at": _moment(connection, contact_t.c.handled_at, readable),
        "pseudonym": pseudonym,
    }
    assert tuple(columns) == CONTACT_COLUMNS
    id_of = person.c.id
    return (
        sa.select(*_labelled(columns, readable))
        .select_from(contact_t.outerjoin(person, id_of == contact_t.c.participant_id))
        .where(*_between(contact_t.c.created_at, since, until))
        .order_by(contact_t.c.id)
    )


def contact_rows(
    *,
    connection: Connection,
    since: datetime | None,
    until: datetime | None,
    readable: Readable | None = None,
) -> Batches:
    statement = contact_statement(
        connection=connection, since=since, until=until, readable=readable
    )
    return _streamed(connection, statement, raw=True)
