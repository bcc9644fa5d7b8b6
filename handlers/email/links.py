"""The links in a letter: to confirm an address, or to stop news by e-mail.

A link carries the address's id and a keyed digest of it and of what the link does, so only
the person it was sent to can use it, and only for that; a new address (a new id) makes the
old links stop working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from dialogs.letters import LetterLink

PATH = "/news/email"  # /news/email/{language}/{link}/{id}/{token}


@dataclass(frozen=True)
class EmailLinks:
    public_url: str  # where residents reach the service: https://osallistu.example.fi
    key: bytes

    def token(self, link: LetterLink, email_id: int, address: str) -> str:
        message = f"news-email\x00{link.value}\x00{email_id}\x00{address}".encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(digest).decode()

    def valid(self, link: LetterLink, email_id: int, address: str, token: str) -> bool:
        return hmac.compare_digest(self.token(link, email_id, address), token)

    def url(self, link: LetterLink, *, email_id: int, address: str, language: str) -> str:
        base = self.public_url.rstrip("/")
        token = self.token(link, email_id, address)
        return f"{base}{PATH}/{language}/{link.value}/{email_id}/{token}"
