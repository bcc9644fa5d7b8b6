"""What staff read of announcements: the list, and each one's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.news_tables import (
    AnnouncementStatus,
    DeliveryStatus,
    Topic,
    announcement_t,
    delivery_t,
    subscription_t,
)
from storage.tables import OutboxStatus, outbox_t


@dataclass(frozen=True)
class Progress:
    status: AnnouncementStatus
    waiting: int  # queued, not yet delivered
    sent: int
    failed: int
    capped: int  # skipped: the person had had their announcements of the week
    withdrawn: int  # waited when it was stopped, so never sent
    unsubscribed_since: int

    def tally(self) -> dict[str, int]:
        """The counts alone, as an announcement keeps them once its deliveries are gone."""
        return {
            "waiting": self.waiting,
            "sent": self.sent,
            "failed": self.failed,
            "capped": self.capped,
            "withdrawn": self.withdrawn,
            "unsubscribed_since": self.unsubscribed_since,
        }


@dataclass(frozen=True)
class AnnouncementRow:
    id: int
    topic: Topic
    area_code: str | None
    texts: dict[str, str]
    status: AnnouncementStatus
    send_at: datetime
    created_at: datetime
    finished_at: datetime | None


def progress(*, connection: Connection, announcement_id: int) -> Progress:
    announcement = connection.execute(
        sa.select(announcement_t.c.status, announcement_t.c.topic, announcement_t.c.tally).where(
            announcement_t.c.id == announcement_id
        )
    ).one()
    status = AnnouncementStatus(announcement.status)
    if announcement.tally is not None:
        kept = {key: int(value) for key, value in announcement.tally.items()}
        return Progress(status=status, **kept)
    outcome = sa.case(
        (delivery_t.c.status == DeliveryStatus.CAPPED, "capped"),
        (outbox_t.c.status == OutboxStatus.SENT, "sent"),
        (outbox_t.c.status == OutboxStatus.DEAD, "failed"),
        (outbox_t.c.id.is_(None), "withdrawn"),
        else_="waiting",
    )
    counts: dict[str, int] = dict(
        connection.execute(
            sa.select(outcome, sa.func.count())
            .select_from(delivery_t.outerjoin(outbox_t, outbox_t.c.id == delivery_t.c.outbox_id))
            .where(delivery_t.c.announcement_id == announcement_id)
            .group_by(outcome)
        ).all()
    )
    still = sa.exists().where(
        subscription_t.c.participant_id == delivery_t.c.participant_id,
        subscription_t.c.topic == announcement.topic,
    )
    unsubscribed = connection.execute(
        sa.select(sa.func.count())
        .select_from(delivery_t)
        .where(delivery_t.c.announcement_id == announcement_id, ~still)
    ).scalar_one()
    return Progress(
        status=status,
        waiting=counts.get("waiting", 0),
        sent=counts.get("sent", 0),
        failed=counts.get("failed", 0),
        capped=counts.get("capped", 0),
        withdrawn=counts.get("withdrawn", 0),
        unsubscribed_since=unsubscribed,
    )


def latest(*, connection: Connection, limit: int = 50) -> list[AnnouncementRow]:
    rows = connection.execute(
        sa.select(
            announcement_t.c.id,
            announcement_t.c.topic,
            announcement_t.c.area_code,
            announcement_t.c.texts,
            announcement_t.c.status,
            announcement_t.c.send_at,
            announcement_t.c.created_at,
            announcement_t.c.finished_at,
        )
        .order_by(announcement_t.c.id.desc())
        .limit(limit)
    ).all()
    return [
        AnnouncementRow(
            r.id,
            Topic(r.topic),
            r.area_code,
            dict(r.texts),
            AnnouncementStatus(r.status),
            r.send_at,
            r.created_at,
            r.finished_at,
        )
        for r in rows
    ]
