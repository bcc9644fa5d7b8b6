"""Demo events for ``make run``: made up, marked as demo, at the demo places, in the coming
days from when they are loaded, so that "What's on" has something this week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.domain_tables import place_t
from storage.event_series import expand_series
from storage.event_tables import Audience, EventSource
from storage.events import EventRecord, upsert_event


@dataclass(frozen=True)
class DemoEvent:
    source_id: str
    title: dict[str, str]
    description: dict[str, str]
    place: str  # a demo place's source id
    days_ahead: int
    starts: time
    hours: int
    audience: Audience = Audience.EVERYONE
    capacity: int | None = None  # with a capacity, residents sign up
    weekly: bool = False


DEMO_EVENTS = (
    DemoEvent(
        "demo-peli-ilta",
        {
            "fi": "Peli-ilta nuorille (demo)",
            "sv": "Spelkväll för unga (demo)",
            "en": "Games evening for young people (demo)",
        },
        {
            "fi": "Lautapelejä ja konsolipelejä. Ohjaaja on paikalla.",
            "sv": "Brädspel och konsolspel. En ledare är på plats.",
            "en": "Board games and console games. A youth worker is there.",
        },
        "demo-nuorisotila-otava",
        2,
        time(17),
        2,
        Audience.YOUNG,
        capacity=3,
    ),
    DemoEvent(
        "demo-tiistaikahvila",
        {"fi": "Tiistaikahvila (demo)", "sv": "Tisdagskafé (demo)", "en": "Tuesday café (demo)"},
        {
            "fi": "Kahvia ja juttelua. Tule sellaisena kuin olet.",
            "sv": "Kaffe och prat. Kom som du är.",
            "en": "Coffee and a chat. Come as you are.",
        },
        "demo-setlementti-sentraali",
        0,
        time(13),
        2,
        Audience.SENIORS,
        weekly=True,
    ),
    DemoEvent(
        "demo-perhepaja",
        {
            "fi": "Askartelupaja perheille (demo)",
            "sv": "Pysselverkstad för familjer (demo)",
            "en": "Crafts workshop for families (demo)",
        },
        {
            "fi": "Teemme yhdessä koristeita. Materiaalit ovat valmiina.",
            "sv": "Vi gör pynt tillsammans. Materialet finns på plats.",
            "en": "We make decorations together. Materials are ready.",
        },
        "demo-paakirjasto",
        4,
        time(11),
        2,
        Audience.FAMILIES,
        capacity=12,
    ),
    DemoEvent(
        "demo-suunnittelupaja",
        {
            "fi": "Suunnittelupaja: millainen nuorisotila? (demo)",
            "sv": "Verkstad: hurdan ungdomslokal? (demo)",
            "en": "Design workshop: what kind of youth room? (demo)",
        },
        {
            "fi": "Kerro, mitä nuorisotilassa pitäisi olla. Tarjolla välipalaa.",
            "sv": "Berätta vad ungdomslokalen borde ha. Mellanmål bjuds.",
            "en": "Tell us what the youth room should have. Snacks served.",
        },
        "demo-nuorisotalo-rantakyla",
        5,
        time(16, 30),
        2,
        Audience.YOUNG,
        capacity=15,
    ),
)


def add_demo_events(connection: Connection, *, now: datetime, zone: ZoneInfo) -> str:
    places = {
        row.source_id: row.id
        for row in connection.execute(sa.select(place_t.c.source_id, place_t.c.id))
    }
    today = now.astimezone(zone).date()
    for demo in DEMO_EVENTS:
        start = datetime.combine(today + timedelta(days=demo.days_ahead), demo.starts, zone)
        if demo.weekly:  # the series' next Tuesday, today if it is one
            start += timedelta(days=(1 - start.weekday()) % 7)
        upsert_event(
            connection=connection,
            record=EventRecord(
                source=EventSource.OWN,
                source_id=demo.source_id,
                title=demo.title,
                description=demo.description,
                starts_at=start,
                ends_at=start + timedelta(hours=demo.hours),
                place_id=places.get(demo.place),
                audience=demo.audience,
                is_free=True,
                signup_required=demo.capacity is not None,
                capacity=demo.capacity,
                organiser="Yhdessä osallistuen (demo)",
                is_series=demo.weekly,
                recurrence="FREQ=WEEKLY" if demo.weekly else None,
                demo=True,
            ),
            now=now,
        )
    expand_series(connection=connection, now=now, zone=zone)
    return f"events: {len(DEMO_EVENTS)} demo events added"
