"""Demo data for ``make run``: public facts about public places in Mikkeli (marked as demo),
one open youth poll and two weeks of made-up traffic, loaded into an empty database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Connection, Engine

from bot.demo_events import add_demo_events
from bot.demo_traffic import add_demo_traffic
from bot.places_import import import_places
from storage.domain_tables import idea_t, place_t, poll_t
from storage.engine import transaction
from storage.event_tables import event_t
from storage.poll_admin import PollDraft, QuestionDraft, create_poll

DEMO_PLACES = Path(__file__).resolve().parent.parent / "data" / "demo" / "places.yaml"

DEMO_POLL = DEMO_PLACES.parent / "poll.yaml"


def demo_poll_questions() -> tuple[dict[str, str], tuple[QuestionDraft, ...]]:
    """The demo poll's title and questions, from its file (a text per language)."""
    written = yaml.safe_load(DEMO_POLL.read_text(encoding="utf-8"))
    return written["title"], tuple(
        QuestionDraft(
            text=question["text"],
            options=tuple(question["options"]),
            max_choices=question["max_choices"],
        )
        for question in written["questions"]
    )


def _empty(connection: Connection, table: sa.Table) -> bool:
    return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one() == 0


def add_demo_poll(connection: Connection, now: datetime) -> int:
    title, questions = demo_poll_questions()
    draft = PollDraft(
        title=title,
        opens_at=now - timedelta(days=15),  # open through the demo traffic's two weeks
        closes_at=now + timedelta(days=60),
        questions=questions,
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
