"""Sends letters (news by e-mail) for the outbox relay, through the SMTP relay.

The outbox row names the address by its id, never by the address itself: an address
forgotten meanwhile (the resident stopped, or deleted their data) is not written to.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from contextlib import AbstractContextManager
from email.message import EmailMessage

import anyio.to_thread
from sqlalchemy.engine import Engine

from dialogs.letters import Letter, LetterLink
from handlers.delivery import Delivery, RetryLater, Sent, Undeliverable
from handlers.email.compose import compose
from handlers.email.links import EmailLinks
from storage import news_emails
from storage.news_emails import NewsEmailRow
from storage.news_tables import BY_EMAIL
from storage.outbox import OutboxItem

logger = logging.getLogger(__name__)

# Opens a signed-in connection to the SMTP relay (``bot.mail``).
Connect = Callable[[], AbstractContextManager[smtplib.SMTP]]


class EmailSender:
    channel = BY_EMAIL

    def __init__(self, *, database: Engine, links: EmailLinks, connect: Connect, sender: str):
        self._database = database
        self._links = links
        self._connect = connect
        self._sender = sender

    async def send(self, item: OutboxItem) -> Delivery:
        letter = Letter.from_json(item.payload)
        found = await anyio.to_thread.run_sync(self._address, int(item.recipient))
        if found is None:
            return Undeliverable(reason="the address was forgotten")
        if letter.link is LetterLink.UNSUBSCRIBE and not found.confirmed:
            return Undeliverable(reason="the address is not confirmed")
        message = compose(
            letter,
            email_id=found.id,
            address=found.address,
            sender=self._sender,
            links=self._links,
            key=f"outbox-{item.id}",
        )
        try:
            await anyio.to_thread.run_sync(self._send, message)
        except smtplib.SMTPRecipientsRefused:
            return Undeliverable(reason="the mail relay refused the address")
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                return Undeliverable(reason=f"the mail relay said {error.smtp_code}")
            return RetryLater(reason=f"the mail relay said {error.smtp_code}")
        except (OSError, smtplib.SMTPException) as error:
            return RetryLater(reason=f"mail relay: {type(error).__name__}")
        return Sent()

    def _address(self, email_id: int) -> NewsEmailRow | None:
        with self._database.connect() as connection:
            return news_emails.by_id(connection=connection, email_id=email_id)

    def _send(self, message: EmailMessage) -> None:
        with self._connect() as client:
            client.send_message(message)
