"""The weekly summary's section on conversations with a person of the team."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median
from typing import TYPE_CHECKING

from bot.reports.summary_model import CellValue, Section, Table
from locales import N_
from storage import summary_queries
from storage.humans import MIN_ANSWERS_FOR_MEDIAN

if TYPE_CHECKING:
    from bot.reports.weekly import _Builder


def team_section(week: _Builder) -> Section:
    """Conversations with a person of the team; the median wait only where at least
    five were answered (fewer would say too much of too few)."""
    now = summary_queries.team_conversations(
        connection=week.connection, start=week.start, end=week.end
    )
    before = summary_queries.team_conversations(
        connection=week.connection, start=week.previous_start, end=week.previous_end
    )
    compared = week.comparison(
        week._(N_("Conversations with the team")),
        [
            (week._(N_("Opened")), now.opened, before.opened),
            (week._(N_("Answered")), now.answered, before.answered),
        ],
    )
    waits = Table(
        title=week._(N_("Time to a first answer")),
        headers=(week._(N_("Figure")), *week.weeks),
        rows=(
            (
                week._(N_("Median, minutes")),
                _median_minutes(now.waits),
                _median_minutes(before.waits),
            ),
        ),
        note=week._(N_("Shown only when at least five conversations were answered.")),
    )
    title = week._(N_("Conversations with the team"))
    return Section("team", title, (compared, waits), key_rows=2)


def _median_minutes(waits: Sequence[float]) -> CellValue:
    if len(waits) < MIN_ANSWERS_FOR_MEDIAN:
        return "–"
    return round(median(waits) / 60)
