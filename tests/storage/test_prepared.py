"""Statements run on the driver's cursor store, read and fail exactly as through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage import prepared
from storage.engine import make_engine, savepoint, transaction
from storage.tables import OutboxStatus, inbox_t, outbox_t, participant_t
from tests.support.databases import postgres_engine

HELSINKI_WINTER = timezone(timedelta(hours=2))
_INSERT_INBOX = sa.insert(inbox_t)
_INSERT_OUTBOX = sa.insert(outbox_t)
_ROW = sa.select(inbox_t.c.payload, inbox_t.c.replies, inbox_t.c.received_at).where(
    inbox_t.c.event_id == sa.bindparam("event_id")
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _inbox(event_id: str) -> dict[str, object]:
    return {
        "channel": "messenger",
        "event_id": event_id,
        "participant_id": None,
        "payload": {"text": 'Hyvää päivää \u2013 "lainaus" \\ /', "n": [1, 2.5, None]},
        "replies": None,
        "received_at": datetime(2026, 11, 28, 12, 30, 15, 123456, tzinfo=HELSINKI_WINTER),
    }


def _stored_as_text(engine: Engine, event_id: str) -> tuple[str, str]:
    """The row as the database holds it, not as a type reads it back."""
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT CAST(payload AS TEXT), CAST(received_at AS TEXT) "
                "FROM inbox_event WHERE event_id = :event_id"
            ),
            {"event_id": event_id},
        ).one()
    return row[0], row[1]


def test_a_row_is_stored_byte_for_byte_as_sqlalchemy_stores_it(engine: Engine) -> None:
    with transaction(engine) as connection:
        connection.execute(_INSERT_INBOX, _inbox("through-sqlalchemy"))
        prepared.execute(connection, _INSERT_INBOX, _inbox("prepared"), keys=tuple(_inbox("")))
    assert _stored_as_text(engine, "prepared") == _stored_as_text(engine, "through-sqlalchemy")


def test_a_row_is_read_back_with_the_column_types_applied(engine: Engine) -> None:
    with transaction(engine) as connection:
        prepared.execute(connection, _INSERT_INBOX, _inbox("x"), keys=tuple(_inbox("")))
        ours = prepared.execute(connection, _ROW, {"event_id": "x"}).one_or_none()
        theirs = connection.execute(_ROW, {"event_id": "x"}).one()
    assert ours == tuple(theirs)
    assert ours is not None
    payload, replies, received_at = ours
    assert payload["text"].startswith("Hyvää päivää")
    assert replies is None
    assert received_at == datetime(2026, 11, 28, 10, 30, 15, 123456, tzinfo=UTC)
    assert received_at.tzinfo is not None


def test_scalar_column_defaults_are_filled_in_as_sqlalchemy_fills_them(engine: Engine) -> None:
    now = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
    values = {"channel": "telegram", "recipient": "42", "payload": {"text": "a"}}
    times = {"next_attempt_at": now, "created_at": now}
    with transaction(engine) as connection:
        prepared.execute(connection, _INSERT_OUTBOX, [{**values, **times}], keys=(*values, *times))
        row = connection.execute(
            sa.select(outbox_t.c.position, outbox_t.c.status, outbox_t.c.attempts)
        ).one()
    assert tuple(row) == (0, OutboxStatus.PENDING, 0)


def test_a_default_computed_in_python_is_refused_rather_than_skipped() -> None:
    table = sa.Table(
        "stamped",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, default=lambda: datetime.now(UTC)),
    )
    with pytest.raises(ValueError, match="default computed in Python"):
        prepared.prepare(sa.insert(table), sa.create_engine("sqlite://").dialect, ("id",))


def test_a_driver_error_is_sqlalchemys_and_a_savepoint_undoes_it_alone(engine: Engine) -> None:
    keys = tuple(_inbox(""))
    with transaction(engine) as connection:
        prepared.execute(connection, _INSERT_INBOX, _inbox("kept"), keys=keys)
        with pytest.raises(sa.exc.IntegrityError), savepoint(connection):
            prepared.execute(connection, _INSERT_INBOX, _inbox("twice"), keys=keys)
            prepared.execute(connection, _INSERT_INBOX, _inbox("twice"), keys=keys)
        # The transaction goes on after the failure (PostgreSQL would refuse otherwise).
        prepared.execute(connection, _INSERT_INBOX, _inbox("after"), keys=keys)
    with engine.connect() as connection:
        stored = connection.execute(sa.select(inbox_t.c.event_id).order_by(inbox_t.c.id))
        assert list(stored.scalars()) == ["kept", "after"]


def test_commit_as_you_go_covers_prepared_statements(engine: Engine) -> None:
    values = {"channel": "telegram", "channel_user_id": "1", "pseudonym": "p", "reachable": True}
    stamped = {**values, "created_at": datetime(2026, 11, 28, tzinfo=UTC)}
    with engine.connect() as connection:
        prepared.execute(connection, sa.insert(participant_t), stamped, keys=tuple(stamped))
        connection.commit()
    with engine.connect() as connection:
        prepared.execute(
            connection,
            sa.insert(participant_t),
            {**stamped, "channel_user_id": "2", "pseudonym": "q"},
            keys=tuple(stamped),
        )
        # closed without a commit: rolled back, as Connection.execute's work would be
    with engine.connect() as connection:
        users = connection.execute(sa.select(participant_t.c.channel_user_id)).scalars().all()
    assert users == ["1"]


def test_a_lost_connection_is_invalidated_and_the_next_one_works() -> None:
    engine = postgres_engine()  # a server connection to lose: PostgreSQL only
    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.connect() as connection:
            backend = connection.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
            with make_engine(url).connect() as other:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
            with pytest.raises(sa.exc.OperationalError) as raised:
                prepared.execute(connection, _ROW, {"event_id": "x"})
            assert raised.value.connection_invalidated
        with engine.connect() as connection:
            assert prepared.execute(connection, _ROW, {"event_id": "x"}).one_or_none() is None
    finally:
        engine.dispose()
