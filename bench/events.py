"""Event figures, on SQLite and PostgreSQL: "what's on this week near me" over 10,000
events (beside the same span soonest first, the query without the distance), and fifty
residents signing up at the same moment for an event's last ten places — exactly ten must
get a place and forty the waiting list, in the order they came."""

from __future__ import annotations

import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bench.databases import on_each
from bench.figures import Figure
from storage import event_signups
from storage.engine import transaction
from storage.event_signup_tables import SignupStatus
from storage.event_tables import Audience, event_t
from storage.events import WhatsOn, whats_on
from storage.participants import participant_for_event

EVENTS = 10_000
DAYS = 60  # the events spread over two months: a week holds about 1,200
CROWD = 50
LAST_PLACES = 10
ALREADY = 20  # places taken before the crowd arrives


def _fill(engine: Engine, rng: random.Random, now: datetime) -> int:
    rows = [
        {
            "source": "bench",
            "source_id": f"e{i}",
            "title": {"fi": f"Tapahtuma {i}"},
            "description": {},
            "starts_at": now + timedelta(minutes=rng.randrange(DAYS * 24 * 60)),
            "place_name": {"fi": "Paikka"},
            "lat": 61.0 + rng.random() * 1.5,
            "lon": 26.5 + rng.random() * 2.0,
            "audience": rng.choice(list(Audience)),
            "is_free": rng.random() < 0.6,
            "price": {},
            "signup_required": False,
            "accessibility": {},
            "keywords": [],
            "status": "scheduled",
            "is_series": False,
            "demo": True,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(EVENTS)
    ]
    with transaction(engine) as connection:
        connection.execute(sa.insert(event_t), rows)
        return int(
            connection.execute(
                sa.insert(event_t)
                .values(
                    source="bench",
                    source_id="full",
                    title={"fi": "Viimeiset paikat"},
                    description={},
                    starts_at=now + timedelta(days=3),
                    place_name={},
                    price={},
                    accessibility={},
                    keywords=[],
                    audience="young",
                    status="scheduled",
                    signup_required=True,
                    capacity=ALREADY + LAST_PLACES,
                    created_at=now,
                    updated_at=now,
                )
                .returning(event_t.c.id)
            ).scalar_one()
        )


def _analysed(engine: Engine) -> None:
    """Statistics as a running database has them (autovacuum analyses a table this size
    within a minute of filling it): without, PostgreSQL plans for an empty table."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE event"))


def _people(engine: Engine, count: int, now: datetime) -> list[int]:
    with transaction(engine) as connection:
        return [
            participant_for_event(
                connection=connection,
                channel="telegram",
                channel_user_id=f"b{n}",
                pseudonym_key=b"k" * 32,
                now=now,
            ).participant.id
            for n in range(count)
        ]


def _timed(work, repeats: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _measure(engine: Engine, label: str) -> list[Figure]:
    rng = random.Random(17)
    now = datetime.now(UTC)
    full = _fill(engine, rng, now)
    _analysed(engine)
    week = (now, now + timedelta(days=7))

    def near_me() -> None:
        near = (61.0 + rng.random() * 1.5, 26.5 + rng.random() * 2.0)
        with engine.connect() as connection:
            whats_on(connection=connection, asked=WhatsOn(*week, near=near))

    def soonest() -> None:
        with engine.connect() as connection:
            whats_on(connection=connection, asked=WhatsOn(*week))

    near_median, near_max = _timed(near_me, 200)
    soon_median, _ = _timed(soonest, 200)
    people = _people(engine, ALREADY + CROWD, now)
    for person in people[:ALREADY]:
        with transaction(engine) as connection:
            event_signups.sign_up(
                connection=connection, event_id=full, participant_id=person, now=now
            )

    def sign_up(person: int) -> SignupStatus:
        with transaction(engine) as connection:
            return event_signups.sign_up(
                connection=connection, event_id=full, participant_id=person, now=datetime.now(UTC)
            ).status

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CROWD) as pool:
        statuses = list(pool.map(sign_up, people[ALREADY:]))
    took = (time.perf_counter() - started) * 1000
    confirmed = statuses.count(SignupStatus.CONFIRMED)
    waiting = statuses.count(SignupStatus.WAITING)
    with engine.connect() as connection:
        places = event_signups.places(connection=connection, event_id=full)
    exact = (confirmed, waiting, places.confirmed) == (
        LAST_PLACES,
        CROWD - LAST_PLACES,
        ALREADY + LAST_PLACES,
    )
    return [
        Figure(
            area="query",
            what=f"what's on this week near me, of {EVENTS:,} events ({label})",
            result=f"{near_median:.2f} ms",
            against=f"{soon_median:.2f} ms soonest first",
            ratio=f"{near_median / soon_median:.2f}",
            target="≤ 5 ms",
            notes=f"median of 200; worst {near_max:.1f} ms",
        ),
        Figure(
            area="query",
            what=f"{CROWD} sign up at once for the last {LAST_PLACES} places ({label})",
            result=f"{confirmed} places, {waiting} waiting",
            against=f"{LAST_PLACES} places, {CROWD - LAST_PLACES} waiting",
            target="exactly",
            notes=f"{'exact' if exact else 'WRONG'}; all {CROWD} in {took:.0f} ms",
        ),
    ]


def run(postgres_url: str | None) -> list[Figure]:
    return on_each(postgres_url, area="query", schema="bench_events", measure=_measure)
