"""Run the synchronous engine from async code: one conversation at a time, in arrival order.

A lock per (channel, user) keeps one person's events in order inside this process; the
version column on the conversation keeps two processes from both advancing it.

With PostgreSQL the engine runs in worker threads, which wait on the network with the GIL
released. With SQLite it runs on the event loop itself: SQLite has one writer anyway, a
transaction takes well under a millisecond, and handing it to a thread costs more than that
in GIL hand-overs between the loop and the worker. There, events that arrive while the loop
is busy are handled together at its next turn, in arrival order and in one commit (see
``ConversationEngine.handle_together``); each request still waits for that commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

import anyio
import anyio.to_thread

from dialogs.engine import ConversationEngine, Handled
from dialogs.events import Event, Flooding
from dialogs.flood import FloodGate, Verdict


class ConversationLocks:
    """asyncio locks per conversation key, dropped when nobody waits on them."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._users: dict[tuple[str, str], int] = {}

    @asynccontextmanager
    async def hold(self, key: tuple[str, str]) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]


class _Together:
    """Collects events on the event loop and hands them to the engine in groups (SQLite)."""

    def __init__(self, engine: ConversationEngine) -> None:
        self._engine = engine
        self._waiting: list[tuple[Event, asyncio.Future[Handled]]] = []

    async def handle(self, event: Event) -> Handled:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Handled] = loop.create_future()
        self._waiting.append((event, future))
        if len(self._waiting) == 1:
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        group, self._waiting = self._waiting[:MAX_GROUP], self._waiting[MAX_GROUP:]
        if self._waiting:
            asyncio.get_running_loop().call_soon(self._flush)
        try:
            outcomes = self._engine.handle_together([event for event, _ in group])
        except Exception as error:  # the commit failed: no event of the group took effect
            outcomes = [error] * len(group)
        for (_, future), outcome in zip(group, outcomes, strict=True):
            if future.cancelled():
                continue
            if isinstance(outcome, Exception):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)


# A throttled request is told to come back after at least this long (Retry-After is whole seconds).
MIN_RETRY_SECONDS = 1.0

# A group holds SQLite's write lock and the event loop for its length: 64 events ≈ 20 ms.
MAX_GROUP = 64


class ConversationRunner:
    def __init__(
        self, engine: ConversationEngine, *, threads: int, flood: FloodGate | None = None
    ) -> None:
        """``threads=0`` runs the engine on the event loop (SQLite), in groups."""
        self._engine = engine
        self._locks = ConversationLocks()
        self._limiter = anyio.CapacityLimiter(threads) if threads > 0 else None
        self._together = _Together(engine)
        self._flood = flood or FloodGate()

    async def handle(self, event: Event) -> Handled:
        """Handle ``event`` after every earlier event of the same person, within the flood limit.

        Over the limit, a synchronous channel's request is answered "throttled" with when to
        send again, every time; a relayed channel's first such event in a minute becomes one
        "slow down", and the rest are dropped.
        """
        key = (event.channel, event.user_id)
        verdict = self._flood.check(key)
        if verdict is not Verdict.HANDLE and self._engine.is_synchronous(event.channel):
            wait = max(self._flood.seconds_until_free(key), MIN_RETRY_SECONDS)
            return Handled(replies=[], payloads=[], throttled_for=wait)
        match verdict:
            case Verdict.DROP:
                return Handled(replies=[], payloads=[])
            case Verdict.WARN:
                event = replace(event, input=Flooding())
        if self._limiter is None:
            # On the loop, in arrival order: the group keeps the order it was given.
            return await self._together.handle(event)
        async with self._locks.hold((event.channel, event.user_id)):
            return await anyio.to_thread.run_sync(self._engine.handle, event, limiter=self._limiter)

    async def handle_all(self, events: Sequence[Event]) -> list[Handled | Exception]:
        """Handle a platform's batch: each event on its own, one person's in the given order."""
        outcomes = await asyncio.gather(
            *(self.handle(event) for event in events), return_exceptions=True
        )
        return [
            outcome if isinstance(outcome, Handled | Exception) else _reraise(outcome)
            for outcome in outcomes
        ]


def _reraise(error: BaseException) -> Handled:
    raise error  # CancelledError, KeyboardInterrupt: not an event's failure
