"""Limits counted in the database, so that every instance shares one count.

A limit is ``limit`` hits in the last ``seconds``, counted in ``buckets`` slices of that
span (a sign-in limit of five in 15 minutes counts per minute): a hit adds one to the
current slice with one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, then adds up
the slices still inside the span. Concurrent hits are serialised on the current slice's
row, so a limit of five allows five, whatever the concurrency. A refused hit is taken back:
what is counted is what was allowed, and the refusal says when the next hit will be.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from storage.tables import rate_counter_t


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits in any ``seconds``, counted in ``buckets`` slices of it
    (one slice: "at most this many in each window", e.g. one every ten seconds)."""

    limit: int
    seconds: int
    buckets: int = 1

    @property
    def slice(self) -> int:
        return max(1, self.seconds // self.buckets)


@dataclass(frozen=True)
class Hit:
    allowed: bool
    retry_after: float  # seconds until one more hit would be allowed; 0 when this one was
    slice_start: int = 0  # where an allowed hit was counted (to take it back: ``undo``)


@cache
def _increment(dialect: str) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(rate_counter_t).values(
        key=sa.bindparam("subject"), window_start=sa.bindparam("start"), count=1
    )
    return statement.on_conflict_do_update(
        index_elements=[rate_counter_t.c.key, rate_counter_t.c.window_start],
        set_={"count": rate_counter_t.c.count + 1},
    ).returning(rate_counter_t.c.count)


_EARLIER = (
    sa.select(rate_counter_t.c.window_start, rate_counter_t.c.count)
    .where(
        rate_counter_t.c.key == sa.bindparam("subject"),
        rate_counter_t.c.window_start > sa.bindparam("since"),
        rate_counter_t.c.window_start < sa.bindparam("start"),
    )
    .order_by(rate_counter_t.c.window_start)
)
_UNDO = (
    sa.update(rate_counter_t)
    .where(
        rate_counter_t.c.key == sa.bindparam("subject"),
        rate_counter_t.c.window_start == sa.bindparam("start"),
        rate_counter_t.c.count > 0,
    )
    .values(count=rate_counter_t.c.count - 1)
)


def _slice_start(limit: Limit, now: datetime) -> int:
    return int(now.timestamp() // limit.slice) * limit.slice


def hit(*, connection: Connection, key: str, limit: Limit, now: datetime) -> Hit:
    """Count one hit on ``key`` if the limit allows it; else count nothing and say when."""
    start = _slice_start(limit, now)
    current = connection.execute(
        _increment(connection.dialect.name), {"subject": key, "start": start}
    ).scalar_one()
    earlier = [
        (int(row[0]), int(row[1]))
        for row in connection.execute(
            _EARLIER, {"subject": key, "since": start - limit.seconds, "start": start}
        )
    ]
    if current + sum(count for _, count in earlier) <= limit.limit:
        return Hit(allowed=True, retry_after=0.0, slice_start=start)
    connection.execute(_UNDO, {"subject": key, "start": start})
    return Hit(allowed=False, retry_after=_wait(limit, earlier, current - 1, now))


def _wait(limit: Limit, earlier: list[tuple[int, int]], current: int, now: datetime) -> float:
    """Seconds until the slices still counted leave room for one more hit."""
    counted = current + sum(count for _, count in earlier)
    for slice_start, count in earlier:  # the oldest slice leaves the span first
        counted -= count
        if counted + 1 <= limit.limit:
            return max(0.0, slice_start + limit.seconds - now.timestamp())
    # Only the current slice is left, and it is full: the wait is until it, too, leaves.
    return max(0.0, _slice_start(limit, now) + limit.seconds - now.timestamp())


def undo(*, connection: Connection, key: str, hit: Hit) -> None:
    """Take back an allowed hit (a sign-in that turned out right)."""
    connection.execute(_UNDO, {"subject": key, "start": hit.slice_start})


def forget_before(*, connection: Connection, before: datetime) -> int:
    """Remove slices that began before ``before``; return how many."""
    return connection.execute(
        sa.delete(rate_counter_t).where(rate_counter_t.c.window_start < int(before.timestamp()))
    ).rowcount
