"""``POST /webhooks/telegram``: check the secret header, parse, hand over, answer 200.

The answer comes after the event's transaction has committed and makes no call to Telegram;
replies wait in the outbox for the relay.
"""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from telegram import Bot

from dialogs.runner import ConversationRunner
from handlers.telegram.parse import Ignored, parse_update

logger = logging.getLogger(__name__)

SECRET_HEADER = "x-telegram-bot-api-secret-token"  # noqa: S105  (a header name)
OK = {"ok": True}


def telegram_router(*, runner: ConversationRunner, bot: Bot, secret: str) -> APIRouter:
    router = APIRouter()
    expected = secret.encode()

    @router.post("/webhooks/telegram", response_model=None)
    async def webhook(request: Request) -> JSONResponse:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return JSONResponse({"message": "Wrong or missing secret token."}, status_code=403)
        try:
            data = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return JSONResponse({"message": "The body is not JSON."}, status_code=400)
        parsed = parse_update(data, bot)
        if isinstance(parsed, Ignored):
            logger.info("Telegram update ignored: %s", parsed.reason)
            return JSONResponse(OK)
        await runner.handle(parsed)
        return JSONResponse(OK)

    return router
