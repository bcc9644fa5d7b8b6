"""human conversations: a person of the team in the resident's chat; outbox lanes; staff names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("saved_reply", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_reply_language"), ["language"], unique=False)

    op.create_table(
        "service_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "human_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False),
        sa.Column("contact_request_id", sa.Integer(), nullable=True),
        sa.Column("bot_context", sa.String(length=2000), nullable=True),
        sa.Column("assigned_account_id", sa.Integer(), nullable=True),
        sa.Column("unread", sa.Integer(), nullable=False),
        sa.Column("opened_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("first_answer_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_activity_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=8), nullable=True),
        sa.Column("close_note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["assigned_account_id"], ["staff_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["contact_request_id"], ["contact_request.id"], ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("human_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_human_conversation_closed_at"), ["closed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_human_conversation_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index("ix_human_conversation_status", ["status", "opened_at"], unique=False)

    op.create_table(
        "human_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=8), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("sender_name", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("photo_ref", sa.Text(), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["staff_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["conversation_id"], ["human_conversation.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("human_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_human_message_conversation_id"), ["conversation_id"], unique=False
        )

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lane", sa.Integer(), server_default="1", nullable=False))

    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_account", schema=None) as batch_op:
        batch_op.drop_column("display_name")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("lane")

    with op.batch_alter_table("human_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_human_message_conversation_id"))

    op.drop_table("human_message")
    with op.batch_alter_table("human_conversation", schema=None) as batch_op:
        batch_op.drop_index("ix_human_conversation_status")
        batch_op.drop_index(batch_op.f("ix_human_conversation_participant_id"))
        batch_op.drop_index(batch_op.f("ix_human_conversation_closed_at"))

    op.drop_table("human_conversation")
    op.drop_table("service_hours")
    with op.batch_alter_table("saved_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_reply_language"))

    op.drop_table("saved_reply")
