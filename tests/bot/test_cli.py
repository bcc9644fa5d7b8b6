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
