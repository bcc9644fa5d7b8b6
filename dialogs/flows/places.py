"""Meeting places and services ("Etsi paikka tai palvelu"): what are you looking for →
where (an area, or near a shared location) → up to five matches, nearest first, each marked
open now or when it opens → a detail card → "would you like someone to contact you?"."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Goto, LinkTo, Option, Say, Step, Turn
from dialogs.domain.geo import MIKKELI_CENTRE, map_url
from dialogs.domain.hours import parse_hours
from dialogs.events import SharedLocation
from dialogs.flows import contact, place_texts
from dialogs.understanding import Answer
from locales import N_, pick
from storage import ideas, places
from storage.domain_tables import ANYWHERE


class StepId(StrEnum):
    NEED = "need"
    WHERE = "where"
    RESULTS = "results"
    DETAIL = "detail"


def ref(step: StepId) -> str:
    return f"places.{step}"


RESULTS_LIMIT = 5
NEEDS: tuple[tuple[str, str, str | None], ...] = (
    ("company", N_("Company and things to do"), N_("Company, activities")),
    ("hangout", N_("A place to spend time"), N_("A place to be")),
    ("talk", N_("Someone to talk to"), None),
    ("work_money", N_("Help with work, studies or money"), N_("Work, study, money")),
    ("everyday", N_("Support in everyday life"), N_("Everyday support")),
    ("young", N_("For young people"), None),
    ("families", N_("For families"), None),
    ("seniors", N_("For seniors"), None),
)


def _search(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("search", {}))


def _need(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        return Goto(ref(StepId.WHERE), data={**turn.data, "search": {"need": code}})

    return run


def _areas(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(id=f"where.{a.code}", label=a.names, go=ref(StepId.RESULTS), run=_in_area(a.code))
        for a in ideas.areas(connection=turn.connection)
    )


def _found(turn: Turn, rows: list[places.PlaceRow], **search: Any) -> Goto:
    places.count_use(
        connection=turn.connection,
        shown=[row.id for row in rows],
        day=turn.now.astimezone(turn.translator.timezone).date(),
    )
    found = {**_search(turn), **search, "found": [row.id for row in rows]}
    return Goto(ref(StepId.RESULTS), data={**turn.data, "search": found})


def show_places(turn: Turn, rows: list[places.PlaceRow]) -> Goto:
    """The list of these places, as a search that found them (a question named them)."""
    return _found(turn, rows, origin=None, area=None)


def _in_area(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        need = _search(turn).get("need")
        if code == ANYWHERE:
            rows = places.nearest(
                connection=turn.connection,
                lat=MIKKELI_CENTRE[0],
                lon=MIKKELI_CENTRE[1],
                need=need,
                limit=RESULTS_LIMIT,
            )
            return _found(turn, rows, origin=None, area=code)
        rows = places.in_area(
            connection=turn.connection, area_code=code, need=need, limit=RESULTS_LIMIT
        )
        return _found(turn, rows, origin=None, area=code)

    return run


def _near(turn: Turn, location: SharedLocation) -> Goto:
    rows = places.nearest(
        connection=turn.connection,
        lat=location.lat,
        lon=location.lon,
        need=_search(turn).get("need"),
        limit=RESULTS_LIMIT,
    )
    return _found(turn, rows, origin=[location.lat, location.lon], area=None)


def _rows(turn: Turn) -> list[places.PlaceRow]:
    found = [int(place_id) for place_id in _search(turn).get("found", [])]
    return places.get_places(connection=turn.connection, place_ids=found)


def _origin(turn: Turn) -> tuple[float, float] | None:
    origin = _search(turn).get("origin")
    return (float(origin[0]), float(origin[1])) if origin else None


def _results(turn: Turn) -> tuple[Say, ...]:
    rows = _rows(turn)
    if not rows:
        return (Say(N_("I did not find anything for this. Try another area or another need.")),)
    cards = tuple(place_texts.card(row, turn.now, turn.translator, _origin(turn)) for row in rows)
    heading = N_("Here are the nearest places:") if _origin(turn) else N_("Here is what I found:")
    return (Say(heading, places=cards),)


def _result_options(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(id=f"place.{row.id}", label=row.name, go=ref(StepId.DETAIL), run=open_place(row.id))
        for row in _rows(turn)
    )


def open_place(place_id: int) -> Any:
    """The action that opens a place's card (from a list, or from a question)."""

    def run(turn: Turn) -> Goto:
        places.count_use(
            connection=turn.connection,
            chosen=place_id,
            day=turn.now.astimezone(turn.translator.timezone).date(),
        )
        return Goto(
            ref(StepId.DETAIL), data={**turn.data, "search": {**_search(turn), "open": place_id}}
        )

    return run


def _detail(turn: Turn) -> tuple[Say, ...]:
    place = places.get_place(connection=turn.connection, place_id=int(_search(turn).get("open", 0)))
    if place is None:
        return (Say(N_("This place is no longer in the list.")),)
    language = turn.language
    says = [
        Say(
            N_("{name}\n{description}"),
            {"name": place.name, "description": place.description or {}},
        )
    ]
    status = place_texts.status_text(parse_hours(place.hours), turn.now, turn.translator)
    week = place_texts.week_text(place, turn.now, turn.translator)
    says.append(
        Say(
            N_("{status}\nOpening hours for the next seven days:\n{week}"),
            {"status": status, "week": week},
        )
    )
    contact_lines = [
        line for line in (place_texts.address_of(place), place.phone, place.email) if line
    ]
    link = None
    if place.lat is not None and place.lon is not None:
        lat, lon = place.lat, place.lon
        link = LinkTo(label=N_("Show on map"), url=lambda _config: map_url(lat, lon))
    if contact_lines:
        says.append(
            Say(N_("Contact details:\n{lines}"), {"lines": "\n".join(contact_lines)}, link=link)
        )
    if place.web:
        web = place.web
        says.append(
            Say(
                N_("More information on the web."),
                link=LinkTo(label=N_("Web page"), url=lambda _c: web),
            )
        )
    if place.accessibility and pick(place.accessibility, language):
        says.append(Say(N_("Accessibility: {notes}"), {"notes": place.accessibility}))
    if place.demo:
        says.append(Say(N_("Note: this is demo data. Check the details before you go.")))
    return tuple(says)


BACK = BACK_TO_MENU
AGAIN = Option(id="places.again", label=N_("Search again"), go=ref(StepId.NEED))

FLOW = Flow(
    name="places",
    entry=StepId.NEED,
    steps=(
        Step(
            id=StepId.NEED,
            prompt=Say(N_("What are you looking for?")),
            options=(
                *(
                    Option(
                        id=f"need.{code}",
                        label=label,
                        short=short,
                        go=ref(StepId.WHERE),
                        run=_need(code),
                    )
                    for code, label, short in NEEDS
                ),
                BACK,
            ),
        ),
        Step(
            id=StepId.WHERE,
            prompt=Say(N_("Where? Share your location, or choose an area.")),
            options_from=_areas,
            options=(BACK,),
            on_location=_near,
            request_location=True,
            leads_to=(ref(StepId.RESULTS),),
        ),
        Step(
            id=StepId.RESULTS,
            says_from=_results,
            prompt=Say(N_("Choose a place to see more.")),
            options_from=_result_options,
            options=(AGAIN, BACK),
            on_location=_near,
            leads_to=(ref(StepId.DETAIL),),
        ),
        Step(
            id=StepId.DETAIL,
            says_from=_detail,
            prompt=Say(N_("Would you like someone to contact you?")),
            options=(
                Option(
                    id="contact",
                    label=N_("Yes, contact me"),
                    short=N_("Contact me"),
                    go=contact.ref(contact.StepId.NAME),
                    run=contact.begin,
                    means=Answer.YES,
                ),
                Option(
                    id="places.list",
                    label=N_("Back to the list"),
                    short=N_("Back to list"),
                    go=ref(StepId.RESULTS),
                ),
                BACK,
            ),
        ),
    ),
)
