"""Texts the engine itself says: re-prompts and the answers to input it cannot use."""

from __future__ import annotations

from dialogs.commands import MENU
from dialogs.definitions import Option, Say
from locales import N_

NOT_UNDERSTOOD = Say(
    N_(
        "Sorry, I did not understand that. Please choose from the list below. "
        "To talk to a person of the team, type “person”."
    )
)
TYPE_OR_TAP = Say(N_("You can tap a button, or write in your own words what you need."))
STALE_BUTTON = Say(N_("That button is no longer in use. Here are the current choices."))
UNSUPPORTED = Say(
    N_("I understand text and buttons. I cannot read pictures, stickers or voice messages.")
)
EMPTY = Say(N_("Your message was empty. Please write something or choose from the list."))
WELCOME_BACK = Say(N_("Welcome back!"))
GREETING = Say(N_("Hi, nice to hear from you! Here is what I can do."))
SLOW_DOWN = Say(N_("You are sending messages very fast. Please wait a minute, then go on."))
# Answers of a synchronous channel to a request it did not handle yet; the page tries again.
WAIT_A_MOMENT = Say(N_("Just a moment. I will send your message again in a few seconds."))
TOO_MANY_PHOTOS = Say(N_("You have sent many photos. Please wait a while before you send more."))
BUSY_NETWORK = Say(
    N_("Many people are starting a chat from your network right now. Please wait a moment.")
)


# A message put together from several translated lines, said as one.
_AS_WRITTEN = N_("{text}")


def as_one(lines: list[str]) -> Say:
    """Several lines, already in the person's language, as one readable message; an empty
    line leaves a blank line between parts."""
    return Say(_AS_WRITTEN, {"text": "\n".join(lines)})


def ticked(label: str) -> str:
    """A chosen choice's label (a poll option, a news topic); typed, the tick is ignored."""
    return f"✓ {label}"


def too_long(limit: int) -> Say:
    return Say(
        N_("Your message is too long. Please write at most {limit} characters."), {"limit": limit}
    )


BACK_TO_MENU = Option(id="menu", label=N_("Back to menu"), go=MENU)
