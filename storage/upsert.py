"""INSERT … ON CONFLICT DO NOTHING for both dialects, so a duplicate never aborts a transaction."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from storage import prepared


@cache
def _statement(dialect: str, table: sa.Table, returning: sa.Column[Any]) -> Any:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).on_conflict_do_nothing().returning(returning)


def insert_ignoring_conflict(
    connection: Connection, table: sa.Table, values: dict[str, Any], *, returning: sa.Column[Any]
) -> Any | None:
    """Insert ``values``; return the ``returning`` column, or None when the row already existed."""
    statement = _statement(connection.dialect.name, table, returning)
    return prepared.execute(connection, statement, values, keys=tuple(values)).scalar_one_or_none()
