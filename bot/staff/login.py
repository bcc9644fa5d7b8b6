"""Signing in and out, and the language switch of the staff area.

The sign-in form has a CSRF token before anyone is signed in: the page sets a random token
in a strict cookie and in the form, and the sign-in checks that the two match (another site
can make a browser post the form, but cannot read or set the cookie).
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.staff.auth import Throttled, WrongCredentials
from bot.staff.web import LANGUAGE_COOKIE, Staff, StaffArea, area_of, render
from bot.staff.web import Form as CheckedForm
from handlers.http import retry_after
from locales import N_, STAFF_LANGUAGES

WRONG = N_("The e-mail address or the password is wrong.")
WAIT = N_("Too many failed attempts. Wait 15 minutes and try again.")
SLOWED = N_("Many sign-in attempts were made for this account. Wait a few seconds and try again.")
EXPIRED = N_("The sign-in form had expired. Please try again.")


def _safe_next(target: str | None) -> str:
    """Only a path inside the staff area: never an address elsewhere (open redirect)."""
    if target and target.startswith("/staff") and not target.startswith("//"):
        return target
    return "/staff/"


def _form_cookie(area: StaffArea) -> str:
    return "__Host-osallistu_signin" if area.settings.secure_cookies else "osallistu_signin"


def _login_page(
    request: Request,
    *,
    next_path: str | None,
    error: str | None = None,
    email: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The sign-in form with its token, set in its cookie as well (an open tab keeps it)."""
    area = area_of(request)
    kept = request.cookies.get(_form_cookie(area))
    token = kept or secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        user=None,
        next=_safe_next(next_path),
        error=error,
        email=email,
        csrf=token,
        status_code=status_code,
    )
    if kept is None:
        response.set_cookie(
            _form_cookie(area),
            token,
            httponly=True,
            secure=area.settings.secure_cookies,
            samesite="strict",
            path="/",
            max_age=12 * 3600,  # a sign-in page left open for a working day still works
        )
    response.headers.update(headers or {})
    return response


def login_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str | None = None) -> HTMLResponse:
        return _login_page(request, next_path=next)

    @router.post("/staff/login", response_model=None)
    def login(
        request: Request,
        email: Annotated[str, Form(max_length=254)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        next: Annotated[str, Form(max_length=500)] = "/staff/",
        csrf: Annotated[str, Form(max_length=100)] = "",
    ) -> Response:
        area = area_of(request)
        expected = request.cookies.get(_form_cookie(area), "")
        if not expected or not secrets.compare_digest(csrf.encode(), expected.encode()):
            return _login_page(request, next_path=next, error=EXPIRED, email=email, status_code=403)
        address = request.client.host if request.client else "unknown"
        try:
            signed_in = area.sessions.sign_in(email=email, password=password, address=address)
        except Throttled as throttled:
            return _login_page(
                request,
                next_path=next,
                error=SLOWED if throttled.slowed else WAIT,
                email=email,
                status_code=429,
                headers={"Retry-After": retry_after(throttled.retry_after)},
            )
        except WrongCredentials:
            return _login_page(request, next_path=next, error=WRONG, email=email, status_code=401)
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
        if language in STAFF_LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="lax", path="/staff")
        return response

    return router
