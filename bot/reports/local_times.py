"""Times in exports as the staff member's locale writes them, in the city's time zone, fast.

A million rows cannot afford a Babel call (or even a datetime object) each. The locale's short
date and time patterns (fi "d.M.y" + "H.mm" → "1.12.2026 22.50") are compiled once into three
forms: a Python renderer run once per hour of data (Helsinki's offset is whole hours, so the
minutes of a UTC time are its local minutes), Excel's number format for real date-time cells,
and a ``to_char`` template, so PostgreSQL formats inside ``COPY``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import tokenize_pattern

Token = tuple[str, object]
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MINUTE = "\x00"  # where a row's own minutes go in an hour's text
_EXCEL_PLAIN = frozenset(" .-/:")  # a comma in a number format would group thousands
_POSTGRES_PLAIN = frozenset(" .,-/:")

# (field letter, count) → (Python renderer, Excel code, to_char code); the short patterns of
# our locales use only these (a test holds every language of the table to it).
_FIELDS: dict[tuple[str, int], tuple[Callable[[datetime], str], str, str]] = {
    ("d", 1): (lambda t: str(t.day), "d", "FMDD"),
    ("d", 2): (lambda t: f"{t.day:02d}", "dd", "DD"),
    ("M", 1): (lambda t: str(t.month), "m", "FMMM"),
    ("M", 2): (lambda t: f"{t.month:02d}", "mm", "MM"),
    ("y", 1): (lambda t: str(t.year), "yyyy", "YYYY"),
    ("y", 4): (lambda t: str(t.year), "yyyy", "YYYY"),
    ("y", 2): (lambda t: f"{t.year % 100:02d}", "yy", "YY"),
    ("H", 1): (lambda t: str(t.hour), "h", "FMHH24"),
    ("H", 2): (lambda t: f"{t.hour:02d}", "hh", "HH24"),
    ("m", 2): (lambda t: _MINUTE, "mm", "MI"),
}


class UnsupportedPattern(ValueError):
    """The locale writes dates with a field the compiled forms do not know."""


def _tokens(pattern: str) -> list[Token]:
    tokens: list[Token] = list(tokenize_pattern(pattern))
    for kind, value in tokens:
        if kind == "field" and value not in _FIELDS:
            raise UnsupportedPattern(f"{pattern!r}: {value}")
    return tokens


def _quoted(text: str, plain: frozenset[str]) -> str:
    return text if set(text) <= plain else '"' + text.replace('"', "") + '"'


def _render(tokens: list[Token], moment: datetime) -> str:
    return "".join(
        _FIELDS[value][0](moment) if kind == "field" else str(value)  # type: ignore[index]
        for kind, value in tokens
    )


def _excel(tokens: list[Token]) -> str:
    return "".join(
        _FIELDS[value][1] if kind == "field" else _quoted(str(value), _EXCEL_PLAIN)  # type: ignore[index]
        for kind, value in tokens
    )


def _postgres(tokens: list[Token]) -> str:
    return "".join(
        _FIELDS[value][2] if kind == "field" else _quoted(str(value), _POSTGRES_PLAIN)  # type: ignore[index]
        for kind, value in tokens
    )


def _serial(moment: datetime) -> float:
    return (moment - _EXCEL_EPOCH).total_seconds() / 86400


@dataclass(frozen=True)
class LocalTimes:
    """One locale's way of writing days and date-times, compiled. Stored times arrive as the
    ISO text ``YYYY-MM-DDTHH:MM:SSZ`` in UTC (as the export queries make them)."""

    zone: ZoneInfo
    day_tokens: tuple[Token, ...]
    moment_tokens: tuple[Token, ...]

    @classmethod
    def for_locale(cls, locale: Locale, zone: ZoneInfo) -> LocalTimes:
        day = locale.date_formats["short"].pattern
        clock = locale.time_formats["short"].pattern
        combined = str(locale.datetime_formats["short"]).replace("{1}", day).replace("{0}", clock)
        return cls(zone, tuple(_tokens(day)), tuple(_tokens(combined)))

    @property
    def excel_moment(self) -> str:
        return _excel(list(self.moment_tokens))

    @property
    def excel_day(self) -> str:
        return _excel(list(self.day_tokens))

    @property
    def postgres_moment(self) -> str:
        """A ``to_char`` template for a timestamp already in the city's time zone."""
        return _postgres(list(self.moment_tokens))

    def _local_hour(self, iso: str) -> datetime:
        utc = datetime(int(iso[:4]), int(iso[5:7]), int(iso[8:10]), int(iso[11:13]), tzinfo=UTC)
        return utc.astimezone(self.zone).replace(tzinfo=None)

    def moment_text(self) -> Callable[[str | None], str | None]:
        """A converter of ISO UTC text to "1.12.2026 22.50", rendering each hour once."""
        hours: dict[str, tuple[str, str]] = {}
        tokens = list(self.moment_tokens)

        def convert(iso: str | None) -> str | None:
            if not iso:
                return None
            parts = hours.get(iso[:13])
            if parts is None:
                head, _, tail = _render(tokens, self._local_hour(iso)).partition(_MINUTE)
                parts = hours[iso[:13]] = (head, tail)
            return parts[0] + iso[14:16] + parts[1]

        return convert

    def moment_serial(self) -> Callable[[str | None], float | None]:
        """A converter of ISO UTC text to an Excel date-time number in local time."""
        hours: dict[str, float] = {}

        def convert(iso: str | None) -> float | None:
            if not iso:
                return None
            start = hours.get(iso[:13])
            if start is None:
                start = hours[iso[:13]] = _serial(self._local_hour(iso))
            return start + int(iso[14:16]) / 1440 + int(iso[17:19]) / 86400

        return convert

    def day_text(self, day: date | str | None) -> str | None:
        if not day:
            return None
        value = date.fromisoformat(day) if isinstance(day, str) else day
        return _render(list(self.day_tokens), datetime(value.year, value.month, value.day))

    def day_serial(self, day: date | str | None) -> float | None:
        if not day:
            return None
        value = date.fromisoformat(day) if isinstance(day, str) else day
        return _serial(datetime(value.year, value.month, value.day))

    def now_text(self, moment: datetime) -> str:
        """An aware moment as the locale writes it, to the minute."""
        local = moment.astimezone(self.zone)
        return _render(list(self.moment_tokens), local).replace(_MINUTE, f"{local.minute:02d}")
