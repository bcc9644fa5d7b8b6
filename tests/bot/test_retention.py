"""The retention purge removes what is past its time, and a second run changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.retention import run_purge
from bot.services import Services
from storage.domain_tables import contact_t, idea_t
from storage.tables import conversation_t, inbox_t
from tests.dialogs.test_ideas_flow import _leave, consented


def test_old_data_goes_and_a_second_run_changes_nothing(any_services: Services) -> None:
    talk = consented(any_services)
    _leave(talk, "Vanha idea, jossa on yhteystiedot.")
    old = datetime.now(UTC) - timedelta(days=400)
    with any_services.database.begin() as connection:
        connection.execute(
            sa.update(idea_t).values(contact_name="Pekka", contact_method="chat", created_at=old)
        )
        connection.execute(sa.update(conversation_t).values(updated_at=old))
        connection.execute(
            sa.update(inbox_t)
            .where(inbox_t.c.id == sa.select(sa.func.min(inbox_t.c.id)).scalar_subquery())
            .values(received_at=datetime.now(UTC) - timedelta(days=8))
        )
    first = run_purge(any_services.database, any_services.settings)
    assert first["conversations"] == 1
    assert first["idea_contacts"] == 1
    assert first["payloads"] == 1
    with any_services.database.connect() as connection:
        idea = connection.execute(sa.select(idea_t)).one()
    assert idea.contact_name is None and idea.text.startswith("Vanha idea")  # the idea itself stays
    second = run_purge(any_services.database, any_services.settings)
    assert second == dict.fromkeys(second, 0)


def test_handled_contact_requests_go_after_90_days_open_ones_stay(any_services: Services) -> None:
    now = datetime.now(UTC)
    talk = consented(any_services)
    with any_services.database.connect() as connection:
        participant_id = connection.execute(sa.text("SELECT id FROM participant")).scalar_one()
    assert talk.user_id
    with any_services.database.begin() as connection:
        for reference, status, handled in (
            ("YP-1", "closed", now - timedelta(days=91)),
            ("YP-2", "closed", now - timedelta(days=10)),
            ("YP-3", "open", None),
        ):
            connection.execute(
                sa.insert(contact_t).values(
                    reference=reference,
                    participant_id=participant_id,
                    channel="webchat",
                    name="N",
                    method="chat",
                    consent_at=now - timedelta(days=200),
                    status=status,
                    created_at=now - timedelta(days=200),
                    handled_at=handled,
                )
            )
    assert run_purge(any_services.database, any_services.settings)["contact_requests"] == 1
    with any_services.database.connect() as connection:
        left = sorted(connection.execute(sa.select(contact_t.c.reference)).scalars())
    assert left == ["YP-2", "YP-3"]
