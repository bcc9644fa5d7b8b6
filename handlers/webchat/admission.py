"""Who may open a web chat session, and how many photos a session and an address may send.

The per-address limit is there to stop one machine opening thousands of sessions, not to
turn away a school class or a library's public network: it counts *new* sessions (a session
this instance has not seen lately), not messages, and is sized for hundreds a minute. One
person's messages are limited per session by the flood gate instead. Counts live in the
database (``storage.rate_limits``), so the limit holds for the whole deployment, however
many instances serve it. Addresses and sessions are counted by an HMAC, never in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from storage import rate_limits
from storage.engine import transaction
from storage.rate_limits import Hit, Limit

# Sessions this instance has admitted lately: their messages skip the database count.
KNOWN_SESSIONS = 100_000


@dataclass(frozen=True)
class AdmissionLimits:
    new_sessions_per_address_per_minute: int
    uploads_per_session_per_hour: int
    uploads_per_address_per_hour: int


class Admission:
    def __init__(
        self,
        *,
        database: Engine,
        key: bytes,
        limits: AdmissionLimits,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._database = database
        self._key = key
        self._sessions = Limit(limits.new_sessions_per_address_per_minute, 60, buckets=6)
        self._uploads_per_session = Limit(limits.uploads_per_session_per_hour, 3600, buckets=12)
        self._uploads_per_address = Limit(limits.uploads_per_address_per_hour, 3600, buckets=12)
        self._clock = clock
        self._known: OrderedDict[str, None] = OrderedDict()

    def _digest(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:40]

    def is_known(self, session: str) -> bool:
        """A session admitted lately: no count needed (cheap, on the event loop)."""
        if session in self._known:
            self._known.move_to_end(session)
            return True
        return False

    def count_new_session(self, *, address: str) -> Hit:
        """Count a new session for its address; blocking (run it in a worker thread)."""
        return self._hit(f"ws:{self._digest('address', address)}", self._sessions)

    def remember(self, session: str) -> None:
        """The session was admitted (on the event loop, like ``is_known``)."""
        self._known[session] = None
        if len(self._known) > KNOWN_SESSIONS:
            self._known.popitem(last=False)

    def admit_upload(self, *, session: str, address: str) -> Hit:
        """Count a photo upload for its session and its address; blocking."""
        now = self._clock()
        with transaction(self._database) as connection:
            for key, limit in (
                (f"us:{self._digest('session', session)}", self._uploads_per_session),
                (f"ua:{self._digest('address', address)}", self._uploads_per_address),
            ):
                hit = rate_limits.hit(connection=connection, key=key, limit=limit, now=now)
                if not hit.allowed:
                    return hit
        return hit

    def _hit(self, key: str, limit: Limit) -> Hit:
        with transaction(self._database) as connection:
            return rate_limits.hit(connection=connection, key=key, limit=limit, now=self._clock())
