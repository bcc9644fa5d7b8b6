"""Start-up leaves the process's long-lived objects out of Python's full collections, which
otherwise walk them all (50–90 ms, every request waiting) about once a second under load."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.settings import Settings


def test_start_up_objects_are_frozen_once_the_app_has_started(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        frozen = gc.get_freeze_count()
        # Modules, routes, translations, compiled statements: tens of thousands at least.
        assert frozen > 50_000
    with TestClient(create_app(settings)):
        # Once per process: a second app (tests, or a restart in place) freezes nothing more
        # (the count may drop: frozen objects still go when their last reference does).
        assert gc.get_freeze_count() <= frozen
