"""Conversation state with an optimistic version check on save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

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


def load_conversation(
    *, connection: Connection, participant_id: int, lock: bool = False
) -> ConversationState | None:
    """Load the state; ``lock`` holds the row until commit (PostgreSQL; SQLite locks the file)."""
    statement = sa.select(
        conversation_t.c.flow,
        conversation_t.c.step,
        conversation_t.c.data,
        conversation_t.c.version,
    ).where(conversation_t.c.participant_id == participant_id)
    if lock:
        statement = statement.with_for_update()
    row = connection.execute(statement).one_or_none()
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
                    sa.insert(conversation_t).values(
                        participant_id=participant_id, version=1, **values
                    )
                )
        except sa.exc.IntegrityError as error:
            raise StaleConversation(participant_id) from error
        return
    result = connection.execute(
        sa.update(conversation_t)
        .where(
            conversation_t.c.participant_id == participant_id,
            conversation_t.c.version == previous.version,
        )
        .values(version=previous.version + 1, **values)
    )
    if result.rowcount != 1:
        raise StaleConversation(participant_id)
