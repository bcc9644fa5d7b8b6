"""Servers under test, each in its own process with one uvicorn worker.

``python -m bench.servers real PORT DATABASE_URL`` serves the full app;
``python -m bench.servers bare PORT`` a bare FastAPI endpoint that parses the same JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI, Request
from telegram import Bot, Update

from bot.collector import freeze_start_up_objects
from handlers.webchat.schema import WebchatMessage

TELEGRAM_SECRET = "bench-telegram-secret-" + "s" * 32
META_SECRET = "bench-meta-app-secret-" + "m" * 32
CONSTANT: dict[str, object] = {
    "replies": [
        {
            "text": "ok",
            "choices": [],
            "links": [],
            "request_location": False,
            "places": [],
            "media": None,
        }
    ]
}


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post("/webchat/messages")
    async def messages(message: WebchatMessage) -> dict[str, object]:
        return CONSTANT

    bot = Bot("1:bare")

    @app.post("/webhooks/telegram")
    async def telegram(request: Request) -> dict[str, bool]:
        # Parsed as the full path parses it (like the web chat's bare endpoint uses its model).
        Update.de_json(json.loads(await request.body()), bot)
        return {"ok": True}

    @app.post("/webhooks/meta")
    async def meta(request: Request) -> dict[str, bool]:
        json.loads(await request.body())
        return {"ok": True}

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def real_app(database_url: str, **extra: object) -> FastAPI:
    from bot.app import create_app
    from bot.settings import load_settings
    from storage.engine import make_engine
    from storage.migrate import migrate

    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()
    # The load comes from one address and a few sessions: flood limits would be all it measured.
    unlimited = {
        "flood_burst": 10**6,
        "flood_per_minute": 10**6,
        "webchat_sessions_per_address_per_minute": 10**6,
        "webchat_photos_per_session_per_hour": 10**6,
        "webchat_photos_per_address_per_hour": 10**6,
    }
    settings = load_settings(
        _env_file=None,
        database_url=database_url,
        pseudonym_key="bench-" + "k" * 40,
        **{**unlimited, **extra},
    )
    return create_app(settings)


@contextmanager
def running(kind: str, port: int, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen([sys.executable, "-m", "bench.servers", kind, str(port), *args])
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{kind} server did not start") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "bare":
        app = bare_app()
        # The same collector tuning as the full app's start-up, so the ratio compares the
        # work per request, not garbage collection settings.
        freeze_start_up_objects()
    elif kind == "telegram":
        # Replies queue up for a relay that is not reached during the run: ingest is measured.
        app = real_app(
            sys.argv[3],
            telegram_token="1:bench",
            telegram_webhook_secret=TELEGRAM_SECRET,
            telegram_api_url="http://127.0.0.1:9/bot",
            relay_interval_seconds=3600,
        )
    elif kind == "flood":
        # The per-person flood limit as deployed; the load comes from one address, so the
        # per-address limit would be all it measured.
        app = real_app(sys.argv[3], flood_burst=10, flood_per_minute=20)
    elif kind == "meta":
        app = real_app(
            sys.argv[3],
            meta_app_secret=META_SECRET,
            meta_verify_token="bench-verify-" + "v" * 32,
            relay_interval_seconds=3600,
        )
    else:
        app = real_app(sys.argv[3])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
