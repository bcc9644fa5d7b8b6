"""What the engine returns: rendered, channel-neutral replies that adapters draw for a platform."""

from __future__ import annotations

from dataclasses import asdict, dataclass
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
class PlaceCard:
    """A meeting place or service as a card; every text already in the person's language."""

    title: str
    status: str  # "Open now" / "Opens Tue 10.00"
    address: str | None = None
    map_url: str | None = None
    phone: str | None = None
    web_url: str | None = None
    choice_id: str | None = None  # pressing the card opens its details


@dataclass(frozen=True)
class Media:
    """An image to show; ``url`` is ours (a stored upload), never a third party's."""

    url: str
    alt: str


@dataclass(frozen=True)
class Reply:
    """One message to the person, already in their language."""

    text: str
    choices: tuple[ReplyChoice, ...] = ()
    links: tuple[Link, ...] = ()
    request_location: bool = False
    location_label: str | None = None  # the share-location button, where a channel has one
    request_image: bool = False
    places: tuple[PlaceCard, ...] = ()
    media: Media | None = None
    # A person of the team wrote this ("Terhi, Yhdessä osallistuen"); None: the bot did.
    from_person: str | None = None

    def to_json(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict: this runs for every reply stored.
        return {
            "text": self.text,
            "choices": [
                {"id": c.id, "label": c.label, "short_label": c.short_label} for c in self.choices
            ],
            "links": [{"url": link.url, "label": link.label} for link in self.links],
            "request_location": self.request_location,
            "location_label": self.location_label,
            "request_image": self.request_image,
            "places": [asdict(place) for place in self.places],
            "media": asdict(self.media) if self.media else None,
            "from_person": self.from_person,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reply:
        return cls(
            text=data["text"],
            choices=tuple(ReplyChoice(**c) for c in data.get("choices", ())),
            links=tuple(Link(**link) for link in data.get("links", ())),
            request_location=bool(data.get("request_location", False)),
            location_label=data.get("location_label"),
            request_image=bool(data.get("request_image", False)),
            places=tuple(PlaceCard(**place) for place in data.get("places", ())),
            media=Media(**data["media"]) if data.get("media") else None,
            from_person=data.get("from_person"),
        )


@dataclass(frozen=True)
class ButtonReceipt:
    """Acknowledge a pressed button (Telegram: stop its spinner and retire the old keyboard)."""

    callback_id: str
    message_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"receipt": {"callback_id": self.callback_id, "message_id": self.message_id}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ButtonReceipt | None:
        receipt = data.get("receipt")
        return cls(**receipt) if isinstance(receipt, dict) else None
