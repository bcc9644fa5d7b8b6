"""The staff web area under ``/staff/``: sign-in, ideas, contact requests, polls, places,
exports and weekly summaries, for the roles in ``access``. ``install_staff_area`` adds it
to an app."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from telegram import Bot

from bot.announcements import Announcer
from bot.errors import invalid_request
from bot.settings import Settings
from bot.staff.accounts import accounts_router
from bot.staff.announcements import announcements_router
from bot.staff.auth import SessionManager, StaffUser
from bot.staff.contacts import contacts_router
from bot.staff.conversations import conversations_router
from bot.staff.events import events_router
from bot.staff.exports import exports_router
from bot.staff.home import home_router
from bot.staff.ideas import ideas_router
from bot.staff.live import live_router
from bot.staff.login import login_router
from bot.staff.places import places_router
from bot.staff.polls import polls_router
from bot.staff.team_settings import team_settings_router
from bot.staff.web import (
    HERE,
    STATIC_PATH,
    BadForm,
    Forbidden,
    NotSignedIn,
    StaffArea,
    make_templates,
    render,
)
from bot.team_conversations import TeamConversations
from locales import N_, Translators

FORBIDDEN = N_("Your role does not give access to this page.")
EXPIRED_FORM = N_("The form had expired. Go back, reload the page and try again.")
NOT_FOUND = N_("This page was not found.")
UNREADABLE = N_("The address could not be read. Go back and try again.")


def install_staff_area(
    app: FastAPI,
    *,
    database: Engine,
    reader: Engine,
    translators: Translators,
    settings: Settings,
    team: TeamConversations,
    announcer: Announcer,
    telegram: Bot | None = None,
    sessions: SessionManager | None = None,
) -> StaffArea:
    area = StaffArea(
        database=database,
        reader=reader,
        translators=translators,
        sessions=sessions
        or SessionManager(
            database=database,
            idle=timedelta(minutes=settings.staff_idle_minutes),
            absolute=timedelta(hours=settings.staff_session_hours),
            max_failures=settings.staff_login_failures,
        ),
        settings=settings,
        templates=make_templates(),
        team=team,
        announcer=announcer,
        telegram=telegram,
    )
    app.state.staff_area = area
    for router in (
        login_router(),
        home_router(),
        live_router(),  # before the conversation pages: "live" is no conversation id
        conversations_router(),
        team_settings_router(),
        ideas_router(),
        contacts_router(),
        polls_router(),
        announcements_router(),
        events_router(),
        places_router(),
        exports_router(),
        accounts_router(),
    ):
        app.include_router(router)
    app.mount(STATIC_PATH, StaticFiles(directory=HERE / "static"), name="staff-static")

    @app.get("/staff", include_in_schema=False)
    def staff_root() -> Response:
        return RedirectResponse("/staff/", status_code=308)

    @app.exception_handler(NotSignedIn)
    async def _sign_in_first(_request: Request, error: NotSignedIn) -> Response:
        return RedirectResponse(f"/staff/login?next={quote(error.next_path)}", status_code=303)

    def signed_in(request: Request) -> StaffUser | None:
        """Who is asking, so that a refusal still shows their navigation and sign-out."""
        return area.sessions.resolve(request.cookies.get(area.cookie_name))

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _error: Forbidden) -> Response:
        return render(
            request,
            "message.html",
            user=signed_in(request),
            message=FORBIDDEN,
            title=N_("No access"),
            status_code=403,
        )

    @app.exception_handler(RequestValidationError)
    async def _unreadable(request: Request, error: RequestValidationError) -> Response:
        """An id no row can have, a page number beyond reason: a staff page says so."""
        if not request.url.path.startswith("/staff"):
            return invalid_request(error)
        in_path = any(e.get("loc", ("",))[0] == "path" for e in error.errors())
        return render(
            request,
            "message.html",
            user=signed_in(request),
            message=NOT_FOUND if in_path else UNREADABLE,
            status_code=404 if in_path else 422,
        )

    @app.exception_handler(BadForm)
    async def _bad_form(request: Request, _error: BadForm) -> Response:
        user = signed_in(request)
        return render(request, "message.html", user=user, message=EXPIRED_FORM, status_code=403)

    return area
