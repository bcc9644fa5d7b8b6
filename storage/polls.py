"""Youth polls: what is open, one ballot per person, anonymous answers, results in SQL."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import answer_t, ballot_t, option_t, poll_t, question_t, response_t
from storage.upsert import insert_ignoring_conflict

AGE_BANDS = ("u13", "13-15", "16-17", "18-24", "25-29", "30+")


@dataclass(frozen=True)
class PollOptionRow:
    id: int
    text: dict[str, str]


@dataclass(frozen=True)
class PollQuestionRow:
    id: int
    text: dict[str, str]
    max_choices: int
    options: tuple[PollOptionRow, ...]


@dataclass(frozen=True)
class PollRow:
    id: int
    title: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    results_visibility: str  # after_voting | after_closing | staff_only
    questions: tuple[PollQuestionRow, ...] = ()

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


@dataclass(frozen=True)
class PollResults:
    respondents: int
    counts: Mapping[int, int]  # option id → how many chose it


def voter_key(*, key: bytes, poll_id: int, pseudonym: str) -> str:
    """The ballot key: links to no table, and means nothing without the pseudonym key."""
    return hmac.new(key, f"poll:{poll_id}:{pseudonym}".encode(), hashlib.sha256).hexdigest()


_POLL_COLUMNS = (
    poll_t.c.id,
    poll_t.c.title,
    poll_t.c.opens_at,
    poll_t.c.closes_at,
    poll_t.c.results_visibility,
)


def open_polls(*, connection: Connection, now: datetime) -> list[PollRow]:
    rows = connection.execute(
        sa.select(*_POLL_COLUMNS)
        .where(poll_t.c.opens_at <= now, poll_t.c.closes_at > now)
        .order_by(poll_t.c.closes_at)
    )
    return [PollRow(*row) for row in rows]


def closed_polls(*, connection: Connection, now: datetime, limit: int = 3) -> list[PollRow]:
    """The most recently closed polls whose results residents may see."""
    rows = connection.execute(
        sa.select(*_POLL_COLUMNS)
        .where(poll_t.c.closes_at <= now, poll_t.c.results_visibility != "staff_only")
        .order_by(poll_t.c.closes_at.desc())
        .limit(limit)
    )
    return [PollRow(*row) for row in rows]


def get_poll(*, connection: Connection, poll_id: int) -> PollRow | None:
    row = connection.execute(sa.select(*_POLL_COLUMNS).where(poll_t.c.id == poll_id)).one_or_none()
    if row is None:
        return None
    questions = connection.execute(
        sa.select(question_t.c.id, question_t.c.text, question_t.c.max_choices)
        .where(question_t.c.poll_id == poll_id)
        .order_by(question_t.c.position, question_t.c.id)
    ).all()
    options = connection.execute(
        sa.select(option_t.c.id, option_t.c.question_id, option_t.c.text)
        .where(option_t.c.question_id.in_([q.id for q in questions]))
        .order_by(option_t.c.position, option_t.c.id)
    ).all()
    return PollRow(
        *row,
        questions=tuple(
            PollQuestionRow(
                id=q.id,
                text=dict(q.text),
                max_choices=q.max_choices,
                options=tuple(
                    PollOptionRow(o.id, dict(o.text)) for o in options if o.question_id == q.id
                ),
            )
            for q in questions
        ),
    )


def has_voted(*, connection: Connection, poll_id: int, voter: str) -> bool:
    return (
        connection.execute(
            sa.select(ballot_t.c.poll_id).where(
                ballot_t.c.poll_id == poll_id, ballot_t.c.voter == voter
            )
        ).first()
        is not None
    )


def cast_vote(
    *,
    connection: Connection,
    poll_id: int,
    voter: str,
    age_band: str | None,
    answers: Mapping[int, Sequence[int]],
    now: datetime,
    day: date,
) -> bool:
    """Store one ballot and its anonymous answers; False (and nothing written) if voted before.

    The answers keep only ``day``, the city's date (a week runs Monday to Sunday there)."""
    ballot = insert_ignoring_conflict(
        connection,
        ballot_t,
        {"poll_id": poll_id, "voter": voter, "voted_at": now},
        returning=ballot_t.c.poll_id,
    )
    if ballot is None:
        return False
    response_id = connection.execute(
        sa.insert(response_t)
        .values(poll_id=poll_id, age_band=age_band, day=day)
        .returning(response_t.c.id)
    ).scalar_one()
    rows = [
        {"response_id": response_id, "question_id": question_id, "option_id": option_id}
        for question_id, option_ids in answers.items()
        for option_id in dict.fromkeys(option_ids)
    ]
    if rows:
        connection.execute(sa.insert(answer_t), rows)
        connection.execute(
            sa.update(option_t)
            .where(option_t.c.id.in_([row["option_id"] for row in rows]))
            .values(votes=option_t.c.votes + 1)
        )
    connection.execute(
        sa.update(poll_t).where(poll_t.c.id == poll_id).values(respondents=poll_t.c.respondents + 1)
    )
    return True


def results(*, connection: Connection, poll_id: int) -> PollResults:
    """Respondents and per-option counts, from the tallies kept with each vote."""
    respondents = connection.execute(
        sa.select(poll_t.c.respondents).where(poll_t.c.id == poll_id)
    ).scalar_one_or_none()
    counts = connection.execute(
        sa.select(option_t.c.id, option_t.c.votes)
        .select_from(option_t.join(question_t, option_t.c.question_id == question_t.c.id))
        .where(question_t.c.poll_id == poll_id)
    ).all()
    return PollResults(
        respondents=respondents or 0, counts={option: n for option, n in counts if n}
    )


def recount(*, connection: Connection, poll_id: int) -> PollResults:
    """Results counted from the anonymous answers themselves (a check on the tallies)."""
    respondents = connection.execute(
        sa.select(sa.func.count()).select_from(response_t).where(response_t.c.poll_id == poll_id)
    ).scalar_one()
    counts = connection.execute(
        sa.select(answer_t.c.option_id, sa.func.count())
        .select_from(answer_t.join(response_t, answer_t.c.response_id == response_t.c.id))
        .where(response_t.c.poll_id == poll_id)
        .group_by(answer_t.c.option_id)
    ).all()
    return PollResults(respondents=respondents, counts={option: n for option, n in counts})


def all_poll_ids(*, connection: Connection) -> list[int]:
    return list(connection.execute(sa.select(poll_t.c.id).order_by(poll_t.c.id)).scalars())
