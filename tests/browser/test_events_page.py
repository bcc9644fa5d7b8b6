"""The public events page in a real browser: it reads on a 360 px phone and a desktop with
no sideways scrolling, the filter works without JavaScript, and axe-core finds nothing
serious or critical, in Finnish, Swedish and English."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.services import Services
from storage.engine import transaction
from storage.event_tables import Audience, EventSource, EventStatus
from storage.events import EventRecord, upsert_event
from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/osallistu-shots")


@pytest.fixture(autouse=True)
def events(services: Services) -> None:
    soon = (datetime.now(UTC) + timedelta(days=1)).replace(hour=15, minute=0, second=0)
    rows = [
        ("games", "Peli-ilta nuorille (demo)", Audience.YOUNG, EventStatus.SCHEDULED, True),
        ("choir", "Kuoro, jossa on pitkä nimi kapealle puhelimelle (demo)", Audience.SENIORS,
         EventStatus.SCHEDULED, False),
        ("off", "Peruttu työpaja (demo)", Audience.EVERYONE, EventStatus.CANCELLED, True),
    ]  # fmt: skip
    with transaction(services.database) as connection:
        for n, (source_id, title, audience, status, free) in enumerate(rows):
            upsert_event(
                connection=connection,
                record=EventRecord(
                    source=EventSource.OWN,
                    source_id=source_id,
                    title={"fi": title},
                    starts_at=soon + timedelta(days=n),
                    ends_at=soon + timedelta(days=n, hours=2),
                    audience=audience,
                    status=status,
                    is_free=free,
                    price={} if free else {"fi": "5 €"},
                    signup_required=free,
                    capacity=10 if free else None,
                    place_name={"fi": "Otavan kohtaamispaikka"},
                    lat=61.6492,
                    lon=27.0711,
                ),
                now=datetime.now(UTC),
            )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("width,height", [(360, 640), (1280, 800)])
def test_the_page_reads_on_a_phone_and_a_desktop_and_passes_axe(
    browser: Any, base_url: str, language: str, width: int, height: int
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{base_url}/events?lang={language}")
    assert page.locator("h3").count() == 3
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"events-{language}-{width}.png"), full_page=True)
    context.close()
    # axe runs scripts: checked in a context that allows them.
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{base_url}/events?lang={language}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    context.close()


def test_the_filter_works_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/events?lang=fi")
    page.get_by_label("Kenelle").select_option(label="Nuorille")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_url("**for=young**")
    assert page.locator("h3").all_inner_texts() == ["Peli-ilta nuorille (demo)"]
    page.get_by_label("Vain maksuttomat").check()
    page.get_by_label("Kenelle").select_option(label="Kaikille")
    page.get_by_role("button", name="Näytä").click()
    page.wait_for_url("**free=1**")
    assert page.locator("h3").count() == 2  # the cancelled one was free too: marked, listed
    context.close()
