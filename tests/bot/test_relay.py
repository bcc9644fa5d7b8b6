"""The outbox relay against a scripted sender: sends, retries with backoff, dead-letters."""

from __future__ import annotations

import random
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.relay import OutboxRelay, RetryPolicy
from bot.services import Services
from handlers.delivery import Delivery, Pace, RetryLater, Sent, Undeliverable
from storage import outbox
from storage.engine import transaction
from storage.outbox import OutboxItem
from storage.tables import Lane, outbox_t, participant_t
from tests.support.talk import Talk


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ScriptedSender:
    channel = "telegram"

    def __init__(self, *results: Delivery) -> None:
        self.script = deque(results)
        self.sent: list[tuple[int, str]] = []

    async def send(self, item: OutboxItem) -> Delivery:
        result = self.script.popleft() if self.script else Sent()
        if isinstance(result, Sent):
            self.sent.append((item.id, item.payload["text"]))
        return result


def _queue(services: Services, clock: Clock, texts: list[str]) -> int:
    """Store replies for a Telegram participant as the engine would; return the participant id."""
    Talk(services.engine, channel="telegram", user_id="42").start()  # type: ignore[arg-type]
    with transaction(services.database) as connection:
        connection.execute(sa.delete(outbox_t))
        participant_id = connection.execute(sa.select(participant_t.c.id)).scalar_one()
        outbox.enqueue(
            connection=connection,
            channel="telegram",
            recipient="42",
            participant_id=participant_id,
            inbox_id=None,
            payloads=[{"text": t} for t in texts],
            now=clock.now,
        )
    return participant_id


def _rows(services: Services) -> list[sa.Row]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        return list(connection.execute(sa.select(outbox_t).order_by(outbox_t.c.id)))


def _relay(
    services: Services, sender: ScriptedSender, clock: Clock, **policy: float
) -> OutboxRelay:
    return OutboxRelay(
        database=services.database,
        senders={"telegram": sender},
        clock=clock,
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        rng=random.Random(7),
    )


async def test_pending_rows_are_sent_once_in_order(any_services: Services) -> None:
    clock = Clock()
    _queue(any_services, clock, ["one", "two", "three"])
    sender = ScriptedSender()
    relay = _relay(any_services, sender, clock)
    assert await relay.run_once() == 3
    assert await relay.run_once() == 0
    assert [text for _, text in sender.sent] == ["one", "two", "three"]
    assert {row.status for row in _rows(any_services)} == {"sent"}


async def test_retry_after_is_honoured_and_backoff_grows(any_services: Services) -> None:
    clock = Clock()
    _queue(any_services, clock, ["hello"])
    sender = ScriptedSender(RetryLater("429", retry_after=30), RetryLater("503"))
    relay = _relay(any_services, sender, clock)
    await relay.run_once()
    (row,) = _rows(any_services)
    assert row.next_attempt_at == clock.now + timedelta(seconds=30)
    assert row.attempts == 1 and row.last_error == "429"
    clock.advance(29)
    assert await relay.run_once() == 0  # not before retry_after
    clock.advance(1)
    assert await relay.run_once() == 1
    (row,) = _rows(any_services)
    assert row.attempts == 2 and row.status == "pending"
    wait = (row.next_attempt_at - clock.now).total_seconds()
    assert 2 <= wait <= 4  # base 2 s doubled once, with jitter between half and whole
    clock.advance(wait)
    await relay.run_once()
    assert [text for _, text in sender.sent] == ["hello"]


async def test_a_message_is_dead_lettered_after_the_last_attempt(any_services: Services) -> None:
    clock = Clock()
    _queue(any_services, clock, ["hello"])
    sender = ScriptedSender(*[RetryLater("503")] * 10)
    relay = _relay(any_services, sender, clock, max_attempts=3)
    for _ in range(5):
        await relay.run_once()
        clock.advance(3600)
    (row,) = _rows(any_services)
    assert row.status == "dead"
    assert row.attempts == 3
    assert row.last_error == "gave up: 503"


async def test_a_blocked_person_is_dead_lettered_and_marked_unreachable(
    any_services: Services,
) -> None:
    clock = Clock()
    participant_id = _queue(any_services, clock, ["hello", "again"])
    sender = ScriptedSender(Undeliverable("403 bot was blocked by the user", unreachable=True))
    relay = _relay(any_services, sender, clock)
    await relay.run_once()
    rows = _rows(any_services)
    assert rows[0].status == "dead" and rows[0].last_error.startswith("403")
    with any_services.database.connect() as connection:
        reachable = connection.execute(
            sa.select(participant_t.c.reachable).where(participant_t.c.id == participant_id)
        ).scalar_one()
    assert reachable is False


async def test_a_claimed_row_is_leased_so_another_relay_does_not_send_it_again(
    any_services: Services,
) -> None:
    clock = Clock()
    _queue(any_services, clock, ["hello"])
    first, second = ScriptedSender(), ScriptedSender()
    relay_one, relay_two = _relay(any_services, first, clock), _relay(any_services, second, clock)
    claimed, _full = relay_one._claim()
    assert len(claimed) == 1
    assert relay_two._claim()[0] == []  # leased to the first relay
    clock.advance(301)
    assert len(relay_two._claim()[0]) == 1  # the lease ran out: the first relay must have died


@pytest.mark.parametrize(("attempts", "low", "high"), [(1, 1, 2), (3, 4, 8), (20, 150, 300)])
def test_backoff_is_exponential_capped_and_jittered(attempts: int, low: float, high: float) -> None:
    policy = RetryPolicy(base_seconds=2, cap_seconds=300)
    delays = [policy.delay(attempts, None, random.Random(seed)) for seed in range(50)]
    assert all(low <= d <= high for d in delays)
    assert len(set(delays)) > 1


def test_retry_after_beats_a_shorter_backoff() -> None:
    assert RetryPolicy().delay(1, 45.0, random.Random(1)) == 45.0


async def test_one_persons_messages_never_overtake_each_other(any_services: Services) -> None:
    clock = Clock()
    _queue(any_services, clock, ["first", "second", "third"])
    sender = ScriptedSender(RetryLater("429", retry_after=30))
    relay = _relay(any_services, sender, clock)
    await relay.run_once()
    assert sender.sent == []  # "second" waits behind "first"
    rows = _rows(any_services)
    assert {row.next_attempt_at for row in rows} == {clock.now + timedelta(seconds=30)}
    clock.advance(30)
    await relay.run_once()
    assert [text for _, text in sender.sent] == ["first", "second", "third"]


def _enqueue_for(
    services: Services, clock: Clock, recipient: str, texts: list[str], lane: Lane
) -> None:
    with transaction(services.database) as connection:
        participant_id = connection.execute(
            sa.select(participant_t.c.id).where(participant_t.c.channel_user_id == recipient)
        ).scalar_one_or_none()
        outbox.enqueue(
            connection=connection,
            channel="telegram",
            recipient=recipient,
            participant_id=participant_id,
            inbox_id=None,
            payloads=[{"text": t} for t in texts],
            now=clock.now,
            lane=lane,
        )


def _paced(services: Services, sender: ScriptedSender, clock: Clock) -> OutboxRelay:
    return OutboxRelay(
        database=services.database,
        senders={"telegram": sender},
        paces={"telegram": Pace(per_second=30, per_chat_interval=1.0)},
        clock=clock,
        rng=random.Random(7),
    )


async def test_a_persons_message_goes_before_a_thousand_queued_ones(any_services: Services) -> None:
    clock = Clock()
    for n in range(1000):
        _enqueue_for(any_services, clock, f"9{n:05d}", [f"reply {n}"], Lane.REPLY)
    _enqueue_for(any_services, clock, "777001", ["Hei, Terhi täällä."], Lane.HUMAN)
    sender = ScriptedSender()
    relay = _paced(any_services, sender, clock)
    assert await relay.run_once() == 30  # a round is a second's worth, not the whole queue
    assert sender.sent[0][1] == "Hei, Terhi täällä."


async def test_lanes_never_reorder_one_persons_messages(any_services: Services) -> None:
    clock = Clock()
    _queue(any_services, clock, ["bot first", "bot second"])
    _enqueue_for(any_services, clock, "42", ["staff third"], Lane.HUMAN)
    _enqueue_for(any_services, clock, "42", ["bot fourth"], Lane.REPLY)
    sender = ScriptedSender()
    relay = _paced(any_services, sender, clock)
    for _ in range(4):  # one message a round to one chat
        assert await relay.run_once() == 1
    assert [text for _, text in sender.sent] == [
        "bot first",
        "bot second",
        "staff third",
        "bot fourth",
    ]


async def test_a_second_relay_never_sends_past_a_message_still_on_its_way(
    any_services: Services,
) -> None:
    clock = Clock()
    _queue(any_services, clock, ["first", "second"])
    one, two = (
        _paced(any_services, ScriptedSender(), clock),
        _paced(any_services, ScriptedSender(), clock),
    )
    claimed, _ = one._claim()
    assert [item.payload["text"] for item in claimed] == ["first"]
    assert two._claim()[0] == []  # "second" waits until "first" is done, whoever sends it
