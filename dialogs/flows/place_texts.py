"""How a place reads in a chat: its open status, this week's hours and its card."""

from __future__ import annotations

from datetime import datetime

from dialogs.domain.geo import distance_m, map_url
from dialogs.domain.hours import OpeningHours, Span, parse_hours
from dialogs.replies import PlaceCard
from locales import N_, Translator, pick
from storage.places import PlaceRow


def status_text(hours: OpeningHours, now: datetime, translator: Translator) -> str:
    """ "Open now, until 19.00", "Opens tomorrow at 10.00", "Opens Tue at 10.00"…"""
    if not hours.known:
        return translator.gettext(N_("Opening hours not known"))
    status = hours.status(now)
    if status.open_now and status.closes_at is not None:
        return translator.text(
            N_("Open now, until {time}"), {"time": translator.time(status.closes_at)}
        )
    if status.next_opening is None:
        return translator.gettext(N_("Closed for now"))
    opening = status.next_opening
    days = (opening.date() - now.astimezone(hours.zone).date()).days
    time = translator.time(opening)
    if days == 0:
        return translator.text(N_("Opens today at {time}"), {"time": time})
    if days == 1:
        return translator.text(N_("Opens tomorrow at {time}"), {"time": time})
    return translator.text(
        N_("Opens {day} at {time}"), {"day": translator.day(opening), "time": time}
    )


def distance_text(metres: float, translator: Translator) -> str:
    if metres < 1000:
        return translator.text(N_("{metres} m away"), {"metres": int(round(metres, -1))})
    return translator.text(N_("{km} km away"), {"km": round(metres / 1000, 1)})


def address_of(place: PlaceRow) -> str | None:
    parts = [
        p for p in (place.street, " ".join(x for x in (place.postal_code, place.city) if x)) if p
    ]
    return ", ".join(parts) or None


def card(
    place: PlaceRow, now: datetime, translator: Translator, origin: tuple[float, float] | None
) -> PlaceCard:
    status = status_text(parse_hours(place.hours), now, translator)
    if origin is not None and place.lat is not None and place.lon is not None:
        status = (
            f"{status} · {distance_text(distance_m(*origin, place.lat, place.lon), translator)}"
        )
    return PlaceCard(
        title=pick(place.name, translator.language),
        status=status,
        address=address_of(place),
        map_url=map_url(place.lat, place.lon)
        if place.lat is not None and place.lon is not None
        else None,
        phone=place.phone,
        web_url=place.web,
        choice_id=f"place.{place.id}",
    )


def span_text(span: Span, translator: Translator) -> str:
    today = datetime(2000, 1, 1)
    opens = translator.time(
        today.replace(hour=span.opens.hour, minute=span.opens.minute, tzinfo=translator.timezone)
    )
    closes = translator.time(
        today.replace(hour=span.closes.hour, minute=span.closes.minute, tzinfo=translator.timezone)
    )
    return f"{opens}–{closes}"


def week_text(place: PlaceRow, now: datetime, translator: Translator) -> str:
    """The next seven days' hours, a line per day from today on."""
    hours = parse_hours(place.hours)
    first = now.astimezone(hours.zone).date()
    lines = []
    for day, spans in hours.week(first):
        name = translator.day(day)
        when = (
            ", ".join(span_text(s, translator) for s in spans)
            if spans
            else translator.gettext(N_("closed"))
        )
        lines.append(f"{name} {when}")
    return "\n".join(lines)
