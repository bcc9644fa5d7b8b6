"""The answer to "How was it?": a face pressed on the question sent after the event. One
answer a person, kept apart from who gave it (a ballot key as polls have)."""

from __future__ import annotations

from dialogs.commands import MENU, PRESSED
from dialogs.definitions import Goto, Say, Turn
from locales import N_
from storage import event_feedback, event_signups
from storage.event_signup_tables import Face, SignupStatus

THANKS = Say(N_("Thank you for your answer!"))
ANSWERED_BEFORE = Say(N_("You have already answered. Thank you!"))


def answer_question(turn: Turn, goto: Goto) -> Goto:
    """Store the face of "feedback.<event>.<face>", if the person was signed up for it."""
    pressed = str(turn.data.get(PRESSED, ""))
    rest = {k: v for k, v in turn.data.items() if k != PRESSED}
    parts = pressed.split(".")
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return Goto(MENU, data=rest)
    event_id, face = int(parts[1]), int(parts[2])
    mine = event_signups.signup_of(
        connection=turn.connection, event_id=event_id, participant_id=turn.participant.id
    )
    if (
        face not in {int(f) for f in Face}
        or mine is None
        or mine.status is not SignupStatus.CONFIRMED
    ):
        return Goto(MENU, data=rest)
    stored = event_feedback.answer(
        connection=turn.connection,
        event_id=event_id,
        voter=event_feedback.voter_key(
            key=turn.config.ballot_key, event_id=event_id, pseudonym=turn.participant.pseudonym
        ),
        face=Face(face),
        day=turn.now.astimezone(turn.translator.timezone).date(),
    )
    return Goto(MENU, say=(THANKS if stored else ANSWERED_BEFORE,), data=rest)
