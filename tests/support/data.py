"""Test data built through the same functions the importers and staff use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.demo import add_demo_poll
from storage.engine import transaction
from storage.places import PlaceRecord, upsert_place
from tests.support.talk import Talk

ALWAYS_OPEN = {
    "weekly": [
        {"days": ["mo", "tu", "we", "th", "fr", "sa", "su"], "opens": "00:00", "closes": "00:00"}
    ],
    "open_on_public_holidays": True,
}
# Known hours, but closed for a long while (an exception covering years).
NEVER_OPEN: dict[str, object] = {
    "weekly": [{"days": ["mo"], "opens": "10:00", "closes": "11:00"}],
    "exceptions": [{"from": "2000-01-01", "to": "2100-01-01", "closed": True}],
}


def place(
    source_id: str,
    *,
    name: str,
    lat: float,
    lon: float,
    area: str = "centre",
    needs: tuple[str, ...] = ("company",),
    hours: dict[str, object] | None = None,
    demo: bool = False,
) -> PlaceRecord:
    return PlaceRecord(
        source="own",
        source_id=source_id,
        kind="meeting_place",
        name={"fi": name, "sv": f"{name} (sv)", "en": f"{name} (en)"},
        description={"fi": f"{name} on kohtaamispaikka.", "en": f"{name} is a meeting place."},
        area_code=area,
        needs=needs,
        street="Testikatu 1",
        postal_code="50100",
        city="Mikkeli",
        lat=lat,
        lon=lon,
        hours=dict(hours if hours is not None else ALWAYS_OPEN),
        web="https://example.org/place",
        demo=demo,
    )


def add_places(engine: Engine, *records: PlaceRecord) -> None:
    with transaction(engine) as connection:
        for record in records:
            upsert_place(connection=connection, record=record, now=datetime.now(UTC))


def add_poll(engine: Engine, *, closes_in: timedelta = timedelta(days=30)) -> int:
    now = datetime.now(UTC)
    with transaction(engine) as connection:
        poll_id = add_demo_poll(connection, now)
        from storage.domain_tables import poll_t

        connection.execute(
            sa.update(poll_t).where(poll_t.c.id == poll_id).values(closes_at=now + closes_in)
        )
    return poll_id


def leave_idea(
    talk: Talk, text: str, *, theme: str = "young", area: str = "centre", photo: str | None = None
) -> str:
    """Walk the idea flow as a consenting resident without contact details (with a stored
    photo if ``photo`` names one); return the reference."""
    import re

    talk.start()
    talk.press_id("consent.yes")
    talk.press_id("ideas")
    talk.press_id(f"theme.{theme}")
    talk.press_id(f"area.{area}")
    talk.send(text)
    if photo is not None:
        talk.share_image(photo)
    else:
        talk.press_id("idea.nophoto")
    talk.press_id("idea.contact.no")
    talk.press_id("idea.send")
    found = re.search(r"ID-\d{4}-\d{4}", "\n".join(talk.texts))
    assert found is not None, talk.texts
    return found.group()
