"""Telegram's facts: relayed at about a message a second per chat, no window (so news a
resident subscribed to is delivered in the chat), photos kept as Telegram's file id until
staff open them."""

from __future__ import annotations

from dialogs.channels import Announcements, ChannelRules
from dialogs.events import Channel
from handlers.pacing import PER_CHAT_INTERVAL
from handlers.spec import ChannelSpec, PhotoSource

SPEC = ChannelSpec(
    rules=ChannelRules(channel=Channel.TELEGRAM, announcements=Announcements.IN_CHAT),
    label="Telegram",
    webhook_path="/webhooks/telegram",
    body_limit=256 * 1024,
    photos=PhotoSource.ON_DEMAND,
    photo_prefix=f"{Channel.TELEGRAM}:",
    per_chat_interval=PER_CHAT_INTERVAL,
)
