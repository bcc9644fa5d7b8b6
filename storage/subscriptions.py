"""A resident's news subscriptions: what they chose, changed or stopped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.news_tables import Topic, news_email_t, subscription_t


@dataclass(frozen=True)
class SubscriptionRow:
    topic: Topic
    area_code: str | None  # events: None is all of Mikkeli
    channel: str
    agreed_at: datetime
    policy_version: str


def subscriptions_of(*, connection: Connection, participant_id: int) -> list[SubscriptionRow]:
    """The person's subscriptions, in the order of ``Topic``."""
    rows = connection.execute(
        sa.select(
            subscription_t.c.topic,
            subscription_t.c.area_code,
            subscription_t.c.channel,
            subscription_t.c.agreed_at,
            subscription_t.c.policy_version,
        ).where(subscription_t.c.participant_id == participant_id)
    ).all()
    found = [SubscriptionRow(Topic(r.topic), *r[1:]) for r in rows]
    order = list(Topic)
    return sorted(found, key=lambda row: order.index(row.topic))


def subscribe(
    *,
    connection: Connection,
    participant_id: int,
    topic: Topic,
    area_code: str | None,
    channel: str,
    agreed_at: datetime,
    policy_version: str,
) -> None:
    """Agree to hear about ``topic``; agreeing again (another area) replaces the earlier."""
    unsubscribe(connection=connection, participant_id=participant_id, topic=topic)
    connection.execute(
        sa.insert(subscription_t).values(
            participant_id=participant_id,
            topic=topic,
            area_code=area_code,
            channel=channel,
            agreed_at=agreed_at,
            policy_version=policy_version,
        )
    )


def unsubscribe(*, connection: Connection, participant_id: int, topic: Topic) -> bool:
    result = connection.execute(
        sa.delete(subscription_t).where(
            subscription_t.c.participant_id == participant_id, subscription_t.c.topic == topic
        )
    )
    return result.rowcount > 0


def stop_all(*, connection: Connection, participant_id: int) -> int:
    """Stop every subscription of the person, and forget their address for news by e-mail;
    how many subscriptions there were."""
    result = connection.execute(
        sa.delete(subscription_t).where(subscription_t.c.participant_id == participant_id)
    )
    connection.execute(
        sa.delete(news_email_t).where(news_email_t.c.participant_id == participant_id)
    )
    return result.rowcount
