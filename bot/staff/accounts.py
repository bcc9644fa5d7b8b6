"""Staff accounts for admins: list, add with a one-time password, change role, deactivate."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.access import Permission
from bot.staff.audit_words import described
from bot.staff.auth import StaffUser, hash_password
from bot.staff.web import Form, RowId, area_of, language_of, render, require
from locales import N_
from storage import staff
from storage.engine import transaction
from storage.staff_tables import LEAST_ROLE, AuditAction, Role

Admin = Annotated[StaffUser, require(Permission.MANAGE_ACCOUNTS)]

ROLE_LABELS = {
    Role.ADMIN: N_("Admin: everything, and staff accounts"),
    Role.MODERATOR: N_("Moderator: ideas, polls, places"),
    Role.OUTREACH: N_("Outreach worker: conversations, contact requests, places"),
    Role.VIEWER: N_("Viewer: figures only"),
}
BAD_EMAIL = N_("Write a valid e-mail address.")
TAKEN = N_("There is an account with this e-mail address already.")
NOT_YOURSELF = N_("You cannot take away your own admin rights.")


def generated_password() -> str:
    return secrets.token_urlsafe(12)


def accounts_router() -> APIRouter:
    router = APIRouter()

    def _page(request: Request, user: StaffUser, **extra: str) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            rows = staff.accounts(connection=connection)
            trail = staff.audit_trail(connection=connection, limit=50)
        translator = area.translators[language_of(request)]
        return render(
            request,
            "accounts.html",
            user=user,
            rows=rows,
            roles=ROLE_LABELS,
            new_role=LEAST_ROLE,
            trail=[(line, described(line, translator)) for line in trail],
            problem=extra.get("problem"),
            created=extra.get("created"),
            password=extra.get("password"),
        )

    @router.get("/staff/accounts", response_class=HTMLResponse)
    def account_list(request: Request, user: Admin) -> HTMLResponse:
        return _page(request, user)

    @router.post("/staff/accounts", response_model=None)
    def add(request: Request, user: Admin, form: Form) -> Response:
        area = area_of(request)
        email = form.get("email", "").strip().lower()
        try:
            role = Role(form.get("role", ""))
        except ValueError:
            role = Role.VIEWER
        if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
            return _page(request, user, problem=BAD_EMAIL)
        password = generated_password()
        now = datetime.now(UTC)
        try:
            with transaction(area.database) as connection:
                account_id = staff.add_account(
                    connection=connection,
                    email=email,
                    role=role,
                    password_hash=hash_password(password),
                    now=now,
                )
                staff.audit(
                    connection=connection,
                    account_id=user.account_id,
                    action=AuditAction.ADD_ACCOUNT,
                    target=f"account:{account_id}",
                    now=now,
                )
        except staff.EmailTaken:
            return _page(request, user, problem=TAKEN)
        # Shown once, on this page only: it is never stored in clear.
        return _page(request, user, created=email, password=password)

    @router.post("/staff/accounts/{account_id}", response_model=None)
    def change(request: Request, account_id: RowId, user: Admin, form: Form) -> Response:
        area = area_of(request)
        try:
            role = Role(form.get("role", ""))
        except ValueError:
            role = None
        active = form.get("active") == "on"
        if account_id == user.account_id and (role not in (None, Role.ADMIN) or not active):
            return _page(request, user, problem=NOT_YOURSELF)
        now = datetime.now(UTC)
        with transaction(area.database) as connection:
            staff.set_account(
                connection=connection, account_id=account_id, role=role, active=active
            )
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.CHANGE_ACCOUNT,
                target=f"account:{account_id}",
                now=now,
            )
        return RedirectResponse("/staff/accounts", status_code=303)

    return router
