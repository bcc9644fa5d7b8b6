"""Draw a stored ``Reply`` as Telegram Bot API calls: HTML text (user text escaped), an inline
keyboard for the choices, a reply keyboard to share a location, texts split at 4,096 characters
on word boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from dialogs.replies import PlaceCard, Reply
from handlers.text import split_text

TEXT_LIMIT = 4096
ROW_WIDTH_CHARS = 24  # buttons whose labels fit side by side on a phone
MAX_PER_ROW = 8


@dataclass(frozen=True)
class Call:
    """One Bot API method with its parameters (``chat_id`` added by the sender)."""

    method: str
    params: dict[str, Any]


def _card(card: PlaceCard) -> str:
    lines = [f"<b>{escape(card.title)}</b>", escape(card.status)]
    if card.address:
        lines.append(escape(card.address))
    if card.map_url:
        lines.append(f'<a href="{escape(card.map_url, quote=True)}">🗺 {escape(card.title)}</a>')
    return "\n".join(lines)


def _extras(reply: Reply) -> str:
    parts = [_card(card) for card in reply.places]
    parts += [
        f'<a href="{escape(link.url, quote=True)}">{escape(link.label)}</a>' for link in reply.links
    ]
    return "\n\n".join(parts)


def _texts(reply: Reply) -> list[str]:
    """The message texts: the plain text split first and escaped after, so no tag or entity
    is ever cut; cards and links go with the last part, or on their own if it is full."""
    # Escaping can lengthen a text (& → &amp;): split with room to spare.
    chunks = [escape(chunk) for chunk in split_text(reply.text, TEXT_LIMIT // 2)] or [""]
    if reply.from_person:  # a person of the team wrote it: their name above, in bold
        chunks[0] = f"<b>{escape(reply.from_person)}</b>\n{chunks[0]}"
    extras = _extras(reply)
    if extras:
        if len(chunks[-1]) + 2 + len(extras) <= TEXT_LIMIT:
            chunks[-1] = f"{chunks[-1]}\n\n{extras}".strip()
        else:
            chunks.append(extras)
    return chunks


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """Inline keyboard rows: short labels side by side (at most 8 a row), long ones alone."""
    if not reply.choices:
        return None
    rows: list[list[dict[str, str]]] = []
    row: list[dict[str, str]] = []
    width = 0
    for choice in reply.choices:
        button = {"text": choice.label, "callback_data": choice.id}
        if len(choice.label) > ROW_WIDTH_CHARS // 2:
            if row:
                rows.append(row)
                row, width = [], 0
            rows.append([button])
            continue
        if row and (width + len(choice.label) > ROW_WIDTH_CHARS or len(row) == MAX_PER_ROW):
            rows.append(row)
            row, width = [], 0
        row.append(button)
        width += len(choice.label)
    if row:
        rows.append(row)
    return {"inline_keyboard": rows}


def calls_for(reply: Reply) -> list[Call]:
    """The calls that show ``reply``; the keyboard goes with its last part."""
    chunks = _texts(reply)
    calls = [Call("sendMessage", {"text": chunk, "parse_mode": "HTML"}) for chunk in chunks]
    markup = keyboard(reply)
    if markup is not None:
        calls[-1].params["reply_markup"] = markup
    if reply.request_location and reply.location_label:
        # A location can only be asked with a reply keyboard, so it comes as its own message.
        calls.append(
            Call(
                "sendMessage",
                {
                    "text": escape(reply.location_label),
                    "parse_mode": "HTML",
                    "reply_markup": {
                        "keyboard": [[{"text": reply.location_label, "request_location": True}]],
                        "resize_keyboard": True,
                        "one_time_keyboard": True,
                    },
                },
            )
        )
    for call in calls:
        call.params.setdefault("link_preview_options", {"is_disabled": True})
    return calls
