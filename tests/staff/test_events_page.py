"""Events in the staff area: moderators create a weekly series and edit and cancel events
(residents signed up are told in their chats); raising the places promotes the waiting
list; names and phones shared with the organiser are the outreach role's only, on the page
and in the export; who came is marked after the start; "How was it?" under the small-group
rule; an imported event can be cancelled but not rewritten."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.services import Services
from dialogs.events import Channel
from dialogs.replies import Reply
from storage import event_feedback, event_signups
from storage.engine import transaction
from storage.event_signup_tables import Face
from storage.event_tables import EventSource, EventStatus, event_t
from storage.events import EventRecord, upsert_event
from storage.staff_tables import Role
from storage.tables import outbox_t, participant_t
from tests.staff.conftest import csrf_of
from tests.support.talk import Talk

HELSINKI = ZoneInfo("Europe/Helsinki")
NEXT_WEEK = (
    (datetime.now(UTC) + timedelta(days=7))
    .astimezone(HELSINKI)
    .replace(hour=17, minute=0, second=0, microsecond=0)
)


def _form(client: TestClient, **fields: str) -> dict[str, str]:
    return {"csrf": csrf_of(client, "/staff/events"), **fields}


def _event_id(services: Services, **where: object) -> int:
    with services.database.connect() as connection:
        statement = sa.select(event_t.c.id).order_by(event_t.c.id)
        for name, value in where.items():
            statement = statement.where(event_t.c[name] == value)
        return int(connection.execute(statement).scalars().first())


def _resident_signed_up(services: Services, event_id: int, **shared: str) -> Talk:
    talk = Talk(services.engine, channel=Channel.TELEGRAM)
    talk.start()
    talk.press_id("consent.yes")
    with transaction(services.database) as connection:
        person = connection.execute(
            sa.select(participant_t.c.id).where(participant_t.c.channel_user_id == talk.user_id)
        ).scalar_one()
        event_signups.sign_up(
            connection=connection,
            event_id=event_id,
            participant_id=person,
            now=datetime.now(UTC),
            shared_name=shared.get("name"),
            shared_phone=shared.get("phone"),
        )
    return talk


def _told(services: Services, talk: Talk) -> list[str]:
    with services.database.connect() as connection:
        payloads = connection.execute(
            sa.select(outbox_t.c.payload)
            .where(outbox_t.c.recipient == talk.user_id, outbox_t.c.inbox_id.is_(None))
            .order_by(outbox_t.c.id)
        ).scalars()
        return [Reply.from_json(p).text for p in payloads]


def test_a_moderator_creates_a_weekly_series_that_residents_find(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.MODERATOR)
    assert client.get("/staff/events").status_code == 200
    refused = client.post(
        "/staff/events", data=_form(client, title_fi="", starts="tomorrow", capacity="-3")
    )
    assert refused.status_code == 422
    assert "Kirjoita tapahtuman nimi suomeksi." in refused.text
    assert "Anna alkamisaika." in refused.text
    created = client.post(
        "/staff/events",
        data=_form(
            client,
            title_fi="Tiistaikahvila (demo)",
            title_sv="Tisdagskafé (demo)",
            starts=NEXT_WEEK.strftime("%Y-%m-%dT%H:%M"),
            ends=(NEXT_WEEK + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            place_name_fi="Kohtaamispaikka Mikkelissä",
            audience="seniors",
            free="on",
            signup="on",
            capacity="12",
            weekly="on",
        ),
    )
    assert created.status_code == 303
    page = client.get(created.headers["location"])
    assert "Tiistaikahvila (demo)" in page.text and "joka viikko" in page.text
    with services.database.connect() as connection:
        evenings = (
            connection.execute(
                sa.select(event_t.c.starts_at).where(event_t.c.series_id.is_not(None))
            )
            .scalars()
            .all()
        )
    assert len(evenings) >= 7  # eight weeks ahead
    assert {e.astimezone(HELSINKI).hour for e in evenings} == {17}


def test_cancelling_tells_everyone_signed_up_and_more_places_promote_the_queue(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    with transaction(services.database) as connection:
        upsert_event(
            connection=connection,
            record=EventRecord(
                source=EventSource.OWN,
                source_id="staff-games",
                title={"fi": "Peli-ilta (demo)"},
                starts_at=NEXT_WEEK,
                signup_required=True,
                capacity=1,
            ),
            now=datetime.now(UTC),
        )
    event_id = _event_id(services, source_id="staff-games")
    first = _resident_signed_up(services, event_id, name="Aino", phone="040 111 2222")
    second = _resident_signed_up(services, event_id)
    moderator = signed_in(Role.MODERATOR)
    page = moderator.get(f"/staff/events/{event_id}")
    assert "Aino" not in page.text and "040 111 2222" not in page.text
    export = moderator.get(f"/staff/events/{event_id}/signups.csv")
    assert "Aino" not in export.text
    edit = moderator.get(f"/staff/events/{event_id}/edit")
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', edit.text))
    fields = {k: v for k, v in fields.items() if k != "csrf"}
    saved = moderator.post(
        f"/staff/events/{event_id}/edit",
        data=_form(moderator, **{**fields, "signup": "on", "capacity": "2"}),
    )
    assert saved.status_code == 303
    assert _told(services, second)[0].startswith("Hyviä uutisia: sinulle vapautui paikka.")
    cancelled = moderator.post(f"/staff/events/{event_id}/cancel", data=_form(moderator))
    assert cancelled.status_code == 303
    for talk in (first, second):
        assert _told(services, talk)[-1].startswith("Valitettavasti Peli-ilta (demo),")
    with services.database.connect() as connection:
        status = connection.execute(
            sa.select(event_t.c.status).where(event_t.c.id == event_id)
        ).scalar_one()
    assert status == EventStatus.CANCELLED


def test_names_and_phones_only_for_outreach_and_attendance_and_faces(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    with transaction(services.database) as connection:
        upsert_event(
            connection=connection,
            record=EventRecord(
                source=EventSource.LINKED_EVENTS,
                source_id="helsinki:demo",
                title={"fi": "Tuotu työpaja (demo)"},
                starts_at=yesterday,
                signup_required=True,
            ),
            now=datetime.now(UTC),
        )
    event_id = _event_id(services, source_id="helsinki:demo")
    talks = [_resident_signed_up(services, event_id, name=f"Nimi {n}") for n in range(6)]
    with transaction(services.database) as connection:
        for n, _talk in enumerate(talks):
            event_feedback.answer(
                connection=connection,
                event_id=event_id,
                voter=f"voter-{n}",
                face=Face.GREAT if n < 5 else Face.BAD,
                day=yesterday.date(),
            )
    outreach = signed_in(Role.OUTREACH)
    page = outreach.get(f"/staff/events/{event_id}")
    assert "Nimi 0" in page.text
    assert "Nimi 5" in outreach.get(f"/staff/events/{event_id}/signups.csv").text
    assert outreach.get(f"/staff/events/{event_id}/edit").status_code == 403
    moderator = signed_in(Role.MODERATOR)
    page = moderator.get(f"/staff/events/{event_id}")
    # One said "bad": hidden, and so is "great", which the total would give away.
    assert "🙁 Huono: piilotettu" in page.text and "😀 Tosi hyvä: piilotettu" in page.text
    assert "🙂 Hyvä: 0" in page.text
    assert moderator.get(f"/staff/events/{event_id}/edit").status_code == 409
    signup_ids = re.findall(r'name="came_(\d+)"', page.text)
    assert len(signup_ids) == 6
    moderator.post(
        f"/staff/events/{event_id}/attendance",
        data=_form(moderator, **{f"came_{i}": "on" for i in signup_ids[:4]}),
    )
    export = moderator.get(f"/staff/events/{event_id}/signups.csv")
    assert export.text.count(";kyllä;") == 4 and export.text.count(";ei;") == 2
    viewer = signed_in(Role.VIEWER)
    assert viewer.get("/staff/events").status_code == 403
