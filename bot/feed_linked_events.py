"""Linked Events (the format of Helsinki, Turku and Tampere): ``{"meta": {"next"}, "data":
[event…]}``, times in UTC ("…Z"), names per language, the location included
(``include=location``) or only referenced by ``@id``, a weekly series as a super event with
its sub events, pages followed by ``meta.next``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.event_feed_parts import (
    audience_of,
    checked_times,
    cut,
    first_text,
    id_from,
    localised,
    records_of,
    utc,
    web_link,
)
from storage.event_tables import EventSource, EventStatus
from storage.events import EventRecord

STATUS = {
    "EventScheduled": EventStatus.SCHEDULED,
    "EventRescheduled": EventStatus.SCHEDULED,
    "EventCancelled": EventStatus.CANCELLED,
    "EventPostponed": EventStatus.POSTPONED,
}


def looks_like_linked_events(data: Any) -> bool:
    return isinstance(data, Mapping) and isinstance(data.get("meta"), Mapping) and "data" in data


def linked_events_records(
    data: Mapping[str, Any], *, audiences: Mapping[str, str]
) -> tuple[list[EventRecord], list[str]]:
    return records_of(data, lambda entry: _linked_event(entry, audiences), id_from)


def _linked_event(entry: Mapping[str, Any], audiences: Mapping[str, str]) -> EventRecord:
    source_id = id_from(entry)
    if not source_id:
        raise ValueError("id is missing")
    title = localised(entry.get("name"))
    if not title:
        raise ValueError("name is missing")
    starts = utc(entry.get("start_time"), "start_time")
    ends = utc(entry["end_time"], "end_time") if entry.get("end_time") else None
    checked_times(starts, ends)
    status = entry.get("event_status") or "EventScheduled"
    if status not in STATUS:
        raise ValueError(f"unknown event_status {str(status)[:40]!r}")
    found = entry.get("location")
    location: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    lat, lon = _position(location.get("position"))
    offers = [o for o in entry.get("offers") or [] if isinstance(o, Mapping)]
    is_free = offers[0].get("is_free") if offers else None
    keywords = tuple(k for k in (id_from(k) for k in entry.get("keywords") or []) if k)
    capacity = entry.get("maximum_attendee_capacity")
    enrolment_ends = entry.get("enrolment_end_time")
    sub_events = entry.get("sub_events") or []
    return EventRecord(
        source=EventSource.LINKED_EVENTS,
        source_id=source_id,
        title=title,
        description=localised(entry.get("short_description"))
        or localised(entry.get("description"), markup=True),
        starts_at=starts,
        ends_at=ends,
        place_name=localised(location.get("name")),
        street=cut(first_text(localised(location.get("street_address"))), 120),
        postal_code=str(location["postal_code"])[:10] if location.get("postal_code") else None,
        city=cut(first_text(localised(location.get("address_locality"))), 60),
        lat=lat,
        lon=lon,
        audience=audience_of(
            keywords, audiences, entry.get("audience_min_age"), entry.get("audience_max_age")
        ),
        is_free=is_free if isinstance(is_free, bool) else None,
        price=localised(offers[0].get("price")) if offers else {},
        signup_required=bool(entry.get("enrolment_start_time") or enrolment_ends or capacity),
        capacity=capacity if isinstance(capacity, int) and capacity > 0 else None,
        signup_deadline=utc(enrolment_ends, "enrolment_end_time") if enrolment_ends else None,
        organiser=cut(first_text(localised(entry.get("provider"))), 200),
        url=web_link(entry.get("info_url")),
        keywords=keywords,
        status=STATUS[status],
        is_series=bool(sub_events) or entry.get("super_event_type") == "recurring",
        series_source_id=id_from(entry.get("super_event")),
    )


def _position(position: Any) -> tuple[float | None, float | None]:
    """GeoJSON's ``[lon, lat]`` as (lat, lon)."""
    if not isinstance(position, Mapping):
        return None, None
    coordinates = position.get("coordinates")
    if not isinstance(coordinates, Sequence) or len(coordinates) != 2:
        return None, None
    lon, lat = (float(c) for c in coordinates)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError("location.position is not a place on Earth")
    return lat, lon


def next_page(data: Mapping[str, Any]) -> str | None:
    meta = data.get("meta")
    following = meta.get("next") if isinstance(meta, Mapping) else None
    return following if isinstance(following, str) and following else None


# --- MikkeliNYT ------------------------------------------------------------------------
