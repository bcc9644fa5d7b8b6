"""Send stored replies to Telegram through python-telegram-bot, paced, and say how it went.

``RetryAfter`` (429) → try again after Telegram's wait; network errors and 5xx → try again
with backoff; 403 (blocked) or "chat not found" → dead-lettered, the person marked unreachable;
any other 400 → dead-lettered with the reason.
"""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.warnings import PTBUserWarning

from dialogs.replies import ButtonReceipt, Reply
from handlers.delivery import Delivery, RetryLater, Sent, Undeliverable
from handlers.pacing import Pacer
from handlers.telegram.render import calls_for
from storage.outbox import OutboxItem

logger = logging.getLogger(__name__)

UNREACHABLE = ("chat not found", "user is deactivated", "bot was blocked")


def retry_seconds(value: int | timedelta) -> float:
    """Telegram's ``retry_after`` (an int, or a timedelta in newer releases) in seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    channel = "telegram"

    def __init__(self, bot: Bot, pacer: Pacer | None = None) -> None:
        self._bot = bot
        self._pacer = pacer or Pacer()
        # We send rendered Bot API calls as they are; the library would rather we used its
        # per-method helpers, which would mean rebuilding the same calls as its objects.
        warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)

    async def send(self, item: OutboxItem) -> Delivery:
        receipt = ButtonReceipt.from_json(item.payload)
        if receipt is not None:
            return await self._acknowledge(item.recipient, receipt)
        for call in calls_for(Reply.from_json(item.payload)):
            await self._pacer.wait(item.recipient, urgent=item.urgent)
            failed = await self._call(
                item.recipient, call.method, {"chat_id": item.recipient, **call.params}
            )
            if failed is not None:
                return failed
        return Sent()

    async def _call(self, chat_id: str, method: str, params: dict[str, object]) -> Delivery | None:
        try:
            await self._bot.do_api_request(method, api_kwargs=params)
        except RetryAfter as error:
            wait = retry_seconds(error.retry_after)
            self._pacer.hold(chat_id, wait)
            return RetryLater(f"429 retry after {wait:g} s", retry_after=wait)
        except Forbidden as error:
            return Undeliverable(f"403 {error.message}", unreachable=True)
        except BadRequest as error:
            gone = any(reason in error.message.lower() for reason in UNREACHABLE)
            return Undeliverable(f"400 {error.message}", unreachable=gone)
        except NetworkError as error:  # timeouts, dropped connections and Telegram's 5xx
            return RetryLater(f"network: {type(error).__name__}: {error.message}")
        except TelegramError as error:
            return Undeliverable(f"telegram: {error.message}")
        return None

    async def _acknowledge(self, chat_id: str, receipt: ButtonReceipt) -> Delivery:
        """Stop the pressed button's spinner and retire the keyboard it sat on."""
        answered = await self._call(
            chat_id, "answerCallbackQuery", {"callback_query_id": receipt.callback_id}
        )
        if receipt.message_id is not None:
            await self._pacer.wait(chat_id, urgent=True)  # a press: part of a conversation
            # An old message may not be editable any more; the press was handled all the same.
            await self._call(
                chat_id,
                "editMessageReplyMarkup",
                {
                    "chat_id": chat_id,
                    "message_id": receipt.message_id,
                    "reply_markup": {"inline_keyboard": []},
                },
            )
        if isinstance(answered, RetryLater):
            return answered
        return Sent()  # a callback older than Telegram keeps is not worth a retry
