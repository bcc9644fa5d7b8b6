"""The connection to the SMTP relay, from the settings: for the weekly summary and for news
by e-mail. Signing (DKIM) is the relay's job (docs/deploy.md)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from bot.settings import Settings

TIMEOUT_SECONDS = 30


@contextmanager
def smtp_client(settings: Settings) -> Iterator[smtplib.SMTP]:
    """A signed-in connection (TLS as the settings say), closed on leaving."""
    if settings.smtp_host is None:
        raise smtplib.SMTPException("SMTP_HOST is not set")
    context = ssl.create_default_context()
    if settings.smtp_tls == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, context=context, timeout=TIMEOUT_SECONDS
        )
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=context)
        if settings.smtp_username and settings.smtp_password:
            client.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        yield client
