"""Opening hours as staff type them, and back: one field per weekday, exceptions as lines.

A weekday field holds spans such as ``10-16`` or ``9.00–12.00, 13.00–16.00``; empty means
closed. An exception line is ``2026-12-24`` or ``2026-12-24 – 2026-12-26`` followed by
``closed`` (or ``suljettu``, ``stängt``) or a span. Whatever is typed is checked by the same
parser the bot uses, so what is saved is what residents will see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dialogs.domain.hours import DAY_CODES, InvalidHours, parse_hours
from locales import N_

_SPAN = re.compile(r"^\s*(\d{1,2})(?:[.:](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[.:](\d{2}))?\s*$")
_EXCEPTION = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:\s*[-–]\s*(\d{4}-\d{2}-\d{2}))?\s+(.+?)\s*$")
CLOSED_WORDS = {"closed", "suljettu", "stängt", "kiinni"}
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
        entry: dict[str, Any] = {"from": match[1], "to": match[2] or match[1]}
        if match[3].lower() in CLOSED_WORDS:
            entry["closed"] = True
        else:
            span = _span(match[3])
            if span is None:
                return HoursProblem("exceptions", line)
            entry["opens"], entry["closes"] = span
        exceptions.append(entry)
    hours = {"weekly": weekly, "exceptions": exceptions, "open_on_public_holidays": holidays_open}
    try:
        parse_hours(hours)
    except (InvalidHours, ValueError, KeyError):
        return HoursProblem("exceptions", form.get("exceptions", ""))
    return hours


def form_from_hours(hours: Mapping[str, Any]) -> dict[str, str]:
    """The stored hours as the form shows them."""
    days: dict[str, list[str]] = {code: [] for code in DAY_CODES}
    for entry in hours.get("weekly", ()):
        for code in entry.get("days", ()):
            if code in days:
                days[code].append(f"{entry['opens']}–{entry['closes']}")
    fields = {f"hours_{code}": ", ".join(spans) for code, spans in days.items()}
    lines = []
    for entry in hours.get("exceptions", ()):
        first = entry.get("from", entry.get("date", ""))
        last = entry.get("to", first)
        period = first if last == first else f"{first} – {last}"
        what = "closed" if entry.get("closed") else f"{entry.get('opens')}–{entry.get('closes')}"
        lines.append(f"{period} {what}")
    fields["exceptions"] = "\n".join(lines)
    return fields
