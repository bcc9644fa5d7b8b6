"""Flood limits stop machines, never people: a fast human tapping for minutes is served in
full; a machine's burst is throttled, and the person always learns it (a 429 with when to
try again on the web chat, one "slow down" a minute on relayed channels)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import Services, build_services
from bot.settings import Settings
from dialogs.events import Channel, Event, Pressed, TextInput
from dialogs.flood import FloodGate, Verdict
from dialogs.runner import ConversationRunner
from storage.tables import inbox_t
from tests.conftest import make_settings

DEFAULT_BURST = Settings.model_fields["flood_burst"].default
DEFAULT_PER_MINUTE = Settings.model_fields["flood_per_minute"].default


def test_a_burst_then_the_rate() -> None:
    now = [0.0]
    gate = FloodGate(burst=5, per_minute=20, clock=lambda: now[0])
    key = ("telegram", "someone")
    assert [gate.check(key) for _ in range(7)] == [Verdict.HANDLE] * 5 + [
        Verdict.WARN,
        Verdict.DROP,
    ]
    assert gate.seconds_until_free(key) == pytest.approx(3.0)  # one message's worth: 20 a minute
    now[0] += 3.0
    assert gate.check(key) is Verdict.HANDLE
    assert gate.check(key) is Verdict.DROP  # warned less than a minute ago
    now[0] += 60.0
    assert [gate.check(key) for _ in range(5)] == [Verdict.HANDLE] * 5
    assert gate.check(("telegram", "someone else")) is Verdict.HANDLE


@pytest.fixture
def services_at_defaults(sqlite_database_url: str, tmp_path: Path) -> Iterator[Services]:
    """The flood limits as deployed (the suite's settings lift them for speed)."""
    built = build_services(
        make_settings(
            sqlite_database_url,
            flood_burst=DEFAULT_BURST,
            flood_per_minute=DEFAULT_PER_MINUTE,
            media_dir=tmp_path,
        )
    )
    yield built
    built.database.dispose()


def _runner_with_clock(services: Services, now: list[float]) -> ConversationRunner:
    gate = FloodGate(burst=DEFAULT_BURST, per_minute=DEFAULT_PER_MINUTE, clock=lambda: now[0])
    return ConversationRunner(services.engine, threads=0, flood=gate)


def _event(channel: Channel, user: str, n: int, user_input: object) -> Event:
    return Event(channel, user, f"{user}-{n}", user_input, datetime.now(UTC), locale_hint="fi")  # type: ignore[arg-type]


async def test_three_hundred_taps_at_a_tap_a_second_are_all_handled(
    services_at_defaults: Services,
) -> None:
    """Five minutes of a fast human on a phone, on the web chat: every tap answered."""
    now = [0.0]
    runner = _runner_with_clock(services_at_defaults, now)
    first = await runner.handle(_event(Channel.WEBCHAT, "tapper", 0, TextInput("/start")))
    assert first.replies
    await runner.handle(_event(Channel.WEBCHAT, "tapper", 1, Pressed("consent.yes")))
    taps = ["help", "menu"] * 150  # help, back to the menu, help, …
    for n, choice in enumerate(taps, start=2):
        now[0] += 1.0
        handled = await runner.handle(_event(Channel.WEBCHAT, "tapper", n, Pressed(choice)))
        assert handled.throttled_for is None, f"tap {n} was throttled"
        assert handled.replies and handled.replies[-1].choices, f"tap {n} got no buttons"
    with services_at_defaults.database.connect() as connection:
        handled_events = connection.execute(
            sa.select(sa.func.count()).select_from(inbox_t)
        ).scalar_one()
    assert handled_events == 302


async def test_a_few_taps_a_second_for_a_moment_are_all_handled(
    services_at_defaults: Services,
) -> None:
    now = [0.0]
    runner = _runner_with_clock(services_at_defaults, now)
    await runner.handle(_event(Channel.WEBCHAT, "quick", 0, TextInput("/start")))
    for n in range(1, 31):  # three taps a second for ten seconds
        now[0] += 1 / 3
        handled = await runner.handle(_event(Channel.WEBCHAT, "quick", n, Pressed("help")))
        assert handled.throttled_for is None, f"tap {n} was throttled"


async def test_a_machine_on_a_relayed_channel_is_told_once_and_the_rest_dropped(
    services_at_defaults: Services,
) -> None:
    now = [0.0]
    runner = _runner_with_clock(services_at_defaults, now)
    answers = [
        await runner.handle(_event(Channel.TELEGRAM, "flooder", n, TextInput("apua")))
        for n in range(DEFAULT_BURST + 10)
    ]
    texts = [[reply.text for reply in a.replies] for a in answers]
    assert all(t for t in texts[:DEFAULT_BURST])
    assert texts[DEFAULT_BURST] == ["Lähetät viestejä hyvin nopeasti. Odota hetki ja jatka sitten."]
    assert texts[DEFAULT_BURST + 1 :] == [[]] * 9
    with services_at_defaults.database.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(inbox_t)).scalar_one()
    assert stored == DEFAULT_BURST + 1  # the handled ones and the one "slow down"
    other = await runner.handle(_event(Channel.TELEGRAM, "neighbour", 1, TextInput("hei")))
    assert other.replies[0].text.startswith("Hei! Olen Mikkelin")  # others are unaffected


async def test_every_throttled_web_chat_request_is_answered_with_when_to_send_again(
    services_at_defaults: Services,
) -> None:
    app = create_app(services_at_defaults.settings, services=services_at_defaults)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        answers = [
            await client.post(
                "/webchat/messages",
                json={"session": "machine-0001", "text": "apua", "id": f"m{n}", "locale": "sv"},
            )
            for n in range(DEFAULT_BURST + 5)
        ]
    assert [a.status_code for a in answers[:DEFAULT_BURST]] == [200] * DEFAULT_BURST
    for refused in answers[DEFAULT_BURST:]:  # every one, not only the first in a minute
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 2
        assert refused.json()["message"].startswith("Ett ögonblick.")
    with services_at_defaults.database.connect() as connection:
        stored = connection.execute(sa.select(sa.func.count()).select_from(inbox_t)).scalar_one()
    assert stored == DEFAULT_BURST  # a refused request left no trace: the page sends it again
