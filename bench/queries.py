"""Query figures: nearest 5 of 5,000 places with "open now", and poll results over 100,000
votes, on SQLite (WAL) — and on PostgreSQL when OSALLISTU_TEST_DATABASE_URL points at one."""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bench.databases import on_each
from bench.figures import Figure
from dialogs.domain.hours import parse_hours
from storage.domain_tables import (
    answer_t,
    option_t,
    place_need_t,
    place_t,
    poll_t,
    question_t,
    response_t,
)
from storage.engine import transaction
from storage.places import NEEDS, nearest
from storage.polls import recount, results

PLACES = 5_000
VOTES = 100_000
HOURS = {"weekly": [{"days": ["mo", "tu", "we", "th", "fr"], "opens": "09:00", "closes": "17:00"}]}


def _fill_places(engine: Engine, rng: random.Random) -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "source": "bench",
            "source_id": f"p{i}",
            "kind": "meeting_place",
            "demo": True,
            "name": {"fi": f"Paikka {i}"},
            "description": {},
            "needs": [],
            "target_groups": [],
            "area_code": "centre",
            "lat": 61.0 + rng.random() * 1.5,
            "lon": 26.5 + rng.random() * 2.0,
            "hours": HOURS,
            "accessibility": {},
            "languages": ["fi"],
            "active": True,
            "updated_at": now,
        }
        for i in range(PLACES)
    ]
    with transaction(engine) as connection:
        connection.execute(sa.insert(place_t), rows)
        ids = list(connection.execute(sa.select(place_t.c.id)).scalars())
        connection.execute(
            sa.insert(place_need_t), [{"place_id": i, "need": rng.choice(NEEDS)} for i in ids]
        )


def _fill_votes(engine: Engine, rng: random.Random) -> int:
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        poll_id = connection.execute(
            sa.insert(poll_t)
            .values(title={"fi": "Bench"}, opens_at=now, closes_at=now, created_at=now)
            .returning(poll_t.c.id)
        ).scalar_one()
        questions = []
        for q in range(3):
            qid = connection.execute(
                sa.insert(question_t)
                .values(poll_id=poll_id, position=q, text={"fi": "?"})
                .returning(question_t.c.id)
            ).scalar_one()
            options = [
                connection.execute(
                    sa.insert(option_t)
                    .values(question_id=qid, position=o, text={"fi": str(o)})
                    .returning(option_t.c.id)
                ).scalar_one()
                for o in range(4)
            ]
            questions.append((qid, options))
        connection.execute(
            sa.insert(response_t), [{"poll_id": poll_id, "day": now.date()} for _ in range(VOTES)]
        )
        response_ids = list(connection.execute(sa.select(response_t.c.id)).scalars())
        connection.execute(
            sa.insert(answer_t),
            [
                {"response_id": r, "question_id": qid, "option_id": rng.choice(options)}
                for r in response_ids
                for qid, options in questions
            ],
        )
        # The tallies cast_vote keeps, brought up to date for the bulk-loaded answers.
        recounted = recount(connection=connection, poll_id=poll_id)
        connection.execute(
            sa.update(poll_t)
            .where(poll_t.c.id == poll_id)
            .values(respondents=recounted.respondents)
        )
        for option_id, votes in recounted.counts.items():
            connection.execute(
                sa.update(option_t).where(option_t.c.id == option_id).values(votes=votes)
            )
    return poll_id


def _timed(work, repeats: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _measure(engine: Engine, label: str) -> list[Figure]:
    rng = random.Random(48)
    _fill_places(engine, rng)
    poll_id = _fill_votes(engine, rng)
    now = datetime.now(UTC)

    def nearest_open() -> None:
        with engine.connect() as connection:
            rows = nearest(
                connection=connection, lat=61.69, lon=27.27, need=rng.choice(NEEDS), limit=5
            )
        for row in rows:
            parse_hours(row.hours).status(now)

    def poll_results() -> None:
        with engine.connect() as connection:
            results(connection=connection, poll_id=poll_id)

    near_median, near_max = _timed(nearest_open, 200)
    poll_median, poll_max = _timed(poll_results, 20)
    return [
        Figure(
            area="query",
            what=f"nearest 5 of {PLACES:,} + open now ({label})",
            result=f"{near_median:.2f} ms",
            target="≤ 5 ms",
            notes=f"median of 200; worst {near_max:.1f} ms",
        ),
        Figure(
            area="query",
            what=f"poll results over {VOTES:,} votes ({label})",
            result=f"{poll_median:.1f} ms",
            target="≤ 50 ms",
            notes=f"median of 20; worst {poll_max:.1f} ms",
        ),
    ]


def run(postgres_url: str | None) -> list[Figure]:
    return on_each(postgres_url, area="query", schema="bench", measure=_measure)
