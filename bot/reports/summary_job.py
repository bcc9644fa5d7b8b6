"""Make the weekly summary once per ISO week and format, save it, and send it to staff.

Every Monday at 07.00 (Europe/Helsinki) the scheduler makes last week's summary; at start-up
the last two complete weeks are checked too, so a Monday missed by downtime is caught up.
With several instances, the UNIQUE (week, format) row decides who makes it; only the maker
delivers it (the staff Telegram chat, e-mail), so staff get each file once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.reports.summary_files import file_name, write_summary
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from bot.settings import Settings
from locales import Translators
from storage import summary_runs
from storage.engine import transaction

logger = logging.getLogger(__name__)

SCHEDULED_FORMATS = ("xlsx", "html")
CATCH_UP_WEEKS = 2


@dataclass(frozen=True)
class MadeFile:
    week: IsoWeek
    format: str
    path: Path


def summary_dir(settings: Settings) -> Path:
    return settings.export_dir / "summaries"


def make_week(
    *,
    database: Engine,
    translators: Translators,
    settings: Settings,
    week: IsoWeek,
    formats: tuple[str, ...] = SCHEDULED_FORMATS,
    reader: Engine | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[MadeFile]:
    """Make the formats of ``week`` that nobody has made yet, or only while the week was on
    (a partial summary is made again, and replaced by the complete one); return what this
    call made.

    ``database`` keeps the claims; ``reader`` (the same by default) serves the counting."""
    made: list[MadeFile] = []
    zone = ZoneInfo(settings.timezone)
    translator = translators[settings.staff_locale]
    for file_format in formats:
        with transaction(database) as connection:
            mine = summary_runs.claim(
                connection=connection,
                week=str(week),
                file_format=file_format,
                now=now(),
                week_ends_at=week.bounds(zone)[1],
            )
        if not mine:
            continue
        try:
            with (reader or database).connect() as connection:
                summary = build_summary(
                    connection=connection,
                    week=week,
                    timezone=zone,
                    translator=translator,
                    now=now(),
                )
            data = write_summary(summary, file_format, delimiter=settings.export_csv_delimiter)
            target = summary_dir(settings) / file_name(summary, file_format)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.part")
            partial.write_bytes(data)
            partial.replace(target)  # whole files only
        except Exception:
            with transaction(database) as connection:
                summary_runs.release(connection=connection, week=str(week), file_format=file_format)
            raise
        with transaction(database) as connection:
            summary_runs.finish(
                connection=connection,
                week=str(week),
                file_format=file_format,
                file_name=target.name,
                now=now(),
            )
        logger.info("weekly summary %s (%s) made", week, file_format)
        made.append(MadeFile(week, file_format, target))
    return made


def weeks_due(now: datetime, timezone: ZoneInfo) -> list[IsoWeek]:
    """The last complete week and the one before it, oldest first."""
    last = IsoWeek.last_complete(now, timezone)
    weeks = [last]
    for _ in range(CATCH_UP_WEEKS - 1):
        weeks.insert(0, weeks[0].previous())
    return weeks
