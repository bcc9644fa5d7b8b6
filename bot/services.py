"""Build the long-lived parts of one instance from its settings: database, dialogs, relay."""

from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.engine import Engine
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder

from bot.announcements import Announcer, QuietHours
from bot.event_messages import EventMessenger
from bot.mail import smtp_client
from bot.relay import OutboxRelay, RetryPolicy
from bot.settings import Settings
from bot.team_conversations import TeamConversations
from dialogs.channels import Announcements, ChannelRules
from dialogs.definitions import DialogConfig, StaffNotice
from dialogs.engine import ConversationEngine
from dialogs.events import Channel
from dialogs.flood import FloodGate
from dialogs.flows import build_registry
from dialogs.registry import FlowRegistry
from dialogs.runner import ConversationRunner
from handlers import channels
from handlers.delivery import Pace, Sender
from handlers.email.links import EmailLinks
from handlers.email.sender import EmailSender
from handlers.meta.sender import MetaSender
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from locales import Translators
from storage.engine import is_sqlite, make_engine, make_read_engine
from storage.news_tables import BY_EMAIL

POSTGRES_WORKER_THREADS = 8


@dataclass(frozen=True)
class Services:
    settings: Settings
    database: Engine
    reader: Engine  # long reads (exports, summaries): on SQLite beside the writer, not before it
    translators: Translators
    registry: FlowRegistry
    engine: ConversationEngine
    runner: ConversationRunner
    relay: OutboxRelay
    telegram: Application | None = None  # python-telegram-bot, without an Updater
    meta_client: httpx.AsyncClient | None = None  # the Send API's connection pool
    email_links: EmailLinks | None = None  # news by e-mail: its letters' links and pages

    @property
    def telegram_bot(self) -> Bot | None:
        return self.telegram.bot if self.telegram is not None else None

    @property
    def announcer(self) -> Announcer:
        """Announcements to subscribers, where a channel delivers them in the chat, and by
        e-mail where that is set up."""
        settings = self.settings
        return Announcer(
            database=self.database,
            translators=self.translators,
            channels=[
                *(
                    channel
                    for channel, rules in self.engine.channels.items()
                    if rules.announcements is Announcements.IN_CHAT
                ),
                *((BY_EMAIL,) if settings.news_by_email else ()),
            ],
            weekly_cap=settings.announcements_per_week,
            quiet=QuietHours(settings.quiet_hours_start, settings.quiet_hours_end),
            zone=ZoneInfo(settings.timezone),
            polls_automatically=settings.announce_polls_automatically,
        )

    @property
    def event_messenger(self) -> EventMessenger:
        """Reminders and "How was it?" for residents signed up for events."""
        settings = self.settings
        return EventMessenger(
            database=self.database,
            translators=self.translators,
            channels=self.engine.channels,
            quiet=QuietHours(settings.quiet_hours_start, settings.quiet_hours_end),
            zone=ZoneInfo(settings.timezone),
            reminder_hour=settings.event_reminder_hour,
            by_email=settings.news_by_email,
        )

    @property
    def team(self) -> TeamConversations:
        """What the team does in conversations with residents (staff pages and jobs)."""
        handover = frozenset(
            channel for channel, rules in self.engine.channels.items() if rules.inbox_handover
        )
        return TeamConversations(self.database, self.translators, handover)


def dialog_config(settings: Settings, translators: Translators) -> DialogConfig:
    notice = (
        StaffNotice(
            channel="telegram",
            chat_id=settings.staff_telegram_chat_id,
            translator=translators[settings.staff_locale],
        )
        if settings.staff_telegram_chat_id
        else None
    )
    return DialogConfig(
        privacy_url=settings.privacy_url,
        policy_version=settings.privacy_policy_version,
        accessibility_url=settings.accessibility_url,
        human_contact=settings.human_contact,
        max_text_length=settings.max_text_length,
        ideas_per_day=settings.ideas_per_day,
        contact_response_time=settings.contact_response_time,
        contact_kept_days=settings.retention_handled_contact_days,
        telegram_url=f"https://t.me/{settings.telegram_username}"
        if settings.telegram_username
        else None,
        news_by_email=settings.news_by_email,
        public_url=settings.public_url,
        event_reminder_hour=settings.event_reminder_hour,
        translators=translators,
        ballot_key=settings.pseudonym_secret(),
        media_dir=settings.media_dir,
        staff_notice=notice,
    )


def build_services(settings: Settings, *, senders: dict[str, Sender] | None = None) -> Services:
    database = make_engine(settings.database_url)
    translators = Translators(timezone=settings.timezone)
    registry = build_registry()
    engine = ConversationEngine(
        database=database,
        registry=registry,
        translators=translators,
        config=dialog_config(settings, translators),
        pseudonym_key=settings.pseudonym_secret(),
        channels=channel_rules(settings),
        default_language=settings.default_locale,
    )
    threads = 0 if is_sqlite(database) else POSTGRES_WORKER_THREADS
    telegram = _telegram_application(settings)
    all_senders: dict[str, Sender] = {}
    if telegram is not None:
        pacer = Pacer(
            per_chat_interval=channels.spec_of(Channel.TELEGRAM).per_chat_interval,
            overall_per_second=settings.telegram_messages_per_second,
        )
        all_senders["telegram"] = TelegramSender(telegram.bot, pacer)
    meta_client = _meta_client(settings)
    if meta_client is not None:
        all_senders.update(_meta_senders(settings, meta_client))
    email_links = _email_links(settings)
    if email_links is not None:
        all_senders[BY_EMAIL] = _email_sender(settings, database, email_links)
    all_senders.update(senders or {})
    reader = make_read_engine(settings.database_url) if is_sqlite(database) else database
    return Services(
        settings=settings,
        database=database,
        reader=reader,
        translators=translators,
        registry=registry,
        engine=engine,
        runner=ConversationRunner(
            engine,
            threads=threads,
            flood=FloodGate(burst=settings.flood_burst, per_minute=settings.flood_per_minute),
        ),
        relay=OutboxRelay(
            database=database,
            senders=all_senders,
            paces=paces(settings),
            policy=RetryPolicy(lease_seconds=settings.relay_lease_seconds),
        ),
        telegram=telegram,
        meta_client=meta_client,
        email_links=email_links,
    )


def channel_rules(settings: Settings) -> dict[str, ChannelRules]:
    """Each channel's rules from its spec, with the handover to Meta's Page Inbox where the
    settings turn it on."""
    rules = dict(channels.rules())
    if settings.meta_page_inbox_handover:
        rules[Channel.MESSENGER] = replace(rules[Channel.MESSENGER], inbox_handover=True)
    return rules


def paces(settings: Settings) -> dict[str, Pace]:
    """Each relayed channel's pace: its spec's per-chat interval, the settings' overall rate."""
    overall: dict[str, float] = {
        Channel.TELEGRAM: settings.telegram_messages_per_second,
        Channel.MESSENGER: settings.meta_messages_per_second,
        Channel.INSTAGRAM: settings.meta_messages_per_second,
    }
    return {
        **{
            spec.channel: Pace(overall[spec.channel], spec.per_chat_interval)
            for spec in channels.CHANNELS
            if not spec.rules.synchronous
        },
        BY_EMAIL: Pace(settings.email_messages_per_second),
    }


def _email_links(settings: Settings) -> EmailLinks | None:
    if not settings.news_by_email or settings.public_url is None:
        return None
    return EmailLinks(public_url=settings.public_url, key=settings.pseudonym_secret())


def _email_sender(settings: Settings, database: Engine, links: EmailLinks) -> EmailSender:
    return EmailSender(
        database=database,
        links=links,
        connect=lambda: smtp_client(settings),
        sender=settings.smtp_from,
    )


def _telegram_application(settings: Settings) -> Application | None:
    """python-telegram-bot's Application without an Updater: updates come from our webhook
    route (or polling loop) and go through our engine, so its handlers stay unused; it owns
    the bot's HTTP client and lifecycle, started and stopped by the app's lifespan."""
    if settings.telegram_token is None:
        return None
    return (
        ApplicationBuilder()
        .token(settings.telegram_token.get_secret_value())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .updater(None)
        .build()
    )


def _meta_client(settings: Settings) -> httpx.AsyncClient | None:
    if settings.meta_page_access_token is None and settings.instagram_access_token is None:
        return None
    return httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=5.0))


def _meta_senders(settings: Settings, client: httpx.AsyncClient) -> dict[str, Sender]:
    """Messenger with the page token; Instagram with its own token if set, else the page's.
    Each account has its own pace (Instagram's limit is per account)."""
    version = settings.graph_api_version

    def pacer() -> Pacer:
        interval = channels.spec_of(Channel.MESSENGER).per_chat_interval
        return Pacer(
            per_chat_interval=interval, overall_per_second=settings.meta_messages_per_second
        )

    senders: dict[str, Sender] = {}
    human_agent = settings.meta_human_agent
    if settings.meta_page_access_token is not None:
        page_token = settings.meta_page_access_token.get_secret_value()
        page_url = f"{settings.graph_api_url}/{version}/me/messages"
        senders["messenger"] = MetaSender(
            channel="messenger",
            client=client,
            url=page_url,
            token=page_token,
            pacer=pacer(),
            human_agent=human_agent,
        )
        senders["instagram"] = MetaSender(
            channel="instagram",
            client=client,
            url=page_url,
            token=page_token,
            pacer=pacer(),
            human_agent=human_agent,
        )
    if settings.instagram_access_token is not None:
        senders["instagram"] = MetaSender(
            channel="instagram",
            client=client,
            url=f"{settings.instagram_api_url}/{version}/me/messages",
            token=settings.instagram_access_token.get_secret_value(),
            bearer=True,
            pacer=pacer(),
            human_agent=human_agent,
        )
    return senders
