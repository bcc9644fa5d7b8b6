"""Sign-in for staff: argon2 password hashes, database sessions, throttling, time-outs.

The cookie holds a random token; the database keeps only its SHA-256, so a copy of the
database signs nobody in. A session ends after ``idle`` without requests or ``absolute``
after sign-in, whichever comes first. Five failures within 15 minutes for one account or
one address make the next attempts wait, whether or not the password is right.
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

from storage import staff
from storage.engine import transaction
from storage.staff_tables import Role

THROTTLE_WINDOW = timedelta(minutes=15)
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
    """Too many failed sign-ins: wait before trying again."""


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
    ) -> None:
        self._database = database
        self._idle = idle
        self._absolute = absolute
        self._max_failures = max_failures
        self.clock = clock

    def sign_in(self, *, email: str, password: str, address: str) -> SignedIn:
        now = self.clock()
        subjects = [_digest(f"email:{email.strip().lower()}"), _digest(f"address:{address}")]
        with transaction(self._database) as connection:
            since = now - THROTTLE_WINDOW
            for subject in subjects:
                count = staff.failures_since(connection=connection, subject=subject, since=since)
                if count >= self._max_failures:
                    raise Throttled
            account = staff.account_by_email(connection=connection, email=email)
        verified = _verified(account.password_hash if account else _DUMMY_HASH, password)
        if account is None or not account.active or not verified:
            with transaction(self._database) as connection:
                staff.record_failure(connection=connection, subjects=subjects, now=now)
                staff.forget_old_failures(connection=connection, before=now - THROTTLE_WINDOW)
            raise WrongCredentials
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
            staff.audit(connection=connection, account_id=account.id, action="sign_in", now=now)
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
                action="sign_out",
                now=self.clock(),
            )


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
