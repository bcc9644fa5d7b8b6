"""A resident's address for news by e-mail: given in the chat, confirmed by the link in the
first message, forgotten when they stop (one click in any message, a word in the chat, or
"delete my data") and, unconfirmed, after a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.news_tables import BY_EMAIL, news_email_t, subscription_t


@dataclass(frozen=True)
class NewsEmailRow:
    id: int
    participant_id: int
    address: str
    language: str
    created_at: datetime
    confirmed_at: datetime | None

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


_COLUMNS = (
    news_email_t.c.id,
    news_email_t.c.participant_id,
    news_email_t.c.address,
    news_email_t.c.language,
    news_email_t.c.created_at,
    news_email_t.c.confirmed_at,
)


def of_participant(*, connection: Connection, participant_id: int) -> NewsEmailRow | None:
    row = connection.execute(
        sa.select(*_COLUMNS).where(news_email_t.c.participant_id == participant_id)
    ).first()
    return NewsEmailRow(*row) if row is not None else None


def by_id(*, connection: Connection, email_id: int) -> NewsEmailRow | None:
    row = connection.execute(sa.select(*_COLUMNS).where(news_email_t.c.id == email_id)).first()
    return NewsEmailRow(*row) if row is not None else None


def set_address(
    *, connection: Connection, participant_id: int, address: str, language: str, now: datetime
) -> NewsEmailRow:
    """A new address, unconfirmed; it replaces an earlier one, whose links stop working."""
    connection.execute(
        sa.delete(news_email_t).where(news_email_t.c.participant_id == participant_id)
    )
    email_id = connection.execute(
        sa.insert(news_email_t)
        .values(participant_id=participant_id, address=address, language=language, created_at=now)
        .returning(news_email_t.c.id)
    ).scalar_one()
    return NewsEmailRow(email_id, participant_id, address, language, now, None)


def confirm(*, connection: Connection, email_id: int, now: datetime) -> bool:
    """The link in the first message was opened; False if the address is gone."""
    result = connection.execute(
        sa.update(news_email_t)
        .where(news_email_t.c.id == email_id)
        .values(confirmed_at=sa.func.coalesce(news_email_t.c.confirmed_at, now))
    )
    return result.rowcount == 1


def forget(*, connection: Connection, participant_id: int) -> bool:
    """No more news by e-mail: the address and what was to come by it go."""
    connection.execute(
        sa.delete(subscription_t).where(
            subscription_t.c.participant_id == participant_id,
            subscription_t.c.channel == BY_EMAIL,
        )
    )
    result = connection.execute(
        sa.delete(news_email_t).where(news_email_t.c.participant_id == participant_id)
    )
    return result.rowcount > 0


def forget_unconfirmed(*, connection: Connection, before: datetime) -> int:
    """Addresses whose link was never opened, given before ``before``: gone, with what was
    to come by them."""
    stale = sa.and_(news_email_t.c.confirmed_at.is_(None), news_email_t.c.created_at < before)
    connection.execute(
        sa.delete(subscription_t).where(
            subscription_t.c.participant_id.in_(
                sa.select(news_email_t.c.participant_id).where(stale)
            ),
            subscription_t.c.channel == BY_EMAIL,
        )
    )
    return connection.execute(sa.delete(news_email_t).where(stale)).rowcount
