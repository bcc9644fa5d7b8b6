"""Draw a stored ``Reply`` as Send API messages for Messenger or Instagram.

Choices become quick replies (at most 13, titles of at most 20 characters: the dialogs give
short labels, nothing is cut here); more, or longer, become a numbered list that typed answers
use. Place cards become a generic template on Messenger and text with links on Instagram.
Texts are split on word boundaries: 2,000 characters on Messenger, 1,000 UTF-8 bytes on
Instagram.
"""

from __future__ import annotations

from typing import Any

from dialogs.replies import PlaceCard, Reply
from handlers.text import split_text

MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
MAX_CARDS = 10
CARD_TEXT = 80


def _utf8(text: str) -> int:
    return len(text.encode())


def _lines(reply: Reply, *, cards_as_text: bool, numbered: bool) -> str:
    # A person of the team wrote it: their name first, as a person signs a message.
    parts = [f"{reply.from_person}:\n{reply.text}" if reply.from_person else reply.text]
    if numbered:
        parts.append("\n".join(f"{n}. {choice.label}" for n, choice in enumerate(reply.choices, 1)))
    if cards_as_text:
        for card in reply.places:
            lines = [card.title, card.status, card.address or "", card.map_url or ""]
            parts.append("\n".join(line for line in lines if line))
    parts += [f"{link.label}: {link.url}" for link in reply.links]
    return "\n\n".join(parts)


def _quick_replies(reply: Reply) -> list[dict[str, str]] | None:
    choices = reply.choices
    if not choices or len(choices) > MAX_QUICK_REPLIES:
        return None
    if any(len(choice.short_label) > MAX_TITLE for choice in choices):
        return None
    return [{"content_type": "text", "title": c.short_label, "payload": c.id} for c in choices]


def _cut(text: str) -> str:
    return text if len(text) <= CARD_TEXT else text[: CARD_TEXT - 1].rsplit(" ", 1)[0] + "…"


def _template(cards: tuple[PlaceCard, ...]) -> dict[str, Any]:
    elements = []
    for card in cards[:MAX_CARDS]:
        subtitle = " · ".join(part for part in (card.status, card.address or "") if part)
        element: dict[str, Any] = {"title": _cut(card.title), "subtitle": _cut(subtitle)}
        buttons = [
            {"type": "web_url", "url": url, "title": title}
            for url, title in ((card.map_url, "📍"), (card.web_url, "🌐"))  # no words: any language
            if url
        ]
        if buttons:
            element["buttons"] = buttons[:3]
        elements.append(element)
    return {
        "attachment": {
            "type": "template",
            "payload": {"template_type": "generic", "elements": elements},
        }
    }


def messages_for(reply: Reply, *, instagram: bool) -> list[dict[str, Any]]:
    """The ``message`` objects that show ``reply``; quick replies go with the last one."""
    quick = _quick_replies(reply)
    cards_as_text = instagram or not reply.places
    text = _lines(
        reply, cards_as_text=cards_as_text, numbered=quick is None and bool(reply.choices)
    )
    chunks = split_text(text, 1000, size=_utf8) if instagram else split_text(text, 2000)
    messages: list[dict[str, Any]] = [{"text": chunk} for chunk in chunks]
    if not cards_as_text:
        messages.append(_template(reply.places))
    if quick is not None:
        messages[-1]["quick_replies"] = quick
    return messages
