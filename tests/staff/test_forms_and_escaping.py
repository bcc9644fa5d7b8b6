"""Forms need their CSRF token; whatever residents write is shown as text on every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.reports.weeks import IsoWeek
from bot.services import Services
from storage.domain_tables import idea_t
from storage.staff_tables import Role
from tests.staff.conftest import csrf_of
from tests.support.data import leave_idea
from tests.support.talk import Talk

PAYLOADS = (
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
)


def test_a_form_without_its_token_changes_nothing(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    leave_idea(Talk(services.engine), "Puistoon lisää roskiksia, niitä on liian vähän.")
    client = signed_in(Role.MODERATOR)
    for data in ({"status": "declined"}, {"status": "declined", "csrf": "forged-token"}):
        response = client.post("/staff/ideas/1/status", data=data)
        assert response.status_code == 403
        assert "reload" in response.text.lower() or "lataa" in response.text.lower()
    with services.database.connect() as connection:
        assert connection.execute(sa.select(idea_t.c.status)).scalar_one() == "new"
    token = csrf_of(client, "/staff/ideas/1")
    assert (
        client.post("/staff/ideas/1/status", data={"status": "declined", "csrf": token}).status_code
        == 303
    )
    with services.database.connect() as connection:
        assert connection.execute(sa.select(idea_t.c.status)).scalar_one() == "declined"


def test_another_sessions_token_does_not_pass(
    app_client: TestClient, services: Services, signed_in: Callable[[Role], TestClient]
) -> None:
    leave_idea(Talk(services.engine), "Puistoon lisää roskiksia, niitä on liian vähän.")
    first = signed_in(Role.MODERATOR)
    old_token = csrf_of(first, "/staff/ideas/1")
    app_client.cookies.clear()
    signed_in(Role.ADMIN)
    response = app_client.post(
        "/staff/ideas/1/status", data={"status": "hidden", "csrf": old_token}
    )
    assert response.status_code == 403


def test_resident_text_is_escaped_on_every_staff_page(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    for number, payload in enumerate(PAYLOADS):
        talk = Talk(services.engine)
        talk.start()
        for step in ("consent.yes", "ideas", "theme.young", "area.centre"):
            talk.press_id(step)
        talk.send(f"Idea numero {number}: {payload} ja vähän lisää tekstiä.")
        talk.press_id("idea.nophoto")
        talk.press_id("idea.contact.yes")
        talk.send(f"Nimi {payload}"[:80])
        talk.press_id("how.chat")
        talk.press_id("idea.send")
        contact = Talk(services.engine)
        contact.start()
        contact.press_id("consent.yes")
        contact.press_id("contact")
        contact.press_id("contact.start")
        contact.send(f"Nimi {payload}"[:80])
        contact.press_id("how.chat")
        contact.send(f"Iltaisin {payload}")
        contact.send(f"Asia: {payload}")
        contact.press_id("contact.send")
    outreach = signed_in(Role.OUTREACH).get("/staff/contacts").text
    assert outreach.count("Asia: ") == len(PAYLOADS)
    assert "<script>alert" not in outreach and "<img src=x" not in outreach
    assert 'href="javascript:' not in outreach
    moderator = signed_in(Role.MODERATOR)
    this_week = str(IsoWeek.of(datetime.now(ZoneInfo("Europe/Helsinki")).date()))
    pages = ["/staff/ideas", "/staff/ideas/1", "/staff/ideas/2", "/staff/ideas/3"]
    for page in pages:
        html = moderator.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html, page
        assert "&lt;script&gt;" in html or "&lt;img" in html or "javascript:" in html
        assert 'href="javascript:' not in html
    summary = moderator.post(
        "/staff/summaries", data={"csrf": csrf_of(moderator), "week": this_week}
    )
    assert summary.status_code == 303
    html = moderator.get(f"/staff/summaries/{this_week}/html").text
    assert "Idea numero" not in html  # figures only: what residents wrote is not in it
    assert "<script>alert" not in html and "<img src=x" not in html


def test_pages_forbid_framing_and_inline_scripts(signed_in: Callable[[Role], TestClient]) -> None:
    response = signed_in(Role.VIEWER).get("/staff/")
    assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
