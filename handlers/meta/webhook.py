"""``GET /webhooks/meta`` (the verification handshake) and ``POST /webhooks/meta`` (signed
deliveries for Messenger and Instagram). Answers 200 once every item is handled and committed,
with no call to Meta inside the request; replies wait in the outbox for the relay."""

from __future__ import annotations

import hmac
import json
import logging
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from dialogs.runner import ConversationRunner
from handlers.meta.parse import Ignored, parse_delivery
from handlers.meta.signature import signature_valid

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "x-hub-signature-256"


def meta_router(
    *, runner: ConversationRunner, verify_token: str, secrets: tuple[bytes, ...]
) -> APIRouter:
    router = APIRouter()

    @router.get("/webhooks/meta", response_model=None)
    def verify(
        mode: Annotated[str | None, Query(alias="hub.mode")] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
        challenge: Annotated[str | None, Query(alias="hub.challenge", max_length=200)] = None,
    ) -> Response:
        if (
            mode == "subscribe"
            and token
            and challenge
            and hmac.compare_digest(token.encode(), verify_token.encode())
        ):
            return PlainTextResponse(challenge)
        return PlainTextResponse("Forbidden", status_code=403)

    @router.post("/webhooks/meta", response_model=None)
    async def deliver(request: Request) -> Response:
        body = await request.body()
        if not signature_valid(body, request.headers.get(SIGNATURE_HEADER), secrets):
            return JSONResponse({"message": "Wrong or missing signature."}, status_code=403)
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"message": "The body is not JSON."}, status_code=400)
        events = [parsed for parsed in parse_delivery(data) if not isinstance(parsed, Ignored)]
        retry = False
        for event, outcome in zip(events, await runner.handle_all(events), strict=True):
            if isinstance(outcome, sa.exc.OperationalError):
                # The database is unwell: ask Meta to deliver again (repeats are harmless).
                logger.error(
                    "database error on a %s event; asking for redelivery",
                    event.channel,
                    exc_info=outcome,
                )
                retry = True
            elif isinstance(outcome, Exception):
                # A bug with one item must not block the others or make Meta retry forever.
                logger.error("a %s event could not be handled", event.channel, exc_info=outcome)
        if retry:
            return JSONResponse({"message": "Try again."}, status_code=503)
        return JSONResponse({"ok": True})

    return router
