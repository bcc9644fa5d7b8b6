"""Exports of ideas, poll answers, poll results, places and contact requests: CSV, XLSX, JSON.

Rows stream from the database to the writer, so a million ideas take a few megabytes of
memory. A readable export (the default) is for people: headers in the staff member's
language, words instead of codes, local times, a short pseudonym; XLSX with real date-times,
widths, a frozen and filtered header and a sheet that says what the file holds. The machine
form (``--machine``, and always JSON) keeps the stable keys, codes, UTC ISO times and the full
pseudonym for scripts. CSV is UTF-8 with a BOM (Excel then reads ä and ö right) and a ``;``
by default (Finnish Excel); every typed text is neutralised against formula injection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.reports.export_columns import COLUMNS, Shape
from bot.reports.export_writers import Counted, Sheet, write_csv, write_json, write_xlsx
from bot.reports.labels import (
    AGE_BAND_LABELS,
    CHANNEL_LABELS,
    CONTACT_METHOD_LABELS,
    CONTACT_STATUS_LABELS,
    IDEA_STATUS_LABELS,
    NEED_LABELS,
    NO,
    PLACE_KIND_LABELS,
    YES,
)
from bot.reports.local_times import LocalTimes
from bot.reports.summary_model import SMALL_MARK
from dialogs.domain.results import hidden_options
from dialogs.domain.small_groups import SMALL_GROUP
from locales import CONTENT_LANGUAGES, N_, NATIVE_NAMES, Translator, pick
from storage import exports, polls, summary_queries
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
    machine: bool = False  # today's stable columns for scripts, not words for people

    def file_name(self) -> str:
        span = ""
        if self.since or self.until:
            span = f"-{self.since or ''}--{self.until or ''}"
        return f"osallistu-{self.kind}{span}.{self.format}"


KIND_LABELS: Mapping[ExportKind, str] = {
    ExportKind.IDEAS: N_("Ideas"),
    ExportKind.VOTES: N_("Poll answers (anonymous)"),
    ExportKind.RESULTS: N_("Poll results"),
    ExportKind.PLACES: N_("Places and services"),
    ExportKind.CONTACTS: N_("Contact requests"),
}
COMMAND_LINE = N_("the command line (osallistu export)")


@dataclass(frozen=True)
class _Rows:
    keys: tuple[str, ...]
    batches: Iterator[list[tuple[Any, ...]]]


Convert = Callable[[Any], Any]


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


def _words(translator: Translator, labels: Mapping[str, str]) -> dict[str, str]:
    return {code: translator.gettext(label) for code, label in labels.items()}


def _readable(
    connection: Any, kind: ExportKind, translator: Translator, moment_template: str | None
) -> exports.Readable:
    """The words for every code column of ``kind``, for the database to put in place."""
    themes, areas = summary_queries.names(connection=connection)
    language = translator.language
    labels: dict[str, Mapping[Any, str]] = {
        "channel": _words(translator, CHANNEL_LABELS),
        "language": NATIVE_NAMES,
        "theme": {code: pick(names, language) for code, names in themes.items()},
        "area": {code: pick(names, language) for code, names in areas.items()},
        "has_photo": {1: translator.gettext(YES), 0: translator.gettext(NO)},
        "contact_method": _words(translator, CONTACT_METHOD_LABELS),
        "method": _words(translator, CONTACT_METHOD_LABELS),
        "status": _words(
            translator,
            CONTACT_STATUS_LABELS if kind is ExportKind.CONTACTS else IDEA_STATUS_LABELS,
        ),
    }
    return exports.Readable(
        labels=labels, timezone=str(translator.timezone), moment_template=moment_template
    )


def _words_in_python(
    connection: Any, kind: ExportKind, translator: Translator
) -> dict[str, Convert]:
    """Places and poll answers pass through Python anyway (their texts are per language):
    their codes become words there."""
    if kind is ExportKind.VOTES:
        ages = _words(translator, AGE_BAND_LABELS)
        return {"age_band": lambda code: ages.get(code, code) if code else None}
    if kind is not ExportKind.PLACES:
        return {}
    _themes, areas = summary_queries.names(connection=connection)
    kinds = _words(translator, PLACE_KIND_LABELS)
    area_names = {code: pick(names, translator.language) for code, names in areas.items()}
    needs = _words(translator, NEED_LABELS)
    yes_no = {True: translator.gettext(YES), False: translator.gettext(NO)}
    return {
        "kind": lambda code: kinds.get(code, code),
        "area": lambda code: area_names.get(code, code),
        "needs": lambda codes: ", ".join(needs.get(c, c) for c in (codes or "").split()),
        "active": lambda flag: yes_no[bool(flag)],
        "demo": lambda flag: yes_no[bool(flag)],
    }


def _rows(
    connection: Any,
    request: ExportRequest,
    zone: ZoneInfo,
    translator: Translator,
    readable: exports.Readable | None,
) -> _Rows:
    since, until = _moments(request, zone)
    if request.kind is ExportKind.IDEAS:
        keys = exports.IDEA_COLUMNS + (
            exports.IDEA_CONTACT_COLUMNS if request.with_contacts else ()
        )
        rows = exports.idea_rows(
            connection=connection,
            since=since,
            until=until,
            with_contacts=request.with_contacts,
            readable=readable,
        )
        return _Rows(keys, rows)
    if request.kind is ExportKind.VOTES:
        until_day = request.until + timedelta(days=1) if request.until else None
        rows = exports.vote_rows(connection=connection, since=request.since, until=until_day)
        return _Rows(exports.VOTE_COLUMNS, _local_texts(rows, translator.language))
    if request.kind is ExportKind.RESULTS:
        return _Rows(RESULT_COLUMNS, iter([list(_results(connection, translator.language))]))
    if request.kind is ExportKind.PLACES:
        return _Rows(
            exports.place_columns(CONTENT_LANGUAGES),
            exports.place_rows(connection=connection, languages=CONTENT_LANGUAGES),
        )
    rows = exports.contact_rows(connection=connection, since=since, until=until, readable=readable)
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
    connection: Any,
    request: ExportRequest,
    zone: ZoneInfo,
    delimiter: str,
    readable: exports.Readable | None,
) -> CopiedCsv | None:
    """On PostgreSQL, the big tables' CSV comes straight from COPY, formatted there too."""
    if request.format is not ExportFormat.CSV or connection.dialect.name != "postgresql":
        return None
    since, until = _moments(request, zone)
    if request.kind is ExportKind.IDEAS:
        statement = exports.idea_statement(
            connection=connection,
            since=since,
            until=until,
            with_contacts=request.with_contacts,
            readable=readable,
        )
    elif request.kind is ExportKind.CONTACTS:
        statement = exports.contact_statement(
            connection=connection, since=since, until=until, readable=readable
        )
    else:
        return None
    return CopiedCsv(connection, statement, delimiter)


def _converters(
    keys: tuple[str, ...], times: LocalTimes, file_format: ExportFormat
) -> dict[int, Convert]:
    """Per column, what turns a stored time or day into the one people read."""
    to_excel = file_format is ExportFormat.XLSX
    converters: dict[int, Convert] = {}
    for index, key in enumerate(keys):
        shape = COLUMNS[key].shape
        if shape is Shape.MOMENT:
            converters[index] = times.moment_serial() if to_excel else times.moment_text()
        elif shape is Shape.DAY:
            converters[index] = times.day_serial if to_excel else times.day_text
    return converters


def _converted(batches: exports.Batches, converters: Mapping[int, Convert]) -> exports.Batches:
    if not converters:
        yield from batches
        return
    pairs = tuple(converters.items())
    for batch in batches:
        converted = []
        for row in batch:
            values = list(row)
            for index, convert in pairs:
                values[index] = convert(values[index])
            converted.append(values)
        yield converted  # type: ignore[misc]


def _about(
    request: ExportRequest, translator: Translator, times: LocalTimes, made_by: str, now: datetime
) -> Callable[[int], list[tuple[str, str]]]:
    _ = translator.gettext
    if request.since or request.until:
        days = "–".join([times.day_text(request.since) or "", times.day_text(request.until) or ""])
    else:
        days = _("All that is stored")

    def lines(rows: int) -> list[tuple[str, str]]:
        about = [
            (_("What the file holds"), _(KIND_LABELS[request.kind])),
            (_("Days"), days),
            (_("Rows"), translator.value(rows)),
            (_("Made"), times.now_text(now)),
            (_("Made by (role)"), _(made_by)),
            (_("Times"), _("Finnish time (Europe/Helsinki)")),
        ]
        if request.kind is ExportKind.IDEAS:
            contacts = _("Included") if request.with_contacts else _("Not included")
            about.append((_("Contact details"), contacts))
        if request.kind in (ExportKind.IDEAS, ExportKind.CONTACTS):
            about.append(
                (_("Pseudonym"), _("The same person has the same pseudonym in every export."))
            )
        if request.kind is ExportKind.RESULTS:
            about.append((_("Small groups"), _("Counts of 1–4 are shown as “< 5”.")))
        return about

    return lines


def stream_export(
    *,
    database: Engine,
    request: ExportRequest,
    translator: Translator,
    delimiter: str,
    made_by: str = COMMAND_LINE,
    on_done: Callable[[int], None] = lambda rows: None,
) -> Iterator[bytes]:
    """Yield the export's bytes as they are written; ``on_done(rows)`` runs at the end.
    ``translator`` gives the language and time zone; ``made_by`` (a msgid) who asked."""
    zone = translator.timezone
    if request.format is ExportFormat.JSON:
        request = replace(request, machine=True)  # JSON is for programs
    times = LocalTimes.for_locale(translator.babel_locale, zone)
    with database.connect() as connection, connection.begin():
        postgres = connection.dialect.name == "postgresql"
        readable = None
        if not request.machine:
            template = times.postgres_moment if postgres else None
            readable = _readable(connection, request.kind, translator, template)
        copied = _copied_csv(connection, request, zone, delimiter, readable)
        if copied is not None:
            keys = copied.keys
            yield ("\ufeff" + delimiter.join(_headers(keys, request, translator)) + "\r\n").encode()
            yield from copied
            on_done(copied.rows)
            return
        if readable is not None:
            readable = replace(readable, moment_template=None)
        source = _rows(connection, request, zone, translator, readable)
        counted = Counted(source.batches)
        batches: exports.Batches = iter(counted)
        headers = _headers(source.keys, request, translator)
        if not request.machine:
            words = _words_in_python(connection, request.kind, translator)
            if words:
                batches = _converted(
                    batches, {i: words[k] for i, k in enumerate(source.keys) if k in words}
                )
            batches = _converted(batches, _converters(source.keys, times, request.format))
        if request.format is ExportFormat.CSV:
            yield from write_csv(headers, source.keys, batches, delimiter)
        elif request.format is ExportFormat.JSON:
            yield from write_json(source.keys, batches)
        else:
            sheet = Sheet(
                name=translator.gettext(KIND_LABELS[request.kind]),
                headers=headers,
                widths=tuple(COLUMNS[key].width for key in source.keys),
                number_formats=_number_formats(source.keys, times, request.machine),
                about_name=translator.gettext(N_("About this file")),
                about=_about(request, translator, times, made_by, datetime.now(UTC)),
            )
            yield from write_xlsx(sheet, batches)
    on_done(counted.rows)


def _headers(
    keys: tuple[str, ...], request: ExportRequest, translator: Translator
) -> tuple[str, ...]:
    if request.machine:
        return keys
    return tuple(translator.text(COLUMNS[key].header, COLUMNS[key].params) for key in keys)


def _number_formats(
    keys: tuple[str, ...], times: LocalTimes, machine: bool
) -> tuple[str | None, ...]:
    if machine:
        return tuple(None for _ in keys)
    shapes = {Shape.MOMENT: times.excel_moment, Shape.DAY: times.excel_day}
    return tuple(shapes.get(COLUMNS[key].shape) for key in keys)
