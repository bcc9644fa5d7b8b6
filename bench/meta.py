"""Meta figures: signed webhook ingest on the full path beside a bare endpoint (same run), and
a 1,000-event batch: the time to the 200, by which every reply is already queued."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.figures import Figure, ingest
from bench.loadgen import BodyFor, LoadResult, closed_loop, open_loop
from bench.servers import META_SECRET, running
from tests.support.live_server import free_port

CONNECTIONS = 64
SECONDS = 6.0
WALK = ["help", "menu", "language", "lang.fi", "privacy", "menu"]


def _signed(body: bytes) -> dict[str, str]:
    return {
        "X-Hub-Signature-256": "sha256="
        + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()
    }


def _item(sender: str, n: int, run: str) -> dict[str, object]:
    mid = f"m_{run}_{sender}_{n}"
    if n == 0:
        message: dict[str, object] = {"mid": mid, "text": "hei"}
    else:
        payload = "consent.yes" if n == 1 else WALK[(n - 2) % len(WALK)]
        message = {"mid": mid, "text": payload, "quick_reply": {"payload": payload}}
    return {
        "sender": {"id": sender},
        "recipient": {"id": "1"},
        "timestamp": 1764316800000 + n,
        "message": message,
    }


def deliveries(run: str) -> tuple[BodyFor, dict[int, dict[str, str]]]:
    """Signed bodies: the signature header differs per body, so the loader asks per request."""

    def body(index: int, number: int) -> bytes:
        item = _item(f"{run}{index:05d}", number, run)
        return json.dumps(
            {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [item]}]}
        ).encode()

    return body, {}


def _ingest(kind: str, *args: str) -> tuple[LoadResult, LoadResult]:
    port = free_port()
    with running(kind, port, *args):
        peak_body, _ = deliveries("peak")
        half_body, _ = deliveries("half")
        peak = asyncio.run(
            closed_loop(
                port,
                "/webhooks/meta",
                peak_body,
                connections=CONNECTIONS,
                seconds=SECONDS,
                warmup=1.0,
                headers_for=_signed,
            )
        )
        half = asyncio.run(
            open_loop(
                port,
                "/webhooks/meta",
                half_body,
                connections=CONNECTIONS,
                rate=peak.rate / 2,
                seconds=SECONDS,
                headers_for=_signed,
            )
        )
    return peak, half


def _batch(port: int) -> float:
    items = [_item(f"batch{n:05d}", 0, "batch") for n in range(1000)]
    body = json.dumps(
        {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": items}]}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/meta",
        data=body,
        headers={**_signed(body), "Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
    return time.perf_counter() - started


def rows() -> list[Figure]:
    with tempfile.TemporaryDirectory() as directory:
        bare = _ingest("bare")
        database = f"sqlite:///{Path(directory) / 'meta.db'}"
        full = _ingest("meta", database)
        port = free_port()
        with running("meta", port, f"sqlite:///{Path(directory) / 'batch.db'}"):
            batch_seconds = _batch(port)
    return [
        *ingest("ingest", "Messenger POST /webhooks/meta (signed)", "events/s", full, bare),
        Figure(
            area="ingest",
            what="Messenger, one delivery of 1,000 events",
            result=f"{batch_seconds:.2f} s",
            target="≤ 2 s",
            notes="200 after every reply is queued",
        ),
    ]
