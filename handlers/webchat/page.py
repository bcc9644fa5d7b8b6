"""The web chat page at ``GET /`` and the launcher at ``GET /embed.js`` that puts the chat on
another site: a button that opens it in a frame panel.

The page allows scripts, styles and connections from its own origin only (no inline script
at all), and a frame only on the origins in ``EMBED_ORIGINS`` besides its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from locales import DEFAULT_LANGUAGE, Translators, match_language

HERE = Path(__file__).parent
STATIC_PATH = "/webchat/static"


@dataclass(frozen=True)
class PageLinks:
    privacy_url: str
    accessibility_url: str


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def first_language(accept_language: str | None) -> str:
    return (accept_language or "").split(",")[0].split(";")[0]


def page_headers(embed_origins: tuple[str, ...]) -> dict[str, str]:
    ancestors = " ".join(("'self'", *embed_origins))
    return {
        "Content-Security-Policy": (
            "default-src 'self'; script-src 'self'; style-src 'self'; "
            "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
            f"base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
        ),
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Content-Type-Options": "nosniff",
        # Geolocation for "nearest places", in a frame too (the launcher's iframe allows it).
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
    }


def page_router(
    *, translators: Translators, links: PageLinks, embed_origins: tuple[str, ...]
) -> APIRouter:
    router = APIRouter()
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )
    page = templates.get_template("chat.html")
    headers = page_headers(embed_origins)
    launcher = templates.get_template("embed.js").render(
        languages=[(t.language, t.gettext) for t in translators],
        default=DEFAULT_LANGUAGE,
        embed_origins=list(embed_origins),
    )

    @router.get("/", response_class=HTMLResponse)
    def chat_page(
        accept_language: Annotated[str | None, Header()] = None,
        lang: str | None = None,
        embed: bool = False,
    ) -> HTMLResponse:
        language = match_language(lang or first_language(accept_language))
        translator = translators[language]
        html = page.render(
            _=translator.gettext,
            language=translator.language,
            direction=translator.direction,
            links=links,
            static=STATIC_PATH,
            embedded=embed,
        )
        return HTMLResponse(html, headers={**headers, "Content-Language": translator.language})

    @router.get("/embed.js", response_model=None)
    def embed_script() -> Response:
        return Response(
            launcher,
            media_type="text/javascript; charset=utf-8",
            headers={
                "Cache-Control": "public, max-age=3600",
                "X-Content-Type-Options": "nosniff",
                # Any site may load the launcher; what it opens decides where it may be framed.
                "Cross-Origin-Resource-Policy": "cross-origin",
            },
        )

    return router
