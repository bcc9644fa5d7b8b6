"""The per-message statements, compiled once per dialect and run on the driver's cursor.

SQLAlchemy Core spends about 35 µs of its own on every statement it executes (execution
context, parameter processing, result set-up) against 5–10 µs in the driver; a message
costs five or six statements. The hot ones are still written as Core statements — one
definition, both dialects — but compiled once here, with the bind and result processors
of their column types (so a value is stored and read exactly as SQLAlchemy would store and
read it), and then run straight on the connection's DBAPI cursor, inside the same
transaction. Driver errors are raised as SQLAlchemy's own exception classes, so callers see
no difference. Anything else goes through ``Connection.execute`` as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class Prepared:
    """One statement as the driver takes it."""

    sql: str
    # The bound names in the order a positional driver (sqlite3) takes them; None when the
    # driver takes them by name (psycopg).
    positions: tuple[str, ...] | None
    defaults: Mapping[str, Any]  # values the statement itself binds (the 1 in ``version + 1``)
    processors: Mapping[str, Processor]
    result_processors: tuple[Processor | None, ...]

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        merged = {**self.defaults, **values} if self.defaults else values
        processed = {
            name: processor(value) if (processor := self.processors.get(name)) else value
            for name, value in merged.items()
        }
        if self.positions is None:
            return processed
        return [processed[name] for name in self.positions]

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            processor(value) if processor is not None else value
            for processor, value in zip(self.result_processors, raw, strict=True)
        )


@lru_cache(maxsize=512)  # a few dozen statements per dialect; bounded for tests' many engines
def prepare(
    statement: sa.ClauseElement, dialect: Dialect, keys: tuple[str, ...] = (), many: bool = False
) -> Prepared:
    """Compile ``statement`` for ``dialect`` (``keys``: the columns an INSERT or UPDATE sets;
    ``many``: for a list of values, where no generated key is fetched back)."""
    compiled = statement.compile(
        dialect=dialect, column_keys=list(keys) or None, for_executemany=many
    )
    assert isinstance(compiled, SQLCompiler)
    if "POSTCOMPILE" in compiled.string:
        raise ValueError(f"{statement} has expanding parameters (IN lists): not prepared here")
    processors: dict[str, Processor] = {}
    defaults: dict[str, Any] = {}
    prefetched = [(c, c.default) for c in compiled.insert_prefetch] + [
        (c, c.onupdate) for c in compiled.update_prefetch
    ]
    for column, default in prefetched:
        if not getattr(default, "is_scalar", False):
            # Computed defaults (callables, sequences) need SQLAlchemy's execution context,
            # which this path skips: give such columns in ``keys``.
            raise ValueError(f"{statement}: {column} needs a default computed in Python")
        defaults[column.key] = default.arg  # type: ignore[union-attr]
    for bind, name in compiled.bind_names.items():
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors[name] = processor
        if not bind.required:
            defaults.setdefault(name, bind.effective_value)
    columns = (
        list(statement.selected_columns)
        if isinstance(statement, sa.Select)
        else list(compiled.returning or ())
    )
    return Prepared(
        sql=compiled.string,
        positions=tuple(compiled.positiontup or ()) if compiled.positional else None,
        defaults=defaults,
        processors=processors,
        result_processors=tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ),
    )


@dataclass(frozen=True)
class Outcome:
    """What a prepared statement did: its rows (processed as SQLAlchemy would) and count."""

    rows: list[tuple[Any, ...]]
    rowcount: int

    def one_or_none(self) -> tuple[Any, ...] | None:
        if len(self.rows) > 1:
            raise sa.exc.MultipleResultsFound("more than one row where one was expected")
        return self.rows[0] if self.rows else None

    def scalar_one_or_none(self) -> Any:
        row = self.one_or_none()
        return row[0] if row is not None else None


def execute(
    connection: Connection,
    statement: sa.ClauseElement,
    values: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    keys: tuple[str, ...] = (),
) -> Outcome:
    """Run ``statement`` with one set of values, or a list of them (executemany)."""
    many = not isinstance(values, Mapping)
    prepared = prepare(statement, connection.dialect, keys, many)
    cursor = _cursor(connection)
    try:
        if isinstance(values, Mapping):
            cursor.execute(prepared.sql, prepared.parameters(values))
        else:
            rows_of_values: Any = [prepared.parameters(v) for v in values]
            cursor.executemany(prepared.sql, rows_of_values)
        rows = (
            [prepared.row(raw) for raw in cursor.fetchall()] if prepared.result_processors else []
        )
        return Outcome(rows=rows, rowcount=cursor.rowcount)
    except connection.dialect.loaded_dbapi.Error as error:
        raise _translated(connection, prepared.sql, error) from error
    finally:
        cursor.close()


def execute_sql(connection: Connection, sql: str) -> None:
    """Run a statement without parameters or results (SAVEPOINT and the like)."""
    cursor = _cursor(connection)
    try:
        cursor.execute(sql)
    except connection.dialect.loaded_dbapi.Error as error:
        raise _translated(connection, sql, error) from error
    finally:
        cursor.close()


def _cursor(connection: Connection) -> Any:
    """A cursor inside the connection's transaction: begun as ``Connection.execute`` would
    begin it, so a commit-as-you-go caller's ``commit()`` covers these statements too."""
    if not connection.in_transaction():
        connection.begin()
    return connection.connection.cursor()


def _translated(connection: Connection, sql: str, error: Any) -> Exception:
    """The driver's exception as SQLAlchemy raises it (IntegrityError, OperationalError…);
    a lost connection is invalidated, as SQLAlchemy does, so the pool never hands it out."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, None)
    if lost:
        connection.invalidate(error)
    translated: Exception = sa.exc.DBAPIError.instance(
        sql, None, error, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
    )
    return translated
