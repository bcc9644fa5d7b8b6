"""A platform's sending limits kept on our side, spread evenly so that no burst provokes a
rate-limit error: Telegram's (about one message a second per chat, 30 a second overall, the
defaults here) and Instagram's (100 calls a second per account)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable

# A hair under the limits: requests that leave evenly can still arrive bunched.
PER_CHAT_INTERVAL = 1.02
OVERALL_PER_SECOND = 29.5


class Gate:
    """One sender at a time, the most urgent waiter next (then first come, first served)."""

    def __init__(self) -> None:
        self._busy = False
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def acquire(self, urgency: int) -> None:
        if not self._busy and not self._waiting:
            self._busy = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = (urgency, next(self._order), turn)
        heapq.heappush(self._waiting, entry)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.release()  # the turn came as it was cancelled: pass it on
            elif entry in self._waiting:  # (a release may have dropped it already)
                self._waiting.remove(entry)
                heapq.heapify(self._waiting)
            raise

    def release(self) -> None:
        while self._waiting:
            _urgency, _order, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)  # the gate passes to it, still busy
                return
        self._busy = False


class Pacer:
    """Hands out send slots first come, first served, and then keeps the actual sends apart:
    waiters that wake late (the event loop was busy) leave one by one, not in a burst.

    A message of a conversation (``urgent``) takes no slot ahead: it waits only for its chat's
    interval and then leaves next, before the bulk messages waiting with it. The bulk ones
    step back a slot each, so the overall rate holds."""

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
        self._leaving = Gate()

    @property
    def per_second(self) -> float:
        return 1.0 / self._spacing

    @property
    def per_chat_interval(self) -> float:
        return self._per_chat

    async def wait(self, chat_id: str, *, urgent: bool = False) -> None:
        now = self._clock()
        for_chat = self._next_for_chat.get(chat_id, 0.0)
        if urgent:
            slot = max(now, for_chat)
        else:
            slot = max(now, self._next_overall, for_chat)
            self._next_overall = slot + self._spacing
        self._next_for_chat[chat_id] = slot + self._per_chat
        if slot > now:
            await self._sleep(slot - now)
        behind_chat = (
            self._sent_for_chat.get(chat_id, float("-inf")) + self._per_chat - self._clock()
        )
        if behind_chat > 0:
            await self._sleep(behind_chat)
        await self._leaving.acquire(0 if urgent else 1)
        try:
            behind = self._last_sent + self._spacing - self._clock()
            if behind > 0:
                await self._sleep(behind)
            self._last_sent = self._clock()
        finally:
            self._leaving.release()
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
