"""Several instances on one PostgreSQL: web chat throughput of one server process, then of
two sharing the database (the load split between them), in the same run.

Each instance is one uvicorn worker; everything — load generator, PostgreSQL and servers —
shares this machine's cores, so the ratio says how far the shared database lets instances
add up here, not what separate machines would do.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from contextlib import ExitStack

import sqlalchemy as sa

from bench.figures import Figure
from bench.loadgen import LoadResult, closed_loop
from bench.servers import running
from bench.webchat import menu_walk
from storage.engine import make_engine
from tests.support.live_server import free_port

CONNECTIONS = 64
SECONDS = 8.0


def _peak(ports: list[int], run: str) -> float:
    share = CONNECTIONS // len(ports)

    async def together() -> list[LoadResult]:
        return list(
            await asyncio.gather(
                *(
                    closed_loop(port, "/webchat/messages", menu_walk(f"{run}-{n}"),
                                connections=share, seconds=SECONDS, warmup=1.5)
                    for n, port in enumerate(ports)
                )
            )
        )  # fmt: skip

    return sum(result.rate for result in asyncio.run(together()))


def _rate(database_url: str, instances: int, run: str) -> float:
    ports = [free_port() for _ in range(instances)]
    with ExitStack() as stack:
        for port in ports:
            stack.enter_context(running("real", port, database_url))
        return _peak(ports, run)


def run(postgres_url: str | None) -> list[Figure]:
    if not postgres_url:
        return [Figure("scale", "two instances", "no PostgreSQL given, skipped")]
    schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres_url, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError:
        admin.dispose()
        return [Figure("scale", "two instances", "PostgreSQL not reachable, skipped")]
    scoped = (
        postgres_url + ("&" if "?" in postgres_url else "?") + f"options=-csearch_path%3D{schema}"
    )
    try:
        one = _rate(scoped, 1, "one")
        two = _rate(scoped, 2, "two")
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return [
        Figure(
            area="scale",
            what="web chat, 2 instances on one PostgreSQL",
            result=f"{two:,.0f} req/s",
            against=f"1 instance {one:,.0f}",
            ratio=f"{two / one:.2f}",
            target="≥ 1.6",
            notes=f"{os.cpu_count()} cores shared by load, database and servers",
        )
    ]
