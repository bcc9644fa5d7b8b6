"""Test databases: a migrated SQLite file per test, and PostgreSQL when a server is there.

``OSALLISTU_TEST_DATABASE_URL`` names the PostgreSQL database (default: the local ``test``
database). ``OSALLISTU_TEST_REQUIRE`` lists services whose absence fails the run instead of
skipping (``postgres``, ``browser``, ``office``); CI sets them all.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from storage.engine import make_engine
from storage.migrate import migrate

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SEEDED = frozenset({"area", "idea_theme"})


def required(service: str) -> bool:
    return service in os.environ.get("OSALLISTU_TEST_REQUIRE", "").replace(" ", "").split(",")


def unavailable(service: str, reason: str) -> None:
    """Skip the test, or fail it where the service is required."""
    if required(service):
        pytest.fail(f"{service} is required here but unavailable: {reason}")
    pytest.skip(f"{service} unavailable: {reason}")


def postgres_url() -> str:
    return os.environ.get("OSALLISTU_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


@cache
def _postgres_problem() -> str | None:
    engine = make_engine(postgres_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure to connect means "not here"
        return f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    finally:
        engine.dispose()
    return None


@cache
def _postgres_migrated() -> bool:
    engine = make_engine(postgres_url())
    with engine.begin() as connection:
        # Everything, tables of older schemas included, so that the migrations run from zero.
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    migrate(engine)
    engine.dispose()
    return True


def postgres_engine() -> Engine:
    problem = _postgres_problem()
    if problem is not None:
        unavailable("postgres", problem)
    _postgres_migrated()
    engine = make_engine(postgres_url())
    # The seeded defaults (areas, themes) stay, as a fresh migration leaves them.
    tables = ", ".join(t.name for t in SQLModel.metadata.sorted_tables if t.name not in SEEDED)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return engine


def sqlite_url(directory: Path, template: Path) -> str:
    """Copy the migrated template database into ``directory`` and return its URL."""
    target = directory / "osallistu.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def make_sqlite_template(directory: Path) -> Path:
    path = directory / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # closing the last connection checkpoints the WAL into the file
    return path
