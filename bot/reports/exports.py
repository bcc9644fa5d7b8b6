"""Exports of ideas, poll answers, poll results, places and contact requests: CSV, XLSX, JSON.

Rows stream from the database to the writer, so a million ideas take a few megabytes of
memory. CSV is UTF-8 with a BOM (Excel then reads ä and ö right) and a ``;`` by default
(Finnish Excel); every text cell is neutralised against formula injection. XLSX is written
with XlsxWriter's constant-memory mode to a temporary file, cells as strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.reports.export_writers import Counted, write_csv, write_json, write_xlsx
from bot.reports.summary_model import SMALL_MARK
from dialogs.domain.results import hidden_options
from dialogs.domain.small_groups import SMALL_GROUP
from locales import pick
from storage import exports, polls
from storage.export_copy import CopiedCsv


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
    batches: Iterator[list[tuple[Any, ...]]]


def _moments(request: ExportRequest, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    since = datetime.combine(request.since, time(), zone).astimezone(UTC) if request.since else None
    until = (
        datetime.combine(request.until + timedelta(days=1), time(), zone).astimezone(UTC)
        if request.until
        else None
    )
    return since, until


def _local_texts(batches: exports.Batches, language: str) -> exports.Batches:
    for batch in batches:
        yield [tuple(pick(v, language) if isinstance(v, dict) else v for v in row) for row in batch]


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
        return _Rows(RESULT_COLUMNS, iter([list(_results(connection, language))]))
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
        if respondents < SMALL_GROUP:
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
            hidden = hidden_options(question, counted)
            for index, option in enumerate(question.options):
                yield (
                    poll_id,
                    pick(poll.title, language),
                    pick(question.text, language),
                    pick(option.text, language),
                    SMALL_MARK if index in hidden else votes[index],
                    respondents,
                )


def _copied_csv(
    connection: Any, request: ExportRequest, zone: ZoneInfo, delimiter: str
) -> tuple[tuple[str, ...], CopiedCsv] | None:
    """On PostgreSQL, the big tables' CSV comes straight from COPY."""
    if request.format is not ExportFormat.CSV or connection.dialect.name != "postgresql":
        return None
    since, until = _moments(request, zone)
    if request.kind is ExportKind.IDEAS:
        statement = exports.idea_statement(
            connection=connection, since=since, until=until, with_contacts=request.with_contacts
        )
    elif request.kind is ExportKind.CONTACTS:
        statement = exports.contact_statement(connection=connection, since=since, until=until)
    else:
        return None
    headers = tuple(column.name for column in statement.selected_columns)
    return headers, CopiedCsv(connection, statement, delimiter)


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
        copied = _copied_csv(connection, request, zone, delimiter)
        if copied is not None:
            yield ("\ufeff" + delimiter.join(copied[0]) + "\r\n").encode()
            yield from copied[1]
            on_done(copied[1].rows)
            return
        source = _rows(connection, request, zone, language)
        counted = Counted(source.batches)
        if request.format is ExportFormat.CSV:
            yield from write_csv(source.headers, counted, delimiter)
        elif request.format is ExportFormat.JSON:
            yield from write_json(source.headers, counted)
        else:
            yield from write_xlsx(source.headers, counted)
    on_done(counted.rows)
