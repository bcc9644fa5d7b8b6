"""Routes of the web chat: the page at ``GET /`` and the message API at ``POST /webchat/messages``.

The API answers synchronously with the replies the engine stored for this message; a retried
request with the same client ``id`` gets the same replies and changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Header, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from dialogs.events import Channel, Event
from dialogs.flood import FloodGate, Verdict
from dialogs.runner import ConversationRunner
from handlers.webchat.schema import WebchatMessage, WebchatUpdatesRequest
from handlers.webchat.updates import WebchatUpdates
from locales import Translators, match_language
from storage.media import NotAnImage, image_exists, save_image

HERE = Path(__file__).parent
STATIC_PATH = "/webchat/static"


@dataclass(frozen=True)
class PageLinks:
    privacy_url: str
    accessibility_url: str


@dataclass(frozen=True)
class Uploads:
    media_dir: Path
    max_bytes: int


TOO_MANY = {"message": "Too many requests from this address. Please wait a minute."}


def static_files() -> StaticFiles:
    return StaticFiles(directory=HERE / "static")


def _page_language(accept_language: str | None, requested: str | None) -> str:
    if requested:
        return match_language(requested)
    first = (accept_language or "").split(",")[0].split(";")[0]
    return match_language(first)


def webchat_router(
    *,
    runner: ConversationRunner,
    translators: Translators,
    links: PageLinks,
    uploads: Uploads,
    per_address: FloodGate,
    updates: WebchatUpdates,
) -> APIRouter:
    """Build the web chat's routes around one conversation runner."""
    router = APIRouter()
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        auto_reload=False,
    )
    page = templates.get_template("chat.html")

    @router.get("/", response_class=HTMLResponse)
    def chat_page(
        accept_language: Annotated[str | None, Header()] = None, lang: str | None = None
    ) -> HTMLResponse:
        translator = translators[_page_language(accept_language, lang)]
        html = page.render(
            _=translator.gettext,
            language=translator.language,
            links=links,
            static=STATIC_PATH,
        )
        return HTMLResponse(html, headers={"Content-Language": translator.language})

    def flooding(request: Request) -> bool:
        address = request.client.host if request.client else "unknown"
        return per_address.check(("webchat-address", address)) is not Verdict.HANDLE

    @router.post("/webchat/images", response_model=None)
    async def post_image(request: Request) -> JSONResponse:
        """Store a photo sent as the raw body; the page then sends ``{"image": ref}``."""
        if flooding(request):
            return JSONResponse(TOO_MANY, status_code=429)
        data = await request.body()
        if len(data) > uploads.max_bytes:
            limit = uploads.max_bytes // (1024 * 1024)
            return JSONResponse(
                {"message": f"The photo is too large. The limit is {limit} MB."}, 413
            )
        try:
            ref = await anyio.to_thread.run_sync(
                lambda: save_image(media_dir=uploads.media_dir, data=data)
            )
        except NotAnImage:
            return JSONResponse({"message": "Send a JPEG, PNG, GIF or WebP photo."}, 415)
        return JSONResponse({"image": ref})

    @router.post("/webchat/messages", response_model=None)
    async def post_message(message: WebchatMessage, request: Request) -> JSONResponse:
        if flooding(request):
            return JSONResponse(TOO_MANY, status_code=429)
        if message.image is not None and not image_exists(
            media_dir=uploads.media_dir, ref=message.image
        ):
            return JSONResponse({"message": "That photo was not found. Send it again."}, 422)
        client_id = message.id or uuid.uuid4().hex
        # Unique per session, yet the stored key does not reveal the session (erasure keeps
        # the key of the "delete my data" message itself, to answer its retry the same way).
        key = hashlib.sha256(f"{message.session}\x00{client_id}".encode()).hexdigest()
        event = Event(
            channel=Channel.WEBCHAT,
            user_id=message.session,
            event_id=key,
            input=message.user_input(),
            received_at=datetime.now(UTC),
            locale_hint=message.locale,
        )
        handled = await runner.handle(event)
        # A ready response skips FastAPI's generic encoder: the payload is plain JSON already.
        return JSONResponse({"replies": handled.payloads})

    @router.post("/webchat/updates", response_model=None)
    async def post_updates(request_body: WebchatUpdatesRequest, request: Request) -> JSONResponse:
        """Acknowledge what the page has shown and return what waits for it (oldest first)."""
        if flooding(request):
            return JSONResponse(TOO_MANY, status_code=429)
        waiting = await anyio.to_thread.run_sync(
            lambda: updates.exchange(session=request_body.session, shown=request_body.ack)
        )
        return JSONResponse(
            {"updates": [{"id": row_id, "reply": payload} for row_id, payload in waiting]}
        )

    return router
