"""``osallistu export …`` and ``osallistu summary …``: the staff area's files from the shell."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.cli_support import database_or_exit, settings_or_exit
from bot.reports.exports import ExportFormat, ExportKind, ExportRequest, stream_export
from bot.reports.summary_files import FORMATS, write_summary
from bot.reports.weekly import build_summary
from bot.reports.weeks import BadWeek, IsoWeek
from locales import Translators


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.echo(f"--{name} takes a date like 2026-11-23", err=True)
        raise typer.Exit(code=2) from None


def export_command(
    kind: Annotated[ExportKind, typer.Argument(help="ideas, votes, results, places or contacts")],
    file_format: Annotated[ExportFormat, typer.Option("--format", help="csv, xlsx or json")] = (
        ExportFormat.CSV
    ),
    since: Annotated[str | None, typer.Option(help="First day, 2026-11-23")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, 2026-11-29")] = None,
    output: Annotated[Path | None, typer.Option(help="File to write; stdout without")] = None,
    machine: Annotated[
        bool, typer.Option("--machine", help="Stable keys, codes and UTC times, for scripts")
    ] = False,
) -> None:
    """Export data as CSV (Excel-ready), XLSX or JSON; ideas include contact details.
    Headers and words are in STAFF_LOCALE, times in TIMEZONE, unless --machine."""
    settings = settings_or_exit()
    engine = database_or_exit(settings.database_url, read_only=True)
    request = ExportRequest(
        kind=kind,
        format=file_format,
        since=_day(since, "since"),
        until=_day(until, "until"),
        with_contacts=kind is ExportKind.IDEAS,
        machine=machine,
    )
    rows: list[int] = []
    chunks = stream_export(
        database=engine,
        request=request,
        translator=Translators(timezone=settings.timezone)[settings.staff_locale],
        delimiter=settings.export_csv_delimiter,
        on_done=rows.append,
    )
    try:
        if output is None:
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            typer.echo(f"{rows[0] if rows else 0} rows written to {output}", err=True)
    finally:
        engine.dispose()


def summary_command(
    week: Annotated[
        str | None, typer.Option(help="ISO week such as 2026-W48; last week without")
    ] = None,
    file_format: Annotated[str, typer.Option("--format", help="xlsx, csv (zip) or html")] = "xlsx",
    output: Annotated[Path | None, typer.Option(help="File to write; stdout without")] = None,
) -> None:
    """Make the weekly summary of an ISO week (Europe/Helsinki), with the small-group rule."""
    from datetime import UTC, datetime

    settings = settings_or_exit()
    zone = ZoneInfo(settings.timezone)
    if file_format not in FORMATS:
        typer.echo(f"--format is one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(code=2)
    try:
        chosen = IsoWeek.parse(week) if week else IsoWeek.last_complete(datetime.now(UTC), zone)
    except BadWeek as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=2) from None
    engine = database_or_exit(settings.database_url, read_only=True)
    try:
        with engine.connect() as connection:
            summary = build_summary(
                connection=connection,
                week=chosen,
                timezone=zone,
                translator=Translators(timezone=settings.timezone)[settings.staff_locale],
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()
    data = write_summary(summary, file_format, delimiter=settings.export_csv_delimiter)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        typer.echo(f"summary of {chosen} written to {output}", err=True)
