"""Importing the national service catalogue's (PTV v11) ServiceLocation channels."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import ptv
from bot.places_import import import_places
from bot.services import Services
from dialogs.domain.geo import distance_m
from dialogs.domain.hours import HELSINKI, parse_hours
from storage.domain_tables import place_t

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ptv"
ONE = FIXTURES / "servicechannel_servicelocation.json"
PAGE = FIXTURES / "servicechannel_list_page.json"


def test_epsg_3067_northing_and_easting_become_wgs84() -> None:
    # Mikkeli's centre: N 6 839 565, E 514 392 ≈ 61.689 N, 27.272 E.
    lat, lon = ptv.etrs_tm35fin_to_wgs84(6_839_565, 514_392)
    assert distance_m(lat, lon, 61.689, 27.272) < 100


def test_a_service_location_becomes_a_place() -> None:
    records, skipped = ptv.records(json.loads(ONE.read_text(encoding="utf-8")), needs=("hangout",))
    assert skipped == []
    (record,) = records
    assert record.source == "ptv" and record.source_id == "0c0c5f04-28e0-4bb6-bae2-a1c67530a4e0"
    assert record.name["fi"] == "Mikkelin pääkirjasto"
    assert record.name["sv"].startswith("S:t Michels")
    assert "se" in record.name  # other languages are kept; rendering falls back sensibly
    assert record.lat is not None and record.lon is not None
    assert distance_m(record.lat, record.lon, 61.68672, 27.27313) < 300
    assert record.area_code == "centre"
    assert record.postal_code == "50100"
    hours = parse_hours(record.hours)
    monday = datetime(2026, 11, 30, 12, 0, tzinfo=HELSINKI)
    assert hours.status(monday).open_now
    assert not hours.status(datetime(2026, 12, 24, 12, 0, tzinfo=HELSINKI)).open_now
    new_years_eve = hours.spans_on(datetime(2026, 12, 31).date())
    assert len(new_years_eve) == 1


def test_a_list_page_skips_other_channel_types(services: Services) -> None:
    report = import_places(services.database, PAGE)
    assert report.created == 2
    assert len(report.problems) == 1 and "not a published ServiceLocation" in report.problems[0]
    again = import_places(services.database, PAGE)
    assert (again.created, again.updated) == (0, 2)
    with services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(place_t)).scalar_one() == 2


@pytest.mark.parametrize("missing", ["addresses", "serviceHours", "phoneNumbers", "webPages"])
def test_missing_parts_do_not_stop_an_import(missing: str) -> None:
    data = json.loads(ONE.read_text(encoding="utf-8"))
    del data[missing]
    records, _ = ptv.records(data, needs=())
    assert len(records) == 1
