"""Opening hours as staff type them, and back: one field per weekday, exceptions as lines.

A weekday field holds spans such as ``10-16`` or ``9.00–12.00, 13.00–16.00``; empty means
closed. An exception line is a day (``24.12.2026``, or ``2026-12-24`` as stored) or two
joined by a dash, followed by the word for closed in any of our languages or a span. The
form is filled in the same shapes the hints show, the closed word in the staff member's
language, so a hint, what the form holds and what can be typed are one format. Whatever is
typed is checked by the same parser the bot uses, so what is saved is what residents see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.domain.hours import DAY_CODES, InvalidHours, parse_hours
from locales import N_

_SPAN = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\s*$")
_DAY = r"\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}"
_EXCEPTION = re.compile(rf"^\s*({_DAY})(?:\s*[-–]\s*({_DAY}))?\s+(.+?)\s*$")
_FINNISH_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
CLOSED = N_("closed")  # written into the form in the staff member's language
CLOSED_WORDS = {"closed", "suljettu", "stängt", "kiinni"}  # typed in any of them
DAY_NAMES = {
    "mo": N_("Monday"),
    "tu": N_("Tuesday"),
    "we": N_("Wednesday"),
    "th": N_("Thursday"),
    "fr": N_("Friday"),
    "sa": N_("Saturday"),
    "su": N_("Sunday"),
}


@dataclass(frozen=True)
class HoursProblem:
    field: str  # the weekday code or "exceptions"
    text: str  # what was typed, to show back


def _iso_day(text: str) -> str:
    match = _FINNISH_DAY.match(text)
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else text


def _day_text(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return iso  # not a stored day: shown as it is, so staff can fix it
    year, month, day = parts
    return f"{int(day)}.{int(month)}.{year}"


def _time_text(clock: str) -> str:
    hours, minutes = clock.split(":")
    return str(int(hours)) if minutes == "00" else f"{int(hours)}.{minutes}"


def _span_text(entry: Mapping[str, Any]) -> str:
    return f"{_time_text(entry['opens'])}–{_time_text(entry['closes'])}"


def _span(text: str) -> tuple[str, str] | None:
    match = _SPAN.match(text)
    if match is None:
        return None
    opens = f"{int(match[1]):02d}:{match[2] or '00'}"
    closes = f"{int(match[3]):02d}:{match[4] or '00'}"
    return opens, closes


def hours_from_form(
    form: Mapping[str, str], *, holidays_open: bool
) -> dict[str, Any] | HoursProblem:
    weekly: list[dict[str, Any]] = []
    for code in DAY_CODES:
        typed = form.get(f"hours_{code}", "").strip()
        for part in filter(None, (p.strip() for p in typed.split(","))):
            span = _span(part)
            if span is None:
                return HoursProblem(code, typed)
            weekly.append({"days": [code], "opens": span[0], "closes": span[1]})
    exceptions: list[dict[str, Any]] = []
    for line in form.get("exceptions", "").splitlines():
        if not line.strip():
            continue
        match = _EXCEPTION.match(line)
        if match is None:
            return HoursProblem("exceptions", line)
        first = _iso_day(match[1])
        entry: dict[str, Any] = {"from": first, "to": _iso_day(match[2]) if match[2] else first}
        if match[3].lower() in CLOSED_WORDS:
            entry["closed"] = True
        else:
            span = _span(match[3])
            if span is None:
                return HoursProblem("exceptions", line)
            entry["opens"], entry["closes"] = span
        if entry not in exceptions:  # the same line twice is one exception
            exceptions.append(entry)
    hours = {"weekly": weekly, "exceptions": exceptions, "open_on_public_holidays": holidays_open}
    try:
        parse_hours(hours)
    except (InvalidHours, ValueError, KeyError):
        return HoursProblem("exceptions", form.get("exceptions", ""))
    return hours


def form_from_hours(hours: Mapping[str, Any], *, closed_word: str) -> dict[str, str]:
    """The stored hours as the form shows them: the hints' shapes, ``closed_word`` translated."""
    days: dict[str, list[str]] = {code: [] for code in DAY_CODES}
    for entry in hours.get("weekly", ()):
        for code in entry.get("days", ()):
            if code in days:
                days[code].append(_span_text(entry))
    fields = {f"hours_{code}": ", ".join(spans) for code, spans in days.items()}
    lines = []
    for entry in hours.get("exceptions", ()):
        first = _day_text(entry.get("from", entry.get("date", "")))
        last = _day_text(entry.get("to", entry.get("from", entry.get("date", ""))))
        period = first if last == first else f"{first}–{last}"
        what = closed_word if entry.get("closed") else _span_text(entry)
        lines.append(f"{period} {what}")
    fields["exceptions"] = "\n".join(lines)
    return fields
