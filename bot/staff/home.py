"""The staff front page, "This week": the week so far beside last week, with small charts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bot.reports.summary_files import chart_geometry
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from bot.staff.web import Staff, area_of, render, translator_of


def home_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/", response_class=HTMLResponse)
    def this_week(request: Request, user: Staff) -> HTMLResponse:
        area = area_of(request)
        zone = ZoneInfo(area.settings.timezone)
        week = IsoWeek.of(datetime.now(UTC).astimezone(zone).date())
        with area.database.connect() as connection:
            summary = build_summary(
                connection=connection,
                week=week,
                timezone=zone,
                translator=translator_of(request),
                now=datetime.now(UTC),
            )
        # Aggregates only: each section's comparison with last week and its chart.
        overview = [(section, section.tables[0]) for section in summary.sections]
        return render(
            request,
            "home.html",
            user=user,
            summary=summary,
            overview=overview,
            geometry=chart_geometry,
        )

    return router
