"""The staff's idea pages: a filtered list, one idea with its photo, status and answer."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from bot.reports.labels import CHANNEL_LABELS, CONTACT_METHOD_LABELS, IDEA_STATUS_LABELS
from bot.staff.access import Permission
from bot.staff.answers import MAX_ANSWER_LENGTH, answer_idea
from bot.staff.auth import StaffUser
from bot.staff.photos import keep_on_demand, on_its_way, photo_headers, viewable
from bot.staff.web import Form, PageNumber, RowId, StaffArea, area_of, audited, render, require
from handlers.channels import photo_spec
from locales import N_
from storage import idea_review, ideas, staff
from storage.domain_tables import IdeaStatus
from storage.engine import transaction
from storage.media import image_path
from storage.staff_tables import AuditAction

logger = logging.getLogger(__name__)

Reader = Annotated[StaffUser, require(Permission.SEE_IDEAS)]
Moderator = Annotated[StaffUser, require(Permission.MODERATE_IDEAS)]

PAGE_SIZE = 50
ANSWER_EMPTY = N_("Write an answer first.")
ANSWER_TOO_LONG = N_("The answer is too long. The limit is 4,000 characters.")
NOT_FOUND = N_("This idea was not found. It may have been deleted.")


def parse_day(value: str | None) -> date | None:
    """A date from a form field; anything unreadable counts as not given."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def day_start(day: date, timezone: ZoneInfo) -> datetime:
    return datetime.combine(day, datetime.min.time(), timezone).astimezone(UTC)


def _filter_from(
    request: Request, area: StaffArea
) -> tuple[idea_review.IdeaFilter, dict[str, str]]:
    query = request.query_params
    zone = ZoneInfo(area.settings.timezone)
    since, until = parse_day(query.get("since")), parse_day(query.get("until"))
    status = query.get("status") or None
    wanted = idea_review.IdeaFilter(
        theme=query.get("theme") or None,
        area=query.get("area") or None,
        status=status if status in set(IdeaStatus) else None,
        channel=query.get("channel") or None,
        since=day_start(since, zone) if since else None,
        until=day_start(until + timedelta(days=1), zone) if until else None,
    )
    shown = {
        key: query.get(key, "") for key in ("theme", "area", "status", "channel", "since", "until")
    }
    return wanted, shown


def _attach_to(area: StaffArea, idea_id: int, ref: str) -> Callable[[str], bool]:
    def attach(local: str) -> bool:
        with transaction(area.database) as connection:
            return idea_review.set_photo_ref(
                connection=connection, idea_id=idea_id, old=ref, new=local
            )

    return attach


def ideas_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/ideas", response_class=HTMLResponse)
    def idea_list(request: Request, user: Reader, page: PageNumber = 1) -> HTMLResponse:
        area = area_of(request)
        wanted, shown = _filter_from(request, area)
        page = max(page, 1)
        with transaction(area.database) as connection:
            rows, total = idea_review.list_ideas(
                connection=connection, wanted=wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
            )
            themes = ideas.themes(connection=connection)
            areas = ideas.areas(connection=connection)
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.VIEW_IDEAS,
                rows=len(rows),
                now=datetime.now(UTC),
            )
        return render(
            request,
            "ideas.html",
            user=user,
            rows=rows,
            total=total,
            page=page,
            pages=max(1, -(-total // PAGE_SIZE)),
            shown=shown,
            themes=themes,
            areas=areas,
            channels=CHANNEL_LABELS,
            statuses=IDEA_STATUS_LABELS,
            request_query=lambda number: urlencode(
                {**{k: v for k, v in shown.items() if v}, "page": number}
            ),
        )

    @router.get("/staff/ideas/{idea_id}", response_class=HTMLResponse)
    def idea_page(
        request: Request, idea_id: RowId, user: Reader, done: str | None = None
    ) -> HTMLResponse:
        area = area_of(request)
        with audited(area, user, AuditAction.VIEW_IDEA, target=f"idea:{idea_id}") as connection:
            idea = idea_review.idea_detail(connection=connection, idea_id=idea_id)
        if idea is None:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return render(
            request,
            "idea.html",
            user=user,
            methods=CONTACT_METHOD_LABELS,
            idea=idea,
            statuses=IDEA_STATUS_LABELS,
            done=done,
            error=None,
            max_answer=MAX_ANSWER_LENGTH,
            photo_viewable=viewable(area, idea.photo_ref),
            photo_on_its_way=on_its_way(idea.photo_ref),
        )

    @router.get("/staff/ideas/{idea_id}/photo", response_model=None)
    async def idea_photo(request: Request, idea_id: RowId, user: Reader) -> Response:
        area = area_of(request)
        with area.database.connect() as connection:
            idea = idea_review.idea_detail(connection=connection, idea_id=idea_id)
        ref = idea.photo_ref if idea else None
        if ref is not None and photo_spec(ref) is not None:
            ref = await keep_on_demand(area, ref, _attach_to(area, idea_id, ref))
        path = image_path(media_dir=area.settings.media_dir, ref=ref)
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, headers=photo_headers(f"idea-{idea_id}{path.suffix}"))

    @router.post("/staff/ideas/{idea_id}/status", response_model=None)
    def change_status(request: Request, idea_id: RowId, user: Moderator, form: Form) -> Response:
        area = area_of(request)
        try:
            status = IdeaStatus(form.get("status", ""))
        except ValueError:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=400)
        with audited(
            area, user, AuditAction.IDEA_STATUS, detail=status, target=f"idea:{idea_id}"
        ) as connection:
            found = idea_review.set_status(connection=connection, idea_id=idea_id, status=status)
        if not found:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        return RedirectResponse(f"/staff/ideas/{idea_id}?done=status", status_code=303)

    @router.post("/staff/ideas/{idea_id}/answer", response_model=None)
    def answer(request: Request, idea_id: RowId, user: Moderator, form: Form) -> Response:
        area = area_of(request)
        text = form.get("answer", "").strip()
        problem = (
            ANSWER_EMPTY if not text else ANSWER_TOO_LONG if len(text) > MAX_ANSWER_LENGTH else None
        )
        if problem is not None:
            with area.database.connect() as connection:
                idea = idea_review.idea_detail(connection=connection, idea_id=idea_id)
            if idea is None:
                return render(
                    request, "message.html", user=user, message=NOT_FOUND, status_code=404
                )
            return render(
                request,
                "idea.html",
                user=user,
                methods=CONTACT_METHOD_LABELS,
                idea=idea,
                statuses=IDEA_STATUS_LABELS,
                done=None,
                error=problem,
                draft=text,
                max_answer=MAX_ANSWER_LENGTH,
                photo_viewable=viewable(area, idea.photo_ref),
                photo_on_its_way=on_its_way(idea.photo_ref),
                status_code=422,
            )
        outcome = answer_idea(
            database=area.database,
            translators=area.translators,
            idea_id=idea_id,
            answer=text,
            account_id=user.account_id,
            now=datetime.now(UTC),
        )
        if outcome is None:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        done = "answered" if outcome.channel else "answered_gone"
        return RedirectResponse(f"/staff/ideas/{idea_id}?done={done}", status_code=303)

    return router
