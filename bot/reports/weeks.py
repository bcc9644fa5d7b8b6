"""ISO weeks in the city's time zone: ``2026-W48`` runs from Monday 00.00 to the next Monday."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_PATTERN = re.compile(r"^(\d{4})-W(\d{2})$")


class BadWeek(ValueError):
    """Not a week like 2026-W48."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _PATTERN.match(text.strip())
        if match is None:
            raise BadWeek(f"write the week as 2026-W48, not {text!r}")
        year, week = int(match[1]), int(match[2])
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError as error:
            raise BadWeek(f"{text} is not a week of {year}") from error
        return cls(year, week)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def last_complete(cls, now: datetime, timezone: ZoneInfo) -> IsoWeek:
        """The week before the one ``now`` falls in, in the city's time."""
        return cls.of(now.astimezone(timezone).date()).previous()

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def following(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def bounds(self, timezone: ZoneInfo) -> tuple[datetime, datetime]:
        """Monday 00.00 to the next Monday 00.00 local time, as UTC (23 or 25 h days included)."""
        start = datetime.combine(self.monday, time(), timezone)
        end = datetime.combine(self.monday + timedelta(days=7), time(), timezone)
        return start.astimezone(UTC), end.astimezone(UTC)
