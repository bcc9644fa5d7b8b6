"""A fake Telegram Bot API server on 127.0.0.1: records every call, answers like Telegram, and
can be told to fail (429 with retry_after, 403, 400, 5xx, slow) or to enforce Telegram's limits.

python-telegram-bot talks real HTTP to it through ``base_url``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

DATE = 1764316800
PASS = 0  # a Failure with this status lets its call through (for patterns of failures)


@dataclass(frozen=True)
class Failure:
    status: int
    description: str
    retry_after: int | None = None
    delay: float = 0.0
    drop: bool = False  # start the response, then drop the connection (nothing delivered)


@dataclass
class FakeTelegram:
    """The server's state; ``app`` serves it."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failures: dict[str, deque[Failure]] = field(default_factory=dict)
    enforce_limits: bool = False
    updates: deque[dict[str, Any]] = field(default_factory=deque)  # for getUpdates
    provoked_429: int = 0
    files: dict[str, bytes] = field(default_factory=dict)  # file path → bytes (getFile)
    # (monotonic time it came, method, chat id, status, retry_after) of every call, for timing
    # checks; appended when answered, so a slow answer comes after later, faster ones
    log: list[tuple[float, str, str, int, int | None]] = field(default_factory=list)
    limit_reasons: list[str] = field(default_factory=list)
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(100))
    _sent_at: dict[str, deque[float]] = field(default_factory=dict)
    _all_sent_at: deque[float] = field(default_factory=deque)

    def fail_next(self, method: str, *failures: Failure) -> None:
        self.failures.setdefault(method, deque()).extend(failures)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def _over_limit(self, chat_id: str) -> bool:
        now = time.monotonic()
        chat = self._sent_at.setdefault(chat_id, deque())
        while chat and now - chat[0] >= 1.0:
            chat.popleft()
        while self._all_sent_at and now - self._all_sent_at[0] >= 1.0:
            self._all_sent_at.popleft()
        # A little slack for timer jitter: Telegram's own limits are not to the millisecond.
        if (len(chat) >= 1 and now - chat[-1] < 0.95) or len(self._all_sent_at) >= 31:
            return True
        chat.append(now)
        self._all_sent_at.append(now)
        return False

    async def _handle(self, request: Request) -> Response:
        method = request.path_params["method"]
        arrived = time.monotonic()
        params = await _params(request)
        queue = self.failures.get(method)
        failure = queue.popleft() if queue else None
        if failure is not None and failure.status != PASS:
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.drop:
                self.log.append((arrived, method, str(params.get("chat_id", "")), 0, None))
                return Dropped()
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            self.calls.append((f"!{method}", params))
            self.log.append(
                (
                    arrived,
                    method,
                    str(params.get("chat_id", "")),
                    failure.status,
                    failure.retry_after,
                )
            )
            return JSONResponse(body, status_code=failure.status)
        chat_id = str(params.get("chat_id", ""))
        if self.enforce_limits and method == "sendMessage" and self._over_limit(chat_id):
            self.provoked_429 += 1
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                status_code=429,
            )
        self.calls.append((method, params))
        self.log.append((arrived, method, chat_id, 200, None))
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    async def _file(self, request: Request) -> Response:
        data = self.files.get(request.path_params["path"])
        return Response(data, media_type="image/jpeg") if data else Response(status_code=404)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getFile":
            file_id = str(params.get("file_id"))
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_path": f"photos/{file_id}.jpg",
            }
        if method == "getUpdates":
            offset = int(params.get("offset", 0))
            return [u for u in self.updates if u["update_id"] >= offset]
        if method == "getMe":
            return {"id": 1, "is_bot": True, "first_name": "Osallistu", "username": "osallistu_bot"}
        if method in ("sendMessage", "editMessageReplyMarkup", "sendDocument"):
            chat = {"id": int(params.get("chat_id", 0)), "type": "private"}
            return {
                "message_id": next(self._message_ids),
                "date": DATE,
                "chat": chat,
                "text": str(params.get("text", "")),
            }
        return True

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._handle, methods=["POST", "GET"]),
                Route("/file/bot{token}/{path:path}", self._file),
            ]
        )


async def _params(request: Request) -> dict[str, Any]:
    """Form fields (JSON-encoded where not plain, as python-telegram-bot sends them); a file
    upload (sendDocument) is recorded by its name and bytes."""
    params: dict[str, Any] = {}
    if request.headers.get("content-type", "").startswith("multipart/"):
        form = await request.form()
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _decoded(value)
            else:
                params[key] = {"filename": value.filename, "content": await value.read()}
        return params
    for key, values in parse_qs((await request.body()).decode(), keep_blank_values=True).items():
        params[key] = _decoded(values[-1])
    return params


def _decoded(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


class Dropped(Response):
    """The head of a response and a few bytes, then the connection drops (a proxy that died)."""

    def __init__(self) -> None:
        super().__init__()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"64")]}
        )
        await send({"type": "http.response.body", "body": b'{"ok": tr', "more_body": True})
        raise ConnectionAbortedError("the fake platform dropped the connection")
