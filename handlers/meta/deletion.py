"""Meta's data-deletion callback: ``POST /webhooks/meta/data-deletion`` with a
``signed_request`` (base64url HMAC-SHA256 signature with the app secret, a dot, base64url JSON
holding ``user_id``). The person is erased as "delete my data" does, and Meta gets the status
page's address and a confirmation code."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

logger = logging.getLogger(__name__)

Erase = Callable[[str], Awaitable[bool]]  # user id → erased on any Meta channel


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# Meta sends the request when the person asks; an old one replayed is refused.
MAX_AGE = timedelta(days=1)


def parse_signed_request(
    signed: str, secrets: tuple[bytes, ...], *, now: datetime | None = None
) -> dict[str, Any] | None:
    """The payload if the signature matches one of ``secrets`` and it was issued within
    the last day, else None."""
    try:
        signature_part, payload_part = signed.split(".", 1)
        signature = _b64(signature_part)
        payload = json.loads(_b64(payload_part))
    except (ValueError, UnicodeDecodeError):
        return None
    valid = False
    for secret in secrets:
        expected = hmac.new(secret, payload_part.encode(), hashlib.sha256).digest()
        valid |= hmac.compare_digest(signature, expected)
    if (
        not valid
        or not isinstance(payload, dict)
        or str(payload.get("algorithm", "HMAC-SHA256")).upper() != "HMAC-SHA256"
    ):
        return None
    issued = payload.get("issued_at")
    if not isinstance(issued, int) or isinstance(issued, bool):
        return None
    age = (now or datetime.now(UTC)).timestamp() - issued
    if not -300 <= age <= MAX_AGE.total_seconds():  # five minutes of clock skew either way
        return None
    return payload


def deletion_router(
    *, erase: Erase, secrets: tuple[bytes, ...], code_key: bytes, status_text: Callable[[str], str]
) -> APIRouter:
    router = APIRouter()

    def _code(user_id: str) -> str:
        return hmac.new(code_key, f"deletion:{user_id}".encode(), hashlib.sha256).hexdigest()[:20]

    @router.post("/webhooks/meta/data-deletion", response_model=None)
    async def data_deletion(request: Request) -> Response:
        form = parse_qs((await request.body()).decode(errors="replace"))
        payload = parse_signed_request((form.get("signed_request") or [""])[-1], secrets)
        if payload is None or not payload.get("user_id"):
            return JSONResponse({"message": "Wrong or missing signed_request."}, status_code=403)
        user_id = str(payload["user_id"])
        erased = await erase(user_id)
        logger.info(
            "Meta data-deletion request handled (someone was %s)",
            "erased" if erased else "not known",
        )
        code = _code(user_id)
        url = str(request.url_for("data_deletion_status", code=code))
        return JSONResponse({"url": url, "confirmation_code": code})

    @router.get(
        "/webhooks/meta/data-deletion/{code}", name="data_deletion_status", response_model=None
    )
    def data_deletion_status(code: str) -> Response:
        # Nothing is kept about the request: the code only confirms that one was handled.
        return PlainTextResponse(
            status_text(code[:20]), headers={"X-Content-Type-Options": "nosniff"}
        )

    return router
