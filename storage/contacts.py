"""Contact requests for outreach well-being work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import ContactStatus, contact_t
from storage.references import next_reference

CONTACT_REFERENCE_KIND = "YP"  # yhteydenottopyyntö


@dataclass(frozen=True)
class ContactDraft:
    name: str
    method: str  # chat | phone | email
    contact_value: str | None
    good_time: str | None
    message: str | None


def create_contact_request(
    *, connection: Connection, participant_id: int, channel: str, draft: ContactDraft, now: datetime
) -> str:
    reference = next_reference(connection=connection, kind=CONTACT_REFERENCE_KIND, year=now.year)
    connection.execute(
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
    return reference
