"""Words that work anywhere in a conversation, in every language, typed or as commands."""

from __future__ import annotations

from dialogs.definitions import StepRef
from dialogs.matching import normalise
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
CONSENT_GATE = "privacy.gate"

# Normalised forms (case and accents folded). "/start" is handled as a start event.
_WORDS: dict[str, StepRef] = {
    **dict.fromkeys(("menu", "/menu", "valikko", "meny", "alkuun", "paavalikko"), MENU),
    **dict.fromkeys(("help", "/help", "apua", "ohje", "ohjeet", "hjalp"), HELP),
    **dict.fromkeys(("/language", "language", "kieli", "sprak"), LANGUAGE),
    **dict.fromkeys(("/privacy", "privacy", "tietosuoja", "integritet", "dataskydd"), PRIVACY),
    **dict.fromkeys(
        (
            "ihminen",
            "ihmiselle",
            "ihmisen kanssa",
            "puhu ihmiselle",
            "henkilo",
            "tyontekija",
            "ohjaaja",
            "manniska",
            "en manniska",
            "personal",
            "talk to a person",
            "a person",
            "person",
            "human",
            "staff",
            "/human",
        ),
        HUMAN,
    ),
    **dict.fromkeys(("/contact", "yhteydenotto", "yhteydenottopyynto", "kontakt"), CONTACT),
    **dict.fromkeys(
        ("/delete", "delete my data", "poista tietoni", "radera mina uppgifter"), DELETE
    ),
    **dict.fromkeys(("/mydata", "my data", "omat tiedot", "mina uppgifter"), MY_DATA),
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
}

START_WORDS = frozenset({"/start", "start", "aloita", "borja"})


def global_target(text: str) -> StepRef | None:
    """Return where a global word leads, or None."""
    return _WORDS.get(normalise(text))


def is_start(text: str) -> bool:
    return normalise(text.split(" ", 1)[0]) in START_WORDS


# The commands a channel may list in its menu (Telegram's "/" menu), with their descriptions.
CHANNEL_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Start the conversation")),
    ("menu", N_("Main menu")),
    ("help", N_("Help")),
    ("human", N_("Talk to a person")),
    ("language", N_("Change language")),
    ("privacy", N_("Privacy and consent")),
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
