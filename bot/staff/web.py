"""What every staff page shares: the signed-in user, CSRF, the language, rendering.

Routes declare what they need with the ``Annotated`` aliases at the bottom: ``Staff`` for any
signed-in member, ``Allowed(permission)`` for one permission; a form route also depends on
``CsrfChecked``. A request without a session is sent to the sign-in page; one without the
permission gets a 403 page that says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from babel.dates import format_date, format_datetime, format_timedelta
from babel.numbers import format_decimal
from fastapi import Depends, Query, Request
from fastapi import Path as FastAPIPath
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Connection, Engine
from telegram import Bot

from bot.announcements import Announcer
from bot.reports.labels import CHANNEL_LABELS
from bot.settings import Settings
from bot.staff.access import Permission, allowed
from bot.staff.auth import SessionManager, StaffUser
from bot.team_conversations import TeamConversations
from dialogs.events import clean_text
from locales import (
    CONTENT_LANGUAGES,
    DEFAULT_LANGUAGE,
    NATIVE_NAMES,
    RESIDENT_LANGUAGES,
    STAFF_LANGUAGES,
    Translator,
    Translators,
    match_language,
    pick,
)
from locales.languages import named
from storage import human_inbox, staff
from storage.engine import transaction
from storage.staff_tables import AuditAction
from storage.types import MAX_ROW_ID

HERE = Path(__file__).parent
STATIC_PATH = "/staff/static"
LANGUAGE_COOKIE = "staff_lang"

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


@dataclass(frozen=True)
class StaffArea:
    """The long-lived parts the staff routes use; one per app."""

    database: Engine
    reader: Engine  # exports and summaries: long reads that must not hold up the chat
    translators: Translators
    sessions: SessionManager
    settings: Settings
    templates: Environment
    team: TeamConversations  # writing to residents, taking and closing conversations
    announcer: Announcer  # announcements to subscribers
    telegram: Bot | None = None  # fetches photos residents sent on Telegram

    @property
    def cookie_name(self) -> str:
        # __Host- binds the cookie to this host and path "/" and requires Secure.
        return "__Host-osallistu_staff" if self.settings.secure_cookies else "osallistu_staff"


def make_templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )


class NotSignedIn(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    """The signed-in role may not see or do this."""


class BadForm(Exception):
    """The form's CSRF token was missing or wrong, or the form could not be read."""


def area_of(request: Request) -> StaffArea:
    area: StaffArea = request.app.state.staff_area
    return area


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in STAFF_LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    return match_language(header.split(",")[0].split(";")[0], among=STAFF_LANGUAGES)


def translator_of(request: Request) -> Translator:
    return area_of(request).translators[language_of(request)]


def _current_user(request: Request) -> StaffUser:
    area = area_of(request)
    user = area.sessions.resolve(request.cookies.get(area.cookie_name))
    if user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise NotSignedIn(target)
    return user


Staff = Annotated[StaffUser, Depends(_current_user)]
# Ids in paths and page numbers: beyond these nothing exists (and the driver would overflow).
RowId = Annotated[int, FastAPIPath(ge=1, le=MAX_ROW_ID)]
PageNumber = Annotated[int, Query(ge=1, le=1_000_000)]


def require(permission: Permission) -> Any:
    def _check(user: Staff) -> StaffUser:
        if not allowed(user.role, permission):
            raise Forbidden
        return user

    return Depends(_check)


async def _csrf_checked(request: Request, user: Staff) -> Mapping[str, str]:
    try:
        form = await request.form()
    except Exception as error:  # a malformed body is the sender's fault, not a 500
        raise BadForm from error
    sent = form.get("csrf")
    if not isinstance(sent, str) or not secrets.compare_digest(sent, user.csrf_token):
        raise BadForm
    # NUL and lone surrogates go here as they do in the chat: no database or encoder takes them.
    return {key: clean_text(value) for key, value in form.items() if isinstance(value, str)}


Form = Annotated[Mapping[str, str], Depends(_csrf_checked)]


@dataclass(frozen=True)
class Formats:
    """Dates and numbers in the staff member's language and the city's time zone."""

    translator: Translator

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return ""
        local = value.astimezone(self.translator.timezone)
        return format_datetime(local, "short", locale=self.translator.babel_locale)

    def date(self, value: date | None) -> str:
        return format_date(value, "medium", locale=self.translator.babel_locale) if value else ""

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.translator.babel_locale)

    def duration(self, value: timedelta) -> str:
        """ "12 minutes", "3 hours", in the staff member's language."""
        return format_timedelta(value, threshold=1.5, locale=self.translator.babel_locale)

    def text(self, value: Mapping[str, str]) -> str:
        return pick(value, self.translator.language)


NAVIGATION = (
    ("/staff/", "This week", Permission.SEE_SUMMARY),
    ("/staff/conversations", "Conversations", Permission.TALK_WITH_RESIDENTS),
    ("/staff/ideas", "Ideas", Permission.SEE_IDEAS),
    ("/staff/contacts", "Contact requests", Permission.HANDLE_CONTACTS),
    ("/staff/polls", "Polls", Permission.SEE_SUMMARY),
    ("/staff/announcements", "Announcements", Permission.ANNOUNCE),
    ("/staff/events", "Events", Permission.SEE_EVENTS),
    ("/staff/places", "Places and services", Permission.SEE_PLACES),
    ("/staff/exports", "Exports and summaries", Permission.SEE_SUMMARY),
    ("/staff/accounts", "Staff accounts", Permission.MANAGE_ACCOUNTS),
)


def _badge(area: StaffArea, user: StaffUser, path: str) -> int:
    """What waits behind a link: conversations waiting or with words nobody has seen."""
    if path != "/staff/conversations":
        return 0
    with area.reader.connect() as connection:  # a read beside the writer, on SQLite
        counts = human_inbox.counts(connection=connection, account_id=user.account_id)
    return counts.needing_attention


def render(
    request: Request,
    template: str,
    *,
    user: StaffUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a staff page in the staff member's language, with the navigation they may use."""
    area = area_of(request)
    translator = translator_of(request)
    navigation = [
        (path, translator.gettext(label), _badge(area, user, path))
        for path, label, permission in NAVIGATION
        if user is not None and allowed(user.role, permission)
    ]
    html = area.templates.get_template(template).render(
        _=translator.gettext,
        language=translator.language,
        native_names=NATIVE_NAMES,
        # The staff area's languages, those staff write content in, and the residents'.
        staff_languages=named(STAFF_LANGUAGES),
        content_languages=named(CONTENT_LANGUAGES),
        resident_languages=named(RESIDENT_LANGUAGES),
        required_language=DEFAULT_LANGUAGE,
        channel_labels=CHANNEL_LABELS,
        user=user,
        can=(lambda permission: user is not None and allowed(user.role, permission)),
        Permission=Permission,
        navigation=navigation,
        path=request.url.path,
        here=quote(request.url.path),
        static=STATIC_PATH,
        fmt=Formats(translator),
        **context,
    )
    headers = {**SECURITY_HEADERS, "Content-Language": translator.language}
    return HTMLResponse(html, status_code=status_code, headers=headers)


@contextmanager
def audited(
    area: StaffArea,
    user: StaffUser,
    action: AuditAction,
    *,
    detail: str | None = None,
    target: str | None = None,
) -> Iterator[Connection]:
    """One transaction for a staff change and its audit row (who, what, when; no content)."""
    with transaction(area.database) as connection:
        yield connection
        staff.audit(
            connection=connection,
            account_id=user.account_id,
            action=action,
            detail=detail,
            target=target,
            now=datetime.now(UTC),
        )
