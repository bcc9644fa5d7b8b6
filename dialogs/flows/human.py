"""Talk with a person of the team ("Joku, jolle voi jutella"), here in the resident's own chat.

During the team's service hours the conversation opens at once and the resident hears how
long an answer usually takes; outside them they hear when someone is back, and may leave a
message (it lands in the same inbox) or ask to be contacted. A conversation stores what is
said, so it needs consent first. While it is open the bot runs no flow on what the resident
writes: each message goes to the team, acknowledged once rather than answered, and only
"menu" (which asks whether to end it) and "delete my data" still act.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from dialogs.commands import CONSENT_GATE, DELETE, MENU, global_target
from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Goto, Option, Say, SayFor, Step, Turn
from dialogs.domain.hours import parse_hours
from dialogs.events import SharedImage
from dialogs.flows import contact
from dialogs.flows import human_texts as texts
from dialogs.flows.gate import needs_consent
from dialogs.matching import normalise
from dialogs.replies import Reply
from dialogs.understanding import Answer, vocabulary
from locales import N_, Translator
from storage import humans, outbox, service_hours
from storage.human_tables import Author, ClosedBy, HumanOrigin


class StepId(StrEnum):
    ASK = "ask"
    AWAY = "away"
    TALKING = "talking"
    SENT = "sent"
    LEAVE = "leave"
    RETURNED = "returned"


def ref(step: StepId) -> str:
    return f"human.{step}"


def _means_menu(text: str) -> bool:
    """What typed while talking to the team still means the bot: a whole "menu" or
    "/start" asks whether to leave; any other words go to the team."""
    return global_target(text) == MENU or normalise(text) == "/start" or vocabulary().is_start(text)


def _hours(turn: Turn) -> tuple[bool, Say]:
    """Whether the team is in now, and, if not, when it is back."""
    hours = parse_hours(service_hours.load(connection=turn.connection))
    status = hours.status(turn.now)
    if status.open_now:
        return True, texts.WILL_ANSWER
    if status.next_opening is None:
        return False, texts.AWAY_NO_TIME
    return False, back_at(status.next_opening, turn.now, turn.translator)


def back_at(opening: datetime, now: datetime, translator: Translator) -> Say:
    """ "Someone is back today at 9.00", "… tomorrow at 9.00", "… on Mon 7.12. at 9.00"."""
    # Days are counted on the local calendar: 23.30 to 9.00 is "tomorrow" whatever UTC says.
    opening, now = opening.astimezone(translator.timezone), now.astimezone(translator.timezone)
    time = translator.time(opening)
    days = (opening.date() - now.date()).days
    if days == 0:
        return Say(texts.AWAY_UNTIL_TODAY, {"time": time})
    if days == 1:
        return Say(texts.AWAY_UNTIL_TOMORROW, {"time": time})
    return Say(texts.AWAY_UNTIL_DAY, {"day": translator.day(opening), "time": time})


def _open(turn: Turn, origin: HumanOrigin) -> Goto:
    """Open the conversation (waiting for the team) and tell the team, without content."""
    humans.open_conversation(
        connection=turn.connection,
        participant_id=turn.participant.id,
        channel=turn.event.channel,
        language=turn.language,
        origin=origin,
        bot_context=humans.last_bot_text(
            connection=turn.connection, participant_id=turn.participant.id
        ),
        now=turn.now,
    )
    notice = turn.config.staff_notice
    if notice is not None:
        outbox.enqueue(
            connection=turn.connection,
            channel=notice.channel,
            recipient=notice.chat_id,
            participant_id=None,
            inbox_id=None,
            payloads=[Reply(text=notice.translator.gettext(texts.STAFF_NOTICE)).to_json()],
            now=turn.now,
        )
    return Goto(ref(StepId.TALKING), hand_over=True)


def _ask(turn: Turn, goto: Goto) -> Goto | None:
    """Consent first; then a conversation, at once in service hours, else the choices."""
    gate = needs_consent(turn, goto)
    if gate is not None:
        return gate
    if humans.current(connection=turn.connection, participant_id=turn.participant.id):
        return Goto(ref(StepId.TALKING))
    team_in, said = _hours(turn)
    if not team_in:
        return Goto(ref(StepId.AWAY))
    wait = humans.usual_wait(connection=turn.connection)
    opened = _open(turn, HumanOrigin.ASKED)
    return Goto(
        opened.step, say=(said, *([texts.usual_wait(wait)] if wait else [])), hand_over=True
    )


def _away_says(turn: Turn) -> tuple[Say, ...]:
    return (_hours(turn)[1], texts.LEAVE_OR_CONTACT)


def _leave_a_message(turn: Turn) -> Goto:
    return _open(turn, HumanOrigin.MESSAGE)


def _received(turn: Turn, text: str | None, photo: str | None) -> Goto:
    conversation = humans.current(connection=turn.connection, participant_id=turn.participant.id)
    if conversation is None:  # the team closed it a moment ago
        return Goto(MENU, say=(texts.BACK_WITH_BOT,))
    # Acknowledged once, while the team has not answered yet; after that the messages are
    # simply passed on, as in a conversation between people.
    last = humans.last_author(connection=turn.connection, conversation_id=conversation.id)
    first = conversation.first_answer_at is None and last is not Author.RESIDENT
    humans.add_resident_message(
        connection=turn.connection,
        conversation_id=conversation.id,
        text=text,
        photo_ref=photo,
        now=turn.now,
    )
    return Goto(ref(StepId.SENT), quiet=not first)


def _message(turn: Turn, text: str) -> Goto:
    if _means_menu(text):
        return Goto(ref(StepId.LEAVE))
    return _received(turn, text.strip(), None)


def _leave_or_say(turn: Turn, text: str) -> Goto:
    if _means_menu(text):
        return _end(turn)
    return _received(turn, text.strip(), None)


def _photo(turn: Turn, image: SharedImage) -> Goto:
    return _received(turn, None, image.ref)


def _sent_prompt(turn: Turn) -> Say:
    return texts.SENT if _hours(turn)[0] else texts.SENT_WHILE_AWAY


def _end(turn: Turn) -> Goto:
    conversation = humans.current(connection=turn.connection, participant_id=turn.participant.id)
    if conversation is not None:
        humans.close(
            connection=turn.connection,
            conversation_id=conversation.id,
            by=ClosedBy.RESIDENT,
            now=turn.now,
        )
    return Goto(MENU, say=(texts.ENDED_BY_YOU,))


def _to_contact_request(turn: Turn) -> Goto:
    """Rather be contacted: a conversation nobody has answered yet is let go."""
    conversation = humans.current(connection=turn.connection, participant_id=turn.participant.id)
    if conversation is not None and conversation.first_answer_at is None:
        humans.close(
            connection=turn.connection,
            conversation_id=conversation.id,
            by=ClosedBy.RESIDENT,
            now=turn.now,
        )
    return contact.begin(turn)


def _returned(turn: Turn, goto: Goto) -> Goto:
    """The platform's inbox gave the thread back: the team is done, the bot is here."""
    conversation = humans.current(connection=turn.connection, participant_id=turn.participant.id)
    if conversation is not None:
        humans.close(
            connection=turn.connection,
            conversation_id=conversation.id,
            by=ClosedBy.INBOX,
            now=turn.now,
        )
    return Goto(MENU, say=(texts.BACK_WITH_BOT,))


LEAVE_OPTION = Option(id="human.leave", label=N_("Back to the bot"), go=ref(StepId.LEAVE))
CONTACT_OPTION = Option(
    id="human.contact",
    label=N_("Ask to be contacted"),
    short=N_("Contact me"),
    go=contact.ref(contact.StepId.NAME),
    run=_to_contact_request,
)


def _talking(step: StepId, prompt: SayFor) -> Step:
    return Step(
        id=step,
        prompt=prompt,
        options=(LEAVE_OPTION, CONTACT_OPTION),
        on_text=_message,
        on_image=_photo,
        typed_commands=frozenset({DELETE}),
        elsewhere=ref(StepId.LEAVE),
        unsupported=texts.ONLY_TEXT_AND_PHOTOS,
        leads_to=(ref(StepId.SENT), ref(StepId.LEAVE), MENU),
    )


FLOW = Flow(
    name="human",
    entry=StepId.ASK,
    steps=(
        Step(
            id=StepId.ASK,
            prompt=texts.WRITE,  # never shown: the guard always leads on
            guard=_ask,
            leads_to=(ref(StepId.TALKING), ref(StepId.AWAY), CONSENT_GATE),
        ),
        Step(
            id=StepId.AWAY,
            says_from=_away_says,
            prompt=Say(N_("What would you like to do?")),
            options=(
                Option(
                    id="human.message",
                    label=N_("Leave a message"),
                    go=ref(StepId.TALKING),
                    run=_leave_a_message,
                ),
                CONTACT_OPTION,
                BACK_TO_MENU,
            ),
        ),
        _talking(StepId.TALKING, texts.WRITE),
        _talking(StepId.SENT, _sent_prompt),
        Step(
            id=StepId.LEAVE,
            prompt=texts.ASK_LEAVE,
            # "menu" again means yes; anything else typed is a message to the team after all.
            on_text=_leave_or_say,
            typed_commands=frozenset({DELETE}),
            elsewhere=ref(StepId.LEAVE),
            leads_to=(MENU, ref(StepId.SENT)),
            options=(
                Option(
                    id="human.end",
                    label=N_("Yes, back to the bot"),
                    go=MENU,
                    run=_end,
                    means=Answer.YES,
                ),
                Option(
                    id="human.stay",
                    label=N_("No, go on"),
                    go=ref(StepId.TALKING),
                    run=lambda _turn: Goto(ref(StepId.TALKING), enter=False),
                    means=Answer.NO,
                ),
            ),
        ),
        Step(id=StepId.RETURNED, prompt=texts.BACK_WITH_BOT, guard=_returned, leads_to=(MENU,)),
    ),
)
