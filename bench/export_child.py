"""One export in a process of its own, so its peak memory is its own: prints JSON figures.

``python -m bench.export_child URL KIND FORMAT [SINCE UNTIL]``
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import date

from bot.reports.exports import ExportFormat, ExportKind, ExportRequest, stream_export
from locales import Translators
from storage.engine import make_engine


def _reset_peak() -> None:
    """Forget the parent's memory: a new process can inherit the high-water mark of the one
    that started it (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def _peak_mb() -> float:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    _reset_peak()
    url, kind, file_format = sys.argv[1:4]
    since = date.fromisoformat(sys.argv[4]) if len(sys.argv) > 4 else None
    until = date.fromisoformat(sys.argv[5]) if len(sys.argv) > 5 else None
    engine = make_engine(url)
    rows: list[int] = []
    written = 0
    started = time.perf_counter()
    for chunk in stream_export(
        database=engine,
        request=ExportRequest(ExportKind(kind), ExportFormat(file_format), since, until),
        translator=Translators()["fi"],
        delimiter=";",
        on_done=rows.append,
    ):
        written += len(chunk)
    seconds = time.perf_counter() - started
    peak_mb = _peak_mb()
    print(json.dumps({"seconds": seconds, "rows": rows[0], "bytes": written, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main()
