"""Bring a database to the newest schema with Alembic (``osallistu migrate``)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
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


def is_behind(engine: Engine) -> bool:
    """Whether the schema is missing or older than this code's newest migration. A revision
    this code does not know counts as current: a newer version migrated it, and during a
    rolling upgrade the older instances keep serving."""
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string()))
    with engine.connect() as connection:
        # Read directly: Alembic's MigrationContext logs its set-up on every command.
        if not sa.inspect(connection).has_table("alembic_version"):
            return True
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        return True
    known = {each.revision for each in script.walk_revisions()}
    return revision in known and revision != script.get_current_head()
