"""A small HTTP/1.1 load generator on raw asyncio streams, cheap enough not to be the bottleneck.

Each connection is one conversation: it sends its JSON bodies in turn over keep-alive.
``closed_loop`` measures the peak (each connection sends as soon as the last answer came);
``open_loop`` sends at a fixed total rate and measures latency from the *scheduled* send time,
so a slow server cannot hide its queueing (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

BodyFor = Callable[[int, int], bytes]  # (connection index, request number) -> JSON body


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: tuple[float, ...]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _prepared(
    path: str,
    body: bytes,
    headers: dict[str, str] | None,
    headers_for: Callable[[bytes], dict[str, str]] | None,
) -> bytes:
    """The request bytes; ``headers_for`` adds headers computed from the body (signatures)."""
    return _request(path, body, {**(headers or {}), **(headers_for(body) if headers_for else {})})


def _request(path: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, payload: bytes
) -> int:
    writer.write(payload)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)
    return status


async def closed_loop(
    port: int,
    path: str,
    body_for: BodyFor,
    *,
    connections: int,
    seconds: float,
    warmup: float,
    headers: dict[str, str] | None = None,
    headers_for: Callable[[bytes], dict[str, str]] | None = None,
) -> LoadResult:
    latencies: list[float] = []
    counts = [0, 0]
    start_measuring = time.perf_counter() + warmup
    stop = start_measuring + seconds

    async def worker(index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        number = 0
        while (now := time.perf_counter()) < stop:
            status = await _exchange(
                reader, writer, _prepared(path, body_for(index, number), headers, headers_for)
            )
            number += 1
            done = time.perf_counter()
            if now >= start_measuring:
                counts[0] += 1
                counts[1] += status >= 400
                latencies.append((done - now) * 1000)
        writer.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    return LoadResult(counts[0], counts[1], seconds, tuple(latencies))


async def open_loop(
    port: int,
    path: str,
    body_for: BodyFor,
    *,
    connections: int,
    rate: float,
    seconds: float,
    headers: dict[str, str] | None = None,
    headers_for: Callable[[bytes], dict[str, str]] | None = None,
) -> LoadResult:
    latencies: list[float] = []
    counts = [0, 0]
    interval = connections / rate
    begin = time.perf_counter() + 0.2

    async def worker(index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        number = 0
        scheduled = begin + index * interval / connections
        while scheduled < begin + seconds:
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            status = await _exchange(
                reader, writer, _prepared(path, body_for(index, number), headers, headers_for)
            )
            latencies.append((time.perf_counter() - scheduled) * 1000)
            counts[0] += 1
            counts[1] += status >= 400
            number += 1
            scheduled += interval
        writer.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    return LoadResult(counts[0], counts[1], seconds, tuple(latencies))
