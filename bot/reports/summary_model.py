"""The weekly summary's shape: sections of titled tables and charts, every text already in
the staff language and every count already through the small-group rule."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reports.weeks import IsoWeek
from dialogs.domain.small_groups import SMALL_GROUP, is_small

SMALL_MARK = f"< {SMALL_GROUP}"
CellValue = int | str


@dataclass(frozen=True)
class Table:
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    note: str | None = None


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden by the small-group rule
    previous: int | None


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Section:
    key: str  # a sheet or file name: short, ASCII
    title: str
    tables: tuple[Table, ...]
    chart: Chart | None = None


@dataclass(frozen=True)
class Summary:
    week: IsoWeek
    language: str
    title: str
    period: str
    sections: tuple[Section, ...]


def published(count: int) -> CellValue:
    return SMALL_MARK if is_small(count) else count


def chart_value(count: int) -> int | None:
    return None if is_small(count) else count
