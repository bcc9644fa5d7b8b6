"""``make run``'s demo: two weeks of made-up traffic, so Monday's summary and the exports have
something to show; every text marked as demo, nobody reachable, loaded once."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from bot.demo import load_demo_data
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from bot.services import Services
from storage.domain_tables import contact_t, idea_t, response_t
from storage.tables import participant_t

NOW = datetime(2026, 12, 2, 10, tzinfo=UTC)  # a Wednesday
HELSINKI = ZoneInfo("Europe/Helsinki")


def test_two_weeks_of_made_up_traffic_fill_last_weeks_summary(any_services: Services) -> None:
    loaded = load_demo_data(
        any_services.database, only_if_empty=True, now=NOW, traffic_key=b"k" * 32
    )
    assert "made-up people" in loaded
    with any_services.database.connect() as connection:
        texts = list(connection.execute(sa.select(idea_t.c.text)).scalars())
        assert len(texts) > 20 and all("(demo)" in text for text in texts)
        assert not connection.execute(
            sa.select(sa.func.count()).select_from(participant_t).where(participant_t.c.reachable)
        ).scalar()
        assert connection.execute(sa.select(sa.func.count()).select_from(response_t)).scalar()
        assert connection.execute(sa.select(sa.func.count()).select_from(contact_t)).scalar()
        summary = build_summary(
            connection=connection,
            week=IsoWeek.last_complete(NOW, HELSINKI),
            timezone=HELSINKI,
            translator=any_services.translators["fi"],
            now=NOW,
        )
    compared = summary.sections[1].tables[0]  # ideas beside the week before
    all_ideas = compared.rows[0]
    assert all(isinstance(value, int) and value >= 5 for value in all_ideas[1:])
    again = load_demo_data(
        any_services.database, only_if_empty=True, now=NOW, traffic_key=b"k" * 32
    )
    assert "none added" in again
    with any_services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(idea_t)).scalar() == len(
            texts
        )
