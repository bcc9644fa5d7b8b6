"""Typed settings read from the environment (prefix ``OSALLISTU_``) and an optional ``.env``.

Build them with ``load_settings()``; nothing is read at import time. Development mode
(``OSALLISTU_DEV_MODE=1``, which ``make run`` sets) generates throw-away secrets and says so
in the log; outside it, missing, placeholder or short secrets are refused at start-up.
"""

from __future__ import annotations

import logging
import re
import secrets
from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from locales import DEFAULT_LANGUAGE, RESIDENT_LANGUAGES, STAFF_LANGUAGES

logger = logging.getLogger(__name__)

_PLACEHOLDERS = {"changeme", "change-me", "secret", "password", "xxx", "todo", "test", "example"}
_TELEGRAM_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
# An origin as a browser writes it: scheme, host and an optional port; no path, no wildcard.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?/?$")
MIN_SECRET_LENGTH = 32


def _is_weak(value: str) -> bool:
    lowered = value.strip().lower()
    return len(lowered) < MIN_SECRET_LENGTH or any(p == lowered for p in _PLACEHOLDERS)


class Settings(BaseSettings):
    """Every setting of one osallistu instance."""

    model_config = SettingsConfigDict(
        env_prefix="OSALLISTU_", env_file=".env", extra="ignore", frozen=True
    )

    dev_mode: bool = False
    database_url: str = "sqlite:///osallistu.db"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    timezone: str = "Europe/Helsinki"
    default_locale: str = DEFAULT_LANGUAGE

    pseudonym_key: SecretStr | None = None

    telegram_token: SecretStr | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_file_url: str = "https://api.telegram.org/file/bot"  # photos residents sent
    telegram_polling: bool = False  # development without a public URL
    # The bot's username (without @): residents of channels that cannot carry news are
    # offered a t.me link to it. Unset: no link is offered.
    telegram_username: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_]{5,32}$")

    meta_app_secret: SecretStr | None = None
    instagram_app_secret: SecretStr | None = None  # Instagram Login apps sign with their own
    meta_verify_token: SecretStr | None = None
    meta_page_access_token: SecretStr | None = None
    instagram_access_token: SecretStr | None = None
    graph_api_url: str = "https://graph.facebook.com"
    instagram_api_url: str = "https://graph.instagram.com"
    graph_api_version: str = "v23.0"
    # Meta approved the app for the HUMAN_AGENT tag: a person of the team may then answer on
    # Messenger and Instagram up to 7 days after the resident's last message (else 24 hours).
    meta_human_agent: bool = False
    # A conversation handed to the team also passes the Messenger thread to the Page Inbox
    # (Meta Business Suite), so the team can answer there as well.
    meta_page_inbox_handover: bool = False

    export_dir: Path = Path("exports")
    staff_telegram_chat_id: str | None = None  # notices such as "new contact request"
    staff_locale: str = DEFAULT_LANGUAGE  # staff notices, the weekly summary's headings
    staff_idle_minutes: int = Field(default=30, ge=1)
    staff_session_hours: int = Field(default=12, ge=1)  # absolute, however active
    # Secure cookies (with the __Host- prefix) unless said otherwise; dev mode serves plain HTTP.
    staff_secure_cookies: bool | None = None
    staff_login_failures: int = Field(default=5, ge=1)  # within 15 minutes, then wait
    # A live-update stream of the conversation pages lasts this long; the browser then
    # reconnects (keep it under the proxy's idle timeout).
    staff_live_seconds: float = Field(default=300.0, gt=0)
    export_csv_delimiter: str = Field(default=";", min_length=1, max_length=1)
    weekly_summary_enabled: bool = True  # every Monday 07.00, and missed weeks at start-up
    # The weekly summary by e-mail: off until a host and recipients are set.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "osallistu@example.org"
    smtp_tls: str = Field(default="starttls", pattern="^(starttls|tls|none)$")
    summary_email_to: list[str] = Field(default_factory=list)

    # Sites that may show the chat in a frame (the launcher at /embed.js): exact origins,
    # such as ["https://www.mikkeli.fi"]. The chat's own origin may always.
    embed_origins: tuple[str, ...] = ()
    # Strict-Transport-Security on every response outside development mode; turn it off
    # where the proxy in front sets it already.
    hsts: bool = True

    privacy_url: str = "https://www.mikkeli.fi/tietosuoja"
    privacy_policy_version: str = "2026-11"
    accessibility_url: str = "https://www.mikkeli.fi/saavutettavuus"
    human_contact: str = "yhdessa.osallistuen@example.org (demo)"

    max_text_length: int = Field(default=2000, ge=100, le=4000)
    relay_interval_seconds: float = Field(default=1.0, gt=0)
    relay_enabled: bool = True  # off in instances that should only take requests
    # A claimed message is another relay's to retry after this long (its claimer may have died).
    relay_lease_seconds: float = Field(default=300.0, ge=5)
    # Telegram allows about 30 messages a second per bot in all: share it between instances.
    telegram_messages_per_second: float = Field(default=29.5, gt=0, le=30)
    # Instagram allows 100 calls a second per account; Messenger publishes no per-second
    # limit, and is paced the same so a poll announcement never arrives as one burst.
    meta_messages_per_second: float = Field(default=90.0, gt=0, le=100)
    # Where photos sent on Messenger and Instagram may be fetched from (Meta's CDNs).
    meta_media_hosts: tuple[str, ...] = ("fbcdn.net", "fbsbx.com", "cdninstagram.com")

    media_dir: Path = Path("media")
    max_image_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    ideas_per_day: int = Field(default=3, ge=1)
    # Only machine-speed traffic is throttled: a person tapping a button a second for minutes
    # on end, or a few a second for a moment, never is (dialogs.flood).
    flood_burst: int = Field(default=20, ge=1)  # messages one person may send at once
    flood_per_minute: int = Field(default=120, ge=1)  # and then per minute
    # New web chat sessions per address: a class or a library's network is hundreds of
    # people behind one address; one machine opening thousands is what this stops.
    webchat_sessions_per_address_per_minute: int = Field(default=300, ge=1)
    webchat_photos_per_session_per_hour: int = Field(default=10, ge=1)
    webchat_photos_per_address_per_hour: int = Field(default=200, ge=1)
    contact_response_time: str = "2"  # working days, as said to the resident

    retention_conversation_days: int = Field(default=30, ge=1)
    retention_payload_days: int = Field(default=7, ge=1)
    retention_inbox_key_days: int = Field(default=30, ge=2)
    retention_outbox_days: int = Field(default=30, ge=1)
    retention_handled_contact_days: int = Field(default=90, ge=1)
    retention_idea_contact_days: int = Field(default=365, ge=1)
    # A conversation with the team nobody writes in is closed after this many days, and kept
    # this many days after it closed.
    human_conversation_idle_days: int = Field(default=14, ge=1)
    retention_human_conversation_days: int = Field(default=90, ge=1)

    # Announcements: at most this many to one person in any seven days; nothing scheduled
    # goes out from quiet_hours_start to quiet_hours_end (hours in TIMEZONE).
    announcements_per_week: int = Field(default=3, ge=1)
    quiet_hours_start: int = Field(default=21, ge=0, le=23)
    quiet_hours_end: int = Field(default=8, ge=0, le=23)
    # A youth poll's announcement is drafted for staff to confirm; true sends it as it opens.
    announce_polls_automatically: bool = False
    # News by e-mail for residents whose chat cannot deliver it (web chat, Messenger,
    # Instagram): on once SMTP_HOST and PUBLIC_URL are set. Links in the letters start with
    # PUBLIC_URL, the address residents reach this service at.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/[^\s]*)?$")
    email_messages_per_second: float = Field(default=5.0, gt=0, le=100)
    unconfirmed_email_days: int = Field(default=7, ge=1)
    # Events: a Linked Events or MikkeliNYT address read every hour (MikkeliNYT's carries
    # the city's key, so it is kept as a secret and never logged).
    events_feed_url: SecretStr | None = None
    # An imported event's keywords (Linked Events' YSO ids, MikkeliNYT's category
    # names, lower case) that say whom it is for: young, families or seniors.
    events_keyword_audiences: dict[str, str] = {
        "yso:p11617": "young",  # nuoret
        "yso:p13050": "families",  # lapsiperheet
        "yso:p4354": "families",  # lapset
        "yso:p2433": "seniors",  # ikääntyneet
        "nuoret": "young",
        "lapset ja perheet": "families",
        "perheet": "families",
        "seniorit": "seniors",
        "ikääntyneet": "seniors",
    }
    # Residents signed up for an event are reminded the day before at this hour, and asked
    # "How was it?" once it has ended; names and phones shared with the organiser go a week
    # after the event, the sign-ups themselves after this many days.
    event_reminder_hour: int = Field(default=10, ge=0, le=23)
    retention_event_signup_days: int = Field(default=30, ge=8)

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in RESIDENT_LANGUAGES:
            raise ValueError(f"default_locale must be one of {', '.join(RESIDENT_LANGUAGES)}")
        return value

    @field_validator("staff_locale")
    @classmethod
    def _known_staff_locale(cls, value: str) -> str:
        if value not in STAFF_LANGUAGES:
            raise ValueError(f"staff_locale must be one of {', '.join(STAFF_LANGUAGES)}")
        return value

    @model_validator(mode="after")
    def _secrets_are_real(self) -> Self:
        if self.dev_mode:
            return self
        named = {
            "pseudonym_key": self.pseudonym_key,
            "telegram_webhook_secret": self.telegram_webhook_secret,
            "meta_app_secret": self.meta_app_secret,
            "instagram_app_secret": self.instagram_app_secret,
            "meta_verify_token": self.meta_verify_token,
        }
        if self.pseudonym_key is None:
            raise ValueError("OSALLISTU_PSEUDONYM_KEY is required outside development mode")
        if self.telegram_token is not None and self.telegram_webhook_secret is None:
            raise ValueError("OSALLISTU_TELEGRAM_WEBHOOK_SECRET is required with a Telegram token")
        for name, value in named.items():
            if value is not None and _is_weak(value.get_secret_value()):
                raise ValueError(
                    f"OSALLISTU_{name.upper()} looks like a placeholder or is shorter than "
                    f"{MIN_SECRET_LENGTH} characters"
                )
        return self

    @field_validator("embed_origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if not _ORIGIN.match(origin):
                raise ValueError(
                    f"EMBED_ORIGINS takes origins such as https://www.mikkeli.fi, not {origin!r}"
                )
        return tuple(origin.rstrip("/") for origin in value)

    @property
    def sends_hsts(self) -> bool:
        return self.hsts and not self.dev_mode

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _telegram_secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TELEGRAM_SECRET.match(value.get_secret_value()):
            raise ValueError(
                "Telegram's webhook secret must be 32-256 characters of A-Z a-z 0-9 _ -"
            )
        return value

    @property
    def secure_cookies(self) -> bool:
        if self.staff_secure_cookies is not None:
            return self.staff_secure_cookies
        return not self.dev_mode

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_token is not None

    @property
    def news_by_email(self) -> bool:
        return self.smtp_host is not None and self.public_url is not None

    @property
    def meta_enabled(self) -> bool:
        """Meta's webhook is served once its secret and verify token are set."""
        return self.meta_app_secret is not None and self.meta_verify_token is not None

    def meta_secrets(self) -> tuple[bytes, ...]:
        secrets = (self.meta_app_secret, self.instagram_app_secret)
        return tuple(s.get_secret_value().encode() for s in secrets if s is not None)

    def pseudonym_secret(self) -> bytes:
        assert self.pseudonym_key is not None, "load_settings() fills it in development mode"
        return self.pseudonym_key.get_secret_value().encode()


DEV_KEY_FILE = Path(".osallistu-dev-key")


def _dev_key() -> str:
    """A random key for development, kept in the working directory so that it survives a
    restart: pseudonyms and poll ballots ("answer once") depend on it."""
    if DEV_KEY_FILE.exists():
        return DEV_KEY_FILE.read_text(encoding="utf-8").strip()
    generated = secrets.token_urlsafe(32)
    DEV_KEY_FILE.write_text(generated, encoding="utf-8")
    DEV_KEY_FILE.chmod(0o600)
    logger.warning(
        "development mode: generated OSALLISTU_PSEUDONYM_KEY into %s; "
        "set a real one in the environment or .env outside development",
        DEV_KEY_FILE,
    )
    return generated


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; in development mode fill in missing secrets."""
    settings = Settings(**overrides)  # type: ignore[arg-type]
    if settings.dev_mode and settings.pseudonym_key is None:
        settings = settings.model_copy(update={"pseudonym_key": SecretStr(_dev_key())})
    if settings.dev_mode and settings.telegram_token and settings.telegram_webhook_secret is None:
        logger.warning("development mode: generated a Telegram webhook secret for this run")
        secret = SecretStr(secrets.token_urlsafe(48))
        settings = settings.model_copy(update={"telegram_webhook_secret": secret})
    return settings
