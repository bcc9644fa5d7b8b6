"""``osallistu announce``: an announcement to a topic's subscribers, now or at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer

from bot.announcements import TextsRefused, checked_texts
from bot.cli_support import schema_or_exit, settings_or_exit
from locales import CONTENT_LANGUAGES
from storage import ideas
from storage.announcements import AnnouncementDraft
from storage.news_tables import Topic


def announce(
    topic: Annotated[Topic, typer.Option(help="polls, events or news")],
    text: Annotated[
        list[str],
        typer.Option(help=f"LANGUAGE=TEXT, once for each of {', '.join(CONTENT_LANGUAGES)}"),
    ],
    area: Annotated[
        str | None, typer.Option(help="events: an area code (rantakyla); without, every area")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help='When, in TIMEZONE: "2026-12-07 10:00"; now without')
    ] = None,
    finnish_for_missing: Annotated[
        bool,
        typer.Option("--finnish-for-missing", help="Send the Finnish text where one is missing"),
    ] = False,
) -> None:
    """Announce to the subscribers of a topic. Without --at it is queued at once, quiet hours
    or not; at a time it waits for it (and for the morning, in quiet hours)."""
    from bot.services import build_services

    settings = settings_or_exit()
    written = dict(each.partition("=")[::2] for each in text)
    unknown = sorted(set(written) - set(CONTENT_LANGUAGES))
    if unknown:
        typer.echo(
            f"--text is LANGUAGE=TEXT, LANGUAGE one of {', '.join(CONTENT_LANGUAGES)}: "
            f"not {', '.join(unknown)}",
            err=True,
        )
        raise typer.Exit(code=2)
    try:
        texts = checked_texts(written, finnish_for_missing=finnish_for_missing)
    except TextsRefused as refused:
        typer.echo(f"{refused} (or give --finnish-for-missing)", err=True)
        raise typer.Exit(code=2) from None
    if area is not None and topic is not Topic.EVENTS:
        typer.echo("--area is for --topic events", err=True)
        raise typer.Exit(code=2)
    now = datetime.now(UTC)
    try:
        send_at = (
            datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(settings.timezone))
            if at
            else now
        )
    except ValueError:
        typer.echo('--at is a time such as "2026-12-07 10:00"', err=True)
        raise typer.Exit(code=2) from None
    services = build_services(settings)
    schema_or_exit(services.database)
    try:
        with services.database.connect() as connection:
            areas = ideas.area_names(connection=connection)
        if area is not None and area not in areas:
            typer.echo(f"--area is one of {', '.join(areas)}", err=True)
            raise typer.Exit(code=2)
        announcer = services.announcer
        announcement_id = announcer.announce(
            AnnouncementDraft(
                topic=topic,
                area_code=area,
                texts=texts,
                send_at=send_at,
                now_requested=at is None,
                created_by=None,
            ),
            now=now,
        )
        if at is None:
            queued = announcer.send_due(now=now)
            typer.echo(f"announcement {announcement_id}: messages queued: {queued}")
        else:
            typer.echo(f"announcement {announcement_id} waits for {at}")
    finally:
        services.database.dispose()
