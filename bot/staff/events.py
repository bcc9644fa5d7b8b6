"""Events in the staff area. Moderators and admins create, edit and cancel them (residents
signed up are told) and mark who came; everyone with the events page sees sign-up counts
and "How was it?" under the small-group rule; the names and phones residents chose to give
the organiser are the outreach role's only, as contact requests are."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.engine import Connection

from bot.reports.export_writers import write_csv
from bot.reports.labels import CHANNEL_LABELS
from bot.staff.access import Permission, allowed
from bot.staff.auth import StaffUser
from bot.staff.event_form import AUDIENCE_LABELS, EventProblems, form_values, read_event_form
from bot.staff.web import Form, RowId, area_of, audited, render, require, translator_of
from dialogs.domain.small_groups import SMALL_GROUP, one_way
from dialogs.flows import event_notices
from dialogs.flows.event_notices import FACES
from locales import N_, Translators
from storage import event_admin, event_feedback, event_signup_reads, event_signups, events, places
from storage.event_series import expand_series
from storage.event_tables import EventStatus
from storage.events import EventListing, upsert_event
from storage.staff_tables import AuditAction

Viewer = Annotated[StaffUser, require(Permission.SEE_EVENTS)]
Manager = Annotated[StaffUser, require(Permission.MANAGE_EVENTS)]

PAST_SHOWN = timedelta(days=14)  # the list keeps two weeks back, for attendance
NOT_FOUND = N_("This event was not found.")
NOT_EDITABLE = N_(
    "This event comes from an events feed and follows it: it can be cancelled here, not edited."
)
STATUS_LABELS = {
    EventStatus.SCHEDULED: N_("On"),
    EventStatus.CANCELLED: N_("Cancelled"),
    EventStatus.POSTPONED: N_("Postponed"),
}
EXPORT_HEADERS = (
    N_("Number"),
    N_("State"),
    N_("Channel"),
    N_("Signed up at"),
    N_("Came"),
    N_("Name"),
    N_("Phone"),
)
SIGNUP_STATES = {"confirmed": N_("Has a place"), "waiting": N_("Waiting list")}


def _tell(
    connection: Connection,
    translators: Translators,
    event: EventListing,
    participant_ids: list[int],
    word: Any,
) -> None:
    event_notices.tell(
        connection=connection,
        translators=translators,
        event=event,
        participant_ids=participant_ids,
        word=word,
        now=datetime.now(UTC),
    )


def events_router() -> APIRouter:
    router = APIRouter()

    def _zone(request: Request) -> ZoneInfo:
        return ZoneInfo(area_of(request).settings.timezone)

    def _place_names(connection: Connection) -> dict[int, dict[str, str]]:
        return dict(places.place_names(connection=connection).names)

    def _form_page(
        request: Request,
        user: StaffUser,
        *,
        event_id: int | None,
        values: dict[str, str],
        problems: tuple[str, ...] = (),
        status_code: int = 200,
    ) -> HTMLResponse:
        with area_of(request).database.connect() as connection:
            names = _place_names(connection)
        return render(
            request,
            "event_form.html",
            user=user,
            event_id=event_id,
            values=values,
            problems=problems,
            places=names,
            audiences=AUDIENCE_LABELS,
            status_code=status_code,
        )

    @router.get("/staff/events", response_class=HTMLResponse)
    def event_list(request: Request, user: Viewer, done: str | None = None) -> HTMLResponse:
        now = datetime.now(UTC)
        with area_of(request).database.connect() as connection:
            rows = event_admin.staff_list(connection=connection, since=now - PAST_SHOWN)
            counts = event_signup_reads.counts_by_event(
                connection=connection, event_ids=[row.id for row in rows]
            )
        return render(
            request,
            "events.html",
            user=user,
            rows=rows,
            counts=counts,
            statuses=STATUS_LABELS,
            now=now,
            done=done,
        )

    @router.get("/staff/events/new", response_class=HTMLResponse)
    def new_event(request: Request, user: Manager) -> HTMLResponse:
        return _form_page(request, user, event_id=None, values={"audience": "everyone"})

    @router.post("/staff/events", response_model=None)
    def create(request: Request, user: Manager, form: Form) -> Response:
        area = area_of(request)
        with area.database.connect() as connection:
            known = _place_names(connection)
        record = read_event_form(form, _zone(request), places=known, source_id=None)
        if isinstance(record, EventProblems):
            return _form_page(
                request, user, event_id=None, values=dict(form), problems=record.messages,
                status_code=422,
            )  # fmt: skip
        now = datetime.now(UTC)
        with audited(area, user, AuditAction.CREATE_EVENT) as connection:
            upsert_event(connection=connection, record=record, now=now)
            expand_series(connection=connection, now=now, zone=_zone(request))
            event_id = events.id_of(
                connection=connection, source=record.source, source_id=record.source_id
            )
        return RedirectResponse(f"/staff/events/{event_id}?done=created", 303)

    def _found(
        request: Request, event_id: int
    ) -> tuple[EventListing, event_admin.EventOrigin] | None:
        with area_of(request).database.connect() as connection:
            event = events.get_event(connection=connection, event_id=event_id)
            origin = event_admin.origin_of(connection=connection, event_id=event_id)
        return (event, origin) if event is not None and origin is not None else None

    def _missing(request: Request, user: StaffUser) -> HTMLResponse:
        return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)

    @router.get("/staff/events/{event_id}", response_class=HTMLResponse)
    def event_page(
        request: Request, event_id: RowId, user: Viewer, done: str | None = None
    ) -> HTMLResponse:
        found = _found(request, event_id)
        if found is None:
            return _missing(request, user)
        event, origin = found
        contacts = allowed(user.role, Permission.SEE_SIGNUP_CONTACTS)
        area = area_of(request)
        with area.database.connect() as connection:
            signups = event_signup_reads.signup_list(connection=connection, event_id=event_id)
            places_now = event_signups.places(connection=connection, event_id=event_id)
            faces = event_feedback.faces(connection=connection, event_id=event_id)
            coming = (
                event_admin.occurrences(
                    connection=connection, series_id=event_id, since=datetime.now(UTC)
                )
                if origin.is_series
                else []
            )
        if contacts and any(s.shared_name or s.shared_phone for s in signups):
            with audited(area, user, AuditAction.VIEW_SIGNUPS, target=f"event:{event_id}"):
                pass
        # The small-group rule, as for polls: a face chosen by one to four is hidden, and
        # so is another where its count could be worked out from the total.
        published = one_way([faces[face] for face in FACES])
        return render(
            request,
            "event.html",
            user=user,
            event=event,
            origin=origin,
            signups=signups,
            places_now=places_now,
            contacts=contacts,
            faces=[
                (label, None if n in published.hidden else published.counts[n])
                for n, label in enumerate(FACES.values())
            ],
            answered=published.total,
            faces_shown=not published.total_hidden,
            small_group=SMALL_GROUP,
            coming=coming,
            started=event.starts_at <= datetime.now(UTC),
            statuses=STATUS_LABELS,
            states=SIGNUP_STATES,
            audiences=AUDIENCE_LABELS,
            not_editable=NOT_EDITABLE,
            done=done,
        )

    @router.get("/staff/events/{event_id}/edit", response_class=HTMLResponse)
    def edit_form(request: Request, event_id: RowId, user: Manager) -> HTMLResponse:
        found = _found(request, event_id)
        if found is None:
            return _missing(request, user)
        event, origin = found
        if not origin.editable:
            return render(request, "message.html", user=user, message=NOT_EDITABLE, status_code=409)
        values = form_values(event, origin.place_id, _zone(request))
        if origin.is_series:
            values["weekly"] = "on"
        return _form_page(request, user, event_id=event_id, values=values)

    @router.post("/staff/events/{event_id}/edit", response_model=None)
    def edit(request: Request, event_id: RowId, user: Manager, form: Form) -> Response:
        area = area_of(request)
        found = _found(request, event_id)
        if found is None:
            return _missing(request, user)
        _event, origin = found
        if not origin.editable:
            return render(request, "message.html", user=user, message=NOT_EDITABLE, status_code=409)
        with area.database.connect() as connection:
            known = _place_names(connection)
        record = read_event_form(form, _zone(request), places=known, source_id=origin.source_id)
        if isinstance(record, EventProblems):
            return _form_page(
                request, user, event_id=event_id, values=dict(form), problems=record.messages,
                status_code=422,
            )  # fmt: skip
        now = datetime.now(UTC)
        target = f"event:{event_id}"
        with audited(area, user, AuditAction.EDIT_EVENT, target=target) as connection:
            upsert_event(connection=connection, record=record, now=now)
            if origin.is_series:
                event_admin.carry_to_coming(connection=connection, series_id=event_id, now=now)
                expand_series(connection=connection, now=now, zone=_zone(request))
            # More places than before: the waiting list moves up, and is told.
            for one in [
                event_id,
                *event_admin.occurrences(connection=connection, series_id=event_id, since=now),
            ]:
                promoted = event_signups.fill_places(connection=connection, event_id=one, now=now)
                listing = events.get_event(connection=connection, event_id=one)
                if promoted and listing is not None:
                    _tell(connection, area.translators, listing, promoted, event_notices.promoted)
        return RedirectResponse(f"/staff/events/{event_id}?done=saved", 303)

    @router.post("/staff/events/{event_id}/cancel", response_model=None)
    def cancel(request: Request, event_id: RowId, user: Manager, form: Form) -> Response:
        area = area_of(request)
        found = _found(request, event_id)
        if found is None:
            return _missing(request, user)
        now = datetime.now(UTC)
        with audited(
            area, user, AuditAction.CANCEL_EVENT, target=f"event:{event_id}"
        ) as connection:
            ids = [
                event_id,
                *event_admin.occurrences(connection=connection, series_id=event_id, since=now),
            ]
            event_admin.set_status(
                connection=connection, event_ids=ids, status=EventStatus.CANCELLED, now=now
            )
            for one in ids:
                listing = events.get_event(connection=connection, event_id=one)
                told = event_signup_reads.signed_up(connection=connection, event_id=one)
                if listing is not None and told:
                    _tell(connection, area.translators, listing, told, event_notices.cancelled)
        return RedirectResponse(f"/staff/events/{event_id}?done=cancelled", 303)

    @router.post("/staff/events/{event_id}/attendance", response_model=None)
    def attendance(request: Request, event_id: RowId, user: Manager, form: Form) -> Response:
        if _found(request, event_id) is None:
            return _missing(request, user)
        came = {
            int(key.removeprefix("came_"))
            for key in form
            if key.startswith("came_") and key[5:].isdigit()
        }
        target = f"event:{event_id}"
        with audited(
            area_of(request), user, AuditAction.EVENT_ATTENDANCE, target=target
        ) as connection:
            event_signups.set_attended(connection=connection, event_id=event_id, attended=came)
        return RedirectResponse(f"/staff/events/{event_id}?done=attendance", 303)

    @router.get("/staff/events/{event_id}/signups.csv", response_model=None)
    def export(request: Request, event_id: RowId, user: Viewer) -> Response:
        if _found(request, event_id) is None:
            return _missing(request, user)
        t = translator_of(request)
        contacts = allowed(user.role, Permission.SEE_SIGNUP_CONTACTS)
        area = area_of(request)
        with area.database.connect() as connection:
            signups = event_signup_reads.signup_list(connection=connection, event_id=event_id)
        zone = _zone(request)
        yes, no = t.gettext(N_("yes")), t.gettext(N_("no"))
        rows = [
            (
                number,
                t.gettext(SIGNUP_STATES[s.status]),
                CHANNEL_LABELS.get(s.channel, s.channel),
                s.queued_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                "" if s.attended is None else (yes if s.attended else no),
                (s.shared_name or "") if contacts else "",
                (s.shared_phone or "") if contacts else "",
            )
            for number, s in enumerate(signups, start=1)
        ]
        with audited(area, user, AuditAction.EXPORT, detail="signups", target=f"event:{event_id}"):
            pass

        def body() -> Iterator[bytes]:
            headers = [t.gettext(h) for h in EXPORT_HEADERS]
            # What residents typed is neutralised for spreadsheets, as in every export.
            keys = (
                "number",
                "state",
                "channel",
                "signed_up",
                "came",
                "contact_name",
                "contact_value",
            )
            yield from write_csv(headers, keys, [rows], ";")

        return StreamingResponse(
            body(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="event-{event_id}-signups.csv"'},
        )

    return router
