"""Run one measurement on SQLite (WAL, a file of its own) and, when a PostgreSQL address is
given and answers, on PostgreSQL in a schema of its own that is dropped afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bench.figures import Figure
from storage.engine import make_engine
from storage.migrate import migrate

Measure = Callable[[Engine, str], list[Figure]]


def reachable(url: str) -> bool:
    engine = make_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def on_each(postgres_url: str | None, *, area: str, schema: str, measure: Measure) -> list[Figure]:
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        migrate(engine)
        rows += measure(engine, "SQLite")
        engine.dispose()
    if postgres_url and not reachable(postgres_url):
        return [*rows, Figure(area, "PostgreSQL", "not reachable, skipped")]
    if postgres_url:
        engine = make_engine(postgres_url)
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        engine.dispose()
        engine = make_engine(postgres_url, connect_args={"options": f"-csearch_path={schema}"})
        migrate(engine)
        rows += measure(engine, "PostgreSQL")
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()
    return rows
