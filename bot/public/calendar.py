"""Events as iCalendar (RFC 5545), written with the ``icalendar`` package: one event for a
resident's calendar (``/events/{id}.ics``) or every listed one, for a site or a phone to
subscribe to (``/events.ics``). Times are in UTC, which every calendar shows in its own
zone; a cancelled event stays in the feed, marked, so subscribed calendars drop it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from dialogs.flows.event_texts import where_words
from locales import Translator, pick
from storage.event_tables import EventStatus
from storage.events import EventListing

PRODUCT = "-//Yhdessä osallistuen//osallistu//FI"
DEFAULT_LENGTH = timedelta(hours=2)  # an event without an end, as a calendar shows it
STATUS = {
    EventStatus.SCHEDULED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.POSTPONED: "TENTATIVE",
}


def calendar(
    events: Iterable[EventListing], t: Translator, *, host: str, now: datetime, name: str
) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(_event(event, t, host=host, now=now))
    return bytes(cal.to_ical())


def _event(event: EventListing, t: Translator, *, host: str, now: datetime) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", now)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at or event.starts_at + DEFAULT_LENGTH)
    entry.add("summary", pick(event.title, t.language))
    entry.add("status", STATUS[event.status])
    description = pick(event.description, t.language) if event.description else ""
    if description:
        entry.add("description", description)
    where = where_words(event, t)
    if where:
        entry.add("location", where)
    if event.lat is not None and event.lon is not None:
        entry.add("geo", (event.lat, event.lon))
    if event.url:
        entry.add("url", event.url)
    return entry
