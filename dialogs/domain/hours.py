"""Opening hours: weekly hours, date-range exceptions and Finnish public holidays.

The stored form (``place.hours``) is JSON modelled on schema.org's OpeningHoursSpecification::

    {"weekly": [{"days": ["mo", "tu"], "opens": "10:00", "closes": "19:00"}],
     "exceptions": [{"from": "2026-12-24", "to": "2026-12-26", "closed": true},
                    {"from": "2026-12-31", "to": "2026-12-31", "opens": "10:00", "closes": "14:00"}],
     "open_on_public_holidays": false}

A ``closes`` at or before ``opens`` runs past midnight. Times are wall-clock times in
Europe/Helsinki, so a DST change moves nothing a person would notice. Without an exception
for the day, a place is closed on Finnish public holidays (the ``holidays`` package, which
counts Midsummer Eve and Christmas Eve) unless ``open_on_public_holidays`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
HELSINKI = ZoneInfo("Europe/Helsinki")


class InvalidHours(ValueError):
    pass


@dataclass(frozen=True)
class Span:
    opens: time
    closes: time


@dataclass(frozen=True)
class WeeklyHours:
    weekdays: frozenset[int]  # 0 = Monday
    span: Span


@dataclass(frozen=True)
class HoursException:
    first: date
    last: date
    spans: tuple[Span, ...]  # empty = closed

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class OpenStatus:
    open_now: bool
    closes_at: datetime | None = None
    next_opening: datetime | None = None


@dataclass(frozen=True)
class OpeningHours:
    weekly: tuple[WeeklyHours, ...] = ()
    exceptions: tuple[HoursException, ...] = ()
    open_on_public_holidays: bool = False
    zone: ZoneInfo = HELSINKI

    @property
    def known(self) -> bool:
        return bool(self.weekly or self.exceptions)

    def spans_on(self, day: date) -> tuple[Span, ...]:
        """The opening spans that start on ``day``."""
        for exception in self.exceptions:
            if exception.covers(day):
                return exception.spans
        if not self.open_on_public_holidays and is_public_holiday(day):
            return ()
        return tuple(w.span for w in self.weekly if day.weekday() in w.weekdays)

    def intervals_on(self, day: date) -> list[Interval]:
        intervals = []
        for span in self.spans_on(day):
            start = datetime.combine(day, span.opens, self.zone)
            end_day = day + timedelta(days=1) if span.closes <= span.opens else day
            intervals.append(Interval(start, datetime.combine(end_day, span.closes, self.zone)))
        return sorted(intervals, key=lambda i: i.start)

    def status(self, now: datetime, *, horizon_days: int = 14) -> OpenStatus:
        """Open now (and until when), or when it next opens within the horizon."""
        local = now.astimezone(self.zone)
        today = local.date()
        for day in (today - timedelta(days=1), today):  # yesterday's span may run past midnight
            for interval in self.intervals_on(day):
                if interval.start <= local < interval.end:
                    return OpenStatus(True, closes_at=interval.end)
        for offset in range(horizon_days + 1):
            for interval in self.intervals_on(today + timedelta(days=offset)):
                if interval.start > local:
                    return OpenStatus(False, next_opening=interval.start)
        return OpenStatus(False)

    def week(self, first: date) -> list[tuple[date, tuple[Span, ...]]]:
        return [
            (first + timedelta(days=n), self.spans_on(first + timedelta(days=n))) for n in range(7)
        ]


@cache
def _holidays(year: int) -> Mapping[date, str]:
    return holidays.country_holidays("FI", years=year)


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year)


@cache
def _holiday_names(year: int, language: str) -> Mapping[date, str]:
    return holidays.country_holidays("FI", years=year, language=language)


def holiday_name(day: date, language: str) -> str | None:
    """The public holiday's name in ``language`` (the ``holidays`` package's code, such as
    "sv_FI"), or None on an ordinary day."""
    return _holiday_names(day.year, language).get(day)


def _time(value: Any) -> time:
    try:
        hours, minutes = str(value).split(":")[:2]
        return time(int(hours) % 24, int(minutes))
    except (ValueError, TypeError) as error:
        raise InvalidHours(f"not a time: {value!r}") from error


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidHours(f"not a date: {value!r}") from error


def _days(value: Any) -> frozenset[int]:
    codes: Sequence[str] = value if isinstance(value, list) else str(value).split(",")
    try:
        return frozenset(DAY_CODES.index(code.strip().lower()[:2]) for code in codes)
    except ValueError as error:
        raise InvalidHours(f"unknown day in {value!r}") from error


def parse_hours(data: Mapping[str, Any] | None) -> OpeningHours:
    """Read the stored JSON form; raise InvalidHours with a plain reason if it is broken."""
    if not data:
        return OpeningHours()
    weekly = tuple(
        WeeklyHours(_days(entry["days"]), Span(_time(entry["opens"]), _time(entry["closes"])))
        for entry in data.get("weekly", ())
    )
    exceptions = []
    for entry in data.get("exceptions", ()):
        first = _date(entry.get("from", entry.get("date")))
        last = _date(entry.get("to", first))
        if last < first:
            raise InvalidHours(f"exception ends before it starts: {first} – {last}")
        spans = (
            () if entry.get("closed") else (Span(_time(entry["opens"]), _time(entry["closes"])),)
        )
        exceptions.append(HoursException(first, last, spans))
    return OpeningHours(
        weekly=weekly,
        exceptions=tuple(exceptions),
        open_on_public_holidays=bool(data.get("open_on_public_holidays", False)),
    )
