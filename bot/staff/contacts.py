"""Contact requests for outreach workers: the list, marking contacted or closed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.reports.labels import CONTACT_METHOD_LABELS, CONTACT_STATUS_LABELS
from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.web import Form, RowId, area_of, audited, render, require
from locales import N_
from storage import contacts, staff
from storage.domain_tables import ContactStatus
from storage.engine import transaction
from storage.staff_tables import AuditAction

Outreach = Annotated[StaffUser, require(Permission.HANDLE_CONTACTS)]

NOT_FOUND = N_("This contact request was not found. It may have been deleted.")


def contacts_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/contacts", response_class=HTMLResponse)
    def contact_list(request: Request, user: Outreach, status: str | None = None) -> HTMLResponse:
        area = area_of(request)
        wanted = status if status in set(ContactStatus) else None
        with transaction(area.database) as connection:
            rows = contacts.list_contacts(connection=connection, status=wanted)
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.VIEW_CONTACTS,
                rows=len(rows),
                now=datetime.now(UTC),
            )
        keep = timedelta(days=area.settings.retention_handled_contact_days)
        return render(
            request,
            "contacts.html",
            user=user,
            rows=rows,
            status=wanted or "",
            statuses=CONTACT_STATUS_LABELS,
            methods=CONTACT_METHOD_LABELS,
            deleted_on=lambda row: row.handled_at + keep if row.handled_at else None,
            keep_days=area.settings.retention_handled_contact_days,
        )

    @router.post("/staff/contacts/{contact_id}/status", response_model=None)
    def change(request: Request, contact_id: RowId, user: Outreach, form: Form) -> Response:
        area = area_of(request)
        try:
            status = ContactStatus(form.get("status", ""))
        except ValueError:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=400)
        with audited(
            area, user, AuditAction.CONTACT_STATUS, detail=status, target=f"contact:{contact_id}"
        ) as connection:
            found = contacts.set_contact_status(
                connection=connection, contact_id=contact_id, status=status, now=datetime.now(UTC)
            )
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return RedirectResponse("/staff/contacts", status_code=303)

    return router
