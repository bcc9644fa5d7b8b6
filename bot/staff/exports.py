"""Exports and weekly summaries in the staff area: a form that downloads, and the summary list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)

from bot.reports.exports import (
    KIND_LABELS,
    MEDIA_TYPES,
    ExportFormat,
    ExportKind,
    ExportRequest,
    stream_export,
)
from bot.reports.labels import ROLE_NAMES
from bot.reports.summary_files import MEDIA_TYPES as SUMMARY_TYPES
from bot.reports.summary_job import make_week, summary_dir
from bot.reports.week_words import week_name
from bot.reports.weeks import BadWeek, IsoWeek
from bot.staff.access import Permission, allowed
from bot.staff.auth import StaffUser
from bot.staff.ideas import parse_day
from bot.staff.web import Form, Staff, area_of, language_of, render, require
from locales import N_, Translator
from storage import staff, summary_runs
from storage.engine import transaction
from storage.staff_tables import AuditAction, Role

# Summaries hold aggregates only, through the small-group rule: every role may read them.
SummaryReader = Annotated[StaffUser, require(Permission.SEE_SUMMARY)]

KIND_PERMISSION = {
    ExportKind.IDEAS: Permission.EXPORT_IDEAS,
    ExportKind.VOTES: Permission.EXPORT_IDEAS,
    ExportKind.RESULTS: Permission.EXPORT_AGGREGATES,
    ExportKind.PLACES: Permission.SEE_PLACES,
    ExportKind.CONTACTS: Permission.EXPORT_CONTACTS,
}
NOT_ALLOWED = N_("Your role may not export this.")
BAD_EXPORT = N_("Choose what to export and the file type.")
NO_SUMMARY = N_("This summary has not been made yet.")
WEEKS_TO_CHOOSE = 12  # the week so far and the eleven before it


@dataclass(frozen=True)
class WeekChoice:
    week: str  # the form's value: "2026-W48"
    name: str  # what staff read: "Viikko 48, 23.–29.11.2026"
    current: bool  # the week is still on: its summary is partial


def week_choices(now: datetime, translator: Translator, zone: ZoneInfo) -> list[WeekChoice]:
    week = IsoWeek.of(now.astimezone(zone).date())
    choices = []
    for step in range(WEEKS_TO_CHOOSE):
        choices.append(WeekChoice(str(week), week_name(week, translator), current=step == 0))
        week = week.previous()
    return choices


def kinds_for(role: Role) -> dict[ExportKind, str]:
    return {
        kind: label for kind, label in KIND_LABELS.items() if allowed(role, KIND_PERMISSION[kind])
    }


@dataclass(frozen=True)
class WeekFiles:
    """One week's summary files as the exports page lists them."""

    week: str
    name: str  # "Viikko 47, 16.–22.11.2026"
    formats: tuple[str, ...]
    partial: bool  # made before the week was over: the complete one follows on Monday
    monday: date
    sunday: date


def week_files(
    made: list[summary_runs.SummaryFile], translator: Translator, zone: ZoneInfo
) -> list[WeekFiles]:
    by_week: dict[str, list[summary_runs.SummaryFile]] = {}
    for item in made:
        by_week.setdefault(item.week, []).append(item)
    listed = []
    for week_text, files in by_week.items():
        week = IsoWeek.parse(week_text)
        ends = week.bounds(zone)[1]
        partial = all(f.finished_at < ends for f in files)
        formats = tuple(f.format for f in files)
        listed.append(
            WeekFiles(
                week_text,
                week_name(week, translator),
                formats,
                partial,
                week.monday,
                week.sunday,
            )
        )
    return listed


def exports_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/exports", response_class=HTMLResponse)
    def exports_page(request: Request, user: Staff, done: str | None = None) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            made = summary_runs.made(connection=connection)
        zone = ZoneInfo(area.settings.timezone)
        now = datetime.now(UTC)
        translator = area.translators[language_of(request)]
        return render(
            request,
            "exports.html",
            user=user,
            kinds=kinds_for(user.role),
            formats=[f.value for f in ExportFormat],
            summaries=week_files(made, translator, zone),
            weeks=week_choices(now, translator, zone),
            last_week=str(IsoWeek.last_complete(now, zone)),
            done=done,
        )

    @router.post("/staff/exports", response_model=None)
    def download(request: Request, user: Staff, form: Form) -> Response:
        area = area_of(request)
        try:
            kind, file_format = (
                ExportKind(form.get("kind", "")),
                ExportFormat(form.get("format", "")),
            )
        except ValueError:
            return render(request, "message.html", user=user, message=BAD_EXPORT, status_code=422)
        if not allowed(user.role, KIND_PERMISSION[kind]):
            return render(request, "message.html", user=user, message=NOT_ALLOWED, status_code=403)
        export = ExportRequest(
            kind=kind,
            format=file_format,
            since=parse_day(form.get("since")),
            until=parse_day(form.get("until")),
            with_contacts=kind is ExportKind.IDEAS
            and allowed(user.role, Permission.SEE_IDEA_CONTACTS),
            machine=form.get("columns") == "machine",
        )

        def audited(rows: int) -> None:
            with transaction(area.database) as connection:
                staff.audit(
                    connection=connection,
                    account_id=user.account_id,
                    action=AuditAction.EXPORT,
                    target=export.file_name(),
                    rows=rows,
                    now=datetime.now(UTC),
                )

        body = stream_export(
            database=area.reader,
            request=export,
            translator=area.translators[language_of(request)],
            delimiter=area.settings.export_csv_delimiter,
            made_by=ROLE_NAMES[user.role],
            on_done=audited,
        )
        return StreamingResponse(
            body,
            media_type=MEDIA_TYPES[file_format],
            headers={
                "Content-Disposition": f'attachment; filename="{export.file_name()}"',
                "Cache-Control": "no-store",
            },
        )

    @router.post("/staff/summaries", response_model=None)
    async def make_now(request: Request, user: SummaryReader, form: Form) -> Response:
        area = area_of(request)
        try:
            week = IsoWeek.parse(form.get("week", ""))
        except BadWeek:
            message = N_("Choose a week from the list.")
            return render(request, "message.html", user=user, message=message, status_code=422)
        await anyio.to_thread.run_sync(
            lambda: make_week(
                database=area.database,
                reader=area.reader,
                translators=area.translators,
                settings=area.settings,
                week=week,
                formats=("xlsx", "csv", "html"),
            )
        )
        return RedirectResponse("/staff/exports?done=summary", status_code=303)

    @router.get("/staff/summaries/{week}/{file_format}", response_model=None)
    def summary_file(
        request: Request, week: str, file_format: str, user: SummaryReader
    ) -> Response:
        area = area_of(request)
        with transaction(area.database) as connection:
            made = {
                (s.week, s.format): s for s in summary_runs.made(connection=connection, limit=1000)
            }
            found = made.get((week, file_format))
            if found is not None:
                staff.audit(
                    connection=connection,
                    account_id=user.account_id,
                    action=AuditAction.DOWNLOAD_SUMMARY,
                    target=found.file_name,
                    now=datetime.now(UTC),
                )
        path = summary_dir(area.settings) / found.file_name if found else None
        if found is None or path is None or not path.is_file():
            return render(request, "message.html", user=user, message=NO_SUMMARY, status_code=404)
        return FileResponse(
            path,
            media_type=SUMMARY_TYPES[file_format],
            filename=found.file_name,
            headers={"Cache-Control": "no-store"},
        )

    return router
