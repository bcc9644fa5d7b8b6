"""Typed answers: match "2", "ruotsi", "SVENSKA" or "Hjälp" to an option, and global words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

# Marks around what is typed that are not part of it: punctuation, quotes, a tick.
_EDGE_PUNCTUATION = re.compile(r"^[\s.,!?;:)(\-\"'«»”“✓]+|[\s.,!?;:)(\-\"'«»”“✓]+$")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold case and accents, trim punctuation at the edges, squeeze spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _EDGE_PUNCTUATION.sub("", stripped))


def match_choice(text: str, labels: Sequence[Iterable[str]]) -> int | None:
    """Return the index of the option the text names: its number or one of its labels."""
    typed = normalise(text)
    if typed.isdigit():
        number = int(typed)
        return number - 1 if 1 <= number <= len(labels) else None
    for index, names in enumerate(labels):
        if any(normalise(name) == typed for name in names):
            return index
    return None
