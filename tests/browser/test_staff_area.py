"""The staff area in Chromium: a newcomer signs in, answers a resident's idea (and the answer
shows up in the resident's web chat), creates and closes a poll, downloads an export and last
week's summary; axe-core checks every staff page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.demo import load_demo_data
from bot.reports.summary_job import make_week
from bot.reports.weeks import IsoWeek
from bot.services import Services
from bot.staff.auth import hash_password
from storage import staff
from storage.engine import transaction
from storage.staff_tables import Role
from tests.browser.conftest import serious_violations
from tests.support.data import leave_idea
from tests.support.talk import Talk

pytestmark = pytest.mark.browser
PASSWORD = "kesä-on-paras-vuodenaika"


@pytest.fixture
def staffed(services: Services) -> Services:
    load_demo_data(services.database, only_if_empty=True)
    with transaction(services.database) as connection:
        for role in (Role.ADMIN, Role.MODERATOR, Role.OUTREACH):
            staff.add_account(
                connection=connection,
                email=f"{role.value}@mikkeli.example",
                role=role,
                password_hash=hash_password(PASSWORD),
                now=datetime.now(UTC),
            )
    return services


@pytest.fixture
def busy(staffed: Services) -> Services:
    """Two weeks of made-up traffic (the front page's charts) and last week's summary made,
    with the week so far (the exports page's list)."""
    load_demo_data(staffed.database, only_if_empty=True, traffic_key=b"k" * 32)
    last = IsoWeek.last_complete(datetime.now(UTC), ZoneInfo(staffed.settings.timezone))
    for week in (last, last.following()):
        make_week(
            database=staffed.database,
            translators=staffed.translators,
            settings=staffed.settings,
            week=week,
            formats=("xlsx", "html"),
        )
    return staffed


def sign_in(page: Any, base_url: str, role: Role) -> None:
    page.goto(f"{base_url}/staff/")
    page.get_by_label("Sähköpostiosoite").fill(f"{role.value}@mikkeli.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("heading", level=1).wait_for()


def test_a_newcomer_answers_an_idea_makes_a_poll_and_downloads_files(
    browser: Any, base_url: str, staffed: Services, tmp_path: Path
) -> None:
    # A resident leaves an idea in the web chat.
    resident = browser.new_context(
        locale="fi-FI", viewport={"width": 390, "height": 800}
    ).new_page()
    resident.goto(base_url)
    chat = resident.locator(".choices").last
    chat.get_by_role("button", name="Kyllä, sopii", exact=True).click()
    for label in ("Kerro ideasi", "Nuoret", "Keskusta"):
        resident.locator(".choices").last.get_by_role("button", name=label, exact=True).click()
    resident.get_by_label("Viestisi").fill("Skeittiramppi torin laidalle kesäksi.")
    resident.keyboard.press("Enter")
    resident.locator(".choices").last.get_by_role("button", name="Ei kuvaa", exact=True).click()
    resident.locator(".choices").last.get_by_role("button", name="Ei", exact=True).click()
    resident.locator(".choices").last.get_by_role("button", name="Lähetä", exact=True).click()
    resident.locator("#log").get_by_text("Sen viitenumero on ID-").last.wait_for()

    # A moderator signs in and answers it.
    context = browser.new_context(locale="fi-FI", accept_downloads=True)
    page = context.new_page()
    sign_in(page, base_url, Role.MODERATOR)
    page.get_by_role("link", name="Ideat").click()
    page.get_by_role("link", name="ID-").first.click()
    page.get_by_label("Vastaus", exact=True).fill("Kiitos! Ramppi rakennetaan toukokuussa.")
    page.get_by_role("button", name="Lähetä vastaus").click()
    page.get_by_role("status").wait_for()

    # The resident sees the answer in the same chat (the page asks when it is opened).
    resident.reload()
    resident.locator("#log").get_by_text("Kiitos! Ramppi rakennetaan toukokuussa.").wait_for()

    # A poll: created, then closed early.
    page.get_by_role("link", name="Kyselyt").click()
    page.get_by_role("link", name="Uusi kysely").click()
    helsinki = ZoneInfo("Europe/Helsinki")
    page.get_by_label("Otsikko (suomi)").fill("Mikä on paras kesäpaikka?")
    page.get_by_label("Aukeaa").fill(
        (datetime.now(helsinki) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Sulkeutuu").fill(
        (datetime.now(helsinki) + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label("Kysymys (suomi)").first.fill("Missä vietät kesää?")
    page.get_by_label("Vaihtoehdot, yksi kullakin rivillä (suomi)").first.fill("Rannalla\nTorilla")
    page.get_by_role("button", name="Luo kysely").click()
    page.get_by_role("status").wait_for()
    page.get_by_role("button", name="Sulje kysely nyt").click()
    page.get_by_text("Kysely suljettiin.").wait_for()

    # An export and last week's summary, downloaded.
    page.get_by_role("link", name="Lataukset ja yhteenvedot").click()
    page.get_by_label("Mitä").select_option("ideas")
    page.get_by_label("Tiedostomuoto").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Lataa", exact=True).click()
    exported = Path(download.value.path()).read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf") and b"Skeittiramppi" in exported
    page.get_by_role("button", name="Tee nyt").click()
    page.get_by_role("status").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"


STAFF_PAGES = {
    Role.ADMIN: [
        "/staff/",
        "/staff/ideas",
        "/staff/ideas/1",
        "/staff/polls",
        "/staff/polls/new",
        "/staff/polls/1",
        "/staff/places",
        "/staff/places/1",
        "/staff/exports",
        "/staff/accounts",
    ],
    Role.OUTREACH: ["/staff/contacts"],
}


@pytest.mark.parametrize("language", ["fi-FI", "sv-FI"])
def test_every_staff_page_passes_axe_on_a_phone_and_a_laptop(
    browser: Any, base_url: str, busy: Services, language: str
) -> None:
    leave_idea(Talk(busy.engine), "Penkkejä lisää torille, kiitos.")
    for viewport in ({"width": 390, "height": 800}, {"width": 1280, "height": 800}):
        login = browser.new_context(locale=language, viewport=viewport).new_page()
        login.goto(f"{base_url}/staff/login")
        assert serious_violations(login) == [], "/staff/login"
        for role, pages in STAFF_PAGES.items():
            page = browser.new_context(locale=language, viewport=viewport).new_page()
            page.goto(f"{base_url}/staff/login")
            page.locator("#email").fill(f"{role.value}@mikkeli.example")
            page.locator("#password").fill(PASSWORD)
            page.locator("form.stack button").click()
            page.get_by_role("heading", level=1).wait_for()
            for path in pages:
                response = page.goto(base_url + path)
                assert response is not None and response.status == 200, path
                assert serious_violations(page) == [], path
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= viewport["width"] + 1, f"{path} scrolls sideways at {viewport}"
