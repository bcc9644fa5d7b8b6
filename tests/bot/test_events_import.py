"""Events come in from Linked Events and MikkeliNYT: every language kept, times in UTC, the
location as given, whom it is for, free or a price; cancelled events marked, bad entries
skipped with a reason, a second import updating rather than duplicating, and a feed address
followed page by page (a fake feed on loopback)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from typer.testing import CliRunner

from bot.cli import cli
from bot.events_import import import_events
from bot.services import Services
from storage.event_tables import event_t
from tests.support.live_server import live_server

FIXTURES = Path(__file__).parent.parent / "fixtures" / "events"


def _audiences(services: Services) -> dict[str, str]:
    return services.settings.events_keyword_audiences


def _events(services: Services) -> dict[str, Any]:
    with services.database.connect() as connection:
        rows = connection.execute(sa.select(event_t)).mappings().all()
    return {row["source_id"]: row for row in rows}


def test_linked_events_are_kept_in_every_language_with_place_price_and_audience(
    services: Services,
) -> None:
    report = import_events(
        services.database, str(FIXTURES / "linked_events.json"), audiences=_audiences(services)
    )
    assert (report.created, report.updated) == (6, 0)
    assert report.problems == ["mikkeli:demo-rikki: start_time is missing"]
    events = _events(services)
    games = events["mikkeli:demo-nuortenilta"]
    assert games["title"]["sv"] == "Spelkväll för unga (demo)"
    assert games["description"]["en"] == "Board games and console games."
    assert games["starts_at"] == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    assert games["place_name"] == {
        "fi": "Nuorisotila Kompassi (demo)",
        "sv": "Ungdomslokalen Kompassi (demo)",
    }
    assert (games["lat"], games["lon"]) == (61.6886, 27.2723)  # GeoJSON's order turned round
    assert (games["street"], games["city"], games["postal_code"]) == (
        "Porrassalmenkatu 1 (demo)",
        "Mikkeli",
        "50100",
    )
    assert games["audience"] == "young"  # the YSO keyword for young people
    assert (games["is_free"], games["signup_required"], games["capacity"]) == (True, True, 12)
    assert games["signup_deadline"] == datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
    assert games["url"] == "https://www.mikkeli.fi/demo/pelailta"

    concert = events["mikkeli:demo-konsertti"]
    assert concert["description"] == {"fi": "Kuoro laulaa joululauluja.\nKesto noin tunti."}
    assert concert["url"] is None  # a javascript: address is never shown to anyone
    assert (concert["is_free"], concert["price"]["fi"]) == (False, "5–10 €")
    assert concert["place_name"] == {} and concert["lat"] is None  # referenced, not included

    crafts = events["mikkeli:demo-peruttu"]
    assert crafts["status"] == "cancelled"
    assert crafts["audience"] == "everyone"  # 7–12: children, not the young people's age

    cafe = events["mikkeli:demo-kahvila"]
    assert cafe["is_series"] and cafe["audience"] == "seniors"
    occurrences = [events[f"mikkeli:demo-kahvila-{n}"] for n in (1, 2)]
    assert all(o["series_id"] == cafe["id"] and not o["is_series"] for o in occurrences)
    # 17.00 in Mikkeli both weeks, either side of the change to summer time (28 March 2027).
    assert [o["starts_at"].hour for o in occurrences] == [15, 14]


def test_a_second_import_updates_and_never_duplicates(services: Services, tmp_path: Path) -> None:
    source = FIXTURES / "linked_events.json"
    import_events(services.database, str(source), audiences=_audiences(services))
    data = json.loads(source.read_text(encoding="utf-8"))
    data["data"][0]["name"]["fi"] = "Nuorten peli-ilta (demo)"
    data["data"][1]["event_status"] = "EventPostponed"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    report = import_events(services.database, str(changed), audiences=_audiences(services))
    assert (report.created, report.updated) == (0, 6)
    events = _events(services)
    assert len(events) == 6
    assert events["mikkeli:demo-nuortenilta"]["title"]["fi"] == "Nuorten peli-ilta (demo)"
    assert events["mikkeli:demo-konsertti"]["status"] == "postponed"


def test_mikkelinyt_times_are_mikkelis_and_categories_say_whom_it_is_for(
    services: Services,
) -> None:
    report = import_events(
        services.database, str(FIXTURES / "mikkelinyt.json"), audiences=_audiences(services)
    )
    assert (report.created, report.problems) == (2, ["demo-1003: it ends before it starts"])
    events = _events(services)
    band = events["demo-1001"]
    assert band["source"] == "mikkelinyt"
    assert band["starts_at"] == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)  # 17.00 in winter
    assert (band["audience"], band["is_free"], band["price"]) == ("young", True, {})
    assert (band["lat"], band["lon"]) == (61.6886, 27.2723)
    assert band["description"] == {"fi": "Tule soittamaan!"}
    theatre = events["demo-1002"]
    assert theatre["starts_at"] == datetime(2027, 3, 28, 15, 0, tzinfo=UTC)  # 18.00 in summer
    assert (theatre["is_free"], theatre["price"]) == (False, {"fi": "15 € / 10 €"})
    assert theatre["lat"] is None and theatre["audience"] == "everyone"


@pytest.fixture
def feed() -> Iterator[str]:
    """Linked Events over HTTP on loopback, two pages joined by ``meta.next``."""
    data = json.loads((FIXTURES / "linked_events.json").read_text(encoding="utf-8"))["data"]
    served: list[str] = []

    async def page(request: Request) -> JSONResponse:
        number = int(request.query_params.get("page", "1"))
        served.append(request.url.path)
        base = str(request.base_url).rstrip("/")
        following = f"{base}/v1/event/?page=2" if number == 1 else None
        part = data[:4] if number == 1 else data[4:]
        return JSONResponse({"meta": {"count": len(data), "next": following}, "data": part})

    app = Starlette(routes=[Route("/v1/event/", page)])
    with live_server(app) as url:  # type: ignore[arg-type]
        yield f"{url}/v1/event/?page=1"


def test_a_feed_address_is_followed_to_its_last_page(services: Services, feed: str) -> None:
    report = import_events(services.database, feed, audiences=_audiences(services))
    assert (report.created, len(report.problems)) == (6, 1)
    events = _events(services)
    cafe = events["mikkeli:demo-kahvila"]  # on page 2, its occurrences too
    assert events["mikkeli:demo-kahvila-1"]["series_id"] == cafe["id"]


def test_the_cli_imports_a_file_and_refuses_what_is_not_a_feed(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", services.settings.database_url)
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    runner = CliRunner()
    done = runner.invoke(cli, ["events", "import", str(FIXTURES / "mikkelinyt.json")])
    assert done.exit_code == 0, done.output
    assert "2 events added, 0 updated" in done.output
    assert "skipped: demo-1003: it ends before it starts" in done.output
    other = tmp_path / "places.json"
    other.write_text(json.dumps({"places": []}), encoding="utf-8")
    refused = runner.invoke(cli, ["events", "import", str(other)])
    assert refused.exit_code == 2
    assert "neither Linked Events nor MikkeliNYT" in refused.output


def test_the_hourly_sync_runs_once_an_hour_for_all_instances_and_logs_no_key(
    services: Services, feed: str, caplog: pytest.LogCaptureFixture
) -> None:
    from datetime import timedelta

    from bot.events_import import sync_events

    now = datetime.now(UTC)
    first = sync_events(services.database, feed, audiences=_audiences(services), now=now)
    assert first is not None and first.created == 6
    # Another instance a minute later: the hour is taken.
    later = now + timedelta(minutes=1)
    assert sync_events(services.database, feed, audiences=_audiences(services), now=later) is None
    hour = now + timedelta(hours=1)
    again = sync_events(services.database, feed, audiences=_audiences(services), now=hour)
    assert again is not None and (again.created, again.updated) == (0, 6)
    # A feed that fails is logged without its query (MikkeliNYT's carries the city's key).
    broken = feed.replace("/v1/event/", "/nowhere/") + "&apiKey=SECRET-KEY"
    two_hours = now + timedelta(hours=2)
    assert (
        sync_events(services.database, broken, audiences=_audiences(services), now=two_hours)
        is None
    )
    assert "answered 404" in caplog.text and "SECRET-KEY" not in caplog.text
