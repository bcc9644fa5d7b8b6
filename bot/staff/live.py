"""Live updates for the conversation pages: server-sent events fed from the database.

A page listens to ``/staff/conversations/live`` (the inbox) or ``…?conversation=ID`` (one
conversation). The stream looks at the database once a second and says ``update`` when
anything changed — also when the resident's message was handled by another instance, as
every instance reads the same tables. A stream lasts a few minutes, then the browser
reconnects (EventSource does so by itself), so a signed-out session stops getting them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from bot.staff.access import Permission
from bot.staff.auth import StaffUser
from bot.staff.web import area_of, require
from storage import human_inbox
from storage.types import MAX_ROW_ID

Outreach = Annotated[StaffUser, require(Permission.TALK_WITH_RESIDENTS)]

POLL_SECONDS = 1.0


def live_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/conversations/live", response_model=None)
    async def live(
        request: Request,
        _user: Outreach,
        conversation: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
    ) -> StreamingResponse:
        area = area_of(request)

        def mark() -> tuple[object, ...]:
            with area.reader.connect() as connection:  # a read beside the writer, on SQLite
                return human_inbox.change_mark(connection=connection, conversation_id=conversation)

        async def events() -> AsyncIterator[str]:
            seen = await anyio.to_thread.run_sync(mark)
            yield "retry: 3000\n\n"
            waited = 0.0
            while waited < area.settings.staff_live_seconds and not await request.is_disconnected():
                await asyncio.sleep(POLL_SECONDS)
                waited += POLL_SECONDS
                now = await anyio.to_thread.run_sync(mark)
                if now != seen:
                    seen = now
                    yield "event: update\ndata: {}\n\n"

        return StreamingResponse(
            events(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return router
