"""Web chat throughput and latency: the full path beside a bare FastAPI endpoint, same run.

64 sessions each walk the menu (start, consent, help, back, language, Finnish, privacy, back…)
through ``POST /webchat/messages`` on real uvicorn with SQLite in WAL mode.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from bench.figures import Figure, ingest
from bench.loadgen import BodyFor, LoadResult, closed_loop, open_loop
from bench.servers import running
from tests.support.live_server import free_port

CONNECTIONS = 64
SECONDS = 6.0
ROUNDS = 2  # bare and full path alternate; the best round of each is compared
WALK = ["help", "menu", "language", "lang.fi", "privacy", "menu"]


def menu_walk(run: str) -> BodyFor:
    def body(index: int, number: int) -> bytes:
        message: dict[str, object] = {"session": f"bench-{run}-{index:04d}", "id": f"{number}"}
        if number == 0:
            message["text"] = "/start"
        elif number == 1:
            message["choice"] = "consent.yes"
        else:
            message["choice"] = WALK[(number - 2) % len(WALK)]
        return json.dumps(message).encode()

    return body


def _measure(kind: str, *args: str) -> tuple[LoadResult, LoadResult]:
    port = free_port()
    with running(kind, port, *args):
        peak = asyncio.run(
            closed_loop(
                port,
                "/webchat/messages",
                menu_walk(f"{kind}-peak"),
                connections=CONNECTIONS,
                seconds=SECONDS,
                warmup=1.0,
            )
        )
        half = asyncio.run(
            open_loop(
                port,
                "/webchat/messages",
                menu_walk(f"{kind}-half"),
                connections=CONNECTIONS,
                rate=peak.rate / 2,
                seconds=SECONDS,
            )
        )
    return peak, half


def _best(rounds: list[tuple[LoadResult, LoadResult]]) -> tuple[LoadResult, LoadResult]:
    return max(rounds, key=lambda pair: pair[0].rate)


def run() -> list[Figure]:
    bare_rounds, real_rounds = [], []
    with tempfile.TemporaryDirectory() as directory:
        for round_number in range(ROUNDS):
            database = f"sqlite:///{Path(directory) / f'bench-{round_number}.db'}"
            bare_rounds.append(_measure("bare"))
            real_rounds.append(_measure("real", database))
    return ingest(
        "ingest",
        f"web chat POST /webchat/messages (best of {ROUNDS})",
        "req/s",
        _best(real_rounds),
        _best(bare_rounds),
    )
