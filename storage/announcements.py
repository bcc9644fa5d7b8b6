"""Announcements to a topic's subscribers: created (or drafted for a new youth poll), marked
due, queued in batches into the outbox's bulk lane, and stopped. What staff read of them is in
``storage.announcement_reads``.

Each batch is one transaction that writes a delivery row per person beside their outbox row,
so a send killed half-way goes on where it stopped and reaches nobody twice. Batches of one
announcement lock its row (on PostgreSQL; SQLite has one writer anyway), so instances that
both carry a send on take turns, and the unique (announcement, person) pair makes "at most
once" hold whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage import announcement_reads
from storage.domain_tables import poll_t
from storage.news_tables import (
    BY_EMAIL,
    AnnouncementStatus,
    DeliveryStatus,
    Topic,
    announcement_t,
    delivery_t,
    news_email_t,
    subscription_t,
)
from storage.tables import Lane, OutboxStatus, outbox_t, participant_t

CAP_WINDOW = timedelta(days=7)  # "at most N announcements a person in any seven days"


@dataclass(frozen=True)
class AnnouncementDraft:
    topic: Topic
    area_code: str | None
    texts: Mapping[str, str]  # language → text
    send_at: datetime
    now_requested: bool  # staff started it now: it may go in quiet hours
    created_by: int | None


@dataclass(frozen=True)
class Batch:
    queued: int
    capped: int
    done: bool  # nobody is left to queue: the announcement is sent


@dataclass(frozen=True)
class Recipient:
    """Where one subscriber's message goes: their chat, or their confirmed address."""

    participant_id: int
    channel: str  # a chat channel, or BY_EMAIL
    recipient: str  # the chat's user id, or the address's id (never the address itself)
    locale: str | None


# Renders one person's message: the stored payloads, in their language, for where it goes.
Render = Callable[[Recipient], list[dict[str, Any]]]


def create(*, connection: Connection, draft: AnnouncementDraft, now: datetime) -> int:
    return connection.execute(
        sa.insert(announcement_t)
        .values(
            topic=draft.topic,
            area_code=draft.area_code,
            texts=dict(draft.texts),
            status=AnnouncementStatus.SCHEDULED,
            send_at=draft.send_at,
            now_requested=draft.now_requested,
            created_by=draft.created_by,
            created_at=now,
        )
        .returning(announcement_t.c.id)
    ).scalar_one()


def claim_due(*, connection: Connection, now: datetime, quiet: bool) -> list[int]:
    """Mark due announcements as sending and return every one that is: a send killed
    half-way is carried on. In quiet hours only those staff started now."""
    when = announcement_t.c.send_at <= now
    if quiet:
        when = sa.and_(when, announcement_t.c.now_requested.is_(True))
    due = connection.execute(
        sa.select(announcement_t.c.id).where(
            announcement_t.c.status == AnnouncementStatus.SCHEDULED, when
        )
    ).scalars()
    for announcement_id in list(due):
        connection.execute(
            sa.update(announcement_t)
            .where(
                announcement_t.c.id == announcement_id,
                announcement_t.c.status == AnnouncementStatus.SCHEDULED,
            )
            .values(status=AnnouncementStatus.SENDING)
        )
    sending = announcement_t.c.status == AnnouncementStatus.SENDING
    if quiet:
        sending = sa.and_(sending, announcement_t.c.now_requested.is_(True))
    return list(
        connection.execute(
            sa.select(announcement_t.c.id).where(sending).order_by(announcement_t.c.id)
        ).scalars()
    )


def _audience(topic: str, area_code: str | None, channels: Collection[str]) -> Any:
    """Subscribers of the topic, where it can reach them (by e-mail once the address is
    confirmed); events by area or everywhere."""
    # Its own look-up, even where the caller's query joins news_email too.
    confirmed = (
        sa.exists()
        .where(
            news_email_t.c.participant_id == subscription_t.c.participant_id,
            news_email_t.c.confirmed_at.is_not(None),
        )
        .correlate_except(news_email_t)
    )
    where = [
        subscription_t.c.topic == topic,
        subscription_t.c.channel.in_(list(channels)),
        sa.or_(subscription_t.c.channel != BY_EMAIL, confirmed),
    ]
    if area_code is not None:
        where.append(
            sa.or_(subscription_t.c.area_code.is_(None), subscription_t.c.area_code == area_code)
        )
    return sa.and_(*where)


def audience_size(
    *, connection: Connection, topic: Topic, area_code: str | None, channels: Collection[str]
) -> int:
    """How many people an announcement would reach now (before the weekly limit)."""
    return connection.execute(
        sa.select(sa.func.count())
        .select_from(subscription_t)
        .where(_audience(topic, area_code, channels))
    ).scalar_one()


def queue_batch(
    *,
    connection: Connection,
    announcement_id: int,
    channels: Collection[str],
    render: Render,
    weekly_cap: int,
    now: datetime,
    limit: int = 500,
) -> Batch:
    """Queue the announcement for up to ``limit`` more subscribers, in one transaction."""
    announcement = connection.execute(
        sa.select(announcement_t).where(announcement_t.c.id == announcement_id).with_for_update()
    ).one()
    if announcement.status != AnnouncementStatus.SENDING:
        return Batch(0, 0, done=True)
    already = sa.exists().where(
        delivery_t.c.announcement_id == announcement_id,
        delivery_t.c.participant_id == subscription_t.c.participant_id,
    )
    by_email = subscription_t.c.channel == BY_EMAIL
    people = [
        Recipient(
            participant_id=row.id,
            channel=BY_EMAIL if row.email_id is not None else row.channel,
            recipient=str(row.email_id) if row.email_id is not None else row.channel_user_id,
            locale=row.locale,
        )
        for row in connection.execute(
            sa.select(
                participant_t.c.id,
                participant_t.c.channel,
                participant_t.c.channel_user_id,
                participant_t.c.locale,
                sa.case((by_email, news_email_t.c.id), else_=None).label("email_id"),
            )
            .join(subscription_t, subscription_t.c.participant_id == participant_t.c.id)
            .outerjoin(news_email_t, news_email_t.c.participant_id == participant_t.c.id)
            .where(
                _audience(announcement.topic, announcement.area_code, channels),
                ~already,
                # Who blocked the bot is not written to in the chat (Telegram's 403 or its
                # chat-member update marks them); unblocking makes them reachable again.
                sa.or_(by_email, participant_t.c.reachable.is_(True)),
            )
            .order_by(participant_t.c.id)
            .limit(limit)
        )
    ]
    if not people:
        connection.execute(
            sa.update(announcement_t)
            .where(announcement_t.c.id == announcement_id)
            .values(status=AnnouncementStatus.SENT, finished_at=now)
        )
        return Batch(0, 0, done=True)
    recent: dict[int, int] = dict(
        connection.execute(
            sa.select(delivery_t.c.participant_id, sa.func.count())
            .where(
                delivery_t.c.participant_id.in_([p.participant_id for p in people]),
                delivery_t.c.status == DeliveryStatus.QUEUED,
                delivery_t.c.created_at > now - CAP_WINDOW,
            )
            .group_by(delivery_t.c.participant_id)
        ).all()
    )
    queued = capped = 0
    for person in people:
        outbox_id = None
        if recent.get(person.participant_id, 0) >= weekly_cap:
            status, capped = DeliveryStatus.CAPPED, capped + 1
        else:
            outbox_id = _enqueue(connection, person, render(person), now)
            status, queued = DeliveryStatus.QUEUED, queued + 1
        connection.execute(
            sa.insert(delivery_t).values(
                announcement_id=announcement_id,
                participant_id=person.participant_id,
                status=status,
                outbox_id=outbox_id,
                created_at=now,
            )
        )
    return Batch(queued, capped, done=False)


def _enqueue(
    connection: Connection, person: Recipient, payloads: list[dict[str, Any]], now: datetime
) -> int:
    """The person's message in the bulk lane: behind every conversation's reply."""
    first: int | None = None
    for position, payload in enumerate(payloads):
        row_id = connection.execute(
            sa.insert(outbox_t)
            .values(
                channel=person.channel,
                recipient=person.recipient,
                participant_id=person.participant_id,
                position=position,
                lane=Lane.BULK,
                payload=payload,
                status=OutboxStatus.PENDING,
                attempts=0,
                next_attempt_at=now,
                created_at=now,
            )
            .returning(outbox_t.c.id)
        ).scalar_one()
        first = row_id if first is None else first
    assert first is not None, "an announcement renders at least one message"
    return first


def stop(*, connection: Connection, announcement_id: int, now: datetime) -> int:
    """Stop it: nothing more is queued and what waits is withdrawn; how many were withdrawn.
    One under way ends now (the weekly summary counts it in this week); a draft or a
    scheduled one never started."""
    started = announcement_t.c.status.in_([AnnouncementStatus.SENDING, AnnouncementStatus.SENT])
    connection.execute(
        sa.update(announcement_t)
        .where(
            announcement_t.c.id == announcement_id,
            announcement_t.c.status != AnnouncementStatus.STOPPED,
        )
        .values(
            status=AnnouncementStatus.STOPPED,
            finished_at=sa.case(
                (started, sa.func.coalesce(announcement_t.c.finished_at, now)),
                else_=announcement_t.c.finished_at,
            ),
        )
    )
    waiting = sa.select(delivery_t.c.outbox_id).where(
        delivery_t.c.announcement_id == announcement_id, delivery_t.c.outbox_id.is_not(None)
    )
    withdrawn = connection.execute(
        sa.delete(outbox_t).where(
            outbox_t.c.id.in_(waiting),
            outbox_t.c.status.in_([OutboxStatus.PENDING, OutboxStatus.HELD]),
        )
    )
    return withdrawn.rowcount


def draft_for_new_polls(
    *,
    connection: Connection,
    now: datetime,
    texts: Callable[[Mapping[str, str]], dict[str, str]],
    confirmed: bool,
) -> list[int]:
    """An announcement for each youth poll open or about to open that has none yet, to go
    out when it opens: a draft for staff to confirm, or scheduled (``confirmed``)."""
    announced = sa.select(announcement_t.c.poll_id).where(announcement_t.c.poll_id.is_not(None))
    polls = connection.execute(
        sa.select(poll_t.c.id, poll_t.c.title, poll_t.c.opens_at).where(
            poll_t.c.closes_at > now, poll_t.c.id.not_in(announced)
        )
    ).all()
    made = []
    for poll in polls:
        made.append(
            connection.execute(
                sa.insert(announcement_t)
                .values(
                    topic=Topic.POLLS,
                    texts=texts(poll.title),
                    status=AnnouncementStatus.SCHEDULED if confirmed else AnnouncementStatus.DRAFT,
                    send_at=max(poll.opens_at, now),
                    now_requested=False,
                    poll_id=poll.id,
                    created_at=now,
                )
                .returning(announcement_t.c.id)
            ).scalar_one()
        )
    return made


def confirm(*, connection: Connection, announcement_id: int, now: datetime) -> bool:
    """Staff confirmed a draft: it goes at its time, or now if that has passed."""
    result = connection.execute(
        sa.update(announcement_t)
        .where(
            announcement_t.c.id == announcement_id,
            announcement_t.c.status == AnnouncementStatus.DRAFT,
        )
        .values(
            status=AnnouncementStatus.SCHEDULED,
            send_at=sa.case((announcement_t.c.send_at < now, now), else_=announcement_t.c.send_at),
        )
    )
    return result.rowcount == 1


def exists(*, connection: Connection, announcement_id: int) -> bool:
    found = connection.execute(
        sa.select(announcement_t.c.id).where(announcement_t.c.id == announcement_id)
    ).first()
    return found is not None


def texts_of(*, connection: Connection, announcement_id: int) -> dict[str, str]:
    return dict(
        connection.execute(
            sa.select(announcement_t.c.texts).where(announcement_t.c.id == announcement_id)
        ).scalar_one()
    )


def keep_tallies(*, connection: Connection, before: datetime) -> int:
    """Finished announcements whose deliveries are older than ``before``: their counts are
    kept on the announcement and the deliveries (who got what) removed. Run before the
    outbox's own purge, which would otherwise leave the counts pointing at nothing."""
    old = (
        sa.select(delivery_t.c.announcement_id)
        .where(delivery_t.c.created_at < before)
        .distinct()
        .scalar_subquery()
    )
    ids = (
        connection.execute(
            sa.select(announcement_t.c.id).where(
                announcement_t.c.id.in_(old),
                announcement_t.c.status.in_([AnnouncementStatus.SENT, AnnouncementStatus.STOPPED]),
            )
        )
        .scalars()
        .all()
    )
    for announcement_id in ids:
        counts = announcement_reads.progress(connection=connection, announcement_id=announcement_id)
        connection.execute(
            sa.update(announcement_t)
            .where(announcement_t.c.id == announcement_id)
            .values(tally=counts.tally())
        )
        connection.execute(
            sa.delete(delivery_t).where(delivery_t.c.announcement_id == announcement_id)
        )
    return len(ids)
