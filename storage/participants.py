"""Participants: find or create by (channel, user id), language, consent, reachability.

The statements on the per-message path are built once with bound parameters and run through
``storage.prepared``: compiled once, executed on the driver's cursor.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage import prepared
from storage.conversations import ConversationState
from storage.tables import OutboxStatus, conversation_t, outbox_t, participant_t
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
    age_band: str | None = None

    @property
    def has_consented(self) -> bool:
        return self.consent_at is not None


def pseudonym_for(*, key: bytes, channel: str, channel_user_id: str) -> str:
    """Return the stable pseudonym: HMAC-SHA256 of channel and user id with a key kept outside."""
    message = f"{channel}:{channel_user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def keyed_user_id(*, key: bytes, channel: str, channel_user_id: str) -> str:
    """The id stored for a channel whose user id is itself a secret (a web chat session id
    is all it takes to read that chat): an HMAC with the pseudonym key, never the id."""
    message = f"user-id:{channel}:{channel_user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


_PARTICIPANT_COLUMNS = (
    participant_t.c.id,
    participant_t.c.channel,
    participant_t.c.channel_user_id,
    participant_t.c.pseudonym,
    participant_t.c.locale,
    participant_t.c.consent_version,
    participant_t.c.consent_at,
    participant_t.c.reachable,
    participant_t.c.age_band,
)
_BY_CHANNEL_ID = sa.and_(
    participant_t.c.channel == sa.bindparam("channel"),
    participant_t.c.channel_user_id == sa.bindparam("channel_user_id"),
)
_FIND = sa.select(*_PARTICIPANT_COLUMNS).where(_BY_CHANNEL_ID)
# On PostgreSQL the participant row is locked until commit, so one person's events are
# handled one at a time across processes. It is a statement of its own: in READ COMMITTED
# the next statement then reads the conversation as the previous holder committed it.
# SQLite needs no lock: BEGIN IMMEDIATE already serialises writers.
_LOCK = sa.select(participant_t.c.id).where(_BY_CHANNEL_ID).with_for_update()
# Whether replies wait for this person's next message (Meta's window): answered from the
# partial index ix_outbox_held, so the common case skips the release UPDATE altogether. The
# status is a literal for the planner to see that index's condition.
_HAS_HELD = (
    sa.exists()
    .where(
        outbox_t.c.participant_id == participant_t.c.id,
        outbox_t.c.status == sa.literal_column(f"'{OutboxStatus.HELD}'"),
    )
    .label("has_held")
)
_FIND_WITH_CONVERSATION = (
    sa.select(
        *_PARTICIPANT_COLUMNS,
        conversation_t.c.flow,
        conversation_t.c.step,
        conversation_t.c.data,
        conversation_t.c.version,
        _HAS_HELD,
    )
    .select_from(participant_t.outerjoin(conversation_t))
    .where(_BY_CHANNEL_ID)
)
_SET = sa.update(participant_t).where(participant_t.c.id == sa.bindparam("participant_id"))


def _participant(row: Any) -> ParticipantRow:
    return ParticipantRow(*row[: len(_PARTICIPANT_COLUMNS)])


def find_participant(
    *, connection: Connection, channel: str, channel_user_id: str
) -> ParticipantRow | None:
    row = connection.execute(
        _FIND, {"channel": channel, "channel_user_id": channel_user_id}
    ).one_or_none()
    return _participant(row) if row is not None else None


@dataclass(frozen=True)
class Arrival:
    """Who sent an event, as the engine needs them: loaded (or created) in one statement."""

    participant: ParticipantRow
    state: ConversationState | None
    is_new: bool
    has_held: bool  # replies wait for this person's next message


def participant_for_event(
    *,
    connection: Connection,
    channel: str,
    channel_user_id: str,
    pseudonym_key: bytes,
    now: datetime,
) -> Arrival:
    """Return the participant (created if new), their conversation and whether they are new."""
    params = {"channel": channel, "channel_user_id": channel_user_id}
    lock = connection.dialect.name == "postgresql"
    if lock:
        prepared.execute(connection, _LOCK, params)
    row = prepared.execute(connection, _FIND_WITH_CONVERSATION, params).one_or_none()
    created = False
    if row is None:
        inserted = insert_ignoring_conflict(
            connection,
            participant_t,
            {
                **params,
                "pseudonym": pseudonym_for(
                    key=pseudonym_key, channel=channel, channel_user_id=channel_user_id
                ),
                "reachable": True,
                "created_at": now,
            },
            returning=participant_t.c.id,
        )
        created = inserted is not None
        if lock:
            prepared.execute(connection, _LOCK, params)
        row = prepared.execute(connection, _FIND_WITH_CONVERSATION, params).one_or_none()
        if row is None:  # inserted or found by the line above, in this transaction
            raise RuntimeError("the participant vanished between insert and read")
    participant = _participant(row)
    flow, step, data, version, has_held = row[len(_PARTICIPANT_COLUMNS) :]
    state = (
        ConversationState(flow=flow, step=step, data=dict(data), version=version)
        if flow is not None
        else None
    )
    return Arrival(participant=participant, state=state, is_new=created, has_held=bool(has_held))


def lock(*, connection: Connection, participant_id: int) -> None:
    """Lock the participant's row until commit (PostgreSQL), as handling their message does:
    a change from outside a turn and the turn itself then happen one after the other."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.select(participant_t.c.id)
            .where(participant_t.c.id == participant_id)
            .with_for_update()
        )


def set_locale(*, connection: Connection, participant_id: int, locale: str) -> None:
    connection.execute(_SET, {"participant_id": participant_id, "locale": locale})


def set_consent(
    *, connection: Connection, participant_id: int, version: str | None, at: datetime | None
) -> None:
    """Record consent to a policy version, or withdraw it with ``version=None``."""
    connection.execute(
        _SET,
        {
            "participant_id": participant_id,
            "consent_version": version,
            "consent_at": at if version is not None else None,
        },
    )


def set_reachable(*, connection: Connection, participant_id: int, reachable: bool) -> None:
    connection.execute(_SET, {"participant_id": participant_id, "reachable": reachable})


def set_age_band(*, connection: Connection, participant_id: int, age_band: str | None) -> None:
    """Remember a coarse age band (only with consent, and never for under-13s)."""
    connection.execute(_SET, {"participant_id": participant_id, "age_band": age_band})
