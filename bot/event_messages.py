"""The messages a sign-up brings: a reminder the day before at ``EVENT_REMINDER_HOUR``, and
"How was it?" once the event has ended. They are part of the sign-up, not announcements:
no weekly cap, but never in quiet hours and never to someone who said "stop".

Where each goes follows the channel's rules: Telegram in the chat; the web chat's page
shows it when open or next opened, and a confirmed news address gets the reminder by
e-mail; Messenger and Instagram only inside the 24-hour window (outside it the reminder
waits for a message from the resident that day, or goes by e-mail where there is an
address). Each is claimed on its sign-up row in the transaction that queues it, so two
instances send it once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection, Engine

from bot.announcements import QuietHours
from dialogs.channels import Announcements, ChannelRules
from dialogs.flows import event_notices
from locales import DEFAULT_LANGUAGE, Translator, Translators
from storage import event_reminders, event_signups, events
from storage.announcements import Recipient
from storage.engine import transaction
from storage.event_reminders import Due
from storage.news_tables import BY_EMAIL

logger = logging.getLogger(__name__)

BATCH = 200
ASK_AFTER = timedelta(hours=1)  # "How was it?" this long after the end…
ASK_UNTIL = timedelta(days=2)  # …and not once the evening is long forgotten


@dataclass(frozen=True)
class Sent:
    reminders: int = 0
    questions: int = 0


class EventMessenger:
    def __init__(
        self,
        *,
        database: Engine,
        translators: Translators,
        channels: Mapping[str, ChannelRules],
        quiet: QuietHours,
        zone: ZoneInfo,
        reminder_hour: int,
        by_email: bool,
    ) -> None:
        self._database = database
        self._translators = translators
        self._channels = dict(channels)
        self._quiet = quiet
        self._zone = zone
        self._reminder_hour = reminder_hour
        self._by_email = by_email

    def send_due(self, *, now: datetime) -> Sent:
        self._fill_freed_places(now)
        if self._quiet.hold(now, self._zone):
            return Sent()
        sent = Sent(reminders=self._reminders(now), questions=self._questions(now))
        if sent.reminders or sent.questions:
            logger.info("event reminders %d, questions %d", sent.reminders, sent.questions)
        return sent

    def _fill_freed_places(self, now: datetime) -> None:
        """A place freed without a cancellation (its holder deleted their data) goes to the
        next in turn, who is told: news about their own sign-up, so quiet hours do not
        hold it."""
        with transaction(self._database) as connection:
            for event_id in event_signups.with_free_places(connection=connection, now=now):
                promoted = event_signups.fill_places(
                    connection=connection, event_id=event_id, now=now
                )
                event = events.get_event(connection=connection, event_id=event_id)
                if promoted and event is not None:
                    event_notices.tell(
                        connection=connection,
                        translators=self._translators,
                        event=event,
                        participant_ids=promoted,
                        word=event_notices.promoted,
                        now=now,
                    )

    def _reminders(self, now: datetime) -> int:
        local = now.astimezone(self._zone)
        if local.hour < self._reminder_hour:
            return 0
        tomorrow = datetime.combine(
            local.date() + timedelta(days=1), datetime.min.time(), self._zone
        )

        def due(connection: Connection, after_id: int) -> list[Due]:
            return event_reminders.due_reminders(
                connection=connection,
                starting_from=tomorrow,
                starting_before=tomorrow + timedelta(days=1),
                after_id=after_id,
                limit=BATCH,
            )

        return self._each(due, self._remind, now)

    def _questions(self, now: datetime) -> int:
        def due(connection: Connection, after_id: int) -> list[Due]:
            return event_reminders.due_questions(
                connection=connection,
                ended_before=now - ASK_AFTER,
                ended_after=now - ASK_UNTIL,
                after_id=after_id,
                limit=BATCH,
            )

        return self._each(due, self._ask, now)

    def _each(
        self,
        due: Callable[[Connection, int], list[Due]],
        send: Callable[[Connection, Due, datetime], bool],
        now: datetime,
    ) -> int:
        """Send to every due sign-up, a batch a transaction; how many were sent."""
        sent, after_id = 0, 0
        while True:
            with transaction(self._database) as connection:
                rows = due(connection, after_id)
                sent += sum(send(connection, row, now) for row in rows)
            if len(rows) < BATCH:
                return sent
            after_id = rows[-1].signup_id

    def _remind(self, connection: Connection, row: Due, now: datetime) -> bool:
        """Queue one reminder where it can go now; False if it cannot yet (left unclaimed:
        a message from the resident later that day opens the window)."""
        rules = self._channels.get(row.channel)
        in_chat = rules is not None and _reachable(rules, row, now)
        by_email = self._by_email and row.email_id is not None and not _writes_first(rules)
        if not (in_chat or by_email):
            return False
        event = events.get_event(connection=connection, event_id=row.event_id)
        if event is None or not event_reminders.claim_reminder(
            connection=connection, signup_id=row.signup_id, now=now
        ):
            return False
        t = self._translator(row)
        if in_chat:
            _queue(connection, _chat(row), event_notices.reminder(event, t), now)
        if by_email:
            email = Recipient(row.participant_id, BY_EMAIL, str(row.email_id), row.locale)
            _queue(connection, email, event_notices.reminder_letter(event, t), now)
        return True

    def _ask(self, connection: Connection, row: Due, now: datetime) -> bool:
        """Queue "How was it?" in the chat, where it can go now (its buttons need a chat)."""
        rules = self._channels.get(row.channel)
        if rules is None or not _reachable(rules, row, now):
            return False
        event = events.get_event(connection=connection, event_id=row.event_id)
        if event is None or not event_reminders.claim_question(
            connection=connection, signup_id=row.signup_id, now=now
        ):
            return False
        _queue(connection, _chat(row), event_notices.question(event, self._translator(row)), now)
        return True

    def _translator(self, row: Due) -> Translator:
        return self._translators[row.locale or DEFAULT_LANGUAGE]


def _reachable(rules: ChannelRules, row: Due, now: datetime) -> bool:
    """Whether the chat may carry it now: inside the platform's window where it has one."""
    if rules.window is None:
        return True
    return row.last_inbound_at is not None and now - row.last_inbound_at < rules.window


def _queue(
    connection: Connection, to: Recipient, payloads: list[dict[str, Any]], now: datetime
) -> None:
    event_notices.queue(connection=connection, recipient=to, payloads=payloads, now=now)


def _chat(row: Due) -> Recipient:
    return Recipient(row.participant_id, row.channel, row.recipient, row.locale)


def _writes_first(rules: ChannelRules | None) -> bool:
    """The bot may write first in this chat (Telegram): an e-mail would say it twice."""
    return rules is not None and rules.announcements is Announcements.IN_CHAT
