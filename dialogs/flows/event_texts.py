"""How an event reads in a chat: its time in words ("ti 8.12. klo 17–19"), its card, its
price and the state of its sign-up."""

from __future__ import annotations

from datetime import datetime

from dialogs.domain.geo import distance_m, map_url
from dialogs.flows.place_texts import distance_text
from dialogs.replies import PlaceCard
from locales import N_, Translator, pick
from storage.event_signup_reads import MySignup
from storage.event_signup_tables import SignupStatus
from storage.event_signups import Places, Signup
from storage.event_tables import EventStatus
from storage.events import EventListing

CANCELLED = N_("CANCELLED")
POSTPONED = N_("POSTPONED: a new time is not yet known")


def clock(value: datetime, t: Translator) -> str:
    """A time of day as said: "17" on the hour where the language says so, else "17.30"."""
    local = value.astimezone(t.timezone)
    if local.minute == 0:
        return t.text(N_("{hour}:00"), {"hour": str(local.hour)})
    return t.time(value)


def when_words(starts_at: datetime, ends_at: datetime | None, t: Translator) -> str:
    """ "ti 8.12. klo 17–19"; an event over several days names both days."""
    start = clock(starts_at, t)
    day = t.day(starts_at)
    if ends_at is None:
        return t.text(N_("{day} at {start}"), {"day": day, "start": start})
    if ends_at.astimezone(t.timezone).date() == starts_at.astimezone(t.timezone).date():
        return t.text(
            N_("{day} at {start}–{end}"), {"day": day, "start": start, "end": clock(ends_at, t)}
        )
    return t.text(
        N_("{day} at {start} – {end_day} at {end}"),
        {"day": day, "start": start, "end_day": t.day(ends_at), "end": clock(ends_at, t)},
    )


def price_words(event: EventListing, t: Translator) -> str | None:
    if event.is_free:
        return t.gettext(N_("Free"))
    price = pick(event.price, t.language) if event.price else ""
    if price:
        return t.text(N_("Price: {price}"), {"price": price})
    return None


def signup_words(
    event: EventListing, places: Places | None, mine: Signup | None, now: datetime, t: Translator
) -> str:
    """Whether one needs to sign up, and where the resident stands."""
    if mine is not None and mine.status is SignupStatus.CONFIRMED:
        return t.gettext(N_("You are signed up."))
    if mine is not None:
        return t.text(
            N_("You are number {position} on the waiting list."), {"position": mine.position or 1}
        )
    if not event.signup_required:
        return t.gettext(N_("No sign-up needed: just come."))
    if not event.signups_open(now):
        return t.gettext(N_("Sign-up has closed."))
    left = places.left if places is not None else None
    if left is None:
        return t.gettext(N_("Sign-up needed."))
    if left == 0:
        return t.gettext(N_("Full. You can join the waiting list."))
    return t.text(N_("Sign-up needed. Places left: {left}."), {"left": left})


def status_line(event: EventListing, t: Translator) -> str:
    when = when_words(event.starts_at, event.ends_at, t)
    if event.status is EventStatus.CANCELLED:
        return f"{t.gettext(CANCELLED)}: {when}"
    if event.status is EventStatus.POSTPONED:
        return t.gettext(POSTPONED)
    return when


def where_words(event: EventListing, t: Translator) -> str | None:
    place = pick(event.place_name, t.language) if event.place_name else ""
    street = ", ".join(part for part in (event.street, event.city) if part)
    return ", ".join(part for part in (place, street) if part) or None


def card(
    event: EventListing, t: Translator, origin: tuple[float, float] | None, state: str | None
) -> PlaceCard:
    """The event as a card of a list: what, when, where (with a map link), price, sign-up."""
    lines = [status_line(event, t)]
    if origin is not None and event.lat is not None and event.lon is not None:
        lines.append(distance_text(distance_m(*origin, event.lat, event.lon), t))
    price = price_words(event, t)
    lines += [line for line in (price, state) if line]
    return PlaceCard(
        title=pick(event.title, t.language),
        status=" · ".join(lines),
        address=where_words(event, t),
        map_url=map_url(event.lat, event.lon)
        if event.lat is not None and event.lon is not None
        else None,
        web_url=event.url,
        choice_id=f"event.{event.id}",
    )


def signup_line(t: Translator, row: MySignup, *, shared: bool = False) -> str:
    """ "Peli-ilta, ke 9.12. klo 17 (jonossa)"; with ``shared``, what the organiser was given."""
    line = f"{t.label(row.title)}, {when_words(row.starts_at, None, t)}"
    if row.status is SignupStatus.WAITING:
        line += f" ({t.gettext(N_('waiting list'))})"
    given = ", ".join(value for value in (row.shared_name, row.shared_phone) if value)
    if shared and given:
        line += "; " + t.text(N_("given to the organiser: {shared}"), {"shared": given})
    return line
