"""One row of the benchmark table: what was measured, the result, and what to read it against
(a baseline measured in the same run, a platform's limit, or the target)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields

from bench.loadgen import LoadResult


@dataclass(frozen=True)
class Figure:
    area: str  # ingest, relay, query, report, scale
    what: str
    result: str
    against: str = ""  # the baseline, limit or single instance it is compared with
    ratio: str = ""  # result / against
    target: str = ""
    p50_ms: str = ""
    p99_ms: str = ""
    p99_half_ms: str = ""  # at half the peak rate: latency when not saturated
    peak_mb: str = ""
    notes: str = ""


HEADINGS = Figure(
    area="area", what="what", result="result", against="against", ratio="ratio",
    target="target", p50_ms="p50 ms", p99_ms="p99 ms", p99_half_ms="p99 ms @ half",
    peak_mb="peak MB", notes="notes",
)  # fmt: skip


def ingest(
    area: str,
    what: str,
    unit: str,
    full: tuple[LoadResult, LoadResult],
    bare: tuple[LoadResult, LoadResult],
) -> list[Figure]:
    """The full path beside the bare endpoint, each at its peak and at half of it."""
    (peak, half), (bare_peak, bare_half) = full, bare
    return [
        Figure(
            area=area,
            what=what,
            result=f"{peak.rate:,.0f} {unit}",
            against=f"bare {bare_peak.rate:,.0f}",
            ratio=f"{peak.rate / bare_peak.rate:.2f}",
            target="≥ 0.2, p99 @ half ≤ 50",
            p50_ms=f"{peak.percentile(0.5):.1f}",
            p99_ms=f"{peak.percentile(0.99):.1f}",
            p99_half_ms=f"{half.percentile(0.99):.1f}",
            notes=f"errors {peak.errors + half.errors}",
        ),
        Figure(
            area=area,
            what="  bare FastAPI, same body",
            result=f"{bare_peak.rate:,.0f} {unit}",
            p50_ms=f"{bare_peak.percentile(0.5):.1f}",
            p99_ms=f"{bare_peak.percentile(0.99):.1f}",
            p99_half_ms=f"{bare_half.percentile(0.99):.1f}",
            notes=f"errors {bare_peak.errors + bare_half.errors}",
        ),
    ]


def relay(
    what: str,
    *,
    limit: float,
    refusal: str,
    refused: int,
    expected: int,
    delivered: Counter[tuple[object, object]],
    elapsed: float,
) -> Figure:
    """A relay run against a platform's limit: delivered messages (each once) a second."""
    rate = len(delivered) / elapsed
    return Figure(
        area="relay",
        what=what,
        result=f"{rate:.1f} msg/s",
        against=f"limit {limit:g}/s",
        ratio=f"{rate / limit:.0%}",
        target=f"no {refusal}",
        notes=(
            f"{refused} × {refusal}, lost {expected - len(delivered)}, "
            f"twice {sum(1 for n in delivered.values() if n > 1)}, {elapsed:.0f} s"
        ),
    )


def table(figures: Sequence[Figure]) -> str:
    """Columns that are empty in every row are left out."""
    rows = [astuple(HEADINGS)] + [astuple(figure) for figure in figures]
    used = [i for i in range(len(fields(Figure))) if any(row[i] for row in rows[1:])]
    widths = {i: max(len(str(row[i])) for row in rows) for i in used}
    lines = []
    for row in rows:
        cells = [
            str(row[i]).ljust(widths[i]) if i < 2 else str(row[i]).rjust(widths[i]) for i in used
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
