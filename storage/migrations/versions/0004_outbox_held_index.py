"""outbox: a partial index on held messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 12:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_held",
        "outbox_message",
        ["participant_id"],
        unique=False,
        sqlite_where=sa.text("status = 'held'"),
        postgresql_where=sa.text("status = 'held'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_held", table_name="outbox_message")
