"""Messages about an event that reach a resident outside their own turn: a place freed up
from the waiting list, the event cancelled, the reminder the day before, and "How was it?"
afterwards. Each is worded in the resident's language and queued in the outbox in the
transaction that made it true."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from dialogs.common import BACK_TO_MENU
from dialogs.flows.event_texts import when_words, where_words
from dialogs.letters import Letter, LetterLink
from dialogs.replies import Reply, ReplyChoice
from locales import DEFAULT_LANGUAGE, N_, Translator, Translators, pick
from storage import event_signup_reads, outbox
from storage.announcements import Recipient
from storage.event_signup_tables import Face
from storage.events import EventListing
from storage.tables import Lane

PROMOTED = N_(
    "Good news: a place is free for you at {title}, {when}. You are now signed up. "
    "If you cannot come, please cancel, so that the next person gets the place."
)
EVENT_CANCELLED = N_("Sorry: {title}, {when}, is cancelled. Your sign-up has ended.")
REMINDER = N_("A reminder: tomorrow you have {title}, {when}.")
REMINDER_PLACE = N_("Place: {where}")
REMINDER_STOP = N_("If you cannot come, please cancel, so that someone else gets the place.")
QUESTION = N_("How was {title}? Your answer is anonymous.")
EMAIL_HINT = N_(
    "You get this because you signed up for the event in the chat of Yhdessä osallistuen."
)
EMAIL_STOP = N_("To stop e-mails from us, open this link:")
CANCEL_LABEL = N_("Cancel my sign-up")
CANCEL_SHORT = N_("Cancel sign-up")
CANCEL_CHOICE = "eventcancel"  # "eventcancel.12": cancel from a message that scrolled away
FEEDBACK_CHOICE = "feedback"  # "feedback.12.4": a face for event 12
FACES: dict[Face, str] = {
    Face.GREAT: N_("😀 Great"),
    Face.GOOD: N_("🙂 Good"),
    Face.SO_SO: N_("😐 So-so"),
    Face.BAD: N_("🙁 Bad"),
}


def _menu(t: Translator) -> ReplyChoice:
    menu = t.label(BACK_TO_MENU.label)
    return ReplyChoice(BACK_TO_MENU.id, menu, menu)


def _cancel(event_id: int, t: Translator) -> ReplyChoice:
    return ReplyChoice(
        f"{CANCEL_CHOICE}.{event_id}", t.gettext(CANCEL_LABEL), t.gettext(CANCEL_SHORT)
    )


def _params(event: EventListing, t: Translator) -> dict[str, Any]:
    return {
        "title": pick(event.title, t.language),
        "when": when_words(event.starts_at, event.ends_at, t),
    }


def promoted(event: EventListing, t: Translator) -> list[dict[str, Any]]:
    text = t.text(PROMOTED, _params(event, t))
    return [Reply(text=text, choices=(_cancel(event.id, t), _menu(t))).to_json()]


def cancelled(event: EventListing, t: Translator) -> list[dict[str, Any]]:
    return [Reply(text=t.text(EVENT_CANCELLED, _params(event, t)), choices=(_menu(t),)).to_json()]


def reminder_text(event: EventListing, t: Translator) -> str:
    lines = [t.text(REMINDER, _params(event, t))]
    where = where_words(event, t)
    if where:
        lines.append(t.text(REMINDER_PLACE, {"where": where}))
    lines.append(t.gettext(REMINDER_STOP))
    return "\n".join(lines)


def reminder(event: EventListing, t: Translator) -> list[dict[str, Any]]:
    return [Reply(text=reminder_text(event, t), choices=(_cancel(event.id, t), _menu(t))).to_json()]


def reminder_letter(event: EventListing, t: Translator) -> list[dict[str, Any]]:
    title = pick(event.title, t.language)
    return [
        Letter(
            subject=title,
            text=f"{reminder_text(event, t)}\n\n{t.gettext(EMAIL_HINT)}",
            link_text=t.gettext(EMAIL_STOP),
            link=LetterLink.UNSUBSCRIBE,
            language=t.language,
        ).to_json()
    ]


def question(event: EventListing, t: Translator) -> list[dict[str, Any]]:
    faces = tuple(
        ReplyChoice(f"{FEEDBACK_CHOICE}.{event.id}.{int(face)}", t.gettext(label), t.gettext(label))
        for face, label in FACES.items()
    )
    text = t.text(QUESTION, {"title": pick(event.title, t.language)})
    return [Reply(text=text, choices=faces).to_json()]


def queue(
    *,
    connection: Connection,
    recipient: Recipient,
    payloads: list[dict[str, Any]],
    now: datetime,
    lane: Lane = Lane.BULK,
) -> None:
    outbox.enqueue(
        connection=connection,
        channel=recipient.channel,
        recipient=recipient.recipient,
        participant_id=recipient.participant_id,
        inbox_id=None,
        payloads=payloads,
        now=now,
        lane=lane,
    )


def tell(
    *,
    connection: Connection,
    translators: Translators,
    event: EventListing,
    participant_ids: Collection[int],
    word: Any,
    now: datetime,
) -> int:
    """Queue ``word(event, translator)`` for each of these residents, in their language, as a
    reply of a conversation (it is news about their own sign-up, not an announcement)."""
    people = event_signup_reads.recipients(connection=connection, participant_ids=participant_ids)
    for person in people:
        t = translators[person.locale or DEFAULT_LANGUAGE]
        queue(
            connection=connection,
            recipient=person,
            payloads=word(event, t),
            now=now,
            lane=Lane.REPLY,
        )
    return len(people)
