"""Turn a Meta webhook delivery into events: every ``entry`` and every ``messaging`` item on
its own, so one odd item never blocks the others. Echoes, reads, deliveries, reactions and
edits get no answer (an answered echo would loop). With Messenger's handover, ``standby``
items (the person's words while the Page Inbox has the thread) and the Page Inbox's echoes
(the team's replies there) become events that keep them with the conversation, and the
thread passed back becomes ``ThreadReturned``."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from dialogs.events import (
    Channel,
    Event,
    MessageDeleted,
    Overheard,
    Pressed,
    SharedImage,
    SharedLocation,
    Started,
    TeamEcho,
    TextInput,
    ThreadReturned,
    Unsupported,
    UserInput,
    clean_text,
)
from handlers.meta.spec import PAGE_INBOX_APP_ID

logger = logging.getLogger(__name__)

OBJECTS = {"page": Channel.MESSENGER, "instagram": Channel.INSTAGRAM}
GET_STARTED = "GET_STARTED"
SILENT = ("read", "delivery", "reaction", "message_edit", "optin", "message_reactions")
HANDOVER_NOTICES = ("take_thread_control", "request_thread_control", "app_roles")


@dataclass(frozen=True)
class Ignored:
    reason: str


# Meta's ids (senders, mids) are printable ASCII; anything else is no id of Meta's.
_ID = re.compile(r"^[\x21-\x7e]{1,300}$")


def _id(value: Any) -> str | None:
    """Ids arrive as strings today; older deliveries had numbers."""
    if isinstance(value, bool) or value is None or not isinstance(value, str | int):
        return None
    text = str(value)
    return text if _ID.match(text) else None


def _derived_key(*parts: Any) -> str:
    """A stable key for events without a ``mid`` (postbacks, referrals)."""
    return "k:" + hashlib.sha256("\x00".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _received(item: Mapping[str, Any]) -> datetime:
    stamp = item.get("timestamp")
    if isinstance(stamp, int | float) and stamp > 0:
        try:
            return datetime.fromtimestamp(stamp / 1000, UTC)
        except (OverflowError, OSError, ValueError):  # a year beyond 9999 is not a time
            pass
    return datetime.now(UTC)


def _message_input(channel: Channel, message: Mapping[str, Any]) -> UserInput | Ignored:
    if message.get("is_echo"):
        return Ignored("echo")
    if message.get("is_deleted"):
        mid = _id(message.get("mid"))
        return MessageDeleted(mid) if mid else Ignored("deleted without mid")
    if message.get("is_unsupported"):
        return Unsupported("unsupported")
    quick = message.get("quick_reply")
    if isinstance(quick, Mapping) and isinstance(quick.get("payload"), str):
        return Pressed(clean_text(quick["payload"][:64]))
    text = message.get("text")
    if isinstance(text, str):
        return TextInput(clean_text(text))
    for attachment in message.get("attachments") or ():
        if not isinstance(attachment, Mapping):
            continue
        kind = str(attachment.get("type"))
        raw = attachment.get("payload")
        payload: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        if kind == "location":
            coordinates = payload.get("coordinates") or {}
            lat, lon = coordinates.get("lat"), coordinates.get("long")
            if isinstance(lat, int | float) and isinstance(lon, int | float):
                return SharedLocation(lat=float(lat), lon=float(lon))
        if kind == "image" and isinstance(payload.get("url"), str) and "sticker_id" not in payload:
            # Fetched later, outside the webhook request (Meta's URLs expire: soon, not now).
            return SharedImage(f"{channel}:{payload['url']}")
        return Unsupported(kind)
    return Unsupported("empty")


def _party(item: Mapping[str, Any], role: str) -> str | None:
    party = item.get(role)
    return _id(party.get("id")) if isinstance(party, Mapping) else None


def _echo_of_the_team(message: Mapping[str, Any]) -> bool:
    """An echo of what the team wrote in Meta's Page Inbox (not of the bot's own sends)."""
    return bool(message.get("is_echo")) and _id(message.get("app_id")) == str(PAGE_INBOX_APP_ID)


def _standby(channel: Channel, item: Mapping[str, Any]) -> Event | Ignored:
    """While the Page Inbox has the thread: the person's words and the team's echoes are
    kept with the conversation; the bot answers none of them."""
    message = item.get("message")
    if not isinstance(message, Mapping):
        return Ignored("standby without a message")
    mid = _id(message.get("mid"))
    text = message.get("text")
    if mid is None:
        return Ignored("standby without mid")
    if message.get("is_echo"):
        resident = _party(item, "recipient")
        if resident is None or not isinstance(text, str):
            return Ignored("standby echo without text")
        user_input: UserInput = TeamEcho(clean_text(text))
        key = f"echo:{mid}"
    else:
        resident = _party(item, "sender")
        read = _message_input(channel, message)
        if resident is None:
            return Ignored("standby without sender")
        if isinstance(read, TextInput):
            user_input = Overheard(text=read.text)
        elif isinstance(read, SharedImage):
            user_input = Overheard(image_ref=read.ref)
        else:
            return Ignored("standby: nothing to keep")
        key = f"standby:{mid}"
    return Event(
        channel=channel, user_id=resident, event_id=key[:300], input=user_input,
        received_at=_received(item),
    )  # fmt: skip


def _item(channel: Channel, item: Mapping[str, Any]) -> Event | Ignored:
    message = item.get("message")
    if isinstance(message, Mapping) and _echo_of_the_team(message):
        return _standby(channel, item)  # the team answered in the Page Inbox
    sender = _party(item, "sender")
    if sender is None:
        return Ignored("no sender")
    if isinstance(item.get("pass_thread_control"), Mapping):
        # The Page Inbox passed the thread back to us: the team is done.
        return Event(
            channel=channel, user_id=sender,
            event_id=_derived_key(sender, item.get("timestamp"), "returned"),
            input=ThreadReturned(), received_at=_received(item),
        )  # fmt: skip
    if any(kind in item for kind in HANDOVER_NOTICES):
        return Ignored("thread control taken or asked for")
    if any(kind in item for kind in SILENT):
        return Ignored(next(kind for kind in SILENT if kind in item))
    user_input: UserInput | Ignored
    key: str | None
    if isinstance(item.get("message"), Mapping):
        message = item["message"]
        user_input = _message_input(channel, message)
        key = _id(message.get("mid"))
        if isinstance(user_input, MessageDeleted):
            key = f"deleted:{key}"
    elif isinstance(item.get("postback"), Mapping):
        postback = item["postback"]
        payload = clean_text(str(postback.get("payload") or ""))
        referral = (
            postback.get("referral") if isinstance(postback.get("referral"), Mapping) else None
        )
        if payload == GET_STARTED or referral is not None:
            user_input = Started(
                clean_text(str(referral.get("ref"))) if referral and referral.get("ref") else None
            )
        else:
            user_input = Pressed(payload[:64]) if payload else Unsupported("postback")
        key = _id(postback.get("mid")) or _derived_key(sender, item.get("timestamp"), payload)
    elif isinstance(item.get("referral"), Mapping):
        ref = item["referral"].get("ref")
        user_input = Started(clean_text(str(ref)) if ref else None)
        key = _derived_key(sender, item.get("timestamp"), "referral", ref)
    else:
        return Ignored("unknown kind")
    if isinstance(user_input, Ignored):
        return user_input
    if key is None:
        return Ignored("no id")
    return Event(
        channel=channel,
        user_id=sender,
        event_id=key[:300],
        input=user_input,
        received_at=_received(item),
    )


def _listed(value: Any) -> list[Any]:
    """A JSON list, or nothing: a number or a string where a list belongs is not iterated."""
    return value if isinstance(value, list) else []


def parse_delivery(data: Any) -> Iterator[Event | Ignored]:
    """Every messaging item of every entry, each parsed on its own."""
    kind = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(kind, str) or kind not in OBJECTS:  # a list here is unhashable
        yield Ignored("not a page or instagram object")
        return
    channel = OBJECTS[kind]
    for entry in _listed(data.get("entry")):
        if not isinstance(entry, Mapping):
            yield Ignored("odd entry")
            continue
        for kind, read in (("messaging", _item), ("standby", _standby)):
            for item in _listed(entry.get(kind)):
                try:
                    yield read(channel, item) if isinstance(item, Mapping) else Ignored("odd item")
                except (TypeError, ValueError, AttributeError, ArithmeticError) as error:
                    logger.warning("unreadable %s item: %s", channel, type(error).__name__)
                    yield Ignored("unreadable")
