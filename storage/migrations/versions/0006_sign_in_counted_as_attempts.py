"""staff sign-in: attempts counted in rate_counter; the failure log goes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff_login_failure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_login_failure_subject"))
    op.drop_table("staff_login_failure")


def downgrade() -> None:
    op.create_table(
        "staff_login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("staff_login_failure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_login_failure_subject"), ["subject"], unique=False
        )
