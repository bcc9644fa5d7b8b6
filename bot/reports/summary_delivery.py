"""Send made summary files to staff: the staff Telegram chat (sendDocument) and e-mail (SMTP).

Either is optional (settings). A failure is logged and the files stay in the staff area's
list, so a missed delivery never loses the summary itself.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

import anyio.to_thread
from telegram import Bot
from telegram.error import TelegramError

from bot.mail import smtp_client
from bot.reports.summary_files import MEDIA_TYPES
from bot.reports.summary_job import MadeFile
from bot.settings import Settings
from locales import N_, Translator

logger = logging.getLogger(__name__)

CAPTION = N_("Weekly summary, week {week}")


async def deliver(
    files: list[MadeFile], *, settings: Settings, bot: Bot | None, translator: Translator
) -> None:
    if not files:
        return
    if bot is not None and settings.staff_telegram_chat_id:
        for made in files:
            try:
                with made.path.open("rb") as document:
                    await bot.send_document(
                        chat_id=settings.staff_telegram_chat_id,
                        document=document,
                        filename=made.path.name,
                        caption=translator.text(CAPTION, {"week": str(made.week)}),
                    )
            except (TelegramError, OSError) as error:
                logger.error(
                    "summary %s not sent to Telegram: %s", made.path.name, type(error).__name__
                )
    if settings.smtp_host and settings.summary_email_to:
        try:
            await anyio.to_thread.run_sync(send_email, files, settings, translator)
        except (OSError, smtplib.SMTPException) as error:
            logger.error("summary e-mail not sent: %s", type(error).__name__)


def send_email(files: list[MadeFile], settings: Settings, translator: Translator) -> None:
    message = EmailMessage()
    message["Subject"] = translator.text(CAPTION, {"week": str(files[0].week)})
    message["From"] = settings.smtp_from
    message["To"] = ", ".join(settings.summary_email_to)
    message.set_content(translator.gettext(N_("Last week's summary is attached.")))
    for made in files:
        maintype, _, rest = MEDIA_TYPES[made.format].partition("/")
        message.add_attachment(
            made.path.read_bytes(),
            maintype=maintype,
            subtype=rest.split(";")[0],
            filename=made.path.name,
        )
    with smtp_client(settings) as client:
        client.send_message(message)
