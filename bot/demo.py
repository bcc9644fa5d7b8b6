"""Demo data for ``make run``: public facts about public places in Mikkeli (marked as demo),
one open youth poll and two weeks of made-up traffic, loaded into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.demo_events import add_demo_events
from bot.demo_traffic import add_demo_traffic
from bot.places_import import import_places
from storage.domain_tables import idea_t, place_t, poll_t
from storage.engine import transaction
from storage.event_tables import event_t
from storage.poll_admin import PollDraft, QuestionDraft, create_poll

DEMO_PLACES = Path(__file__).resolve().parent.parent / "data" / "demo" / "places.yaml"

Local = dict[str, str]
DEMO_POLL_TITLE: Local = {
    "fi": "Mitä haluaisit tehdä vapaa-ajalla? (demo)",
    "sv": "Vad skulle du vilja göra på fritiden? (demo)",
    "en": "What would you like to do in your free time? (demo)",
}
# (question, how many may be chosen, options)
DEMO_QUESTIONS: list[tuple[Local, int, list[Local]]] = [
    (
        {
            "fi": "Missä vietät vapaa-aikaa mieluiten?",
            "sv": "Var är du helst på fritiden?",
            "en": "Where do you like to spend your free time?",
        },
        1,
        [
            {"fi": "Kotona", "sv": "Hemma", "en": "At home"},
            {"fi": "Nuorisotalolla", "sv": "På ungdomsgården", "en": "At a youth centre"},
            {"fi": "Kirjastossa", "sv": "På biblioteket", "en": "At the library"},
            {
                "fi": "Ulkona tai luonnossa",
                "sv": "Ute eller i naturen",
                "en": "Outdoors or in nature",
            },
        ],
    ),
    (
        {
            "fi": "Mitä Mikkeliin pitäisi saada lisää? Valitse enintään kaksi.",
            "sv": "Vad borde det finnas mer av i S:t Michel? Välj högst två.",
            "en": "What should Mikkeli have more of? Choose up to two.",
        },
        2,
        [
            {"fi": "Tapahtumia", "sv": "Evenemang", "en": "Events"},
            {"fi": "Liikuntaa", "sv": "Motion", "en": "Sports"},
            {"fi": "Paikkoja olla", "sv": "Platser att vara på", "en": "Places to hang out"},
            {"fi": "Kesätöitä", "sv": "Sommarjobb", "en": "Summer jobs"},
        ],
    ),
]


def _empty(connection: Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def add_demo_poll(connection: Connection, now: datetime) -> int:
    draft = PollDraft(
        title=DEMO_POLL_TITLE,
        opens_at=now - timedelta(days=15),  # open through the demo traffic's two weeks
        closes_at=now + timedelta(days=60),
        questions=tuple(
            QuestionDraft(text=text, options=tuple(options), max_choices=max_choices)
            for text, max_choices, options in DEMO_QUESTIONS
        ),
        demo=True,
    )
    return create_poll(connection=connection, draft=draft, now=now)


def load_demo_data(
    engine: Engine,
    *,
    only_if_empty: bool,
    now: datetime | None = None,
    traffic_key: bytes | None = None,
    timezone: str = "Europe/Helsinki",
) -> str:
    """Load the demo places and poll (only into empty tables with ``only_if_empty``), and with
    ``traffic_key`` (the pseudonym key) two weeks of made-up traffic into an empty idea table."""
    moment = now or datetime.now(UTC)
    lines = []
    with engine.connect() as connection:
        places_empty = _empty(connection, place_t)
    if only_if_empty and not places_empty:
        lines.append("places: already has data, left as it is")
    else:
        lines.append(f"places: {import_places(engine, DEMO_PLACES, now=moment)}")
    with transaction(engine) as connection:
        if only_if_empty and not _empty(connection, poll_t):
            lines.append("polls: already has data, left as it is")
        else:
            add_demo_poll(connection, moment)
            lines.append("polls: 1 open demo poll added")
    with transaction(engine) as connection:
        if only_if_empty and not _empty(connection, event_t):
            lines.append("events: already has data, left as it is")
        else:
            lines.append(add_demo_events(connection, now=moment, zone=ZoneInfo(timezone)))
    if traffic_key is not None:
        with transaction(engine) as connection:
            if only_if_empty and not _empty(connection, idea_t):
                lines.append("traffic: ideas are there already, none added")
            else:
                lines.append(
                    add_demo_traffic(
                        connection, now=moment, pseudonym_key=traffic_key, zone=ZoneInfo(timezone)
                    )
                )
    return "\n".join(lines)
