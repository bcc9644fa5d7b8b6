"""What a channel's sender reports back to the outbox relay after one attempt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from storage.outbox import OutboxItem


@dataclass(frozen=True)
class Sent:
    """The platform accepted the message."""


@dataclass(frozen=True)
class RetryLater:
    """A passing failure (rate limit, 5xx, network); ``retry_after`` is the platform's wish."""

    reason: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Undeliverable:
    """A permanent failure; ``unreachable`` means the person blocked us or is gone."""

    reason: str
    unreachable: bool = False


@dataclass(frozen=True)
class Held:
    """Not allowed now (Meta's 24-hour window): wait until the person writes again."""

    reason: str


Delivery = Sent | RetryLater | Undeliverable | Held


@dataclass(frozen=True)
class Pace:
    """How fast a channel's sender may go: overall, and between two messages to one chat."""

    per_second: float
    per_chat_interval: float = 0.0


class Sender(Protocol):
    """Sends stored replies of one channel to its platform."""

    channel: str

    async def send(self, item: OutboxItem) -> Delivery: ...
