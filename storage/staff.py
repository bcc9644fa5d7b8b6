"""Staff accounts, their sessions and the audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.staff_tables import AuditAction, Role, account_t, audit_t, session_t


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: Role
    active: bool
    password_hash: str
    last_login_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    account: Account
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime


class EmailTaken(Exception):
    """An account with this e-mail address exists already."""


def _account(row: sa.Row[Any]) -> Account:
    return Account(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        active=row.active,
        password_hash=row.password_hash,
        last_login_at=row.last_login_at,
    )


def add_account(
    *, connection: Connection, email: str, role: Role, password_hash: str, now: datetime
) -> int:
    email = email.strip().lower()
    exists = connection.execute(sa.select(account_t.c.id).where(account_t.c.email == email))
    if exists.first() is not None:
        raise EmailTaken(email)
    result = connection.execute(
        sa.insert(account_t).values(
            email=email, password_hash=password_hash, role=role, active=True, created_at=now
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def account_by_email(*, connection: Connection, email: str) -> Account | None:
    row = connection.execute(
        sa.select(account_t).where(account_t.c.email == email.strip().lower())
    ).first()
    return _account(row) if row else None


def accounts(*, connection: Connection) -> list[Account]:
    rows = connection.execute(sa.select(account_t).order_by(account_t.c.email))
    return [_account(row) for row in rows]


def set_account(
    *, connection: Connection, account_id: int, role: Role | None = None, active: bool | None = None
) -> None:
    values: dict[str, object] = {}
    if role is not None:
        values["role"] = role
    if active is not None:
        values["active"] = active
    if values:
        connection.execute(sa.update(account_t).where(account_t.c.id == account_id).values(values))
    if active is False:  # a deactivated account is signed out everywhere at once
        connection.execute(sa.delete(session_t).where(session_t.c.account_id == account_id))


def set_display_name(*, connection: Connection, account_id: int, name: str | None) -> None:
    """How residents see this staff member's messages ("Terhi, Yhdessä osallistuen")."""
    connection.execute(
        sa.update(account_t).where(account_t.c.id == account_id).values(display_name=name)
    )


def set_password_hash(*, connection: Connection, account_id: int, password_hash: str) -> None:
    connection.execute(
        sa.update(account_t).where(account_t.c.id == account_id).values(password_hash=password_hash)
    )


def open_session(
    *, connection: Connection, account_id: int, token_hash: str, csrf_token: str, now: datetime
) -> None:
    connection.execute(
        sa.insert(session_t).values(
            token_hash=token_hash,
            account_id=account_id,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
        )
    )
    connection.execute(
        sa.update(account_t).where(account_t.c.id == account_id).values(last_login_at=now)
    )


def session_by_hash(*, connection: Connection, token_hash: str) -> SessionRow | None:
    row = connection.execute(
        sa.select(
            account_t,
            session_t.c.csrf_token,
            session_t.c.created_at.label("session_created_at"),
            session_t.c.last_seen_at,
        )
        .join(account_t, account_t.c.id == session_t.c.account_id)
        .where(session_t.c.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    return SessionRow(
        account=_account(row),
        csrf_token=row.csrf_token,
        created_at=row.session_created_at,
        last_seen_at=row.last_seen_at,
    )


def touch_session(*, connection: Connection, token_hash: str, now: datetime) -> None:
    connection.execute(
        sa.update(session_t).where(session_t.c.token_hash == token_hash).values(last_seen_at=now)
    )


def close_session(*, connection: Connection, token_hash: str) -> None:
    connection.execute(sa.delete(session_t).where(session_t.c.token_hash == token_hash))


def audit(
    *,
    connection: Connection,
    account_id: int | None,
    action: AuditAction,
    detail: str | None = None,
    target: str | None = None,
    rows: int | None = None,
    now: datetime,
) -> None:
    stored = str(action) if detail is None else f"{action}:{detail}"
    connection.execute(
        sa.insert(audit_t).values(
            account_id=account_id, action=stored, target=target, rows=rows, at=now
        )
    )


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    email: str | None
    action: str
    target: str | None
    rows: int | None


def audit_trail(*, connection: Connection, limit: int = 200) -> list[AuditLine]:
    rows = connection.execute(
        sa.select(
            audit_t.c.at, account_t.c.email, audit_t.c.action, audit_t.c.target, audit_t.c.rows
        )
        .select_from(audit_t.outerjoin(account_t, account_t.c.id == audit_t.c.account_id))
        .order_by(audit_t.c.id.desc())
        .limit(limit)
    )
    return [AuditLine(*row) for row in rows]
