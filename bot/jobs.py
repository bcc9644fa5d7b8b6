"""Scheduled jobs (APScheduler 3.x, Europe/Helsinki), started and stopped by the app's lifespan."""

from __future__ import annotations

import logging

import anyio.to_thread
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.retention import run_purge
from bot.services import Services

logger = logging.getLogger(__name__)


def build_scheduler(services: Services) -> AsyncIOScheduler:
    settings = services.settings
    scheduler = AsyncIOScheduler(timezone=settings.timezone)

    async def purge() -> None:
        # Idempotent, so two instances running it on the same night do no harm.
        await anyio.to_thread.run_sync(run_purge, services.database, settings)

    scheduler.add_job(
        purge,
        CronTrigger(hour=3, minute=30, timezone=settings.timezone),
        id="retention-purge",
        coalesce=True,
        misfire_grace_time=6 * 3600,
    )
    return scheduler
