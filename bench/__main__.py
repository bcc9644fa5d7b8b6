"""Run every benchmark and print one table (``make bench``): each figure beside what it is
read against — a bare endpoint measured in the same run, a platform's limit, or the target."""

from __future__ import annotations

import logging
import os
import platform

from bench import (
    announce,
    events,
    flood,
    meta,
    meta_relay,
    queries,
    reports,
    scale,
    team,
    telegram,
    webchat,
    words,
)
from bench.figures import table


def main() -> None:
    # AIORateLimiter logs each 429 it lets through with a traceback; the table counts them.
    logging.getLogger("telegram").setLevel(logging.CRITICAL)
    postgres = os.environ.get("OSALLISTU_BENCH_DATABASE_URL")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    figures = [
        *webchat.run(),
        *telegram.ingest_rows(),
        *meta.rows(),
        *flood.rows(),
        *telegram.relay_rows(),
        *meta_relay.relay_rows(),
        *announce.rows(),
        *team.run(postgres),
        *scale.run(postgres),
        *queries.run(postgres),
        *events.run(postgres),
        *reports.run(postgres),
        *words.run(),
    ]
    print(table(figures))


if __name__ == "__main__":
    main()
