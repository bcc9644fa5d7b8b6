"""What a channel adapter hands to the engine: one ``Event`` per inbound platform event."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dialogs.replies import ButtonReceipt

# C0 controls and DEL except tab and newline: NUL cannot be stored in PostgreSQL text at all.
# Lone surrogates too (JSON's "\ud800" decodes to one): no UTF-8 encoder takes them, so a
# state holding one would fail every later step of that conversation.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
STORED_TEXT_LIMIT = 4000


def clean_text(raw: str) -> str:
    """Drop control characters a person cannot have meant; keep emoji and right-to-left text."""
    return _CONTROL.sub("", raw.replace("\r\n", "\n"))


class Channel(StrEnum):
    WEBCHAT = "webchat"
    TELEGRAM = "telegram"
    MESSENGER = "messenger"
    INSTAGRAM = "instagram"


@dataclass(frozen=True)
class TextInput:
    """Free text the person typed."""

    text: str


@dataclass(frozen=True)
class Pressed:
    """A choice the person pressed, by its stable id."""

    choice_id: str


@dataclass(frozen=True)
class SharedLocation:
    """A location the person shared (WGS84)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class SharedImage:
    """A photo the person sent, already stored by the adapter; ``ref`` names the stored file."""

    ref: str


@dataclass(frozen=True)
class Started:
    """The person opened the conversation (``/start``, Get Started, a fresh web chat)."""

    payload: str | None = None


@dataclass(frozen=True)
class Unsupported:
    """Something the bot cannot read (a sticker, a voice message…); ``kind`` names it for logs."""

    kind: str


@dataclass(frozen=True)
class MessageDeleted:
    """The person unsent an earlier message (Instagram): forget what it said."""

    event_id: str


@dataclass(frozen=True)
class Flooding:
    """The person sent more than the flood limit allows: tell them, once, to slow down."""


@dataclass(frozen=True)
class ReachabilityChanged:
    """The person blocked (False) or unblocked (True) the bot; nothing is said in return."""

    reachable: bool


@dataclass(frozen=True)
class ThreadReturned:
    """The platform's own inbox gave the thread back to the bot (Messenger's handover)."""


@dataclass(frozen=True)
class Overheard:
    """The person wrote while the platform's inbox had the thread (Meta's standby): kept in
    the conversation with the team, never answered by the bot."""

    text: str | None = None
    image_ref: str | None = None


@dataclass(frozen=True)
class TeamEcho:
    """The team answered the person in the platform's own inbox (an echo of their message)."""

    text: str


UserInput = (
    TextInput
    | Pressed
    | SharedLocation
    | SharedImage
    | Started
    | Unsupported
    | ReachabilityChanged
    | MessageDeleted
    | Flooding
    | ThreadReturned
    | Overheard
    | TeamEcho
)


@dataclass(frozen=True)
class Event:
    """One inbound event, channel-neutral. ``event_id`` is the platform's idempotency key."""

    channel: Channel
    user_id: str
    event_id: str
    input: UserInput
    received_at: datetime
    locale_hint: str | None = None
    receipt: ButtonReceipt | None = None  # to acknowledge a pressed button, where a channel asks

    def summary(self) -> dict[str, object]:
        """Return a JSON-safe record of the event for the inbox (no free text beyond limits)."""
        kind = type(self.input).__name__
        record: dict[str, object] = {"kind": kind}
        match self.input:
            case TextInput(text=text):
                record["text"] = text[:STORED_TEXT_LIMIT]
            case Pressed(choice_id=choice_id):
                record["choice"] = choice_id
            case SharedLocation(lat=lat, lon=lon):
                record["location"] = [lat, lon]
            case SharedImage(ref=ref):
                record["image"] = ref
            case Started(payload=payload):
                record["payload"] = payload
            case Unsupported(kind=unsupported):
                record["unsupported"] = unsupported
            case ReachabilityChanged(reachable=reachable):
                record["reachable"] = reachable
            case MessageDeleted(event_id=deleted):
                record["deleted"] = deleted
            case Flooding():
                record["flooding"] = True
            case Overheard(text=text, image_ref=image):
                record["overheard"] = {"text": (text or "")[:STORED_TEXT_LIMIT], "image": image}
            case TeamEcho(text=text):
                record["team"] = text[:STORED_TEXT_LIMIT]
            case ThreadReturned():
                record["returned"] = True
        return record
