"""The weekly summary's shape: sections of titled tables and charts, every text already in
the staff language and every count already through the small-group rule."""

from __future__ import annotations

from dataclasses import dataclass

from bot.reports.weeks import IsoWeek
from dialogs.domain.small_groups import SMALL_GROUP, is_small
from locales import N_

SMALL_MARK = f"< {SMALL_GROUP}"
HIDDEN = N_("hidden")  # a figure of 0 or 5 or more, hidden so that a small one stays hidden
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
    value: CellValue | None  # a count, or the mark of a hidden one; None: no figure
    previous: CellValue | None


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    series: tuple[str, str]  # the legend: what a bar's value and its ``previous`` are


@dataclass(frozen=True)
class Section:
    key: str  # a sheet or file name: short, ASCII
    title: str
    tables: tuple[Table, ...]
    chart: Chart | None = None
    key_rows: int = 0  # how many first rows of the first table are the week's key figures


@dataclass(frozen=True)
class Summary:
    week: IsoWeek
    language: str
    title: str
    period: str
    sections: tuple[Section, ...]
    overview_name: str = "Summary"  # the first sheet: "Viikko 48"
    key_title: str = "Key figures"
    key_headers: tuple[str, ...] = ("Figure", "This week", "Last week", "Change")
    note: str | None = None


def published(count: int) -> CellValue:
    return SMALL_MARK if is_small(count) else count
