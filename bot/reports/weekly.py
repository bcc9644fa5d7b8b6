"""The weekly summary as data: sections of tables, already in the staff language and with the
small-group rule applied, ready to be written as XLSX, a CSV bundle or an HTML page.

``build_summary`` reads the week and the week before it (for the comparison columns) with a
handful of SQL aggregates, so it takes the same time for ten ideas or a million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Connection

from bot.reports.labels import CHANNEL_LABELS
from bot.reports.summary_model import (
    HIDDEN,
    SMALL_MARK,
    Bar,
    CellValue,
    Chart,
    Section,
    Summary,
    Table,
    published,
)
from bot.reports.week_words import week_period, week_title
from bot.reports.weekly_events import events_section
from bot.reports.weekly_news import news_section
from bot.reports.weekly_team import team_section
from bot.reports.weeks import IsoWeek
from dialogs.domain.small_groups import is_small, one_way, two_way
from locales import N_, NATIVE_NAMES, Translator, pick
from storage import summary_queries
from storage.summary_queries import Count


@dataclass(frozen=True)
class _Crossed:
    table: Table
    margins: dict[str, CellValue]  # each row's total as published
    total: CellValue


class _Builder:
    def __init__(self, connection: Connection, week: IsoWeek, zone: ZoneInfo, t: Translator):
        self.connection = connection
        self.week = week
        self.zone = zone
        self.t = t
        self.start, self.end = week.bounds(zone)
        self.previous_start, self.previous_end = week.previous().bounds(zone)
        self.themes, self.areas = summary_queries.names(connection=connection)
        self.weeks = (self._(N_("This week")), self._(N_("Last week")))

    def _(self, msgid: str) -> str:
        return self.t.gettext(msgid)

    def comparison(self, title: str, lines: Sequence[tuple[str, int, int]]) -> Table:
        return Table(
            title=title,
            headers=(self._(N_("Figure")), *self.weeks),
            rows=tuple((label, published(now), published(before)) for label, now, before in lines),
        )

    def mark(self, value: int) -> CellValue:
        """A hidden cell: "< 5" where it is 1–4, else a word, so that a hidden 10 is never
        read as fewer than five."""
        return SMALL_MARK if is_small(value) else self._(HIDDEN)

    def crossed(
        self,
        title: str,
        counts: list[Count],
        row_names: dict[str, str],
        column_names: dict[str, str],
        corner: str,
    ) -> _Crossed:
        """Rows × columns with totals through the small-group rule; its row totals and grand
        total as published, for the comparison and the chart to show the same."""
        row_keys = [k for k in row_names if any(c.key[0] == k for c in counts)]
        column_keys = [k for k in column_names if any(c.key[1] == k for c in counts)]
        total = self._(N_("Total"))
        headers = (corner, *(column_names[c] for c in column_keys), total)
        if not row_keys:  # nothing at all this week: every figure is a known 0
            return _Crossed(Table(title, headers, ()), dict.fromkeys(row_names, 0), 0)
        by_key = {c.key: c.count for c in counts}
        matrix = [[by_key.get((r, c), 0) for c in column_keys] for r in row_keys]
        suppressed = two_way(matrix)
        last = len(column_keys)

        def shown(row: int, column: int) -> CellValue:
            value = suppressed.cells[row][column]
            return self.mark(value) if (row, column) in suppressed.hidden else value

        margins: dict[str, CellValue] = dict.fromkeys(row_names, 0)
        margins |= {key: shown(r, last) for r, key in enumerate(row_keys)}
        grand = shown(len(row_keys), last)
        if suppressed.only_total:
            note = self._(N_("Fewer than 5 in all: the details are not shown."))
            table = Table(title, (corner, total), ((total, SMALL_MARK),), note=note)
            return _Crossed(table, dict.fromkeys(row_names, SMALL_MARK), SMALL_MARK)
        labels = [row_names[r] for r in row_keys] + [total]
        rows = tuple(
            (labels[r], *(shown(r, c) for c in range(last + 1))) for r in range(len(row_keys) + 1)
        )
        return _Crossed(Table(title, headers, rows, note=self._(SMALL_NOTE)), margins, grand)

    def compared_margins(
        self,
        title: str,
        total_label: str,
        row_names: dict[str, str],
        now: _Crossed,
        before: _Crossed,
    ) -> tuple[Table, Chart]:
        """This week beside last week, row by row, as the two weeks' tables publish them."""
        lines = [(total_label, now.total, before.total)] + [
            (name, now.margins[key], before.margins[key])
            for key, name in row_names.items()
            if now.margins[key] != 0 or before.margins[key] != 0
        ]
        table = Table(
            title=title,
            headers=(self._(N_("Figure")), *self.weeks),
            rows=tuple(lines),
            note=self._(SMALL_NOTE),
        )
        chart = Chart(title, tuple(Bar(name, n, b) for name, n, b in lines[1:]), self.weeks)
        return table, chart

    def participants(self) -> Section:
        now = summary_queries.new_participants(
            connection=self.connection, start=self.start, end=self.end
        )
        before = summary_queries.new_participants(
            connection=self.connection, start=self.previous_start, end=self.previous_end
        )
        channels = {
            code: self._(CHANNEL_LABELS.get(code, code))
            for code in sorted({c.key[0] for c in now + before})
        }
        language_names = {**NATIVE_NAMES, "": self._(N_("unknown"))}
        corner = self._(N_("Channel"))
        title = self._(N_("New participants by channel and language"))
        this_week = self.crossed(title, now, channels, language_names, corner)
        last_week = self.crossed(title, before, channels, language_names, corner)
        compared, chart = self.compared_margins(
            self._(N_("New participants compared with last week")),
            self._(N_("All channels")),
            channels,
            this_week,
            last_week,
        )
        chart = replace(chart, title=self._(N_("New participants by channel")))
        section = self._(N_("Participants"))
        return Section("participants", section, (compared, this_week.table), chart, key_rows=1)

    def ideas(self) -> Section:
        now = summary_queries.ideas_by_theme_area(
            connection=self.connection, start=self.start, end=self.end
        )
        before = summary_queries.ideas_by_theme_area(
            connection=self.connection, start=self.previous_start, end=self.previous_end
        )
        theme_names = {code: pick(names, self.t.language) for code, names in self.themes.items()}
        area_names = {code: pick(names, self.t.language) for code, names in self.areas.items()}
        title, corner = self._(N_("Ideas by theme and area")), self._(N_("Theme"))
        this_week = self.crossed(title, now, theme_names, area_names, corner)
        last_week = self.crossed(title, before, theme_names, area_names, corner)
        compared, chart = self.compared_margins(
            self._(N_("Ideas compared with last week")),
            self._(N_("All ideas")),
            theme_names,
            this_week,
            last_week,
        )
        chart = replace(chart, title=self._(N_("Ideas by theme")))
        tables = (compared, this_week.table)
        return Section("ideas", self._(N_("Ideas")), tables, chart, key_rows=1)

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
            (self._(N_("Poll")), self._(N_("Answers this week"))),
            tuple(
                (pick(p.title, self.t.language), published(p.respondents_in_week))
                for p in week_polls
            ),
            note=self._(POLL_NOTE),
        )
        chart = Chart(
            self._(N_("Answers this week")),
            tuple(
                Bar(pick(p.title, self.t.language), published(p.respondents_in_week), None)
                for p in week_polls
            ),
            (self._(N_("Answers this week")), ""),
        )
        return Section("polls", self._(N_("Polls")), (overview,), chart)

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
                self.mark(place.shown) if i in shown.hidden else place.shown,
                self.mark(place.chosen) if i in chosen.hidden else place.chosen,
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
                Bar(
                    pick(p.name, self.t.language),
                    self.mark(p.shown) if i in shown.hidden else p.shown,
                    None,
                )
                for i, p in enumerate(now[:10])
            ),
            self.weeks,
        )
        return Section("places", self._(N_("Places")), (compared, table), chart, key_rows=2)

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
        return Section("contacts", self._(N_("Contact requests")), (compared,), key_rows=2)


# Only this week's answers: a running total or a poll's results beside them would, with
# another week's file, give away a hidden week ("in all" 11 minus last week's 7), and an open
# poll's results in two files would show how the people in between voted.
POLL_NOTE = N_("Results are on the poll's page and in the poll results export.")
SMALL_NOTE = N_(
    "“< 5” means 1–4. “hidden” is another figure. It is hidden so that a small one"
    " cannot be worked out from the others."
)


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
        news_section(builder),
        events_section(builder),
    )
    _ = translator.gettext
    return Summary(
        week=week,
        language=translator.language,
        title=title,
        period=period,
        sections=sections,
        overview_name=translator.text(N_("Week {number}"), {"number": str(week.week)}),
        key_title=_(N_("Key figures")),
        key_headers=(_(N_("Figure")), _(N_("This week")), _(N_("Last week")), _(N_("Change"))),
        note=_(SMALL_NOTE),
    )
