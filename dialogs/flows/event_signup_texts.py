"""What a resident reads when signing up: where the reminder will come (each channel's
rules, said plainly before they sign up), and the confirmation with the calendar file."""

from __future__ import annotations

from datetime import datetime

from dialogs.channels import Announcements
from dialogs.definitions import LinkTo, Say, Turn
from dialogs.flows.event_texts import clock, when_words
from locales import N_, pick
from storage import news_emails
from storage.event_signup_tables import SignupStatus
from storage.event_signups import Signup
from storage.events import EventListing


def calendar_link(event_id: int, language: str) -> LinkTo:
    """The event's calendar file, its texts in the resident's language."""
    return LinkTo(
        N_("Calendar file"),
        lambda config: f"{config.public_url}/events/{event_id}.ics?lang={language}",
    )


def _hour(turn: Turn) -> str:
    local = datetime.now(turn.translator.timezone).replace(
        hour=turn.config.event_reminder_hour, minute=0
    )
    return clock(local, turn.translator)


def reminder_note(turn: Turn) -> Say:
    """Where the reminder the day before will come, by the rules of this channel."""
    time = {"time": _hour(turn)}
    if turn.rules.announcements is Announcements.IN_CHAT:
        return Say(N_("We will send you a reminder here the day before at {time}."), time)
    if turn.rules.synchronous:
        email = news_emails.of_participant(
            connection=turn.connection, participant_id=turn.participant.id
        )
        if email is not None and email.confirmed:
            return Say(
                N_(
                    "The day before at {time} we send you a reminder by e-mail. It also "
                    "shows here if this page is open, or when you open it again."
                ),
                time,
            )
        return Say(
            N_(
                "The day before at {time} a reminder shows here, if this page is open, "
                "or when you open it again."
            ),
            time,
        )
    return Say(
        N_(
            "Messenger and Instagram let us write to you only within 24 hours of your own "
            "last message. So a reminder comes the day before only if you have written to "
            "us during that day."
        )
    )


def signed_up_says(turn: Turn, event: EventListing, signup: Signup) -> tuple[Say, ...]:
    params = {
        "title": pick(event.title, turn.language),
        "when": when_words(event.starts_at, event.ends_at, turn.translator),
    }
    if signup.status is SignupStatus.WAITING:
        return (
            Say(
                N_(
                    "{title} is full. You are number {position} on the waiting list. "
                    "If a place frees up, it is yours, and we tell you here."
                ),
                {**params, "position": signup.position or 1},
            ),
        )
    done = Say(N_("You are signed up for {title}, {when}."), params)
    if turn.config.public_url is None:
        return (done,)
    return (done, Say(N_("Add it to your calendar:"), link=calendar_link(event.id, turn.language)))
