"""Polls as staff manage them: create with questions and options, reschedule, close early."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import option_t, poll_t, question_t

Local = dict[str, str]


@dataclass(frozen=True)
class QuestionDraft:
    text: Local
    options: tuple[Local, ...]
    max_choices: int = 1


@dataclass(frozen=True)
class PollDraft:
    title: Local
    opens_at: datetime
    closes_at: datetime
    questions: tuple[QuestionDraft, ...]
    min_age: int | None = 13
    max_age: int | None = 29
    results_visibility: str = "after_voting"
    demo: bool = False


@dataclass(frozen=True)
class PollListing:
    id: int
    title: Local
    opens_at: datetime
    closes_at: datetime
    respondents: int
    demo: bool


def create_poll(*, connection: Connection, draft: PollDraft, now: datetime) -> int:
    poll_id: int = connection.execute(
        sa.insert(poll_t)
        .values(
            title=draft.title,
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            min_age=draft.min_age,
            max_age=draft.max_age,
            results_visibility=draft.results_visibility,
            demo=draft.demo,
            created_at=now,
        )
        .returning(poll_t.c.id)
    ).scalar_one()
    _add_questions(connection, poll_id, draft.questions)
    return poll_id


def _add_questions(
    connection: Connection, poll_id: int, questions: tuple[QuestionDraft, ...]
) -> None:
    for position, question in enumerate(questions):
        question_id = connection.execute(
            sa.insert(question_t)
            .values(
                poll_id=poll_id,
                position=position,
                text=question.text,
                max_choices=question.max_choices,
            )
            .returning(question_t.c.id)
        ).scalar_one()
        connection.execute(
            sa.insert(option_t),
            [
                {"question_id": question_id, "position": i, "text": option}
                for i, option in enumerate(question.options)
            ],
        )


def replace_unanswered(*, connection: Connection, poll_id: int, draft: PollDraft) -> bool:
    """Rewrite a poll nobody has answered; False if it has answers (or does not exist).

    The guard is in the UPDATE itself, which also locks the row: a vote arriving meanwhile
    waits and then finds the poll as it now is."""
    changed = connection.execute(
        sa.update(poll_t)
        .where(poll_t.c.id == poll_id, poll_t.c.respondents == 0)
        .values(
            title=draft.title,
            opens_at=draft.opens_at,
            closes_at=draft.closes_at,
            results_visibility=draft.results_visibility,
        )
    )
    if changed.rowcount != 1:
        return False
    connection.execute(sa.delete(question_t).where(question_t.c.poll_id == poll_id))
    _add_questions(connection, poll_id, draft.questions)
    return True


def list_polls(*, connection: Connection) -> list[PollListing]:
    rows = connection.execute(
        sa.select(
            poll_t.c.id,
            poll_t.c.title,
            poll_t.c.opens_at,
            poll_t.c.closes_at,
            poll_t.c.respondents,
            poll_t.c.demo,
        ).order_by(poll_t.c.opens_at.desc(), poll_t.c.id.desc())
    )
    return [PollListing(*row) for row in rows]


def reschedule(
    *, connection: Connection, poll_id: int, opens_at: datetime, closes_at: datetime
) -> bool:
    result = connection.execute(
        sa.update(poll_t)
        .where(poll_t.c.id == poll_id)
        .values(opens_at=opens_at, closes_at=closes_at)
    )
    return result.rowcount == 1


def close_now(*, connection: Connection, poll_id: int, now: datetime) -> bool:
    """Close early (a poll not yet open is closed before it opens); False if there is none."""
    row = connection.execute(
        sa.select(poll_t.c.opens_at, poll_t.c.closes_at).where(poll_t.c.id == poll_id)
    ).first()
    if row is None:
        return False
    if row.closes_at > now:
        connection.execute(
            sa.update(poll_t)
            .where(poll_t.c.id == poll_id)
            .values(closes_at=now, opens_at=min(row.opens_at, now))
        )
    return True
