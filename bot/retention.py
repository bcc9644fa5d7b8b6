"""The retention purge: daily (APScheduler) and on demand (``osallistu purge``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.settings import Settings
from storage.engine import transaction
from storage.privacy import RetentionPolicy, purge

logger = logging.getLogger(__name__)


def policy_from(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        conversation_days=settings.retention_conversation_days,
        payload_days=settings.retention_payload_days,
        inbox_key_days=settings.retention_inbox_key_days,
        outbox_days=settings.retention_outbox_days,
        handled_contact_days=settings.retention_handled_contact_days,
        idea_contact_days=settings.retention_idea_contact_days,
    )


def run_purge(engine: Engine, settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    """Purge what is past its retention time, in one transaction; return counts per kind."""
    with transaction(engine) as connection:
        done = purge(
            connection=connection, now=now or datetime.now(UTC), policy=policy_from(settings)
        )
    logger.info("retention purge: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
    return done
