"""Closing the loop: a staff answer to an idea reaches the resident in their own chat.

The answer is stored on the idea and queued in the outbox in one transaction, framed in the
resident's language. The relay delivers it like any reply: at once on Telegram, held until
the person's next message where Meta's 24-hour window has closed; the web chat page picks it
up the next time it asks (``/webchat/updates``). The resident also sees it under "My ideas".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from dialogs.common import BACK_TO_MENU
from dialogs.flows.human_texts import TEAM
from dialogs.replies import Reply, ReplyChoice
from locales import N_, Translators
from storage import idea_review, outbox, staff
from storage.engine import transaction
from storage.staff_tables import AuditAction

ANSWER_FRAME = N_("Your idea {reference} got an answer from the Yhdessä osallistuen team:")
MAX_ANSWER_LENGTH = 4000


@dataclass(frozen=True)
class AnswerOutcome:
    reference: str
    channel: str | None  # None: the resident deleted their data; the answer stays on the idea


def answer_idea(
    *,
    database: Engine,
    translators: Translators,
    idea_id: int,
    answer: str,
    account_id: int,
    now: datetime,
) -> AnswerOutcome | None:
    """Store ``answer`` and queue it for the resident; None if the idea does not exist."""
    with transaction(database) as connection:
        idea = idea_review.idea_detail(connection=connection, idea_id=idea_id)
        if idea is None:
            return None
        recipient = idea_review.save_answer(
            connection=connection, idea_id=idea_id, answer=answer, now=now
        )
        if recipient is not None:
            translator = translators[recipient.locale or idea.language]
            frame = translator.text(ANSWER_FRAME, {"reference": idea.reference})
            menu = translator.label(BACK_TO_MENU.label)
            messages = [
                Reply(text=frame),
                # Written by a person of the team: shown as a person's message, not the bot's.
                Reply(
                    text=answer,
                    choices=(ReplyChoice(id=BACK_TO_MENU.id, label=menu, short_label=menu),),
                    from_person=translator.gettext(TEAM),
                ),
            ]
            outbox.enqueue(
                connection=connection,
                channel=recipient.channel,
                recipient=recipient.channel_user_id,
                participant_id=recipient.participant_id,
                inbox_id=None,
                payloads=[message.to_json() for message in messages],
                now=now,
            )
        staff.audit(
            connection=connection,
            account_id=account_id,
            action=AuditAction.ANSWER_IDEA,
            target=f"idea:{idea_id}",
            now=now,
        )
    return AnswerOutcome(idea.reference, recipient.channel if recipient else None)
