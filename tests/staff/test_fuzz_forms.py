"""Fuzzing every staff form: whatever a browser (or anyone) posts — fields missing, numbers
beyond 64 bits, lone surrogates, NUL, markup — the answer is a page with a 2xx, 3xx or 4xx,
never a 500, and the staff area goes on working afterwards."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.services import Services
from storage.staff_tables import Role
from tests.staff.conftest import csrf_of
from tests.staff.test_access import ACCESS, _concrete
from tests.support.data import add_places, add_poll, leave_idea, place
from tests.support.talk import Talk
from tests.support.team import open_team_conversation

FIELDS = [
    "active", "answer", "area", "channel", "closes", "email", "exceptions", "format",
    "holidays_open", "hours_mo", "hours_su", "kind", "next", "opens", "password", "phone",
    "q1_multiple", "q1_options_fi", "q1_fi", "q2_options_sv", "results_visibility", "role",
    "since", "status", "theme", "title_fi", "title_en", "until", "verified", "web", "week",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), st.sampled_from("\x00<>&")
        ),
        max_size=8,
    ),
    st.integers().map(str),
    st.sampled_from(["2026-W48", "2026-13-45", "25:99", "9-12, 13-16", "on", "csv", "ideas"]),
)
FORMS = st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8)
POSTS = sorted(
    path
    for (method, path), roles in ACCESS.items()
    if method == "POST" and roles is not None and path != "/staff/logout"
)
# Who may post each form: an admin where one may, else the outreach worker.
WHO = {
    path: Role.ADMIN if Role.ADMIN in (ACCESS[("POST", path)] or ()) else Role.OUTREACH
    for path in POSTS
}


@pytest.mark.parametrize("path", POSTS)
def test_no_staff_form_ever_answers_500(
    signed_in: Callable[[Role], TestClient], services: Services, path: str
) -> None:
    leave_idea(Talk(services.engine), "Lisää penkkejä torin laidalle, kiitos.")
    add_places(services.database, place("p1", name="Paikka", lat=61.69, lon=27.27))
    add_poll(services.database)
    open_team_conversation(services)
    client = signed_in(WHO[path])
    token = csrf_of(client)

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(form=FORMS)
    def post(form: dict[str, str]) -> None:
        # Encoded by hand: a lone surrogate goes as the bytes a careless client would send.
        body = urlencode({**form, "csrf": token}, encoding="utf-8", errors="surrogatepass")
        response = client.post(
            _concrete(path),
            content=body.encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert response.status_code < 500, (path, form, response.text[:300])
        statuses.add(response.status_code)

    statuses: set[int] = set()
    post()
    assert statuses - {403}, "every post was refused as a bad form: the fuzzer tested nothing"
    assert client.get("/staff/").status_code == 200  # still signed in, still working
