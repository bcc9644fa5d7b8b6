"""A resident's data: everything stored about them, erasure, and the retention purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import ContactStatus, ballot_t, contact_t, idea_t, poll_t
from storage.event_feedback import forget_ballots
from storage.event_signup_reads import MySignup, signups_of
from storage.event_signup_tables import signup_t
from storage.event_tables import event_t
from storage.human_tables import human_conversation_t, human_message_t
from storage.ideas import IdeaSummary, ideas_of
from storage.news_emails import NewsEmailRow, of_participant
from storage.news_tables import delivery_t, news_email_t, subscription_t
from storage.participants import ParticipantRow
from storage.polls import voter_key
from storage.subscriptions import SubscriptionRow, subscriptions_of
from storage.tables import conversation_t, inbox_t, outbox_t, participant_t


@dataclass(frozen=True)
class ContactSummary:
    """A contact request as the resident sees it under "My data": all it holds."""

    reference: str
    status: str
    created_at: datetime
    name: str
    method: str
    contact_value: str | None
    good_time: str | None
    message: str | None


@dataclass(frozen=True)
class MyData:
    language: str | None
    consent_at: datetime | None
    age_band: str | None
    ideas: list[IdeaSummary]
    polls_answered: int
    contact_requests: list[ContactSummary]
    team_conversations: int = 0  # conversations with a person of the team, kept
    team_messages: int = 0  # what was said in them, both ways
    subscriptions: tuple[SubscriptionRow, ...] = ()  # news chosen, with when it was agreed
    news_email: NewsEmailRow | None = None  # the address news goes to by e-mail
    event_signups: tuple[MySignup, ...] = ()  # with what was shared with the organiser


@dataclass(frozen=True)
class Erased:
    photo_refs: list[str]  # files to remove once the transaction has committed


@dataclass(frozen=True)
class RetentionPolicy:
    conversation_days: int = 30
    payload_days: int = 7
    inbox_key_days: int = 30
    outbox_days: int = 30
    event_signup_days: int = 30
    handled_contact_days: int = 90
    idea_contact_days: int = 365
    human_conversation_days: int = 90


def _ballot_keys(connection: Connection, participant: ParticipantRow, key: bytes) -> list[str]:
    poll_ids = connection.execute(sa.select(poll_t.c.id)).scalars()
    return [voter_key(key=key, poll_id=p, pseudonym=participant.pseudonym) for p in poll_ids]


def my_data(*, connection: Connection, participant: ParticipantRow, ballot_key: bytes) -> MyData:
    voters = _ballot_keys(connection, participant, ballot_key)
    answered = connection.execute(
        sa.select(sa.func.count()).select_from(ballot_t).where(ballot_t.c.voter.in_(voters))
    ).scalar_one()
    contacts = connection.execute(
        sa.select(
            contact_t.c.reference,
            contact_t.c.status,
            contact_t.c.created_at,
            contact_t.c.name,
            contact_t.c.method,
            contact_t.c.contact_value,
            contact_t.c.good_time,
            contact_t.c.message,
        )
        .where(contact_t.c.participant_id == participant.id)
        .order_by(contact_t.c.created_at.desc())
    )
    conversations, messages = connection.execute(
        sa.select(
            sa.func.count(sa.distinct(human_conversation_t.c.id)),
            sa.func.count(human_message_t.c.id),
        )
        .select_from(human_conversation_t.outerjoin(human_message_t))
        .where(human_conversation_t.c.participant_id == participant.id)
    ).one()
    return MyData(
        team_conversations=conversations,
        team_messages=messages,
        language=participant.locale,
        consent_at=participant.consent_at,
        age_band=participant.age_band,
        ideas=ideas_of(connection=connection, participant_id=participant.id, limit=50),
        polls_answered=answered,
        contact_requests=[ContactSummary(*row) for row in contacts],
        subscriptions=tuple(subscriptions_of(connection=connection, participant_id=participant.id)),
        news_email=of_participant(connection=connection, participant_id=participant.id),
        event_signups=tuple(signups_of(connection=connection, participant_id=participant.id)),
    )


def erase_participant(
    *, connection: Connection, participant: ParticipantRow, ballot_key: bytes
) -> Erased:
    """Erase everything personal about the participant, in the caller's one transaction.

    Poll answers and "How was it?" stay as anonymous counts; the ballots that said this
    person answered go. A place they held at an event goes to the next in turn at the event
    upkeep job's next round (``bot.event_messages``), which tells them.
    """
    pid = participant.id
    photos = list(
        connection.execute(
            sa.select(idea_t.c.photo_ref).where(
                idea_t.c.participant_id == pid, idea_t.c.photo_ref.is_not(None)
            )
        ).scalars()
    )
    photos += _team_photos(connection, human_conversation_t.c.participant_id == pid)
    voters = _ballot_keys(connection, participant, ballot_key)
    if voters:
        connection.execute(sa.delete(ballot_t).where(ballot_t.c.voter.in_(voters)))
    forget_ballots(connection=connection, key=ballot_key, pseudonym=participant.pseudonym)
    tables = (
        signup_t,
        delivery_t,
        subscription_t,
        news_email_t,
        human_conversation_t,
        idea_t,
        contact_t,
        outbox_t,
        inbox_t,
        conversation_t,
    )
    for table in tables:
        connection.execute(sa.delete(table).where(table.c.participant_id == pid))
    connection.execute(sa.delete(participant_t).where(participant_t.c.id == pid))
    return Erased(photo_refs=photos)


def _team_photos(connection: Connection, which: sa.ColumnElement[bool]) -> list[str]:
    """Photos sent in conversations with the team (the files go after the commit)."""
    return list(
        connection.execute(
            sa.select(human_message_t.c.photo_ref)
            .join(human_conversation_t)
            .where(which, human_message_t.c.photo_ref.is_not(None))
        ).scalars()
    )


def purge_team_conversations(
    *, connection: Connection, now: datetime, policy: RetentionPolicy
) -> Erased:
    """Conversations with the team closed longer ago than they are kept, with their words."""
    expired = human_conversation_t.c.closed_at < now - timedelta(
        days=policy.human_conversation_days
    )
    photos = _team_photos(connection, expired)
    connection.execute(sa.delete(human_conversation_t).where(expired))
    return Erased(photo_refs=photos)


SHARED_KEPT_DAYS = 7  # a name or phone given to an organiser, after the event


def _events_ended_before(moment: datetime) -> sa.Select[tuple[int]]:
    ended = sa.func.coalesce(event_t.c.ends_at, event_t.c.starts_at)
    return sa.select(event_t.c.id).where(event_t.c.is_series.is_(False), ended < moment)


def purge(*, connection: Connection, now: datetime, policy: RetentionPolicy) -> dict[str, int]:
    """Remove or blank what is past its retention time; a second run changes nothing."""

    def before(days: int) -> datetime:
        return now - timedelta(days=days)

    done = {
        "conversations": connection.execute(
            sa.delete(conversation_t).where(
                conversation_t.c.updated_at < before(policy.conversation_days)
            )
        ).rowcount,
        "inbox_keys": connection.execute(
            sa.delete(inbox_t).where(inbox_t.c.received_at < before(policy.inbox_key_days))
        ).rowcount,
        "payloads": connection.execute(
            sa.update(inbox_t)
            .where(
                inbox_t.c.received_at < before(policy.payload_days),
                sa.or_(inbox_t.c.payload.is_not(None), inbox_t.c.replies.is_not(None)),
            )
            .values(payload=None, replies=None)
        ).rowcount,
        "outbox": connection.execute(
            sa.delete(outbox_t).where(
                outbox_t.c.status != "pending", outbox_t.c.created_at < before(policy.outbox_days)
            )
        ).rowcount,
        "contact_requests": connection.execute(
            sa.delete(contact_t).where(
                contact_t.c.status.in_([ContactStatus.CONTACTED, ContactStatus.CLOSED]),
                contact_t.c.handled_at < before(policy.handled_contact_days),
            )
        ).rowcount,
        # Names and phones given to an organiser go a week after the event; the sign-ups
        # themselves after the retention setting.
        "event_shared": connection.execute(
            sa.update(signup_t)
            .where(
                signup_t.c.event_id.in_(_events_ended_before(before(SHARED_KEPT_DAYS))),
                sa.or_(signup_t.c.shared_name.is_not(None), signup_t.c.shared_phone.is_not(None)),
            )
            .values(shared_name=None, shared_phone=None)
        ).rowcount,
        "event_signups": connection.execute(
            sa.delete(signup_t).where(
                signup_t.c.event_id.in_(_events_ended_before(before(policy.event_signup_days)))
            )
        ).rowcount,
        "idea_contacts": connection.execute(
            sa.update(idea_t)
            .where(
                idea_t.c.created_at < before(policy.idea_contact_days),
                sa.or_(idea_t.c.contact_name.is_not(None), idea_t.c.contact_value.is_not(None)),
            )
            .values(contact_name=None, contact_method=None, contact_value=None)
        ).rowcount,
    }
    return done
