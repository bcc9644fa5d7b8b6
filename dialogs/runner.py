"""Run the synchronous engine from async code: one conversation at a time, in arrival order.

A lock per (channel, user) keeps one person's events in order inside this process; the
version column on the conversation keeps two processes from both advancing it.

With PostgreSQL the engine runs in worker threads, which wait on the network with the GIL
released. With SQLite it runs on the event loop itself: SQLite has one writer anyway, a
transaction takes about a millisecond, and handing it to a thread costs more than that in
GIL hand-overs between the loop and the worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
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


class ConversationRunner:
    def __init__(
        self, engine: ConversationEngine, *, threads: int, flood: FloodGate | None = None
    ) -> None:
        """``threads=0`` runs the engine on the event loop (SQLite)."""
        self._engine = engine
        self._locks = ConversationLocks()
        self._limiter = anyio.CapacityLimiter(threads) if threads > 0 else None
        self._flood = flood or FloodGate()

    async def handle(self, event: Event) -> Handled:
        """Handle ``event`` after every earlier event of the same person, within the flood limit."""
        match self._flood.check((event.channel, event.user_id)):
            case Verdict.DROP:
                return Handled(replies=[], payloads=[])
            case Verdict.WARN:
                event = replace(event, input=Flooding())
        if self._limiter is None:
            # Synchronous on the loop: nothing else runs meanwhile, so arrival order is kept.
            return self._engine.handle(event)
        async with self._locks.hold((event.channel, event.user_id)):
            return await anyio.to_thread.run_sync(self._engine.handle, event, limiter=self._limiter)
