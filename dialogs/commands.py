"""Words that work anywhere in a conversation, in every language, typed or as commands."""

from __future__ import annotations

from dialogs.definitions import StepRef
from dialogs.matching import normalise
from dialogs.understanding import vocabulary
from locales import N_

MENU = "menu.main"
HELP = "help.main"
LANGUAGE = "language.choose"
PRIVACY = "privacy.about"
IDEAS = "ideas.theme"
MY_IDEAS = "ideas.mine"
PLACES = "places.need"
POLLS = "polls.list"
CONTACT = "contact.intro"
HUMAN = "human.ask"  # talk to a person of the team, in this chat
HUMAN_RETURNED = "human.returned"  # the platform's inbox gave the thread back to the bot
MY_DATA = "mydata.show"
DELETE = "mydata.confirm"
NEWS = "news.choose"
NEWS_STOP = "news.stop"  # stop every subscription at once
EVENTS = "events.when"  # what's on
EVENT_FROM_MESSAGE = "events.open"  # a button naming an event, from a message sent earlier
EVENT_FEEDBACK = "events.feedback"  # a face pressed on "How was it?"
CONSENT_GATE = "privacy.gate"
# Where a newcomer's link (t.me/…?start=news) leads once the welcome is answered.
AFTER_WELCOME = "after_welcome"

# Commands, the same in every language; the words of each language are in its row of
# ``locales.words``. "/start" is handled as a start event.
_COMMANDS: dict[str, StepRef] = {
    "/menu": MENU,
    "/help": HELP,
    "/language": LANGUAGE,
    "/privacy": PRIVACY,
    "/human": HUMAN,
    "/contact": CONTACT,
    "/delete": DELETE,
    "/mydata": MY_DATA,
    "/news": NEWS,
    "/events": EVENTS,
    "/stop": NEWS_STOP,
}

# Button ids that stay valid after their message scrolled away.
GLOBAL_CHOICES: dict[str, StepRef] = {
    "menu": MENU,
    "help": HELP,
    "language": LANGUAGE,
    "privacy": PRIVACY,
    "ideas": IDEAS,
    "myideas": MY_IDEAS,
    "places": PLACES,
    "polls": POLLS,
    "contact": CONTACT,
    "human": HUMAN,
    "mydata": MY_DATA,
    "news": NEWS,
    "events": EVENTS,
}

# Buttons of messages sent outside a turn (a reminder, "How was it?") name an event in their
# id ("eventcancel.12", "feedback.12.4"): the prefix says where they lead, and the target
# step reads the whole id under ``PRESSED``.
PRESSED = "pressed"
_PREFIXED_CHOICES: dict[str, StepRef] = {
    "event": EVENT_FROM_MESSAGE,
    "eventcancel": EVENT_FROM_MESSAGE,
    "feedback": EVENT_FEEDBACK,
}


def prefixed_target(choice_id: str) -> StepRef | None:
    """Where a button whose id names something ("feedback.12.4") leads, or None."""
    return _PREFIXED_CHOICES.get(choice_id.split(".", 1)[0]) if "." in choice_id else None


# Where a global word of the word table leads: its choice id, deleting one's data, or
# stopping every news subscription.
_WORD_TARGETS: dict[str, StepRef] = {**GLOBAL_CHOICES, "delete": DELETE, "stop": NEWS_STOP}


def global_target(text: str) -> StepRef | None:
    """Return where a global word leads, or None."""
    command = _COMMANDS.get(normalise(text))
    if command is not None:
        return command
    choice = vocabulary().global_choice(text)
    return _WORD_TARGETS.get(choice) if choice is not None else None


def is_start(text: str) -> bool:
    """ "/start", "/start poll_3", "aloita", "börja om": begin again."""
    words = vocabulary()
    first = text.split(" ", 1)[0]
    return normalise(first) == "/start" or words.is_start(text) or words.is_start(first)


# The commands a channel may list in its menu (Telegram's "/" menu), with their descriptions.
CHANNEL_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start the conversation")),
    ("menu", N_("Main menu")),
    ("help", N_("Help")),
    ("human", N_("Talk to a person")),
    ("language", N_("Change language")),
    ("privacy", N_("Privacy and consent")),
    ("news", N_("News")),
    ("events", N_("What's on")),
    ("stop", N_("Stop all news")),
    ("delete", N_("Delete my data")),
)

# Shortcuts a channel offers outside the chat (Messenger's menu, Instagram's ice breakers):
# payloads are global choice ids, labels the menu's msgids.
MENU_SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("menu", N_("Main menu")),
    ("ideas", N_("Share an idea")),
    ("places", N_("Find a place or service")),
    ("human", N_("Talk to a person")),
    ("polls", N_("Youth poll")),
    ("contact", N_("I would like someone to contact me")),
)
