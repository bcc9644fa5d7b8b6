"""Answers to "How was it?": one a person an event, kept apart from who gave it."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.event_signup_tables import Face, feedback_ballot_t, feedback_t
from storage.upsert import insert_ignoring_conflict


def voter_key(*, key: bytes, event_id: int, pseudonym: str) -> str:
    """The ballot key: links to no table, and means nothing without the pseudonym key."""
    return hmac.new(key, f"event:{event_id}:{pseudonym}".encode(), hashlib.sha256).hexdigest()


def answer(*, connection: Connection, event_id: int, voter: str, face: Face, day: date) -> bool:
    """Store one answer; False (and nothing written) if this person answered before."""
    ballot = insert_ignoring_conflict(
        connection,
        feedback_ballot_t,
        {"event_id": event_id, "voter": voter},
        returning=feedback_ballot_t.c.event_id,
    )
    if ballot is None:
        return False
    connection.execute(sa.insert(feedback_t).values(event_id=event_id, face=int(face), day=day))
    return True


def faces(*, connection: Connection, event_id: int) -> dict[Face, int]:
    """How many chose each face (every face named, zero or not)."""
    counts: dict[int, int] = dict(
        connection.execute(
            sa.select(feedback_t.c.face, sa.func.count())
            .where(feedback_t.c.event_id == event_id)
            .group_by(feedback_t.c.face)
        ).all()
    )
    return {face: counts.get(int(face), 0) for face in Face}


def forget_ballots(*, connection: Connection, key: bytes, pseudonym: str) -> int:
    """Delete my data: the rows that said this person answered (the answers stay, anonymous)."""
    events = connection.execute(sa.select(feedback_ballot_t.c.event_id).distinct()).scalars()
    voters = [voter_key(key=key, event_id=e, pseudonym=pseudonym) for e in events]
    if not voters:
        return 0
    return connection.execute(
        sa.delete(feedback_ballot_t).where(feedback_ballot_t.c.voter.in_(voters))
    ).rowcount
