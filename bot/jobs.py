"""Scheduled jobs (APScheduler 3.x, Europe/Helsinki), started and stopped by the app's lifespan."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import anyio.to_thread
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.events_import import sync_events
from bot.media_sweep import sweep_unattached
from bot.meta_photos import PhotoFetch, fetch_meta_photos
from bot.reports.summary_delivery import deliver
from bot.reports.summary_job import MadeFile, make_week, weeks_due
from bot.reports.weeks import IsoWeek
from bot.retention import run_purge
from bot.services import Services
from storage.engine import transaction
from storage.event_series import expand_series

logger = logging.getLogger(__name__)


def build_scheduler(services: Services) -> AsyncIOScheduler:
    settings = services.settings
    scheduler = AsyncIOScheduler(timezone=settings.timezone)

    async def purge() -> None:
        # Idempotent, so two instances running it on the same night do no harm.
        await anyio.to_thread.run_sync(run_purge, services.database, settings)

    def make_week_now(week: IsoWeek) -> list[MadeFile]:
        return make_week(
            database=services.database,
            reader=services.reader,
            translators=services.translators,
            settings=settings,
            week=week,
        )

    async def weekly_summary() -> None:
        zone = ZoneInfo(settings.timezone)
        made: list[MadeFile] = []
        for week in weeks_due(datetime.now(UTC), zone):
            made += await anyio.to_thread.run_sync(make_week_now, week)
        await deliver(
            made,
            settings=settings,
            bot=services.telegram_bot,
            translator=services.translators[settings.staff_locale],
        )

    async def unattached_photos() -> None:
        await anyio.to_thread.run_sync(
            lambda: sweep_unattached(database=services.database, media_dir=settings.media_dir)
        )

    async def idle_team_conversations() -> None:
        await anyio.to_thread.run_sync(
            lambda: services.team.close_idle(
                idle_days=settings.human_conversation_idle_days, now=datetime.now(UTC)
            )
        )

    async def announcements_due() -> None:
        announcer = services.announcer

        def run() -> None:
            now = datetime.now(UTC)
            announcer.draft_for_new_polls(now=now)
            announcer.send_due(now=now)

        await anyio.to_thread.run_sync(run)

    # Scheduled announcements go out within half a minute of their time (once per
    # deployment: each is claimed by one instance); at start too, so that a send an
    # instance was queueing when it stopped goes on at once.
    scheduler.add_job(
        announcements_due,
        IntervalTrigger(seconds=30),
        id="announcements-due",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),
    )
    if settings.events_feed_url is not None:
        feed = settings.events_feed_url.get_secret_value()

        async def events_feed() -> None:
            await anyio.to_thread.run_sync(
                lambda: sync_events(
                    services.database, feed, audiences=settings.events_keyword_audiences
                )
            )

        scheduler.add_job(
            events_feed,
            IntervalTrigger(hours=1),
            id="events-feed",
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC),
        )

    async def event_upkeep() -> None:
        def run() -> None:
            now = datetime.now(UTC)
            with transaction(services.database) as connection:
                expand_series(connection=connection, now=now, zone=ZoneInfo(settings.timezone))
            services.event_messenger.send_due(now=now)

        await anyio.to_thread.run_sync(run)

    # Weekly series get their next weeks' evenings; reminders and "How was it?" go within
    # five minutes of their time (each claimed on its sign-up: once per deployment).
    scheduler.add_job(
        event_upkeep,
        IntervalTrigger(minutes=5),
        id="event-upkeep",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        idle_team_conversations,
        IntervalTrigger(hours=1),
        id="idle-team-conversations",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        unattached_photos,
        IntervalTrigger(hours=1),
        id="unattached-photos",
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        purge,
        CronTrigger(hour=3, minute=30, timezone=settings.timezone),
        id="retention-purge",
        coalesce=True,
        misfire_grace_time=6 * 3600,
    )
    if services.meta_client is not None:
        meta_client = services.meta_client
        fetch = PhotoFetch(
            media_dir=settings.media_dir,
            max_bytes=settings.max_image_bytes,
            allowed_hosts=settings.meta_media_hosts,
        )

        async def meta_photos() -> None:
            await fetch_meta_photos(database=services.database, client=meta_client, fetch=fetch)

        # Meta's links expire within days: fetch soon after an idea is sent.
        scheduler.add_job(
            meta_photos,
            IntervalTrigger(seconds=60),
            id="meta-photos",
            coalesce=True,
            max_instances=1,
        )
    if settings.weekly_summary_enabled:
        scheduler.add_job(
            weekly_summary,
            CronTrigger(day_of_week="mon", hour=7, minute=0, timezone=settings.timezone),
            id="weekly-summary",
            coalesce=True,
            misfire_grace_time=24 * 3600,
        )
        # Once at start-up as well: a Monday missed while the service was down is made now.
        scheduler.add_job(weekly_summary, id="weekly-summary-catch-up", misfire_grace_time=None)
    return scheduler
