"""Places and services in the staff area: list with use counts, edit hours and contacts, import."""

from __future__ import annotations

import secrets
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.places_import import PlacesFileError, import_places
from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.hours_form import CLOSED, DAY_NAMES, form_from_hours, hours_from_form
from bot.staff.web import (
    BadForm,
    Form,
    RowId,
    area_of,
    audited,
    render,
    require,
    translator_of,
)
from locales import N_
from storage import places, staff
from storage.engine import transaction
from storage.staff_tables import AuditAction

Reader = Annotated[StaffUser, require(Permission.SEE_PLACES)]
Editor = Annotated[StaffUser, require(Permission.MANAGE_PLACES)]

NOT_FOUND = N_("This place was not found.")
BAD_HOURS = N_("Check the opening hours: write them like 10-16 or 9.00-12.00, 13.00-16.00.")
BAD_WEB = N_("The web address must start with https:// or http://.")
USE_DAYS = 30
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _optional(value: str, limit: int) -> str | None:
    value = value.strip()[:limit]
    return value or None


def places_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/places", response_class=HTMLResponse)
    def place_list(request: Request, user: Reader) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            rows = places.staff_listing(
                connection=connection, since=date.today() - timedelta(days=USE_DAYS)
            )
        return render(request, "places.html", user=user, rows=rows, days=USE_DAYS, report=None)

    @router.post("/staff/places/import", response_model=None)
    async def import_file(request: Request, user: Editor) -> Response:
        area = area_of(request)
        form = await request.form()
        upload = form.get("file")
        token = form.get("csrf")
        if not isinstance(token, str) or not secrets.compare_digest(token, user.csrf_token):
            raise BadForm
        if upload is None or isinstance(upload, str):
            message = N_("Choose a file to import.")
            return render(request, "message.html", user=user, message=message, status_code=422)
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        suffix = Path(upload.filename or "places.yaml").suffix.lower()
        if len(data) > MAX_IMPORT_BYTES or suffix not in (".json", ".yaml", ".yml"):
            message = N_("Import a YAML or JSON file of at most 5 MB.")
            return render(request, "message.html", user=user, message=message, status_code=422)
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / f"upload{suffix}"
            path.write_bytes(data)
            try:
                report = import_places(area.database, path)
            except (PlacesFileError, UnicodeDecodeError) as error:
                return render(
                    request,
                    "import.html",
                    user=user,
                    report=None,
                    error=str(error),
                    status_code=422,
                )
        with transaction(area.database) as connection:
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.IMPORT_PLACES,
                rows=report.created + report.updated,
                now=datetime.now(UTC),
            )
        return render(request, "import.html", user=user, report=report, error=None)

    def _edit_page(
        request: Request,
        user: StaffUser,
        place_id: int,
        *,
        fields: dict[str, str] | None = None,
        problem: str | None = None,
        done: str | None = None,
    ) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            found = places.place_for_edit(connection=connection, place_id=place_id)
        if found is None:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        place, meta = found
        shown = fields or {
            **form_from_hours(place.hours, closed_word=translator_of(request).gettext(CLOSED)),
            "phone": place.phone or "",
            "email": place.email or "",
            "web": place.web or "",
        }
        return render(
            request,
            "place.html",
            user=user,
            place=place,
            meta=meta,
            fields=shown,
            days=DAY_NAMES,
            holidays_open=bool(place.hours.get("open_on_public_holidays")),
            problem=problem,
            done=done,
            status_code=422 if problem else 200,
        )

    @router.get("/staff/places/{place_id}", response_class=HTMLResponse)
    def place_page(
        request: Request, place_id: RowId, user: Reader, done: str | None = None
    ) -> HTMLResponse:
        return _edit_page(request, user, place_id, done=done)

    @router.post("/staff/places/{place_id}", response_model=None)
    def save(request: Request, place_id: RowId, user: Editor, form: Form) -> Response:
        area = area_of(request)
        hours = hours_from_form(form, holidays_open=form.get("holidays_open") == "on")
        web = _optional(form.get("web", ""), 500)
        fields = {k: v for k, v in form.items() if k != "csrf"}
        if not isinstance(hours, dict):
            return _edit_page(request, user, place_id, fields=fields, problem=BAD_HOURS)
        if web and not web.lower().startswith(("https://", "http://")):
            return _edit_page(request, user, place_id, fields=fields, problem=BAD_WEB)
        now = datetime.now(UTC)
        edit = places.PlaceEdit(
            hours=hours,
            phone=_optional(form.get("phone", ""), 40),
            email=_optional(form.get("email", ""), 254),
            web=web,
            active=form.get("active") == "on",
            verified_on=now.date() if form.get("verified") == "on" else None,
        )
        with audited(area, user, AuditAction.EDIT_PLACE, target=f"place:{place_id}") as connection:
            found = places.edit_place(connection=connection, place_id=place_id, edit=edit, now=now)
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return RedirectResponse(f"/staff/places/{place_id}?done=saved", status_code=303)

    return router
