"""The ``osallistu`` command as an operator uses it: migrate and demo data on a fresh database."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "fresh.db"
    monkeypatch.chdir(tmp_path)  # no .env from the project directory
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    return database


def test_migrate_creates_the_schema_and_can_run_again(environment: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["migrate"])
    assert first.exit_code == 0, first.output
    assert "up to date" in first.output
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    engine = sa.create_engine(f"sqlite:///{environment}")
    tables = set(sa.inspect(engine).get_table_names())
    assert {"participant", "conversation", "inbox_event", "outbox_message"} <= tables


def test_demo_data_runs_on_a_migrated_database(environment: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["migrate"])
    result = runner.invoke(cli, ["demo-data", "--if-empty"])
    assert result.exit_code == 0, result.output


def test_production_without_secrets_stops_with_a_clear_message(
    environment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "0")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 2
    assert "OSALLISTU_PSEUDONYM_KEY is required outside development mode" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["staff", "add", "terhi@example.org", "--role", "outreach"],
        ["demo-data"],
        ["summary"],
        ["purge"],
        ["serve"],
        ["announce", "--topic", "news", "--text", "fi=Hei", "--finnish-for-missing"],
    ],
)
def test_a_command_before_migrate_says_to_migrate_instead_of_a_traceback(
    environment: Path, command: list[str]
) -> None:
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2
    assert "Run `osallistu migrate` first" in result.output
    assert "Traceback" not in result.output and "sqlalche" not in result.output


def test_a_database_migrated_by_a_newer_version_still_serves_this_one(environment: Path) -> None:
    # During a rolling upgrade the new version migrates first; the old instances carry on.
    runner = CliRunner()
    runner.invoke(cli, ["migrate"])
    engine = sa.create_engine(f"sqlite:///{environment}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    result = runner.invoke(cli, ["staff", "add", "terhi@example.org", "--role", "outreach"])
    assert result.exit_code == 0, result.output
