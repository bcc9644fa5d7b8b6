"""MikkeliNYT, the events calendar the city's own site embeds: ``{"data": [{"id", "name",
"start": "YYYY-MM-DD HH:MM:SS"…}]}``, Finnish only, times in Europe/Helsinki, the location as
"lat,lon", tickets as free text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.event_feed_parts import (
    HELSINKI,
    audience_of,
    checked_times,
    plain_text,
    records_of,
    web_link,
)
from locales import DEFAULT_LANGUAGE
from storage.event_tables import EventSource
from storage.events import EventRecord

FREE_WORDS = ("vapaa pääsy", "maksuton", "ilmainen", "fri entré", "free")


def looks_like_mikkelinyt(data: Any) -> bool:
    if not isinstance(data, Mapping) or "meta" in data:
        return False
    entries = data.get("data")
    return isinstance(entries, list) and all(
        isinstance(e, Mapping) and "start" in e for e in entries[:5]
    )


def mikkelinyt_records(
    data: Mapping[str, Any], *, audiences: Mapping[str, str]
) -> tuple[list[EventRecord], list[str]]:
    return records_of(
        data,
        lambda entry: _mikkelinyt_event(entry, audiences),
        lambda entry: str(entry["id"]) if entry.get("id") else None,
    )


def _mikkelinyt_event(entry: Mapping[str, Any], audiences: Mapping[str, str]) -> EventRecord:
    source_id = str(entry.get("id") or "").strip()
    if not source_id:
        raise ValueError("id is missing")
    name = str(entry.get("name") or "").strip()
    if not name:
        raise ValueError("name is missing")
    starts = _local(entry.get("start"), "start")
    ends = _local(entry["end"], "end") if entry.get("end") else None
    checked_times(starts, ends)
    categories = tuple(
        str(c.get("name")).strip().casefold()
        for c in entry.get("category") or []
        if isinstance(c, Mapping) and c.get("name")
    )
    lat, lon = _lat_lon(entry.get("location"))
    tickets = str(entry.get("tickets") or "").strip()
    is_free, price = _tickets(tickets)
    place = str(entry.get("place") or "").strip()
    return EventRecord(
        source=EventSource.MIKKELINYT,
        source_id=source_id,
        title={DEFAULT_LANGUAGE: name},
        description={DEFAULT_LANGUAGE: text}
        if (text := plain_text(str(entry.get("description") or "")))
        else {},
        starts_at=starts,
        ends_at=ends,
        place_name={DEFAULT_LANGUAGE: place} if place else {},
        street=str(entry.get("address") or "").strip()[:120] or None,
        postal_code=str(entry.get("zip") or "").strip()[:10] or None,
        city=str(entry.get("city") or "").strip()[:60] or None,
        lat=lat,
        lon=lon,
        audience=audience_of(categories, audiences),
        is_free=is_free,
        price=price,
        signup_required=bool(entry.get("registration")),
        url=web_link(entry.get("url")),
        keywords=categories,
    )


def _local(value: Any, what: str) -> datetime:
    """ "2026-12-08 17:00:00" in Mikkeli's time."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is missing")
    try:
        moment = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ValueError(f"{what} is not a time: {value[:40]!r}") from None
    return moment.replace(tzinfo=HELSINKI).astimezone(UTC)


def _lat_lon(value: Any) -> tuple[float | None, float | None]:
    """ "61.688,27.272" or {"lat", "lon"}; nothing when not given."""
    if isinstance(value, Mapping):
        lat, lon = value.get("lat"), value.get("lon") or value.get("lng")
    elif isinstance(value, str) and "," in value:
        lat, lon = value.split(",", 1)
    else:
        return None, None
    try:
        latitude, longitude = float(lat), float(lon)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"location is not a place: {str(value)[:40]!r}") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("location is not a place on Earth")
    return latitude, longitude


def _tickets(tickets: str) -> tuple[bool | None, dict[str, str]]:
    if not tickets:
        return None, {}
    if any(word in tickets.casefold() for word in FREE_WORDS):
        return True, {}
    return (False if re.search(r"\d", tickets) else None), {DEFAULT_LANGUAGE: tickets[:200]}
