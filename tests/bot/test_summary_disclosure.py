"""No hidden figure of the weekly summary (ideas by theme and area, new participants by channel
and language) can be worked out from everything a reader can hold.

A reader may keep every summary file: last week's, this week's partial one made on
Wednesday, this week's complete one, and next week's, whose "last week" column repeats this
week. Each published number is a linear equation on the true counts of its week (a cell, a
row total, the grand total); a hidden one is given away exactly when it lies in the span of
those equations (Gaussian elimination over fractions). The files are read back from XLSX as
a reader would, with openpyxl.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import sqlalchemy as sa

from bot.reports.labels import CHANNEL_LABELS
from bot.reports.summary_files import write_summary
from bot.reports.summary_model import SMALL_MARK
from bot.reports.weekly import build_summary
from bot.reports.weekly_news import ROUTE_LABELS
from bot.reports.weeks import IsoWeek
from bot.services import Services
from dialogs.flows.news_texts import TOPIC_LABELS
from locales import NATIVE_NAMES, Translators, pick
from storage import summary_queries
from storage.domain_tables import idea_t
from storage.news_tables import subscription_t
from storage.tables import participant_t

HELSINKI = ZoneInfo("Europe/Helsinki")
FI = Translators()["fi"]
WEEK = IsoWeek(2026, 47)
THEMES, AREAS = ("young", "nature", "community"), ("centre", "rantakyla", "otava")
CHANNELS, LANGUAGES = ("webchat", "telegram", "messenger"), ("fi", "sv", "en")
CHOICES = (0, 0, 0, 1, 2, 3, 5, 6, 9)  # many small counts: the rule has work to do

Quantity = tuple[str, str]  # (which data: a week or a partial week, a cell or a margin key)
Vector = dict[tuple[str, str, str], Fraction]  # (data, theme, area) → coefficient


class Equations:
    """Published numbers as equations on the unknown counts, and a test of what they fix."""

    def __init__(self) -> None:
        self.rows: list[tuple[Vector, Fraction]] = []

    def add(self, vector: Vector, value: int) -> None:
        self.rows.append((vector, Fraction(value)))

    def determines(self, target: Vector) -> bool:
        """Whether ``target``'s value follows from the equations (it is in their span)."""
        basis: list[tuple[Vector, tuple[str, str, str]]] = []
        for vector, _ in self.rows:
            reduced = _reduce(dict(vector), basis)
            if reduced:
                pivot = next(iter(reduced))
                lead = reduced[pivot]
                basis.append(({k: v / lead for k, v in reduced.items()}, pivot))
        return not _reduce(dict(target), basis)


def _reduce(vector: Vector, basis: list[tuple[Vector, tuple[str, str, str]]]) -> Vector:
    for row, pivot in basis:
        factor = vector.get(pivot)
        if factor:
            for key, value in row.items():
                vector[key] = vector.get(key, Fraction(0)) - factor * value
                if vector[key] == 0:
                    del vector[key]
    return vector


def _blocks(data: bytes) -> Iterator[tuple[str, list[list[object]]]]:
    """(sheet name, rows) of each block of cells between empty rows, on every sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        block: list[list[object]] = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            if all(v is None or v == "" for v in values):
                if block:
                    yield sheet.title, block
                block = []
            else:
                block.append(values)
        if block:
            yield sheet.title, block


@dataclass(frozen=True)
class Crossing:
    """A section built on a two-way table, as a reader finds it in the file: the cross table
    (rows × columns with totals), the comparison and the chart (row totals, both weeks) and
    the line on the first sheet (the grand total, both weeks)."""

    cross: str
    compared: str
    chart: str
    everything: str  # the comparison's first line: the grand total
    key_line: str
    rows: dict[str, str]  # code → the name the file shows
    columns: dict[str, str]


def _cells(crossing: Crossing, dataset: str, row: str | None, column: str | None) -> Vector:
    """The sum of the named cells: one cell, a row, a column, or all."""
    return {
        (dataset, r, c): Fraction(1)
        for r in crossing.rows.values()
        for c in crossing.columns.values()
        if row in (None, r) and column in (None, c)
    }


def _read_file(
    data: bytes, this: str, last: str, equations: Equations, crossing: Crossing
) -> list[Vector]:
    """Put every published figure of ``crossing`` in one summary file into ``equations``;
    return what it hides. ``this`` and ``last`` name the data its two weeks show."""
    total = FI.gettext("Total")
    hidden: list[Vector] = []
    read = set()
    for _sheet, block in _blocks(data):
        caption, body = block[0][0], block[1:]
        read.add(caption)
        read.update(str(row[0]) for row in body)
        for row in body:
            for value in row[1:]:
                assert not (isinstance(value, int) and 1 <= value <= 4), (caption, row)
        if caption == crossing.cross:
            header = [str(h) for h in body[0][1:-1]]
            for row in body[1:]:
                if len(row) < 2 or row[1] is None:
                    continue  # a note
                line = None if row[0] == total else str(row[0])
                for column, value in zip([*header, None], row[1 : len(header) + 2], strict=True):
                    target = _cells(crossing, this, line, column)
                    if isinstance(value, int):
                        equations.add(target, value)
                    else:
                        hidden.append(target)
            # Rows and columns left out of the table were empty: a reader knows that too.
            listed = {str(row[0]) for row in body[1:]}
            for name in crossing.rows.values():
                if name not in listed:
                    equations.add(_cells(crossing, this, name, None), 0)
            for name in crossing.columns.values():
                if name not in header:
                    equations.add(_cells(crossing, this, None, name), 0)
        elif caption in (crossing.compared, crossing.chart):
            for row in body[1:]:
                label = str(row[0]).split(": ")[0]
                line = None if label == crossing.everything else label
                if line is not None and line not in crossing.rows.values():
                    continue
                for dataset, value in ((this, row[1]), (last, row[2])):
                    if isinstance(value, int):
                        equations.add(_cells(crossing, dataset, line, None), value)
        else:
            for row in body:
                if row[0] == crossing.key_line:
                    for dataset, value in ((this, row[1]), (last, row[2])):
                        if isinstance(value, int):
                            equations.add(_cells(crossing, dataset, None, None), value)
    wanted = {crossing.cross, crossing.compared, crossing.chart, crossing.key_line} - {""}
    assert wanted <= read, wanted - read  # the reader found every part of the section
    return hidden


def _add_ideas(services: Services, rng: random.Random, start: datetime, days: range) -> None:
    rows = []
    for theme in THEMES:
        for area in AREAS:
            for _ in range(rng.choice(CHOICES)):
                moment = start + timedelta(days=rng.choice(days), hours=rng.randrange(8, 20))
                rows.append(
                    {
                        "reference": f"ID-T-{len(rows)}-{moment.timestamp():.0f}-{rng.random()}",
                        "theme_code": theme,
                        "area_code": area,
                        "text": "Keksitty idea testiä varten.",
                        "channel": "webchat",
                        "language": "fi",
                        "status": "new",
                        "created_at": moment.astimezone(UTC),
                    }
                )
    if rows:
        with services.database.begin() as connection:
            connection.execute(sa.insert(idea_t), rows)


def _file(services: Services, week: IsoWeek, now: datetime) -> bytes:
    with services.database.connect() as connection:
        summary = build_summary(
            connection=connection, week=week, timezone=HELSINKI, translator=FI, now=now
        )
    return write_summary(summary, "xlsx")


def _add_participants(services: Services, rng: random.Random, start: datetime, days: range) -> None:
    rows = []
    for channel in CHANNELS:
        for language in LANGUAGES:
            for _ in range(rng.choice(CHOICES)):
                moment = start + timedelta(days=rng.choice(days), hours=rng.randrange(8, 20))
                made_up = f"made-up-{rng.random()}"
                rows.append(
                    {
                        "channel": channel,
                        "channel_user_id": made_up,
                        "pseudonym": made_up,
                        "locale": language,
                        "created_at": moment.astimezone(UTC),
                    }
                )
    if rows:
        with services.database.begin() as connection:
            connection.execute(sa.insert(participant_t), rows)


def _ideas(services: Services) -> Crossing:
    with services.database.connect() as connection:
        theme_names, area_names = summary_queries.names(connection=connection)
    return Crossing(
        cross=FI.gettext("Ideas by theme and area"),
        compared=FI.gettext("Ideas compared with last week"),
        chart=FI.gettext("Ideas by theme"),
        everything=FI.gettext("All ideas"),
        key_line=f"{FI.gettext('Ideas')}: {FI.gettext('All ideas')}",
        rows={code: pick(theme_names[code], "fi") for code in THEMES},
        columns={code: pick(area_names[code], "fi") for code in AREAS},
    )


def _participants(services: Services) -> Crossing:
    return Crossing(
        cross=FI.gettext("New participants by channel and language"),
        compared=FI.gettext("New participants compared with last week"),
        chart=FI.gettext("New participants by channel"),
        everything=FI.gettext("All channels"),
        key_line=f"{FI.gettext('Participants')}: {FI.gettext('All channels')}",
        rows={code: FI.gettext(CHANNEL_LABELS[code]) for code in CHANNELS},
        columns={code: NATIVE_NAMES[code] for code in LANGUAGES},
    )


ROUTES = ("telegram", "email")


def _add_subscriptions(
    services: Services, rng: random.Random, start: datetime, days: range
) -> None:
    """Subscribers are counted at the end of each week: every week adds to the count."""
    for topic in TOPIC_LABELS:
        for route in ROUTES:
            for _ in range(rng.choice(CHOICES)):
                moment = start + timedelta(days=rng.choice(days), hours=rng.randrange(8, 20))
                made_up = f"made-up-{rng.random()}"
                with services.database.begin() as connection:
                    person = connection.execute(
                        sa.insert(participant_t).values(
                            channel="telegram",
                            channel_user_id=made_up,
                            pseudonym=made_up,
                            locale="fi",
                            created_at=moment.astimezone(UTC),
                        )
                    ).inserted_primary_key[0]
                    connection.execute(
                        sa.insert(subscription_t).values(
                            participant_id=person,
                            topic=topic.value,
                            channel=route,
                            agreed_at=moment.astimezone(UTC),
                            policy_version="2026-11",
                        )
                    )


def _subscriptions(services: Services) -> Crossing:
    return Crossing(
        cross=FI.gettext("Subscribers by topic and how news reaches them"),
        compared=FI.gettext("Subscribers compared with last week"),
        chart=FI.gettext("Subscribers by topic"),
        everything=FI.gettext("All subscriptions"),
        key_line="",  # the key figures are the announcements, not the subscribers
        rows={topic.value: FI.gettext(label) for topic, label in TOPIC_LABELS.items()},
        columns={code: FI.gettext(ROUTE_LABELS[code]) for code in ROUTES},
    )


Adder = Callable[[Services, random.Random, datetime, range], None]
SECTIONS: dict[str, tuple[Callable[[Services], Crossing], Adder, sa.Table]] = {
    "ideas": (_ideas, _add_ideas, idea_t),
    "participants": (_participants, _add_participants, participant_t),
    "subscriptions": (_subscriptions, _add_subscriptions, subscription_t),
}


@pytest.mark.parametrize("section", SECTIONS)
def test_no_hidden_figure_follows_from_all_the_files_of_a_week(
    services: Services, section: str
) -> None:
    describe, add, table = SECTIONS[section]
    crossing = describe(services)
    weeks = [WEEK.previous().previous(), WEEK.previous(), WEEK, WEEK.following()]
    checked = 0
    for seed in range(8):
        rng = random.Random(seed)
        with services.database.begin() as connection:
            connection.execute(sa.delete(table))
        for week in weeks:
            monday = datetime.combine(week.monday, datetime.min.time(), HELSINKI)
            add(services, rng, monday, range(0, 3) if week == WEEK else range(0, 7))
        wednesday_evening = datetime.combine(WEEK.monday, datetime.min.time(), HELSINKI) + (
            timedelta(days=2, hours=22)
        )
        partial = _file(services, WEEK, wednesday_evening)
        monday = datetime.combine(WEEK.monday, datetime.min.time(), HELSINKI)
        add(services, rng, monday + timedelta(days=3), range(0, 4))
        later = datetime.now(UTC) + timedelta(days=365)
        files = [
            (_file(services, weeks[1], later), str(weeks[1]), str(weeks[0])),
            (partial, "partial", str(weeks[1])),
            (_file(services, WEEK, later), str(WEEK), str(weeks[1])),
            (_file(services, weeks[3], later), str(weeks[3]), str(WEEK)),
        ]
        equations = Equations()
        hidden: list[Vector] = []
        for data, this, last in files:
            hidden += _read_file(data, this, last, equations, crossing)
        for target in hidden:
            assert not equations.determines(target), (seed, sorted(target))
        checked += len(hidden)
    assert checked > 20  # the data did make the rule hide things


def test_a_hidden_ten_is_never_called_fewer_than_five(services: Services) -> None:
    """Young: 2 in the centre and 10 in Otava; nature: 9 in the centre and 10 in Otava. The 2
    hides, and so must a rectangle of others, among them tens: those are "piilotettu"."""
    monday = datetime.combine(WEEK.monday, datetime.min.time(), HELSINKI) + timedelta(hours=12)
    rows = [("young", "centre", 2), ("young", "otava", 10), ("nature", "centre", 9)]
    rows.append(("nature", "otava", 10))
    with services.database.begin() as connection:
        for theme, area, count in rows:
            for n in range(count):
                connection.execute(
                    sa.insert(idea_t).values(
                        reference=f"ID-X-{theme}-{area}-{n}",
                        theme_code=theme,
                        area_code=area,
                        text="Keksitty idea testiä varten.",
                        channel="webchat",
                        language="fi",
                        status="new",
                        created_at=monday.astimezone(UTC),
                    )
                )
    data = _file(services, WEEK, datetime.now(UTC) + timedelta(days=365))
    cross = next(
        block for _s, block in _blocks(data) if block[0][0] == FI.gettext("Ideas by theme and area")
    )
    by_theme = {row[0]: row[1:] for row in cross[2:] if len(row) > 1 and row[1] is not None}
    assert by_theme["Nuoret"][0] == SMALL_MARK  # the 2
    marks = [v for row in by_theme.values() for v in row if isinstance(v, str)]
    assert "piilotettu" in marks and marks.count(SMALL_MARK) == 1
