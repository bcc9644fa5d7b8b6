"""Replies the team often writes, kept per language, to start a message with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.human_tables import saved_reply_t

MAX_TEXT = 2000


@dataclass(frozen=True)
class SavedReplyRow:
    id: int
    language: str
    text: str


def for_language(*, connection: Connection, language: str | None = None) -> list[SavedReplyRow]:
    statement = sa.select(saved_reply_t.c.id, saved_reply_t.c.language, saved_reply_t.c.text)
    if language is not None:
        statement = statement.where(saved_reply_t.c.language == language)
    rows = connection.execute(statement.order_by(saved_reply_t.c.language, saved_reply_t.c.id))
    return [SavedReplyRow(*row) for row in rows]


def add(*, connection: Connection, language: str, text: str, now: datetime) -> None:
    connection.execute(
        sa.insert(saved_reply_t).values(language=language, text=text[:MAX_TEXT], created_at=now)
    )


def remove(*, connection: Connection, reply_id: int) -> bool:
    return (
        connection.execute(sa.delete(saved_reply_t).where(saved_reply_t.c.id == reply_id)).rowcount
        == 1
    )
