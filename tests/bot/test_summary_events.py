"""Events in the weekly summary: events held, sign-ups made, places taken and waiting
lists at the week's events, and who came, under the small-group rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import sqlalchemy as sa

from bot.reports.summary_job import make_week
from bot.reports.summary_model import SMALL_MARK
from bot.reports.weeks import IsoWeek
from bot.services import Services
from storage import event_signups
from storage.engine import transaction
from storage.event_tables import EventSource, event_t
from storage.events import EventRecord, upsert_event
from storage.participants import participant_for_event

HELSINKI = ZoneInfo("Europe/Helsinki")
W47 = IsoWeek(2026, 47)
WEDNESDAY = datetime(2026, 11, 18, 17, 0, tzinfo=HELSINKI)


def test_the_events_sheet_shows_the_weeks_sign_ups(services: Services, tmp_path: Path) -> None:
    now = WEDNESDAY.astimezone(UTC) - timedelta(days=1)
    with transaction(services.database) as connection:
        for source_id, capacity in (("games", 6), ("choir", None)):
            upsert_event(
                connection=connection,
                record=EventRecord(
                    source=EventSource.OWN,
                    source_id=source_id,
                    title={"fi": source_id},
                    starts_at=WEDNESDAY.astimezone(UTC),
                    signup_required=True,
                    capacity=capacity,
                ),
                now=now,
            )
        games = connection.execute(
            sa.select(event_t.c.id).where(event_t.c.source_id == "games")
        ).scalar_one()
        for n in range(8):  # six places, two waiting
            person = participant_for_event(
                connection=connection, channel="telegram", channel_user_id=f"p{n}",
                pseudonym_key=b"k" * 32, now=now,
            ).participant.id  # fmt: skip
            event_signups.sign_up(
                connection=connection, event_id=games, participant_id=person, now=now
            )
    settings = services.settings.model_copy(update={"export_dir": tmp_path})
    (made, _) = make_week(
        database=services.database, translators=services.translators, settings=settings, week=W47
    )
    sheet = openpyxl.load_workbook(made.path)["Tapahtumat"]
    rows = {row[0]: row[1:3] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Pidetyt tapahtumat"] == (2, 0)
    assert rows["Tehdyt ilmoittautumiset"][0] == 8
    assert rows["Varatut paikat viikon tapahtumissa"][0] == 6
    assert rows["Jonossa viikon tapahtumiin"][0] == SMALL_MARK  # two people: not published
    overview = openpyxl.load_workbook(made.path)["Viikko 47"]
    labels = [row[0] for row in overview.iter_rows(values_only=True)]
    assert "Tapahtumat: Pidetyt tapahtumat" in labels
    assert "Tapahtumat: Tehdyt ilmoittautumiset" in labels
