"""What every ``osallistu`` command shares: logging set-up and settings with kind errors."""

from __future__ import annotations

import logging

import typer
from pydantic import ValidationError

from bot.log_hygiene import quiet_chatty_loggers
from bot.settings import Settings, load_settings


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
