"""Typed words and free questions, where no step's choice matched.

"Onko kirjasto auki sunnuntaina?", "när öppnar biblioteket", "is the youth house open now":
the places named (by ``dialogs.place_names``), the day asked (or now), and the answer from
their opening hours, public holidays and exceptions included, with their cards. A sentence
that names a topic ("haluan jättää idean", "jobb") goes where its menu choice goes; several
topics, or several places without a question, are offered as choices. ``understand`` is the
registry's last word before "I did not understand".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import StrEnum
from threading import Lock
from typing import Any

from dialogs.commands import MENU
from dialogs.common import BACK_TO_MENU, as_one
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.domain.hours import holiday_name, parse_hours
from dialogs.flows import menu, place_texts, places
from dialogs.place_names import PlaceIndex
from dialogs.understanding import vocabulary
from locales import N_, pick
from locales.languages import language_of
from storage import places as place_store


class StepId(StrEnum):
    HOURS = "hours"
    PICK = "pick"


def ref(step: StepId) -> str:
    return f"answers.{step}"


# Places a question may name at once: beyond this it is a list to narrow down, not an answer.
MOST_PLACES = 8

# Where a topic leads: the menu's choice of the same id, or the places flow's need.
TOPICS: dict[str, Option] = {
    option.id: option
    for option in (*menu.FLOW.steps[0].options, *places.FLOW.steps[0].options)
    if option.id != BACK_TO_MENU.id
}


class _IndexCache:
    """The place names, stemmed once and again only when a place changed."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._version: object = None
        self._index: PlaceIndex | None = None

    def index(self, turn: Turn) -> PlaceIndex:
        version = place_store.names_version(connection=turn.connection)
        with self._lock:
            if self._index is not None and version == self._version:
                return self._index
        names = place_store.place_names(connection=turn.connection)
        index = PlaceIndex(vocabulary(), names.names)
        with self._lock:
            self._version, self._index = names.version, index
        return index


_CACHE = _IndexCache()


def understand(turn: Turn, text: str) -> Goto | None:
    """Where a sentence leads when no choice of the step matched; None: not understood."""
    words = vocabulary()
    named = _CACHE.index(turn).named_in(text)
    if named and words.asks_about_hours(text):
        today = turn.now.astimezone(turn.translator.timezone).date()
        day = None if words.asks_now(text) else words.day_asked(text, today)
        asked = {"places": list(named[:MOST_PLACES]), "day": day.isoformat() if day else None}
        return Goto(ref(StepId.HOURS), data={**turn.data, "asked": asked})
    topics = [topic for topic in words.topics_in(text) if topic in TOPICS]
    if len(topics) == 1:
        return TOPICS[topics[0]].follow(turn)
    if topics:
        return Goto(ref(StepId.PICK), data={**turn.data, "guesses": topics})
    if len(named) == 1:
        return places.open_place(named[0])(turn)
    if named:
        rows = place_store.get_places(connection=turn.connection, place_ids=named[:MOST_PLACES])
        return places.show_places(turn, rows)
    return None


def _asked(turn: Turn) -> tuple[list[place_store.PlaceRow], date | None]:
    asked: dict[str, Any] = dict(turn.data.get("asked", {}))
    ids = [int(place_id) for place_id in asked.get("places", [])]
    day = asked.get("day")
    rows = place_store.get_places(connection=turn.connection, place_ids=ids)
    return rows, date.fromisoformat(day) if day else None


def _answer(place: place_store.PlaceRow, day: date | None, turn: Turn) -> str:
    translator = turn.translator
    name = pick(place.name, turn.language)
    hours = parse_hours(place.hours)
    if not hours.known:
        return translator.text(N_("I do not know the opening hours of {place}."), {"place": name})
    if day is None:
        status = hours.status(turn.now)
        if status.open_now and status.closes_at is not None:
            return translator.text(
                N_("{place} is open now, until {time}."),
                {"place": name, "time": translator.time(status.closes_at)},
            )
        if status.next_opening is None:
            return translator.text(N_("{place} is closed now."), {"place": name})
        return translator.text(
            N_("{place} is closed now. {when}."),
            {"place": name, "when": place_texts.status_text(hours, turn.now, translator)},
        )
    spans = hours.spans_on(day)
    when = translator.day(day)
    if spans:
        return translator.text(
            N_("{place} is open on {day} at {hours}."),
            {
                "place": name,
                "day": when,
                "hours": ", ".join(place_texts.span_text(s, translator) for s in spans),
            },
        )
    holiday = holiday_name(day, language_of(turn.language).holidays_language)
    if holiday:
        return translator.text(
            N_("{place} is closed on {day} ({holiday})."),
            {"place": name, "day": when, "holiday": holiday},
        )
    return translator.text(N_("{place} is closed on {day}."), {"place": name, "day": when})


def _hours_says(turn: Turn) -> tuple[Say, ...]:
    rows, day = _asked(turn)
    if not rows:
        return (Say(N_("This place is no longer in the list.")),)
    cards = tuple(place_texts.card(row, turn.now, turn.translator, None) for row in rows)
    answers = as_one([_answer(row, day, turn) for row in rows])
    says = [replace(answers, places=cards)]
    if any(row.demo for row in rows):
        says.append(Say(N_("Note: this is demo data. Check the details before you go.")))
    return tuple(says)


def _place_options(turn: Turn) -> tuple[Option, ...]:
    rows, _day = _asked(turn)
    return tuple(
        Option(
            id=f"place.{row.id}",
            label=row.name,
            go=places.ref(places.StepId.DETAIL),
            run=places.open_place(row.id),
        )
        for row in rows
    )


def _guesses(turn: Turn) -> tuple[Option, ...]:
    return tuple(TOPICS[topic] for topic in turn.data.get("guesses", []) if topic in TOPICS)


FLOW = Flow(
    name="answers",
    entry=StepId.HOURS,
    steps=(
        Step(
            id=StepId.HOURS,
            says_from=_hours_says,
            prompt=Say(N_("Choose a place to see more.")),
            options_from=_place_options,
            options=(TOPICS["places"], BACK_TO_MENU),
            leads_to=(places.ref(places.StepId.DETAIL),),
        ),
        Step(
            id=StepId.PICK,
            prompt=Say(N_("Which of these did you mean?")),
            options_from=_guesses,
            options=(BACK_TO_MENU,),
            leads_to=tuple({option.go for option in TOPICS.values()}),
        ),
    ),
)

# Where ``understand`` may lead, for the registry's check.
LEADS_TO = (
    ref(StepId.HOURS),
    ref(StepId.PICK),
    MENU,
    places.ref(places.StepId.DETAIL),
    places.ref(places.StepId.RESULTS),
    *{option.go for option in TOPICS.values()},
)
