"""The directory of meeting places and services: upsert from imports, search, usage counts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from storage.domain_tables import place_need_t, place_stat_t, place_t

NEEDS = ("company", "hangout", "talk", "work_money", "everyday", "young", "families", "seniors")
KINDS = ("meeting_place", "service")


@dataclass(frozen=True)
class PlaceRecord:
    """A place as an import brings it; ``(source, source_id)`` identifies it across imports."""

    source: str
    source_id: str
    kind: str
    name: dict[str, str]
    area_code: str
    description: dict[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    hours: dict[str, Any] = field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    accessibility: dict[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    free_of_charge: bool | None = None
    last_verified: date | None = None
    demo: bool = False


@dataclass(frozen=True)
class PlaceRow:
    id: int
    kind: str
    name: dict[str, str]
    description: dict[str, str]
    area_code: str
    street: str | None
    postal_code: str | None
    city: str | None
    lat: float | None
    lon: float | None
    hours: dict[str, Any]
    phone: str | None
    email: str | None
    web: str | None
    accessibility: dict[str, str]
    languages: list[str]
    free_of_charge: bool | None
    demo: bool


_ROW_COLUMNS = [place_t.c[name] for name in PlaceRow.__dataclass_fields__]


def upsert_place(*, connection: Connection, record: PlaceRecord, now: datetime) -> bool:
    """Insert or update by source id; return True when the place is new."""
    values = asdict(record)
    values["needs"] = list(record.needs)
    values["target_groups"] = list(record.target_groups)
    values["languages"] = list(record.languages)
    existing = connection.execute(
        sa.select(place_t.c.id).where(
            place_t.c.source == record.source, place_t.c.source_id == record.source_id
        )
    ).scalar_one_or_none()
    if existing is None:
        place_id = connection.execute(
            sa.insert(place_t).values(**values, active=True, updated_at=now).returning(place_t.c.id)
        ).scalar_one()
    else:
        place_id = existing
        connection.execute(
            sa.update(place_t).where(place_t.c.id == place_id).values(**values, updated_at=now)
        )
        connection.execute(sa.delete(place_need_t).where(place_need_t.c.place_id == place_id))
    if record.needs:
        connection.execute(
            sa.insert(place_need_t), [{"place_id": place_id, "need": n} for n in set(record.needs)]
        )
    return existing is None


def _with_need(statement: sa.Select[Any], need: str | None) -> sa.Select[Any]:
    if need is None:
        return statement
    return statement.where(
        place_t.c.id.in_(sa.select(place_need_t.c.place_id).where(place_need_t.c.need == need))
    )


def nearest(
    *, connection: Connection, lat: float, lon: float, need: str | None, limit: int = 5
) -> list[PlaceRow]:
    """The active places nearest to (lat, lon) meeting ``need``, nearest first.

    Ordered in SQL by a flat-earth distance (exact enough to rank places within a region);
    callers show the great-circle distance.
    """
    squeeze = math.cos(math.radians(lat)) ** 2
    flat = (place_t.c.lat - lat) * (place_t.c.lat - lat) + squeeze * (place_t.c.lon - lon) * (
        place_t.c.lon - lon
    )
    statement = (
        sa.select(*_ROW_COLUMNS)
        .where(place_t.c.active, place_t.c.lat.is_not(None), place_t.c.lon.is_not(None))
        .order_by(flat)
        .limit(limit)
    )
    return [PlaceRow(*row) for row in connection.execute(_with_need(statement, need))]


def in_area(
    *, connection: Connection, area_code: str, need: str | None, limit: int = 5
) -> list[PlaceRow]:
    statement = (
        sa.select(*_ROW_COLUMNS)
        .where(place_t.c.active, place_t.c.area_code == area_code)
        .order_by(place_t.c.id)
        .limit(limit)
    )
    return [PlaceRow(*row) for row in connection.execute(_with_need(statement, need))]


def get_places(*, connection: Connection, place_ids: Sequence[int]) -> list[PlaceRow]:
    """The active places among ``place_ids``, in the order given, in one query."""
    if not place_ids:
        return []
    rows = connection.execute(
        sa.select(*_ROW_COLUMNS).where(place_t.c.id.in_(list(place_ids)), place_t.c.active)
    )
    found = {row.id: PlaceRow(*row) for row in rows}
    return [found[place_id] for place_id in place_ids if place_id in found]


@dataclass(frozen=True)
class PlaceNames:
    """The active places' names, and a mark that changes whenever any of them may have."""

    version: tuple[int, datetime | None]
    names: tuple[tuple[int, dict[str, str]], ...]


def names_version(*, connection: Connection) -> tuple[int, datetime | None]:
    """How many places there are and when one last changed: a cheap check for a cache."""
    count, changed = connection.execute(
        sa.select(sa.func.count(), sa.func.max(place_t.c.updated_at)).where(place_t.c.active)
    ).one()
    return int(count), changed


def place_names(*, connection: Connection) -> PlaceNames:
    version = names_version(connection=connection)
    rows = connection.execute(
        sa.select(place_t.c.id, place_t.c.name).where(place_t.c.active).order_by(place_t.c.id)
    )
    return PlaceNames(version=version, names=tuple((row.id, dict(row.name)) for row in rows))


def get_place(*, connection: Connection, place_id: int) -> PlaceRow | None:
    row = connection.execute(
        sa.select(*_ROW_COLUMNS).where(place_t.c.id == place_id, place_t.c.active)
    ).one_or_none()
    return PlaceRow(*row) if row is not None else None


def count_use(
    *, connection: Connection, shown: Sequence[int] = (), chosen: int | None = None, day: date
) -> None:
    """Add to the anonymous per-day counts of places shown in results and opened."""
    increments: dict[int, tuple[int, int]] = {place_id: (1, 0) for place_id in shown}
    if chosen is not None:
        seen, _ = increments.get(chosen, (0, 0))
        increments[chosen] = (seen, 1)
    if not increments:
        return
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    statement = insert(place_stat_t)
    # One statement that adds or creates: two processes counting at once cannot collide.
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[place_stat_t.c.place_id, place_stat_t.c.day],
            set_={
                "shown": place_stat_t.c.shown + statement.excluded.shown,
                "chosen": place_stat_t.c.chosen + statement.excluded.chosen,
            },
        ),
        [
            {"place_id": place_id, "day": day, "shown": seen, "chosen": opened}
            for place_id, (seen, opened) in increments.items()
        ],
    )


@dataclass(frozen=True)
class PlaceListing:
    id: int
    name: dict[str, str]
    kind: str
    area_code: str
    active: bool
    demo: bool
    last_verified: date | None
    shown: int
    chosen: int


def staff_listing(*, connection: Connection, since: date) -> list[PlaceListing]:
    """Every place, active or not, with how often it was shown and opened since ``since``."""
    use = (
        sa.select(
            place_stat_t.c.place_id,
            sa.func.sum(place_stat_t.c.shown).label("shown"),
            sa.func.sum(place_stat_t.c.chosen).label("chosen"),
        )
        .where(place_stat_t.c.day >= since)
        .group_by(place_stat_t.c.place_id)
        .subquery()
    )
    rows = connection.execute(
        sa.select(
            place_t.c.id,
            place_t.c.name,
            place_t.c.kind,
            place_t.c.area_code,
            place_t.c.active,
            place_t.c.demo,
            place_t.c.last_verified,
            sa.func.coalesce(use.c.shown, 0),
            sa.func.coalesce(use.c.chosen, 0),
        )
        .select_from(place_t.outerjoin(use, use.c.place_id == place_t.c.id))
        .order_by(place_t.c.kind, place_t.c.id)
    )
    return [PlaceListing(*row[:7], int(row[7]), int(row[8])) for row in rows]


@dataclass(frozen=True)
class PlaceEdit:
    """What staff may change on a place by hand."""

    hours: dict[str, Any]
    phone: str | None
    email: str | None
    web: str | None
    active: bool
    verified_on: date | None  # None: leave the last verification as it is


def place_for_edit(
    *, connection: Connection, place_id: int
) -> tuple[PlaceRow, PlaceListing] | None:
    row = connection.execute(sa.select(*_ROW_COLUMNS).where(place_t.c.id == place_id)).one_or_none()
    if row is None:
        return None
    meta = connection.execute(
        sa.select(
            place_t.c.id,
            place_t.c.name,
            place_t.c.kind,
            place_t.c.area_code,
            place_t.c.active,
            place_t.c.demo,
            place_t.c.last_verified,
        ).where(place_t.c.id == place_id)
    ).one()
    return PlaceRow(*row), PlaceListing(*meta, 0, 0)


def edit_place(*, connection: Connection, place_id: int, edit: PlaceEdit, now: datetime) -> bool:
    values: dict[str, Any] = {
        "hours": edit.hours,
        "phone": edit.phone,
        "email": edit.email,
        "web": edit.web,
        "active": edit.active,
        "updated_at": now,
    }
    if edit.verified_on is not None:
        values["last_verified"] = edit.verified_on
    result = connection.execute(sa.update(place_t).where(place_t.c.id == place_id).values(values))
    return result.rowcount == 1
