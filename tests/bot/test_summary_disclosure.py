"""No hidden figure of the weekly summary can be worked out from everything a reader can hold.

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
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import openpyxl
import sqlalchemy as sa

from bot.reports.summary_files import write_summary
from bot.reports.summary_model import SMALL_MARK
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from bot.services import Services
from locales import Translators, pick
from storage import summary_queries
from storage.domain_tables import idea_t

HELSINKI = ZoneInfo("Europe/Helsinki")
FI = Translators()["fi"]
WEEK = IsoWeek(2026, 47)
THEMES, AREAS = ("young", "nature", "community"), ("centre", "rantakyla", "otava")
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


def _cells(
    dataset: str, themes: dict[str, str], areas: dict[str, str], theme: str | None, area: str | None
) -> Vector:
    """The sum of the named cells: one cell, a theme's row, an area's column, or all."""
    return {
        (dataset, t, a): Fraction(1)
        for t in themes.values()
        for a in areas.values()
        if theme in (None, t) and area in (None, a)
    }


def _read_file(
    data: bytes,
    this: str,
    last: str,
    equations: Equations,
    themes: dict[str, str],
    areas: dict[str, str],
) -> list[Vector]:
    """Put every published figure of one summary file into ``equations``; return what it
    hides. ``this`` and ``last`` name the data its two weeks show."""
    cross = FI.gettext("Ideas by theme and area")
    compared = FI.gettext("Ideas compared with last week")
    chart = FI.gettext("Ideas by theme")
    everything, total = FI.gettext("All ideas"), FI.gettext("Total")
    key_line = f"{FI.gettext('Ideas')}: {everything}"
    hidden: list[Vector] = []
    for _sheet, block in _blocks(data):
        caption, body = block[0][0], block[1:]
        for row in body:
            for value in row[1:]:
                assert not (isinstance(value, int) and 1 <= value <= 4), (caption, row)
        if caption == cross:
            header = [str(h) for h in body[0][1:-1]]
            for row in body[1:]:
                if len(row) < 2 or row[1] is None:
                    continue  # a note
                theme = None if row[0] == total else str(row[0])
                for area_name, value in zip([*header, None], row[1 : len(header) + 2], strict=True):
                    target = _cells(this, themes, areas, theme, area_name)
                    if isinstance(value, int):
                        equations.add(target, value)
                    else:
                        hidden.append(target)
            # Themes and areas left out of the table had no ideas: a reader knows that too.
            listed = {str(row[0]) for row in body[1:]}
            for theme in themes.values():
                if theme not in listed:
                    equations.add(_cells(this, themes, areas, theme, None), 0)
            for area in areas.values():
                if area not in header:
                    equations.add(_cells(this, themes, areas, None, area), 0)
        elif caption in (compared, chart):
            for row in body[1:]:
                label = str(row[0]).split(": ")[0]
                theme = None if label == everything else label
                if theme is not None and theme not in themes.values():
                    continue
                for dataset, value in ((this, row[1]), (last, row[2])):
                    if isinstance(value, int):
                        equations.add(_cells(dataset, themes, areas, theme, None), value)
        else:
            for row in body:
                if row[0] == key_line:
                    for dataset, value in ((this, row[1]), (last, row[2])):
                        if isinstance(value, int):
                            equations.add(_cells(dataset, themes, areas, None, None), value)
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


def test_no_hidden_figure_follows_from_all_the_files_of_a_week(services: Services) -> None:
    with services.database.connect() as connection:
        theme_names, area_names = summary_queries.names(connection=connection)
    themes = {code: pick(theme_names[code], "fi") for code in THEMES}
    areas = {code: pick(area_names[code], "fi") for code in AREAS}
    weeks = [WEEK.previous().previous(), WEEK.previous(), WEEK, WEEK.following()]
    checked = 0
    for seed in range(8):
        rng = random.Random(seed)
        with services.database.begin() as connection:
            connection.execute(sa.delete(idea_t))
        for week in weeks:
            monday = datetime.combine(week.monday, datetime.min.time(), HELSINKI)
            _add_ideas(services, rng, monday, range(0, 3) if week == WEEK else range(0, 7))
        wednesday_evening = datetime.combine(WEEK.monday, datetime.min.time(), HELSINKI) + (
            timedelta(days=2, hours=22)
        )
        partial = _file(services, WEEK, wednesday_evening)
        monday = datetime.combine(WEEK.monday, datetime.min.time(), HELSINKI)
        _add_ideas(services, rng, monday + timedelta(days=3), range(0, 4))
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
            hidden += _read_file(data, this, last, equations, themes, areas)
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
