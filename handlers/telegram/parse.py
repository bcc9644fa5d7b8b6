"""Turn a Telegram update into an ``Event``, or say why it is ignored.

python-telegram-bot's ``Update.de_json`` reads the payload (it needs a ``Bot`` object for
shortcuts, but makes no call). An update it cannot read — Telegram's own documentation samples
lack ``from.is_bot``, for example — is reported as ``Ignored`` so the webhook still answers 200:
a 5xx would make Telegram retry it for a day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from dialogs.events import (
    Channel,
    Event,
    Pressed,
    ReachabilityChanged,
    SharedImage,
    SharedLocation,
    Started,
    TextInput,
    Unsupported,
    UserInput,
    clean_text,
)
from dialogs.replies import ButtonReceipt

logger = logging.getLogger(__name__)

# Commands that are global words of the dialogs; others are passed on as typed text.
START = "/start"
LEFT_CHAT = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}


@dataclass(frozen=True)
class Ignored:
    """Acknowledged and dropped; ``reason`` is for the log (never the content)."""

    reason: str


def _command(text: str) -> tuple[str, str]:
    head, _, rest = text.partition(" ")
    return head.split("@", 1)[0].lower(), rest.strip()  # "/start@osallistu_bot poll_12"


def _from_message(message: Message) -> UserInput:
    if message.text is not None:
        text = clean_text(message.text)
        if text.startswith("/"):
            command, argument = _command(text)
            if command == START:
                return Started(argument or None)
            return TextInput(f"{command} {argument}".strip())
        return TextInput(text)
    location = message.location or (message.venue.location if message.venue else None)
    if location is not None:
        return SharedLocation(lat=location.latitude, lon=location.longitude)
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        # Downloaded later, outside the webhook request: the reference names Telegram's file.
        return SharedImage(f"telegram:{largest.file_id}")
    for kind in (
        "sticker",
        "voice",
        "audio",
        "video",
        "video_note",
        "document",
        "animation",
        "contact",
    ):
        if getattr(message, kind, None):
            return Unsupported(kind)
    return Unsupported("other")


def parse_update(data: Any, bot: Bot, *, now: datetime | None = None) -> Event | Ignored:
    """Map one update to an event (its ``update_id`` is the idempotency key)."""
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return Ignored("no update_id")
    try:
        update = Update.de_json(data, bot)
    except Exception as error:  # any shape the library cannot read: logged, answered 200
        # (found by fuzzing: {"message": false} raised AttributeError inside the library)
        logger.warning("unreadable Telegram update %s: %s", data["update_id"], type(error).__name__)
        return Ignored("unreadable")
    received = now or datetime.now(UTC)
    if update.edited_message is not None or update.edited_channel_post is not None:
        return Ignored("edited message")  # the original was handled; an edit changes nothing
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return Ignored("no user or chat")
    if chat.type != ChatType.PRIVATE:
        return Ignored("not a private chat")
    user_input: UserInput
    receipt = None
    if update.my_chat_member is not None:
        status = update.my_chat_member.new_chat_member.status
        user_input = ReachabilityChanged(reachable=status not in LEFT_CHAT)
    elif update.callback_query is not None:
        if not update.callback_query.data:
            return Ignored("callback without data")
        user_input = Pressed(clean_text(update.callback_query.data))
        pressed_on = update.callback_query.message
        receipt = ButtonReceipt(
            callback_id=update.callback_query.id,
            message_id=pressed_on.message_id if pressed_on is not None else None,
        )
    elif update.message is not None:
        user_input = _from_message(update.message)
    else:
        return Ignored("unhandled update kind")
    return Event(
        channel=Channel.TELEGRAM,
        user_id=str(chat.id),
        event_id=str(update.update_id),
        input=user_input,
        received_at=received,
        locale_hint=user.language_code,
        receipt=receipt,
    )
