"""Limits counted in the database: allowed hits up to the limit in the span, refused hits
not counted, a wait that is right to the second, and the span sliding slice by slice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage import rate_limits
from storage.engine import make_engine, transaction
from storage.rate_limits import Hit, Limit

# A moment on a whole minute, so that the slices below start where the test says.
T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)


def _hit(url: str, key: str, limit: Limit, at: datetime) -> Hit:
    engine = make_engine(url)
    try:
        with transaction(engine) as connection:
            return rate_limits.hit(connection=connection, key=key, limit=limit, now=at)
    finally:
        engine.dispose()


def test_five_in_fifteen_minutes_counted_per_minute(database_url: str) -> None:
    limit = Limit(5, 900, buckets=15)
    hits = [_hit(database_url, "k", limit, T0 + timedelta(minutes=n)) for n in range(5)]
    assert all(hit.allowed for hit in hits)
    refused = _hit(database_url, "k", limit, T0 + timedelta(minutes=5, seconds=30))
    assert not refused.allowed
    # The first hit (at 10.00) leaves the span at 10.15: 9 minutes 30 seconds from 10.05.30.
    assert refused.retry_after == pytest.approx(9 * 60 + 30)
    assert not _hit(database_url, "k", limit, T0 + timedelta(minutes=14, seconds=59)).allowed
    assert _hit(database_url, "k", limit, T0 + timedelta(minutes=15)).allowed
    assert _hit(database_url, "other", limit, T0).allowed  # keys count apart


def test_a_refused_hit_is_not_counted(database_url: str) -> None:
    limit = Limit(2, 60)
    assert _hit(database_url, "k", limit, T0).allowed
    assert _hit(database_url, "k", limit, T0).allowed
    for _ in range(10):  # hammering does not push the wait further out
        refused = _hit(database_url, "k", limit, T0 + timedelta(seconds=20))
        assert not refused.allowed and refused.retry_after == pytest.approx(40)
    assert _hit(database_url, "k", limit, T0 + timedelta(seconds=60)).allowed


def test_an_allowed_hit_can_be_taken_back(database_url: str) -> None:
    limit = Limit(1, 60)
    first = _hit(database_url, "k", limit, T0)
    engine = make_engine(database_url)
    with transaction(engine) as connection:
        rate_limits.undo(connection=connection, key="k", hit=first)
    engine.dispose()
    assert _hit(database_url, "k", limit, T0 + timedelta(seconds=1)).allowed


def test_old_slices_are_forgotten(database_url: str) -> None:
    limit = Limit(1, 60)
    _hit(database_url, "k", limit, T0)
    engine = make_engine(database_url)
    with transaction(engine) as connection:
        assert rate_limits.forget_before(connection=connection, before=T0 + timedelta(days=1)) == 1
    engine.dispose()
