"""Web chat throughput and latency: the full path beside a bare FastAPI endpoint, same run.

64 sessions each walk the menu (start, consent, help, back, language, Finnish, privacy, back…)
through ``POST /webchat/messages`` on real uvicorn with SQLite in WAL mode.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from bench.loadgen import BodyFor, LoadResult, closed_loop, open_loop
from bench.servers import running
from tests.support.live_server import free_port

CONNECTIONS = 64
SECONDS = 8.0
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


def run() -> list[list[object]]:
    with tempfile.TemporaryDirectory() as directory:
        database = f"sqlite:///{Path(directory) / 'bench.db'}"
        bare_peak, bare_half = _measure("bare")
        real_peak, real_half = _measure("real", database)
    ratio = real_peak.rate / bare_peak.rate
    rows: list[list[object]] = [
        ["web chat", "req/s peak", "p50 ms", "p99 ms", "p99 ms @ half", "errors"],
    ]
    for name, peak, half in (
        ("bare FastAPI", bare_peak, bare_half),
        ("full path", real_peak, real_half),
    ):
        rows.append(
            [
                name,
                f"{peak.rate:,.0f}",
                f"{peak.percentile(0.5):.1f}",
                f"{peak.percentile(0.99):.1f}",
                f"{half.percentile(0.99):.1f}",
                peak.errors + half.errors,
            ]
        )
    rows.append(["ratio full/bare", f"{ratio:.2f}", "", "", "", ""])
    return rows
