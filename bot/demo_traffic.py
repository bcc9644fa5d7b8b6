"""Two weeks of made-up traffic for ``make run``: fictional people leaving ideas, answering the
demo poll, looking for places and asking to be contacted, so that the staff area, the exports
and Monday's summary have something to show. Every text says "(demo)"; nobody is real, and
the same seed gives the same two weeks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from locales import DEFAULT_LANGUAGE, RESIDENT_LANGUAGES
from storage import polls
from storage.contacts import ContactDraft, create_contact_request
from storage.domain_tables import ContactStatus, contact_t, place_t
from storage.ideas import IdeaDraft, create_idea
from storage.participants import pseudonym_for
from storage.places import count_use
from storage.tables import participant_t

DAYS = 14
# Weighted so that some cells are small: the summary's small-group rule then has work to do.
CHANNELS = (("webchat", 5), ("telegram", 3), ("instagram", 2), ("messenger", 1))
LANGUAGES = tuple((code, 8 if code == DEFAULT_LANGUAGE else 1) for code in RESIDENT_LANGUAGES)
THEMES = (("young", 4), ("meeting_places", 3), ("nature", 2), ("community", 1), ("other", 1))
AREAS = (("centre", 5), ("rantakyla", 2), ("otava", 1), ("haukivuori", 1))
IDEAS = (
    "Nuorille oma iltapaikka keskustaan perjantaisin. (demo)",
    "Lisää penkkejä ja valoa rantareitille. (demo)",
    "Kirjastoon pelikerho, johon voi tulla yksin. (demo)",
    "Kohtaamispaikkaan yhteinen aamupala kerran viikossa. (demo)",
    "Frisbeegolfrata lähimetsään. (demo)",
    "Fler evenemang på svenska för unga. (demo)",
    "A weekly language café for newcomers. (demo)",
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def add_demo_traffic(
    connection: Connection, *, now: datetime, pseudonym_key: bytes, zone: ZoneInfo, seed: int = 48
) -> str:
    """Add the traffic of the ``DAYS`` days before ``now``; returns what was added."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, repeatable on purpose
    poll_ids = polls.all_poll_ids(connection=connection)
    poll = polls.get_poll(connection=connection, poll_id=poll_ids[0]) if poll_ids else None
    place_ids = list(connection.execute(sa.select(place_t.c.id).order_by(place_t.c.id)).scalars())
    today = now.astimezone(zone).date()
    people = ideas = votes = contacts = 0
    for back in range(DAYS, 0, -1):
        day = today - timedelta(days=back)
        for _ in range(rng.randint(2, 7)):
            moment = datetime.combine(day, time(rng.randint(8, 21), rng.randint(0, 59)), zone)
            at = moment.astimezone(UTC)
            channel, language = _pick(rng, CHANNELS), _pick(rng, LANGUAGES)
            user_id = f"demo-{people + 1}"
            pseudonym = pseudonym_for(key=pseudonym_key, channel=channel, channel_user_id=user_id)
            participant_id = connection.execute(
                sa.insert(participant_t)
                .values(
                    channel=channel,
                    channel_user_id=user_id,
                    pseudonym=pseudonym,
                    locale=language,
                    reachable=False,  # nobody to send to: made up
                    created_at=at,
                )
                .returning(participant_t.c.id)
            ).scalar_one()
            people += 1
            if rng.random() < 0.6:
                draft = IdeaDraft(
                    theme_code=_pick(rng, THEMES),
                    area_code=_pick(rng, AREAS),
                    text=rng.choice(IDEAS),
                )
                create_idea(
                    connection=connection,
                    participant_id=participant_id,
                    draft=draft,
                    channel=channel,
                    language=language,
                    now=at,
                )
                ideas += 1
            if poll is not None and rng.random() < 0.5:
                answers = {
                    q.id: rng.sample([o.id for o in q.options], k=rng.randint(1, q.max_choices))
                    for q in poll.questions
                }
                voter = polls.voter_key(key=pseudonym_key, poll_id=poll.id, pseudonym=pseudonym)
                polls.cast_vote(
                    connection=connection,
                    poll_id=poll.id,
                    voter=voter,
                    age_band=rng.choice(("13-15", "16-17", "18-24")),
                    answers=answers,
                    now=at,
                    day=at.astimezone(zone).date(),
                )
                votes += 1
            if place_ids:
                shown = rng.sample(place_ids, k=min(len(place_ids), 3))
                count_use(connection=connection, shown=shown, chosen=shown[0], day=day)
            if rng.random() < 0.1:
                draft_contact = ContactDraft(
                    name=f"Demo-asukas {people}",
                    method="email",
                    contact_value=f"demo{people}@example.org",
                    good_time="Iltapäivisin (demo)",
                    message="Haluaisin jutella kohtaamispaikoista. (demo)",
                )
                created = create_contact_request(
                    connection=connection,
                    participant_id=participant_id,
                    channel=channel,
                    draft=draft_contact,
                    now=at,
                )
                if back > 3:
                    connection.execute(
                        sa.update(contact_t)
                        .where(contact_t.c.id == created.id)
                        .values(status=ContactStatus.CONTACTED, handled_at=at + timedelta(days=1))
                    )
                contacts += 1
    return (
        f"traffic: {people} made-up people, {ideas} ideas, {votes} poll answers and "
        f"{contacts} contact requests over {DAYS} days (demo)"
    )
