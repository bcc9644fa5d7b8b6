"""The weekly summary: made once per week and format, its contents, delivery, the CLI."""

from __future__ import annotations

import io
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlalchemy as sa
from telegram import Bot
from typer.testing import CliRunner

from bot.reports.summary_delivery import deliver
from bot.reports.summary_job import make_week, weeks_due
from bot.reports.summary_model import SMALL_MARK
from bot.reports.weeks import IsoWeek
from bot.services import Services
from bot.settings import Settings
from storage.domain_tables import idea_t
from storage.staff_tables import summary_t
from tests.conftest import make_settings
from tests.support.data import leave_idea
from tests.support.fake_telegram import FakeTelegram
from tests.support.talk import Talk

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = IsoWeek(2026, 47)  # 16–22 November 2026


def ideas_in_week(services: Services, count: int, *, theme: str = "young") -> None:
    """``count`` ideas on the Wednesday of WEEK (people leave them; the time is then set)."""
    for _ in range(count):
        leave_idea(Talk(services.engine), "Nuorille oma tila Rantakylään iltaisin.", theme=theme)
    wednesday = datetime(2026, 11, 18, 12, tzinfo=HELSINKI).astimezone(UTC)
    with services.database.begin() as connection:
        connection.execute(sa.update(idea_t).values(created_at=wednesday))


def settings_for(services: Services, tmp_path: Path) -> Settings:
    return services.settings.model_copy(update={"export_dir": tmp_path / "exports"})


def test_iso_weeks_run_monday_to_monday_in_helsinki() -> None:
    start, end = WEEK.bounds(HELSINKI)
    assert start == datetime(2026, 11, 15, 22, tzinfo=UTC)  # Monday 00.00 EET
    assert end - start == timedelta(days=7)
    assert str(IsoWeek.parse("2026-W47")) == "2026-W47"
    assert IsoWeek(2026, 1).previous() == IsoWeek(2025, 52)
    # A Monday 00.30 in Helsinki is still Sunday in UTC: the last complete week is judged locally.
    monday_early = datetime(2026, 11, 23, 0, 30, tzinfo=HELSINKI)
    assert IsoWeek.last_complete(monday_early, HELSINKI) == WEEK
    assert weeks_due(monday_early, HELSINKI) == [IsoWeek(2026, 46), WEEK]


def test_the_job_run_twice_makes_one_summary(any_services: Services, tmp_path: Path) -> None:
    settings = settings_for(any_services, tmp_path)
    first = make_week(
        database=any_services.database,
        translators=any_services.translators,
        settings=settings,
        week=WEEK,
    )
    second = make_week(
        database=any_services.database,
        translators=any_services.translators,
        settings=settings,
        week=WEEK,
    )
    assert [made.format for made in first] == ["xlsx", "html"] and second == []
    with any_services.database.connect() as connection:
        rows = connection.execute(
            sa.select(summary_t.c.week, summary_t.c.format, summary_t.c.status)
        ).all()
    assert sorted(rows) == [("2026-W47", "html", "done"), ("2026-W47", "xlsx", "done")]


def test_two_instances_at_once_make_it_once(any_services: Services, tmp_path: Path) -> None:
    settings = settings_for(any_services, tmp_path)
    made: list[int] = []
    barrier = threading.Barrier(2)

    def instance() -> None:
        barrier.wait()
        made.append(
            len(
                make_week(
                    database=any_services.database,
                    translators=any_services.translators,
                    settings=settings,
                    week=WEEK,
                )
            )
        )

    threads = [threading.Thread(target=instance) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(made) == 2  # two formats, each made by exactly one of the two


def test_a_maker_that_died_midway_is_taken_over_later(services: Services, tmp_path: Path) -> None:
    settings = settings_for(services, tmp_path)
    with services.database.begin() as connection:
        connection.execute(
            sa.insert(summary_t).values(
                week=str(WEEK),
                format="xlsx",
                status="making",
                started_at=datetime.now(UTC) - timedelta(hours=1),
            )
        )
    made = make_week(
        database=services.database,
        translators=services.translators,
        settings=settings,
        week=WEEK,
        formats=("xlsx",),
    )
    assert [m.format for m in made] == ["xlsx"] and made[0].path.is_file()


def test_the_xlsx_opens_on_the_week_in_words_with_a_chart_per_section(
    services: Services, tmp_path: Path
) -> None:
    ideas_in_week(services, 6, theme="young")
    ideas_in_week(services, 2, theme="nature")  # two: must not be published as 2
    (made, _) = make_week(
        database=services.database,
        translators=services.translators,
        settings=settings_for(services, tmp_path),
        week=WEEK,
    )
    workbook = openpyxl.load_workbook(made.path)
    assert workbook.sheetnames == [
        "Viikko 47",
        "Osallistujat",
        "Ideat",
        "Kyselyt",
        "Paikat",
        "Yhteydenottopyynnöt",
        "Keskustelut tiimin kanssa",
        "Uutiset",
        "Tapahtumat",
    ]
    first = [list(row) for row in workbook["Viikko 47"].iter_rows(values_only=True)]
    assert first[0][0] == "Viikkoyhteenveto: viikko 47, 16.–22.11.2026"
    key = {row[0]: tuple(row[1:4]) for row in first if row and row[0]}
    assert key["Ideat: Kaikki ideat"] == (8, 0, "+8")
    assert "Osallistujat: Kaikki kanavat" in key and "Yhteydenottopyynnöt: Avattu" in key
    ideas = workbook["Ideat"]
    flat = [value for row in ideas.iter_rows(values_only=True) for value in row if value]
    assert SMALL_MARK in flat
    numbers = [value for value in flat if isinstance(value, int | float)]
    assert not any(1 <= value <= 4 for value in numbers)
    assert 8 in numbers  # all ideas of the week
    # Aggregates only: the week's ideas (theme and area each) would give the hidden cells away.
    assert not any("Nuorille oma tila" in str(value) for value in flat)
    for name in workbook.sheetnames[1:]:
        sheet = workbook[name]
        assert sheet.page_setup.orientation == "landscape"
        setup = sheet.page_setup  # one page wide (1 is the default, left out), any number long
        assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert len(ideas._charts) == 1  # a native bar chart beside the tables
    assert ideas.column_dimensions["A"].width > 30


def test_the_csv_bundle_and_the_html_page(services: Services, tmp_path: Path) -> None:
    from bot.reports.summary_files import write_summary
    from bot.reports.weekly import build_summary

    ideas_in_week(services, 7)
    with services.database.connect() as connection:
        summary = build_summary(
            connection=connection,
            week=WEEK,
            timezone=HELSINKI,
            translator=services.translators["sv"],
        )
    bundle = zipfile.ZipFile(io.BytesIO(write_summary(summary, "csv")))
    names = bundle.namelist()
    assert names[0].startswith("01-participants") and all(n.endswith(".csv") for n in names)
    assert all(bundle.read(n).startswith(b"\xef\xbb\xbf") for n in names)
    html = write_summary(summary, "html").decode()
    assert html.startswith("<!doctype html>") and '<html lang="sv">' in html
    assert "<svg" in html and "<title" in html


def test_last_week_is_beside_this_week(services: Services, tmp_path: Path) -> None:
    from bot.reports.weekly import build_summary

    ideas_in_week(services, 6)
    with services.database.connect() as connection:
        following = build_summary(
            connection=connection,
            week=WEEK.following(),
            timezone=HELSINKI,
            translator=services.translators["en"],
        )
    ideas = next(section for section in following.sections if section.key == "ideas")
    compared = ideas.tables[0]
    assert compared.rows[0][1:] == (0, 6)  # this week none, last week six


async def test_the_files_go_to_the_staff_telegram_chat(
    services: Services, tmp_path: Path, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    server, url = fake_telegram
    settings = settings_for(services, tmp_path).model_copy(
        update={"staff_telegram_chat_id": "-100200300"}
    )
    made = make_week(
        database=services.database, translators=services.translators, settings=settings, week=WEEK
    )
    bot = Bot("123456:TEST-token", base_url=f"{url}/bot")
    async with bot:
        await deliver(made, settings=settings, bot=bot, translator=services.translators["fi"])
    documents = server.sent("sendDocument")
    assert [d["document"]["filename"] for d in documents] == [
        "osallistu-summary-2026-W47.xlsx",
        "osallistu-summary-2026-W47.html",
    ]
    assert documents[0]["chat_id"] == -100200300
    assert documents[0]["document"]["content"][:2] == b"PK"  # a real XLSX (zip) file
    assert "2026-W47" in documents[0]["caption"]


def test_the_cli_writes_a_summary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_database_url: str
) -> None:
    from bot.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", sqlite_database_url)
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    target = tmp_path / "w47.xlsx"
    result = CliRunner().invoke(
        cli, ["summary", "--week", "2026-W47", "--format", "xlsx", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(target).sheetnames[:2] == ["Viikko 47", "Osallistujat"]
    bad = CliRunner().invoke(cli, ["summary", "--week", "2026-48"])
    assert bad.exit_code == 2 and "2026-W48" in bad.output


def test_the_cli_exports_and_adds_staff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_database_url: str
) -> None:
    from bot.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", sqlite_database_url)
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    runner = CliRunner()
    added = runner.invoke(cli, ["staff", "add", "Nuoriso@Example.org", "--role", "moderator"])
    assert added.exit_code == 0 and "password (shown only now):" in added.output
    again = runner.invoke(cli, ["staff", "add", "nuoriso@example.org"])
    assert again.exit_code == 1 and "already" in again.output
    exported = runner.invoke(cli, ["export", "places", "--format", "csv"])
    assert exported.exit_code == 0
    assert exported.stdout_bytes.startswith("\ufeffNumero;Lähde;Tunnus lähteessä".encode())
    machine = runner.invoke(cli, ["export", "places", "--format", "csv", "--machine"])
    assert machine.stdout_bytes.startswith(b"\xef\xbb\xbfid;source;source_id")
    settings = make_settings(sqlite_database_url)
    assert settings.export_csv_delimiter == ";"


async def test_the_files_go_by_e_mail_when_smtp_is_set(services: Services, tmp_path: Path) -> None:
    import email

    from tests.support.fake_smtp import fake_smtp

    with fake_smtp() as (port, inbox):
        settings = settings_for(services, tmp_path).model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_tls": "none",
                "summary_email_to": ["nuoriso@example.org", "hanke@example.org"],
            }
        )
        made = make_week(
            database=services.database,
            translators=services.translators,
            settings=settings,
            week=WEEK,
        )
        await deliver(made, settings=settings, bot=None, translator=services.translators["fi"])
    (received,) = inbox
    assert received.recipients == ["<nuoriso@example.org>", "<hanke@example.org>"]
    message = email.message_from_bytes(received.data)
    assert "2026-W47" in message["Subject"]
    names = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert names == ["osallistu-summary-2026-W47.xlsx", "osallistu-summary-2026-W47.html"]


def _answered_conversations(services: Services, waits_minutes: list[int]) -> None:
    """Conversations opened in the week and first answered after these many minutes."""
    from storage.human_tables import human_conversation_t
    from storage.tables import participant_t

    monday = WEEK.bounds(HELSINKI)[0] + timedelta(hours=10)
    with services.database.begin() as connection:
        for n, minutes in enumerate(waits_minutes):
            participant = connection.execute(
                sa.insert(participant_t).values(
                    channel="webchat", channel_user_id=f"team-{n}", pseudonym=f"t{n}",
                    reachable=True, created_at=monday,
                )
            ).inserted_primary_key[0]  # fmt: skip
            connection.execute(
                sa.insert(human_conversation_t).values(
                    participant_id=participant, channel="webchat", language="fi",
                    status="closed", origin="asked", unread=0, opened_at=monday,
                    first_answer_at=monday + timedelta(minutes=minutes),
                    last_activity_at=monday, closed_at=monday + timedelta(hours=1),
                )
            )  # fmt: skip


@pytest.mark.parametrize(
    ("waits", "opened", "median"),
    [([10, 20, 30, 40], SMALL_MARK, "–"), ([5, 10, 20, 30, 90], 5, 20)],
)
def test_conversations_with_the_team_and_the_median_only_from_five_answered(
    services: Services, waits: list[int], opened: object, median: object
) -> None:
    from bot.reports.weekly import build_summary

    _answered_conversations(services, waits)
    with services.database.connect() as connection:
        summary = build_summary(
            connection=connection, week=WEEK, timezone=HELSINKI,
            translator=services.translators["fi"],
        )  # fmt: skip
    team = next(section for section in summary.sections if section.key == "team")
    counts, wait = team.tables
    assert counts.rows[0][:2] == ("Avattu", opened)
    assert wait.rows[0][:2] == ("Mediaani, minuuttia", median)


def test_a_summary_made_during_the_week_says_so_and_never_stops_the_complete_one(
    any_services: Services, tmp_path: Path
) -> None:
    settings = settings_for(any_services, tmp_path)

    def make(at: datetime) -> list[str]:
        made = make_week(
            database=any_services.database,
            translators=any_services.translators,
            settings=settings,
            week=WEEK,
            formats=("html",),
            now=lambda: at.astimezone(UTC),
        )
        return [m.path.read_text() for m in made]

    ideas_in_week(any_services, 6)
    (tuesday,) = make(datetime(2026, 11, 17, 22, 50, tzinfo=HELSINKI))  # "Tee nyt"
    assert "Viikkoyhteenveto: viikko 47, 16.–22.11.2026" in tuesday
    assert "Tähän asti: ti 17.11. klo 22.50 saakka" in tuesday
    (thursday,) = make(datetime(2026, 11, 19, 9, 0, tzinfo=HELSINKI))  # again: made afresh
    assert "to 19.11. klo 9.00" in thursday
    (monday,) = make(datetime(2026, 11, 23, 7, 0, tzinfo=HELSINKI))  # the Monday job
    assert "Koko viikko, maanantaista sunnuntaihin." in monday and "Tähän asti" not in monday
    assert make(datetime(2026, 11, 23, 9, 0, tzinfo=HELSINKI)) == []  # complete: made once
