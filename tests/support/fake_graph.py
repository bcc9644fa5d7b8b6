"""A fake Graph / Instagram Send API on 127.0.0.1: records requests, answers like Meta, and can
be told to fail with Meta's error bodies (rate limits, outside the window, bad token, 5xx)."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass(frozen=True)
class GraphError:
    status: int
    code: int
    subcode: int | None = None
    message: str = "error"


@dataclass
class FakeGraph:
    requests: list[dict[str, Any]] = field(default_factory=list)
    failures: deque[GraphError] = field(default_factory=deque)
    profile: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, *errors: GraphError) -> None:
        self.failures.extend(errors)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if not r["failed"]]

    async def _messages(self, request: Request) -> JSONResponse:
        body = await request.json()
        record = {
            "version": request.path_params["version"],
            "token": request.query_params.get("access_token"),
            "authorization": request.headers.get("authorization"),
            "body": body,
            "failed": bool(self.failures),
        }
        self.requests.append(record)
        if self.failures:
            error = self.failures.popleft()
            detail: dict[str, Any] = {
                "message": error.message,
                "type": "OAuthException",
                "code": error.code,
            }
            if error.subcode is not None:
                detail["error_subcode"] = error.subcode
            return JSONResponse({"error": detail}, status_code=error.status)
        return JSONResponse(
            {"recipient_id": body["recipient"]["id"], "message_id": f"m_out_{next(self._ids)}"}
        )

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/{version}/me/messages", self._messages, methods=["POST"]),
                Route("/{version}/me/messenger_profile", self._profile, methods=["POST"]),
            ]
        )

    async def _profile(self, request: Request) -> JSONResponse:
        self.profile.append(
            {"token": request.query_params.get("access_token"), "body": await request.json()}
        )
        return JSONResponse({"result": "success"})
