"""web chat: session ids stored as an HMAC with the pseudonym key, never in clear

A web chat session id is all it takes to read that chat, so participant and outbox rows now
hold ``keyed_user_id`` of it instead. Rows written before are converted here, which needs
the pseudonym key (``osallistu migrate`` hands it in).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.migrate import PSEUDONYM_KEY
from storage.participants import keyed_user_id

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WEBCHAT = "webchat"
_COLUMNS = {"participant": "channel_user_id", "outbox_message": "recipient"}


def upgrade() -> None:
    connection = op.get_bind()
    key = context.config.attributes.get(PSEUDONYM_KEY)
    for table_name, column in _COLUMNS.items():
        table = sa.table(table_name, sa.column("id"), sa.column("channel"), sa.column(column))
        rows = connection.execute(
            sa.select(table.c.id, table.c[column]).where(table.c.channel == WEBCHAT)
        ).all()
        if not rows:
            continue
        if not isinstance(key, bytes):
            raise RuntimeError(
                "web chat sessions are stored keyed from now on: run `osallistu migrate` "
                "with OSALLISTU_PSEUDONYM_KEY set to convert them"
            )
        for row_id, raw in rows:
            keyed = keyed_user_id(key=key, channel=WEBCHAT, channel_user_id=raw)
            connection.execute(sa.update(table).where(table.c.id == row_id).values({column: keyed}))


def downgrade() -> None:
    raise NotImplementedError("an HMAC cannot be turned back into the session id")
