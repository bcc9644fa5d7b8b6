"""Signing in and out, and the language switch of the staff area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.auth import Throttled, WrongCredentials
from bot.staff.web import LANGUAGE_COOKIE, Staff, area_of, render
from bot.staff.web import Form as CheckedForm
from locales import LANGUAGES, N_

WRONG = N_("The e-mail address or the password is wrong.")
WAIT = N_("Too many failed attempts. Wait 15 minutes and try again.")


def _safe_next(target: str | None) -> str:
    """Only a path inside the staff area: never an address elsewhere (open redirect)."""
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return "/staff/"


def login_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str | None = None) -> HTMLResponse:
        return render(request, "login.html", user=None, next=_safe_next(next), error=None)

    @router.post("/staff/login", response_model=None)
    def login(
        request: Request,
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        next: Annotated[str, Form(max_length=500)] = "/staff/",
    ) -> Response:
        area = area_of(request)
        address = request.client.host if request.client else "unknown"
        try:
            signed_in = area.sessions.sign_in(email=email, password=password, address=address)
        except (WrongCredentials, Throttled) as problem:
            message = WAIT if isinstance(problem, Throttled) else WRONG
            status = 429 if isinstance(problem, Throttled) else 401
            return render(
                request,
                "login.html",
                user=None,
                next=_safe_next(next),
                error=message,
                email=email,
                status_code=status,
            )
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            area.cookie_name,
            signed_in.token,
            httponly=True,
            secure=area.settings.secure_cookies,
            samesite="strict",
            path="/",
            max_age=area.settings.staff_session_hours * 3600,
        )
        return response

    @router.post("/staff/logout", response_model=None)
    def logout(request: Request, user: Staff, _form: CheckedForm) -> Response:
        area = area_of(request)
        area.sessions.sign_out(user)
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(area.cookie_name, path="/", secure=area.settings.secure_cookies)
        return response

    @router.get("/staff/language/{language}", response_model=None)
    def choose_language(language: str, back: str | None = None) -> Response:
        response = RedirectResponse(_safe_next(back), status_code=303)
        if language in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", path="/staff")
        return response

    return router
