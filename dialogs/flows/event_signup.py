"""One event and its sign-up: the event's page, signing up (consent first, then a name and
a phone for the organiser only if the resident wants), the waiting list, cancelling (the
next in turn gets the place and is told), one's own sign-ups, and the buttons of earlier
messages that name an event.
"""

from __future__ import annotations

from dataclasses import replace

from dialogs.commands import MENU, PRESSED
from dialogs.common import as_one
from dialogs.definitions import Goto, LinkTo, Option, Say, Turn
from dialogs.flows import event_notices, event_texts, reach
from dialogs.flows import event_search as search
from dialogs.flows.event_signup_texts import calendar_link, signed_up_says
from dialogs.flows.gate import needs_consent
from dialogs.understanding import Answer
from locales import N_
from storage import event_signup_reads, event_signups, events
from storage.events import EventListing


def opened(turn: Turn) -> EventListing | None:
    event_id = search.search_of(turn).get("open")
    return (
        events.get_event(connection=turn.connection, event_id=int(event_id)) if event_id else None
    )


def mine_of(turn: Turn, event: EventListing) -> event_signups.Signup | None:
    return event_signups.signup_of(
        connection=turn.connection, event_id=event.id, participant_id=turn.participant.id
    )


def detail(turn: Turn) -> tuple[Say, ...]:
    event, t = opened(turn), turn.translator
    if event is None:
        return (Say(N_("This event is no longer in the list.")),)
    card = event_texts.card(event, t, None, search.state_of(turn, event))
    says = [Say(N_("{text}"), {"text": event.description or {}}, places=(card,))]
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
    if turn.config.public_url and mine_of(turn, event) is not None:
        says.append(
            Say(N_("Add it to your calendar:"), link=calendar_link(event.id, turn.language))
        )
    return tuple(says)


def detail_options(turn: Turn) -> tuple[Option, ...]:
    event = opened(turn)
    if event is None:
        return ()
    mine = mine_of(turn, event)
    if mine is not None:
        return (
            Option(
                id="events.cancel",
                label=event_notices.CANCEL_LABEL,
                short=event_notices.CANCEL_SHORT,
                go=search.ref(search.StepId.CANCEL),
            ),
        )
    if not event.signups_open(turn.now):
        return ()
    places = event_signups.places(connection=turn.connection, event_id=event.id)
    label = N_("Join the waiting list") if places.full else N_("Sign up")
    short = N_("Waiting list") if places.full else None
    return (
        Option(
            id="events.signup",
            label=label,
            short=short,
            go=search.ref(search.StepId.SHARE),
            means=Answer.YES,
        ),
    )


def share_guard(turn: Turn, goto: Goto) -> Goto | None:
    asked = needs_consent(turn, goto)
    if asked is not None:
        return asked
    event = opened(turn)
    if event is None or not event.signups_open(turn.now):
        return Goto(
            search.ref(search.StepId.DETAIL), say=(Say(N_("Sign-up for this event has closed.")),)
        )
    return None


def sign_up(turn: Turn, *, name: str | None = None, phone: str | None = None) -> Goto:
    event = opened(turn)
    if event is None or not event.signups_open(turn.now):
        return Goto(
            search.ref(search.StepId.DETAIL), say=(Say(N_("Sign-up for this event has closed.")),)
        )
    signup = event_signups.sign_up(
        connection=turn.connection,
        event_id=event.id,
        participant_id=turn.participant.id,
        now=turn.now,
        shared_name=name,
        shared_phone=phone,
    )
    says = signed_up_says(turn, event, signup)
    kept = {k: v for k, v in search.search_of(turn).items() if k != "share"}
    return Goto(search.ref(search.StepId.SIGNED), say=says, data={**turn.data, "events": kept})


def take_name(turn: Turn, text: str) -> Goto:
    checked = reach.name_value(text)
    if isinstance(checked, Say):
        return Goto(search.ref(search.StepId.NAME), say=(checked,), enter=False)
    return search.goto_with(turn, search.StepId.PHONE, share={"name": checked})


def known_name(turn: Turn) -> tuple[Option, ...]:
    return reach.known_name(turn, go=search.ref(search.StepId.PHONE), take=take_name)


def take_phone(turn: Turn, text: str) -> Goto:
    checked = reach.reach_value("phone", text)
    if isinstance(checked, Say):
        return Goto(search.ref(search.StepId.PHONE), say=(checked,), enter=False)
    return sign_up(turn, name=shared_name(turn), phone=checked)


def shared_name(turn: Turn) -> str | None:
    share = search.search_of(turn).get("share") or {}
    return share.get("name")


def cancel(turn: Turn) -> Goto:
    event = opened(turn)
    if event is None:
        return Goto(search.ref(search.StepId.WHEN))
    promoted = event_signups.cancel(
        connection=turn.connection,
        event_id=event.id,
        participant_id=turn.participant.id,
        now=turn.now,
    )
    if promoted is None:
        return Goto(
            search.ref(search.StepId.DETAIL),
            say=(Say(N_("You were not signed up for this event.")),),
        )
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
        search.ref(search.StepId.DETAIL),
        say=(Say(N_("Your sign-up is cancelled. Thank you for telling us.")),),
    )


def my_signups(turn: Turn) -> list[event_signup_reads.MySignup]:
    return event_signup_reads.signups_of(
        connection=turn.connection, participant_id=turn.participant.id, since=turn.now
    )


def mine_says(turn: Turn) -> tuple[Say, ...]:
    mine, t = my_signups(turn), turn.translator
    if not mine:
        return (Say(N_("You have not signed up for any events.")),)
    lines = [event_texts.signup_line(t, row) for row in mine]
    return (Say(N_("Your sign-ups:\n{lines}"), {"lines": "\n".join(lines)}),)


def mine_options(turn: Turn) -> tuple[Option, ...]:
    return tuple(search.event_option(row.event_id, row.title) for row in my_signups(turn))


def opened_from_message(turn: Turn, goto: Goto) -> Goto | None:
    """A button of an earlier message: "event.12" opens the event, "eventcancel.12" asks
    whether to cancel the sign-up to it."""
    pressed = str(turn.data.get(PRESSED, ""))
    rest = {k: v for k, v in turn.data.items() if k != PRESSED}
    kind, _, event_id = pressed.partition(".")
    if not event_id.isdigit():
        return Goto(MENU, data=rest)
    step = search.StepId.CANCEL if kind == event_notices.CANCEL_CHOICE else search.StepId.DETAIL
    opened_one = {**rest.get("events", {}), "open": int(event_id)}
    return Goto(search.ref(step), data={**rest, "events": opened_one})
