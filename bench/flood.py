"""One person floods the web chat while twenty others chat at an ordinary pace: the others'
latency beside the same twenty without the flood, in the same run. The flooder's messages
beyond the limit (a burst of 10, then 20 a minute) are answered without being handled.

Everyone comes from 127.0.0.1 here, so the per-address limit is lifted; the per-person limit
is the one under test.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from bench.figures import Figure
from bench.loadgen import LoadResult, closed_loop, open_loop
from bench.servers import running
from bench.webchat import menu_walk
from tests.support.live_server import free_port

RESIDENTS = 20
RATE = 20.0  # messages a second from the twenty together: one each a second
FLOODERS = 8  # connections, all one person
SECONDS = 8.0


def _flood(index: int, number: int) -> bytes:
    return json.dumps(
        {"session": "bench-flooder", "id": f"{index}-{number}", "text": "apua"}
    ).encode()


def _measure(port: int, run: str, flood: bool) -> tuple[LoadResult, LoadResult | None]:
    async def together() -> tuple[LoadResult, LoadResult | None]:
        residents = open_loop(
            port, "/webchat/messages", menu_walk(run), connections=RESIDENTS, rate=RATE,
            seconds=SECONDS,
        )  # fmt: skip
        if not flood:
            return await residents, None
        flooder = closed_loop(
            port, "/webchat/messages", _flood, connections=FLOODERS, seconds=SECONDS, warmup=0.0
        )
        calm, storm = await asyncio.gather(residents, flooder)
        return calm, storm

    return asyncio.run(together())


def rows() -> list[Figure]:
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        with running("flood", port, f"sqlite:///{Path(directory) / 'flood.db'}"):
            quiet, _ = _measure(port, "quiet", flood=False)
            loud, storm = _measure(port, "loud", flood=True)
    assert storm is not None
    return [
        Figure(
            area="flood",
            what=f"{RESIDENTS} residents, one a second each, while one person floods",
            result=f"p99 {loud.percentile(0.99):.1f} ms",
            against=f"p99 {quiet.percentile(0.99):.1f} ms without",
            p50_ms=f"{loud.percentile(0.5):.1f}",
            p99_ms=f"{loud.percentile(0.99):.1f}",
            notes=(
                f"the flooder sent {storm.rate:,.0f} a second; p50 without "
                f"{quiet.percentile(0.5):.1f} ms; errors {loud.errors + quiet.errors}"
            ),
        )
    ]
