"""Announcements to subscribers: written by staff (the staff page, ``osallistu announce``),
sent by a job when due, through the outbox's bulk lane so that no conversation waits.

Rules: at most ``announcements_per_week`` to a person in any seven days (one beyond is
skipped for them and counted); quiet hours hold scheduled sends until the morning, not a
send staff start now; a send under way in quiet hours goes on only for those already queued.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from dialogs.common import BACK_TO_MENU
from dialogs.letters import Letter, LetterLink
from dialogs.replies import Reply, ReplyChoice
from locales import CONTENT_LANGUAGES, DEFAULT_LANGUAGE, N_, Translator, Translators
from storage import announcement_reads, announcements
from storage.announcement_reads import Progress
from storage.announcements import AnnouncementDraft, Recipient, Render
from storage.engine import transaction
from storage.news_tables import BY_EMAIL, Topic

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
STOP_HINT = N_("You get this because you chose news. To stop, type “stop”.")
EMAIL_HINT = N_("You get this because you chose news by e-mail in the chat of Yhdessä osallistuen.")
EMAIL_STOP = N_("To stop these e-mails, open this link:")
SUBJECT_LENGTH = 70  # a subject line a phone shows whole
NEW_POLL = N_("A new youth poll is open: {title}. To answer it, write “poll” here.")


class Refusal(StrEnum):
    NO_FINNISH = "no_finnish"
    TOO_LONG = "too_long"
    MISSING = "missing"


class TextsRefused(ValueError):
    """What is wrong with the texts: ``reason`` for the staff page's words, the message for
    the command line."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class QuietHours:
    """Hours of the night when nothing scheduled goes out, in the city's time zone."""

    start: int  # 21: from 21.00
    end: int  # 8: until 8.00

    def hold(self, now: datetime, zone: ZoneInfo) -> bool:
        hour = now.astimezone(zone).hour
        if self.start <= self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end


def checked_texts(texts: Mapping[str, str | None], *, finnish_for_missing: bool) -> dict[str, str]:
    """The text in every language; a missing one is refused unless staff chose Finnish for it."""
    cleaned = {lang: (texts.get(lang) or "").strip() for lang in CONTENT_LANGUAGES}
    if not cleaned[DEFAULT_LANGUAGE]:
        raise TextsRefused(Refusal.NO_FINNISH, "the Finnish text is missing")
    too_long = [lang for lang, text in cleaned.items() if len(text) > MAX_TEXT]
    if too_long:
        raise TextsRefused(
            Refusal.TOO_LONG, f"at most {MAX_TEXT} characters: {', '.join(too_long)}"
        )
    missing = [lang for lang, text in cleaned.items() if not text]
    if missing and not finnish_for_missing:
        raise TextsRefused(Refusal.MISSING, f"missing: {', '.join(missing)}")
    return {lang: text or cleaned[DEFAULT_LANGUAGE] for lang, text in cleaned.items()}


class Announcer:
    def __init__(
        self,
        *,
        database: Engine,
        translators: Translators,
        channels: Collection[str],
        weekly_cap: int,
        quiet: QuietHours,
        zone: ZoneInfo,
        polls_automatically: bool = False,
    ) -> None:
        self._database = database
        self._translators = translators
        self._channels = tuple(channels)  # the chat channels that deliver news, and BY_EMAIL
        self._weekly_cap = weekly_cap
        self._quiet = quiet
        self._zone = zone
        self._polls_automatically = polls_automatically

    def in_quiet_hours(self, now: datetime) -> bool:
        return self._quiet.hold(now, self._zone)

    def announce(self, draft: AnnouncementDraft, *, now: datetime) -> int:
        with transaction(self._database) as connection:
            return announcements.create(connection=connection, draft=draft, now=now)

    def send_due(self, *, now: datetime) -> int:
        """Queue what is due, a batch a transaction; how many messages were queued."""
        with transaction(self._database) as connection:
            due = announcements.claim_due(
                connection=connection, now=now, quiet=self.in_quiet_hours(now)
            )
        queued = 0
        for announcement_id in due:
            texts = self._texts(announcement_id)
            while True:
                with transaction(self._database) as connection:
                    batch = announcements.queue_batch(
                        connection=connection,
                        announcement_id=announcement_id,
                        channels=self._channels,
                        render=self._render(texts),
                        weekly_cap=self._weekly_cap,
                        now=now,
                    )
                queued += batch.queued
                if batch.done:
                    break
            logger.info("announcement %s queued", announcement_id)
        return queued

    def draft_for_new_polls(self, *, now: datetime) -> list[int]:
        """Each youth poll gets its announcement, to staff to confirm (or sent as it opens)."""

        def texts(title: Mapping[str, str]) -> dict[str, str]:
            return {
                language: self._translators[language].text(
                    NEW_POLL, {"title": title.get(language) or title[DEFAULT_LANGUAGE]}
                )
                for language in CONTENT_LANGUAGES
            }

        try:
            with transaction(self._database) as connection:
                return announcements.draft_for_new_polls(
                    connection=connection,
                    now=now,
                    texts=texts,
                    confirmed=self._polls_automatically,
                )
        except IntegrityError:
            return []  # another instance drafted it at the same moment: one a poll stands

    def stop(self, announcement_id: int, *, now: datetime) -> int:
        with transaction(self._database) as connection:
            return announcements.stop(
                connection=connection, announcement_id=announcement_id, now=now
            )

    def progress(self, announcement_id: int) -> Progress:
        with self._database.connect() as connection:
            return announcement_reads.progress(
                connection=connection, announcement_id=announcement_id
            )

    @property
    def channels(self) -> tuple[str, ...]:
        return self._channels

    @property
    def by_email(self) -> bool:
        return BY_EMAIL in self._channels

    def audience(self, topic: Topic, area_code: str | None) -> int:
        with self._database.connect() as connection:
            return announcements.audience_size(
                connection=connection, topic=topic, area_code=area_code, channels=self._channels
            )

    def preview(self, texts: Mapping[str, str]) -> dict[str, str]:
        """Each language's message exactly as a subscriber reads it in the chat."""
        return {
            language: self._chat_message(texts, self._translators[language])["text"]
            for language in texts
        }

    def preview_letters(self, texts: Mapping[str, str]) -> dict[str, Letter]:
        """Each language's e-mail, before its link is added."""
        return {language: self._letter(texts, self._translators[language]) for language in texts}

    def _texts(self, announcement_id: int) -> dict[str, str]:
        with self._database.connect() as connection:
            return announcements.texts_of(connection=connection, announcement_id=announcement_id)

    def _render(self, texts: Mapping[str, str]) -> Render:
        def render(recipient: Recipient) -> list[dict[str, Any]]:
            locale = recipient.locale
            language = locale if locale is not None and locale in texts else DEFAULT_LANGUAGE
            t = self._translators[language]
            if recipient.channel == BY_EMAIL:
                return [self._letter(texts, t).to_json()]
            return [self._chat_message(texts, t)]

        return render

    @staticmethod
    def _chat_message(texts: Mapping[str, str], t: Translator) -> dict[str, Any]:
        menu = t.label(BACK_TO_MENU.label)
        text = f"{texts[t.language]}\n\n{t.gettext(STOP_HINT)}"
        choice = ReplyChoice(BACK_TO_MENU.id, menu, menu)
        return Reply(text=text, choices=(choice,)).to_json()

    @staticmethod
    def _letter(texts: Mapping[str, str], t: Translator) -> Letter:
        text = texts[t.language]
        return Letter(
            subject=subject_of(text),
            text=f"{text}\n\n{t.gettext(EMAIL_HINT)}",
            link_text=t.gettext(EMAIL_STOP),
            link=LetterLink.UNSUBSCRIBE,
            language=t.language,
        )


def subject_of(text: str) -> str:
    """The announcement's first line, cut at a word to fit a phone's subject line."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(first) <= SUBJECT_LENGTH:
        return first
    cut = first[: SUBJECT_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,.;:–-")
    return f"{cut}…"
