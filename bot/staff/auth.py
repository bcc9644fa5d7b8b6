"""Sign-in for staff: argon2 password hashes, database sessions, throttling, time-outs.

The cookie holds a random token; the database keeps only its SHA-256, so a copy of the
database signs nobody in. A session ends after ``idle`` without requests or ``absolute``
after sign-in, whichever comes first.

Throttling counts each attempt *before* its password is checked, atomically in the database
(``storage.rate_limits``), and takes it back only once the password proved right: however
many attempts arrive at once, at most the limit's number of passwords are checked. Limits:
five attempts in 15 minutes for one account from one address (then even the right password
waits); more from one address for all accounts together (one machine trying many); and for
one account from everywhere a much higher ceiling beyond which attempts are slowed to one
every few seconds rather than refused — so that nobody can lock a staff member out from
elsewhere, while guessing stays hopelessly slow.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Engine

from storage import rate_limits, staff
from storage.engine import transaction
from storage.rate_limits import Hit, Limit
from storage.staff_tables import AuditAction, Role

THROTTLE_SECONDS = 15 * 60
ADDRESS_CEILING = 30  # attempts from one address, all accounts together, in 15 minutes
ACCOUNT_CEILING = 50  # attempts for one account, all addresses together, in 15 minutes
SLOWED_SECONDS = 10  # beyond the account's ceiling: one attempt this often
# Checked against when the e-mail is unknown, so a wrong address costs the same time.
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@dataclass(frozen=True)
class StaffUser:
    """The signed-in staff member of one request."""

    account_id: int
    email: str
    role: Role
    csrf_token: str
    token_hash: str


@dataclass(frozen=True)
class SignedIn:
    token: str  # for the cookie; never stored
    user: StaffUser


class Throttled(Exception):
    """Too many failed sign-ins: wait ``retry_after`` seconds before trying again;
    ``slowed`` when the account is being guessed from everywhere (a short wait)."""

    def __init__(self, retry_after: float, *, slowed: bool = False) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.slowed = slowed


@dataclass(frozen=True)
class _Counted:
    """The limits one attempt was counted against, to take it back if the password is right."""

    hits: tuple[tuple[str, Hit], ...]


class WrongCredentials(Exception):
    """The e-mail address or the password was wrong (which one is not said)."""


class SessionManager:
    def __init__(
        self,
        *,
        database: Engine,
        idle: timedelta,
        absolute: timedelta,
        max_failures: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        verify: Callable[[str, str], bool] | None = None,
    ) -> None:
        self._database = database
        self._idle = idle
        self._absolute = absolute
        # Counted per minute: "five in the last 15 minutes" to the minute.
        self._pair = Limit(max_failures, THROTTLE_SECONDS, buckets=15)
        self._address = Limit(ADDRESS_CEILING, THROTTLE_SECONDS, buckets=15)
        self._account = Limit(ACCOUNT_CEILING, THROTTLE_SECONDS, buckets=15)
        self._slowed = Limit(1, SLOWED_SECONDS)  # one in each ten seconds
        self.clock = clock
        self._verify = verify or _verified  # the password check (argon2)

    def _count(self, email: str, address: str) -> _Counted:
        """Count the attempt against every limit it falls under, or raise Throttled (and
        then count it nowhere: the transaction is rolled back)."""
        account, origin = _digest(f"email:{email}"), _digest(f"address:{address}")
        pair = _digest(f"pair:{email}\x00{address}")
        now = self.clock()
        counted: list[tuple[str, Hit]] = []
        with transaction(self._database) as connection:
            for key, limit in (
                (f"login-pair:{pair}", self._pair),
                (f"login-address:{origin}", self._address),
                (f"login-account:{account}", self._account),
            ):
                hit = rate_limits.hit(connection=connection, key=key, limit=limit, now=now)
                if hit.allowed:
                    counted.append((key, hit))
                    continue
                if limit is not self._account:
                    raise Throttled(hit.retry_after)
                # Guessed from everywhere: slowed to one attempt per account every few seconds.
                slowed = rate_limits.hit(
                    connection=connection, key=f"login-slow:{account}", limit=self._slowed, now=now
                )
                if not slowed.allowed:
                    raise Throttled(slowed.retry_after, slowed=True)
        return _Counted(hits=tuple(counted))

    def _take_back(self, counted: _Counted) -> None:
        """The password was right: the attempt was no failure."""
        with transaction(self._database) as connection:
            for key, hit in counted.hits:
                rate_limits.undo(connection=connection, key=key, hit=hit)

    def sign_in(self, *, email: str, password: str, address: str) -> SignedIn:
        email = email.strip().lower()
        counted = self._count(email, address)
        with transaction(self._database) as connection:
            account = staff.account_by_email(connection=connection, email=email)
        verified = self._verify(account.password_hash if account else _DUMMY_HASH, password)
        if account is None or not account.active or not verified:
            raise WrongCredentials
        self._take_back(counted)
        now = self.clock()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with transaction(self._database) as connection:
            if _HASHER.check_needs_rehash(account.password_hash):
                staff.set_password_hash(
                    connection=connection,
                    account_id=account.id,
                    password_hash=hash_password(password),
                )
            staff.open_session(
                connection=connection,
                account_id=account.id,
                token_hash=_digest(token),
                csrf_token=csrf,
                now=now,
            )
            staff.audit(
                connection=connection, account_id=account.id, action=AuditAction.SIGN_IN, now=now
            )
        user = StaffUser(account.id, account.email, account.role, csrf, _digest(token))
        return SignedIn(token=token, user=user)

    def resolve(self, token: str | None) -> StaffUser | None:
        """The user behind a session cookie, or None if it is unknown, ended or timed out."""
        if not token:
            return None
        now = self.clock()
        token_hash = _digest(token)
        with transaction(self._database) as connection:
            row = staff.session_by_hash(connection=connection, token_hash=token_hash)
            if row is None:
                return None
            expired = (
                now - row.last_seen_at > self._idle
                or now - row.created_at > self._absolute
                or not row.account.active
            )
            if expired:
                staff.close_session(connection=connection, token_hash=token_hash)
                return None
            staff.touch_session(connection=connection, token_hash=token_hash, now=now)
        account = row.account
        return StaffUser(account.id, account.email, account.role, row.csrf_token, token_hash)

    def sign_out(self, user: StaffUser) -> None:
        with transaction(self._database) as connection:
            staff.close_session(connection=connection, token_hash=user.token_hash)
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.SIGN_OUT,
                now=self.clock(),
            )


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
