"""The team's inbox of conversations with residents, and one conversation: read, write,
take, close. For outreach workers only; each view leaves an audit row, never content.

The pages work without JavaScript (reload to see what is new); with it, ``live.js`` listens
to ``/staff/conversations/live`` and fetches what changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from bot.reports.labels import CHANNEL_LABELS
from bot.staff.access import Permission
from bot.staff.allowance import allowance
from bot.staff.auth import StaffUser
from bot.staff.live import live_url
from bot.staff.photos import keep_on_demand, on_its_way, photo_headers, viewable
from bot.staff.web import (
    Form,
    RowId,
    area_of,
    audited,
    render,
    require,
    translator_of,
)
from bot.team_conversations import MAX_STAFF_MESSAGE, ConversationClosed, TeamMember
from handlers.channels import photo_spec, spec_of
from locales import N_, RESIDENT_LANGUAGES
from storage import human_inbox, humans, saved_replies, staff
from storage.engine import transaction
from storage.human_inbox import InboxView
from storage.human_tables import ClosedBy, HumanOrigin, HumanStatus
from storage.media import image_path
from storage.saved_replies import SavedReplyRow
from storage.staff_tables import AuditAction

Outreach = Annotated[StaffUser, require(Permission.TALK_WITH_RESIDENTS)]

VIEWS = {
    InboxView.WAITING: N_("Waiting"),
    InboxView.MINE: N_("Mine"),
    InboxView.CLOSED: N_("Closed"),
}
STATUS_LABELS = {
    HumanStatus.WAITING: N_("Waiting for an answer"),
    HumanStatus.OPEN: N_("Open"),
    HumanStatus.CLOSED: N_("Closed"),
}
ORIGIN_LABELS = {
    HumanOrigin.ASKED: N_("Asked to talk to a person"),
    HumanOrigin.MESSAGE: N_("Left a message outside service hours"),
    HumanOrigin.CONTACT: N_("Contact request: here in this chat"),
}
NOT_FOUND = N_("This conversation was not found. It may have been deleted.")
EMPTY = N_("Write a message first.")
TOO_LONG = N_("The message is too long. The limit is 2,000 characters.")
ALREADY_CLOSED = N_("The conversation was closed, so the message was not sent.")
NAME_TOO_LONG = N_("The name is too long. The limit is 80 characters.")


def _read(
    connection: Connection, user: StaffUser, conversation_id: int, now: datetime, fragment: bool
) -> tuple[list[human_inbox.MessageRow], str | None, humans.Recipient | None, list[SavedReplyRow]]:
    """What one conversation's page shows; it is seen now, and (but for a live refresh, part
    of the same view) the view is audited."""
    said = human_inbox.messages(connection=connection, conversation_id=conversation_id)
    context = human_inbox.bot_context(connection=connection, conversation_id=conversation_id)
    recipient = humans.recipient(connection=connection, conversation_id=conversation_id)
    conversation = humans.by_id(connection=connection, conversation_id=conversation_id)
    language = conversation.language if conversation else None
    replies = saved_replies.for_language(connection=connection, language=language)
    humans.mark_seen(connection=connection, conversation_id=conversation_id)
    if not fragment:
        staff.audit(
            connection=connection,
            account_id=user.account_id,
            action=AuditAction.VIEW_CONVERSATION,
            target=f"conversation:{conversation_id}",
            rows=len(said),
            now=now,
        )
    return said, context, recipient, replies


def conversations_router() -> APIRouter:
    router = APIRouter()

    @router.get("/staff/conversations", response_class=HTMLResponse)
    def inbox(
        request: Request,
        user: Outreach,
        view: InboxView = InboxView.WAITING,
        channel: str | None = None,
        language: str | None = None,
        done: str | None = None,
    ) -> HTMLResponse:
        area = area_of(request)
        channel = channel if channel in CHANNEL_LABELS else None
        language = language if language in RESIDENT_LANGUAGES else None
        now = datetime.now(UTC)
        with transaction(area.database) as connection:
            rows = human_inbox.inbox(
                connection=connection,
                view=view,
                account_id=user.account_id,
                channel=channel,
                language=language,
            )
            counts = human_inbox.counts(connection=connection, account_id=user.account_id)
            name = humans.display_name(connection=connection, account_id=user.account_id)
            live = live_url(connection)
            staff.audit(
                connection=connection,
                account_id=user.account_id,
                action=AuditAction.VIEW_CONVERSATIONS,
                rows=len(rows),
                now=now,
            )
        return render(
            request,
            "conversations.html",
            user=user,
            rows=rows,
            view=view,
            views=VIEWS,
            counts=counts,
            channel=channel or "",
            language_filter=language or "",
            channels=CHANNEL_LABELS,
            statuses=STATUS_LABELS,
            now=now,
            display_name=name or "",
            done=done,
            live=live,
        )

    def _page(
        request: Request,
        user: StaffUser,
        conversation_id: int,
        *,
        error: str | None = None,
        draft: str = "",
        status_code: int = 200,
        fragment: bool = False,
    ) -> HTMLResponse:
        area = area_of(request)
        now = datetime.now(UTC)
        with transaction(area.database) as connection:
            conversation = humans.by_id(connection=connection, conversation_id=conversation_id)
            if conversation is not None:
                said, context, recipient, replies = _read(
                    connection, user, conversation.id, now, fragment
                )
                live = live_url(connection, conversation.id)
        if conversation is None:
            return render(request, "message.html", user=user, message=NOT_FOUND, status_code=404)
        spec = spec_of(conversation.channel)
        allowed = allowance(
            spec,
            last_inbound_at=recipient.last_inbound_at if recipient else None,
            now=now,
            human_agent=area.settings.meta_human_agent,
        )
        translator = translator_of(request)
        saved = request.query_params.get("saved", "")
        if not draft and saved.isdigit():
            draft = next((r.text for r in replies if r.id == int(saved)), "")
        return render(
            request,
            "conversation_messages.html" if fragment else "conversation.html",
            user=user,
            conversation=conversation,
            messages=said,
            bot_context=context,
            channel_label=spec.label,
            allowed=translator.text(
                allowed.msgid, {**allowed.params, "channel": translator.gettext(spec.label)}
            ),
            sends_now=allowed.sends_now,
            statuses=STATUS_LABELS,
            origins=ORIGIN_LABELS,
            replies=replies,
            error=error,
            draft=draft,
            max_message=MAX_STAFF_MESSAGE,
            viewable=lambda ref: viewable(area, ref),
            on_its_way=on_its_way,
            live=live,
            status_code=status_code,
        )

    @router.get("/staff/conversations/{conversation_id}", response_class=HTMLResponse)
    def conversation_page(request: Request, conversation_id: RowId, user: Outreach) -> HTMLResponse:
        return _page(request, user, conversation_id)

    @router.get("/staff/conversations/{conversation_id}/messages", response_class=HTMLResponse)
    def conversation_messages(
        request: Request, conversation_id: RowId, user: Outreach
    ) -> HTMLResponse:
        """The messages alone, for the page's live refresh."""
        return _page(request, user, conversation_id, fragment=True)

    @router.post("/staff/conversations/{conversation_id}/messages", response_model=None)
    def send(request: Request, conversation_id: RowId, user: Outreach, form: Form) -> Response:
        area = area_of(request)
        text = form.get("text", "").strip()
        problem = EMPTY if not text else TOO_LONG if len(text) > MAX_STAFF_MESSAGE else None
        if problem is not None:
            return _page(request, user, conversation_id, error=problem, draft=text, status_code=422)
        team = area.team
        member: TeamMember = team.member(account_id=user.account_id)
        try:
            team.send(
                conversation_id=conversation_id, member=member, text=text, now=datetime.now(UTC)
            )
        except ConversationClosed:
            return _page(
                request, user, conversation_id, error=ALREADY_CLOSED, draft=text, status_code=409
            )
        return RedirectResponse(f"/staff/conversations/{conversation_id}#latest", status_code=303)

    @router.post("/staff/conversations/{conversation_id}/take", response_model=None)
    def take(request: Request, conversation_id: RowId, user: Outreach, _form: Form) -> Response:
        area_of(request).team.take(
            conversation_id=conversation_id, account_id=user.account_id, now=datetime.now(UTC)
        )
        return RedirectResponse(f"/staff/conversations/{conversation_id}", status_code=303)

    @router.post("/staff/conversations/{conversation_id}/close", response_model=None)
    def close(request: Request, conversation_id: RowId, user: Outreach, form: Form) -> Response:
        area_of(request).team.close(
            conversation_id=conversation_id,
            by=ClosedBy.STAFF,
            now=datetime.now(UTC),
            account_id=user.account_id,
            note=form.get("note", "").strip() or None,
        )
        return RedirectResponse("/staff/conversations?done=closed", status_code=303)

    @router.post("/staff/conversations/name", response_model=None)
    def set_name(request: Request, user: Outreach, form: Form) -> Response:
        """How residents see the signed-in member's messages."""
        area = area_of(request)
        name = " ".join(form.get("display_name", "").split())
        if len(name) > 80:
            return render(
                request, "message.html", user=user, message=NAME_TOO_LONG, status_code=422
            )
        with audited(
            area, user, AuditAction.SET_DISPLAY_NAME, target=f"account:{user.account_id}"
        ) as c:
            staff.set_display_name(connection=c, account_id=user.account_id, name=name or None)
        return RedirectResponse("/staff/conversations?done=name", status_code=303)

    @router.get("/staff/conversations/{conversation_id}/photos/{message_id}", response_model=None)
    async def photo(
        request: Request, conversation_id: RowId, message_id: RowId, user: Outreach
    ) -> Response:
        area = area_of(request)
        with area.database.connect() as connection:
            ref = human_inbox.message_photo(
                connection=connection, conversation_id=conversation_id, message_id=message_id
            )
        if ref is not None and photo_spec(ref) is not None:
            found = ref

            def attach(local: str) -> bool:
                with transaction(area.database) as connection:
                    return human_inbox.set_message_photo(
                        connection=connection, message_id=message_id, old=found, new=local
                    )

            ref = await keep_on_demand(area, ref, attach)
        path = image_path(media_dir=area.settings.media_dir, ref=ref)
        if path is None:
            return Response(status_code=404)
        return FileResponse(path, headers=photo_headers(f"message-{message_id}{path.suffix}"))

    return router
