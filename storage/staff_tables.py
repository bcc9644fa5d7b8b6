"""Tables of the staff area: accounts, sessions, the audit trail, summaries.

Sign-in attempts are counted in ``rate_counter`` (``storage.rate_limits``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    OUTREACH = "outreach"
    VIEWER = "viewer"


# A new account gets the least it can do until someone chooses more.
LEAST_ROLE = Role.VIEWER


class AuditAction(StrEnum):
    """What a staff member did, as the audit trail stores it (with a detail after a colon
    where one is needed: "idea_status:answered")."""

    ADD_ACCOUNT = "add_account"
    ANSWER_IDEA = "answer_idea"
    CHANGE_ACCOUNT = "change_account"
    CREATE_POLL = "create_poll"
    DOWNLOAD_SUMMARY = "download_summary"
    EDIT_POLL = "edit_poll"
    EXPORT = "export"
    HUMAN_CLOSE = "human_close"
    HUMAN_MESSAGE = "human_message"
    HUMAN_TAKE = "human_take"
    IMPORT_PLACES = "import_places"
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    VIEW_CONTACTS = "view_contacts"
    VIEW_CONVERSATION = "view_conversation"
    VIEW_CONVERSATIONS = "view_conversations"
    VIEW_IDEAS = "view_ideas"
    VIEW_IDEA = "view_idea"
    CLOSE_POLL = "close_poll"
    EDIT_PLACE = "edit_place"
    SCHEDULE_POLL = "schedule_poll"
    SET_DISPLAY_NAME = "set_display_name"
    SERVICE_HOURS = "service_hours"
    ADD_SAVED_REPLY = "add_saved_reply"
    DELETE_SAVED_REPLY = "delete_saved_reply"
    IDEA_STATUS = "idea_status"
    CONTACT_STATUS = "contact_status"
    ANNOUNCE = "announce"
    STOP_ANNOUNCEMENT = "stop_announcement"
    CREATE_EVENT = "create_event"
    EDIT_EVENT = "edit_event"
    CANCEL_EVENT = "cancel_event"
    EVENT_ATTENDANCE = "event_attendance"
    VIEW_SIGNUPS = "view_signups"  # the names and phones residents shared with an organiser


class StaffAccount(SQLModel, table=True):
    __tablename__ = "staff_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)  # stored lower-case
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=16)
    # How residents see a staff member's messages: "Terhi, Yhdessä osallistuen".
    display_name: str | None = Field(default=None, max_length=80)
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StaffSession(SQLModel, table=True):
    """A signed-in browser; only a hash of its cookie is stored, so a database copy is no key."""

    __tablename__ = "staff_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    account_id: int = Field(
        index=True, sa_column_args=[sa.ForeignKey("staff_account.id", ondelete="CASCADE")]
    )
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """Who did what and when, with a row count: never the content itself."""

    __tablename__ = "staff_audit"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int | None = Field(
        default=None,
        index=True,
        sa_column_args=[sa.ForeignKey("staff_account.id", ondelete="SET NULL")],
    )
    action: str = Field(max_length=40)
    target: str | None = Field(default=None, max_length=80)  # "idea:42", "export:ideas.csv"
    rows: int | None = None
    at: datetime = Field(sa_type=UTCDateTime, index=True)


class WeeklySummary(SQLModel, table=True):
    """One summary per ISO week and format: the key that makes the Monday job run once."""

    __tablename__ = "weekly_summary"

    week: str = Field(primary_key=True, max_length=8)  # 2026-W48
    format: str = Field(primary_key=True, max_length=8)  # xlsx | csv | html
    status: str = Field(max_length=8)  # making | done
    file_name: str | None = Field(default=None, max_length=120)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


account_t = SQLModel.metadata.tables[StaffAccount.__tablename__]
session_t = SQLModel.metadata.tables[StaffSession.__tablename__]
audit_t = SQLModel.metadata.tables[AuditEntry.__tablename__]
summary_t = SQLModel.metadata.tables[WeeklySummary.__tablename__]
