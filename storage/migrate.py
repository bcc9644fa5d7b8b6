"""Bring a database to the newest schema with Alembic (``osallistu migrate``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


# Migrations that rewrite stored ids with the pseudonym key find it here.
PSEUDONYM_KEY = "pseudonym_key"


def migrate(engine: Engine, *, pseudonym_key: bytes | None = None) -> None:
    """Upgrade the database behind ``engine`` to the head revision; ``pseudonym_key`` is
    needed where existing rows hold ids that are now stored keyed (0007)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes[PSEUDONYM_KEY] = pseudonym_key
        command.upgrade(config, "head")
