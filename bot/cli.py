"""The ``osallistu`` command: serve, migrate, demo-data, places, events, staff, export, summary,
purge.

Every command reads the same settings as the server (``OSALLISTU_*`` and ``.env``).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from telegram import Bot

from bot.cli_announce import announce
from bot.cli_events import events_cli
from bot.cli_reports import export_command, summary_command
from bot.cli_staff import staff_cli
from bot.cli_support import database_or_exit, settings_or_exit, setup_logging
from bot.settings import Settings
from handlers.telegram.setup import ALLOWED_UPDATES, set_commands, set_webhook

cli = typer.Typer(
    help="Osallistu, the outreach chat bot of Yhdessä osallistuen.", no_args_is_help=True
)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on")] = None,
    telegram_polling: Annotated[
        bool, typer.Option("--telegram-polling", help="Poll Telegram instead of a webhook")
    ] = False,
) -> None:
    """Serve the web chat, the webhooks and the staff area."""
    import uvicorn

    from bot.app import create_app

    setup_logging()
    settings = settings_or_exit()
    if telegram_polling:
        settings = settings.model_copy(update={"telegram_polling": True})
    database_or_exit(settings.database_url).dispose()  # not serving 500s on no schema
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=False,  # paths and addresses of residents are not worth keeping
        proxy_headers=True,
        timeout_graceful_shutdown=10,
    )


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from storage.engine import make_engine
    from storage.migrate import migrate as run_migrations

    setup_logging()
    settings = settings_or_exit()
    engine = make_engine(settings.database_url)
    run_migrations(engine, pseudonym_key=settings.pseudonym_secret())
    engine.dispose()
    typer.echo("database is up to date")


@cli.command("demo-data")
def demo_data(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Only into an empty database")
    ] = False,
) -> None:
    """Load the demo data: public places (marked as demo), a poll and two weeks of made-up
    traffic, so the staff area and the summaries have something to show."""
    from bot.demo import load_demo_data

    setup_logging()
    settings = settings_or_exit()
    engine = database_or_exit(settings.database_url)
    loaded = load_demo_data(
        engine,
        only_if_empty=if_empty,
        traffic_key=settings.pseudonym_secret(),
        timezone=settings.timezone,
    )
    typer.echo(loaded)
    engine.dispose()


places_cli = typer.Typer(help="The directory of meeting places and services.", no_args_is_help=True)
cli.add_typer(places_cli, name="places")


@places_cli.command("import")
def places_import(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="YAML or JSON file")],
    ptv_needs: Annotated[
        str, typer.Option(help="Needs given to places from a PTV file (comma-separated)")
    ] = "hangout",
) -> None:
    """Add or update places from our YAML/JSON format or from PTV ServiceChannel JSON."""
    from bot.places_import import PlacesFileError, import_places

    setup_logging()
    engine = database_or_exit(settings_or_exit().database_url)
    try:
        report = import_places(
            engine, file, ptv_needs=tuple(n.strip() for n in ptv_needs.split(",") if n.strip())
        )
    except PlacesFileError as error:
        typer.echo(f"cannot import: {error}", err=True)
        raise typer.Exit(code=2) from None
    finally:
        engine.dispose()
    typer.echo(str(report))


@cli.command()
def purge() -> None:
    """Remove or blank what is past its retention time (also run daily by the server)."""
    from bot.retention import run_purge

    setup_logging()
    settings = settings_or_exit()
    engine = database_or_exit(settings.database_url)
    done = run_purge(engine, settings)
    engine.dispose()
    typer.echo(", ".join(f"{kind}: {count}" for kind, count in done.items()))


telegram_cli = typer.Typer(help="Telegram: webhook and command menu.", no_args_is_help=True)
cli.add_typer(telegram_cli, name="telegram")


def _telegram() -> tuple[Settings, Bot]:
    settings = settings_or_exit()
    if settings.telegram_token is None:
        typer.echo("set OSALLISTU_TELEGRAM_TOKEN first", err=True)
        raise typer.Exit(code=2)
    return settings, Bot(
        settings.telegram_token.get_secret_value(), base_url=settings.telegram_api_url
    )


@telegram_cli.command("set-webhook")
def telegram_set_webhook(
    url: Annotated[str, typer.Option(help="Public HTTPS URL of /webhooks/telegram")],
    drop_pending_updates: Annotated[
        bool, typer.Option(help="Forget updates waiting at Telegram")
    ] = False,
    allowed_updates: Annotated[str, typer.Option(help="Comma-separated update kinds")] = ",".join(
        ALLOWED_UPDATES
    ),
) -> None:
    """Point Telegram at this server, with the secret it must send back."""
    setup_logging()
    settings, bot = _telegram()
    assert settings.telegram_webhook_secret is not None  # required with a token
    kinds = tuple(kind.strip() for kind in allowed_updates.split(",") if kind.strip())
    asyncio.run(
        set_webhook(
            bot,
            url=url,
            secret=settings.telegram_webhook_secret.get_secret_value(),
            drop_pending_updates=drop_pending_updates,
            allowed_updates=kinds,
        )
    )
    typer.echo(f"webhook set to {url}")


@telegram_cli.command("set-commands")
def telegram_set_commands() -> None:
    """Set the "/" command menu in Finnish, Swedish and English."""
    from locales import Translators

    setup_logging()
    settings, bot = _telegram()
    asyncio.run(
        set_commands(
            bot, Translators(timezone=settings.timezone), default_language=settings.default_locale
        )
    )
    typer.echo("commands set in fi, sv and en")


meta_cli = typer.Typer(help="Messenger and Instagram: profile settings.", no_args_is_help=True)
cli.add_typer(meta_cli, name="meta")


@meta_cli.command("setup")
def meta_setup() -> None:
    """Set the Get Started button, persistent menu, greeting and Instagram ice breakers."""
    import httpx

    from handlers.meta.profile import set_up
    from locales import Translators

    setup_logging()
    settings = settings_or_exit()
    if settings.meta_page_access_token is None:
        typer.echo("set OSALLISTU_META_PAGE_ACCESS_TOKEN first", err=True)
        raise typer.Exit(code=2)
    token = settings.meta_page_access_token.get_secret_value()
    url = f"{settings.graph_api_url}/{settings.graph_api_version}/me/messenger_profile"

    async def run() -> list[int]:
        async with httpx.AsyncClient(timeout=10) as client:
            return await set_up(
                client,
                url=url,
                token=token,
                translators=Translators(timezone=settings.timezone),
                default_language=settings.default_locale,
            )

    statuses = asyncio.run(run())
    if any(status >= 300 for status in statuses):
        typer.echo(f"Meta refused: HTTP {statuses}", err=True)
        raise typer.Exit(code=1)
    typer.echo("Messenger profile and Instagram ice breakers set")


cli.add_typer(staff_cli, name="staff")
cli.add_typer(events_cli, name="events")
cli.command("export")(export_command)
cli.command("announce")(announce)
cli.command("summary")(summary_command)


def main() -> None:
    cli()
