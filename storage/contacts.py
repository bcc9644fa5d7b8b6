"""Contact requests for outreach well-being work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import ContactStatus, contact_t, idea_t
from storage.references import next_reference

CONTACT_REFERENCE_KIND = "YP"  # yhteydenottopyyntö


@dataclass(frozen=True)
class ContactDraft:
    name: str
    method: str  # chat | phone | email
    contact_value: str | None
    good_time: str | None
    message: str | None


@dataclass(frozen=True)
class CreatedContact:
    id: int
    reference: str


def create_contact_request(
    *, connection: Connection, participant_id: int, channel: str, draft: ContactDraft, now: datetime
) -> CreatedContact:
    reference = next_reference(connection=connection, kind=CONTACT_REFERENCE_KIND, year=now.year)
    result = connection.execute(
        sa.insert(contact_t).values(
            reference=reference,
            participant_id=participant_id,
            channel=channel,
            name=draft.name,
            method=draft.method,
            contact_value=draft.contact_value,
            good_time=draft.good_time,
            message=draft.message,
            consent_at=now,
            status=ContactStatus.OPEN,
            created_at=now,
        )
    )
    return CreatedContact(id=int(result.inserted_primary_key[0]), reference=reference)  # type: ignore[index]


@dataclass(frozen=True)
class ContactRow:
    id: int
    reference: str
    created_at: datetime
    channel: str
    name: str
    method: str
    contact_value: str | None
    good_time: str | None
    message: str | None
    status: str
    handled_at: datetime | None


def list_contacts(
    *, connection: Connection, status: str | None, limit: int = 200
) -> list[ContactRow]:
    statement = sa.select(
        contact_t.c.id,
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
    )
    if status:
        statement = statement.where(contact_t.c.status == status)
    rows = connection.execute(statement.order_by(contact_t.c.created_at.desc()).limit(limit))
    return [ContactRow(*row) for row in rows]


def set_contact_status(
    *, connection: Connection, contact_id: int, status: ContactStatus, now: datetime
) -> bool:
    """Change the status; leaving "open" starts the retention clock (``handled_at``)."""
    handled_at = None if status is ContactStatus.OPEN else now
    result = connection.execute(
        sa.update(contact_t)
        .where(contact_t.c.id == contact_id)
        .values(status=status, handled_at=handled_at)
    )
    return result.rowcount == 1


def known_name(*, connection: Connection, participant_id: int) -> str | None:
    """The name the person last gave in a contact request or with an idea, to offer again."""
    latest = sa.union_all(
        sa.select(contact_t.c.name.label("name"), contact_t.c.created_at.label("at")).where(
            contact_t.c.participant_id == participant_id
        ),
        sa.select(idea_t.c.contact_name.label("name"), idea_t.c.created_at.label("at")).where(
            idea_t.c.participant_id == participant_id, idea_t.c.contact_name.is_not(None)
        ),
    ).subquery()
    return connection.execute(
        sa.select(latest.c.name).order_by(latest.c.at.desc()).limit(1)
    ).scalar_one_or_none()
