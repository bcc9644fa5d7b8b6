"""What the conversation layer must know of a channel, whatever its platform.

Each channel's adapter declares these facts in its spec (``handlers/<channel>/spec.py``);
the engine, the runner and the relay read them from there, handed in by the composition
root, so that no list of channels is kept in the dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Announcements(StrEnum):
    """How news a resident subscribed to can reach them from this channel."""

    IN_CHAT = "in_chat"  # the bot may write first, in the same chat (Telegram)
    BY_EMAIL = "by_email"  # the chat cannot reach them later (the web chat): e-mail
    NOT_ALLOWED = "not_allowed"  # the platform forbids it (Meta in the EU): another channel


@dataclass(frozen=True)
class ChannelRules:
    """``synchronous``: replies go back in the HTTP response (the web chat), not by the
    relay. ``window``: the platform lets us write only this long after the person's last
    message (Meta's 24 hours); what waits outside it is sent when they write again.
    ``human_window``: a person of the team may still write this long, marked as such (Meta's
    HUMAN_AGENT tag, 7 days), where the app has the platform's approval.
    ``announcements``: whether news can be delivered in the chat, and if not, why not."""

    channel: str
    synchronous: bool = False
    window: timedelta | None = None
    human_window: timedelta | None = None
    inbox_handover: bool = False
    announcements: Announcements = Announcements.NOT_ALLOWED
