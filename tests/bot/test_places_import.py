"""``osallistu places import``: our format and PTV's, idempotent by source id."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import cli
from bot.demo import DEMO_PLACES
from bot.places_import import PlacesFileError, import_places
from bot.services import Services
from storage.domain_tables import place_need_t, place_t

OWN = """
places:
  - source_id: test-house
    kind: meeting_place
    name: {fi: "Testitalo", sv: "Testhuset", en: "Test House"}
    needs: [company, talk]
    area: centre
    address: {street: "Testikatu 2", postal_code: "50100", city: "Mikkeli"}
    location: {lat: 61.69, lon: 27.27}
    hours:
      weekly:
        - {days: [mo, tu, we], opens: "10:00", closes: "16:00"}
  - source_id: broken-hours
    name: {fi: "Rikki"}
    hours: {weekly: [{days: [xx], opens: "10:00", closes: "12:00"}]}
  - name: {fi: "Ei tunnistetta"}
"""


def _places(services: Services) -> list[sa.Row]:  # type: ignore[type-arg]
    with services.database.connect() as connection:
        return list(connection.execute(sa.select(place_t).order_by(place_t.c.id)))


def test_our_format_is_imported_and_bad_entries_are_skipped_with_reasons(
    services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(OWN, encoding="utf-8")
    report = import_places(services.database, path)
    assert (report.created, report.updated) == (1, 0)
    assert len(report.problems) == 2
    assert any("broken-hours" in p and "unknown day" in p for p in report.problems)
    assert any("source_id is missing" in p for p in report.problems)
    (row,) = _places(services)
    assert row.name == {"fi": "Testitalo", "sv": "Testhuset", "en": "Test House"}
    with services.database.connect() as connection:
        needs = set(connection.execute(sa.select(place_need_t.c.need)).scalars())
    assert needs == {"company", "talk"}


def test_a_reimport_updates_and_never_duplicates(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(OWN, encoding="utf-8")
    import_places(services.database, path)
    path.write_text(
        OWN.replace("Testitalo", "Uusi testitalo").replace("[company, talk]", "[hangout]"),
        encoding="utf-8",
    )
    report = import_places(services.database, path)
    assert (report.created, report.updated) == (0, 1)
    (row,) = _places(services)
    assert row.name["fi"] == "Uusi testitalo"
    with services.database.connect() as connection:
        assert set(connection.execute(sa.select(place_need_t.c.need)).scalars()) == {"hangout"}


def test_the_demo_places_are_public_places_marked_as_demo(services: Services) -> None:
    report = import_places(services.database, DEMO_PLACES)
    assert report.problems == []
    rows = _places(services)
    assert len(rows) >= 12
    assert all(row.demo for row in rows)
    assert {row.kind for row in rows} == {"meeting_place", "service"}
    assert len({row.area_code for row in rows}) >= 4
    assert all(61.0 < row.lat < 62.2 and 26.5 < row.lon < 28.5 for row in rows)


def test_a_file_that_is_not_places_is_refused_plainly(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(PlacesFileError, match="neither a 'places' list nor PTV"):
        import_places(services.database, path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(PlacesFileError, match="not valid JSON"):
        import_places(services.database, path)


def test_the_cli_imports_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSALLISTU_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    path = tmp_path / "places.yaml"
    path.write_text(OWN, encoding="utf-8")
    result = runner.invoke(cli, ["places", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 places added, 0 updated" in result.output
    assert "skipped: broken-hours" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    refused = runner.invoke(cli, ["places", "import", str(bad)])
    assert refused.exit_code == 2
    assert "cannot import" in refused.output


def test_a_web_address_that_is_not_http_is_refused(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(
        OWN.replace(
            "    hours:\n      weekly:",
            '    web: "javascript:alert(1)"\n    hours:\n      weekly:',
            1,
        ),
        encoding="utf-8",
    )
    report = import_places(services.database, path)
    assert report.created == 0
    assert any("web must be an http(s) address" in p for p in report.problems)
