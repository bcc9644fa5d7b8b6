"""event sign-ups: places, the waiting list, names shared with the organiser; anonymous "How was it?" answers

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 14:25:43.994458
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("face", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_feedback_event_id"), ["event_id"], unique=False)

    op.create_table(
        "event_feedback_ballot",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("voter", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "voter"),
    )
    op.create_table(
        "event_signup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("queued_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("shared_name", sa.String(length=80), nullable=True),
        sa.Column("shared_phone", sa.String(length=40), nullable=True),
        sa.Column("stopped", sa.Boolean(), nullable=False),
        sa.Column("reminded_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("feedback_asked_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_id", "participant_id"),
    )
    with op.batch_alter_table("event_signup", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_signup_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            "ix_event_signup_queue", ["event_id", "status", "queued_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_signup", schema=None) as batch_op:
        batch_op.drop_index("ix_event_signup_queue")
        batch_op.drop_index(batch_op.f("ix_event_signup_participant_id"))

    op.drop_table("event_signup")
    op.drop_table("event_feedback_ballot")
    with op.batch_alter_table("event_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_feedback_event_id"))

    op.drop_table("event_feedback")
