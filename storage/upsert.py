"""INSERT … ON CONFLICT DO NOTHING for both dialects, so a duplicate never aborts a transaction."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection


def insert_ignoring_conflict(
    connection: Connection, table: sa.Table, values: dict[str, Any], *, returning: sa.Column[Any]
) -> Any | None:
    """Insert ``values``; return the ``returning`` column, or None when the row already existed."""
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(returning)
    return connection.execute(statement).scalar_one_or_none()
