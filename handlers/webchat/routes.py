"""The web chat's API: ``POST /webchat/messages``, ``/webchat/images`` and ``/webchat/updates``.

The API answers synchronously with the replies the engine stored for this message; a retried
request with the same client ``id`` gets the same replies and changes nothing. A session id
is the key to its chat, so it is stored only as an HMAC (``keyed_user_id``). A request that
is not handled yet — its person sends at machine speed, or its address opens sessions by the
hundred — gets a 429 with ``Retry-After`` and a short text in the person's language; the
page shows the text, keeps its buttons and sends the same message again.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from dialogs import common
from dialogs.definitions import Say
from dialogs.events import Channel, Event
from dialogs.runner import ConversationRunner
from handlers.http import retry_after
from handlers.webchat.admission import Admission
from handlers.webchat.page import first_language
from handlers.webchat.schema import SESSION_PATTERN, WebchatMessage, WebchatUpdatesRequest
from handlers.webchat.updates import WebchatUpdates
from locales import Translator, Translators, match_language
from storage.media import NotAnImage, TooManyPixels, image_exists, save_image


@dataclass(frozen=True)
class Uploads:
    media_dir: Path
    max_bytes: int


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def webchat_router(
    *,
    runner: ConversationRunner,
    translators: Translators,
    uploads: Uploads,
    admission: Admission,
    updates: WebchatUpdates,
    user_id: Callable[[str], str],
) -> APIRouter:
    """Build the web chat's routes around one conversation runner; ``user_id`` turns a
    session id into the id stored for it."""
    router = APIRouter()

    def not_yet(translator: Translator, say: Say, seconds: float) -> JSONResponse:
        """A 429 the page understands: what to show, and when to send the same again."""
        wait = retry_after(seconds)
        return JSONResponse(
            {"message": translator.text(say.msgid), "retry_after": int(wait)},
            status_code=429,
            headers={"Retry-After": wait},
        )

    async def admitted(
        request: Request, session: str, translator: Translator
    ) -> JSONResponse | None:
        """None if the session may go on; else the 429 to answer (its address is busy)."""
        if admission.is_known(session):
            return None
        hit = await anyio.to_thread.run_sync(
            lambda: admission.count_new_session(address=_address(request))
        )
        if not hit.allowed:
            return not_yet(translator, common.BUSY_NETWORK, hit.retry_after)
        admission.remember(session)
        return None

    @router.post("/webchat/images", response_model=None)
    async def post_image(
        request: Request,
        session: Annotated[str, Query(min_length=8, max_length=128, pattern=SESSION_PATTERN)],
        accept_language: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Store a photo sent as the raw body; the page then sends ``{"image": ref}``."""
        translator = translators[match_language(first_language(accept_language))]
        refused = await admitted(request, session, translator)
        if refused is not None:
            return refused
        hit = await anyio.to_thread.run_sync(
            lambda: admission.admit_upload(session=session, address=_address(request))
        )
        if not hit.allowed:
            return not_yet(translator, common.TOO_MANY_PHOTOS, hit.retry_after)
        data = await request.body()
        if len(data) > uploads.max_bytes:
            limit = uploads.max_bytes // (1024 * 1024)
            return JSONResponse(
                {"message": f"The photo is too large. The limit is {limit} MB."}, 413
            )
        try:
            # Decoding and re-encoding a camera photo takes a while: never on the event loop.
            ref = await anyio.to_thread.run_sync(
                lambda: save_image(media_dir=uploads.media_dir, data=data)
            )
        except TooManyPixels:
            return JSONResponse({"message": "The photo has too many pixels."}, 413)
        except NotAnImage:
            return JSONResponse({"message": "Send a JPEG, PNG, GIF or WebP photo."}, 415)
        return JSONResponse({"image": ref})

    @router.post("/webchat/messages", response_model=None)
    async def post_message(message: WebchatMessage, request: Request) -> JSONResponse:
        translator = translators[match_language(message.locale)]
        refused = await admitted(request, message.session, translator)
        if refused is not None:
            return refused
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
            user_id=user_id(message.session),
            event_id=key,
            input=message.user_input(),
            received_at=datetime.now(UTC),
            locale_hint=message.locale,
        )
        handled = await runner.handle(event)
        if handled.throttled_for is not None:
            return not_yet(translator, common.WAIT_A_MOMENT, handled.throttled_for)
        # A ready response skips FastAPI's generic encoder: the payload is plain JSON already.
        answer: dict[str, object] = {"replies": handled.payloads}
        if handled.language is not None:
            answer["language"] = handled.language  # the page follows the person's choice
        if handled.forgotten:
            answer["forgotten"] = True  # "delete my data": the page forgets the transcript
        return JSONResponse(answer)

    @router.post("/webchat/updates", response_model=None)
    async def post_updates(
        request_body: WebchatUpdatesRequest,
        request: Request,
        accept_language: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        """Acknowledge what the page has shown and return what waits for it (oldest first)."""
        translator = translators[match_language(first_language(accept_language))]
        refused = await admitted(request, request_body.session, translator)
        if refused is not None:
            return refused
        recipient = user_id(request_body.session)
        waiting = await anyio.to_thread.run_sync(
            lambda: updates.exchange(session=recipient, shown=request_body.ack)
        )
        return JSONResponse(
            {"updates": [{"id": row_id, "reply": payload} for row_id, payload in waiting]}
        )

    return router
