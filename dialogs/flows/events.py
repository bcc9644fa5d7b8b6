"""What's on ("Tapahtumat"): when (today, this week, the weekend) → where (near a shared
location, an area, all of Mikkeli; young people's or free events only, if wished) → up to
five events as cards → one event → sign up, or cancel a sign-up.

Signing up asks for consent first (a sign-up is stored), then whether the organiser may
have a name or a phone number — only if the resident wants. A full event puts them on the
waiting list; a place freed by someone cancelling goes to the next in turn, who is told.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from dialogs.commands import MENU, PRESSED
from dialogs.common import BACK_TO_MENU, as_one, ticked
from dialogs.definitions import Flow, Goto, LinkTo, Option, Say, Step, Turn
from dialogs.events import SharedLocation
from dialogs.flows import event_notices, event_texts, reach
from dialogs.flows.event_feedback import answer_question
from dialogs.flows.event_signup_texts import calendar_link, reminder_note, signed_up_says
from dialogs.flows.gate import needs_consent
from dialogs.understanding import Answer
from locales import N_
from storage import event_signup_reads, event_signups, events, ideas
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


def _search(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("events", {}))


def _with(turn: Turn, step: StepId, **values: Any) -> Goto:
    return Goto(ref(step), data={**turn.data, "events": {**_search(turn), **values}})


def _when(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        kept = {k: v for k, v in _search(turn).items() if k in ("young", "free")}
        return Goto(ref(StepId.WHERE), data={**turn.data, "events": {**kept, "when": code}})

    return run


def _asked(turn: Turn, **where: Any) -> WhatsOn:
    search = _search(turn)
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
    return _with(turn, StepId.RESULTS, found=[row.id for row in rows], **search)


def _in_area(code: str) -> Any:
    def run(turn: Turn) -> Goto:
        area = None if code == ANYWHERE else code
        rows = events.whats_on(connection=turn.connection, asked=_asked(turn, area_code=area))
        return _found(turn, rows, origin=None)

    return run


def _near(turn: Turn, location: SharedLocation) -> Goto:
    near = (location.lat, location.lon)
    rows = events.whats_on(connection=turn.connection, asked=_asked(turn, near=near))
    return _found(turn, rows, origin=list(near))


def _toggle(name: str) -> Any:
    def run(turn: Turn) -> Goto:
        return _with(turn, StepId.WHERE, **{name: not _search(turn).get(name)})

    return run


def _where_options(turn: Turn) -> tuple[Option, ...]:
    search, t = _search(turn), turn.translator
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
        for event_id in _search(turn).get("found", [])
    ]
    return [row for row in rows if row is not None]


def _state(turn: Turn, event: EventListing) -> str:
    places = event_signups.places(connection=turn.connection, event_id=event.id)
    mine = event_signups.signup_of(
        connection=turn.connection, event_id=event.id, participant_id=turn.participant.id
    )
    return event_texts.signup_words(event, places, mine, turn.now, turn.translator)


def _results(turn: Turn) -> tuple[Say, ...]:
    rows = _rows(turn)
    if not rows:
        return (Say(NOTHING),)
    origin = _search(turn).get("origin")
    near = (float(origin[0]), float(origin[1])) if origin else None
    cards = tuple(
        event_texts.card(
            row, turn.translator, near, _state(turn, row) if row.signup_required else None
        )
        for row in rows
    )
    heading = (
        NEAR_HEADING if near else HEADINGS.get(str(_search(turn).get("when")), HEADINGS["week"])
    )
    return (Say(heading, places=cards),)


def open_event(event_id: int) -> Any:
    def run(turn: Turn) -> Goto:
        return _with(turn, StepId.DETAIL, open=event_id)

    return run


def _result_options(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(id=f"event.{row.id}", label=row.title, go=ref(StepId.DETAIL), run=open_event(row.id))
        for row in _rows(turn)
    )


def _open(turn: Turn) -> EventListing | None:
    event_id = _search(turn).get("open")
    return (
        events.get_event(connection=turn.connection, event_id=int(event_id)) if event_id else None
    )


def _mine(turn: Turn, event: EventListing) -> event_signups.Signup | None:
    return event_signups.signup_of(
        connection=turn.connection, event_id=event.id, participant_id=turn.participant.id
    )


def _detail(turn: Turn) -> tuple[Say, ...]:
    event, t = _open(turn), turn.translator
    if event is None:
        return (Say(N_("This event is no longer in the list.")),)
    card = event_texts.card(event, t, None, _state(turn, event))
    says = [Say(N_("{text}"), {"text": event.description or {"fi": ""}}, places=(card,))]
    # The rest in one message: who organises it, accessibility, and its own web page.
    lines = []
    if event.organiser:
        lines.append(t.text(N_("Organiser: {organiser}"), {"organiser": event.organiser}))
    if event.accessibility:
        lines.append(t.text(N_("Accessibility: {notes}"), {"notes": event.accessibility}))
    web = event.url
    if web:
        lines.append(t.gettext(N_("More information on the web.")))
    if lines:
        link = LinkTo(N_("Web page"), lambda _config: web) if web else None
        says.append(replace(as_one(lines), link=link))
    if turn.config.public_url and _mine(turn, event) is not None:
        says.append(
            Say(N_("Add it to your calendar:"), link=calendar_link(event.id, turn.language))
        )
    return tuple(says)


def _detail_options(turn: Turn) -> tuple[Option, ...]:
    event = _open(turn)
    if event is None:
        return ()
    mine = _mine(turn, event)
    if mine is not None:
        return (
            Option(
                id="events.cancel",
                label=event_notices.CANCEL_LABEL,
                short=event_notices.CANCEL_SHORT,
                go=ref(StepId.CANCEL),
            ),
        )
    if not event.signups_open(turn.now):
        return ()
    places = event_signups.places(connection=turn.connection, event_id=event.id)
    label = N_("Join the waiting list") if places.full else N_("Sign up")
    short = N_("Waiting list") if places.full else None
    return (
        Option(
            id="events.signup", label=label, short=short, go=ref(StepId.SHARE), means=Answer.YES
        ),
    )


def _share_guard(turn: Turn, goto: Goto) -> Goto | None:
    asked = needs_consent(turn, goto)
    if asked is not None:
        return asked
    event = _open(turn)
    if event is None or not event.signups_open(turn.now):
        return Goto(ref(StepId.DETAIL), say=(Say(N_("Sign-up for this event has closed.")),))
    return None


def _sign_up(turn: Turn, *, name: str | None = None, phone: str | None = None) -> Goto:
    event = _open(turn)
    if event is None or not event.signups_open(turn.now):
        return Goto(ref(StepId.DETAIL), say=(Say(N_("Sign-up for this event has closed.")),))
    signup = event_signups.sign_up(
        connection=turn.connection,
        event_id=event.id,
        participant_id=turn.participant.id,
        now=turn.now,
        shared_name=name,
        shared_phone=phone,
    )
    says = signed_up_says(turn, event, signup)
    search = {k: v for k, v in _search(turn).items() if k != "share"}
    return Goto(ref(StepId.SIGNED), say=says, data={**turn.data, "events": search})


def _name(turn: Turn, text: str) -> Goto:
    checked = reach.name_value(text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.NAME), say=(checked,), enter=False)
    return _with(turn, StepId.PHONE, share={"name": checked})


def _known_name(turn: Turn) -> tuple[Option, ...]:
    return reach.known_name(turn, go=ref(StepId.PHONE), take=_name)


def _phone(turn: Turn, text: str) -> Goto:
    checked = reach.reach_value("phone", text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.PHONE), say=(checked,), enter=False)
    return _sign_up(turn, name=_shared_name(turn), phone=checked)


def _shared_name(turn: Turn) -> str | None:
    share = _search(turn).get("share") or {}
    return share.get("name")


def _cancel(turn: Turn) -> Goto:
    event = _open(turn)
    if event is None:
        return Goto(ref(StepId.WHEN))
    promoted = event_signups.cancel(
        connection=turn.connection,
        event_id=event.id,
        participant_id=turn.participant.id,
        now=turn.now,
    )
    if promoted is None:
        return Goto(ref(StepId.DETAIL), say=(Say(N_("You were not signed up for this event.")),))
    if promoted and turn.config.translators is not None:
        event_notices.tell(
            connection=turn.connection,
            translators=turn.config.translators,
            event=event,
            participant_ids=promoted,
            word=event_notices.promoted,
            now=turn.now,
        )
    return Goto(
        ref(StepId.DETAIL), say=(Say(N_("Your sign-up is cancelled. Thank you for telling us.")),)
    )


def _my_signups(turn: Turn) -> list[event_signup_reads.MySignup]:
    return event_signup_reads.signups_of(
        connection=turn.connection, participant_id=turn.participant.id, since=turn.now
    )


def _mine_says(turn: Turn) -> tuple[Say, ...]:
    mine, t = _my_signups(turn), turn.translator
    if not mine:
        return (Say(N_("You have not signed up for any events.")),)
    lines = [event_texts.signup_line(t, row) for row in mine]
    return (Say(N_("Your sign-ups:\n{lines}"), {"lines": "\n".join(lines)}),)


def _mine_options(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(
            id=f"event.{row.event_id}",
            label=row.title,
            go=ref(StepId.DETAIL),
            run=open_event(row.event_id),
        )
        for row in _my_signups(turn)
    )


def _opened_from_message(turn: Turn, goto: Goto) -> Goto | None:
    """A button of an earlier message: "event.12" opens the event, "eventcancel.12" asks
    whether to cancel the sign-up to it."""
    pressed = str(turn.data.get(PRESSED, ""))
    rest = {k: v for k, v in turn.data.items() if k != PRESSED}
    kind, _, event_id = pressed.partition(".")
    if not event_id.isdigit():
        return Goto(MENU, data=rest)
    step = StepId.CANCEL if kind == event_notices.CANCEL_CHOICE else StepId.DETAIL
    search = {**rest.get("events", {}), "open": int(event_id)}
    return Goto(ref(step), data={**rest, "events": search})


WHEN_OPTIONS = tuple(
    Option(id=f"events.when.{code}", label=label, go=ref(StepId.WHERE), run=_when(code))
    for code, label in SPANS.items()
)
MINE = Option(id="events.mine", label=N_("My sign-ups"), short=N_("Sign-ups"), go=ref(StepId.MINE))
AGAIN = Option(id="events.again", label=N_("Search again"), go=ref(StepId.WHEN))
TO_LIST = Option(
    id="events.list", label=N_("Back to the list"), short=N_("Back to list"), go=ref(StepId.RESULTS)
)

FLOW = Flow(
    name="events",
    entry=StepId.WHEN,
    steps=(
        Step(
            id=StepId.WHEN,
            say=(Say(N_("Here you find events at the meeting places and around Mikkeli.")),),
            prompt=Say(N_("When?")),
            options=(*WHEN_OPTIONS, MINE, BACK_TO_MENU),
        ),
        Step(
            id=StepId.WHERE,
            prompt=Say(N_("Where? Share your location, or choose an area.")),
            options_from=_where_options,
            options=(BACK_TO_MENU,),
            on_location=_near,
            request_location=True,
            leads_to=(ref(StepId.RESULTS), ref(StepId.WHERE)),
        ),
        Step(
            id=StepId.RESULTS,
            says_from=_results,
            prompt=Say(N_("Choose an event to see more.")),
            options_from=_result_options,
            options=(AGAIN, BACK_TO_MENU),
            on_location=_near,
            leads_to=(ref(StepId.DETAIL),),
        ),
        Step(
            id=StepId.DETAIL,
            says_from=_detail,
            prompt=Say(N_("What would you like to do?")),
            options_from=_detail_options,
            options=(TO_LIST, BACK_TO_MENU),
            leads_to=(ref(StepId.SHARE), ref(StepId.CANCEL)),
        ),
        Step(
            id=StepId.SHARE,
            say=(reminder_note,),
            prompt=Say(
                N_(
                    "Would you like the organiser to have your name and phone number? "
                    "You do not have to give them."
                )
            ),
            guard=_share_guard,
            options=(
                Option(
                    id="events.share.no",
                    label=N_("No, just sign me up"),
                    short=N_("Just sign me up"),
                    go=ref(StepId.SIGNED),
                    run=lambda turn: _sign_up(turn),
                    means=Answer.NO,
                ),
                Option(
                    id="events.share.yes",
                    label=N_("Yes, I will give them"),
                    short=N_("Yes, I will"),
                    go=ref(StepId.NAME),
                    means=Answer.YES,
                ),
                BACK_TO_MENU,
            ),
            leads_to=(ref(StepId.DETAIL),),
        ),
        Step(
            id=StepId.NAME,
            prompt=Say(N_("Write your name.")),
            on_text=_name,
            options_from=_known_name,
            options=(BACK_TO_MENU,),
            leads_to=(ref(StepId.PHONE),),
        ),
        Step(
            id=StepId.PHONE,
            prompt=Say(N_("Write your phone number, or tap “Skip”.")),
            on_text=_phone,
            options=(
                Option(
                    id="events.phone.skip",
                    label=N_("Skip"),
                    go=ref(StepId.SIGNED),
                    run=lambda turn: _sign_up(turn, name=_shared_name(turn)),
                ),
                BACK_TO_MENU,
            ),
            leads_to=(ref(StepId.SIGNED), ref(StepId.DETAIL)),
        ),
        Step(
            id=StepId.SIGNED,
            prompt=Say(N_("What would you like to do next?")),
            options=(
                Option(
                    id="events.cancel",
                    label=event_notices.CANCEL_LABEL,
                    short=event_notices.CANCEL_SHORT,
                    go=ref(StepId.CANCEL),
                ),
                TO_LIST,
                BACK_TO_MENU,
            ),
        ),
        Step(
            id=StepId.CANCEL,
            prompt=Say(N_("Do you want to cancel your sign-up?")),
            says_from=lambda turn: _detail(turn)[:1],
            options=(
                Option(
                    id="events.cancel.yes",
                    label=N_("Yes, cancel it"),
                    go=ref(StepId.DETAIL),
                    run=_cancel,
                    means=Answer.YES,
                ),
                Option(
                    id="events.cancel.no",
                    label=N_("No, keep it"),
                    go=ref(StepId.DETAIL),
                    means=Answer.NO,
                ),
            ),
            leads_to=(ref(StepId.WHEN),),
        ),
        Step(
            id=StepId.MINE,
            says_from=_mine_says,
            prompt=Say(N_("Choose an event to see more.")),
            options_from=_mine_options,
            options=(AGAIN, BACK_TO_MENU),
            leads_to=(ref(StepId.DETAIL),),
        ),
        # Entered by buttons of earlier messages: they act and lead on at once.
        Step(
            id=StepId.OPEN,
            prompt=Say(N_("What would you like to do?")),
            guard=_opened_from_message,
            leads_to=(ref(StepId.CANCEL), ref(StepId.DETAIL), MENU),
        ),
        Step(
            id=StepId.FEEDBACK,
            prompt=Say(N_("What would you like to do?")),
            guard=answer_question,
            leads_to=(MENU,),
        ),
    ),
)
