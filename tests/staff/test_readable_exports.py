"""Exports read by people: their language, words for codes, local times, short pseudonyms, and
workbooks with real date-times, a frozen and filtered header and a sheet that says what they hold.
The machine form keeps today's columns for scripts."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.reports.exports import ExportFormat, ExportKind, ExportRequest, stream_export
from bot.reports.labels import ROLE_NAMES
from bot.services import Services
from locales import Translators
from storage.contacts import ContactDraft, create_contact_request
from storage.domain_tables import contact_t, idea_t
from storage.staff_tables import Role
from storage.tables import participant_t
from tests.staff.conftest import csrf_of
from tests.support.data import leave_idea
from tests.support.talk import Talk

TRANSLATORS = Translators()
RECEIVED = datetime(2026, 12, 1, 20, 50, 7, tzinfo=UTC)  # 22.50 in Helsinki


def export(
    services: Services,
    kind: ExportKind,
    file_format: ExportFormat,
    *,
    language: str = "fi",
    machine: bool = False,
) -> bytes:
    request = ExportRequest(kind, file_format, with_contacts=True, machine=machine)
    return b"".join(
        stream_export(
            database=services.database,
            request=request,
            translator=TRANSLATORS[language],
            delimiter=";",
            made_by=ROLE_NAMES[Role.MODERATOR],
        )
    )


def records(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def one_idea(services: Services) -> None:
    leave_idea(Talk(services.engine), "Penkkejä rantaan, kiitos!", theme="young", area="centre")
    with services.database.begin() as connection:
        connection.execute(
            sa.update(idea_t).values(created_at=RECEIVED, contact_value="+358 40 123 4567")
        )


def test_an_ideas_csv_reads_in_finnish_with_local_times(any_services: Services) -> None:
    one_idea(any_services)
    (idea,) = records(export(any_services, ExportKind.IDEAS, ExportFormat.CSV))
    assert idea["Saapunut"] == "1.12.2026 22.50"  # Helsinki time, as a Finn writes it
    assert idea["Kanava"] == "Verkkochat"
    assert idea["Kieli"] == "suomi"
    assert idea["Aihe"] == "Nuoret" and idea["Alue"] == "Keskusta"
    assert idea["Tila"] == "Uusi" and idea["Kuva"] == "Ei"
    assert idea["Idea"] == "Penkkejä rantaan, kiitos!"
    assert idea["Yhteystieto"] == "'+358 40 123 4567"  # OWASP's rule holds in CSV
    assert len(idea["Henkilö (salanimi)"]) == 8


def test_the_machine_form_keeps_todays_columns(any_services: Services) -> None:
    one_idea(any_services)
    data = export(any_services, ExportKind.IDEAS, ExportFormat.CSV, machine=True)
    (idea,) = records(data)
    assert idea["received_at"] == "2026-12-01T20:50:07Z"
    assert (idea["channel"], idea["theme"], idea["area"], idea["status"]) == (
        "webchat",
        "young",
        "centre",
        "new",
    )
    assert idea["has_photo"] == "0" and len(idea["pseudonym"]) == 64


@pytest.mark.parametrize(
    ("language", "received", "channel", "status"),
    [
        ("sv", "1.12.2026 22.50", "Webbchatt", "Ny"),
        ("en", "01/12/2026, 22:50", "Web chat", "New"),
    ],
)
def test_headers_and_words_follow_the_staff_language(
    services: Services, language: str, received: str, channel: str, status: str
) -> None:
    one_idea(services)
    data = export(services, ExportKind.IDEAS, ExportFormat.CSV, language=language)
    (idea,) = records(data)
    headers = {"sv": ("Mottagen", "Kanal", "Status"), "en": ("Received", "Channel", "Status")}
    at, via, state = headers[language]
    assert (idea[at], idea[via], idea[state]) == (received, channel, status)


def test_an_ideas_workbook_is_ready_to_filter(any_services: Services) -> None:
    one_idea(any_services)
    data = export(any_services, ExportKind.IDEAS, ExportFormat.XLSX)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Ideat", "Tietoa tiedostosta"]
    sheet = workbook["Ideat"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Viitenumero", "Saapunut", "Kanava"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}2"
    assert sheet.column_dimensions["H"].width > 40  # the idea's text has room
    received = sheet.cell(2, header.index("Saapunut") + 1)
    assert received.is_date and received.value == datetime(2026, 12, 1, 22, 50, 7)
    assert received.number_format == "d.m.yyyy h.mm"
    phone = sheet.cell(2, header.index("Yhteystieto") + 1)
    assert phone.value == "+358 40 123 4567" and phone.data_type == "s"  # as typed, a text
    about = {row[0]: row[1] for row in workbook["Tietoa tiedostosta"].iter_rows(values_only=True)}
    assert about["Mitä tiedosto sisältää"] == "Ideat"
    assert about["Rivejä"] == "1" and about["Tekijän rooli"] == "Moderaattori"
    assert about["Päivät"] == "Kaikki tallennettu"


def test_a_short_pseudonym_is_lengthened_where_two_would_meet(any_services: Services) -> None:
    for _ in range(3):
        leave_idea(Talk(any_services.engine), "Lisää valoa puistoon iltaisin.")
    shared = "ab12cd34"
    with any_services.database.begin() as connection:
        ids = list(
            connection.execute(sa.select(participant_t.c.id).order_by(participant_t.c.id)).scalars()
        )
        for participant_id, pseudonym in zip(
            ids, (shared + "0" * 56, shared + "1" * 56, "ffee" * 16), strict=True
        ):
            connection.execute(
                sa.update(participant_t)
                .where(participant_t.c.id == participant_id)
                .values(pseudonym=pseudonym)
            )
        create_contact_request(
            connection=connection,
            participant_id=ids[0],
            channel="webchat",
            draft=ContactDraft("Maija", "phone", "040 123", None, None),
            now=RECEIVED,
        )
    ideas = records(export(any_services, ExportKind.IDEAS, ExportFormat.CSV))
    shown = [idea["Henkilö (salanimi)"] for idea in ideas]
    assert shown == [shared + "0000", shared + "1111", "ffeeffee"]
    (contact,) = records(export(any_services, ExportKind.CONTACTS, ExportFormat.CSV))
    assert contact["Henkilö (salanimi)"] == shown[0]  # ideas and contacts still join
    assert contact["Yhteystapa"] == "Puhelin" and contact["Tila"] == "Avoin"
    with any_services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(contact_t)).scalar() == 1


def test_the_web_export_offers_the_machine_columns(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    one_idea(services)
    client = signed_in(Role.MODERATOR)
    page = client.get("/staff/exports").text
    assert 'name="columns"' in page
    for columns, first in (("people", "Viitenumero"), ("machine", "reference")):
        response = client.post(
            "/staff/exports",
            data={"csrf": csrf_of(client), "kind": "ideas", "format": "csv", "columns": columns},
        )
        assert response.status_code == 200
        assert response.content.decode("utf-8-sig").split(";")[0] == first
