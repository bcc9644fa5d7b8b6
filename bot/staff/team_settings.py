"""What the team keeps for its conversations: service hours and saved replies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.hours_form import CLOSED, DAY_NAMES, HoursProblem, form_from_hours, hours_from_form
from bot.staff.web import Form, RowId, area_of, audited, render, require, translator_of
from locales import N_, RESIDENT_LANGUAGES
from locales.languages import named
from storage import saved_replies, service_hours
from storage.staff_tables import AuditAction

Outreach = Annotated[StaffUser, require(Permission.TALK_WITH_RESIDENTS)]

BAD_HOURS = N_("These hours could not be read. Check the field shown below.")
EMPTY_REPLY = N_("Write the reply first.")


def team_settings_router() -> APIRouter:
    router = APIRouter()

    def _hours_page(
        request: Request,
        user: StaffUser,
        *,
        fields: dict[str, str] | None = None,
        holidays_open: bool | None = None,
        problem: str | None = None,
        done: str | None = None,
    ) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            hours = service_hours.load(connection=connection)
        return render(
            request,
            "service_hours.html",
            user=user,
            days=DAY_NAMES,
            fields=fields
            if fields is not None
            else form_from_hours(hours, closed_word=translator_of(request).gettext(CLOSED)),
            holidays_open=hours.get("open_on_public_holidays", False)
            if holidays_open is None
            else holidays_open,
            problem=problem,
            done=done,
            status_code=422 if problem else 200,
        )

    @router.get("/staff/service-hours", response_class=HTMLResponse)
    def hours_page(request: Request, user: Outreach, done: str | None = None) -> HTMLResponse:
        return _hours_page(request, user, done=done)

    @router.post("/staff/service-hours", response_model=None)
    def save_hours(request: Request, user: Outreach, form: Form) -> Response:
        holidays_open = form.get("holidays_open") == "on"
        hours = hours_from_form(form, holidays_open=holidays_open)
        if isinstance(hours, HoursProblem):
            return _hours_page(
                request, user, fields=dict(form), holidays_open=holidays_open, problem=BAD_HOURS
            )
        with audited(area_of(request), user, AuditAction.SERVICE_HOURS) as connection:
            service_hours.save(connection=connection, hours=hours, now=datetime.now(UTC))
        return RedirectResponse("/staff/service-hours?done=saved", status_code=303)

    def _replies_page(
        request: Request, user: StaffUser, *, problem: str | None = None
    ) -> HTMLResponse:
        with area_of(request).database.connect() as connection:
            rows = saved_replies.for_language(connection=connection)
        return render(
            request,
            "saved_replies.html",
            user=user,
            rows=rows,
            language_names=named(RESIDENT_LANGUAGES),
            problem=problem,
            status_code=422 if problem else 200,
        )

    @router.get("/staff/saved-replies", response_class=HTMLResponse)
    def replies_page(request: Request, user: Outreach) -> HTMLResponse:
        return _replies_page(request, user)

    @router.post("/staff/saved-replies", response_model=None)
    def add_reply(request: Request, user: Outreach, form: Form) -> Response:
        text = form.get("text", "").strip()
        language = form.get("language", "")
        if not text or language not in RESIDENT_LANGUAGES:
            return _replies_page(request, user, problem=EMPTY_REPLY)
        with audited(area_of(request), user, AuditAction.ADD_SAVED_REPLY) as connection:
            saved_replies.add(
                connection=connection, language=language, text=text, now=datetime.now(UTC)
            )
        return RedirectResponse("/staff/saved-replies", status_code=303)

    @router.post("/staff/saved-replies/{reply_id}/delete", response_model=None)
    def delete_reply(request: Request, reply_id: RowId, user: Outreach, _form: Form) -> Response:
        with audited(
            area_of(request), user, AuditAction.DELETE_SAVED_REPLY, target=f"reply:{reply_id}"
        ) as c:
            saved_replies.remove(connection=c, reply_id=reply_id)
        return RedirectResponse("/staff/saved-replies", status_code=303)

    return router
