"""Exports of ideas, poll answers, poll results, places and contact requests: CSV, XLSX, JSON.

Rows stream from the database to the writer, so a million ideas take a few megabytes of
memory. CSV is UTF-8 with a BOM (Excel then reads ä and ö right) and a ``;`` by default
(Finnish Excel); every text cell is neutralised against formula injection. XLSX is written
with XlsxWriter's constant-memory mode to a temporary file, cells as strings.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from sqlalchemy.engine import Engine

from bot.reports.cells import as_text, neutralised
from bot.reports.suppression import one_way
from bot.reports.weekly import SMALL_MARK
from locales import pick
from storage import exports, polls

CHUNK_ROWS = 2000
SPOOL_BYTES = 1 << 20


class ExportKind(StrEnum):
    IDEAS = "ideas"
    VOTES = "votes"
    RESULTS = "results"
    PLACES = "places"
    CONTACTS = "contacts"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.JSON: "application/json",
}


@dataclass(frozen=True)
class ExportRequest:
    kind: ExportKind
    format: ExportFormat
    since: date | None = None  # inclusive, in the city's time
    until: date | None = None  # inclusive
    with_contacts: bool = False  # ideas' contact details, for roles that may see them

    def file_name(self) -> str:
        span = ""
        if self.since or self.until:
            span = f"-{self.since or ''}--{self.until or ''}"
        return f"osallistu-{self.kind}{span}.{self.format}"


@dataclass(frozen=True)
class _Rows:
    headers: tuple[str, ...]
    rows: Iterator[tuple[Any, ...]]


def _moments(request: ExportRequest, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    since = datetime.combine(request.since, time(), zone).astimezone(UTC) if request.since else None
    until = (
        datetime.combine(request.until + timedelta(days=1), time(), zone).astimezone(UTC)
        if request.until
        else None
    )
    return since, until


def _local_texts(rows: Iterable[tuple[Any, ...]], language: str) -> Iterator[tuple[Any, ...]]:
    for row in rows:
        yield tuple(pick(v, language) if isinstance(v, dict) else v for v in row)


def _rows(connection: Any, request: ExportRequest, zone: ZoneInfo, language: str) -> _Rows:
    since, until = _moments(request, zone)
    if request.kind is ExportKind.IDEAS:
        headers = exports.IDEA_COLUMNS + (
            exports.IDEA_CONTACT_COLUMNS if request.with_contacts else ()
        )
        rows = exports.idea_rows(
            connection=connection, since=since, until=until, with_contacts=request.with_contacts
        )
        return _Rows(headers, rows)
    if request.kind is ExportKind.VOTES:
        until_day = request.until + timedelta(days=1) if request.until else None
        rows = exports.vote_rows(connection=connection, since=request.since, until=until_day)
        return _Rows(exports.VOTE_COLUMNS, _local_texts(rows, language))
    if request.kind is ExportKind.RESULTS:
        return _Rows(RESULT_COLUMNS, _results(connection, language))
    if request.kind is ExportKind.PLACES:
        return _Rows(exports.PLACE_COLUMNS, exports.place_rows(connection=connection))
    rows = exports.contact_rows(connection=connection, since=since, until=until)
    return _Rows(exports.CONTACT_COLUMNS, rows)


RESULT_COLUMNS = ("poll_id", "poll", "question", "answer", "votes", "respondents")


def _results(connection: Any, language: str) -> Iterator[tuple[Any, ...]]:
    """Every poll's results with the small-group rule: publishable as they are."""
    for poll_id in polls.all_poll_ids(connection=connection):
        poll = polls.get_poll(connection=connection, poll_id=poll_id)
        if poll is None:
            continue
        counted = polls.results(connection=connection, poll_id=poll_id)
        respondents = counted.respondents
        if respondents < 5:
            yield (
                poll_id,
                pick(poll.title, language),
                "",
                "",
                "",
                SMALL_MARK if respondents else 0,
            )
            continue
        for question in poll.questions:
            votes = [counted.counts.get(option.id, 0) for option in question.options]
            hidden = one_way(votes).hidden
            for index, option in enumerate(question.options):
                yield (
                    poll_id,
                    pick(poll.title, language),
                    pick(question.text, language),
                    pick(option.text, language),
                    SMALL_MARK if index in hidden else votes[index],
                    respondents,
                )


def stream_export(
    *,
    database: Engine,
    request: ExportRequest,
    timezone: str,
    language: str,
    delimiter: str,
    on_done: Callable[[int], None] = lambda rows: None,
) -> Iterator[bytes]:
    """Yield the export's bytes as they are written; ``on_done(rows)`` runs at the end."""
    zone = ZoneInfo(timezone)
    with database.connect() as connection, connection.begin():
        source = _rows(connection, request, zone, language)
        counter = _Counter(source.rows)
        if request.format is ExportFormat.CSV:
            yield from _csv(source.headers, counter, delimiter)
        elif request.format is ExportFormat.JSON:
            yield from _json(source.headers, counter)
        else:
            yield from _xlsx(source.headers, counter)
    on_done(counter.count)


class _Counter:
    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self._rows:
            self.count += 1
            yield row


def _csv(
    headers: tuple[str, ...], rows: Iterable[tuple[Any, ...]], delimiter: str
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(headers)
    pending = 0
    for row in rows:
        writer.writerow([as_text(value) for value in row])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json(headers: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    yield b"["
    first = True
    chunk: list[str] = []
    for row in rows:
        record = {h: _json_value(v) for h, v in zip(headers, row, strict=True)}
        chunk.append(("" if first else ",") + "\n" + json.dumps(record, ensure_ascii=False))
        first = False
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk).encode()
            chunk = []
    chunk.append("\n]\n")
    yield "".join(chunk).encode()


def _xlsx(headers: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(
            path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        sheet = workbook.add_worksheet("data")
        bold = workbook.add_format({"bold": True})
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
        for index, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(index, column, value)
                elif isinstance(value, int | float):
                    sheet.write_number(index, column, value)
                elif isinstance(value, datetime | date):
                    sheet.write_string(index, column, value.isoformat())
                else:
                    sheet.write_string(index, column, neutralised(str(value)))
        workbook.close()
        with open(path, "rb") as written:
            while block := written.read(SPOOL_BYTES):
                yield block
    finally:
        os.unlink(path)
