"""Read the event form into an ``EventRecord``, or say kindly what to fix.

Finnish title is required, Swedish and English optional (the bot shows Finnish where one is
missing). Times are the city's wall-clock time. The place is one of ours or a place of its
own (a name and an address). "Every week" makes it a weekly series, signed up for one
evening at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.staff.poll_form import local_time
from locales import CONTENT_LANGUAGES, DEFAULT_LANGUAGE, N_
from storage.event_tables import Audience, EventSource
from storage.events import EventListing, EventRecord

MAX_TITLE = 200
MAX_TEXT = 2000
MAX_CAPACITY = 10_000
WEEKLY = "FREQ=WEEKLY"
AUDIENCE_LABELS: Mapping[Audience, str] = {
    Audience.EVERYONE: N_("Everyone"),
    Audience.YOUNG: N_("Young people"),
    Audience.FAMILIES: N_("Families"),
    Audience.SENIORS: N_("Seniors"),
}


@dataclass(frozen=True)
class EventProblems:
    messages: tuple[str, ...]  # msgids


def _texts(form: Mapping[str, str], prefix: str, limit: int) -> dict[str, str]:
    texts = {lang: form.get(f"{prefix}_{lang}", "").strip()[:limit] for lang in CONTENT_LANGUAGES}
    return {lang: text for lang, text in texts.items() if text}


def _whole(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) <= 6 else None


def read_event_form(
    form: Mapping[str, str], zone: ZoneInfo, *, places: Mapping[int, object], source_id: str | None
) -> EventRecord | EventProblems:
    """The event as written; ``source_id`` of the event edited, None for a new one."""
    problems: list[str] = []
    title = _texts(form, "title", MAX_TITLE)
    if DEFAULT_LANGUAGE not in title:
        problems.append(N_("Write the event's name in Finnish."))
    starts = local_time(form.get("starts", ""), zone)
    ends = local_time(form.get("ends", ""), zone) if form.get("ends") else None
    if starts is None:
        problems.append(N_("Give the start time."))
    elif ends is not None and ends <= starts:
        problems.append(N_("The event must end after it starts."))
    place_id = _whole(form.get("place", ""))
    if place_id is not None and place_id not in places:
        problems.append(N_("Choose a place from the list, or write the place's name and address."))
    place_name = _texts(form, "place_name", MAX_TITLE)
    try:
        audience = Audience(form.get("audience", Audience.EVERYONE))
    except ValueError:
        audience = Audience.EVERYONE
    signup = form.get("signup") == "on"
    capacity = None
    if form.get("capacity", "").strip():
        capacity = _whole(form["capacity"])
        if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
            problems.append(N_("Places: a whole number from 1 to 10,000, or leave it empty."))
    deadline = local_time(form.get("deadline", ""), zone) if form.get("deadline") else None
    if form.get("deadline") and deadline is None:
        problems.append(N_("Give the sign-up deadline as a date and time, or leave it empty."))
    url = form.get("url", "").strip()
    if url and not url.startswith(("https://", "http://")):
        problems.append(N_("The link must start with https://."))
    if problems or starts is None:
        return EventProblems(tuple(dict.fromkeys(problems)))
    weekly = form.get("weekly") == "on"
    return EventRecord(
        source=EventSource.OWN,
        source_id=source_id or f"staff-{uuid.uuid4().hex[:12]}",
        title=title,
        description=_texts(form, "description", MAX_TEXT),
        starts_at=starts,
        ends_at=ends,
        place_id=place_id,
        place_name={} if place_id is not None else place_name,
        street=None if place_id is not None else (form.get("street", "").strip()[:120] or None),
        city=None if place_id is not None else (form.get("city", "").strip()[:60] or None),
        audience=audience,
        is_free=form.get("free") == "on",
        price={} if form.get("free") == "on" else _texts(form, "price", MAX_TITLE),
        signup_required=signup,
        capacity=capacity if signup else None,
        signup_deadline=deadline if signup else None,
        organiser=form.get("organiser", "").strip()[:200] or None,
        url=url[:500] or None,
        accessibility=_texts(form, "accessibility", MAX_TEXT),
        is_series=weekly,
        recurrence=WEEKLY if weekly else None,
    )


def _local(value: datetime | None, zone: ZoneInfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if value is not None else ""


def form_values(event: EventListing, place_id: int | None, zone: ZoneInfo) -> dict[str, str]:
    """A stored event as the form shows it, for editing."""
    values: dict[str, str] = {}
    for prefix, texts in (
        ("title", event.title),
        ("description", event.description),
        ("price", event.price),
        ("accessibility", event.accessibility),
        ("place_name", {} if place_id is not None else event.place_name),
    ):
        values.update({f"{prefix}_{lang}": text for lang, text in texts.items()})
    values.update(
        starts=_local(event.starts_at, zone),
        ends=_local(event.ends_at, zone),
        deadline=_local(event.signup_deadline, zone),
        place=str(place_id) if place_id is not None else "",
        street="" if place_id is not None else event.street or "",
        city="" if place_id is not None else event.city or "",
        audience=event.audience.value,
        capacity=str(event.capacity) if event.capacity is not None else "",
        organiser=event.organiser or "",
        url=event.url or "",
    )
    for name, on in (("free", event.is_free), ("signup", event.signup_required)):
        if on:
            values[name] = "on"
    return values
