"""Telegram Update JSON in the shapes the Bot API delivers (field names from the Bot API docs)."""

from __future__ import annotations

from typing import Any

USER = {"id": 111222333, "is_bot": False, "first_name": "Testi", "language_code": "fi"}
CHAT = {"id": 111222333, "type": "private", "first_name": "Testi"}
DATE = 1764316800


def message(update_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "from": USER, "chat": CHAT, "date": DATE, **fields},
    }


def text(update_id: int, body: str) -> dict[str, Any]:
    return message(update_id, text=body)


def command(update_id: int, body: str) -> dict[str, Any]:
    name = body.split(" ")[0]
    return message(
        update_id, text=body, entities=[{"type": "bot_command", "offset": 0, "length": len(name)}]
    )


def callback(update_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": USER,
            "chat_instance": "-123456789",
            "data": data,
            "message": {
                "message_id": 7,
                "from": {"id": 1, "is_bot": True, "first_name": "Osallistu"},
                "chat": CHAT,
                "date": DATE,
                "text": "…",
            },
        },
    }


def location(update_id: int, lat: float, lon: float) -> dict[str, Any]:
    return message(
        update_id, location={"latitude": lat, "longitude": lon, "horizontal_accuracy": 20}
    )


def venue(update_id: int) -> dict[str, Any]:
    return message(
        update_id,
        venue={
            "location": {"latitude": 61.6886, "longitude": 27.2723},
            "title": "Tori",
            "address": "Mikkeli",
        },
        location={"latitude": 61.6886, "longitude": 27.2723},
    )


def photo(update_id: int) -> dict[str, Any]:
    sizes = [
        {
            "file_id": "small-id",
            "file_unique_id": "s",
            "width": 90,
            "height": 67,
            "file_size": 1000,
        },
        {
            "file_id": "large-id",
            "file_unique_id": "l",
            "width": 1280,
            "height": 960,
            "file_size": 90000,
        },
        {
            "file_id": "medium-id",
            "file_unique_id": "m",
            "width": 320,
            "height": 240,
            "file_size": 9000,
        },
    ]
    return message(update_id, photo=sizes, caption="Tässä kuva")


def sticker(update_id: int) -> dict[str, Any]:
    return message(
        update_id,
        sticker={
            "file_id": "st",
            "file_unique_id": "st1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    )


def voice(update_id: int) -> dict[str, Any]:
    return message(update_id, voice={"file_id": "v", "file_unique_id": "v1", "duration": 3})


def edited(update_id: int, body: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "edited_message": {
            "message_id": 5,
            "from": USER,
            "chat": CHAT,
            "date": DATE,
            "edit_date": DATE + 60,
            "text": body,
        },
    }


def my_chat_member(update_id: int, status: str) -> dict[str, Any]:
    bot_user = {"id": 1, "is_bot": True, "first_name": "Osallistu"}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": CHAT,
            "from": USER,
            "date": DATE,
            "old_chat_member": {
                "status": "member" if status == "kicked" else "kicked",
                "user": bot_user,
                **({"until_date": 0} if status == "member" else {}),
            },
            "new_chat_member": {
                "status": status,
                "user": bot_user,
                **({"until_date": 0} if status == "kicked" else {}),
            },
        },
    }


def without_is_bot(update_id: int) -> dict[str, Any]:
    """As in Telegram's documentation samples: ``from`` lacks the required ``is_bot``."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "from": {"id": 5, "first_name": "Doc"},
            "chat": CHAT,
            "date": DATE,
            "text": "hi",
        },
    }
