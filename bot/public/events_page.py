"""What's on, in public: ``/events`` (a page in fi, sv or en that needs no JavaScript, with
a filter for whom and free ones), ``/events.ics`` (every listed event, for the city's site
and residents' phones to subscribe to) and ``/events/{id}.ics`` (one event, for a calendar;
the link a resident gets on signing up)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine

from bot.public.calendar import calendar
from dialogs.domain.geo import map_url
from dialogs.flows import event_texts
from locales import N_, RESIDENT_LANGUAGES, Translators, match_language, pick
from locales.languages import named
from storage import event_signup_reads, events
from storage.event_signups import Places
from storage.event_tables import Audience, EventStatus
from storage.events import EventListing, WhatsOn

HERE = Path(__file__).parent
STYLESHEET = "/webchat/static/chat.css"
AHEAD = timedelta(days=30)  # the page and the feed list this far ahead…
FEED_BEHIND = timedelta(days=7)  # …and the feed keeps the past week, so calendars keep it
MOST = 500
CACHE = "public, max-age=300"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Cache-Control": CACHE,
}
AUDIENCES = {
    "": N_("Everyone"),
    Audience.YOUNG.value: N_("Young people"),
    Audience.FAMILIES.value: N_("Families"),
    Audience.SENIORS.value: N_("Seniors"),
}
CALENDAR_NAME = N_("Yhdessä osallistuen: what's on")
SIGN_UP_IN_CHAT = N_("Sign up in the chat.")


@dataclass(frozen=True)
class EventLine:
    title: str
    when: str
    where: str | None
    details: str | None
    state: str | None
    sign_up: bool  # open for sign-ups: the page links to the chat, where one signs up
    cancelled: bool
    map: str | None
    calendar: str
    url: str | None


def events_router(
    *,
    database: Engine,
    translators: Translators,
    public_url: str | None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> APIRouter:
    router = APIRouter()
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )
    page = templates.get_template("events.html")
    host = urlsplit(public_url).hostname if public_url else None

    def language_of(request: Request, lang: str | None) -> str:
        return match_language(lang or request.headers.get("accept-language"))

    def ics(body: bytes, filename: str) -> Response:
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": f'inline; filename="{filename}"',
                "Cache-Control": CACHE,
            },
        )

    @router.get("/events", response_class=HTMLResponse)
    def whats_on(
        request: Request,
        lang: str | None = None,
        audience: str = Query("", alias="for", max_length=16),
        free: bool = False,
    ) -> HTMLResponse:
        language = language_of(request, lang)
        t = translators[language]
        chosen = audience if audience in AUDIENCES else ""
        now = clock()
        asked = WhatsOn(
            start=now,
            end=now + AHEAD,
            audience=Audience(chosen) if chosen else None,
            free_only=free,
            limit=MOST,
        )
        with database.connect() as connection:
            listed = events.whats_on(connection=connection, asked=asked)
            counts = event_signup_reads.counts_by_event(
                connection=connection, event_ids=[e.id for e in listed if e.signup_required]
            )

        def line(event: EventListing) -> EventLine:
            places = None
            if event.signup_required:
                signed = counts.get(event.id)
                places = Places(event.capacity, signed.confirmed if signed else 0, 0)
            cancelled = event.status is EventStatus.CANCELLED
            state = (
                event_texts.signup_words(event, places, None, now, t)
                if event.signup_required and not cancelled
                else None
            )
            details = " · ".join(
                text
                for text in (
                    event_texts.price_words(event, t),
                    t.label(AUDIENCES[event.audience])
                    if event.audience != Audience.EVERYONE
                    else None,
                )
                if text
            )
            return EventLine(
                title=pick(event.title, language),
                when=event_texts.status_line(event, t),
                where=event_texts.where_words(event, t),
                details=details or None,
                state=state,
                sign_up=event.signups_open(now),
                cancelled=cancelled,
                map=map_url(event.lat, event.lon)
                if event.lat is not None and event.lon is not None
                else None,
                calendar=f"/events/{event.id}.ics?lang={language}",
                url=event.url,
            )

        days = [
            {"name": _capitalised(t.long_day(day)), "events": [line(event) for event in group]}
            for day, group in groupby(
                listed, key=lambda e: e.starts_at.astimezone(t.timezone).date()
            )
        ]
        html = page.render(
            language=language,
            direction=t.direction,
            heading=t.gettext(N_("Yhdessä osallistuen")),
            title=t.gettext(N_("Events")),
            intro=t.gettext(
                N_("Events at the meeting places and around Mikkeli in the next 30 days.")
            ),
            for_whom=t.gettext(N_("For whom")),
            audiences=[(value, t.gettext(label)) for value, label in AUDIENCES.items()],
            chosen=chosen,
            only_free=t.gettext(N_("Only free events")),
            free=free,
            show=t.gettext(N_("Show")),
            nothing=t.gettext(N_("No events for this choice.")),
            days=days,
            map_label=t.gettext(N_("Show on map")),
            calendar_label=t.gettext(N_("Add to calendar")),
            more_label=t.gettext(N_("More information")),
            subscribe=t.gettext(N_("Subscribe to the calendar of events")),
            feed=f"/events.ics?lang={language}",
            to_chat=t.gettext(N_("Open the chat")),
            sign_up=t.gettext(SIGN_UP_IN_CHAT),
            languages_label=t.gettext(N_("Language")),
            languages=list(named(RESIDENT_LANGUAGES).items()),
            stylesheet=STYLESHEET,
        )
        return HTMLResponse(html, headers={**HEADERS, "Content-Language": language})

    @router.get("/events.ics")
    def feed(request: Request, lang: str | None = None) -> Response:
        t = translators[language_of(request, lang)]
        now = clock()
        with database.connect() as connection:
            listed = events.listed_between(
                connection=connection, start=now - FEED_BEHIND, end=now + AHEAD, limit=MOST
            )
        body = calendar(
            listed,
            t,
            host=host or request.url.hostname or "osallistu",
            now=now,
            name=t.gettext(CALENDAR_NAME),
        )
        return ics(body, "events.ics")

    @router.get("/events/{event_id}.ics")
    def one(request: Request, event_id: int, lang: str | None = None) -> Response:
        t = translators[language_of(request, lang)]
        with database.connect() as connection:
            event = events.get_event(connection=connection, event_id=event_id)
        if event is None:
            return Response(
                t.gettext(N_("This event is no longer in the list.")),
                status_code=404,
                media_type="text/plain; charset=utf-8",
            )
        title = pick(event.title, t.language)
        body = calendar(
            [event], t, host=host or request.url.hostname or "osallistu", now=clock(), name=title
        )
        return ics(body, f"event-{event.id}.ics")

    return router


def _capitalised(text: str) -> str:
    """ "Lauantaina 5.12." as a heading begins (a weekday is written small in a sentence)."""
    return text[:1].upper() + text[1:]
