"""Ideas: themes and areas to choose from, storing an idea, a resident's own ideas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import IdeaStatus, area_t, idea_t, theme_t
from storage.references import next_reference

IDEA_REFERENCE_KIND = "ID"


@dataclass(frozen=True)
class Named:
    code: str
    names: dict[str, str]


@dataclass(frozen=True)
class IdeaDraft:
    theme_code: str
    area_code: str
    text: str
    photo_ref: str | None = None
    contact_name: str | None = None
    contact_method: str | None = None
    contact_value: str | None = None


@dataclass(frozen=True)
class IdeaSummary:
    reference: str
    text: str
    status: str
    staff_answer: str | None
    created_at: datetime


def _named(connection: Connection, table: sa.Table) -> list[Named]:
    rows = connection.execute(
        sa.select(table.c.code, table.c.names).where(table.c.active).order_by(table.c.position)
    )
    return [Named(row.code, dict(row.names)) for row in rows]


def themes(*, connection: Connection) -> list[Named]:
    return _named(connection, theme_t)


def areas(*, connection: Connection) -> list[Named]:
    return _named(connection, area_t)


def area_names(*, connection: Connection) -> dict[str, dict[str, str]]:
    """Each area's names by its code."""
    return {area.code: area.names for area in areas(connection=connection)}


def ideas_since(*, connection: Connection, participant_id: int, since: datetime) -> int:
    return connection.execute(
        sa.select(sa.func.count())
        .select_from(idea_t)
        .where(idea_t.c.participant_id == participant_id, idea_t.c.created_at >= since)
    ).scalar_one()


def create_idea(
    *,
    connection: Connection,
    participant_id: int,
    draft: IdeaDraft,
    channel: str,
    language: str,
    now: datetime,
) -> str:
    """Store the idea and return its reference number."""
    reference = next_reference(connection=connection, kind=IDEA_REFERENCE_KIND, year=now.year)
    connection.execute(
        sa.insert(idea_t).values(
            reference=reference,
            participant_id=participant_id,
            theme_code=draft.theme_code,
            area_code=draft.area_code,
            text=draft.text,
            photo_ref=draft.photo_ref,
            contact_name=draft.contact_name,
            contact_method=draft.contact_method,
            contact_value=draft.contact_value,
            contact_consent_at=now if draft.contact_method else None,
            channel=channel,
            language=language,
            status=IdeaStatus.NEW,
            created_at=now,
        )
    )
    return reference


def ideas_of(*, connection: Connection, participant_id: int, limit: int = 10) -> list[IdeaSummary]:
    """The resident's newest ideas (hidden ones too: they are still theirs)."""
    rows = connection.execute(
        sa.select(
            idea_t.c.reference,
            idea_t.c.text,
            idea_t.c.status,
            idea_t.c.staff_answer,
            idea_t.c.created_at,
        )
        .where(idea_t.c.participant_id == participant_id)
        .order_by(idea_t.c.created_at.desc(), idea_t.c.id.desc())
        .limit(limit)
    )
    return [IdeaSummary(*row) for row in rows]
