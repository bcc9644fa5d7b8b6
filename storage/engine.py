"""Engine and transaction factory for SQLite (embedded default) and PostgreSQL (production).

SQLite runs in WAL mode with a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE`` so that two writers queue up instead of failing halfway with
"database is locked" on the upgrade from a read to a write lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.prepared import execute_sql

logger = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``, configured for its dialect."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, **kwargs)


def make_read_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for long reads (exports, summaries) that never blocks the chat's writes.

    On SQLite the main engine starts every transaction with BEGIN IMMEDIATE, which takes the
    write lock: a minute-long export would stall every resident. This one leaves the driver
    in autocommit, so each SELECT reads its own WAL snapshot beside the writer, and it is
    read-only (``query_only``). On PostgreSQL readers never block writers: a plain engine.
    """
    if not url.startswith("sqlite"):
        return make_engine(url, **kwargs)
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **kwargs,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return engine


def _sqlite_engine(url: str, **kwargs: Any) -> Engine:
    engine = sa.create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **kwargs,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN IMMEDIATE is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process; only an OS crash can lose the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    # BEGIN IMMEDIATE through the dialect's begin hook rather than a "begin" event listener:
    # any connection event listener makes SQLAlchemy dispatch events on every statement,
    # which costs about a tenth of a message's handling time.
    def _begin_immediate(dbapi_connection: Any) -> None:
        dbapi_connection.execute("BEGIN IMMEDIATE")

    engine.dialect.do_begin = _begin_immediate  # type: ignore[method-assign]
    return engine


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """Open one transaction: committed when the block ends, rolled back if it raises."""
    with engine.begin() as connection:
        yield connection


@contextmanager
def savepoint(connection: Connection, name: str = "event") -> Iterator[None]:
    """A savepoint in plain SQL: kept if the block ends, undone if it raises.

    SQLAlchemy's ``begin_nested`` does the same with about as much bookkeeping as a whole
    statement; several events share one transaction on the hot path, each in a savepoint.
    """
    execute_sql(connection, f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        execute_sql(connection, f"ROLLBACK TO SAVEPOINT {name}")
        execute_sql(connection, f"RELEASE SAVEPOINT {name}")
        raise
    execute_sql(connection, f"RELEASE SAVEPOINT {name}")
