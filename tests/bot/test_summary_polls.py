"""A poll in the weekly summaries: each week's answers under the small-group rule, and no
running total or results beside them, so no file held with another gives a hidden week away."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import sqlalchemy as sa

from bot.demo import add_demo_poll
from bot.reports.summary_job import make_week
from bot.reports.summary_model import SMALL_MARK
from bot.reports.weeks import IsoWeek
from bot.services import Services
from storage import polls
from storage.domain_tables import poll_t
from storage.engine import transaction

HELSINKI = ZoneInfo("Europe/Helsinki")
W47, W48 = IsoWeek(2026, 47), IsoWeek(2026, 48)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=HELSINKI)


def vote(services: Services, poll_id: int, voter: str, at: datetime) -> None:
    with transaction(services.database) as connection:
        poll = polls.get_poll(connection=connection, poll_id=poll_id)
        assert poll is not None
        polls.cast_vote(
            connection=connection,
            poll_id=poll_id,
            voter=voter,
            age_band=None,
            answers={q.id: [q.options[0].id] for q in poll.questions},
            now=at.astimezone(UTC),
            day=at.date(),
        )


def poll_figures(path: Path) -> tuple[list[int], list[str]]:
    """The numbers and the marks on a summary's poll sheet, as a reader sees them."""
    sheet = openpyxl.load_workbook(path)["Kyselyt"]
    values = [value for row in sheet.iter_rows(values_only=True) for value in row]
    return [v for v in values if isinstance(v, int)], [v for v in values if v == SMALL_MARK]


def test_no_file_gives_away_a_weeks_hidden_answers(services: Services, tmp_path: Path) -> None:
    with transaction(services.database) as connection:
        poll_id = add_demo_poll(connection, local(16, 9).astimezone(UTC))
        connection.execute(sa.update(poll_t).values(opens_at=local(16, 9), closes_at=local(29, 20)))
    for n in range(7):
        vote(services, poll_id, f"week-47-{n}", local(17, 15))
    vote(services, poll_id, "just-after-midnight", local(23, 0, 30))  # Sunday 22.30 in UTC
    settings = services.settings.model_copy(update={"export_dir": tmp_path})

    def made(week: IsoWeek, now: datetime) -> Path:
        files = make_week(
            database=services.database,
            translators=services.translators,
            settings=settings,
            week=week,
            formats=("xlsx",),
            now=lambda: now.astimezone(UTC),
        )
        return files[0].path

    week_47 = made(W47, local(23, 7))
    partial = poll_figures(made(W48, local(24, 12)))  # read now: the complete one replaces it
    for n in range(3):
        vote(services, poll_id, f"week-48-{n}", local(25, 18))
    complete = made(W48, local(30, 7))

    # The answer at 00.30 on Monday belongs to week 48, as the city counts weeks.
    assert poll_figures(week_47) == ([7, 7], [])  # the table and the chart's data
    assert partial == ([], [SMALL_MARK, SMALL_MARK])
    # Week 48 had four answers: 11 in all, or results summing to 11, would give them away.
    assert poll_figures(complete) == ([], [SMALL_MARK, SMALL_MARK])
