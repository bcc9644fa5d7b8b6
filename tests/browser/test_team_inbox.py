"""The team's inbox in Chromium: a resident asks for a person in the web chat; the outreach
worker sees the conversation arrive without reloading, answers, the resident's reply shows
up on the worker's page by itself, the worker closes it and the resident is back with the
bot. axe-core on every new page, at a phone's width and a desktop's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bot.services import Services
from bot.staff.auth import hash_password
from storage import staff
from storage.engine import transaction
from storage.staff_tables import Role
from tests.browser.conftest import serious_violations
from tests.support.team import ALWAYS, set_service_hours

pytestmark = pytest.mark.browser
PASSWORD = "syksyllä-sataa-paljon"
NAME = "Terhi, Yhdessä osallistuen"


@pytest.fixture
def team(services: Services) -> Services:
    set_service_hours(services, ALWAYS)
    with transaction(services.database) as connection:
        account = staff.add_account(
            connection=connection,
            email="terhi@mikkeli.example",
            role=Role.OUTREACH,
            password_hash=hash_password(PASSWORD),
            now=datetime.now(UTC),
        )
        staff.set_display_name(connection=connection, account_id=account, name=NAME)
    return services


def _worker(browser: Any, base_url: str, width: int = 1280) -> Any:
    page = browser.new_context(locale="fi-FI", viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{base_url}/staff/conversations")
    page.get_by_label("Sähköpostiosoite").fill("terhi@mikkeli.example")
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_role("heading", name="Keskustelut asukkaiden kanssa").wait_for()
    return page


def _choose(page: Any, label: str) -> None:
    page.locator(".choices").last.get_by_role("button", name=label, exact=True).click()


def test_a_conversation_arrives_is_answered_and_closed_without_reloading(
    browser: Any, base_url: str, team: Services, tmp_path: Path
) -> None:
    worker = _worker(browser, base_url)
    resident = browser.new_context(
        locale="fi-FI", viewport={"width": 360, "height": 640}
    ).new_page()
    resident.goto(base_url)
    _choose(resident, "Kyllä, sopii")
    _choose(resident, "Joku, jolle voi jutella")
    resident.locator("#log").get_by_text("Joku tiimistä vastaa sinulle tässä.").wait_for()
    resident.get_by_label("Viestisi").fill("Hei, tarvitsisin apua hakemuksen kanssa.")
    resident.keyboard.press("Enter")
    resident.locator("#log").get_by_text("Lähetetty tiimille.").wait_for()

    # The worker's inbox shows it by itself (server-sent events), no reload.
    link = worker.get_by_role("link", name="Lue ja vastaa").first
    expect(link).to_be_visible(timeout=10_000)
    # ...and so do the counts around it: the "waiting" tab and the badge in the navigation.
    expect(worker.get_by_role("link", name="Odottaa (1)")).to_be_visible()
    expect(worker.locator("#site-nav .badge")).to_contain_text("1")
    link.click()
    worker.get_by_text("Hei, tarvitsisin apua hakemuksen kanssa.").wait_for()
    assert serious_violations(worker) == []
    worker.get_by_label("Viestisi asukkaalle").fill("Hei! Autan mielelläni. Mikä hakemus?")
    worker.get_by_role("button", name="Lähetä").click()

    # The resident's page asks for it while open: within its polling, or at once on focus.
    resident.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    answer = resident.locator("#log .msg.person").last
    expect(answer).to_contain_text("Autan mielelläni", timeout=40_000)
    expect(answer.locator(".name")).to_have_text(NAME)
    resident.screenshot(path=tmp_path / "resident-360.png")
    assert serious_violations(resident) == []
    resident.get_by_label("Viestisi").fill("Asumistukihakemus.")
    resident.keyboard.press("Enter")
    # ...and the worker's page shows the reply without a reload.
    expect(worker.locator("#messages")).to_contain_text("Asumistukihakemus.", timeout=10_000)

    worker.get_by_role("button", name="Sulje keskustelu").click()
    worker.get_by_role("status").get_by_text("Keskustelu suljettiin").wait_for()
    resident.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(resident.locator("#log")).to_contain_text("Tiimi lopetti keskustelun", timeout=40_000)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_new_pages_pass_axe_and_fit_a_phone(
    browser: Any, base_url: str, team: Services, width: int
) -> None:
    from tests.support.team import open_team_conversation

    open_team_conversation(team)
    page = _worker(browser, base_url, width=width)
    for path in (
        "/staff/conversations",
        "/staff/conversations?view=closed",
        "/staff/conversations/1",
        "/staff/service-hours",
        "/staff/saved-replies",
    ):
        page.goto(f"{base_url}{path}")
        page.get_by_role("heading", level=1).wait_for()
        assert serious_violations(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
