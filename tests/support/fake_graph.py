"""A fake Graph / Instagram Send API on 127.0.0.1: records requests, answers like Meta, and can
be told to fail with Meta's error bodies (rate limits, outside the window, bad token, 5xx)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.fake_telegram import Dropped


@dataclass(frozen=True)
class GraphError:
    status: int
    code: int
    subcode: int | None = None
    message: str = "error"
    delay: float = 0.0  # seconds before the answer
    drop: bool = False  # start the answer, then drop the connection (nothing delivered)


PASS = GraphError(200, 0)  # lets its call through (for patterns of failures)


@dataclass
class FakeGraph:
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: deque[GraphError] = field(default_factory=deque)
    profile: list[dict[str, Any]] = field(default_factory=list)
    # Instagram's limit, when set: calls beyond it in any one second get 613/2534040.
    calls_per_second: int | None = None
    provoked_limits: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _recent: deque[float] = field(default_factory=deque)

    def fail_next(self, *errors: GraphError) -> None:
        self.failures.extend(errors)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if not r["failed"] and r["path"] == "messages"]

    @property
    def handovers(self) -> list[tuple[str, dict[str, Any]]]:
        """Thread control passed or taken (Messenger's handover), as (call, body)."""
        return [(r["path"], r["body"]) for r in self.requests if r["path"] != "messages"]

    async def _messages(self, request: Request) -> Response:
        body = await request.json()
        record = {
            "path": request.url.path.rsplit("/", 1)[-1],
            "version": request.path_params["version"],
            "token": request.query_params.get("access_token"),
            "authorization": request.headers.get("authorization"),
            "body": body,
            "failed": False,
        }
        error: GraphError | None
        if self.failures:
            error = self.failures.popleft()
            if error == PASS:
                error = None
            elif error.delay:
                await asyncio.sleep(error.delay)
        elif self._over_limit():
            self.provoked_limits += 1
            error = GraphError(400, 613, 2534040, "Calls to this api have exceeded the rate limit.")
        else:
            error = None
        record["failed"] = error is not None
        record["status"] = (
            0 if error is not None and error.drop else (error.status if error else 200)
        )
        self.requests.append(record)
        if error is not None and error.drop:
            return Dropped()
        if error is not None:
            detail: dict[str, Any] = {
                "message": error.message,
                "type": "OAuthException",
                "code": error.code,
            }
            if error.subcode is not None:
                detail["error_subcode"] = error.subcode
            return JSONResponse({"error": detail}, status_code=error.status)
        if record["path"] != "messages":
            return JSONResponse({"success": True})
        return JSONResponse(
            {"recipient_id": body["recipient"]["id"], "message_id": f"m_out_{next(self._ids)}"}
        )

    def _over_limit(self) -> bool:
        if self.calls_per_second is None:
            return False
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.calls_per_second:
            return True
        self._recent.append(now)
        return False

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/{version}/me/messages", self._messages, methods=["POST"]),
                Route("/{version}/me/pass_thread_control", self._messages, methods=["POST"]),
                Route("/{version}/me/take_thread_control", self._messages, methods=["POST"]),
                Route("/{version}/me/messenger_profile", self._profile, methods=["POST"]),
            ]
        )

    async def _profile(self, request: Request) -> JSONResponse:
        self.profile.append(
            {"token": request.query_params.get("access_token"), "body": await request.json()}
        )
        return JSONResponse({"result": "success"})
