"""A platform's sending limits kept on our side, spread evenly so that no burst provokes a
rate-limit error: Telegram's (about one message a second per chat, 30 a second overall, the
defaults here) and Instagram's (100 calls a second per account)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# A hair under the limits: requests that leave evenly can still arrive bunched.
PER_CHAT_INTERVAL = 1.02
OVERALL_PER_SECOND = 29.5


class Pacer:
    """Hands out send slots first come, first served, and then keeps the actual sends apart:
    waiters that wake late (the event loop was busy) leave one by one, not in a burst."""

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
        self._sent_for_chat: dict[str, float] = {}
        self._last_sent = float("-inf")
        self._leaving = asyncio.Lock()

    @property
    def per_second(self) -> float:
        return 1.0 / self._spacing

    @property
    def per_chat_interval(self) -> float:
        return self._per_chat

    async def wait(self, chat_id: str) -> None:
        now = self._clock()
        slot = max(now, self._next_overall, self._next_for_chat.get(chat_id, 0.0))
        self._next_overall = slot + self._spacing
        self._next_for_chat[chat_id] = slot + self._per_chat
        if slot > now:
            await self._sleep(slot - now)
        behind_chat = (
            self._sent_for_chat.get(chat_id, float("-inf")) + self._per_chat - self._clock()
        )
        if behind_chat > 0:
            await self._sleep(behind_chat)
        async with self._leaving:
            behind = self._last_sent + self._spacing - self._clock()
            if behind > 0:
                await self._sleep(behind)
            self._last_sent = self._clock()
        self._sent_for_chat[chat_id] = self._last_sent
        if len(self._next_for_chat) > 10_000:
            self._forget_before(self._last_sent)

    def hold(self, chat_id: str, seconds: float) -> None:
        """After a 429: nothing more to this chat before Telegram's ``retry_after``."""
        until = self._clock() + seconds
        self._next_for_chat[chat_id] = max(self._next_for_chat.get(chat_id, 0.0), until)

    def _forget_before(self, now: float) -> None:
        self._next_for_chat = {c: at for c, at in self._next_for_chat.items() if at > now}
        self._sent_for_chat = {
            c: at for c, at in self._sent_for_chat.items() if at > now - self._per_chat
        }
