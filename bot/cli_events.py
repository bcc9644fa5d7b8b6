"""``osallistu events import FILE_OR_URL``: events from a Linked Events or MikkeliNYT feed."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli_support import database_or_exit, settings_or_exit, setup_logging
from bot.event_feed_parts import FeedError
from bot.events_import import import_events

events_cli = typer.Typer(help="Events: what is on.", no_args_is_help=True)


@events_cli.command("import")
def import_command(
    source: Annotated[str, typer.Argument(help="A JSON file, or an http(s) address of a feed")],
) -> None:
    """Add or update events from Linked Events JSON (followed page by page) or MikkeliNYT's
    JSON; cancelled and postponed ones are marked, entries that cannot be read skipped."""
    setup_logging()
    settings = settings_or_exit()
    engine = database_or_exit(settings.database_url)
    try:
        report = import_events(engine, source, audiences=settings.events_keyword_audiences)
    except FeedError as error:
        typer.echo(f"cannot import: {error}", err=True)
        raise typer.Exit(code=2) from None
    finally:
        engine.dispose()
    typer.echo(str(report))
