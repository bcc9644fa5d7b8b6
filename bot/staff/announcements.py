"""Announcements in the staff area (moderators, admins): write one in every language, see it
as subscribers will, send it now or at a time, follow its progress and stop it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from bot.announcements import MAX_TEXT, Refusal, TextsRefused, checked_texts
from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.poll_form import local_time
from bot.staff.web import Form, RowId, area_of, audited, render, require
from dialogs.channels import Announcements
from dialogs.flows.news_texts import TOPIC_LABELS
from handlers import channels
from locales import CONTENT_LANGUAGES, N_
from storage import announcement_reads, announcements, ideas
from storage.announcements import AnnouncementDraft
from storage.domain_tables import ANYWHERE
from storage.news_tables import AnnouncementStatus, Topic
from storage.staff_tables import AuditAction

Announcer = Annotated[StaffUser, require(Permission.ANNOUNCE)]

STATUS_LABELS: Mapping[str, str] = {
    AnnouncementStatus.DRAFT: N_("Draft: waits for your confirmation"),
    AnnouncementStatus.SCHEDULED: N_("Waits for its time"),
    AnnouncementStatus.SENDING: N_("Being sent"),
    AnnouncementStatus.SENT: N_("Sent"),
    AnnouncementStatus.STOPPED: N_("Stopped"),
}
# What each kind of channel does with an announcement, said on the preview.
ROUTE_LABELS: Mapping[Announcements, str] = {
    Announcements.IN_CHAT: N_("Delivered in the chat, as shown here."),
    Announcements.BY_EMAIL: N_(
        "Not delivered: a web chat page cannot be reached once it is closed."
    ),
    Announcements.NOT_ALLOWED: N_(
        "Not delivered: Meta allows no announcements to people in the EU."
    ),
}
# The same, where news also goes by e-mail (SMTP_HOST and PUBLIC_URL are set).
ROUTE_LABELS_WITH_EMAIL: Mapping[Announcements, str] = {
    **ROUTE_LABELS,
    Announcements.BY_EMAIL: N_("By e-mail, to those who confirmed their address."),
    Announcements.NOT_ALLOWED: N_(
        "Not in the chat: Meta allows no announcements to people in the EU. "
        "Those who chose e-mail get it by e-mail."
    ),
}
MISSING_LANGUAGE = N_(
    "Write the text in every language, or tick “Use the Finnish text where one is missing”."
)
REFUSALS: Mapping[Refusal, str] = {
    Refusal.NO_FINNISH: N_("The Finnish text is needed."),
    Refusal.TOO_LONG: N_("A text may be at most {max} characters long."),
    Refusal.MISSING: MISSING_LANGUAGE,
}
BAD_TIME = N_("Choose a time, or send it now.")
BAD_AREA = N_("Choose an area from the list.")
NOT_FOUND = N_("This announcement was not found.")


@dataclass(frozen=True)
class Written:
    """An announcement form read back: the draft, or what to fix."""

    draft: AnnouncementDraft | None
    problems: tuple[str, ...]
    values: dict[str, str]


def _read(form: Mapping[str, str], *, zone: ZoneInfo, areas: Mapping[str, object]) -> Written:
    values = dict(form)
    values.pop("csrf", None)
    problems: list[str] = []
    try:
        topic = Topic(form.get("topic", ""))
    except ValueError:
        topic = Topic.NEWS
    area = form.get("area") or None
    if topic is not Topic.EVENTS:
        area = None
    elif area is not None and area not in areas:
        problems.append(BAD_AREA)
    texts: dict[str, str] = {}
    try:
        texts = checked_texts(
            {lang: form.get(f"text_{lang}") for lang in CONTENT_LANGUAGES},
            finnish_for_missing=form.get("finnish_for_missing") == "1",
        )
    except TextsRefused as refused:
        problems.append(REFUSALS[refused.reason])
    now = datetime.now(UTC)
    send_now = form.get("when", "now") == "now"
    send_at = now if send_now else local_time(form.get("at", ""), zone)
    if send_at is None:
        problems.append(BAD_TIME)
    if problems or send_at is None:
        return Written(None, tuple(problems), values)
    draft = AnnouncementDraft(
        topic=topic,
        area_code=area,
        texts=texts,
        send_at=send_at,
        now_requested=send_now,
        created_by=None,
    )
    return Written(draft, (), values)


def announcements_router() -> APIRouter:
    router = APIRouter()

    def _page(
        request: Request,
        user: StaffUser,
        *,
        values: Mapping[str, str],
        problems: tuple[str, ...] = (),
        status_code: int = 200,
        done: str | None = None,
    ) -> HTMLResponse:
        area = area_of(request)
        with area.database.connect() as connection:
            rows = announcement_reads.latest(connection=connection, limit=30)
            areas = ideas.area_names(connection=connection)
        progress = {row.id: area.announcer.progress(row.id) for row in rows}
        return render(
            request,
            "announcements.html",
            user=user,
            rows=rows,
            progress=progress,
            values=values,
            problems=problems,
            topics=TOPIC_LABELS,
            areas={code: names for code, names in areas.items() if code != ANYWHERE},
            statuses=STATUS_LABELS,
            done=done,
            weekly_cap=area.settings.announcements_per_week,
            max_text=MAX_TEXT,
            quiet_hours=(area.settings.quiet_hours_start, area.settings.quiet_hours_end),
            status_code=status_code,
        )

    def _written(request: Request, form: Mapping[str, str]) -> tuple[Written, dict[str, Any]]:
        """The form read back, with the areas it was checked against."""
        area = area_of(request)
        with area.database.connect() as connection:
            areas = ideas.area_names(connection=connection)
        return _read(form, zone=ZoneInfo(area.settings.timezone), areas=areas), areas

    @router.get("/staff/announcements", response_class=HTMLResponse)
    def announcement_list(
        request: Request, user: Announcer, done: str | None = None
    ) -> HTMLResponse:
        return _page(request, user, values={}, done=done)

    @router.post("/staff/announcements/preview", response_class=HTMLResponse)
    def preview(request: Request, user: Announcer, form: Form) -> HTMLResponse:
        area = area_of(request)
        written, areas = _written(request, form)
        if written.draft is None:
            return _page(
                request, user, values=written.values, problems=written.problems, status_code=422
            )
        draft = written.draft
        announcer = area.announcer
        labels = ROUTE_LABELS_WITH_EMAIL if announcer.by_email else ROUTE_LABELS
        routes = {
            channel: labels[rules.announcements] for channel, rules in channels.rules().items()
        }
        return render(
            request,
            "announcement_preview.html",
            user=user,
            values=written.values,
            draft=draft,
            messages=announcer.preview(draft.texts),
            letters=announcer.preview_letters(draft.texts) if announcer.by_email else {},
            routes=routes,
            audience=announcer.audience(draft.topic, draft.area_code),
            quiet=draft.now_requested and announcer.in_quiet_hours(datetime.now(UTC)),
            topic=TOPIC_LABELS[draft.topic],
            area_names=areas,
            quiet_hours=(area.settings.quiet_hours_start, area.settings.quiet_hours_end),
            telegram_offered=area.settings.telegram_username is not None,
        )

    @router.post("/staff/announcements", response_model=None)
    def send(request: Request, user: Announcer, form: Form) -> Response:
        area = area_of(request)
        written, _areas = _written(request, form)
        if written.draft is None:
            return _page(
                request, user, values=written.values, problems=written.problems, status_code=422
            )
        now = datetime.now(UTC)
        draft = replace(written.draft, created_by=user.account_id)
        with audited(area, user, AuditAction.ANNOUNCE) as connection:
            announcement_id = announcements.create(connection=connection, draft=draft, now=now)
        if draft.now_requested:
            area.announcer.send_due(now=now)
        done = "sent" if draft.now_requested else "scheduled"
        return RedirectResponse(f"/staff/announcements?done={done}#a{announcement_id}", 303)

    def _change(
        request: Request,
        user: StaffUser,
        announcement_id: int,
        action: AuditAction,
        change: Callable[[Connection], object],
        done: str,
    ) -> Response:
        """One announcement changed by staff, audited; a missing one is a 404 page."""
        area = area_of(request)
        with area.database.connect() as connection:
            found = announcements.exists(connection=connection, announcement_id=announcement_id)
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        target = f"announcement:{announcement_id}"
        with audited(area, user, action, target=target) as connection:
            change(connection)
        return RedirectResponse(f"/staff/announcements?done={done}#a{announcement_id}", 303)

    @router.post("/staff/announcements/{announcement_id}/confirm", response_model=None)
    def confirm(request: Request, announcement_id: RowId, user: Announcer, form: Form) -> Response:
        def change(connection: Connection) -> object:
            return announcements.confirm(
                connection=connection, announcement_id=announcement_id, now=datetime.now(UTC)
            )

        done = _change(request, user, announcement_id, AuditAction.ANNOUNCE, change, "scheduled")
        # One whose time has come goes now, not at the job's next round (quiet hours still
        # hold it: staff confirmed a send the bot drafted, not one to go out at night).
        area_of(request).announcer.send_due(now=datetime.now(UTC))
        return done

    @router.post("/staff/announcements/{announcement_id}/stop", response_model=None)
    def stop(request: Request, announcement_id: RowId, user: Announcer, form: Form) -> Response:
        def change(connection: Connection) -> object:
            return announcements.stop(
                connection=connection, announcement_id=announcement_id, now=datetime.now(UTC)
            )

        return _change(
            request, user, announcement_id, AuditAction.STOP_ANNOUNCEMENT, change, "stopped"
        )

    return router
