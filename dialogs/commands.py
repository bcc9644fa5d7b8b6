"""Words that work anywhere in a conversation, in every language, typed or as commands."""

from __future__ import annotations

from dialogs.definitions import StepRef
from dialogs.matching import normalise

MENU = "menu.main"
HELP = "help.main"
LANGUAGE = "language.choose"
PRIVACY = "privacy.about"

# Normalised forms (case and accents folded). "/start" is handled as a start event.
_WORDS: dict[str, StepRef] = {
    **dict.fromkeys(("menu", "/menu", "valikko", "meny", "alkuun", "paavalikko"), MENU),
    **dict.fromkeys(("help", "/help", "apua", "ohje", "ohjeet", "hjalp"), HELP),
    **dict.fromkeys(("/language", "language", "kieli", "sprak"), LANGUAGE),
    **dict.fromkeys(("/privacy", "privacy", "tietosuoja", "integritet", "dataskydd"), PRIVACY),
}

# Button ids that stay valid after their message scrolled away.
GLOBAL_CHOICES: dict[str, StepRef] = {
    "menu": MENU,
    "help": HELP,
    "language": LANGUAGE,
    "privacy": PRIVACY,
}

START_WORDS = frozenset({"/start", "start", "aloita", "borja"})


def global_target(text: str) -> StepRef | None:
    """Return where a global word leads, or None."""
    return _WORDS.get(normalise(text))


def is_start(text: str) -> bool:
    return normalise(text.split(" ", 1)[0]) in START_WORDS
