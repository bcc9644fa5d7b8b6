"""Every /staff route, called without a session and with each role: who may see and do what.

The table below must name every staff route the app has; a new route without a row fails
the first test, so nobody adds a page and forgets to decide who may use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bot.services import Services
from storage.staff_tables import Role
from tests.staff.conftest import csrf_of
from tests.support.data import leave_idea
from tests.support.talk import Talk

A, M, OUT, V = Role.ADMIN, Role.MODERATOR, Role.OUTREACH, Role.VIEWER
EVERYONE = {A, M, OUT, V}
# (method, path template) → roles allowed; None: open to anyone (sign-in itself).
ACCESS: dict[tuple[str, str], set[Role] | None] = {
    ("GET", "/staff"): None,
    ("GET", "/staff/login"): None,
    ("POST", "/staff/login"): None,
    ("GET", "/staff/language/{language}"): None,
    ("POST", "/staff/logout"): EVERYONE,
    ("GET", "/staff/"): EVERYONE,
    ("GET", "/staff/conversations"): {OUT},
    ("GET", "/staff/conversations/live"): {OUT},
    ("GET", "/staff/conversations/{conversation_id}"): {OUT},
    ("GET", "/staff/conversations/{conversation_id}/messages"): {OUT},
    ("POST", "/staff/conversations/{conversation_id}/messages"): {OUT},
    ("POST", "/staff/conversations/{conversation_id}/take"): {OUT},
    ("POST", "/staff/conversations/{conversation_id}/close"): {OUT},
    ("GET", "/staff/conversations/{conversation_id}/photos/{message_id}"): {OUT},
    ("POST", "/staff/conversations/name"): {OUT},
    ("GET", "/staff/service-hours"): {OUT},
    ("POST", "/staff/service-hours"): {OUT},
    ("GET", "/staff/saved-replies"): {OUT},
    ("POST", "/staff/saved-replies"): {OUT},
    ("POST", "/staff/saved-replies/{reply_id}/delete"): {OUT},
    ("GET", "/staff/ideas"): {A, M, OUT},
    ("GET", "/staff/ideas/{idea_id}"): {A, M, OUT},
    ("GET", "/staff/ideas/{idea_id}/photo"): {A, M, OUT},
    ("POST", "/staff/ideas/{idea_id}/status"): {A, M},
    ("POST", "/staff/ideas/{idea_id}/answer"): {A, M},
    ("GET", "/staff/contacts"): {OUT},
    ("POST", "/staff/contacts/{contact_id}/status"): {OUT},
    ("GET", "/staff/polls"): EVERYONE,
    ("GET", "/staff/polls/new"): {A, M},
    ("POST", "/staff/polls"): {A, M},
    ("GET", "/staff/polls/{poll_id}"): EVERYONE,
    ("GET", "/staff/polls/{poll_id}/edit"): {A, M},
    ("POST", "/staff/polls/{poll_id}/edit"): {A, M},
    ("POST", "/staff/polls/{poll_id}/schedule"): {A, M},
    ("POST", "/staff/polls/{poll_id}/close"): {A, M},
    ("GET", "/staff/announcements"): {A, M},
    ("POST", "/staff/announcements/preview"): {A, M},
    ("POST", "/staff/announcements"): {A, M},
    ("POST", "/staff/announcements/{announcement_id}/stop"): {A, M},
    ("POST", "/staff/announcements/{announcement_id}/confirm"): {A, M},
    ("GET", "/staff/events"): {A, M, OUT},
    ("GET", "/staff/events/new"): {A, M},
    ("POST", "/staff/events"): {A, M},
    ("GET", "/staff/events/{event_id}"): {A, M, OUT},
    ("GET", "/staff/events/{event_id}/edit"): {A, M},
    ("POST", "/staff/events/{event_id}/edit"): {A, M},
    ("POST", "/staff/events/{event_id}/cancel"): {A, M},
    ("POST", "/staff/events/{event_id}/attendance"): {A, M},
    ("GET", "/staff/events/{event_id}/signups.csv"): {A, M, OUT},
    ("GET", "/staff/places"): {A, M, OUT},
    ("GET", "/staff/places/{place_id}"): {A, M, OUT},
    ("POST", "/staff/places/{place_id}"): {A, M, OUT},
    ("POST", "/staff/places/import"): {A, M, OUT},
    ("GET", "/staff/exports"): EVERYONE,
    ("POST", "/staff/exports"): EVERYONE,  # what each may export is checked per kind
    ("POST", "/staff/summaries"): {A, M, OUT, V},
    ("GET", "/staff/summaries/{week}/{file_format}"): {A, M, OUT, V},
    ("GET", "/staff/accounts"): {A},
    ("POST", "/staff/accounts"): {A},
    ("POST", "/staff/accounts/{account_id}"): {A},
}
VALUES = {
    "{idea_id}": "1",
    "{conversation_id}": "1",
    "{message_id}": "1",
    "{reply_id}": "1",
    "{contact_id}": "1",
    "{poll_id}": "1",
    "{place_id}": "1",
    "{announcement_id}": "1",
    "{account_id}": "4",
    "{language}": "sv",
    "{week}": "2026-W47",
    "{file_format}": "xlsx",
}


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router (no prefixes here)
            yield from _api_routes(route.original_router.routes)


def _staff_routes(client: TestClient) -> set[tuple[str, str]]:
    found = set()
    for route in _api_routes(client.app.routes):  # type: ignore[attr-defined]
        if route.path.startswith("/staff"):
            found |= {(method, route.path) for method in route.methods if method != "HEAD"}
    return found


def _concrete(path: str) -> str:
    for placeholder, value in VALUES.items():
        path = path.replace(placeholder, value)
    return path


def test_every_staff_route_has_a_decided_audience(app_client: TestClient) -> None:
    assert _staff_routes(app_client) == set(ACCESS)


PROTECTED = sorted(key for key, roles in ACCESS.items() if roles is not None)


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_without_a_session_every_protected_route_leads_to_sign_in(
    app_client: TestClient, method: str, path: str
) -> None:
    response = app_client.request(method, _concrete(path), data={"csrf": "x"})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_its_routes(
    signed_in: Callable[[Role], TestClient], services: Services, role: Role
) -> None:
    leave_idea(Talk(services.engine), "Lisää penkkejä torin laidalle, kiitos.")
    from tests.support.data import add_places, place

    add_places(services.database, place("p1", name="Paikka", lat=61.69, lon=27.27))
    client = signed_in(role)
    token = csrf_of(client)
    for (method, path), roles in sorted(ACCESS.items()):
        if roles is None or path == "/staff/logout":
            continue
        response = client.request(method, _concrete(path), data={"csrf": token})
        assert response.status_code < 500, (method, path, response.text[:300])
        if role in roles:
            assert response.status_code != 403, (role, method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
            assert "role" in response.text.lower() or "rooli" in response.text.lower()


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_offers_only_what_the_role_may_open(
    signed_in: Callable[[Role], TestClient], role: Role
) -> None:
    html = signed_in(role).get("/staff/").text
    assert ('href="/staff/contacts"' in html) is (role is OUT)
    assert ('href="/staff/accounts"' in html) is (role is A)
    assert ('href="/staff/ideas"' in html) is (role in {A, M, OUT})


def test_outreach_sees_ideas_without_their_contact_details(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    talk = Talk(services.engine)
    talk.start()
    for step in ("consent.yes", "ideas", "theme.young", "area.centre"):
        talk.press_id(step)
    talk.send("Kesäksi uimaranta Kaihun, jossa voi olla koko päivän.")
    talk.press_id("idea.nophoto")
    talk.press_id("idea.contact.yes")
    talk.send("Salainen Sirkka")
    talk.press_id("how.phone")
    talk.send("040 765 4321")
    talk.press_id("idea.send")
    outreach = signed_in(OUT).get("/staff/ideas/1").text
    assert "Kesäksi uimaranta" in outreach and "040 765 4321" not in outreach
    moderator = signed_in(M).get("/staff/ideas/1").text
    assert "040 765 4321" in moderator and "Salainen Sirkka" in moderator
    assert "<dd>Puhelin</dd>" in moderator and "<dd>phone</dd>" not in moderator  # no codes


def test_a_notice_page_has_a_finnish_heading(signed_in: Callable[[Role], TestClient]) -> None:
    missing = signed_in(M).get("/staff/ideas/999")
    assert missing.status_code == 404
    assert "<h1>Ilmoitus</h1>" in missing.text and "Notice" not in missing.text


HUGE = str(2**70)  # beyond any BIGINT: the driver would overflow if it got this far


@pytest.mark.parametrize("role", [A, M, OUT])
def test_an_id_or_page_no_row_can_have_is_a_4xx_page_never_a_500(
    signed_in: Callable[[Role], TestClient], role: Role
) -> None:
    client = signed_in(role)
    token = csrf_of(client)
    tried = 0
    for method, path in sorted(ACCESS):
        if "_id}" not in path:
            continue
        for bad in (HUGE, "-1", "0"):
            concrete = _concrete(path.replace(path[path.index("{") : path.index("}") + 1], bad))
            response = client.request(method, concrete, data={"csrf": token})
            assert 400 <= response.status_code < 500, (method, concrete, response.status_code)
            assert "Traceback" not in response.text
            tried += 1
    assert tried > 20
    listing = client.get(f"/staff/ideas?page={HUGE}")
    assert listing.status_code in (403, 422) and "<html" in listing.text


def test_a_new_account_is_offered_the_least_role_first(
    signed_in: Callable[[Role], TestClient],
) -> None:
    # An admin who adds a colleague and only types the address gives figures, not everything.
    page = signed_in(A).get("/staff/accounts").text
    new_role = page[page.index('id="new-role"') :].split("</select>")[0]
    assert '<option value="viewer" selected>' in new_role
    assert new_role.count(" selected") == 1
