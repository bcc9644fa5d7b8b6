"""The retention purge: daily (APScheduler) and on demand (``osallistu purge``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bot.media_sweep import sweep_unattached
from bot.settings import Settings
from storage import announcements, media, news_emails, rate_limits
from storage.engine import transaction
from storage.privacy import RetentionPolicy, purge, purge_team_conversations

logger = logging.getLogger(__name__)

# The longest limit counts an hour; a day of windows is plenty to keep.
RATE_COUNTERS_KEPT = timedelta(days=1)


def policy_from(settings: Settings) -> RetentionPolicy:
    return RetentionPolicy(
        conversation_days=settings.retention_conversation_days,
        payload_days=settings.retention_payload_days,
        inbox_key_days=settings.retention_inbox_key_days,
        outbox_days=settings.retention_outbox_days,
        handled_contact_days=settings.retention_handled_contact_days,
        idea_contact_days=settings.retention_idea_contact_days,
        human_conversation_days=settings.retention_human_conversation_days,
        event_signup_days=settings.retention_event_signup_days,
    )


def run_purge(engine: Engine, settings: Settings, *, now: datetime | None = None) -> dict[str, int]:
    """Purge what is past its retention time, in one transaction; return counts per kind."""
    now = now or datetime.now(UTC)
    with transaction(engine) as connection:
        # Before the outbox goes: an announcement's counts outlive who got it; a week of
        # deliveries stays for the weekly cap.
        deliveries_before = min(
            now - timedelta(days=settings.retention_outbox_days), now - announcements.CAP_WINDOW
        )
        tallies = announcements.keep_tallies(connection=connection, before=deliveries_before)
        done = purge(connection=connection, now=now, policy=policy_from(settings))
        done["announcement_tallies"] = tallies
        done["unconfirmed_emails"] = news_emails.forget_unconfirmed(
            connection=connection, before=now - timedelta(days=settings.unconfirmed_email_days)
        )
        done["rate_counters"] = rate_limits.forget_before(
            connection=connection, before=now - RATE_COUNTERS_KEPT
        )
        team = purge_team_conversations(
            connection=connection, now=now, policy=policy_from(settings)
        )
    done["team_photos"] = media.remove(media_dir=settings.media_dir, refs=team.photo_refs)
    done["unattached_photos"] = sweep_unattached(
        database=engine, media_dir=settings.media_dir, now=now, everything=True
    )
    logger.info("retention purge: %s", ", ".join(f"{k} {v}" for k, v in done.items()))
    return done
