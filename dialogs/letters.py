"""An e-mail to a resident, as the outbox keeps it: written in their language when queued;
the link is the address's own (to confirm it, or to stop), made by the sender when it goes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class LetterLink(StrEnum):
    CONFIRM = "confirm"  # the first message: open to start getting news by e-mail
    UNSUBSCRIBE = "unsubscribe"  # every announcement: one click stops news by e-mail


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    link_text: str  # the sentence the link follows: "To stop these e-mails, open this link:"
    link: LetterLink
    language: str  # of the page the link opens

    @property
    def one_click_unsubscribe(self) -> bool:
        """RFC 8058's List-Unsubscribe headers go with every announcement."""
        return self.link is LetterLink.UNSUBSCRIBE

    def to_json(self) -> dict[str, Any]:
        return {
            "letter": {
                "subject": self.subject,
                "text": self.text,
                "link_text": self.link_text,
                "link": self.link.value,
                "language": self.language,
            }
        }

    @classmethod
    def from_json(cls, payload: dict[str, Any]) -> Letter:
        letter = payload["letter"]
        return cls(
            subject=str(letter["subject"]),
            text=str(letter["text"]),
            link_text=str(letter["link_text"]),
            link=LetterLink(letter["link"]),
            language=str(letter["language"]),
        )
