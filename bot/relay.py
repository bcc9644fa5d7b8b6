"""The outbox relay: delivers pending replies through each channel's sender.

Rows are claimed with a lease (their ``next_attempt_at`` pushed forward) in a short
transaction — on PostgreSQL with ``FOR UPDATE SKIP LOCKED`` so several relays share the work
— then sent, then marked sent, rescheduled with capped exponential backoff and jitter
(honouring the platform's ``retry_after``), or dead-lettered with the reason. A relay that
dies mid-send leaves the row to be retried when the lease runs out.

A round claims about a second's worth of sending per channel (its pace: Telegram's 30 a
second overall, and one message per chat where the platform allows about one a second), by
lane first: a message a person of the team wrote waits behind at most the round in flight,
never behind a queue of a thousand.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from handlers.delivery import Delivery, Held, Pace, RetryLater, Sender, Sent, Undeliverable
from storage import outbox, participants
from storage.engine import transaction
from storage.outbox import OutboxItem
from storage.tables import outbox_t

logger = logging.getLogger(__name__)

# One round's worth of sending: what a person's new message may wait behind at most.
ROUND_SECONDS = 1.0
ROUNDS_IN_FLIGHT = 2


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    max_attempts: int = 8
    # Long enough for a batch paced at a platform's per-chat limit (Telegram: 1/s).
    lease_seconds: float = 300.0

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before attempt ``attempts + 1``; never sooner than ``retry_after``."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        jittered = backoff * (0.5 + rng.random() / 2)
        return max(jittered, retry_after) if retry_after is not None else jittered


class OutboxRelay:
    def __init__(
        self,
        *,
        database: Engine,
        senders: Mapping[str, Sender],
        policy: RetryPolicy | None = None,
        paces: Mapping[str, Pace] | None = None,
        batch_size: int = 500,  # a channel without a pace: many recipients at once
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rng: random.Random | None = None,
    ) -> None:
        self._database = database
        self._senders = dict(senders)
        self._paces = dict(paces or {})
        self._policy = policy or RetryPolicy()
        self._batch_size = batch_size
        self._clock = clock
        self._rng = rng or random.Random()  # noqa: S311  (jitter, not cryptography)

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self._senders)

    async def run_once(self) -> int:
        """Deliver the rows due now; return how many were attempted.

        Recipients are served side by side, each one's messages strictly in order; a message
        is marked sent as soon as the platform accepted it, so a crash resends at most it.
        """
        if not self._senders:
            return 0
        items, _full = await anyio.to_thread.run_sync(self._claim)
        await self._deliver(items)
        return len(items)

    async def _deliver(self, items: list[OutboxItem]) -> None:
        by_recipient: dict[tuple[str, str], list[OutboxItem]] = {}
        for item in items:
            by_recipient.setdefault((item.channel, item.recipient), []).append(item)
        await asyncio.gather(*(self._deliver_in_order(queue) for queue in by_recipient.values()))

    async def run_until_idle(self) -> int:
        """Run rounds until nothing is due now; return how many were attempted in all."""
        attempted = 0
        while (done := await self.run_once()) > 0:
            attempted += done
        return attempted

    async def _deliver_in_order(self, queue: list[OutboxItem]) -> None:
        for index, item in enumerate(queue):
            result = await self._attempt(item)
            retry_at = await anyio.to_thread.run_sync(self._record, item, result)
            if isinstance(result, Held):
                # Each later message is the sender's to judge: a person's words may still go
                # where the bot's may not (Meta's HUMAN_AGENT), and what waits goes first
                # when the person writes again.
                continue
            if not isinstance(result, Sent):
                # The rest wait behind it, so that one person's messages never overtake.
                rest = queue[index + 1 :]
                if rest:
                    await anyio.to_thread.run_sync(self._postpone, [r.id for r in rest], retry_at)
                return

    async def run_forever(self, interval: float) -> None:
        """Rounds one after another, the next claimed once the last has had a round's time:
        a round that waits out a chat's per-chat interval (a reply of three messages takes
        two seconds) does not hold the other chats' sends back. At most two rounds are in
        flight; a claim never passes a person's earlier message still on its way, so their
        order holds."""
        in_flight: set[asyncio.Task[None]] = set()
        try:
            while True:
                try:
                    items, full = await anyio.to_thread.run_sync(self._claim)
                except Exception:
                    logger.exception("outbox relay round failed; trying again")
                    items, full = [], False
                if items:
                    task = asyncio.create_task(self._deliver(items))
                    in_flight.add(task)
                    task.add_done_callback(self._round_done(in_flight))
                    if full:  # more is due: the next round once this one has had its time
                        await asyncio.wait({task}, timeout=ROUND_SECONDS)
                if not full:
                    await asyncio.sleep(interval)
                while len(in_flight) >= ROUNDS_IN_FLIGHT:
                    await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)

    @staticmethod
    def _round_done(in_flight: set[asyncio.Task[None]]) -> Callable[[asyncio.Task[None]], None]:
        def done(task: asyncio.Task[None]) -> None:
            in_flight.discard(task)
            if not task.cancelled() and task.exception() is not None:
                logger.error("outbox relay round failed", exc_info=task.exception())

        return done

    def _round(self, channel: str) -> tuple[int, bool]:
        """How many rows one round takes for ``channel``, and whether one per recipient."""
        pace = self._paces.get(channel)
        if pace is None:
            return self._batch_size, False
        size = max(1, math.ceil(pace.per_second * ROUND_SECONDS))
        return min(size, self._batch_size), pace.per_chat_interval > 0

    def _claim(self) -> tuple[list[OutboxItem], bool]:
        now = self._clock()
        items: list[OutboxItem] = []
        full = False
        with transaction(self._database) as connection:
            for channel in self.channels:
                limit, one_each = self._round(channel)
                claimed = outbox.claim_due(
                    connection=connection,
                    channel=channel,
                    now=now,
                    limit=limit,
                    one_per_recipient=one_each,
                )
                full |= len(claimed) == limit
                items += claimed
            if items:
                connection.execute(
                    sa.update(outbox_t)
                    .where(outbox_t.c.id.in_([item.id for item in items]))
                    .values(next_attempt_at=now + timedelta(seconds=self._policy.lease_seconds))
                )
        return items, full

    async def _attempt(self, item: OutboxItem) -> Delivery:
        try:
            return await self._senders[item.channel].send(item)
        except Exception as error:  # a sender bug must not stop the relay
            logger.exception("sender for %s failed on outbox row %d", item.channel, item.id)
            return RetryLater(reason=f"sender error: {type(error).__name__}")

    def _record(self, item: OutboxItem, result: Delivery) -> datetime | None:
        """Record one attempt; return when the message is tried again (None: done or dead)."""
        now = self._clock()
        with transaction(self._database) as connection:
            match result:
                case Sent():
                    outbox.mark_sent(connection=connection, outbox_id=item.id, now=now)
                case RetryLater(reason=reason, retry_after=retry_after):
                    attempts = item.attempts + 1
                    if attempts >= self._policy.max_attempts:
                        outbox.dead_letter(
                            connection=connection, outbox_id=item.id, error=f"gave up: {reason}"
                        )
                        return None
                    at = now + timedelta(
                        seconds=self._policy.delay(attempts, retry_after, self._rng)
                    )
                    outbox.reschedule(connection=connection, outbox_id=item.id, at=at, error=reason)
                    return at
                case Held(reason=reason):
                    held = outbox.hold(connection=connection, item=item, reason=reason, now=now)
                    if not held:
                        return now  # they wrote meanwhile: the window is open again
                case Undeliverable(reason=reason, unreachable=unreachable):
                    outbox.dead_letter(connection=connection, outbox_id=item.id, error=reason)
                    if unreachable and item.participant_id is not None:
                        participants.set_reachable(
                            connection=connection,
                            participant_id=item.participant_id,
                            reachable=False,
                        )
        return None

    def _postpone(self, outbox_ids: list[int], at: datetime | None) -> None:
        """Hold later messages of a recipient until the one before them is retried."""
        until = at or self._clock()
        with transaction(self._database) as connection:
            connection.execute(
                sa.update(outbox_t)
                .where(outbox_t.c.id.in_(outbox_ids))
                .values(next_attempt_at=until)
            )
