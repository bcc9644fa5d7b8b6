"""Participants: find or create by (channel, user id), language, consent, reachability."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.tables import participant_t
from storage.upsert import insert_ignoring_conflict


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    channel: str
    channel_user_id: str
    pseudonym: str
    locale: str | None
    consent_version: str | None
    consent_at: datetime | None
    reachable: bool

    @property
    def has_consented(self) -> bool:
        return self.consent_at is not None


def pseudonym_for(*, key: bytes, channel: str, channel_user_id: str) -> str:
    """Return the stable pseudonym: HMAC-SHA256 of channel and user id with a key kept outside."""
    message = f"{channel}:{channel_user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


_COLUMNS = (
    participant_t.c.id,
    participant_t.c.channel,
    participant_t.c.channel_user_id,
    participant_t.c.pseudonym,
    participant_t.c.locale,
    participant_t.c.consent_version,
    participant_t.c.consent_at,
    participant_t.c.reachable,
)


def find_participant(
    *, connection: Connection, channel: str, channel_user_id: str
) -> ParticipantRow | None:
    row = connection.execute(
        sa.select(*_COLUMNS).where(
            participant_t.c.channel == channel, participant_t.c.channel_user_id == channel_user_id
        )
    ).one_or_none()
    return ParticipantRow(*row) if row is not None else None


def get_or_create_participant(
    *,
    connection: Connection,
    channel: str,
    channel_user_id: str,
    pseudonym_key: bytes,
    now: datetime,
) -> tuple[ParticipantRow, bool]:
    """Return the participant and whether it was created by this call."""
    existing = find_participant(
        connection=connection, channel=channel, channel_user_id=channel_user_id
    )
    if existing is not None:
        return existing, False
    insert_ignoring_conflict(
        connection,
        participant_t,
        {
            "channel": channel,
            "channel_user_id": channel_user_id,
            "pseudonym": pseudonym_for(
                key=pseudonym_key, channel=channel, channel_user_id=channel_user_id
            ),
            "reachable": True,
            "created_at": now,
        },
        returning=participant_t.c.id,
    )
    created = find_participant(
        connection=connection, channel=channel, channel_user_id=channel_user_id
    )
    assert created is not None
    return created, True


def set_locale(*, connection: Connection, participant_id: int, locale: str) -> None:
    connection.execute(
        sa.update(participant_t).where(participant_t.c.id == participant_id).values(locale=locale)
    )


def set_consent(
    *, connection: Connection, participant_id: int, version: str | None, at: datetime | None
) -> None:
    """Record consent to a policy version, or withdraw it with ``version=None``."""
    connection.execute(
        sa.update(participant_t)
        .where(participant_t.c.id == participant_id)
        .values(consent_version=version, consent_at=at if version is not None else None)
    )


def set_reachable(*, connection: Connection, participant_id: int, reachable: bool) -> None:
    connection.execute(
        sa.update(participant_t)
        .where(participant_t.c.id == participant_id)
        .values(reachable=reachable)
    )
