"""Ideas as staff see them: filtered lists, one idea in full, status changes and answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import IdeaStatus, area_t, idea_t, theme_t
from storage.tables import participant_t


@dataclass(frozen=True)
class IdeaFilter:
    theme: str | None = None
    area: str | None = None
    status: str | None = None
    channel: str | None = None
    since: datetime | None = None
    until: datetime | None = None  # exclusive

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        wanted: list[sa.ColumnElement[bool]] = []
        if self.theme:
            wanted.append(idea_t.c.theme_code == self.theme)
        if self.area:
            wanted.append(idea_t.c.area_code == self.area)
        if self.status:
            wanted.append(idea_t.c.status == self.status)
        if self.channel:
            wanted.append(idea_t.c.channel == self.channel)
        if self.since:
            wanted.append(idea_t.c.created_at >= self.since)
        if self.until:
            wanted.append(idea_t.c.created_at < self.until)
        return wanted


@dataclass(frozen=True)
class IdeaRow:
    id: int
    reference: str
    created_at: datetime
    theme: dict[str, str]
    area: dict[str, str]
    channel: str
    status: str
    text: str
    has_photo: bool
    answered: bool


@dataclass(frozen=True)
class IdeaDetail:
    id: int
    reference: str
    created_at: datetime
    theme: dict[str, str]
    area: dict[str, str]
    channel: str
    language: str
    status: str
    text: str
    photo_ref: str | None
    contact_name: str | None
    contact_method: str | None
    contact_value: str | None
    staff_answer: str | None
    answered_at: datetime | None
    participant_id: int | None


@dataclass(frozen=True)
class Recipient:
    """Where an answer goes: the resident's own chat, in their language."""

    participant_id: int
    channel: str
    channel_user_id: str
    locale: str | None


def _joined() -> sa.FromClause:
    return idea_t.join(theme_t, theme_t.c.code == idea_t.c.theme_code).join(
        area_t, area_t.c.code == idea_t.c.area_code
    )


def list_ideas(
    *, connection: Connection, wanted: IdeaFilter, limit: int = 50, offset: int = 0
) -> tuple[list[IdeaRow], int]:
    """A page of ideas, newest first, and how many match in all."""
    conditions = wanted.conditions()
    total = connection.execute(
        sa.select(sa.func.count()).select_from(idea_t).where(*conditions)
    ).scalar_one()
    rows = connection.execute(
        sa.select(
            idea_t.c.id,
            idea_t.c.reference,
            idea_t.c.created_at,
            theme_t.c.names.label("theme"),
            area_t.c.names.label("area"),
            idea_t.c.channel,
            idea_t.c.status,
            idea_t.c.text,
            idea_t.c.photo_ref.is_not(None).label("has_photo"),
            idea_t.c.staff_answer.is_not(None).label("answered"),
        )
        .select_from(_joined())
        .where(*conditions)
        .order_by(idea_t.c.created_at.desc(), idea_t.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [IdeaRow(*row) for row in rows], total


def idea_detail(*, connection: Connection, idea_id: int) -> IdeaDetail | None:
    row = connection.execute(
        sa.select(
            idea_t.c.id,
            idea_t.c.reference,
            idea_t.c.created_at,
            theme_t.c.names,
            area_t.c.names,
            idea_t.c.channel,
            idea_t.c.language,
            idea_t.c.status,
            idea_t.c.text,
            idea_t.c.photo_ref,
            idea_t.c.contact_name,
            idea_t.c.contact_method,
            idea_t.c.contact_value,
            idea_t.c.staff_answer,
            idea_t.c.answered_at,
            idea_t.c.participant_id,
        )
        .select_from(_joined())
        .where(idea_t.c.id == idea_id)
    ).first()
    return IdeaDetail(*tuple(row)) if row is not None else None


def set_status(*, connection: Connection, idea_id: int, status: IdeaStatus) -> bool:
    result = connection.execute(
        sa.update(idea_t).where(idea_t.c.id == idea_id).values(status=status)
    )
    return result.rowcount == 1


def save_answer(
    *, connection: Connection, idea_id: int, answer: str, now: datetime
) -> Recipient | None:
    """Store the staff answer; return the resident to tell, if they are still with us."""
    connection.execute(
        sa.update(idea_t)
        .where(idea_t.c.id == idea_id)
        .values(staff_answer=answer, answered_at=now, status=IdeaStatus.ANSWERED)
    )
    row = connection.execute(
        sa.select(
            participant_t.c.id,
            participant_t.c.channel,
            participant_t.c.channel_user_id,
            participant_t.c.locale,
        )
        .select_from(idea_t.join(participant_t, participant_t.c.id == idea_t.c.participant_id))
        .where(idea_t.c.id == idea_id)
    ).first()
    return Recipient(*row) if row else None


def set_photo_ref(*, connection: Connection, idea_id: int, old: str, new: str | None) -> bool:
    """Point the idea at its photo's local copy, or at none; only if nobody changed it (or
    erased the idea) meanwhile. Return whether it did: if not, the copy is nobody's."""
    changed = connection.execute(
        sa.update(idea_t)
        .where(idea_t.c.id == idea_id, idea_t.c.photo_ref == old)
        .values(photo_ref=new)
    )
    return changed.rowcount == 1
