"""One spec per channel: everything the rest of the system must know of it, in one place.

A channel's adapter (``handlers/<channel>/``) declares its ``ChannelSpec``; ``handlers.channels``
lists them all. The engine and runner read its rules (synchronous or relayed, messaging
windows), the relay its pace, the app its webhook path and body limit, the staff area its
label and how its photos arrive, and Meta's deletion callback which channels it covers.
Adding a channel is a new folder with a spec, its parser and its sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dialogs.channels import ChannelRules


class PhotoSource(StrEnum):
    """How a photo a resident sends becomes our own file."""

    UPLOAD = "upload"  # stored by the adapter before its message (the web chat)
    ON_DEMAND = "on_demand"  # the platform keeps it; fetched once when staff open it (Telegram)
    FETCH_JOB = "fetch_job"  # a link that expires in days; a job fetches it within a minute


@dataclass(frozen=True)
class ChannelSpec:
    rules: ChannelRules
    label: str  # how staff pages name it: a product name, or a msgid ("Web chat")
    webhook_path: str | None  # where the platform delivers (None: the web chat's own API)
    body_limit: int  # the largest request body on that path, in bytes
    photos: PhotoSource
    photo_prefix: str | None = None  # a stored reference still at the platform: "telegram:…"
    per_chat_interval: float = 0.0  # seconds between two messages to one chat (Telegram: ≈ 1)
    erased_by_meta: bool = False  # Meta's data-deletion callback covers this channel

    @property
    def channel(self) -> str:
        return self.rules.channel
