"""Which weekly summaries exist: the UNIQUE (week, format) row that makes each one once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.staff_tables import summary_t
from storage.upsert import insert_ignoring_conflict

MAKING, DONE = "making", "done"
# A maker that died midway leaves "making"; after this long another instance takes over.
TAKE_OVER_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class SummaryFile:
    week: str
    format: str
    file_name: str
    finished_at: datetime


def claim(
    *, connection: Connection, week: str, file_format: str, now: datetime, week_ends_at: datetime
) -> bool:
    """True if this caller is to make the summary: nobody is making it right now, and nobody
    has made it after the week ended. One made during the week (partial) is made again: a
    "make now" on Tuesday never stops Monday's complete summary."""
    inserted = insert_ignoring_conflict(
        connection,
        summary_t,
        {"week": week, "format": file_format, "status": MAKING, "started_at": now},
        returning=summary_t.c.week,
    )
    if inserted is not None:
        return True
    taken = connection.execute(
        sa.update(summary_t)
        .where(
            summary_t.c.week == week,
            summary_t.c.format == file_format,
            sa.or_(
                sa.and_(
                    summary_t.c.status == MAKING, summary_t.c.started_at < now - TAKE_OVER_AFTER
                ),
                sa.and_(summary_t.c.status == DONE, summary_t.c.started_at < week_ends_at),
            ),
        )
        .values(status=MAKING, started_at=now)
    )
    return taken.rowcount == 1


def finish(
    *, connection: Connection, week: str, file_format: str, file_name: str, now: datetime
) -> None:
    connection.execute(
        sa.update(summary_t)
        .where(summary_t.c.week == week, summary_t.c.format == file_format)
        .values(status=DONE, file_name=file_name, finished_at=now)
    )


def release(*, connection: Connection, week: str, file_format: str) -> None:
    """Making failed: let the next run try again."""
    connection.execute(
        sa.delete(summary_t).where(
            summary_t.c.week == week,
            summary_t.c.format == file_format,
            summary_t.c.status == MAKING,
        )
    )


def made(*, connection: Connection, limit: int = 60) -> list[SummaryFile]:
    rows = connection.execute(
        sa.select(
            summary_t.c.week, summary_t.c.format, summary_t.c.file_name, summary_t.c.finished_at
        )
        .where(summary_t.c.status == DONE)
        .order_by(summary_t.c.week.desc(), summary_t.c.format)
        .limit(limit)
    )
    return [SummaryFile(*row) for row in rows]
