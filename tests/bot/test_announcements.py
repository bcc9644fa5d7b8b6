"""Announcements reach Telegram subscribers through the fake Bot API: in their language, once
each, at most three a week, not in quiet hours unless staff send now, and stoppable."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from telegram import Bot
from typer.testing import CliRunner

from bot.announcements import TextsRefused, checked_texts
from bot.cli import cli
from bot.services import Services, build_services
from dialogs.events import Channel, ReachabilityChanged
from handlers.pacing import Pacer
from handlers.telegram.sender import TelegramSender
from storage import announcements
from storage.announcements import AnnouncementDraft
from storage.news_tables import AnnouncementStatus, Topic
from tests.conftest import make_settings
from tests.support.data import add_poll
from tests.support.fake_telegram import FakeTelegram
from tests.support.talk import Talk

HELSINKI = ZoneInfo("Europe/Helsinki")
# Monday 23 November 2026: past, so what is queued for then is due for the relay now.
MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=HELSINKI).astimezone(UTC)
NIGHT = datetime(2026, 11, 23, 23, 0, tzinfo=HELSINKI).astimezone(UTC)
TEXTS = {
    "fi": "Uusi nuorten kysely on auki!",
    "sv": "En ny ungdomsenkät är öppen!",
    "en": "A new youth poll is open!",
}


@pytest.fixture
def services(
    fake_telegram: tuple[FakeTelegram, str], database_url: str, tmp_path: Path
) -> Iterator[Services]:
    _, url = fake_telegram
    settings = make_settings(
        database_url,
        telegram_token="123456:TEST-token",
        telegram_webhook_secret="s" * 40,
        telegram_api_url=f"{url}/bot",
        media_dir=tmp_path / "media",
        export_dir=tmp_path / "exports",
    )
    bot = Bot("123456:TEST-token", base_url=f"{url}/bot")
    fast = TelegramSender(bot, Pacer(per_chat_interval=0.01, overall_per_second=1000))
    built = build_services(settings, senders={"telegram": fast})
    yield built
    built.database.dispose()


def _subscriber(services: Services, chat: int, language: str, *choices: str) -> Talk:
    talk = Talk(services.engine, channel=Channel.TELEGRAM, user_id=str(chat), locale=language)
    talk.start()
    talk.press_id("consent.yes")
    talk.press_id("news")
    for choice in choices:
        talk.press_id(choice)
    return talk


def _announce(
    services: Services,
    topic: Topic = Topic.POLLS,
    *,
    at: datetime = MORNING,
    now_requested: bool = False,
    area: str | None = None,
) -> int:
    draft = AnnouncementDraft(
        topic=topic,
        area_code=area,
        texts=TEXTS,
        send_at=at,
        now_requested=now_requested,
        created_by=None,
    )
    return services.announcer.announce(draft, now=at)


async def _delivered(services: Services, server: FakeTelegram, before: int) -> dict[int, str]:
    await services.relay.run_until_idle()
    return {call["chat_id"]: call["text"] for call in server.sent()[before:]}


async def test_subscribers_get_it_in_their_language_and_others_not_at_all(
    services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, _ = fake_telegram
    _subscriber(services, 9001, "fi", "news.polls")
    _subscriber(services, 9002, "sv", "news.polls")
    _subscriber(services, 9003, "en", "news.news")  # another topic
    await services.relay.run_until_idle()
    before = len(server.sent())
    announcement = _announce(services)
    assert services.announcer.send_due(now=MORNING) == 2
    got = await _delivered(services, server, before)
    assert got == {
        9001: "Uusi nuorten kysely on auki!\n\n"
        "Saat tämän, koska valitsit uutisia. Jos haluat lopettaa, kirjoita ”lopeta”.",
        9002: "En ny ungdomsenkät är öppen!\n\n"
        "Du får det här eftersom du valde nyheter. Skriv ”sluta” om du vill sluta.",
    }
    progress = services.announcer.progress(announcement)
    assert (progress.status, progress.sent, progress.waiting) == (AnnouncementStatus.SENT, 2, 0)
    # Run again (another instance, a restart): nobody gets it twice.
    assert services.announcer.send_due(now=MORNING + timedelta(minutes=1)) == 0
    assert await _delivered(services, server, before + 2) == {}


async def test_events_go_to_their_area_and_to_those_who_chose_the_whole_town(
    services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, _ = fake_telegram
    _subscriber(services, 9101, "fi", "news.events", "news.area.rantakyla")
    _subscriber(services, 9102, "fi", "news.events", "news.area.otava")
    _subscriber(services, 9103, "fi", "news.events", "news.area.all")
    await services.relay.run_until_idle()
    before = len(server.sent())
    _announce(services, Topic.EVENTS, area="rantakyla")
    services.announcer.send_due(now=MORNING)
    assert set(await _delivered(services, server, before)) == {9101, 9103}


def test_a_fourth_announcement_in_a_week_is_skipped_and_counted(services: Services) -> None:
    _subscriber(services, 9201, "fi", "news.polls")
    for day in range(3):
        _announce(services, at=MORNING + timedelta(days=day))
        services.announcer.send_due(now=MORNING + timedelta(days=day))
    fourth = _announce(services, at=MORNING + timedelta(days=3))
    assert services.announcer.send_due(now=MORNING + timedelta(days=3)) == 0
    assert services.announcer.progress(fourth).capped == 1
    # A week after the first, there is room again.
    fifth = _announce(services, at=MORNING + timedelta(days=7, minutes=1))
    assert services.announcer.send_due(now=MORNING + timedelta(days=7, minutes=1)) == 1
    assert services.announcer.progress(fifth).capped == 0


def test_quiet_hours_hold_a_scheduled_send_but_not_one_staff_start_now(
    services: Services,
) -> None:
    _subscriber(services, 9301, "fi", "news.polls")
    scheduled = _announce(services, at=NIGHT)
    assert services.announcer.send_due(now=NIGHT) == 0
    assert services.announcer.progress(scheduled).status is AnnouncementStatus.SCHEDULED
    _subscriber(services, 9302, "fi", "news.polls")
    now = _announce(services, at=NIGHT, now_requested=True)
    assert services.announcer.send_due(now=NIGHT) == 2
    assert services.announcer.progress(now).status is AnnouncementStatus.SENT
    morning = datetime(2026, 11, 24, 8, 0, tzinfo=HELSINKI).astimezone(UTC)
    # In the morning the scheduled one goes, to both.
    assert services.announcer.send_due(now=morning) == 2
    assert services.announcer.progress(scheduled).waiting == 2


async def test_a_stopped_send_withdraws_what_waits_and_stopping_news_is_counted(
    services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, _ = fake_telegram
    talks = [_subscriber(services, 9400 + n, "fi", "news.polls") for n in range(3)]
    await services.relay.run_until_idle()
    before = len(server.sent())
    announcement = _announce(services)
    services.announcer.send_due(now=MORNING)
    assert services.announcer.stop(announcement, now=MORNING) == 3  # none had gone yet
    assert await _delivered(services, server, before) == {}
    talks[0].send("lopeta")
    progress = services.announcer.progress(announcement)
    assert (progress.status, progress.withdrawn, progress.unsubscribed_since) == (
        AnnouncementStatus.STOPPED,
        3,
        1,
    )


def test_every_language_is_asked_for_unless_finnish_may_stand_in() -> None:
    with pytest.raises(TextsRefused, match="missing: sv"):
        checked_texts({"fi": "Hei", "en": "Hi"}, finnish_for_missing=False)
    assert checked_texts({"fi": "Hei"}, finnish_for_missing=True) == {
        "fi": "Hei",
        "sv": "Hei",
        "en": "Hei",
    }
    with pytest.raises(TextsRefused, match="Finnish"):
        checked_texts({"sv": "Hej", "en": "Hi"}, finnish_for_missing=True)


def test_the_cli_refuses_a_missing_language_and_queues_a_complete_one(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    _subscriber(services, 9501, "fi", "news.news")
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("OSALLISTU_TELEGRAM_TOKEN", "123456:TEST-token")
    monkeypatch.setenv("OSALLISTU_TELEGRAM_WEBHOOK_SECRET", "s" * 40)
    runner = CliRunner()
    refused = runner.invoke(cli, ["announce", "--topic", "news", "--text", "fi=Hei"])
    assert refused.exit_code == 2 and "missing: sv, en" in refused.output
    unknown = runner.invoke(cli, ["announce", "--topic", "news", "--text", "de=Hallo"])
    assert unknown.exit_code == 2 and "not de" in unknown.output
    sent = runner.invoke(
        cli,
        [
            "announce",
            "--topic",
            "news",
            *("--text", "fi=Hei", "--text", "sv=Hej", "--text", "en=Hi"),
        ],
    )
    assert sent.exit_code == 0, sent.output
    assert "messages queued: 1" in sent.output


async def test_who_blocked_the_bot_gets_nothing_more_until_they_unblock_it(
    services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, _ = fake_telegram
    talk = _subscriber(services, 9601, "fi", "news.polls")
    await services.relay.run_until_idle()
    talk._handle(ReachabilityChanged(reachable=False))  # Telegram: the bot was blocked
    _announce(services)
    assert services.announcer.send_due(now=MORNING) == 0
    before = len(server.sent())
    talk._handle(ReachabilityChanged(reachable=True))
    _announce(services, at=MORNING + timedelta(hours=1))
    assert services.announcer.send_due(now=MORNING + timedelta(hours=1)) == 1
    assert list(await _delivered(services, server, before)) == [9601]


def _tomorrow_at_ten() -> datetime:
    """A time of day outside quiet hours, after whatever the real clock says now."""
    local = datetime.now(HELSINKI) + timedelta(days=1)
    return local.replace(hour=10, minute=0, second=0, microsecond=0).astimezone(UTC)


def test_a_new_youth_poll_is_drafted_once_and_goes_out_when_staff_confirm_it(
    services: Services,
) -> None:
    _subscriber(services, 9701, "fi", "news.polls")
    add_poll(services.database)
    now = datetime.now(UTC)
    [draft] = services.announcer.draft_for_new_polls(now=now)
    assert services.announcer.draft_for_new_polls(now=now) == []  # one announcement a poll
    assert services.announcer.progress(draft).status is AnnouncementStatus.DRAFT
    later = _tomorrow_at_ten()
    assert services.announcer.send_due(now=later) == 0  # a draft waits for staff
    with services.database.begin() as connection:
        assert announcements.confirm(connection=connection, announcement_id=draft, now=now)
        texts = announcements.texts_of(connection=connection, announcement_id=draft)
    assert texts["fi"].startswith("Uusi nuorten kysely on auki: ")
    assert texts["sv"].endswith("Skriv ”enkät” här om du vill svara.")
    assert services.announcer.send_due(now=later) == 1


def test_with_the_setting_a_poll_is_announced_without_a_draft(services: Services) -> None:
    settings = services.settings.model_copy(update={"announce_polls_automatically": True})
    automatic = replace(services, settings=settings)
    add_poll(services.database)
    [made] = automatic.announcer.draft_for_new_polls(now=datetime.now(UTC))
    assert automatic.announcer.progress(made).status is AnnouncementStatus.SCHEDULED


async def test_retention_removes_who_got_it_but_keeps_the_counts(
    services: Services, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    from bot.retention import run_purge
    from storage.news_tables import delivery_t

    _subscriber(services, 9501, "fi", "news.polls")
    _subscriber(services, 9502, "sv", "news.polls")
    announcement = _announce(services)
    services.announcer.send_due(now=MORNING)
    await services.relay.run_until_idle()
    run_purge(services.database, services.settings, now=MORNING + timedelta(days=6))
    with services.database.connect() as connection:
        kept = connection.execute(sa.select(sa.func.count()).select_from(delivery_t)).scalar()
    assert kept == 2  # within the week they count for the weekly limit
    later = MORNING + timedelta(days=services.settings.retention_outbox_days + 1)
    done = run_purge(services.database, services.settings, now=later)
    assert done["announcement_tallies"] == 1
    with services.database.connect() as connection:
        left = connection.execute(sa.select(sa.func.count()).select_from(delivery_t)).scalar()
    assert left == 0
    progress = services.announcer.progress(announcement)
    assert (progress.status, progress.sent, progress.waiting, progress.withdrawn) == (
        AnnouncementStatus.SENT,
        2,
        0,
        0,
    )


async def test_the_weekly_summary_counts_announcements_and_subscribers_by_topic(
    services: Services,
) -> None:
    from bot.reports.weekly import build_summary
    from bot.reports.weeks import IsoWeek

    for n in range(6):
        _subscriber(services, 9600 + n, "fi", "news.polls")
    for n in range(5):
        _subscriber(services, 9610 + n, "fi", "news.news")
    now = datetime.now(UTC)  # this week's summary, the subscribers of today
    _announce(services, at=now, now_requested=True)
    _announce(services, Topic.NEWS, at=now, now_requested=True)
    services.announcer.send_due(now=now)
    await services.relay.run_until_idle()
    week = IsoWeek.of(now.astimezone(HELSINKI).date())
    with services.database.connect() as connection:
        summary = build_summary(
            connection=connection,
            week=week,
            timezone=HELSINKI,
            translator=services.translators["fi"],
            now=datetime.now(UTC),
        )
    (news,) = [section for section in summary.sections if section.key == "news"]
    announcements, compared, crossed = news.tables
    assert announcements.rows == (("Tiedotteita lähetetty", 2, 0), ("Viestejä toimitettu", 11, 0))
    by_topic = {row[0]: row[1:] for row in compared.rows}
    assert by_topic["Kaikki tilaukset"] == (11, 0)
    assert by_topic["Uudet nuorten kyselyt"] == (6, 0)
    assert by_topic["Hankkeen uutiset"] == (5, 0)
    assert crossed.headers[1:] == ("Telegram", "Yhteensä")
