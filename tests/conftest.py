"""Fixtures shared by the suite: settings, databases (SQLite and PostgreSQL), services, talk."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.services import Services, build_services
from bot.settings import Settings, load_settings
from tests.support.databases import make_sqlite_template, postgres_engine, sqlite_url
from tests.support.fake_graph import FakeGraph
from tests.support.fake_telegram import FakeTelegram
from tests.support.live_server import live_server
from tests.support.talk import Talk

TEST_PSEUDONYM_KEY = "test-pseudonym-key-0123456789abcdef-0123456789"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forbid connections beyond loopback: tests talk to fakes on 127.0.0.1 only."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in (
            "127.0.0.1",
            "::1",
            "localhost",
        ):
            raise RuntimeError(f"network access to {host} is forbidden in tests")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def sqlite_database_url(tmp_path: Path, sqlite_template: Path) -> str:
    return sqlite_url(tmp_path, sqlite_template)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database: each test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path, sqlite_template)
    engine = postgres_engine()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    return url


def make_settings(database_url: str, **overrides: object) -> Settings:
    # Tests click faster than people: the flood limit has tests of its own.
    limits = {
        "flood_burst": 10_000,
        "flood_per_minute": 10_000,
        "webchat_sessions_per_address_per_minute": 10_000,
        "webchat_photos_per_session_per_hour": 10_000,
        "webchat_photos_per_address_per_hour": 10_000,
        # The Monday job has tests of its own; elsewhere it would write files at every start.
        "weekly_summary_enabled": False,
        # A staff page's live stream ends soon: a test client reads a response to its end.
        "staff_live_seconds": 1.5,
    }
    return load_settings(
        database_url=database_url,
        pseudonym_key=TEST_PSEUDONYM_KEY,
        _env_file=None,
        **{"dev_mode": False, **limits, **overrides},
    )


@pytest.fixture
def settings(sqlite_database_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        sqlite_database_url, media_dir=tmp_path / "media", export_dir=tmp_path / "exports"
    )


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.database.dispose()


@pytest.fixture
def any_services(database_url: str) -> Iterator[Services]:
    """Services on SQLite and on PostgreSQL."""
    built = build_services(make_settings(database_url))
    yield built
    built.database.dispose()


@pytest.fixture
def database(services: Services) -> Engine:
    return services.database


@pytest.fixture
def talk(services: Services) -> Talk:
    return Talk(services.engine, locale="fi")


@pytest.fixture
def fake_telegram() -> Iterator[tuple[FakeTelegram, str]]:
    """A fake Bot API on 127.0.0.1 and its address (``TELEGRAM_API_URL`` is that + "/bot")."""
    server = FakeTelegram()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url


@pytest.fixture
def fake_graph() -> Iterator[tuple[FakeGraph, str]]:
    """A fake Graph API on 127.0.0.1 and its address (``GRAPH_API_URL``)."""
    server = FakeGraph()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url
