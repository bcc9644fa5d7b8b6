"""One ballot per person per poll, enforced by the database even between two processes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import sqlalchemy as sa

from bot.services import Services
from storage.domain_tables import ballot_t, response_t
from storage.engine import transaction
from storage.polls import cast_vote, get_poll, results
from tests.support.data import add_poll


def test_two_transactions_voting_at_once_leave_exactly_one_vote(any_services: Services) -> None:
    poll_id = add_poll(any_services.database)
    with any_services.database.connect() as connection:
        poll = get_poll(connection=connection, poll_id=poll_id)
    assert poll is not None
    first_question = poll.questions[0]
    outcomes: list[bool] = []
    barrier = threading.Barrier(2)

    def vote() -> None:
        barrier.wait()
        with transaction(any_services.database) as connection:
            outcomes.append(
                cast_vote(
                    connection=connection,
                    poll_id=poll_id,
                    voter="same-voter",
                    age_band=None,
                    answers={first_question.id: [first_question.options[0].id]},
                    now=datetime.now(UTC),
                    day=datetime.now(UTC).date(),
                )
            )

    threads = [threading.Thread(target=vote) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False, True]
    with any_services.database.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(ballot_t)).scalar_one() == 1
        )
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(response_t)).scalar_one() == 1
        )
        counted = results(connection=connection, poll_id=poll_id)
    assert counted.respondents == 1
    assert counted.counts == {first_question.options[0].id: 1}
