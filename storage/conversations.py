"""Conversation state with an optimistic version check on save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage import prepared
from storage.tables import conversation_t

JSONData = dict[str, Any]


class StaleConversation(Exception):
    """Another writer saved the conversation after we loaded it."""


@dataclass(frozen=True)
class ConversationState:
    flow: str
    step: str
    data: JSONData = field(default_factory=dict)
    version: int = 0


_LOAD = sa.select(
    conversation_t.c.flow, conversation_t.c.step, conversation_t.c.data, conversation_t.c.version
).where(conversation_t.c.participant_id == sa.bindparam("participant_id"))
_INSERT = sa.insert(conversation_t)
_UPDATE = (
    sa.update(conversation_t)
    .where(
        conversation_t.c.participant_id == sa.bindparam("pid"),
        conversation_t.c.version == sa.bindparam("expected_version"),
    )
    .values(
        flow=sa.bindparam("flow"),
        step=sa.bindparam("step"),
        data=sa.bindparam("data", type_=conversation_t.c.data.type),
        updated_at=sa.bindparam("updated_at", type_=conversation_t.c.updated_at.type),
        version=sa.bindparam("expected_version") + 1,
    )
)


def load_conversation(*, connection: Connection, participant_id: int) -> ConversationState | None:
    row = connection.execute(_LOAD, {"participant_id": participant_id}).one_or_none()
    if row is None:
        return None
    return ConversationState(flow=row.flow, step=row.step, data=dict(row.data), version=row.version)


def save_conversation(
    *,
    connection: Connection,
    participant_id: int,
    state: ConversationState,
    previous: ConversationState | None,
    now: datetime,
) -> None:
    """Save ``state``; raise StaleConversation if someone saved since ``previous`` was loaded."""
    values = {"flow": state.flow, "step": state.step, "data": state.data, "updated_at": now}
    if previous is None:
        try:
            with connection.begin_nested():
                connection.execute(
                    _INSERT, {"participant_id": participant_id, "version": 1, **values}
                )
        except sa.exc.IntegrityError as error:
            raise StaleConversation(participant_id) from error
        return
    result = prepared.execute(
        connection, _UPDATE, {"pid": participant_id, "expected_version": previous.version, **values}
    )
    if result.rowcount != 1:
        raise StaleConversation(participant_id)


def move_to(
    *, connection: Connection, participant_id: int, flow: str, step: str, now: datetime
) -> None:
    """Put the conversation at ``flow.step`` from outside a turn (a person of the team took
    it, or closed it); the version moves on, so a turn that loaded the old state retries."""
    result = connection.execute(
        sa.update(conversation_t)
        .where(conversation_t.c.participant_id == participant_id)
        .values(flow=flow, step=step, updated_at=now, version=conversation_t.c.version + 1)
    )
    if result.rowcount == 0:
        connection.execute(
            sa.insert(conversation_t).values(
                participant_id=participant_id, flow=flow, step=step, data={}, version=1,
                updated_at=now,
            )
        )  # fmt: skip


def current_step(*, connection: Connection, participant_id: int) -> str | None:
    """``flow.step`` where the resident is now, if anywhere."""
    state = load_conversation(connection=connection, participant_id=participant_id)
    return f"{state.flow}.{state.step}" if state else None
