"""The pages a letter's link opens: confirm the address, or stop news by e-mail.

Opening a link only shows a button; pressing it (a POST) acts. Mail scanners open every link
in a message, and neither confirming nor stopping may happen on their behalf. A mail
program's one-click unsubscribe (RFC 8058) is that same POST, with
``List-Unsubscribe=One-Click`` as its body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine

from dialogs.letters import LetterLink
from handlers.email.links import PATH, EmailLinks
from locales import N_, Translators, match_language
from storage import news_emails
from storage.engine import transaction
from storage.news_emails import NewsEmailRow

HERE = Path(__file__).parent
STYLESHEET = "/webchat/static/chat.css"  # the web chat's look, so the pages read as ours

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the link's token stays out of other sites' logs
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class PageText:
    title: str
    lines: tuple[str, ...]
    button: str | None = None  # a form that POSTs back to the same link


ASK: dict[LetterLink, PageText] = {
    LetterLink.CONFIRM: PageText(
        N_("Confirm news by e-mail"),
        (
            N_("You asked for news from Yhdessä osallistuen by e-mail to {address}."),
            N_("If you did not ask for it, close this page. We delete the address in a week."),
        ),
        N_("Confirm"),
    ),
    LetterLink.UNSUBSCRIBE: PageText(
        N_("Stop news by e-mail"),
        (N_("News from Yhdessä osallistuen comes by e-mail to {address}."),),
        N_("Stop news by e-mail"),
    ),
}
DONE: dict[LetterLink, PageText] = {
    LetterLink.CONFIRM: PageText(
        N_("News by e-mail is on"),
        (
            N_("Thank you. News will come to {address}."),
            N_("Every e-mail has a link that stops them."),
        ),
    ),
    LetterLink.UNSUBSCRIBE: PageText(
        N_("News by e-mail stopped"),
        (N_("Done. You get no more news by e-mail, and we deleted your address."),),
    ),
}
GONE = PageText(
    N_("This link does not work anymore"),
    (
        N_("The address may have been deleted or changed."),
        N_("To choose news again, write “news” in the chat."),
    ),
)


def email_router(*, database: Engine, links: EmailLinks, translators: Translators) -> APIRouter:
    router = APIRouter()
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )
    page = templates.get_template("page.html")

    def render(language: str, text: PageText, address: str = "", status: int = 200) -> HTMLResponse:
        t = translators[language]
        html = page.render(
            language=language,
            direction=t.direction,
            title=t.gettext(text.title),
            lines=[t.text(line, {"address": address}) for line in text.lines],
            button=t.gettext(text.button) if text.button else None,
            heading=t.gettext(N_("Yhdessä osallistuen")),
            stylesheet=STYLESHEET,
        )
        headers = {**HEADERS, "Content-Language": language}
        return HTMLResponse(html, status_code=status, headers=headers)

    def found(link: LetterLink, email_id: int, token: str) -> NewsEmailRow | None:
        with database.connect() as connection:
            row = news_emails.by_id(connection=connection, email_id=email_id)
        if row is None or not links.valid(link, row.id, row.address, token):
            return None
        return row

    route = PATH + "/{language}/{link}/{email_id}/{token}"

    @router.get(route, response_class=HTMLResponse)
    def ask(language: str, link: LetterLink, email_id: int, token: str) -> HTMLResponse:
        language = match_language(language)
        row = found(link, email_id, token)
        if row is None:
            return render(language, GONE, status=404)
        if link is LetterLink.CONFIRM and row.confirmed:
            return render(language, DONE[link], row.address)
        return render(language, ASK[link], row.address)

    @router.post(route, response_class=HTMLResponse)
    def act(language: str, link: LetterLink, email_id: int, token: str) -> HTMLResponse:
        language = match_language(language)
        row = found(link, email_id, token)
        if row is None:
            return render(language, GONE, status=404)
        with transaction(database) as connection:
            if link is LetterLink.CONFIRM:
                news_emails.confirm(connection=connection, email_id=row.id, now=datetime.now(UTC))
            else:
                news_emails.forget(connection=connection, participant_id=row.participant_id)
        return render(language, DONE[link], row.address)

    return router
