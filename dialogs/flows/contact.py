"""Contact request ("Pyydä yhteydenottoa") for outreach well-being work:
name or nickname → how to reach → a good time → optionally the matter → consent that says
what is stored, who sees it and for how long → a confirmation with the response time."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dialogs.commands import CONSENT_GATE, MENU
from dialogs.common import BACK_TO_MENU, as_one
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.flows import reach, validation
from dialogs.flows.gate import needs_consent
from dialogs.replies import Reply
from dialogs.understanding import Answer
from locales import N_
from storage import contacts, humans, outbox
from storage.human_tables import HumanOrigin


class StepId(StrEnum):
    INTRO = "intro"
    NAME = "name"
    HOW = "how"
    VALUE = "value"
    TIME = "time"
    MATTER = "matter"
    CONFIRM = "confirm"
    DONE = "done"


def ref(step: StepId) -> str:
    return f"contact.{step}"


MAX_TIME, MAX_MATTER = 200, 1000


def _draft(turn: Turn) -> dict[str, Any]:
    return dict(turn.data.get("contact", {}))


def _next(turn: Turn, step: StepId, **changes: Any) -> Goto:
    return Goto(ref(step), data={**turn.data, "contact": {**_draft(turn), **changes}})


def _name(turn: Turn, text: str) -> Goto:
    checked = reach.name_value(text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.NAME), say=(checked,), enter=False)
    return _next(turn, StepId.HOW, name=checked)


def _known_name(turn: Turn) -> tuple[Option, ...]:
    return reach.known_name(turn, go=ref(StepId.HOW), take=_name)


def _method(method: str) -> Any:
    def run(turn: Turn) -> Goto:
        step = StepId.TIME if method == "chat" else StepId.VALUE
        return _next(turn, step, method=method, value=None)

    return run


def _value_prompt(turn: Turn) -> Say:
    return reach.reach_prompt(_draft(turn).get("method"))


def _value(turn: Turn, text: str) -> Goto:
    checked = reach.reach_value(_draft(turn).get("method"), text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.VALUE), say=(checked,), enter=False)
    return _next(turn, StepId.TIME, value=checked)


def _time(turn: Turn, text: str) -> Goto:
    when = validation.clean_line(text, limit=MAX_TIME)
    if when is None:
        say = Say(N_("Please write at most {max} characters."), {"max": MAX_TIME})
        return Goto(ref(StepId.TIME), say=(say,), enter=False)
    return _next(turn, StepId.MATTER, time=when)


def _any_time(turn: Turn) -> Goto:
    return _next(turn, StepId.MATTER, time=None)


def _matter(turn: Turn, text: str) -> Goto:
    matter = text.strip()
    if len(matter) > MAX_MATTER:
        say = Say(N_("Please write at most {max} characters."), {"max": MAX_MATTER})
        return Goto(ref(StepId.MATTER), say=(say,), enter=False)
    return _next(turn, StepId.CONFIRM, matter=matter or None)


def _skip_matter(turn: Turn) -> Goto:
    return _next(turn, StepId.CONFIRM, matter=None)


def _send(turn: Turn) -> Goto:
    draft = _draft(turn)
    if not draft.get("name") or not draft.get("method"):
        return Goto(ref(StepId.NAME), say=(Say(N_("Something was missing. Let us start again.")),))
    created = contacts.create_contact_request(
        connection=turn.connection,
        participant_id=turn.participant.id,
        channel=turn.event.channel,
        draft=contacts.ContactDraft(
            name=draft["name"],
            method=draft["method"],
            contact_value=draft.get("value"),
            good_time=draft.get("time"),
            message=draft.get("matter"),
        ),
        now=turn.now,
    )
    reference = created.reference
    if draft["method"] == "chat":
        # "Here in this chat": a conversation the outreach worker answers in this chat.
        humans.open_conversation(
            connection=turn.connection,
            participant_id=turn.participant.id,
            channel=turn.event.channel,
            language=turn.language,
            origin=HumanOrigin.CONTACT,
            bot_context=None,
            contact_request_id=created.id,
            now=turn.now,
        )
    _notify_staff(turn, reference)
    rest = {k: v for k, v in turn.data.items() if k != "contact"}
    return Goto(ref(StepId.DONE), data={**rest, "last_reference": reference})


def _notify_staff(turn: Turn, reference: str) -> None:
    """Queue a notice for the staff Telegram chat, if one is set: the reference, never the content."""
    notice = turn.config.staff_notice
    if notice is None:
        return
    text = notice.translator.text(
        N_("New contact request {reference}. See the staff area."), {"reference": reference}
    )
    outbox.enqueue(
        connection=turn.connection,
        channel=notice.channel,
        recipient=notice.chat_id,
        participant_id=None,
        inbox_id=None,
        payloads=[Reply(text=text).to_json()],
        now=turn.now,
    )


def _review(turn: Turn) -> tuple[Say, ...]:
    """What will be sent, and what is kept of it and for how long, in one message."""
    draft, t = _draft(turn), turn.translator
    lines = [
        t.gettext(N_("This is what will be sent:")),
        *reach.request_lines(
            t,
            name=str(draft.get("name", "")),
            method=str(draft.get("method", "")),
            value=draft.get("value"),
            time=draft.get("time"),
            matter=draft.get("matter"),
        ),
        "",
        t.gettext(N_("Only outreach workers see it.")),
    ]
    if turn.config.contact_kept_days is not None:
        lines.append(
            t.text(
                N_("We delete it {days} days after your matter is handled."),
                {"days": turn.config.contact_kept_days},
            )
        )
    return (as_one(lines),)


def _cancel(turn: Turn) -> Goto:
    rest = {k: v for k, v in turn.data.items() if k != "contact"}
    return Goto(MENU, say=(Say(N_("All right. Nothing was sent.")),), data=rest)


def _done(turn: Turn) -> tuple[Say, ...]:
    return (
        Say(N_("Thank you! Your request is sent.")),
        Say(
            N_(
                "An outreach worker will contact you within {days} working days. Your reference is {reference}."
            ),
            {
                "days": turn.config.contact_response_time,
                "reference": str(turn.data.get("last_reference", "")),
            },
        ),
    )


BACK = BACK_TO_MENU
INTRO = (
    Say(
        N_(
            "An outreach worker can contact you. They help people who are outside working life or studies."
        )
    ),
    Say(N_("It is free, and you decide what you tell.")),
)


def begin(turn: Turn) -> Goto:
    """A button that already said "contact me" (a place's card, a talk with the team) leads
    straight to the first question, with what the request is: it is not asked again."""
    return Goto(ref(StepId.NAME), say=INTRO)


FLOW = Flow(
    name="contact",
    entry=StepId.INTRO,
    steps=(
        Step(
            id=StepId.INTRO,
            say=INTRO,
            prompt=Say(N_("Would you like someone to contact you?")),
            options=(
                Option(
                    id="contact.start",
                    label=N_("Yes, contact me"),
                    short=N_("Contact me"),
                    go=ref(StepId.NAME),
                    means=Answer.YES,
                ),
                BACK,
            ),
        ),
        Step(
            id=StepId.NAME,
            prompt=Say(N_("What name or nickname may we use?")),
            options_from=_known_name,
            options=(BACK_TO_MENU,),
            on_text=_name,
            guard=needs_consent,
            leads_to=(ref(StepId.HOW), CONSENT_GATE),
        ),
        Step(
            id=StepId.HOW,
            prompt=Say(N_("How can we reach you?")),
            options=reach.reach_options(
                chat_next=ref(StepId.TIME),
                value_step=ref(StepId.VALUE),
                choose={way: _method(way) for way in reach.METHODS},
            ),
        ),
        Step(
            id=StepId.VALUE,
            prompt=_value_prompt,
            options=(BACK_TO_MENU,),
            on_text=_value,
            leads_to=(ref(StepId.TIME),),
        ),
        Step(
            id=StepId.TIME,
            prompt=Say(N_("When is a good time to contact you? For example: weekdays after 12.")),
            on_text=_time,
            options=(
                Option(id="time.any", label=N_("Any time"), go=ref(StepId.MATTER), run=_any_time),
            ),
            leads_to=(ref(StepId.MATTER),),
        ),
        Step(
            id=StepId.MATTER,
            prompt=Say(N_("If you like, tell in a few words what it is about.")),
            on_text=_matter,
            options=(
                Option(
                    id="matter.skip", label=N_("Skip"), go=ref(StepId.CONFIRM), run=_skip_matter
                ),
            ),
            leads_to=(ref(StepId.CONFIRM),),
        ),
        Step(
            id=StepId.CONFIRM,
            says_from=_review,
            prompt=Say(N_("Is this OK?")),
            options=(
                Option(
                    id="contact.send",
                    label=N_("Yes, send"),
                    go=ref(StepId.DONE),
                    run=_send,
                    means=Answer.YES,
                ),
                Option(
                    id="contact.cancel",
                    label=N_("No, cancel"),
                    go=MENU,
                    run=_cancel,
                    means=Answer.NO,
                ),
            ),
            leads_to=(ref(StepId.NAME),),
        ),
        Step(
            id=StepId.DONE,
            says_from=_done,
            prompt=Say(N_("What would you like to do next?")),
            options=(BACK,),
        ),
    ),
)
