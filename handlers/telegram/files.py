"""Files residents sent on Telegram: kept by Telegram until staff need them, then fetched once."""

from __future__ import annotations

from telegram import Bot
from telegram.error import TelegramError

from handlers.telegram.spec import SPEC


class FileGone(Exception):
    """Telegram no longer has the file, or cannot be reached for it."""


async def download(bot: Bot, ref: str) -> bytes:
    """The bytes of a stored ``telegram:<file_id>`` reference (getFile, then the file)."""
    assert SPEC.photo_prefix is not None
    try:
        file = await bot.get_file(ref.removeprefix(SPEC.photo_prefix))
        return bytes(await file.download_as_bytearray())
    except TelegramError as error:
        raise FileGone(type(error).__name__) from error
