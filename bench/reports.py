"""Export and weekly-summary figures over a million ideas and a million poll answers, on
SQLite and on PostgreSQL (when reachable). Data is generated in SQL (a million rows in a
few seconds); each export runs in a child process so that its peak memory is measured."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bench.figures import Figure
from bot.reports.summary_files import write_summary
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from locales import Translators
from storage.domain_tables import option_t, poll_t, question_t
from storage.engine import make_engine, transaction
from storage.migrate import migrate

IDEAS = 1_000_000
RESPONSES = 333_334  # three answers each: a million answers
DAYS = 100  # ideas spread evenly from 1 August 2026: 10,000 a day
THEMES = ("community", "meeting_places", "young", "wellbeing", "nature", "services", "other")
AREAS = ("centre", "rantakyla", "tuukkala_moisio", "otava", "anttola", "haukivuori", "ristiina")
HELSINKI = ZoneInfo("Europe/Helsinki")
WEEK = IsoWeek(2026, 38)  # well inside the generated days
XLSX_SPAN = ("2026-08-01", "2026-08-20")  # 20 days: 200,000 ideas


def _case(expression: str, values: tuple[str, ...]) -> str:
    branches = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({expression}) % {len(values)} {branches} END"


def _fill(engine: Engine) -> None:
    postgres = engine.dialect.name == "postgresql"
    numbers = (
        f"SELECT generate_series(1, {IDEAS}) AS n"
        if postgres
        else f"WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {IDEAS}) SELECT n FROM seq"
    )
    moment = (
        f"timestamptz '2026-08-01 00:00+00' + (n % {DAYS}) * interval '1 day' + (n % 86400) * interval '1 second'"
        if postgres
        else f"datetime('2026-08-01', '+' || (n % {DAYS}) || ' days', '+' || (n % 86400) || ' seconds')"
    )
    ideas = f"""
        INSERT INTO idea (reference, theme_code, area_code, text, channel, language, status, created_at)
        SELECT 'ID-B-' || n, {_case("n", THEMES)}, {_case("n / 7", AREAS)},
               'Idea ' || n || ': lisää penkkejä ja valoa puistoon, jotta ilta-aikaan on mukava olla.',
               'webchat', 'fi', 'new', {moment}
        FROM ({numbers}) AS numbers
    """
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        connection.execute(sa.text(ideas))
        poll_id = connection.execute(
            sa.insert(poll_t)
            .values(
                title={"fi": "Bench"},
                opens_at=datetime(2026, 8, 1, tzinfo=UTC),
                closes_at=datetime(2026, 12, 1, tzinfo=UTC),
                created_at=now,
                respondents=RESPONSES,
            )
            .returning(poll_t.c.id)
        ).scalar_one()
        day = (
            "date '2026-08-01' + (n % 100)"
            if postgres
            else "date('2026-08-01', '+' || (n % 100) || ' days')"
        )
        connection.execute(
            sa.text(
                f"INSERT INTO poll_response (poll_id, day) SELECT {poll_id}, {day} "
                f"FROM ({numbers.replace(str(IDEAS), str(RESPONSES))}) AS numbers"
            )
        )
        for position in range(3):
            question_id = connection.execute(
                sa.insert(question_t)
                .values(poll_id=poll_id, position=position, text={"fi": f"Kysymys {position}"})
                .returning(question_t.c.id)
            ).scalar_one()
            first = None
            for option in range(4):
                option_id = connection.execute(
                    sa.insert(option_t)
                    .values(
                        question_id=question_id,
                        position=option,
                        text={"fi": f"Vaihtoehto {option}"},
                        votes=RESPONSES // 4,
                    )
                    .returning(option_t.c.id)
                ).scalar_one()
                first = option_id if first is None else first
            connection.execute(
                sa.text(
                    f"INSERT INTO poll_answer (response_id, option_id, question_id) "
                    f"SELECT id, {first} + (id % 4), {question_id} FROM poll_response WHERE poll_id = {poll_id}"
                )
            )
    if postgres:
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("ANALYZE"))


def _export(url: str, kind: str, file_format: str, *span: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_child", url, kind, file_format, *span],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def _summary_seconds(engine: Engine) -> float:
    translator = Translators()["fi"]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with engine.connect() as connection:
            summary = build_summary(
                connection=connection, week=WEEK, timezone=HELSINKI, translator=translator
            )
        write_summary(summary, "xlsx")
        best = min(best, time.perf_counter() - started)
    return best


def _measure(engine: Engine, url: str, label: str) -> list[Figure]:
    started = time.perf_counter()
    _fill(engine)
    filled = time.perf_counter() - started
    csv = _export(url, "ideas", "csv")
    xlsx = _export(url, "ideas", "xlsx", *XLSX_SPAN)
    summary = _summary_seconds(engine)
    return [
        Figure(
            area="report",
            what=f"export {csv['rows']:,.0f} ideas to CSV ({label})",
            result=f"{csv['seconds']:.1f} s",
            target=f"≤ {5 if label == 'PostgreSQL' else 10} s, ≤ 200 MB",
            peak_mb=f"{csv['peak_mb']:.0f}",
        ),
        Figure(
            area="report",
            what=f"export {xlsx['rows']:,.0f} ideas to XLSX ({label})",
            result=f"{xlsx['seconds']:.1f} s",
            target="≤ 30 s, ≤ 200 MB",
            peak_mb=f"{xlsx['peak_mb']:.0f}",
        ),
        Figure(
            area="report",
            what=f"weekly summary over 1M ideas + 1M answers ({label})",
            result=f"{summary:.2f} s",
            target="≤ 3 s",
            notes=f"generating the data took {filled:.0f} s",
        ),
    ]


def run(postgres_url: str | None) -> list[Figure]:
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'reports.db'}"
        engine = make_engine(url)
        migrate(engine)
        rows += _measure(engine, url, "SQLite")
        engine.dispose()
    if postgres_url:
        engine = make_engine(postgres_url)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA IF EXISTS bench_reports CASCADE"))
                connection.execute(sa.text("CREATE SCHEMA bench_reports"))
        except sa.exc.OperationalError:
            rows.append(Figure("report", "PostgreSQL", "not reachable, skipped"))
            return rows
        finally:
            engine.dispose()
        scoped = (
            postgres_url
            + ("&" if "?" in postgres_url else "?")
            + "options=-csearch_path%3Dbench_reports"
        )
        engine = make_engine(scoped)
        migrate(engine)
        rows += _measure(engine, scoped, "PostgreSQL")
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA bench_reports CASCADE"))
        engine.dispose()
    return rows


if __name__ == "__main__":
    import os

    from bench.figures import table

    print(table(run(os.environ.get("OSALLISTU_BENCH_DATABASE_URL"))))
