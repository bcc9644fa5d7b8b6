"""Staff make polls and fix places; residents see the result in the chat at once."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.services import Services
from bot.staff.web import LANGUAGE_COOKIE
from storage.domain_tables import place_t, poll_t
from storage.staff_tables import Role
from tests.staff.conftest import csrf_of
from tests.support.data import add_places, place
from tests.support.talk import Talk

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(delta: timedelta) -> str:
    return (datetime.now(HELSINKI) + delta).strftime("%Y-%m-%dT%H:%M")


def poll_form(token: str, **changes: str) -> dict[str, str]:
    return {
        "csrf": token,
        "title_fi": "Mikä on paras kesäpaikka?",
        "title_sv": "Vilket är det bästa sommarstället?",
        "title_en": "What is the best summer spot?",
        "opens": local(timedelta(hours=-1)),
        "closes": local(timedelta(days=7)),
        "results_visibility": "after_voting",
        "q1_fi": "Missä vietät kesää?",
        "q1_sv": "Var tillbringar du sommaren?",
        "q1_en": "Where do you spend the summer?",
        "q1_options_fi": "Rannalla\nTorilla\nMetsässä",
        "q1_options_sv": "På stranden\nPå torget\nI skogen",
        "q1_options_en": "On the beach\nIn the square\nIn the forest",
        **changes,
    }


def test_a_poll_made_in_the_staff_area_is_answered_in_the_chat(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.MODERATOR)
    response = client.post("/staff/polls", data=poll_form(csrf_of(client, "/staff/polls/new")))
    assert (
        response.status_code == 303
        and response.headers["location"] == "/staff/polls/1?done=created"
    )
    talk = Talk(services.engine, locale="sv")
    talk.start()
    talk.press_id("consent.yes")
    talk.send("meny")
    talk.press("Enkät för unga")
    talk.press("Vilket är det bästa sommarstället?")
    assert talk.prompt == "Fråga 1/1: Var tillbringar du sommaren?"
    assert talk.labels[:3] == ["På stranden", "På torget", "I skogen"]


def test_a_poll_form_with_problems_is_shown_again_with_what_to_fix(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.MODERATOR)
    token = csrf_of(client, "/staff/polls/new")
    client.headers["Accept-Language"] = "en"
    cases = {
        "title_fi": ("", "Write the poll's title in Finnish."),
        "closes": (local(timedelta(days=-2)), "The poll must close after it opens."),
        "q1_options_sv": ("Bara en", "Give the same number of options in every language."),
        "q1_options_fi": ("Vain yksi", "A question needs 2 to 12 options"),
    }
    for field, (value, message) in cases.items():
        extra = {"q1_options_sv": "", "q1_options_en": ""} if field == "q1_options_fi" else {}
        response = client.post("/staff/polls", data=poll_form(token, **{field: value, **extra}))
        assert response.status_code == 422, field
        assert message in html.unescape(response.text)
        assert "Missä vietät kesää?" in response.text  # what was typed is kept
    with services.database.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(poll_t)).scalar_one() == 0


def test_closing_a_poll_early_takes_it_off_the_chat(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.ADMIN)
    client.post("/staff/polls", data=poll_form(csrf_of(client, "/staff/polls/new")))
    token = csrf_of(client, "/staff/polls/1")
    assert client.post("/staff/polls/1/close", data={"csrf": token}).status_code == 303
    page = client.get("/staff/polls/1?done=closed")
    assert "Close the poll now" not in page.text and "Sulje kysely nyt" not in page.text
    with services.database.connect() as connection:
        closes = connection.execute(sa.select(poll_t.c.closes_at)).scalar_one()
    assert closes <= datetime.now(HELSINKI)


def test_fixing_opening_hours_changes_what_residents_are_told(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    add_places(services.database, place("p1", name="Olohuone", lat=61.69, lon=27.27))
    client = signed_in(Role.OUTREACH)
    token = csrf_of(client, "/staff/places/1")
    form = {
        "csrf": token,
        "hours_mo": "9-12, 13.00-16.00",
        "hours_tu": "10:00–18:00",
        "exceptions": "2026-12-24 – 2026-12-26 suljettu\n2026-12-31 10-14",
        "phone": "015 123 4567",
        "web": "https://example.org/olohuone",
        "active": "on",
        "verified": "on",
    }
    response = client.post("/staff/places/1", data=form)
    assert response.status_code == 303, response.text
    with services.database.connect() as connection:
        stored = connection.execute(
            sa.select(place_t.c.hours, place_t.c.last_verified, place_t.c.phone)
        ).one()
    assert stored.hours["weekly"][:2] == [
        {"days": ["mo"], "opens": "09:00", "closes": "12:00"},
        {"days": ["mo"], "opens": "13:00", "closes": "16:00"},
    ]
    assert stored.hours["exceptions"][0] == {
        "from": "2026-12-24",
        "to": "2026-12-26",
        "closed": True,
    }
    assert stored.last_verified is not None and stored.phone == "015 123 4567"
    page = client.get("/staff/places/1").text
    assert ">9–12, 13–16<" not in page  # an input's value, not text
    assert 'value="9–12, 13–16"' in page and 'value="10–18"' in page
    assert "24.12.2026–26.12.2026 suljettu\n31.12.2026 10–14" in page


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_exceptions_hint_is_what_the_form_fills_in(
    signed_in: Callable[[Role], TestClient], services: Services, language: str
) -> None:
    """The hint's own example, typed as shown, is saved, and the form shows it back alike."""
    add_places(services.database, place("p1", name="Olohuone", lat=61.69, lon=27.27))
    client = signed_in(Role.OUTREACH)
    client.cookies.set(LANGUAGE_COOKIE, language)
    page = client.get("/staff/places/1").text
    hint = re.search(r'id="exceptions-hint">[^:]+: (.+?), [^ ]+ (.+?)\.</p>', html.unescape(page))
    assert hint is not None, page
    typed = f"{hint[1]}\n{hint[2]}"
    twice = f"{typed}\n{hint[2]}"  # a line typed again is one exception, not two
    form = {"csrf": csrf_of(client, "/staff/places/1"), "exceptions": twice, "active": "on"}
    assert client.post("/staff/places/1", data=form).status_code == 303
    with services.database.connect() as connection:
        stored = connection.execute(sa.select(place_t.c.hours)).scalar_one()
    assert stored["exceptions"] == [
        {"from": "2026-12-24", "to": "2026-12-26", "closed": True},
        {"from": "2026-12-31", "to": "2026-12-31", "opens": "10:00", "closes": "14:00"},
    ]
    shown = html.unescape(client.get("/staff/places/1").text)
    assert f">{typed}</textarea>" in shown


def test_unreadable_hours_are_refused_and_nothing_changes(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    add_places(services.database, place("p1", name="Olohuone", lat=61.69, lon=27.27))
    client = signed_in(Role.MODERATOR)
    token = csrf_of(client, "/staff/places/1")
    for field, value in (
        ("hours_we", "aamusta iltaan"),
        ("exceptions", "jouluna kiinni"),
        ("web", "javascript:alert(1)"),
    ):
        response = client.post(
            "/staff/places/1", data={"csrf": token, field: value, "active": "on"}
        )
        assert response.status_code == 422, field
        assert value in response.text or field == "web"
    with services.database.connect() as connection:
        hours = connection.execute(sa.select(place_t.c.hours)).scalar_one()
    assert hours["weekly"][0]["days"] == ["mo", "tu", "we", "th", "fr", "sa", "su"]


def test_importing_a_places_file_from_the_browser(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.MODERATOR)
    token = csrf_of(client, "/staff/places")
    body = (
        b"places:\n  - source_id: kahvila\n    kind: meeting_place\n    name: {fi: Kahvila Kohtaamo}\n"
        b"    area: centre\n    needs: [company]\n"
    )
    response = client.post(
        "/staff/places/import",
        data={"csrf": token},
        files={"file": ("places.yaml", body, "application/yaml")},
    )
    assert response.status_code == 200, response.text
    with services.database.connect() as connection:
        assert connection.execute(sa.select(place_t.c.source_id)).scalars().all() == ["kahvila"]
    broken = client.post(
        "/staff/places/import",
        data={"csrf": token},
        files={"file": ("places.json", b"{oops", "application/json")},
    )
    assert broken.status_code == 422


def test_an_unanswered_poll_can_be_rewritten_an_answered_one_cannot(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    client = signed_in(Role.MODERATOR)
    client.post("/staff/polls", data=poll_form(csrf_of(client, "/staff/polls/new")))
    page = client.get("/staff/polls/1/edit")
    assert page.status_code == 200
    assert "Missä vietät kesää?" in page.text and "Rannalla\nTorilla\nMetsässä" in page.text
    token = csrf_of(client, "/staff/polls/1/edit")
    changed = poll_form(token, q1_fi="Missä olet kesällä?", q1_options_fi="Rannalla\nTorilla")
    changed.update(
        q1_options_sv="På stranden\nPå torget", q1_options_en="On the beach\nIn the square"
    )
    assert client.post("/staff/polls/1/edit", data=changed).status_code == 303
    talk = Talk(services.engine, locale="fi")
    talk.start()
    talk.press_id("consent.yes")
    talk.send("valikko")
    talk.press("Nuorten kysely")
    talk.press("Mikä on paras kesäpaikka?")
    assert talk.prompt.endswith("Missä olet kesällä?")
    talk.press("Rannalla")  # now the poll has an answer
    if talk.prompt.startswith("Vielä yksi"):
        talk.press("16–17")
    refused = client.post("/staff/polls/1/edit", data=changed)
    assert refused.status_code == 409
    assert client.get("/staff/polls/1/edit").status_code == 409
    assert "/staff/polls/1/edit" not in client.get("/staff/polls/1").text
