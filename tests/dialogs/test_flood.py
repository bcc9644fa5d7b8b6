"""One person flooding gets one kind "slow down"; the rest is dropped; others are unaffected."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.services import Services, build_services
from dialogs.events import Channel, Event, TextInput
from dialogs.flood import FloodGate, Verdict
from storage.tables import inbox_t
from tests.conftest import make_settings


def test_a_burst_then_twenty_a_minute() -> None:
    now = [0.0]
    gate = FloodGate(burst=5, clock=lambda: now[0])
    key = ("webchat", "someone")
    assert [gate.check(key) for _ in range(7)] == [Verdict.HANDLE] * 5 + [
        Verdict.WARN,
        Verdict.DROP,
    ]
    now[0] += 3.0  # one message's worth refilled (20 a minute)
    assert gate.check(key) is Verdict.HANDLE
    assert gate.check(key) is Verdict.DROP  # warned less than a minute ago
    now[0] += 60.0
    assert [gate.check(key) for _ in range(5)] == [Verdict.HANDLE] * 5
    assert gate.check(("webchat", "someone else")) is Verdict.HANDLE


@pytest.fixture
def limited(sqlite_database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build_services(
        make_settings(sqlite_database_url, flood_burst=5, flood_per_minute=20, media_dir=tmp_path)
    )
    yield built
    built.database.dispose()


def _event(user: str, n: int) -> Event:
    return Event(
        Channel.WEBCHAT, user, f"{user}-{n}", TextInput("apua"), datetime.now(UTC), locale_hint="fi"
    )


async def test_a_flooding_person_is_told_once_and_the_rest_has_no_effect(limited: Services) -> None:
    answers = [await limited.runner.handle(_event("flooder", n)) for n in range(12)]
    texts = [[reply.text for reply in a.replies] for a in answers]
    assert all(t for t in texts[:5])
    assert texts[5] == ["Lähetät viestejä hyvin nopeasti. Odota hetki ja jatka sitten."]
    assert texts[6:] == [[]] * 6
    with limited.database.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(inbox_t)).scalar_one()
    assert stored == 6  # five handled and the one "slow down"; the dropped left no trace
    other = await limited.runner.handle(_event("neighbour", 1))
    assert other.replies[0].text.startswith("Hei! Olen Mikkelin")  # others are unaffected


def test_the_default_burst_lets_a_quick_hand_through() -> None:
    now = [0.0]
    gate = FloodGate(clock=lambda: now[0])
    taps = []
    for _ in range(12):  # a multiple-choice poll answered at a tap a second
        taps.append(gate.check(("webchat", "quick")))
        now[0] += 1.0
    assert taps == [Verdict.HANDLE] * 12
