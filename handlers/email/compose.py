"""A letter as an e-mail message: plain text, the link in the body, and for announcements
RFC 8058's one-click unsubscribe (``List-Unsubscribe`` with ``List-Unsubscribe-Post``), so a
mail program's "unsubscribe" button stops the news without opening anything."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from dialogs.letters import Letter
from handlers.email.links import EmailLinks


def compose(
    letter: Letter, *, email_id: int, address: str, sender: str, links: EmailLinks, key: str
) -> EmailMessage:
    """``key`` names the letter once (its outbox row): a letter sent again after a crash
    carries the same Message-ID, which mail systems use to drop the second copy."""
    url = links.url(letter.link, email_id=email_id, address=address, language=letter.language)
    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = sender
    message["To"] = address
    message["Date"] = formatdate(localtime=False)
    domain = sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<osallistu.{key}@{domain}>"
    # A letter to one person: no out-of-office replies back to the bot.
    message["Auto-Submitted"] = "auto-generated"
    if letter.one_click_unsubscribe:
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(f"{letter.text}\n\n{letter.link_text}\n{url}\n")
    message["Content-Language"] = letter.language  # after the content, which clears Content-*
    return message
