"""The files open in a real office program: headless LibreOffice converts every sheet of an
ideas export and of a weekly summary to CSV without error, and shows what a reader sees
(Helsinki times in the Finnish way, a phone number as typed, the week in words)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from bot.reports.exports import ExportFormat, ExportKind, ExportRequest, stream_export
from bot.reports.summary_files import write_summary
from bot.reports.weekly import build_summary
from bot.reports.weeks import IsoWeek
from bot.services import Services
from locales import Translators
from storage.domain_tables import idea_t
from tests.support.data import leave_idea
from tests.support.databases import unavailable
from tests.support.talk import Talk

FI = Translators()["fi"]
# Semicolons, double quotes, UTF-8, from the first line, cells as shown, every sheet a file.
EVERY_SHEET_AS_SHOWN = (
    "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1"
)


def converted(workbook: Path) -> dict[str, str]:
    """Each sheet of ``workbook`` as LibreOffice writes it to CSV, by sheet name."""
    office = shutil.which("soffice")
    if office is None:
        unavailable("office", "LibreOffice is not installed (apt-get install libreoffice-calc)")
        raise AssertionError  # unreachable: unavailable() skips or fails
    out = workbook.parent / "converted"
    done = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{workbook.parent / 'profile'}",
            "--headless",
            "--convert-to",
            EVERY_SHEET_AS_SHOWN,
            "--outdir",
            str(out),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return {
        path.stem.removeprefix(workbook.stem + "-"): path.read_text(encoding="utf-8")
        for path in out.glob("*.csv")
    }


def test_libreoffice_reads_an_ideas_export_and_a_weekly_summary(
    services: Services, tmp_path: Path
) -> None:
    leave_idea(Talk(services.engine), "Penkkejä rantaan, kiitos!")
    with services.database.begin() as connection:
        connection.execute(
            sa.update(idea_t).values(
                created_at=datetime(2026, 11, 18, 20, 50, tzinfo=UTC),
                contact_value="+358 40 123 4567",
            )
        )
    request = ExportRequest(ExportKind.IDEAS, ExportFormat.XLSX, with_contacts=True)
    ideas = tmp_path / "ideat.xlsx"
    ideas.write_bytes(
        b"".join(
            stream_export(database=services.database, request=request, translator=FI, delimiter=";")
        )
    )
    with services.database.connect() as connection:
        summary = build_summary(
            connection=connection,
            week=IsoWeek(2026, 47),
            timezone=FI.timezone,
            translator=FI,
            now=datetime(2027, 1, 1, tzinfo=UTC),
        )
    weekly = tmp_path / "kooste.xlsx"
    weekly.write_bytes(write_summary(summary, "xlsx"))

    sheets = converted(ideas)
    assert set(sheets) == {"Ideat", "Tietoa tiedostosta"}
    assert "18.11.2026 22.50" in sheets["Ideat"]  # a date-time cell, shown the Finnish way
    assert ";+358 40 123 4567\n" in sheets["Ideat"] and "'+358" not in sheets["Ideat"]
    pages = converted(weekly)
    assert "Viikko 47" in pages and "Ideat" in pages
    assert "Viikkoyhteenveto: viikko 47, 16.–22.11.2026" in pages["Viikko 47"]
