"""The weekly summary as data: sections of tables, already in the staff language and with the
small-group rule applied, ready to be written as XLSX, a CSV bundle or an HTML page.

``build_summary`` reads the week and the week before it (for the comparison columns) with a
handful of SQL aggregates, so it takes the same time for ten ideas or a million.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from bot.reports.summary_model import (
    SMALL_MARK,
    Bar,
    CellValue,
    Chart,
    Section,
    Summary,
    Table,
    chart_value,
    published,
)
from bot.reports.week_words import week_period, week_title
from bot.reports.weekly_team import team_section
from bot.reports.weeks import IsoWeek
from dialogs.domain.results import hidden_options
from dialogs.domain.small_groups import SMALL_GROUP, one_way, two_way
from locales import N_, NATIVE_NAMES, Translator, pick
from storage import polls, summary_queries
from storage.summary_queries import Count


class _Builder:
    def __init__(self, connection: Connection, week: IsoWeek, zone: ZoneInfo, t: Translator):
        self.connection = connection
        self.week = week
        self.zone = zone
        self.t = t
        self.start, self.end = week.bounds(zone)
        self.previous_start, self.previous_end = week.previous().bounds(zone)
        self.themes, self.areas = summary_queries.names(connection=connection)

    def _(self, msgid: str) -> str:
        return self.t.gettext(msgid)

    def comparison(self, title: str, lines: Sequence[tuple[str, int, int]]) -> Table:
        return Table(
            title=title,
            headers=(self._(N_("Figure")), self._(N_("This week")), self._(N_("Last week"))),
            rows=tuple((label, published(now), published(before)) for label, now, before in lines),
        )

    def two_way_table(
        self,
        title: str,
        counts: list[Count],
        row_names: dict[str, str],
        column_names: dict[str, str],
        corner: str,
    ) -> Table:
        row_keys = [k for k in row_names if any(c.key[0] == k for c in counts)] or list(row_names)
        column_keys = [k for k in column_names if any(c.key[1] == k for c in counts)] or list(
            column_names
        )
        by_key = {c.key: c.count for c in counts}
        matrix = [[by_key.get((r, c), 0) for c in column_keys] for r in row_keys]
        suppressed = two_way(matrix) if matrix and matrix[0] else None
        total = self._(N_("Total"))
        headers = (corner, *(column_names[c] for c in column_keys), total)
        if suppressed is None:
            return Table(title, headers, ())
        if suppressed.only_total:
            return Table(
                title,
                (corner, total),
                ((total, SMALL_MARK),),
                note=self._(N_("Fewer than 5 in all: the details are not shown.")),
            )
        labels = [row_names[r] for r in row_keys] + [total]
        rows = tuple(
            (
                labels[r],
                *(
                    SMALL_MARK if value is None else value
                    for value in (suppressed.shown(r, c) for c in range(len(column_keys) + 1))
                ),
            )
            for r in range(len(row_keys) + 1)
        )
        return Table(title, headers, rows, note=self._(SMALL_NOTE))

    def participants(self) -> Section:
        now = summary_queries.new_participants(
            connection=self.connection, start=self.start, end=self.end
        )
        before = summary_queries.new_participants(
            connection=self.connection, start=self.previous_start, end=self.previous_end
        )
        channels = sorted({c.key[0] for c in now + before})
        language_names = {**NATIVE_NAMES, "": self._(N_("unknown"))}
        by_channel = [
            (
                channel,
                sum(c.count for c in now if c.key[0] == channel),
                sum(c.count for c in before if c.key[0] == channel),
            )
            for channel in channels
        ]
        table = self.two_way_table(
            self._(N_("New participants by channel and language")),
            now,
            {c: c for c in channels},
            language_names,
            self._(N_("Channel")),
        )
        compared = self.comparison(
            self._(N_("New participants compared with last week")),
            [
                (
                    self._(N_("All channels")),
                    sum(c.count for c in now),
                    sum(c.count for c in before),
                ),
                *by_channel,
            ],
        )
        chart = Chart(
            self._(N_("New participants by channel")),
            tuple(Bar(c, chart_value(n), chart_value(b)) for c, n, b in by_channel),
        )
        return Section("participants", self._(N_("Participants")), (compared, table), chart)

    def ideas(self) -> Section:
        now = summary_queries.ideas_by_theme_area(
            connection=self.connection, start=self.start, end=self.end
        )
        before = summary_queries.ideas_by_theme_area(
            connection=self.connection, start=self.previous_start, end=self.previous_end
        )
        theme_names = {code: pick(names, self.t.language) for code, names in self.themes.items()}
        area_names = {code: pick(names, self.t.language) for code, names in self.areas.items()}
        by_theme = [
            (
                theme_names[code],
                sum(c.count for c in now if c.key[0] == code),
                sum(c.count for c in before if c.key[0] == code),
            )
            for code in theme_names
        ]
        compared = self.comparison(
            self._(N_("Ideas compared with last week")),
            [
                (self._(N_("All ideas")), sum(c.count for c in now), sum(c.count for c in before)),
                *by_theme,
            ],
        )
        cross = self.two_way_table(
            self._(N_("Ideas by theme and area")), now, theme_names, area_names, self._(N_("Theme"))
        )
        listed = summary_queries.week_ideas(
            connection=self.connection, start=self.start, end=self.end
        )
        listing = Table(
            self._(N_("The week's ideas")),
            (
                self._(N_("Reference")),
                self._(N_("Received")),
                self._(N_("Theme")),
                self._(N_("Area")),
                self._(N_("Status")),
                self._(N_("Idea")),
            ),
            tuple(
                (
                    idea.reference,
                    self.t.value(idea.created_at),
                    pick(idea.theme, self.t.language),
                    pick(idea.area, self.t.language),
                    idea.status,
                    idea.text,
                )
                for idea in listed
            ),
        )
        chart = Chart(
            self._(N_("Ideas by theme")),
            tuple(Bar(name, chart_value(n), chart_value(b)) for name, n, b in by_theme),
        )
        return Section("ideas", self._(N_("Ideas")), (compared, cross, listing), chart)

    def polls(self) -> Section:
        week_polls = summary_queries.polls_in_week(
            connection=self.connection,
            start=self.start,
            end=self.end,
            first_day=self.week.monday,
            last_day=self.week.sunday,
        )
        overview = Table(
            self._(N_("Poll participation")),
            (self._(N_("Poll")), self._(N_("Answers this week")), self._(N_("Answers in all"))),
            tuple(
                (
                    pick(p.title, self.t.language),
                    published(p.respondents_in_week),
                    published(p.respondents),
                )
                for p in week_polls
            ),
        )
        tables = [overview]
        for poll in week_polls:
            tables.append(self.poll_results(poll))
        chart = Chart(
            self._(N_("Answers this week")),
            tuple(
                Bar(pick(p.title, self.t.language), chart_value(p.respondents_in_week), None)
                for p in week_polls
            ),
        )
        return Section("polls", self._(N_("Polls")), tuple(tables), chart)

    def poll_results(self, poll: summary_queries.PollWeek) -> Table:
        title = pick(poll.title, self.t.language)
        headers = (self._(N_("Question")), self._(N_("Answer")), self._(N_("Votes")))
        if poll.respondents < SMALL_GROUP:
            return Table(
                title,
                headers,
                (),
                note=self._(N_("Fewer than 5 answers: results are not shown.")),
            )
        row = polls.get_poll(connection=self.connection, poll_id=poll.poll_id)
        results = polls.results(connection=self.connection, poll_id=poll.poll_id)
        counts = results.counts
        rows: list[tuple[CellValue, ...]] = []
        for question in row.questions if row else ():
            votes = [counts.get(option.id, 0) for option in question.options]
            hidden = hidden_options(question, results)
            for index, option in enumerate(question.options):
                value: CellValue = SMALL_MARK if index in hidden else votes[index]
                rows.append(
                    (
                        pick(question.text, self.t.language),
                        pick(option.text, self.t.language),
                        value,
                    )
                )
        return Table(title, headers, tuple(rows), note=self._(SMALL_NOTE))

    def places(self) -> Section:
        monday, sunday = self.week.monday, self.week.sunday
        now = summary_queries.place_use(
            connection=self.connection, first_day=monday, last_day=sunday
        )
        before = summary_queries.place_use(
            connection=self.connection,
            first_day=self.week.previous().monday,
            last_day=self.week.previous().sunday,
        )
        shown, chosen = one_way([p.shown for p in now]), one_way([p.chosen for p in now])
        total = self._(N_("Total"))
        rows: list[tuple[CellValue, ...]] = [
            (
                pick(place.name, self.t.language),
                SMALL_MARK if i in shown.hidden else place.shown,
                SMALL_MARK if i in chosen.hidden else place.chosen,
            )
            for i, place in enumerate(now)
        ]
        if shown.only_total and chosen.only_total:
            rows = []
        rows.append((total, published(shown.total), published(chosen.total)))
        table = Table(
            self._(N_("Places and services shown and opened")),
            (self._(N_("Place or service")), self._(N_("Shown in results")), self._(N_("Opened"))),
            tuple(rows),
            note=self._(SMALL_NOTE),
        )
        compared = self.comparison(
            self._(N_("Places compared with last week")),
            [
                (self._(N_("Shown in results")), shown.total, sum(p.shown for p in before)),
                (self._(N_("Opened")), chosen.total, sum(p.chosen for p in before)),
            ],
        )
        chart = Chart(
            self._(N_("Most shown places")),
            tuple(
                Bar(pick(p.name, self.t.language), None if i in shown.hidden else p.shown, None)
                for i, p in enumerate(now[:10])
            ),
        )
        return Section("places", self._(N_("Places")), (compared, table), chart)

    def contacts(self) -> Section:
        opened, handled = summary_queries.contact_requests(
            connection=self.connection, start=self.start, end=self.end
        )
        opened_before, handled_before = summary_queries.contact_requests(
            connection=self.connection, start=self.previous_start, end=self.previous_end
        )
        compared = self.comparison(
            self._(N_("Contact requests")),
            [
                (self._(N_("Opened")), opened, opened_before),
                (self._(N_("Handled")), handled, handled_before),
            ],
        )
        return Section("contacts", self._(N_("Contact requests")), (compared,))


SMALL_NOTE = N_("“< 5” marks 1–4, and some other cells are hidden so that it cannot be worked out.")


def build_summary(
    *,
    connection: Connection,
    week: IsoWeek,
    timezone: ZoneInfo,
    translator: Translator,
    now: datetime | None = None,
) -> Summary:
    """The week's summary; made before the week is over (``now`` inside it), it says so."""
    builder = _Builder(connection, week, timezone, translator)
    title = week_title(week, translator)
    period = week_period(week, timezone, translator, now)
    sections = (
        builder.participants(),
        builder.ideas(),
        builder.polls(),
        builder.places(),
        builder.contacts(),
        team_section(builder),
    )
    return Summary(
        week=week,
        language=translator.language,
        title=title,
        period=period,
        sections=sections,
    )
