"""What the event feeds share: HTML to plain text, texts per language, ids from links,
times, audiences from keywords or ages, and the loop that turns a feed's entries into
``EventRecord``s or the reasons they were skipped. Nothing here touches the database; each
feed's own format is in its module (``bot.feed_linked_events``, ``bot.feed_mikkelinyt``).
"""

from __future__ import annotations

import html.parser
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from locales import DEFAULT_LANGUAGE
from storage.event_tables import Audience
from storage.events import EventRecord

HELSINKI = ZoneInfo("Europe/Helsinki")
# Linked Events' own audience fields: who an age range is for.
YOUNG_AGES = range(10, 30)
SENIOR_AGE = 63


class FeedError(ValueError):
    """The data is not a feed this knows at all."""


class _Text(html.parser.HTMLParser):
    """HTML to plain text: paragraphs and line breaks kept, every tag and script dropped."""

    BLOCKS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = (
        re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")
    )
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def localised(value: Any, *, markup: bool = False) -> dict[str, str]:
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, Mapping):
        return {}
    texts = {
        str(lang): plain_text(text) if markup else text.strip()
        for lang, text in value.items()
        if isinstance(text, str) and text.strip()
    }
    return {lang: text for lang, text in texts.items() if text}


def id_from(reference: Any) -> str | None:
    """``…/event/helsinki:abc/`` → ``helsinki:abc``."""
    if isinstance(reference, Mapping):
        reference = reference.get("@id") or reference.get("id")
    if not isinstance(reference, str) or not reference.strip():
        return None
    return reference.rstrip("/").rsplit("/", 1)[-1]


def web_link(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get(DEFAULT_LANGUAGE) or next(iter(value.values()), None)
    if isinstance(value, str) and value.strip().lower().startswith(("https://", "http://")):
        return value.strip()[:500]
    return None


def audience_of(
    keywords: Sequence[str], table: Mapping[str, str], min_age: Any = None, max_age: Any = None
) -> Audience:
    """The settings' keyword table first, then Linked Events' ages (10–29: young people)."""
    for keyword in keywords:
        found = table.get(keyword) or table.get(keyword.casefold()) or ""
        if found in set(Audience):
            return Audience(found)
    if isinstance(min_age, int) and min_age >= SENIOR_AGE:
        return Audience.SENIORS
    from_age = min_age if isinstance(min_age, int) else YOUNG_AGES.start
    if isinstance(max_age, int) and max_age < YOUNG_AGES.stop and from_age >= YOUNG_AGES.start:
        return Audience.YOUNG
    return Audience.EVERYONE


def first_text(texts: Mapping[str, str]) -> str | None:
    """Finnish, or the language there is (an address written once)."""
    return texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), None)


def cut(text: str | None, length: int) -> str | None:
    return text[:length] if text else None


def utc(value: Any, what: str) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} is missing")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what} is not a time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HELSINKI)
    return moment.astimezone(UTC)


def checked_times(starts: datetime, ends: datetime | None) -> None:
    if ends is not None and ends < starts:
        raise ValueError("it ends before it starts")


# --- Linked Events ---------------------------------------------------------------------


def records_of(
    data: Mapping[str, Any],
    parse: Callable[[Mapping[str, Any]], EventRecord],
    label: Callable[[Mapping[str, Any]], str | None],
) -> tuple[list[EventRecord], list[str]]:
    """Each entry as a record, or the reason it was skipped, named by its id."""
    records: list[EventRecord] = []
    problems: list[str] = []
    for entry in data.get("data") or []:
        named = label(entry) if isinstance(entry, Mapping) else None
        try:
            if not isinstance(entry, Mapping):
                raise ValueError("not an event")
            records.append(parse(entry))
        except ValueError as error:
            problems.append(f"{named or 'an entry without an id'}: {error}")
    return records, problems
