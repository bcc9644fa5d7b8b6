"""Which stored photos something still refers to: an idea, a draft in a conversation, or a
message to the team."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import idea_t
from storage.human_tables import human_message_t
from storage.tables import conversation_t


def refs_in_use(*, connection: Connection, refs: Collection[str]) -> set[str]:
    """Those of ``refs`` that an idea holds or a conversation's draft names."""
    if not refs:
        return set()
    wanted = list(refs)
    used = set(
        connection.execute(
            sa.select(idea_t.c.photo_ref).where(idea_t.c.photo_ref.in_(wanted))
        ).scalars()
    )
    # A photo sent to the team is part of that conversation, kept as long as it is.
    used.update(
        connection.execute(
            sa.select(human_message_t.c.photo_ref).where(human_message_t.c.photo_ref.in_(wanted))
        ).scalars()
    )
    # A photo sent in the idea flow waits in the conversation's data until the idea is sent.
    drafts = sa.cast(conversation_t.c.data, sa.Text)
    for text in connection.execute(
        sa.select(drafts).where(sa.or_(*(drafts.contains(ref) for ref in wanted)))
    ).scalars():
        used.update(ref for ref in wanted if ref in text)
    return used
