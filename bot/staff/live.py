"""Live updates for the conversation pages: server-sent events fed from the database.

A page listens to ``/staff/conversations/live`` (the inbox) or ``…?conversation=ID`` (one
conversation). The stream looks at the database once a second and says ``update`` when
anything changed — also when the resident's message was handled by another instance, as
every instance reads the same tables. A stream lasts a few minutes, then the browser
reconnects (EventSource does so by itself), so a signed-out session stops getting them.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.engine import Connection

from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.web import area_of, require
from storage import human_inbox
from storage.types import MAX_ROW_ID

Outreach = Annotated[StaffUser, require(Permission.TALK_WITH_RESIDENTS)]

POLL_SECONDS = 1.0


def mark_of(connection: Connection, conversation_id: int | None = None) -> str:
    """A short token that changes whenever the inbox (or one conversation) changes."""
    mark = human_inbox.change_mark(connection=connection, conversation_id=conversation_id)
    return hashlib.sha256(repr(mark).encode()).hexdigest()[:16]


def live_url(connection: Connection, conversation_id: int | None = None) -> str:
    """Where a page listens, with the state it shows, so nothing between is missed."""
    since = mark_of(connection, conversation_id)
    which = f"conversation={conversation_id}&" if conversation_id is not None else ""
    return f"/staff/conversations/live?{which}since={since}"


def live_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/conversations/live", response_model=None)
    async def live(
        request: Request,
        _user: Outreach,
        conversation: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
        since: Annotated[str | None, Query(max_length=32)] = None,
    ) -> StreamingResponse:
        area = area_of(request)
        # What the page last saw: the state it was drawn from, or, after a reconnection,
        # the last event's id (EventSource sends it).
        seen = request.headers.get("last-event-id") or since

        def mark() -> str:
            with area.reader.connect() as connection:  # a read beside the writer, on SQLite
                return mark_of(connection, conversation)

        async def events() -> AsyncIterator[str]:
            nonlocal seen
            yield "retry: 3000\n\n"
            waited = 0.0
            while True:
                now = await anyio.to_thread.run_sync(mark)
                if now != seen:
                    if seen is not None:
                        yield f"event: update\nid: {now}\ndata: {{}}\n\n"
                    seen = now
                if waited >= area.settings.staff_live_seconds or await request.is_disconnected():
                    return
                await asyncio.sleep(POLL_SECONDS)
                waited += POLL_SECONDS

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return router
