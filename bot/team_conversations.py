"""What the team does in a conversation with a resident: write, take it, close it — and the
job that closes conversations nobody has written in for days.

Each is one transaction: the resident's participant row is locked first (as the handling of
their own message locks it), then the conversation, the outbox rows and the resident's
place in the dialogs change together. A staff message is an outbox row like any reply, in
the first lane, marked with the staff member's name; the resident's chat then takes what
they write next to the team, wherever in the bot they were.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection, Engine

from dialogs.common import BACK_TO_MENU
from dialogs.flows import human_texts
from dialogs.replies import Reply, ReplyChoice
from locales import Translators
from storage import conversations, humans, outbox, participants, staff
from storage.engine import transaction
from storage.human_tables import ClosedBy
from storage.staff_tables import AuditAction
from storage.tables import Lane

logger = logging.getLogger(__name__)

TALKING = ("human", "talking")
MENU = ("menu", "main")
MAX_STAFF_MESSAGE = 2000
# The platform's own inbox gives the thread back to us before we write (Messenger).
TAKE_THREAD: dict[str, Any] = {"handover": "take"}


class ConversationClosed(Exception):
    """The conversation was closed meanwhile: nothing was sent."""


@dataclass(frozen=True)
class TeamMember:
    account_id: int | None  # None: written elsewhere (a benchmark, Meta's Page Inbox)
    name: str | None  # how the resident sees them; None: as the team, in their language


@dataclass(frozen=True)
class TeamConversations:
    database: Engine
    translators: Translators
    inbox_handover_channels: frozenset[str] = frozenset()  # Messenger, with the setting on

    def member(self, *, account_id: int) -> TeamMember:
        """The staff member as residents see them: their display name (never "Bot")."""
        with self.database.connect() as connection:
            name = humans.display_name(connection=connection, account_id=account_id)
        return TeamMember(account_id, name)

    def send(self, *, conversation_id: int, member: TeamMember, text: str, now: datetime) -> None:
        """Queue ``text`` for the resident as ``member``'s message; raise ConversationClosed."""
        with transaction(self.database) as connection:
            conversation = self._locked(connection, conversation_id)
            if conversation is None or not conversation.is_open:
                raise ConversationClosed(conversation_id)
            recipient = humans.recipient(connection=connection, conversation_id=conversation_id)
            assert recipient is not None  # the conversation is the participant's (cascade)
            translator = self.translators[recipient.locale or conversation.language]
            name = member.name or translator.gettext(human_texts.TEAM)
            humans.add_staff_message(
                connection=connection,
                conversation_id=conversation_id,
                account_id=member.account_id,
                sender_name=name,
                text=text,
                now=now,
            )
            payloads = [Reply(text=text, from_person=name).to_json()]
            if recipient.channel in self.inbox_handover_channels:
                payloads.insert(0, TAKE_THREAD)
            outbox.enqueue(
                connection=connection,
                channel=recipient.channel,
                recipient=recipient.channel_user_id,
                participant_id=recipient.participant_id,
                inbox_id=None,
                payloads=payloads,
                now=now,
                lane=Lane.HUMAN,
            )
            # Wherever in the bot they were, what the resident writes next is for the team.
            step = conversations.current_step(
                connection=connection, participant_id=recipient.participant_id
            )
            if step is None or not step.startswith("human."):
                conversations.move_to(
                    connection=connection,
                    participant_id=recipient.participant_id,
                    flow=TALKING[0],
                    step=TALKING[1],
                    now=now,
                )
            staff.audit(
                connection=connection,
                account_id=member.account_id,
                action=AuditAction.HUMAN_MESSAGE,
                target=f"conversation:{conversation_id}",
                now=now,
            )

    def take(self, *, conversation_id: int, account_id: int, now: datetime) -> bool:
        with transaction(self.database) as connection:
            taken = humans.take(
                connection=connection, conversation_id=conversation_id, account_id=account_id
            )
            staff.audit(
                connection=connection,
                account_id=account_id,
                action=AuditAction.HUMAN_TAKE,
                target=f"conversation:{conversation_id}",
                now=now,
            )
        return taken

    def close(
        self,
        *,
        conversation_id: int,
        by: ClosedBy,
        now: datetime,
        account_id: int | None = None,
        note: str | None = None,
        idle_days: int | None = None,
    ) -> bool:
        """Close it and tell the resident; False if it was closed already."""
        with transaction(self.database) as connection:
            closed = self._close(
                connection, conversation_id, by=by, now=now, note=note, idle_days=idle_days
            )
            if account_id is not None:
                staff.audit(
                    connection=connection,
                    account_id=account_id,
                    action=AuditAction.HUMAN_CLOSE,
                    target=f"conversation:{conversation_id}",
                    now=now,
                )
        return closed

    def close_idle(self, *, idle_days: int, now: datetime) -> int:
        """Close conversations nobody has written in for ``idle_days``; return how many."""
        with self.database.connect() as connection:
            idle = humans.idle_since(connection=connection, before=now - timedelta(days=idle_days))
        closed = 0
        for conversation_id in idle:
            closed += self.close(
                conversation_id=conversation_id, by=ClosedBy.IDLE, now=now, idle_days=idle_days
            )
        if closed:
            logger.info(
                "closed %d conversations with the team after %d idle days", closed, idle_days
            )
        return closed

    def _locked(
        self, connection: Connection, conversation_id: int
    ) -> humans.HumanConversationRow | None:
        conversation = humans.by_id(connection=connection, conversation_id=conversation_id)
        if conversation is None:
            return None
        participants.lock(connection=connection, participant_id=conversation.participant_id)
        # Read again under the lock: the resident may have ended it a moment ago.
        return humans.by_id(connection=connection, conversation_id=conversation_id)

    def _close(
        self,
        connection: Connection,
        conversation_id: int,
        *,
        by: ClosedBy,
        now: datetime,
        note: str | None,
        idle_days: int | None,
    ) -> bool:
        conversation = self._locked(connection, conversation_id)
        if conversation is None or not humans.close(
            connection=connection, conversation_id=conversation_id, by=by, now=now, note=note
        ):
            return False
        recipient = humans.recipient(connection=connection, conversation_id=conversation_id)
        assert recipient is not None
        translator = self.translators[recipient.locale or conversation.language]
        if idle_days is not None:
            said = translator.text(human_texts.ENDED_IDLE, {"days": idle_days})
        else:
            said = translator.gettext(human_texts.ENDED_BY_TEAM)
        menu = translator.label(BACK_TO_MENU.label)
        payloads: list[dict[str, Any]] = [
            Reply(text=said, choices=(ReplyChoice(BACK_TO_MENU.id, menu, menu),)).to_json()
        ]
        if recipient.channel in self.inbox_handover_channels:
            payloads.insert(0, TAKE_THREAD)
        outbox.enqueue(
            connection=connection,
            channel=recipient.channel,
            recipient=recipient.channel_user_id,
            participant_id=recipient.participant_id,
            inbox_id=None,
            payloads=payloads,
            now=now,
            lane=Lane.HUMAN,
        )
        step = conversations.current_step(
            connection=connection, participant_id=recipient.participant_id
        )
        if step is not None and step.startswith("human."):
            conversations.move_to(
                connection=connection,
                participant_id=recipient.participant_id,
                flow=MENU[0],
                step=MENU[1],
                now=now,
            )
        return True
