"""Telegram's sending limits kept on our side: about one message a second per chat and at most
30 a second overall, spread evenly so that no burst provokes a 429."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

PER_CHAT_INTERVAL = 1.0
OVERALL_PER_SECOND = 30.0


class Pacer:
    """Hands out send slots; a slot is reserved before awaiting, so order is first come."""

    def __init__(
        self,
        *,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        overall_per_second: float = OVERALL_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._per_chat = per_chat_interval
        self._spacing = 1.0 / overall_per_second
        self._clock = clock
        self._sleep = sleep
        self._next_overall = 0.0
        self._next_for_chat: dict[str, float] = {}

    async def wait(self, chat_id: str) -> None:
        now = self._clock()
        slot = max(now, self._next_overall, self._next_for_chat.get(chat_id, 0.0))
        self._next_overall = slot + self._spacing
        self._next_for_chat[chat_id] = slot + self._per_chat
        if len(self._next_for_chat) > 10_000:
            self._forget_before(now)
        if slot > now:
            await self._sleep(slot - now)

    def hold(self, chat_id: str, seconds: float) -> None:
        """After a 429: nothing more to this chat before Telegram's ``retry_after``."""
        self._next_for_chat[chat_id] = max(
            self._next_for_chat.get(chat_id, 0.0), self._clock() + seconds
        )

    def _forget_before(self, now: float) -> None:
        self._next_for_chat = {chat: at for chat, at in self._next_for_chat.items() if at > now}
