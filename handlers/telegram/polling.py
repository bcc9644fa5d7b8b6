"""Long polling for development without a public URL (``osallistu serve --telegram-polling``).

The same parse-and-handle path as the webhook; ``getUpdates`` does not work while a webhook is
set, so the webhook is removed first.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TelegramError

from dialogs.runner import ConversationRunner
from handlers.telegram.parse import Ignored, parse_update
from handlers.telegram.sender import retry_seconds
from handlers.telegram.setup import ALLOWED_UPDATES

logger = logging.getLogger(__name__)
LONG_POLL_SECONDS = 25


async def poll_forever(bot: Bot, runner: ConversationRunner) -> None:
    await bot.delete_webhook()
    offset = 0
    while True:
        try:
            updates = await bot.do_api_request(
                "getUpdates",
                api_kwargs={
                    "offset": offset,
                    "timeout": LONG_POLL_SECONDS,
                    "allowed_updates": list(ALLOWED_UPDATES),
                },
                read_timeout=LONG_POLL_SECONDS + 10,
            )
        except RetryAfter as error:
            await asyncio.sleep(retry_seconds(error.retry_after))
            continue
        except (NetworkError, TelegramError) as error:
            logger.warning("getUpdates failed (%s); trying again shortly", type(error).__name__)
            await asyncio.sleep(3)
            continue
        for data in updates or ():
            offset = max(offset, int(data.get("update_id", 0)) + 1)
            parsed = parse_update(data, bot)
            if isinstance(parsed, Ignored):
                continue
            try:
                await runner.handle(parsed)
            except Exception:  # one bad update must not stop the loop; the inbox keeps order
                logger.exception("handling a polled update failed")
