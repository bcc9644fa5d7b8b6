"""Event feeds as records: Linked Events (Helsinki, Turku, Tampere…) and MikkeliNYT, the
calendar the city's own site embeds. Each entry becomes an ``EventRecord`` or a reason it was
skipped; nothing here touches the database.

Linked Events: ``{"meta": {"next"}, "data": [event…]}``, times in UTC ("…Z"), names per
language, the location included (``include=location``) or only referenced by ``@id``, a
weekly series as a super event with sub events. MikkeliNYT: ``{"data": [{"id", "name",
"start": "YYYY-MM-DD HH:MM:SS"…}]}``, Finnish only, times in Europe/Helsinki.
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage.event_tables import Audience, EventSource, EventStatus
from storage.events import EventRecord

HELSINKI = ZoneInfo("Europe/Helsinki")
LINKED_EVENTS_STATUS = {
    "EventScheduled": EventStatus.SCHEDULED,
    "EventRescheduled": EventStatus.SCHEDULED,
    "EventCancelled": EventStatus.CANCELLED,
    "EventPostponed": EventStatus.POSTPONED,
}
# Linked Events' own audience fields: who an age range is for.
YOUNG_AGES = range(10, 30)
SENIOR_AGE = 63
FREE_WORDS = ("vapaa pääsy", "maksuton", "ilmainen", "fri entré", "free")


class FeedError(ValueError):
    """The data is not a feed this knows at all."""


class _Text(html.parser.HTMLParser):
    """HTML to plain text: paragraphs and line breaks kept, every tag and script dropped."""

    BLOCKS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _localised(value: Any, *, markup: bool = False) -> dict[str, str]:
    if isinstance(value, str):
        value = {"fi": value}
    if not isinstance(value, Mapping):
        return {}
    texts = {
        str(lang): plain_text(text) if markup else text.strip()
        for lang, text in value.items()
        if isinstance(text, str) and text.strip()
    }
    return {lang: text for lang, text in texts.items() if text}


def _id_from(reference: Any) -> str | None:
    """``…/event/helsinki:abc/`` → ``helsinki:abc``."""
    if isinstance(reference, Mapping):
        reference = reference.get("@id") or reference.get("id")
    if not isinstance(reference, str) or not reference.strip():
        return None
    return reference.rstrip("/").rsplit("/", 1)[-1]


def _web(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("fi") or next(iter(value.values()), None)
    if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()[:500]
    return None


def _audience(
    keywords: Sequence[str], table: Mapping[str, str], min_age: Any = None, max_age: Any = None
) -> Audience:
    """The settings' keyword table first, then Linked Events' ages (10–29: young people)."""
    for keyword in keywords:
        found = table.get(keyword) or table.get(keyword.casefold()) or ""
        if found in set(Audience):
            return Audience(found)
    if isinstance(min_age, int) and min_age >= SENIOR_AGE:
        return Audience.SENIORS
    from_age = min_age if isinstance(min_age, int) else YOUNG_AGES.start
    if isinstance(max_age, int) and max_age < YOUNG_AGES.stop and from_age >= YOUNG_AGES.start:
        return Audience.YOUNG
    return Audience.EVERYONE


def _first(texts: Mapping[str, str]) -> str | None:
    """Finnish, or the language there is (an address written once)."""
    return texts.get("fi") or next(iter(texts.values()), None)


def _cut(text: str | None, length: int) -> str | None:
    return text[:length] if text else None


def _utc(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what} is not a time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HELSINKI)
    return moment.astimezone(UTC)


def _checked_times(starts: datetime, ends: datetime | None) -> None:
    if ends is not None and ends < starts:
        raise ValueError("it ends before it starts")


# --- Linked Events ---------------------------------------------------------------------


def looks_like_linked_events(data: Any) -> bool:
    return isinstance(data, Mapping) and isinstance(data.get("meta"), Mapping) and "data" in data


def linked_events_records(
    data: Mapping[str, Any], *, audiences: Mapping[str, str]
) -> tuple[list[EventRecord], list[str]]:
    return _records(data, lambda entry: _linked_event(entry, audiences), _id_from)


def _records(
    data: Mapping[str, Any],
    parse: Callable[[Mapping[str, Any]], EventRecord],
    label: Callable[[Mapping[str, Any]], str | None],
) -> tuple[list[EventRecord], list[str]]:
    """Each entry as a record, or the reason it was skipped, named by its id."""
    records: list[EventRecord] = []
    problems: list[str] = []
    for entry in data.get("data") or []:
        named = label(entry) if isinstance(entry, Mapping) else None
        try:
            if not isinstance(entry, Mapping):
                raise ValueError("not an event")
            records.append(parse(entry))
        except ValueError as error:
            problems.append(f"{named or 'an entry without an id'}: {error}")
    return records, problems


def _linked_event(entry: Mapping[str, Any], audiences: Mapping[str, str]) -> EventRecord:
    source_id = _id_from(entry)
    if not source_id:
        raise ValueError("id is missing")
    title = _localised(entry.get("name"))
    if not title:
        raise ValueError("name is missing")
    starts = _utc(entry.get("start_time"), "start_time")
    ends = _utc(entry["end_time"], "end_time") if entry.get("end_time") else None
    _checked_times(starts, ends)
    status = entry.get("event_status") or "EventScheduled"
    if status not in LINKED_EVENTS_STATUS:
        raise ValueError(f"unknown event_status {str(status)[:40]!r}")
    found = entry.get("location")
    location: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    lat, lon = _position(location.get("position"))
    offers = [o for o in entry.get("offers") or [] if isinstance(o, Mapping)]
    is_free = offers[0].get("is_free") if offers else None
    keywords = tuple(k for k in (_id_from(k) for k in entry.get("keywords") or []) if k)
    capacity = entry.get("maximum_attendee_capacity")
    enrolment_ends = entry.get("enrolment_end_time")
    sub_events = entry.get("sub_events") or []
    return EventRecord(
        source=EventSource.LINKED_EVENTS,
        source_id=source_id,
        title=title,
        description=_localised(entry.get("short_description"))
        or _localised(entry.get("description"), markup=True),
        starts_at=starts,
        ends_at=ends,
        place_name=_localised(location.get("name")),
        street=_cut(_first(_localised(location.get("street_address"))), 120),
        postal_code=str(location["postal_code"])[:10] if location.get("postal_code") else None,
        city=_cut(_first(_localised(location.get("address_locality"))), 60),
        lat=lat,
        lon=lon,
        audience=_audience(
            keywords, audiences, entry.get("audience_min_age"), entry.get("audience_max_age")
        ),
        is_free=is_free if isinstance(is_free, bool) else None,
        price=_localised(offers[0].get("price")) if offers else {},
        signup_required=bool(entry.get("enrolment_start_time") or enrolment_ends or capacity),
        capacity=capacity if isinstance(capacity, int) and capacity > 0 else None,
        signup_deadline=_utc(enrolment_ends, "enrolment_end_time") if enrolment_ends else None,
        organiser=_cut(_first(_localised(entry.get("provider"))), 200),
        url=_web(entry.get("info_url")),
        keywords=keywords,
        status=LINKED_EVENTS_STATUS[status],
        is_series=bool(sub_events) or entry.get("super_event_type") == "recurring",
        series_source_id=_id_from(entry.get("super_event")),
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
    return _records(
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
    _checked_times(starts, ends)
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
        title={"fi": name},
        description={"fi": text}
        if (text := plain_text(str(entry.get("description") or "")))
        else {},
        starts_at=starts,
        ends_at=ends,
        place_name={"fi": place} if place else {},
        street=str(entry.get("address") or "").strip()[:120] or None,
        postal_code=str(entry.get("zip") or "").strip()[:10] or None,
        city=str(entry.get("city") or "").strip()[:60] or None,
        lat=lat,
        lon=lon,
        audience=_audience(categories, audiences),
        is_free=is_free,
        price=price,
        signup_required=bool(entry.get("registration")),
        url=_web(entry.get("url")),
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
    return (False if re.search(r"\d", tickets) else None), {"fi": tickets[:200]}
