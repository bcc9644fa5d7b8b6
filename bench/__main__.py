"""Run every benchmark and print one table per area (``make bench``)."""

from __future__ import annotations

import logging
import os
import platform

from bench import meta, queries, reports, telegram, webchat
from bench.loadgen import table


def main() -> None:
    # AIORateLimiter logs each 429 it lets through with a traceback; the table counts them.
    logging.getLogger("telegram").setLevel(logging.CRITICAL)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print()
    print(table(webchat.run()))
    print()
    print(table(queries.run(os.environ.get("OSALLISTU_BENCH_DATABASE_URL"))))
    print()
    print(table(telegram.ingest_rows()))
    print()
    print(table(meta.rows()))
    print()
    print(table(telegram.relay_rows()))
    print()
    print(table(reports.run(os.environ.get("OSALLISTU_BENCH_DATABASE_URL"))))


if __name__ == "__main__":
    main()
