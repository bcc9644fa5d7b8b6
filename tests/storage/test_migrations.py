"""Migrations build exactly the schema the tables declare, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from storage.engine import make_engine
from storage.migrate import migrate


def test_the_migrated_schema_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    engine.dispose()


def test_migrating_twice_is_harmless(database_url: str) -> None:
    engine = make_engine(database_url)
    migrate(engine)
    migrate(engine)
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_database_url: str) -> None:
    engine = make_engine(sqlite_database_url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_web_chat_sessions_stored_before_are_converted_to_their_hmac(database_url: str) -> None:
    """Rows written before 0007 held the session id itself; afterwards only its HMAC."""
    from datetime import UTC, datetime

    import sqlalchemy as sa
    from alembic import command
    from sqlmodel import SQLModel

    from storage.migrate import alembic_config
    from storage.participants import keyed_user_id

    engine = make_engine(database_url)
    with engine.begin() as connection:  # start over, at the schema before the change
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        else:
            SQLModel.metadata.drop_all(connection)
            connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            connection.execute(sa.text("DROP TABLE IF EXISTS staff_login_failure"))
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    now = datetime.now(UTC)
    with engine.begin() as connection:
        for n, (channel, user) in enumerate(
            [("webchat", "old-session-0001"), ("telegram", "777001")], start=1
        ):
            connection.execute(
                sa.text(
                    "INSERT INTO participant (id, channel, channel_user_id, pseudonym, reachable,"
                    " created_at) VALUES (:id, :channel, :user, :pseudonym, :yes, :now)"
                ),
                {"id": n, "channel": channel, "user": user, "pseudonym": f"p{n}", "yes": True,
                 "now": now.replace(tzinfo=None)},
            )  # fmt: skip
        connection.execute(
            sa.text(
                "INSERT INTO outbox_message (channel, recipient, participant_id, position, payload,"
                " status, attempts, next_attempt_at, created_at) VALUES ('webchat',"
                " 'old-session-0001', 1, 0, '{}', 'pending', 0, :now, :now)"
            ),
            {"now": now.replace(tzinfo=None)},
        )
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        with pytest.raises(RuntimeError, match="OSALLISTU_PSEUDONYM_KEY"):
            command.upgrade(config, "head")  # without the key the rows cannot be converted
    migrate(engine, pseudonym_key=b"k" * 40)
    expected = keyed_user_id(key=b"k" * 40, channel="webchat", channel_user_id="old-session-0001")
    with engine.connect() as connection:
        users = dict(
            connection.execute(sa.text("SELECT channel, channel_user_id FROM participant")).all()
        )
        recipients = list(connection.execute(sa.text("SELECT recipient FROM outbox_message")))
    assert users == {"webchat": expected, "telegram": "777001"}
    assert recipients == [(expected,)]
    engine.dispose()
