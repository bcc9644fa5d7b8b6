"""Polls in the staff area: list, create, results with the small-group rule, close early."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.poll_form import (
    MAX_QUESTIONS,
    VISIBILITIES,
    FormProblems,
    form_values,
    local_time,
    read_poll_form,
)
from bot.staff.web import Form, RowId, Staff, area_of, audited, render, require
from dialogs.domain.results import hidden_options
from locales import N_
from storage import poll_admin, polls, staff
from storage.engine import transaction
from storage.staff_tables import AuditAction

Manager = Annotated[StaffUser, require(Permission.MANAGE_POLLS)]

NOT_FOUND = N_("This poll was not found.")
ANSWERED = N_(
    "This poll has answers already, so its questions stay as they were answered. You can still change its times or close it."
)
VISIBILITY_LABELS = {
    "after_voting": N_("To those who answered"),
    "after_closing": N_("To everyone after closing"),
    "staff_only": N_("To staff only"),
}


def polls_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/polls", response_class=HTMLResponse)
    def poll_list(request: Request, user: Staff) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            rows = poll_admin.list_polls(connection=connection)
        return render(request, "polls.html", user=user, rows=rows, now=datetime.now(UTC))

    @router.get("/staff/polls/new", response_class=HTMLResponse)
    def new_poll(request: Request, user: Manager) -> HTMLResponse:
        return _form_page(request, user, values={}, problems=())

    def _form_page(
        request: Request,
        user: StaffUser,
        *,
        values: dict[str, str],
        problems: tuple[str, ...],
        status_code: int = 200,
        poll_id: int | None = None,
    ) -> HTMLResponse:
        return render(
            request,
            "poll_form.html",
            user=user,
            values=values,
            problems=problems,
            poll_id=poll_id,
            questions=range(1, MAX_QUESTIONS + 1),
            visibilities={v: VISIBILITY_LABELS[v] for v in VISIBILITIES},
            status_code=status_code,
        )

    @router.post("/staff/polls", response_model=None)
    def create(request: Request, user: Manager, form: Form) -> Response:
        area = area_of(request)
        draft = read_poll_form(form, ZoneInfo(area.settings.timezone))
        if isinstance(draft, FormProblems):
            values = {k: v for k, v in form.items() if k != "csrf"}
            return _form_page(
                request, user, values=values, problems=draft.messages, status_code=422
            )
        now = datetime.now(UTC)
        with transaction(area.database) as connection:
            poll_id = poll_admin.create_poll(connection=connection, draft=draft, now=now)
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.CREATE_POLL,
                target=f"poll:{poll_id}",
                now=now,
            )
        return RedirectResponse(f"/staff/polls/{poll_id}?done=created", status_code=303)

    @router.get("/staff/polls/{poll_id}", response_class=HTMLResponse)
    def poll_page(
        request: Request, poll_id: RowId, user: Staff, done: str | None = None
    ) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            poll = polls.get_poll(connection=connection, poll_id=poll_id)
            counted = polls.results(connection=connection, poll_id=poll_id)
        if poll is None:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        hidden = {question.id: hidden_options(question, counted) for question in poll.questions}
        return render(
            request,
            "poll.html",
            user=user,
            poll=poll,
            counted=counted,
            hidden=hidden,
            enough=counted.respondents >= 5,
            now=datetime.now(UTC),
            done=done,
            zone=ZoneInfo(area.settings.timezone),
        )

    @router.get("/staff/polls/{poll_id}/edit", response_class=HTMLResponse)
    def edit_poll(request: Request, poll_id: RowId, user: Manager) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            poll = polls.get_poll(connection=connection, poll_id=poll_id)
            answered = polls.results(connection=connection, poll_id=poll_id).respondents > 0
        if poll is None or answered:
            message = NOT_FOUND if poll is None else ANSWERED
            status = 404 if poll is None else 409
            return render(request, "message.html", user=user, message=message, status_code=status)
        values = form_values(poll, ZoneInfo(area.settings.timezone))
        return _form_page(request, user, values=values, problems=(), poll_id=poll_id)

    @router.post("/staff/polls/{poll_id}/edit", response_model=None)
    def save_poll(request: Request, poll_id: RowId, user: Manager, form: Form) -> Response:
        area = area_of(request)
        draft = read_poll_form(form, ZoneInfo(area.settings.timezone))
        if isinstance(draft, FormProblems):
            values = {k: v for k, v in form.items() if k != "csrf"}
            return _form_page(
                request,
                user,
                values=values,
                problems=draft.messages,
                status_code=422,
                poll_id=poll_id,
            )
        now = datetime.now(UTC)
        with transaction(area.database) as connection:
            replaced = poll_admin.replace_unanswered(
                connection=connection, poll_id=poll_id, draft=draft
            )
            if replaced:
                staff.audit(
                    connection=connection,
                    account_id=user.account_id,
                    action=AuditAction.EDIT_POLL,
                    target=f"poll:{poll_id}",
                    now=now,
                )
        if not replaced:
            return render(request, "message.html", user=user, message=ANSWERED, status_code=409)
        return RedirectResponse(f"/staff/polls/{poll_id}?done=edited", status_code=303)

    @router.post("/staff/polls/{poll_id}/schedule", response_model=None)
    def schedule(request: Request, poll_id: RowId, user: Manager, form: Form) -> Response:
        area = area_of(request)
        zone = ZoneInfo(area.settings.timezone)
        opens, closes = (
            local_time(form.get("opens", ""), zone),
            local_time(form.get("closes", ""), zone),
        )
        if opens is None or closes is None or closes <= opens:
            message = N_("The poll must close after it opens.")
            return render(request, "message.html", user=user, message=message, status_code=422)
        with audited(area, user, AuditAction.SCHEDULE_POLL, target=f"poll:{poll_id}") as connection:
            found = poll_admin.reschedule(
                connection=connection, poll_id=poll_id, opens_at=opens, closes_at=closes
            )
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return RedirectResponse(f"/staff/polls/{poll_id}?done=scheduled", status_code=303)

    @router.post("/staff/polls/{poll_id}/close", response_model=None)
    def close(request: Request, poll_id: RowId, user: Manager, form: Form) -> Response:
        area = area_of(request)
        now = datetime.now(UTC)
        with audited(area, user, AuditAction.CLOSE_POLL, target=f"poll:{poll_id}") as connection:
            found = poll_admin.close_now(connection=connection, poll_id=poll_id, now=now)
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return RedirectResponse(f"/staff/polls/{poll_id}?done=closed", status_code=303)

    return router
