"""What every ``osallistu`` command shares: logging set-up, and settings and a database with
kind errors."""

from __future__ import annotations

import logging

import typer
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from bot.log_hygiene import quiet_chatty_loggers
from bot.settings import Settings, load_settings
from storage.engine import make_engine, make_read_engine
from storage.migrate import is_behind


def setup_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    quiet_chatty_loggers()


def settings_or_exit() -> Settings:
    """Load settings, or stop with the reasons in plain words (no traceback)."""
    try:
        return load_settings()
    except ValidationError as error:
        for problem in error.errors():
            typer.echo(f"setting problem: {problem['msg'].removeprefix('Value error, ')}", err=True)
        raise typer.Exit(code=2) from None


def database_or_exit(url: str, *, read_only: bool = False) -> Engine:
    """An engine on a database whose schema is current, or stop and say how to get one: a
    command run before ``osallistu migrate`` would otherwise end in an SQL traceback."""
    return schema_or_exit((make_read_engine if read_only else make_engine)(url))


def schema_or_exit(engine: Engine) -> Engine:
    """``engine`` if its schema is current; else dispose of it and stop, saying to migrate."""
    if is_behind(engine):
        engine.dispose()
        typer.echo(
            "The database is not set up for this version yet. "
            "Run `osallistu migrate` first (`make run` does it).",
            err=True,
        )
        raise typer.Exit(code=2)
    return engine
