"""Photos still only a link on a platform (Meta's CDN), wherever they were sent: with an idea
or in a conversation with the team. A job brings them in as our own files soon after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import idea_t
from storage.human_tables import human_message_t


class Holder(StrEnum):
    IDEA = "idea"
    MESSAGE = "message"


_TABLES = {
    Holder.IDEA: (idea_t, idea_t.c.created_at),
    Holder.MESSAGE: (human_message_t, human_message_t.c.created_at),
}


@dataclass(frozen=True)
class LinkedPhoto:
    holder: Holder
    row_id: int
    ref: str
    sent_at: datetime


def photos_to_fetch(
    *, connection: Connection, prefixes: Sequence[str], limit: int
) -> list[LinkedPhoto]:
    """Photos still only a link on a platform, oldest first."""
    found: list[LinkedPhoto] = []
    for holder, (table, sent) in _TABLES.items():
        rows = connection.execute(
            sa.select(table.c.id, table.c.photo_ref, sent)
            .where(sa.or_(*(table.c.photo_ref.startswith(prefix) for prefix in prefixes)))
            .order_by(table.c.id)
            .limit(limit)
        )
        found += [LinkedPhoto(holder, row_id, ref, at) for row_id, ref, at in rows]
    return sorted(found, key=lambda photo: photo.sent_at)[:limit]


def set_photo_ref(*, connection: Connection, photo: LinkedPhoto, new: str | None) -> bool:
    """Point the holder at the photo's local copy, or at none; only if nobody changed it (or
    erased it) meanwhile. Return whether it did: if not, the copy is nobody's."""
    table, _ = _TABLES[photo.holder]
    changed = connection.execute(
        sa.update(table)
        .where(table.c.id == photo.row_id, table.c.photo_ref == photo.ref)
        .values(photo_ref=new)
    )
    return changed.rowcount == 1
