"""Human-readable reference numbers such as ``ID-2026-0042``, unique and gap-free per year."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import counter_t
from storage.upsert import insert_ignoring_conflict

_NEXT = (
    sa.update(counter_t)
    .where(counter_t.c.kind == sa.bindparam("k"), counter_t.c.year == sa.bindparam("y"))
    .values(last=counter_t.c.last + 1)
    .returning(counter_t.c.last)
)


def next_reference(*, connection: Connection, kind: str, year: int) -> str:
    """Return the next reference of ``kind`` (``ID``, ``YP``) for ``year``.

    The UPDATE takes the counter row's lock, so two transactions cannot get the same number.
    """
    insert_ignoring_conflict(
        connection, counter_t, {"kind": kind, "year": year, "last": 0}, returning=counter_t.c.last
    )
    number = connection.execute(_NEXT, {"k": kind, "y": year}).scalar_one()
    return f"{kind}-{year}-{number:04d}"
