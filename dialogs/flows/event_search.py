"""Finding events: when (today, this week, the weekend) → where (near a shared location, an
area, all of Mikkeli; young people's or free events only, if wished) → up to five events as
cards. The search lives in the conversation's data under "events"; the events flow
(``dialogs.flows.events``) declares the steps.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from dialogs.common import ticked
from dialogs.definitions import Goto, Option, Say, Turn
from dialogs.events import SharedLocation
from dialogs.flows import event_texts
from locales import N_
from storage import event_signups, events, ideas
from storage.domain_tables import ANYWHERE
from storage.event_tables import Audience
from storage.events import EventListing, WhatsOn


class StepId(StrEnum):
    WHEN = "when"
    WHERE = "where"
    RESULTS = "results"
    DETAIL = "detail"
    SHARE = "share"
    NAME = "name"
    PHONE = "phone"
    SIGNED = "signed"
    CANCEL = "cancel"
    MINE = "mine"
    OPEN = "open"  # a button of an earlier message named an event: open it
    FEEDBACK = "feedback"  # a face pressed in answer to "How was it?"


def ref(step: StepId) -> str:
    return f"events.{step}"


RESULTS_LIMIT = 5
# "During this week": the button's own msgid, as Finnish says it ("Tällä viikolla") beside
# "Tänään" and "Viikonloppuna"; a summary's "This week" column is another word.
SPANS = {"today": N_("Today"), "week": N_("During this week"), "weekend": N_("The weekend")}
HEADINGS = {
    "today": N_("What's on today:"),
    "week": N_("What's on in the next seven days:"),
    "weekend": N_("What's on at the weekend:"),
}
NEAR_HEADING = N_("Nearest to you:")
NOTHING = N_(
    "I did not find any events for this. Try another time or another area, or leave out a choice."
)


def span(when: str, now: datetime, turn: Turn) -> tuple[datetime, datetime]:
    """The span of time a choice means, in the city's days: today until midnight; the next
    seven days; the coming Saturday and Sunday (what is left of them at the weekend)."""
    zone = turn.translator.timezone
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date(), datetime.min.time(), zone)
    if when == "today":
        return now, midnight + timedelta(days=1)
    if when == "weekend":
        saturday = midnight + timedelta(days=(5 - local.weekday()) % 7)
        if local.weekday() == 6:  # Sunday: what is left of this weekend
            saturday = midnight - timedelta(days=1)
        return max(now, saturday), saturday + timedelta(days=2)
    return now, midnight + timedelta(days=8)


def search_of(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("events", {}))


def goto_with(turn: Turn, step: StepId, **values: Any) -> Goto:
    return Goto(ref(step), data={**turn.data, "events": {**search_of(turn), **values}})


def when(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        kept = {k: v for k, v in search_of(turn).items() if k in ("young", "free")}
        return Goto(ref(StepId.WHERE), data={**turn.data, "events": {**kept, "when": code}})

    return run


def _asked(turn: Turn, **where: Any) -> WhatsOn:
    search = search_of(turn)
    start, end = span(str(search.get("when", "week")), turn.now, turn)
    return WhatsOn(
        start=start,
        end=end,
        audience=Audience.YOUNG if search.get("young") else None,
        free_only=bool(search.get("free")),
        limit=RESULTS_LIMIT,
        **where,
    )


def _found(turn: Turn, rows: list[EventListing], **search: Any) -> Goto:
    return goto_with(turn, StepId.RESULTS, found=[row.id for row in rows], **search)


def _in_area(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        area = None if code == ANYWHERE else code
        rows = events.whats_on(connection=turn.connection, asked=_asked(turn, area_code=area))
        return _found(turn, rows, origin=None)

    return run


def near(turn: Turn, location: SharedLocation) -> Goto:
    near = (location.lat, location.lon)
    rows = events.whats_on(connection=turn.connection, asked=_asked(turn, near=near))
    return _found(turn, rows, origin=list(near))


def _toggle(name: str) -> Any:
    def run(turn: Turn) -> Goto:
        return goto_with(turn, StepId.WHERE, **{name: not search_of(turn).get(name)})

    return run


def where_options(turn: Turn) -> tuple[Option, ...]:
    search, t = search_of(turn), turn.translator
    filters = (
        ("young", N_("Only for young people"), N_("Only for young")),
        ("free", N_("Only free events"), N_("Only free")),
    )
    toggles = tuple(
        Option(
            id=f"events.only.{name}",
            label={
                turn.language: ticked(t.gettext(label)) if search.get(name) else t.gettext(label)
            },
            short=short,
            go=ref(StepId.WHERE),
            run=_toggle(name),
        )
        for name, label, short in filters
    )
    areas = tuple(
        Option(
            id=f"events.area.{a.code}", label=a.names, go=ref(StepId.RESULTS), run=_in_area(a.code)
        )
        for a in ideas.areas(connection=turn.connection)
        if a.code != ANYWHERE
    )
    everywhere = Option(
        id="events.area.all",
        label=N_("All of Mikkeli"),
        go=ref(StepId.RESULTS),
        run=_in_area(ANYWHERE),
    )
    return (*areas, everywhere, *toggles)


def _rows(turn: Turn) -> list[EventListing]:
    rows = [
        events.get_event(connection=turn.connection, event_id=int(event_id))
        for event_id in search_of(turn).get("found", [])
    ]
    return [row for row in rows if row is not None]


def state_of(turn: Turn, event: EventListing) -> str:
    places = event_signups.places(connection=turn.connection, event_id=event.id)
    mine = event_signups.signup_of(
        connection=turn.connection, event_id=event.id, participant_id=turn.participant.id
    )
    return event_texts.signup_words(event, places, mine, turn.now, turn.translator)


def results(turn: Turn) -> tuple[Say, ...]:
    rows = _rows(turn)
    if not rows:
        return (Say(NOTHING),)
    origin = search_of(turn).get("origin")
    near = (float(origin[0]), float(origin[1])) if origin else None
    cards = tuple(
        event_texts.card(
            row, turn.translator, near, state_of(turn, row) if row.signup_required else None
        )
        for row in rows
    )
    heading = (
        NEAR_HEADING if near else HEADINGS.get(str(search_of(turn).get("when")), HEADINGS["week"])
    )
    return (Say(heading, places=cards),)


def open_event(event_id: int) -> Any:
    def run(turn: Turn) -> Goto:
        return goto_with(turn, StepId.DETAIL, open=event_id)

    return run


def event_option(event_id: int, title: dict[str, str]) -> Option:
    """The button that opens an event's page (from a list, or from one's sign-ups)."""
    return Option(
        id=f"event.{event_id}", label=title, go=ref(StepId.DETAIL), run=open_event(event_id)
    )


def result_options(turn: Turn) -> tuple[Option, ...]:
    return tuple(event_option(row.id, row.title) for row in _rows(turn))
