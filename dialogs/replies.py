"""What the engine returns: rendered, channel-neutral replies that adapters draw for a platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReplyChoice:
    """A button. ``id`` is stable and short (≤ 64 bytes, Telegram's callback limit)."""

    id: str
    label: str
    short_label: str  # ≤ 20 characters, for Meta's quick replies


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class Reply:
    """One message to the person, already in their language."""

    text: str
    choices: tuple[ReplyChoice, ...] = ()
    links: tuple[Link, ...] = ()
    request_location: bool = False

    def to_json(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict: this runs for every reply stored.
        return {
            "text": self.text,
            "choices": [
                {"id": c.id, "label": c.label, "short_label": c.short_label} for c in self.choices
            ],
            "links": [{"url": link.url, "label": link.label} for link in self.links],
            "request_location": self.request_location,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"],
            choices=tuple(ReplyChoice(**c) for c in data.get("choices", ())),
            links=tuple(Link(**link) for link in data.get("links", ())),
            request_location=bool(data.get("request_location", False)),
        )
