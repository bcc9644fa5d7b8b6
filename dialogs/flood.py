"""Flood limits: a machine sending as fast as it can must not slow everyone else down.

Each (channel, user) has a token bucket: a burst of 20, refilled at 120 a minute. A person
tapping as fast as a phone lets them (a tap a second for minutes on end, a few a second for a
moment) never empties it; only machine-speed traffic does. An event that finds the bucket
empty is not handled. What the person hears depends on the channel: a synchronous one (the
web chat) answers every throttled request with "wait a moment" and when to try again, so
the page keeps its buttons and sends the message once more; on a relayed channel the first
such event in a minute gets one kind "slow down" (handled as its own event, so it is stored
and delivered like any reply) and the rest are acknowledged and dropped. Buckets live in
this process: with several instances each keeps its own, which only makes the limit a
little looser.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

BURST = 20
PER_MINUTE = 120
WARN_EVERY_SECONDS = 60.0
MAX_TRACKED = 100_000


class Verdict(Enum):
    HANDLE = "handle"
    WARN = "warn"  # over the limit: say "slow down" once
    DROP = "drop"  # over the limit again within the minute: do nothing


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned_at: float = float("-inf")


class FloodGate:
    def __init__(
        self,
        *,
        burst: int = BURST,
        per_minute: int = PER_MINUTE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._burst = burst
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def check(self, key: tuple[str, str]) -> Verdict:
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(tokens=float(self._burst), updated=now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.HANDLE
        if now - bucket.warned_at >= WARN_EVERY_SECONDS:
            bucket.warned_at = now
            return Verdict.WARN
        return Verdict.DROP

    def seconds_until_free(self, key: tuple[str, str]) -> float:
        """How long until ``key`` may send one more message (0 when it may now)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = bucket.tokens + (self._clock() - bucket.updated) * self._rate
        return max(0.0, (1 - tokens) / self._rate)

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold nothing a fresh one would not."""
        self._buckets = {
            key: b
            for key, b in self._buckets.items()
            if b.tokens + (now - b.updated) * self._rate < self._burst
        }
